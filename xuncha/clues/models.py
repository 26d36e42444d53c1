"""Problem clues (问题线索) and their disposal (处置): 移交纪委监委、移交组织部门、转交被巡察党组织、
留存备查、了结; the receiver records how it handled the clue and the outcome in the 四种形态."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xuncha.orgs.models import Organization
from xuncha.petitions.models import Petition
from xuncha.rounds import numbering
from xuncha.rounds.models import Category, Round


class Clue(models.Model):
    """问题线索."""

    class Source(models.TextChoices):
        PETITION = "petition", "信访举报"
        CROSSCHECK = "crosscheck", "数据比对"
        INSPECTION = "inspection", "巡察发现（谈话、查阅资料等）"
        REFERRAL = "referral", "有关部门移送"

    class Level(models.TextChoices):
        COUNTY_DIVISION = "county", "县处级"
        TOWNSHIP_SECTION = "township", "乡科级"
        GENERAL = "general", "一般干部"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        PENDING = "pending", "待处置"
        TRANSFERRED = "transferred", "已移交"
        CONCLUDED = "concluded", "已办结"
        KEPT = "kept", "留存备查"
        CLOSED = "closed", "了结"

    round = models.ForeignKey(Round, verbose_name="巡察轮次", on_delete=models.PROTECT, related_name="clues")
    number = models.PositiveIntegerField("序号")
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    petition = models.ForeignKey(Petition, verbose_name="来源信访件", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="clues")
    rule_code = models.CharField("比对规则", max_length=20, blank=True)
    amount = models.DecimalField("涉及金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    records = models.JSONField("比对记录", default=list, blank=True)
    person = models.CharField("涉及人员或单位", max_length=100)
    position = models.CharField("职务", max_length=100, blank=True)
    level = models.CharField("职级", max_length=10, choices=Level.choices, default=Level.OTHER)
    concerns_leadership = models.BooleanField(
        "涉及被巡察党组织领导班子及其成员", default=False,
        help_text="涉及领导班子及其成员的线索不得转交被巡察党组织。")
    category = models.ForeignKey(Category, verbose_name="问题类别", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    summary = models.TextField("线索内容")
    evidence = models.TextField("证据材料", blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "问题线索"
        verbose_name_plural = verbose_name
        ordering = ["round_id", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="clue_unique_number")]

    def __str__(self) -> str:
        return f"问题线索 {self.code}"

    @property
    def record_lines(self) -> list[str]:
        """比对记录 as readable lines (字段：值；…)."""
        lines = []
        for row in self.records or []:
            if isinstance(row, dict):
                lines.append("；".join(f"{k}：{v}" for k, v in row.items()))
            else:
                lines.append(str(row))
        return lines

    @property
    def code(self) -> str:
        """编号, e.g. 安康市XS2026-1-001 (see ``rounds.numbering``)."""
        return numbering.code(self.round, "clue", self.number)

    @property
    def status_label(self) -> str:
        """状态 as shown: 已办结 names its 四种形态."""
        if self.status == self.Status.CONCLUDED:
            disposal = Disposal.objects.filter(clue_id=self.pk).first()
            if disposal is not None and disposal.form:
                return f"已办结（{disposal.get_form_display()}）"
        return self.get_status_display()


class Disposal(models.Model):
    """处置: one decision per clue; for transfers the handover record and the receiver's handling."""

    class Kind(models.TextChoices):
        DISCIPLINE = "discipline", "移交纪委监委"
        ORGANIZATION = "organization", "移交组织部门"
        PARTY_ORG = "party_org", "转交被巡察党组织"
        KEEP = "keep", "留存备查"
        CLOSE = "close", "了结"

    class Method(models.TextChoices):
        TALK = "talk", "谈话函询"
        VERIFY = "verify", "初步核实"
        HOLD = "hold", "暂存待查"
        CONCLUDE = "conclude", "予以了结"
        CASE = "case", "立案审查"

    class Form(models.TextChoices):
        FIRST = "1", "第一种形态"
        SECOND = "2", "第二种形态"
        THIRD = "3", "第三种形态"
        FOURTH = "4", "第四种形态"
        NONE = "0", "不予处理"

    clue = models.OneToOneField(Clue, on_delete=models.CASCADE, related_name="disposal")
    kind = models.CharField("处置方式", max_length=12, choices=Kind.choices)
    receiver = models.ForeignKey(Organization, verbose_name="移交单位", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="received_clues")
    decided_on = models.DateField("处置（移交）日期")
    letter_no = models.CharField("移交函编号", max_length=60, blank=True)
    reason = models.TextField("处置意见", blank=True)
    deadline = models.DateField("办理时限", null=True, blank=True)
    deadline_estimated = models.BooleanField(
        "办理时限按周末估算", default=False,
        help_text="时限所在年度的节假日尚未录入工作日历，按周末估算（见“工作日历”）。")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处置人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    receipt_no = models.CharField("回执编号", max_length=60, blank=True)
    received_on = models.DateField("签收日期", null=True, blank=True)
    received_by = models.CharField("签收人", max_length=50, blank=True)
    # the receiver's latest step (its whole history is in HandlingStep)
    method = models.CharField("处置方式（承办单位）", max_length=10, choices=Method.choices, blank=True)
    method_on = models.DateField("采取措施日期", null=True, blank=True)
    form = models.CharField("四种形态", max_length=2, choices=Form.choices, blank=True)
    result = models.TextField("办理结果", blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        verbose_name = "线索处置"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.clue.code} {self.get_kind_display()}"

    @property
    def is_transfer(self) -> bool:
        return self.kind in (self.Kind.DISCIPLINE, self.Kind.ORGANIZATION, self.Kind.PARTY_ORG)

    def is_overdue(self, today=None) -> bool:
        """承办单位逾期未办结."""
        from django.utils import timezone
        today = today or timezone.localdate()
        return bool(self.is_transfer and self.deadline and not self.concluded_on and today > self.deadline)

    @property
    def deadline_label(self) -> str:
        if self.deadline is None:
            return ""
        from xuncha.workdays.services import Deadline
        return Deadline(self.deadline, self.deadline_estimated).label


class HandlingStep(models.Model):
    """承办单位办理记录: each step the receiver took (谈话函询 → 初步核实 → 立案审查 …), never overwritten."""

    disposal = models.ForeignKey(Disposal, on_delete=models.CASCADE, related_name="steps")
    method = models.CharField("处置方式", max_length=10, choices=Disposal.Method.choices)
    method_on = models.DateField("采取措施日期")
    result = models.TextField("办理情况", blank=True)
    form = models.CharField("四种形态", max_length=2, choices=Disposal.Form.choices, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = verbose_name
        ordering = ["disposal_id", "method_on", "pk"]

    def __str__(self) -> str:
        return f"{self.method_on:%Y-%m-%d} {self.get_method_display()}"

"""Inspection rounds (巡察轮次), their teams (巡察组) and problem taxonomies (问题分类)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xuncha.orgs.models import Jurisdiction, Organization


class Taxonomy(models.Model):
    """问题分类体系, e.g. 人防专项 三大类9种; an office can edit them and add its own."""

    code = models.CharField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    description = models.TextField("说明", blank=True)
    source = models.CharField("出处", max_length=200, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="所属区域（空为全局）", null=True, blank=True,
        on_delete=models.PROTECT, related_name="taxonomies",
    )
    builtin = models.BooleanField("内置", default=False, help_text="随系统提供，可复制后修改")

    class Meta:
        verbose_name = "问题分类体系"
        verbose_name_plural = verbose_name
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """问题类别: one node in a taxonomy (大类 → 具体问题)."""

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="categories")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField("代码", max_length=30)
    name = models.CharField("名称", max_length=200)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "问题类别"
        verbose_name_plural = verbose_name
        ordering = ["taxonomy_id", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="category_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """巡察轮次: one round of inspection run by a jurisdiction's Party committee."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "常规巡察"
        SPECIAL = "special", "专项巡察"
        LINKED = "linked", "联动巡察"
        REVISIT = "revisit", "巡察“回头看”"

    class Stage(models.TextChoices):
        PREPARATION = "preparation", "准备"
        ONSITE = "onsite", "进驻"
        REPORTING = "reporting", "汇报"
        FEEDBACK = "feedback", "反馈"
        RECTIFICATION = "rectification", "整改"
        ARCHIVED = "archived", "归档"

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="组织巡察的党委", on_delete=models.PROTECT, related_name="rounds"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级联动轮次", null=True, blank=True, on_delete=models.PROTECT,
        related_name="linked_rounds",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.SPECIAL)
    year = models.PositiveIntegerField("年度")
    number = models.PositiveIntegerField("轮次")
    title = models.CharField("名称", max_length=200)
    taxonomy = models.ForeignKey(
        Taxonomy, verbose_name="问题分类体系", null=True, blank=True, on_delete=models.PROTECT,
        related_name="rounds",
    )
    targets = models.ManyToManyField(
        Organization, verbose_name="被巡察单位", related_name="inspected_in", blank=True
    )
    planned_start = models.DateField("计划开始", null=True, blank=True)
    planned_end = models.DateField("计划结束", null=True, blank=True)
    focus = models.TextField("巡察重点", blank=True)
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, default=Stage.PREPARATION)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    # 工作方案 (seed 001)
    basis = models.TextField("制定依据", blank=True, help_text="如：按照县委的统一安排部署，根据……")
    tasks = models.TextField("总体要求和主要任务", blank=True)
    requirements = models.TextField("工作要求", blank=True)
    planned_report = models.DateField("计划汇报日期", null=True, blank=True)
    planned_feedback = models.DateField("计划反馈日期", null=True, blank=True)
    plan_doc_no = models.CharField("印发通知发文字号", max_length=50, blank=True,
                                   help_text="如：安巡组发〔2026〕3号；不填则按“X巡组发〔年份〕轮次号”生成")
    plan_recipients = models.CharField("主送机关", max_length=200, blank=True, default="各相关单位",
                                       help_text="印发通知的主送机关，如：各相关单位")
    # 巡察工作动员会 (seed 001: 进驻巡察阶段 2. 召开巡察动员会)
    meeting_at = models.DateTimeField("动员会时间", null=True, blank=True)
    meeting_place = models.CharField("动员会地点", max_length=200, blank=True)
    meeting_attendees = models.TextField("参会人员", blank=True,
                                         help_text="如：被巡察单位领导班子成员、中层干部及全体在编人员")
    plan_approved_at = models.DateTimeField("方案审批时间", null=True, blank=True)
    plan_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="方案审批人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")

    # 巡察公告 (seed 001 / 004)
    ann_phone = models.CharField("值班电话", max_length=50, blank=True)
    ann_postbox = models.CharField("邮政信箱", max_length=100, blank=True)
    ann_email = models.CharField("电子邮箱", max_length=100, blank=True)
    ann_letterbox_place = models.CharField("举报信箱设置地点", max_length=200, blank=True)
    ann_hours = models.CharField("受理时间", max_length=100, blank=True, default="上午8:30至下午17:30")
    ann_reception_place = models.CharField("接访地点", max_length=200, blank=True)
    announcement_published_at = models.DateTimeField("公告发布时间", null=True, blank=True)

    # 巡察报告 / 反馈
    report_text = models.TextField("巡察报告摘要", blank=True)
    report_submitted_at = models.DateTimeField("报告报送时间", null=True, blank=True)
    report_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报告报送人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    report_approved_at = models.DateTimeField("报告审定时间", null=True, blank=True)
    report_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报告审定人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    feedback_signed_at = models.DateTimeField("反馈签收时间", null=True, blank=True)
    feedback_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签收人账号", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    feedback_signer_name = models.CharField("签收的主要负责人", max_length=50, blank=True)

    class Meta:
        verbose_name = "巡察轮次"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-number", "jurisdiction_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "year", "number"], name="round_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TeamMembership(models.Model):
    """巡察组成员: a user's place in one round's team."""

    class TeamRole(models.TextChoices):
        LEADER = "leader", "组长"
        DEPUTY = "deputy", "副组长"
        MEMBER = "member", "成员"
        LIAISON = "liaison", "联络员"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships"
    )
    team_role = models.CharField("组内职务", max_length=10, choices=TeamRole.choices)

    class Meta:
        verbose_name = "巡察组成员"
        verbose_name_plural = verbose_name
        ordering = ["round_id", "team_role", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="team_unique_member"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_team_role_display()} {self.user}"

    @property
    def is_leading(self) -> bool:
        return self.team_role in (self.TeamRole.LEADER, self.TeamRole.DEPUTY)


class StageChange(models.Model):
    """阶段变更记录: when a round entered a stage, and who moved it (for the timeline)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField("原阶段", max_length=20, choices=Round.Stage.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=20, choices=Round.Stage.choices)
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "阶段变更记录"
        verbose_name_plural = verbose_name
        ordering = ["round_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.round} → {self.get_to_stage_display()}"


class WorkLog(models.Model):
    """工作日志: what a team member did on one day (seed 000: 截至25日9县开展工作情况)."""

    class WorkType(models.TextChoices):
        STUDY = "study", "学习"
        INVESTIGATION = "investigation", "调查/走访"
        DOCUMENTS = "documents", "查阅资料"
        TALKS = "talks", "座谈/个别谈话"
        DATA_COMPARE = "data_compare", "数据比对"
        SURVEY = "survey", "问卷测评"
        MEETING = "meeting", "召开会议"
        CLUES = "clues", "调取问题线索"
        PETITION = "petition", "受理信访"
        OTHER = "other", "其他"

    round = models.ForeignKey(Round, verbose_name="巡察轮次", on_delete=models.CASCADE,
                              related_name="work_logs")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                               related_name="+")
    date = models.DateField("日期")
    work_type = models.CharField("工作类型", max_length=20, choices=WorkType.choices)
    content = models.TextField("工作内容")
    people_talked = models.PositiveIntegerField("谈话/走访人数", default=0)
    forms_issued = models.PositiveIntegerField("发放问卷/表格份数", default=0)
    forms_returned = models.PositiveIntegerField("收回份数", default=0)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作日志"
        verbose_name_plural = verbose_name
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_work_type_display()}"


class Inquiry(models.Model):
    """函询: a request to 纪检/组织/政法/审计/信访 for existing clues about the inspected units."""

    class Recipient(models.TextChoices):
        DISCIPLINE = "discipline", "纪检监察机关"
        ORGANIZATION = "organization", "组织部门"
        LEGAL = "legal", "政法部门"
        AUDIT = "audit", "审计部门"
        PETITION = "petition", "信访部门"

    round = models.ForeignKey(Round, verbose_name="巡察轮次", on_delete=models.CASCADE,
                              related_name="inquiries")
    recipient = models.CharField("函询对象", max_length=20, choices=Recipient.choices)
    recipient_org = models.ForeignKey(Organization, verbose_name="函询单位", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    subject = models.CharField("函询事项", max_length=200)
    sent_on = models.DateField("发函日期")
    due_days = models.PositiveIntegerField("回复时限（工作日）", default=5)
    due_on = models.DateField("回复期限")
    due_estimated = models.BooleanField("期限按周末估算", default=False)
    replied_on = models.DateField("回复日期", null=True, blank=True)
    reply = models.TextField("回复情况", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "函询"
        verbose_name_plural = verbose_name
        ordering = ["round_id", "sent_on", "pk"]

    def __str__(self) -> str:
        return f"致{self.get_recipient_display()}：{self.subject}"

    def is_overdue(self, today=None) -> bool:
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.replied_on is None and today > self.due_on


class RecordCounter(models.Model):
    """编号计数器: the last serial given to one kind of record (信访件、问题线索 …) of a round.

    Locked while a number is given (``rounds.numbering.next_serial``), so serials are gapless and
    never given twice, also under concurrent requests on PostgreSQL.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="record_counters")
    kind = models.CharField("记录种类", max_length=20)
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "编号计数器"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["round", "kind"], name="record_counter_unique")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.kind}: {self.last}"


class RecusalException(models.Model):
    """回避例外: the office lets a cadre serve on a round's team despite a conflict, and says why."""

    round = models.ForeignKey(Round, verbose_name="巡察轮次", on_delete=models.CASCADE,
                              related_name="recusal_exceptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="干部", on_delete=models.PROTECT,
                             related_name="+")
    conflicts = models.TextField("回避情形")
    reason = models.TextField("例外理由")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "回避例外"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="recusal_exception_unique")]

    def __str__(self) -> str:
        return f"{self.round} · {self.user}"

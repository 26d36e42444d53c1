"""整改督办 (seed 002: 制定整改措施、提交整改报告、回访、追责; 问责清单和整改台账，实行销号制).

After the unit's head signed the feedback (``reports.Feedback``), the unit files its 整改方案:
per problem of the feedback the measures, the responsible leader and person, the deadline and the
specific points (具体问题). The office accepts it or returns it with comments ("不合格的要退回重来");
every filed version is kept (``PlanVersion`` / ``PlanMeasure``). Acceptance opens the 整改台账:
one ``Item`` per problem and specific point, closed (销号) only when the office approves; a 销号
request the office finds to be 虚假整改 gets a red card. Around the ledger: 追责问责 (``Accountability``),
建章立制 (``RuleMade``), the two 整改报告 (``RectReport``), 回访 (``Visit``), the 整改情况公开 text
(``Disclosure``) and reminders (``Reminder``, sent once each).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xuncha.findings.models import Problem
from xuncha.reports.models import Feedback

User = settings.AUTH_USER_MODEL


class Plan(models.Model):
    """整改方案: one per feedback (per inspected unit of a round)."""

    class Status(models.TextChoices):
        NOT_FILED = "not_filed", "未报送"
        SUBMITTED = "submitted", "待巡察办审核"
        RETURNED = "returned", "已退回修改"
        ACCEPTED = "accepted", "已审核通过"

    feedback = models.OneToOneField(Feedback, verbose_name="反馈意见", on_delete=models.PROTECT,
                                    related_name="rect_plan")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.NOT_FILED)
    accepted_at = models.DateTimeField("审核通过时间", null=True, blank=True)

    class Meta:
        verbose_name = "整改方案"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.feedback.unit}整改方案"


class PlanVersion(models.Model):
    """整改方案的一稿: as filed by the unit, with the office's decision on it; never changed after."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "待审核"
        RETURNED = "returned", "退回修改"
        ACCEPTED = "accepted", "审核通过"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("稿次")
    note = models.TextField("修改说明", blank=True)
    submitted_by = models.ForeignKey(User, verbose_name="报送人", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField("报送时间", auto_now_add=True)
    outcome = models.CharField("审核结果", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    comments = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(User, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "整改方案版本"
        verbose_name_plural = verbose_name
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="rect_plan_version_unique")]

    def __str__(self) -> str:
        return f"整改方案第{self.number}稿"


class PlanMeasure(models.Model):
    """整改措施: one problem's measures in one version of the plan."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="measures")
    problem = models.ForeignKey(Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="+")
    points = models.TextField("具体问题", blank=True, help_text="每行一个具体问题；不填则整个问题为一项。")
    measures = models.TextField("整改措施")
    leader = models.CharField("责任领导", max_length=50)
    person = models.CharField("责任人", max_length=50)
    deadline = models.DateField("整改时限")
    deadline_estimated = models.BooleanField("整改时限按周末估算", default=False)

    class Meta:
        verbose_name = "整改措施"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "problem__number"]

    def __str__(self) -> str:
        return f"问题{self.problem.number}整改措施"

    def point_list(self) -> list[str]:
        return [line.strip() for line in self.points.splitlines() if line.strip()]


class Item(models.Model):
    """整改台账的一行: one problem and specific point (销号制)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "未启动"
        IN_PROGRESS = "in_progress", "整改中"
        REQUESTED = "requested", "申请销号"
        CLOSED = "closed", "已销号"
        RETURNED = "returned", "退回"

    class Result(models.TextChoices):
        DONE = "done", "整改到位"
        BASIC = "basic", "基本整改到位"
        NOT_DONE = "not_done", "未整改到位"

    feedback = models.ForeignKey(Feedback, verbose_name="反馈意见", on_delete=models.PROTECT,
                                 related_name="rect_items")
    problem = models.ForeignKey(Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="rect_items")
    point_no = models.PositiveIntegerField("具体问题序号", default=1)
    point = models.TextField("具体问题", blank=True)
    measures = models.TextField("整改措施")
    leader = models.CharField("责任领导", max_length=50)
    person = models.CharField("责任人", max_length=50)
    deadline = models.DateField("整改时限")
    deadline_estimated = models.BooleanField("整改时限按周末估算", default=False)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    result = models.CharField("整改结果", max_length=10, choices=Result.choices, blank=True)
    progress = models.TextField("整改进展", blank=True)
    amount_to_recover = models.DecimalField("应追缴/挽回金额（元）", max_digits=16, decimal_places=2, default=0)
    amount_recovered = models.DecimalField("已追缴/挽回金额（元）", max_digits=16, decimal_places=2, default=0)
    red_cards = models.PositiveIntegerField("虚假整改红牌次数", default=0)
    red_card_open = models.BooleanField("虚假整改未纠正", default=False)
    requested_at = models.DateTimeField("申请销号时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closed_by = models.ForeignKey(User, verbose_name="销号审核人", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "整改台账"
        verbose_name_plural = verbose_name
        ordering = ["feedback_id", "problem__number", "point_no"]
        constraints = [models.UniqueConstraint(fields=["feedback", "problem", "point_no"],
                                               name="rect_item_unique_point")]

    def __str__(self) -> str:
        return f"问题{self.problem.number}-{self.point_no}"

    @property
    def code(self) -> str:
        return f"{self.problem.number}-{self.point_no}"


class Evidence(models.Model):
    """整改佐证材料 of a ledger row."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="evidence")
    file = models.ForeignKey("files.StoredFile", verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(User, verbose_name="上传人", null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改佐证材料"
        verbose_name_plural = verbose_name
        ordering = ["item_id", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item}佐证材料"


class ItemEvent(models.Model):
    """办理记录 of a ledger row: progress, 销号 request, approval, return, red card."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "报告进展"
        REQUEST = "request", "申请销号"
        APPROVE = "approve", "同意销号"
        RETURN = "return", "退回"
        RED_CARD = "red_card", "虚假整改（红牌）"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=10, choices=Kind.choices)
    comments = models.TextField("说明或意见", blank=True)
    result = models.CharField("整改结果", max_length=10, choices=Item.Result.choices, blank=True)
    actor = models.ForeignKey(User, verbose_name="办理人", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改办理记录"
        verbose_name_plural = verbose_name
        ordering = ["item_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item} {self.get_kind_display()}"


class Registered(models.Model):
    """A record registered against a feedback's rectification: who entered it and when (登记人、登记时间)."""

    created_by = models.ForeignKey(User, verbose_name="登记人", null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        abstract = True


class Accountability(Registered):
    """追责问责: a person held accountable (name, position, measure, 四种形态)."""

    class Form(models.TextChoices):
        FIRST = "1", "第一种形态"
        SECOND = "2", "第二种形态"
        THIRD = "3", "第三种形态"
        FOURTH = "4", "第四种形态"

    feedback = models.ForeignKey(Feedback, verbose_name="反馈意见", on_delete=models.PROTECT,
                                 related_name="rect_accountability")
    item = models.ForeignKey(Item, verbose_name="台账条目", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="accountability")
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=100)
    measure = models.CharField("处理措施", max_length=200)
    form = models.CharField("四种形态", max_length=2, choices=Form.choices)
    decided_on = models.DateField("处理日期")

    class Meta:
        verbose_name = "追责问责"
        verbose_name_plural = verbose_name
        ordering = ["feedback_id", "decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.position}）"


class RuleMade(Registered):
    """建章立制: a rule or system the unit made while rectifying."""

    feedback = models.ForeignKey(Feedback, verbose_name="反馈意见", on_delete=models.PROTECT,
                                 related_name="rect_rules")
    item = models.ForeignKey(Item, verbose_name="台账条目", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="rules")
    title = models.CharField("制度名称", max_length=200)
    doc_no = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("印发日期")

    class Meta:
        verbose_name = "建章立制"
        verbose_name_plural = verbose_name
        ordering = ["feedback_id", "issued_on", "pk"]

    def __str__(self) -> str:
        return self.title


class RectReport(models.Model):
    """整改落实情况报告 / 主要负责人履行整改第一责任人职责情况报告: each version kept."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "整改落实情况报告"
        HEAD = "head", "主要负责人履行整改第一责任人职责情况报告"

    class Source(models.TextChoices):
        GENERATED = "generated", "按台账生成"
        UPLOAD = "upload", "上传"

    feedback = models.ForeignKey(Feedback, verbose_name="反馈意见", on_delete=models.PROTECT,
                                 related_name="rect_reports")
    kind = models.CharField("报告", max_length=10, choices=Kind.choices)
    number = models.PositiveIntegerField("稿次")
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    file = models.ForeignKey("files.StoredFile", verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(User, verbose_name="报送人", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField("报送时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改报告"
        verbose_name_plural = verbose_name
        ordering = ["feedback_id", "kind", "number"]
        constraints = [models.UniqueConstraint(fields=["feedback", "kind", "number"], name="rect_report_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}第{self.number}稿"


class Visit(Registered):
    """回访: the office's follow-up visit and its conclusion."""

    class Conclusion(models.TextChoices):
        DONE = "done", "整改到位"
        BASIC = "basic", "基本整改到位"
        NOT_DONE = "not_done", "整改不到位，继续督办"

    feedback = models.ForeignKey(Feedback, verbose_name="反馈意见", on_delete=models.PROTECT,
                                 related_name="rect_visits")
    visited_on = models.DateField("回访日期")
    visitors = models.CharField("回访人员", max_length=200)
    findings = models.TextField("回访情况")
    conclusion = models.CharField("回访结论", max_length=10, choices=Conclusion.choices)

    class Meta:
        verbose_name = "回访"
        verbose_name_plural = verbose_name
        ordering = ["feedback_id", "visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.visited_on}回访"


class Disclosure(models.Model):
    """整改情况公开: the text for publication (开门整改，整改问题要全程公开)."""

    feedback = models.OneToOneField(Feedback, verbose_name="反馈意见", on_delete=models.PROTECT,
                                    related_name="rect_disclosure")
    text = models.TextField("公开文本")
    published_at = models.DateTimeField("公开时间", null=True, blank=True,
                                        help_text="巡察办公开发布的时间；单位修改文本后须重新发布。")
    published_by = models.ForeignKey(User, verbose_name="发布人", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    updated_by = models.ForeignKey(User, verbose_name="修改人", null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "整改情况公开"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.feedback.unit}整改情况公开"


class Reminder(models.Model):
    """提醒: sent once (in the app and by e-mail) per deadline, kind and due date."""

    class Kind(models.TextChoices):
        PLAN_SOON = "plan_soon", "整改方案即将到期"
        PLAN_OVERDUE = "plan_overdue", "整改方案已逾期"
        REPORT_SOON = "report_soon", "整改落实情况报告即将到期"
        REPORT_OVERDUE = "report_overdue", "整改落实情况报告已逾期"
        ITEM_SOON = "item_soon", "整改事项即将到期"
        ITEM_OVERDUE = "item_overdue", "整改事项已逾期"

    feedback = models.ForeignKey(Feedback, verbose_name="反馈意见", on_delete=models.CASCADE,
                                 related_name="rect_reminders")
    item = models.ForeignKey(Item, verbose_name="台账条目", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="reminders")
    kind = models.CharField("提醒事项", max_length=16, choices=Kind.choices)
    due = models.DateField("期限")
    text = models.CharField("提醒内容", max_length=300)
    recipients = models.TextField("收件人", blank=True)
    emailed = models.BooleanField("已发送邮件", default=False)
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改提醒"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["feedback", "item", "kind", "due"],
                                               name="rect_reminder_once"),
                       models.UniqueConstraint(fields=["feedback", "kind", "due"],
                                               condition=models.Q(item__isnull=True),
                                               name="rect_reminder_once_feedback")]

    def __str__(self) -> str:
        return self.text

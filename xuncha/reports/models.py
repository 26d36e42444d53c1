"""巡察报告 and 反馈意见 (seed 001: 巡察汇报阶段, 巡察反馈阶段 — 双反馈和签收制).

- ``Report``: the round's 巡察报告 with its approval state (组长报送 → 巡察办审核 → 领导小组审批 →
  书记专题会议审议), every version kept (``ReportVersion``);
- ``Review``: 审批记录 — each submission, approval and return with its written opinion, for the
  工作方案 and for the 巡察报告;
- ``Feedback``: the feedback to one inspected unit: the head briefed first (双反馈), the issued text,
  the head's 签收 with his own account, the 签收回执 and the rectification clocks.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xuncha.orgs.models import Organization
from xuncha.rounds.models import Round


class Rating(models.TextChoices):
    """评价等次 (巡察总体评价表)."""

    GOOD = "good", "好"
    FAIR_GOOD = "fair_good", "较好"
    FAIR = "fair", "一般"
    POOR = "poor", "差"


class Report(models.Model):
    """巡察报告: one per round; the team edits the draft in Word and uploads versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", "起草中"
        OFFICE_REVIEW = "office_review", "待巡察办审核"
        LEADERSHIP_REVIEW = "leadership_review", "待领导小组审批"
        MEETING = "meeting", "待书记专题会议审议"
        APPROVED = "approved", "已审定"
        RETURNED = "returned", "已退回修改"

    round = models.OneToOneField(Round, verbose_name="巡察轮次", on_delete=models.PROTECT, related_name="report")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    current_version = models.ForeignKey("ReportVersion", verbose_name="报送的版本", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    suggestions = models.TextField("意见建议", blank=True,
                                   help_text="处理和整改意见建议，每行一条；写入巡察报告和综合性汇报材料。")
    evaluation = models.JSONField("各项评价等次", default=dict, blank=True)
    overall_rating = models.CharField("总体评价等次", max_length=12, choices=Rating.choices, blank=True)
    overall_comment = models.TextField("总体评价", blank=True)
    meeting_date = models.DateField("书记专题会议日期", null=True, blank=True)
    minute_no = models.CharField("会议纪要编号", max_length=60, blank=True)
    decided_at = models.DateTimeField("审议结果登记时间", null=True, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "巡察报告"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.round} · 巡察报告"


class ReportVersion(models.Model):
    """巡察报告的一个版本: who uploaded it and when; never overwritten."""

    class Source(models.TextChoices):
        DRAFT = "draft", "系统生成草稿"
        UPLOAD = "upload", "上传"

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    file = models.ForeignKey("files.StoredFile", verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    note = models.CharField("修改说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "巡察报告版本"
        verbose_name_plural = verbose_name
        ordering = ["report_id", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"第{self.number}稿"


class Review(models.Model):
    """审批记录: a submission, approval or return (with its written opinion) of a plan or a report."""

    class Subject(models.TextChoices):
        PLAN = "plan", "巡察工作方案"
        REPORT = "report", "巡察报告"

    class Step(models.TextChoices):
        TEAM = "team", "巡察组报送"
        OFFICE = "office", "巡察办"
        LEADERSHIP = "leadership", "领导小组"
        MEETING = "meeting", "书记专题会议"

    class Outcome(models.TextChoices):
        SUBMITTED = "submitted", "报送"
        APPROVED = "approved", "同意"
        RETURNED = "returned", "退回修改"
        DECIDED = "decided", "审议同意"

    round = models.ForeignKey(Round, verbose_name="巡察轮次", on_delete=models.PROTECT, related_name="reviews")
    subject = models.CharField("审批事项", max_length=10, choices=Subject.choices)
    step = models.CharField("环节", max_length=12, choices=Step.choices)
    outcome = models.CharField("结果", max_length=12, choices=Outcome.choices)
    comments = models.TextField("意见", blank=True)
    version = models.ForeignKey(ReportVersion, verbose_name="版本", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="reviews")
    meeting_date = models.DateField("会议日期", null=True, blank=True)
    minute_no = models.CharField("会议纪要编号", max_length=60, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审批记录"
        verbose_name_plural = verbose_name
        ordering = ["round_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} · {self.get_step_display()}{self.get_outcome_display()}"


class Feedback(models.Model):
    """反馈意见: the feedback of one round to one inspected unit's Party organisation.

    双反馈: the unit's head is briefed first (a separate note on the leadership's problems and his
    own); "除其本人的问题外" the rest goes to the organisation. The head (被巡察单位主要负责人) reads
    it in the unit's own pages and signs for it with his own account (签收); the rectification
    clocks start then on the working-day calendar: 整改方案 within 10 working days,
    整改落实情况报告 within 2 months (seed 001).
    """

    round = models.ForeignKey(Round, verbose_name="巡察轮次", on_delete=models.PROTECT, related_name="feedbacks")
    unit = models.ForeignKey(Organization, verbose_name="被巡察单位", on_delete=models.PROTECT,
                             related_name="feedbacks")
    issued_at = models.DateTimeField("反馈时间", null=True, blank=True)
    head_briefed_at = models.DateTimeField("向主要负责人通报时间", null=True, blank=True)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签收人账号", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField("签收人", max_length=50, blank=True)
    plan_due = models.DateField("整改方案报送期限", null=True, blank=True)
    plan_due_estimated = models.BooleanField("整改方案期限按周末估算", default=False)
    report_due = models.DateField("整改落实情况报告期限", null=True, blank=True)
    report_due_estimated = models.BooleanField("整改报告期限按周末估算", default=False)
    # 双反馈 and what was issued (kept as issued, whatever changes later)
    head_briefed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="通报人", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    head_content = models.JSONField("向主要负责人通报的内容", default=dict, blank=True)
    head_note = models.ForeignKey("files.StoredFile", verbose_name="主要负责人通报材料", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="反馈人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    content = models.JSONField("反馈意见内容", default=dict, blank=True)
    document = models.ForeignKey("files.StoredFile", verbose_name="反馈意见文件", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField("主要负责人阅读时间", null=True, blank=True)
    receipt = models.ForeignKey("files.StoredFile", verbose_name="签收回执", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "反馈意见"
        verbose_name_plural = verbose_name
        ordering = ["round_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="feedback_unique_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · 向{self.unit}反馈"

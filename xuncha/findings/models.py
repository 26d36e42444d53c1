"""The round's problem list (问题清单): problems confirmed by a person.

DESIGN.md: "Nothing is a problem until a person confirms it." A problem comes from a 数据比对疑点
that a team member confirmed (核实), from a 问题线索, or is entered by hand from talks, documents,
visits and surveys. The report (巡察报告), the feedback (反馈意见) and the rectification ledger
(整改台账) all stand on this list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xuncha.orgs.models import Organization
from xuncha.rounds.models import Category, Round


class Problem(models.Model):
    """问题: one entry of a round's 问题清单."""

    class Source(models.TextChoices):
        SUSPICION = "suspicion", "数据比对疑点"
        CLUE = "clue", "问题线索"
        MANUAL = "manual", "人工登记"

    class FoundBy(models.TextChoices):
        DATA = "data", "数据比对"
        PETITION = "petition", "信访举报"
        TALK = "talk", "谈话了解"
        DOCUMENTS = "documents", "调阅资料"
        VISIT = "visit", "走访调查"
        SURVEY = "survey", "问卷测评"
        OTHER = "other", "其他"

    class Severity(models.TextChoices):
        GENERAL = "general", "一般"
        SERIOUS = "serious", "较重"
        GRAVE = "grave", "严重"

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "已确认"
        WITHDRAWN = "withdrawn", "已撤销"

    round = models.ForeignKey(Round, verbose_name="巡察轮次", on_delete=models.PROTECT, related_name="problems")
    number = models.PositiveIntegerField("序号")
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    found_by = models.CharField("发现方式", max_length=12, choices=FoundBy.choices, default=FoundBy.OTHER)
    rule_code = models.CharField("比对规则", max_length=20, blank=True,
                                 help_text="来自数据比对疑点的问题：命中的规则编号，如 R03")
    category = models.ForeignKey(Category, verbose_name="问题类别", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="problems")
    title = models.CharField("问题概述", max_length=200)
    description = models.TextField("问题事实", blank=True)
    responsible_unit = models.ForeignKey(Organization, verbose_name="责任单位", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="problems")
    responsible_person = models.CharField("责任人", max_length=100, blank=True)
    concerns_head = models.BooleanField(
        "涉及主要负责人本人", default=False,
        help_text="双反馈：向主要负责人单独通报；除其本人的问题外，其他问题向党组织反馈")
    concerns_leadership = models.BooleanField("涉及领导班子成员", default=False)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    amount = models.DecimalField("涉及金额（元）", max_digits=16, decimal_places=2, default=0)
    amount_to_recover = models.DecimalField("应追缴/挽回金额（元）", max_digits=16, decimal_places=2, default=0)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    evidence = models.ManyToManyField("files.StoredFile", verbose_name="证据材料", blank=True,
                                      related_name="+")
    source_clue = models.ForeignKey("clues.Clue", verbose_name="来源问题线索", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="problems")
    referred_clue = models.OneToOneField("clues.Clue", verbose_name="转为问题线索", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="from_problem")
    withdrawn_reason = models.TextField("撤销理由", blank=True)
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撤销人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题清单"
        ordering = ["round_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="problem_unique_number"),
        ]

    def __str__(self) -> str:
        return f"问题{self.number}：{self.title}"


class OnSiteRectification(models.Model):
    """边巡边改: a small problem the unit corrects during the round, on a written suggestion (整改建议书).

    Seed 001 (进驻阶段): 对巡察中发现的立行立改问题，经巡察工作领导小组同意，向被巡察单位提出书面整改建议。
    A team member proposes it; the leading group's consent is recorded (who, when, which document);
    only then may the problem be marked 边巡边改 and the suggestion (.docx) issued.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待领导小组同意"
        CONSENTED = "consented", "领导小组已同意"
        ISSUED = "issued", "已出具整改建议书"

    problem = models.OneToOneField(Problem, verbose_name="问题", on_delete=models.CASCADE, related_name="on_site")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PROPOSED)
    proposal = models.TextField("适用边巡边改的理由")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField("提出时间", auto_now_add=True)
    consent_by = models.CharField("同意人（领导小组）", max_length=100, blank=True)
    consent_on = models.DateField("同意日期", null=True, blank=True)
    consent_document = models.CharField("同意依据（文件或会议纪要编号）", max_length=100, blank=True)
    consent_file = models.ForeignKey("files.StoredFile", verbose_name="同意文件", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                            blank=True, on_delete=models.SET_NULL, related_name="+")
    consent_recorded_at = models.DateTimeField("登记时间", null=True, blank=True)
    requirement = models.TextField("整改要求", blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True)
    deadline_estimated = models.BooleanField("期限按周末估算", default=False)
    suggestion = models.ForeignKey("files.StoredFile", verbose_name="整改建议书", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="出具人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField("出具时间", null=True, blank=True)

    class Meta:
        verbose_name = "边巡边改"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"边巡边改：{self.problem}"

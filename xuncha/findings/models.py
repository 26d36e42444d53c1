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

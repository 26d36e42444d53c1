"""巡察报告 and 反馈意见 (seed 001: 巡察汇报阶段, 巡察反馈阶段 — 双反馈和签收制)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xuncha.orgs.models import Organization
from xuncha.rounds.models import Round


class Feedback(models.Model):
    """反馈意见: the feedback of one round to one inspected unit's Party organisation.

    The unit's head (被巡察单位主要负责人) reads it in the unit's own pages and signs for it with his
    own account (签收); the rectification clocks start then on the working-day calendar: 整改方案
    within 10 working days, 整改落实情况报告 within 2 months (seed 001).
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

    class Meta:
        verbose_name = "反馈意见"
        verbose_name_plural = verbose_name
        ordering = ["round_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="feedback_unique_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · 向{self.unit}反馈"

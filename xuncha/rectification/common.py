"""Shared guards of the rectification services."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from xuncha.reports.models import Feedback
from xuncha.rounds.guards import require_open
from xuncha.rounds.models import Round

S = Round.Stage
OPEN_STAGES = (S.FEEDBACK, S.RECTIFICATION)


def lock_feedback(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().select_related("round__jurisdiction", "unit").get(pk=feedback.pk)


def require_rectifying(feedback: Feedback) -> None:
    """Rectification runs from the head's 签收 until 归档."""
    require_open(feedback.round)
    if feedback.signed_at is None:
        raise ValidationError("反馈意见尚未由主要负责人签收，整改尚未开始。")
    if feedback.round.stage not in OPEN_STAGES:
        raise ValidationError(f"本轮巡察当前处于“{feedback.round.get_stage_display()}”阶段，不能办理整改。")


def clean_text(value, label: str, *, required: bool = True, max_length: int = 5000) -> str:
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError(f"请填写“{label}”。")
    if len(text) > max_length:
        raise ValidationError(f"“{label}”不能超过{max_length}个字。")
    return text

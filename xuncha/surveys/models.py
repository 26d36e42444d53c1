"""问卷调查、民主测评、征求意见与知晓率调查 (seed 000, seed 001: 进行问卷调查、民主测评，广泛征求意见).

A questionnaire (``Survey``) is either a template (``round`` empty: shipped with the platform or an
office's own) or a round's questionnaire copied from a template. Answers come in online, through
one-time codes (``Code``), or from paper forms typed in by staff.

Anonymity (written down in the README): a ``Response`` holds no user, no address, no code and only
the day it arrived; its key is a random UUID, so the order of arrival cannot be read from it either.
A ``Code`` keeps only the SHA-256 of the code and the day it was used, never a name or a response.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from xuncha.orgs.models import Jurisdiction
from xuncha.rounds.models import Round


class Survey(models.Model):
    """问卷: a template (no round) or the questionnaire of one round."""

    class Kind(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", "问卷调查"
        OPINION = "opinion", "征求意见"
        EVALUATION = "evaluation", "民主测评"
        AWARENESS = "awareness", "知晓率调查"

    class Status(models.TextChoices):
        DRAFT = "draft", "准备中"
        OPEN = "open", "收集中"
        CLOSED = "closed", "已结束"

    round = models.ForeignKey(Round, verbose_name="巡察轮次", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="surveys")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="所属区域（空为随系统提供）", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    builtin = models.BooleanField("随系统提供", default=False)
    code = models.CharField("模板代码", max_length=40, blank=True,
                            help_text="随系统提供的模板的代码，用于按需重新载入")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.QUESTIONNAIRE)
    title = models.CharField("标题", max_length=200)
    intro = models.TextField("说明", blank=True, help_text="印在问卷开头，如填写说明、匿名承诺")
    groups = models.JSONField("调查对象类别", default=list, blank=True,
                              help_text="如：班子成员、中层干部、一般干部、群众")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # what has already gone into the round's 工作日志 (forms issued / returned)
    logged_issued = models.PositiveIntegerField("已记入工作日志的发放份数", default=0)
    logged_returned = models.PositiveIntegerField("已记入工作日志的收回份数", default=0)
    paper_issued = models.PositiveIntegerField("发放纸质问卷份数", default=0)
    # the random token of the last “打印一次性码” form: the same form sent again prints no second batch
    last_codes_token = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = "问卷"
        verbose_name_plural = verbose_name
        ordering = ["round_id", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_template(self) -> bool:
        return self.round_id is None

    @property
    def rate_label(self) -> str:
        """What the share of favourable answers is called for this kind of questionnaire."""
        return {self.Kind.AWARENESS: "知晓率", self.Kind.EVALUATION: "好评率（好、较好）"}.get(self.kind, "满意度")


class Question(models.Model):
    """问题: one question of a questionnaire."""

    class Kind(models.TextChoices):
        SINGLE = "single", "单选"
        MULTIPLE = "multiple", "多选"
        RATING = "rating", "评价等级"
        TEXT = "text", "文字"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField("顺序", default=0)
    text = models.CharField("题目", max_length=500)
    kind = models.CharField("题型", max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    required = models.BooleanField("必答", default=True)
    options = models.JSONField("选项", default=list, blank=True)
    positive = models.JSONField("计入知晓率/满意度的选项", default=list, blank=True,
                                help_text="选项序号（从 0 起）；评价等级默认前两项（好、较好）")
    per_member = models.BooleanField("对每位班子成员各设一题", default=False,
                                     help_text="模板中使用：建到轮次时按被巡察单位的领导班子名单展开")

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = verbose_name
        ordering = ["survey_id", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind != self.Kind.TEXT

    @property
    def has_rate(self) -> bool:
        return self.has_options and bool(self.positive)


class Code(models.Model):
    """一次性码: one slip, one answer. Only the SHA-256 of the code is kept, and only the day of use."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField("码的 SHA-256", max_length=64, unique=True)
    batch = models.PositiveIntegerField("批次")
    issued_on = models.DateField("打印日期")
    used_on = models.DateField("使用日期", null=True, blank=True)
    voided = models.BooleanField("已作废", default=False)

    class Meta:
        verbose_name = "一次性码"
        verbose_name_plural = verbose_name
        ordering = ["survey_id", "batch", "pk"]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.batch}"


class Response(models.Model):
    """答卷: one returned form. No person, no address, no code; the day only."""

    class Channel(models.TextChoices):
        ONLINE = "online", "网上（一次性码）"
        PAPER = "paper", "纸质录入"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField("调查对象类别", max_length=50, blank=True)
    channel = models.CharField("方式", max_length=10, choices=Channel.choices)
    received_on = models.DateField("收回日期")
    # paper entry: a random token of the entry form, so a form sent twice is stored once
    entry_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = verbose_name
        ordering = ["survey_id", "received_on"]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.received_on}"


class Answer(models.Model):
    """回答: the answer of one returned form to one question (chosen option numbers, or text)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.JSONField("所选选项", default=list, blank=True)
    text = models.TextField("文字回答", blank=True)

    class Meta:
        verbose_name = "回答"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_unique_question")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choices or self.text[:20]}"


class Throttle(models.Model):
    """频率记录: one attempt from an address (keyed hash), kept for an hour, never linked to an answer."""

    key = models.CharField(max_length=80, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "问卷提交频率记录"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.key

"""Petitions and reports (信访举报) received by a round's team, and their 受理登记台账.

The reporter's identity (姓名、电话、身份证号、地址) is kept only as ciphertext (``identity_token``);
duplicates are found by keyed hashes (``phone_digest``, ``id_digest``) without decrypting.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xuncha.rounds import numbering
from xuncha.rounds.models import Category, Round


class Petition(models.Model):
    """信访举报件: one letter, call, visit, e-mail, online report or referral."""

    class Channel(models.TextChoices):
        ONLINE = "online", "网上举报"
        LETTER = "letter", "来信"
        PHONE = "phone", "来电"
        VISIT = "visit", "来访"
        EMAIL = "email", "邮件"
        REFERRAL = "referral", "上级转办"

    class Status(models.TextChoices):
        RECEIVED = "received", "已受理"
        TRIAGED = "triaged", "已研判"
        CLUE = "clue", "已转问题线索"
        CLOSED = "closed", "已办结"

    round = models.ForeignKey(Round, verbose_name="巡察轮次", on_delete=models.PROTECT,
                              related_name="petitions")
    serial_year = models.PositiveIntegerField("受理年度")
    serial_no = models.PositiveIntegerField("受理序号")
    channel = models.CharField("来源方式", max_length=10, choices=Channel.choices)
    received_on = models.DateField("受理日期")
    anonymous = models.BooleanField("匿名", default=True)
    identity_token = models.TextField("反映人身份（密文）", blank=True)
    phone_digest = models.CharField("电话指纹", max_length=64, blank=True, db_index=True)
    id_digest = models.CharField("身份证号指纹", max_length=64, blank=True, db_index=True)
    subject_name = models.CharField("被反映人/单位", max_length=100)
    subject_title = models.CharField("职务", max_length=100, blank=True)
    concerns_leadership = models.BooleanField(
        "反映被巡察党组织领导班子及其成员", default=False,
        help_text="反映领导班子及其成员的问题不得转交被巡察党组织办理。")
    category = models.ForeignKey(Category, verbose_name="问题类别", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    content = models.TextField("反映内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RECEIVED)
    handling = models.TextField("办理情况", blank=True)
    remarks = models.CharField("备注", max_length=200, blank=True)
    receipt_code = models.CharField("查询码", max_length=20, unique=True)
    secret_hash = models.CharField("查询密码（哈希）", max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "信访举报件"
        verbose_name_plural = verbose_name
        ordering = ["round_id", "serial_no"]
        constraints = [
            models.UniqueConstraint(fields=["round", "serial_no"], name="petition_unique_serial"),
        ]

    def __str__(self) -> str:
        return f"信访举报件 {self.serial}"

    @property
    def serial(self) -> str:
        """受理编号, e.g. 安康市XF2026-1-003 (see ``rounds.numbering``)."""
        return numbering.code(self.round, "petition", self.serial_no)

    code = serial


class Attachment(models.Model):
    """附件: stored under MEDIA_ROOT with a random name; served only through a checked view."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField("存储名", max_length=80, unique=True)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveIntegerField("大小")
    from_reporter = models.BooleanField("反映人提交", default=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = verbose_name
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Message(models.Model):
    """往来记录: a reply to the reporter, the reporter's added information, or an internal 研判 note."""

    class Kind(models.TextChoices):
        REPLY = "reply", "答复反映人"
        SUPPLEMENT = "supplement", "反映人补充"
        TRIAGE = "triage", "研判意见"

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    text = models.TextField("内容")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填写人", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "往来记录"
        verbose_name_plural = verbose_name
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class Link(models.Model):
    """重复件关联: the same person or matter reported again."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="links")
    other = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("关联原因", max_length=100)
    score = models.PositiveIntegerField("相似度", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "重复件关联"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["petition", "other"], name="petition_link_unique")]

    def __str__(self) -> str:
        return f"{self.petition_id} ~ {self.other_id}"

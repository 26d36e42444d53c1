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

"""Organisations, users and roles (组织、用户与角色).

A city (市) has counties/districts (县/区) below it; each jurisdiction has its own 巡察办, 纪委监委
and units that can be inspected. Every user belongs to exactly one organisation and holds roles.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Jurisdiction(models.Model):
    """行政区域 / 党委: a city or county whose Party committee runs inspection rounds."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县/区"

    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    code = models.CharField("行政区划代码", max_length=12, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = "行政区域"
        verbose_name_plural = verbose_name
        ordering = ["level", "code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="jurisdiction_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def committee_name(self) -> str:
        """党委名称, e.g. 中共石泉县委."""
        if self.name.endswith(("市", "县", "区", "旗")):
            return f"中共{self.name}委"
        return f"中共{self.name}委员会"

    def descendant_ids(self) -> set[int]:
        """This jurisdiction and every one below it (联动巡察: a city sees its counties)."""
        ids = {self.pk}
        frontier = [self.pk]
        while frontier:
            frontier = list(
                Jurisdiction.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids.update(frontier)
        return ids


class Organization(models.Model):
    """组织/单位: a 巡察办, a 纪委监委, a department, or a unit that can be inspected."""

    class Kind(models.TextChoices):
        OFFICE = "office", "巡察办"
        LEADERSHIP = "leadership", "巡察工作领导小组"
        DISCIPLINE = "discipline", "纪委监委"
        DEPARTMENT = "department", "职能部门"
        UNIT = "unit", "被巡察单位"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="所属区域", on_delete=models.PROTECT, related_name="organizations"
    )
    party_org = models.CharField("党组织名称", max_length=100, blank=True)
    head = models.CharField("主要负责人", max_length=50, blank=True)
    liaison = models.CharField("联络员", max_length=50, blank=True)
    liaison_phone = models.CharField("联络电话", max_length=30, blank=True)
    staff_count = models.PositiveIntegerField("在编人数", null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    inspectable = models.BooleanField("可被巡察", default=False)

    class Meta:
        verbose_name = "组织单位"
        verbose_name_plural = verbose_name
        ordering = ["jurisdiction_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="organization_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """角色 (DESIGN.md): what a user may do besides what his round team role gives."""

    OFFICE = "office", "巡察办"
    LEADERSHIP = "leadership", "领导小组"
    INSPECTOR = "inspector", "巡察组干部"
    UNIT = "unit", "被巡察单位"
    UNIT_HEAD = "unit_head", "被巡察单位主要负责人"
    DISCIPLINE = "discipline", "纪委监委"
    ADMIN = "admin", "系统管理员"


class User(AbstractUser):
    """用户: belongs to one organisation and holds one or more roles."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    title = models.CharField("职务", max_length=50, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name="所属组织", null=True, blank=True, on_delete=models.PROTECT,
        related_name="members",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            if self.pk is None or not self.is_active:
                cached = frozenset()
            else:
                cached = frozenset(a.role for a in self.role_assignments.all())
            self._role_codes = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [labels[c] for c in sorted(self.role_codes) if c in labels]

    @property
    def jurisdiction(self) -> Jurisdiction | None:
        return self.organization.jurisdiction if self.organization_id else None


class UserRole(models.Model):
    """用户角色: one row per role a user holds."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="userrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class LeadershipMember(models.Model):
    """领导班子成员: one member of a unit's leadership and his posts (主任、党组书记 …).

    A clue about a member of the roster, or naming one of its posts, is never handed to that unit
    (分级负责、属地管理: only general matters go to the inspected Party organisation).
    """

    organization = models.ForeignKey(Organization, verbose_name="单位", on_delete=models.CASCADE,
                                     related_name="leadership")
    name = models.CharField("姓名", max_length=50)
    posts = models.CharField("职务", max_length=100, help_text="多个职务用顿号分开，如：主任、党组书记")
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "领导班子成员"
        verbose_name_plural = verbose_name
        ordering = ["organization_id", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="leadership_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.posts}）"

    @property
    def post_list(self) -> list[str]:
        return split_posts(self.posts)


def split_posts(text: str) -> list[str]:
    """主任、党组书记 / 主任,党组书记 / 主任 党组书记 -> [主任, 党组书记]."""
    import re

    return [p for p in re.split(r"[、，,；;/\s]+", text or "") if p]


class InspectorProfile(models.Model):
    """巡察干部库: a cadre who may be drawn into inspection teams, with the units that bind him.

    抽调参加巡察的干部，不再参与原单位工作事务 (seed 001): forming a team refuses a member whose
    current or former unit, or a declared relative's unit, is a target of the round.
    """

    user = models.OneToOneField(User, verbose_name="干部", on_delete=models.CASCADE,
                                related_name="inspector_profile")
    home_unit = models.ForeignKey(Organization, verbose_name="现工作单位（原单位）", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  help_text="抽调前所在单位；巡察办在编人员可不填")
    home_since = models.PositiveIntegerField("在现单位起始年份", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "巡察干部"
        verbose_name_plural = "巡察干部库"

    def __str__(self) -> str:
        return str(self.user)


class CareerEntry(models.Model):
    """任职经历: a former unit of the cadre, with the years he served there."""

    profile = models.ForeignKey(InspectorProfile, on_delete=models.CASCADE, related_name="career")
    organization = models.ForeignKey(Organization, verbose_name="曾任职单位", on_delete=models.PROTECT,
                                     related_name="+")
    post = models.CharField("职务", max_length=50, blank=True)
    start_year = models.PositiveIntegerField("起始年份")
    end_year = models.PositiveIntegerField("截止年份")

    class Meta:
        verbose_name = "任职经历"
        verbose_name_plural = verbose_name
        ordering = ["profile_id", "-end_year", "-start_year"]

    def __str__(self) -> str:
        return f"{self.start_year}—{self.end_year}年 {self.organization}{self.post}"


class RelativeEntry(models.Model):
    """亲属任职: a relative the cadre declared, and the unit where the relative works."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", "配偶"
        CHILD = "child", "子女"
        PARENT = "parent", "父母"
        SIBLING = "sibling", "兄弟姐妹"
        IN_LAW = "in_law", "姻亲"
        OTHER = "other", "其他近亲属"

    profile = models.ForeignKey(InspectorProfile, on_delete=models.CASCADE, related_name="relatives")
    relation = models.CharField("关系", max_length=10, choices=Relation.choices)
    name = models.CharField("姓名", max_length=50)
    organization = models.ForeignKey(Organization, verbose_name="工作单位", on_delete=models.PROTECT,
                                     related_name="+")
    post = models.CharField("职务", max_length=50, blank=True)

    class Meta:
        verbose_name = "亲属任职"
        verbose_name_plural = verbose_name
        ordering = ["profile_id", "relation", "pk"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.name}（{self.organization}{self.post}）"

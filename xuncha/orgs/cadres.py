"""State changes of the 巡察干部库 (a cadre's units and relatives, for 回避) and of the units'
领导班子 rosters (for 线索处置). Each checks the policy, changes in one transaction, audits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.policy.orgs import inspector_policy, organization_policy

from .models import CareerEntry, InspectorProfile, LeadershipMember, Organization, RelativeEntry, split_posts


def _text(value, limit: int) -> str:
    return (value or "").replace("\x00", "").strip()[:limit]


def _year(value, label: str) -> int:
    this_year = timezone.localdate().year
    if value is None or not 1950 <= int(value) <= this_year + 1:
        raise ValidationError(f"{label}应为 1950 至 {this_year + 1} 之间的年份。")
    return int(value)


def _visible_org(actor, organization: Organization) -> Organization:
    if not organization_policy.can(actor, "view", organization):
        raise ValidationError("请选择本级或下级的单位。")
    return organization


def profile_of(cadre) -> InspectorProfile:
    return InspectorProfile.objects.get_or_create(user=cadre)[0]


@transaction.atomic
def save_profile(actor, cadre, *, home_unit: Organization | None, home_since: int | None = None,
                 note: str = "", request=None) -> InspectorProfile:
    """现工作单位（原单位）and note of a cadre."""
    inspector_policy.require(actor, "manage", cadre)
    if home_unit is not None:
        _visible_org(actor, home_unit)
    profile = profile_of(cadre)
    profile.home_unit = home_unit
    profile.home_since = _year(home_since, "在现单位起始年份") if home_since else None
    profile.note = _text(note, 2000)
    profile.save()
    record(actor, "cadre.profile", cadre, request=request,
           summary=f"巡察干部库：{cadre.display_name} 现工作单位 {home_unit or '—'}",
           data={"home_unit": home_unit.pk if home_unit else None, "home_since": profile.home_since})
    return profile


@transaction.atomic
def add_career(actor, cadre, *, organization: Organization, start_year: int, end_year: int, post: str = "",
               request=None) -> CareerEntry:
    """任职经历: a former unit with the years."""
    inspector_policy.require(actor, "manage", cadre)
    _visible_org(actor, organization)
    start, end = _year(start_year, "起始年份"), _year(end_year, "截止年份")
    if end < start:
        raise ValidationError("截止年份不能早于起始年份。")
    entry = CareerEntry.objects.create(profile=profile_of(cadre), organization=organization,
                                       post=_text(post, 50), start_year=start, end_year=end)
    record(actor, "cadre.career_add", cadre, request=request,
           summary=f"巡察干部库：{cadre.display_name} 任职经历 {entry}", data={"organization": organization.pk})
    return entry


@transaction.atomic
def add_relative(actor, cadre, *, relation: str, name: str, organization: Organization, post: str = "",
                 request=None) -> RelativeEntry:
    """亲属任职: a relative the cadre declared and the relative's unit."""
    inspector_policy.require(actor, "manage", cadre)
    _visible_org(actor, organization)
    if relation not in RelativeEntry.Relation.values:
        raise ValidationError("请选择亲属关系。")
    if not _text(name, 50):
        raise ValidationError("请填写亲属姓名。")
    entry = RelativeEntry.objects.create(profile=profile_of(cadre), relation=relation, name=_text(name, 50),
                                         organization=organization, post=_text(post, 50))
    record(actor, "cadre.relative_add", cadre, request=request,
           summary=f"巡察干部库：{cadre.display_name} 亲属任职 {entry}", data={"organization": organization.pk})
    return entry


@transaction.atomic
def remove_entry(actor, cadre, entry, *, request=None) -> None:
    """Remove a 任职经历 or 亲属任职 line (the audit trail keeps what it said)."""
    inspector_policy.require(actor, "manage", cadre)
    if entry.profile.user_id != cadre.pk:
        raise ValidationError("记录不属于该干部。")
    record(actor, "cadre.entry_remove", cadre, request=request,
           summary=f"巡察干部库：{cadre.display_name} 删除 {entry}")
    entry.delete()


# ---- 领导班子 roster ----------------------------------------------------------------------------

@transaction.atomic
def add_leader(actor, organization: Organization, *, name: str, posts: str, request=None) -> LeadershipMember:
    """领导班子成员: name and posts (主任、党组书记 …)."""
    organization_policy.require(actor, "roster", organization)
    name, posts = _text(name, 50), "、".join(split_posts(_text(posts, 100)))
    if not name or not posts:
        raise ValidationError("请填写姓名和职务。")
    if organization.leadership.filter(name=name).exists():
        raise ValidationError(f"{name}已在领导班子名单中。")
    order = (organization.leadership.count() + 1) * 10
    member = LeadershipMember.objects.create(organization=organization, name=name, posts=posts, order=order)
    record(actor, "organization.leader_add", organization, request=request,
           summary=f"{organization.name}领导班子：增加 {member}")
    return member


@transaction.atomic
def remove_leader(actor, member: LeadershipMember, *, request=None) -> None:
    organization_policy.require(actor, "roster", member.organization)
    record(actor, "organization.leader_remove", member.organization, request=request,
           summary=f"{member.organization.name}领导班子：移出 {member}")
    member.delete()

"""Read-side queries for organisations and users."""

from __future__ import annotations

from django.db.models import Count, Q

from xuncha.policy.orgs import cadres as cadres_of
from xuncha.policy.orgs import jurisdiction_policy, organization_policy, user_policy

from .models import Jurisdiction, Organization


def jurisdiction_tree(user) -> list[dict]:
    """The jurisdictions a user may see as nested dicts, with their organisations counted."""
    visible = list(
        jurisdiction_policy.instances(user)
        .annotate(n_orgs=Count("organizations"),
                  n_units=Count("organizations", filter=Q(organizations__inspectable=True)))
        .order_by("code", "name")
    )
    by_parent: dict[int | None, list[Jurisdiction]] = {}
    ids = {j.pk for j in visible}
    for j in visible:
        key = j.parent_id if j.parent_id in ids else None
        by_parent.setdefault(key, []).append(j)

    def build(parent_id):
        return [{"node": j, "children": build(j.pk)} for j in by_parent.get(parent_id, [])]

    return build(None)


def organizations(user, *, jurisdiction_id=None, kind=None, q=None):
    qs = organization_policy.instances(user).select_related("jurisdiction")
    if jurisdiction_id:
        qs = qs.filter(jurisdiction_id=jurisdiction_id)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("jurisdiction__code", "kind", "name")


def users(actor, *, q=None):
    qs = (user_policy.instances(actor).select_related("organization__jurisdiction")
          .prefetch_related("role_assignments").order_by("organization__jurisdiction__code", "username"))
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return qs


def cadres(actor, *, q=None):
    """The 巡察干部库 of the actor's scope, with each cadre's record."""
    qs = (cadres_of(actor).select_related("organization__jurisdiction", "inspector_profile__home_unit")
          .prefetch_related("role_assignments", "inspector_profile__career", "inspector_profile__relatives")
          .order_by("organization__jurisdiction__code", "username"))
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return qs


__all__ = ["jurisdiction_tree", "organizations", "users", "cadres", "Organization"]

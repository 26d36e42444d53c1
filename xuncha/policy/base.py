"""Base of the permission policies: jurisdiction scope and the policy object."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from xuncha.orgs.models import Role

# Roles that read across a jurisdiction (and the ones below it).
JURISDICTION_READERS = (Role.OFFICE, Role.LEADERSHIP, Role.ADMIN)


def is_active_user(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def jurisdiction_scope(user) -> frozenset[int]:
    """Jurisdictions whose records an office/leadership user may read: his own and those below it.

    A city office sees its counties (联动巡察); a county office only itself; other users nothing.
    """
    if not is_active_user(user) or not user.organization_id:
        return frozenset()
    cached = getattr(user, "_jurisdiction_scope", None)
    if cached is None:
        if user.has_role(*JURISDICTION_READERS):
            cached = frozenset(user.organization.jurisdiction.descendant_ids())
        else:
            cached = frozenset()
        user._jurisdiction_scope = cached
    return cached


def own_jurisdiction_id(user) -> int | None:
    if not is_active_user(user) or not user.organization_id:
        return None
    return user.organization.jurisdiction_id


class ModelPolicy:
    """Permission policy for one model. Subclasses define ``model``, ``instances`` and ``can``."""

    model: type[models.Model]
    #: actions this policy knows, with their Chinese names (for messages)
    actions: dict[str, str] = {"view": "查看"}

    def instances(self, user, action: str = "view") -> models.QuerySet:
        raise NotImplementedError

    def can(self, user, action: str, obj=None) -> bool:
        raise NotImplementedError

    def get(self, user, action: str = "view", **lookup):
        """Fetch one object the user may see; 404 if he may not see it, 403 if he may not act."""
        obj = self.instances(user, "view").filter(**lookup).first()
        if obj is None:
            raise Http404("记录不存在或无权查看。")
        if action != "view" and not self.can(user, action, obj):
            raise PermissionDenied(self.denied_message(action))
        return obj

    def require(self, user, action: str, obj=None) -> None:
        if not self.can(user, action, obj):
            raise PermissionDenied(self.denied_message(action))

    def readable_rounds(self, user) -> models.QuerySet:
        """Rounds in which the user may see some of this policy's records (for ``round_for``)."""
        raise NotImplementedError

    def round_for(self, user, action: str, round_id):
        """The round whose records the user acts on: 404 if he may not read it, 403 if he may not act."""
        round_ = self.readable_rounds(user).filter(pk=round_id).first()
        if round_ is None:
            raise Http404("记录不存在或无权查看。")
        if not self.can(user, action, round_):
            raise PermissionDenied(self.denied_message(action))
        return round_

    def denied_message(self, action: str) -> str:
        name = self.actions.get(action, action)
        return f"您没有权限{name}{self.model._meta.verbose_name}。"


def require(policy: ModelPolicy, user, action: str, obj=None) -> None:
    policy.require(user, action, obj)

"""Who must use two-factor login (双因素登录).

When the office turns it on (``XUNCHA_2FA_REQUIRED``), 巡察办 staff, 巡察组组长 / 副组长 and
系统管理员 must confirm every login with a one-time code: they hold the confidential records
(petitions, clues, reporters' identities) and the accounts. Anyone else may turn it on for himself.
A system administrator may reset the two-factor login of the accounts he manages.
"""

from __future__ import annotations

from django.conf import settings

from xuncha.orgs.models import Role
from xuncha.rounds.models import TeamMembership

from .base import is_active_user
from .orgs import user_policy
from .rounds import LEADING_ROLES

#: the roles the office can oblige to use two-factor login
REQUIRED_ROLES = (Role.OFFICE, Role.ADMIN)


def must_use_two_factor(user) -> bool:
    if not (is_active_user(user) and settings.XUNCHA_2FA_REQUIRED):
        return False
    if user.has_role(*REQUIRED_ROLES):
        return True
    return TeamMembership.objects.filter(user=user, team_role__in=LEADING_ROLES).exists()


def may_turn_off(user) -> bool:
    """A user may turn his own two-factor login off unless he must use it."""
    return is_active_user(user) and not must_use_two_factor(user)


def can_reset(actor, target) -> bool:
    """A system administrator resets the two-factor login of an account he manages (lost phone)."""
    return user_policy.can(actor, "manage", target)

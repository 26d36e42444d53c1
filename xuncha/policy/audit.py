"""Who may read the audit trail: system administrators, for the actors of their jurisdiction scope."""

from __future__ import annotations

from django.db.models import Q

from xuncha.audit.models import AuditEntry
from xuncha.orgs.models import Role

from .base import ModelPolicy, is_active_user, jurisdiction_scope


class AuditPolicy(ModelPolicy):
    model = AuditEntry
    actions = {"view": "查看", "verify": "核验"}

    def instances(self, user, action="view"):
        if not (is_active_user(user) and user.has_role(Role.ADMIN)):
            return AuditEntry.objects.none()
        scope = jurisdiction_scope(user)
        return AuditEntry.objects.filter(
            Q(actor__organization__jurisdiction_id__in=scope) | Q(actor__isnull=True)
        )

    def can(self, user, action, obj=None):
        if not (is_active_user(user) and user.has_role(Role.ADMIN)):
            return False
        return obj is None or self.instances(user).filter(pk=obj.pk).exists()


audit_policy = AuditPolicy()

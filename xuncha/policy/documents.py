"""Who may replace the document templates (公文模板): the office of a jurisdiction, for its own."""

from __future__ import annotations

from xuncha.documents.models import TemplateOverride
from xuncha.orgs.models import Role

from .base import ModelPolicy, is_active_user, own_jurisdiction_id


class TemplatePolicy(ModelPolicy):
    model = TemplateOverride
    actions = {"view": "查看", "manage": "维护"}

    def instances(self, user, action="view"):
        if not self.can(user, action):
            return TemplateOverride.objects.none()
        return TemplateOverride.objects.filter(jurisdiction_id=own_jurisdiction_id(user))

    def can(self, user, action, obj=None):
        if not (is_active_user(user) and user.has_role(Role.OFFICE)):
            return False
        return obj is None or obj.jurisdiction_id == own_jurisdiction_id(user)


template_policy = TemplatePolicy()

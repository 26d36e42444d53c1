"""The permission policy (权限策略): every permission decision of the platform lives in this package.

Each model that people reach through a URL has one policy object, modelled on Wagtail's
permission policies and Zulip's ``access_*_by_id`` helpers:

- ``policy.can(user, action, obj=None)``: may the user do ``action`` (on this instance)?
- ``policy.instances(user, action="view")``: the queryset the user may act on.
- ``policy.get(user, action, **lookup)``: fetch one object and check permission in one call;
  an object the user may not see is a 404 (its existence is not revealed), an object he may see
  but not act on is a 403.

Views never check roles themselves; services call ``policy.require(...)`` before each change.
"""

from .base import ModelPolicy, jurisdiction_scope, require

__all__ = ["ModelPolicy", "jurisdiction_scope", "require"]

"""State changes of organisations and users (services write; each checks, changes, audits)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from xuncha.audit.services import record
from xuncha.policy.orgs import organization_policy, user_policy

from .models import Jurisdiction, Organization, Role, User, UserRole


def _set_roles(user: User, roles) -> None:
    roles = {Role(r) for r in roles}
    UserRole.objects.filter(user=user).exclude(role__in=roles).delete()
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    user._role_codes = None


@transaction.atomic
def create_user(actor, *, username: str, full_name: str, organization: Organization, roles,
                password: str | None = None, password_hash: str | None = None,
                phone: str = "", title: str = "", request=None) -> User:
    """新建用户. ``actor`` None means the system itself (``xuncha init``, demo data).

    Give ``password`` (validated and hashed) or, for bulk creation, an already made ``password_hash``.
    """
    if actor is not None:
        user_policy.require(actor, "manage")
        organization_policy.require(actor, "manage", organization)
    user = User(username=username, full_name=full_name, organization=organization,
                phone=phone, title=title)
    if password_hash is not None:
        user.password = password_hash
    else:
        validate_password(password, user)
        user.set_password(password)
    user.save()
    _set_roles(user, roles)
    record(actor, "user.create", user, request=request,
           summary=f"新建用户 {username}（{full_name}），角色：{'、'.join(sorted(user.role_labels))}",
           data={"organization": organization.pk, "roles": sorted(user.role_codes)})
    return user


@transaction.atomic
def update_user(actor, user: User, *, full_name: str, organization: Organization, roles,
                phone: str = "", title: str = "", request=None) -> User:
    user_policy.require(actor, "manage", user)
    organization_policy.require(actor, "manage", organization)
    before = {"organization": user.organization_id, "roles": sorted(user.role_codes)}
    user.full_name, user.organization, user.phone, user.title = full_name, organization, phone, title
    user.save(update_fields=["full_name", "organization", "phone", "title"])
    _set_roles(user, roles)
    record(actor, "user.update", user, request=request, summary=f"修改用户 {user.username}",
           data={"before": before,
                 "after": {"organization": organization.pk, "roles": sorted(user.role_codes)}})
    return user


@transaction.atomic
def set_user_active(actor, user: User, active: bool, *, request=None) -> User:
    user_policy.require(actor, "manage", user)
    if user.pk == actor.pk and not active:
        from django.core.exceptions import ValidationError
        raise ValidationError("不能停用自己的账号。")
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(actor, "user.activate" if active else "user.deactivate", user, request=request,
           summary=f"{'启用' if active else '停用'}用户 {user.username}")
    return user


@transaction.atomic
def reset_password(actor, user: User, new_password: str, *, request=None) -> User:
    user_policy.require(actor, "manage", user)
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    from axes.utils import reset as axes_reset
    axes_reset(username=user.username)
    record(actor, "user.reset_password", user, request=request,
           summary=f"重置用户 {user.username} 的密码并解除锁定")
    return user


@transaction.atomic
def create_jurisdiction(actor, *, name: str, level: str, parent: Jurisdiction | None,
                        code: str = "", request=None) -> Jurisdiction:
    """新建行政区域，并同时建立其巡察办、巡察工作领导小组、纪委监委."""
    jurisdiction = Jurisdiction.objects.create(name=name, level=level, parent=parent, code=code)
    committee = jurisdiction.committee_name
    for kind, org_name in (
        (Organization.Kind.OFFICE, f"{committee}巡察工作领导小组办公室"),
        (Organization.Kind.LEADERSHIP, f"{committee}巡察工作领导小组"),
        (Organization.Kind.DISCIPLINE, f"{name}纪委监委"),
    ):
        Organization.objects.create(name=org_name, kind=kind, jurisdiction=jurisdiction)
    record(actor, "jurisdiction.create", jurisdiction, request=request,
           summary=f"新建行政区域 {name}")
    return jurisdiction


@transaction.atomic
def save_organization(actor, organization: Organization, *, request=None) -> Organization:
    """新建或修改组织单位 (the form has already validated the fields)."""
    organization_policy.require(actor, "manage", organization)
    created = organization.pk is None
    organization.full_clean()
    organization.save()
    record(actor, "organization.create" if created else "organization.update", organization,
           request=request, summary=f"{'新建' if created else '修改'}组织单位 {organization.name}")
    return organization

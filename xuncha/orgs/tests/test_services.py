import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from xuncha.audit.models import AuditEntry
from xuncha.orgs import services
from xuncha.orgs.models import Organization, Role, User


def test_admin_creates_user_with_roles_and_audit(client_as, demo):
    org = Organization.objects.get(name="石泉县人民防空办公室")
    response = client_as("admin").post(reverse("orgs:user_new"), {
        "username": "sq_rfb2", "full_name": "王小明", "organization": org.pk,
        "roles": ["unit"], "password": "Renfang#2026", "phone": "", "title": "联络员",
    })
    assert response.status_code == 302
    user = User.objects.get(username="sq_rfb2")
    assert user.role_codes == {"unit"} and user.organization == org
    assert user.check_password("Renfang#2026")
    entry = AuditEntry.objects.filter(action="user.create").order_by("-seq").first()
    assert entry.actor == demo["admin"] and entry.object_id == str(user.pk)


def test_weak_password_is_refused_and_nothing_saved(client_as, demo):
    org = Organization.objects.get(name="石泉县人民防空办公室")
    response = client_as("admin").post(reverse("orgs:user_new"), {
        "username": "weak", "full_name": "弱密码", "organization": org.pk,
        "roles": ["unit"], "password": "12345678",
    })
    assert response.status_code == 200
    assert "密码" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_county_admin_cannot_place_user_in_city_org(demo):
    city_office = Organization.objects.get(name="中共安康市委巡察工作领导小组办公室")
    with pytest.raises(PermissionDenied):
        services.create_user(demo["sq_admin"], username="x1", full_name="某", organization=city_office,
                             roles=[Role.OFFICE], password="Xuncha#2026x")
    assert not User.objects.filter(username="x1").exists()


def test_admin_cannot_deactivate_himself(demo):
    with pytest.raises(ValidationError):
        services.set_user_active(demo["admin"], demo["admin"], False)


def test_deactivated_user_cannot_log_in(client, demo):
    services.set_user_active(demo["admin"], demo["zuyuan"], False)
    response = client.post(reverse("login"), {"username": "zuyuan", "password": "Xuncha@2026"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_init_command_creates_first_admin(db):
    call_command("init", "--noinput", "--jurisdiction", "礼县", "--level", "county",
                 "--username", "lxadmin", "--full-name", "县巡察办管理员", "--password", "Lixian#2019x")
    user = User.objects.get(username="lxadmin")
    assert user.role_codes == {"admin", "office"}
    assert user.organization.kind == Organization.Kind.OFFICE
    assert user.organization.name == "中共礼县委巡察工作领导小组办公室"
    assert user.organization.jurisdiction.organizations.filter(kind="discipline").exists()


def test_init_command_refuses_missing_arguments_and_weak_password(empty_database):
    with pytest.raises(CommandError, match="--username"):
        call_command("init", "--noinput", "--jurisdiction", "礼县")
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("init", "--noinput", "--jurisdiction", "礼县", "--username", "a",
                     "--full-name", "某", "--password", "123")
    assert not User.objects.exists()
    assert not Organization.objects.filter(jurisdiction__name="礼县").exists()


def test_init_command_interactive(empty_database, monkeypatch):
    answers = iter(["宁陕县", "nsadmin", "宁陕管理员"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: "Ningshan#2026")
    call_command("init", "--level", "county")
    user = User.objects.get(username="nsadmin")
    assert user.check_password("Ningshan#2026")
    assert user.organization.jurisdiction.name == "宁陕县"
    call_command("init")   # a second run finds the administrator and asks nothing
    assert User.objects.count() == 1

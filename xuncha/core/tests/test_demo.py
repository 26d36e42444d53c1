from django.conf import settings
from django.core.management import call_command

from xuncha.orgs.models import Jurisdiction, User


def test_demo_command_loads_once_and_leaves_a_crosscheck_sample(db, capsys):
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "演示数据已载入" in out and "admin" in out and "Xuncha@2026" in out
    assert Jurisdiction.objects.get(name="安康市").children.count() == 9
    for role in ("office", "leadership", "inspector", "unit", "discipline", "admin"):
        assert User.objects.filter(role_assignments__role=role).exists(), role
    findings = settings.XUNCHA_HOME / "demo" / "比对结果" / "findings.jsonl"
    assert findings.exists() and findings.read_text(encoding="utf-8").count('"rule"') > 50
    assert "数据比对演示命令" in out and "xuncha.cli check '" in out

    call_command("demo", "--no-serve")
    assert "演示数据已存在" in capsys.readouterr().out
    assert Jurisdiction.objects.filter(name="安康市").count() == 1

from django.conf import settings
from django.core.management import call_command

from xuncha.orgs.models import Jurisdiction, User


def test_demo_command_loads_once_and_leaves_a_crosscheck_sample(empty_database, capsys):
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "演示数据已载入" in out and "admin" in out and "Xuncha@2026" in out
    assert Jurisdiction.objects.get(name="安康市").children.count() == 9
    for role in ("office", "leadership", "inspector", "unit", "discipline", "admin"):
        assert User.objects.filter(role_assignments__role=role).exists(), role
    findings = settings.XUNCHA_HOME / "demo" / "比对结果" / "findings.jsonl"
    text = findings.read_text(encoding="utf-8")
    assert findings.exists() and text.count('"rule"') > 50
    # the sample speaks of the demo city's own counties (安康市), not of 万源市, 康县 or 渠县
    assert not any(place in text for place in ("万源市", "康县", "渠县", "礼县", "陇南", "达州"))
    assert sum(county in text for county in ("汉阴县", "石泉县", "宁陕县", "紫阳县", "岚皋县", "平利县", "镇坪县",
                                             "旬阳市", "白河县")) >= 5
    assert "数据比对演示命令" in out and "xuncha.cli check '" in out

    call_command("demo", "--no-serve")
    assert "演示数据已存在" in capsys.readouterr().out
    assert Jurisdiction.objects.filter(name="安康市").count() == 1

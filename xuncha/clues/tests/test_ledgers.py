"""The two ledgers (.xlsx) and the pages of both apps (render, counts, no external URLs)."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.audit.models import AuditEntry
from xuncha.clues import services
from xuncha.clues.models import Disposal
from xuncha.petitions import services as petition_services
from xuncha.petitions.identity import Identity
from xuncha.petitions.models import Petition

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(response):
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def named_petition(round_, demo):
    p, _ = petition_services.intake(demo["zuzhang"], round_, petition_services.ReportData(
        subject_name="某科长", subject_title="科长", content="=HYPERLINK(\"x\")反映科长问题",
        anonymous=False, identity=Identity(name="柳如烟", phone="18800001111")),
        channel=Petition.Channel.VISIT)
    return p


def test_petition_ledger_layout_without_identity(client_as, city_round, demo):
    named_petition(city_round, demo)
    wb = workbook(client_as("zuyuan").get(reverse("petitions:ledger", args=[city_round.pk])))
    ws = wb["受理登记台账"]
    assert ws["A1"].value == "信访举报受理登记台账"
    header = [c.value for c in ws[3]]
    assert header[:11] == ["序号", "受理编号", "受理日期", "来源方式", "反映人", "被反映人", "职务", "问题类别",
                           "主要内容摘要", "办理情况", "备注"]
    assert ws["A3"].font.bold and ws["A3"].fill.fgColor.rgb.endswith("D9D9D9")
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    assert ws.column_dimensions["I"].width >= 40
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert [r[1] for r in rows] == [f"安康市XF2026-1-00{i}" for i in range(1, 5)]
    assert {r[4] for r in rows} == {"匿名", "实名"}
    flat = " ".join(str(v) for r in rows for v in r)
    assert "柳如烟" not in flat and "林晓东" not in flat and "18800001111" not in flat
    assert rows[3][8].startswith("'=")                     # no formula injection
    assert "转线索 安康市XS2026-1-001" in rows[1][10] and "与 安康市XF2026-1-003 重复" in rows[1][10]
    summary = [[c.value for c in r] for r in wb["统计"].iter_rows()]
    assert ["来信", 1] in summary and ["来访", 1] in summary and ["网上举报", 1] in summary


def test_petition_ledger_with_identity_only_for_revealers(client_as, city_round, demo):
    named_petition(city_round, demo)
    url = reverse("petitions:ledger", args=[city_round.pk])
    assert client_as("zuyuan").post(url, {"reason": "移交需要身份"}).status_code == 403
    wb = workbook(client_as("zuzhang").post(url, {"reason": "移交纪委需要身份"}))
    flat = " ".join(str(c.value) for r in wb["受理登记台账"].iter_rows(min_row=4) for c in r)
    assert "柳如烟" in flat and "18800001111" in flat
    entry = AuditEntry.objects.filter(action="petitions.export_identities").latest("seq")
    assert entry.data["reason"] == "移交纪委需要身份" and entry.actor.username == "zuzhang"


def test_clue_ledger(client_as, city_round, demo):
    from xuncha.orgs.models import Organization
    clue = services.create_clue(demo["zuyuan"], city_round, services.ClueData(
        person="某科员", position="科员", level="general", summary="一般性问题"))
    services.dispose(demo["zuzhang"], clue, kind=Disposal.Kind.PARTY_ORG,
                     receiver=Organization.objects.get(name="安康市人民防空办公室"))
    wb = workbook(client_as("xcb").get(reverse("clues:ledger", args=[city_round.pk])))
    ws = wb["问题线索台账"]
    assert ws["A1"].value == "问题线索台账"
    header = [c.value for c in ws[3]]
    for name in ("编号", "来源", "涉及人员及职务", "问题类别", "线索内容", "处置方式", "移交单位", "移交日期",
                 "办理结果", "四种形态"):
        assert name in header
    rows = {r[1]: r for r in ([c.value for c in row] for row in ws.iter_rows(min_row=4))}
    assert rows["安康市XS2026-1-001"][header.index("处置方式")] == "移交纪委监委"
    assert rows["安康市XS2026-1-001"][header.index("移交单位")] == "安康市纪委监委"
    assert rows[clue.code][header.index("处置方式")] == "转交被巡察党组织"
    assert ws.page_setup.orientation == "landscape"
    summary = [[c.value for c in r] for r in wb["统计"].iter_rows()]
    assert ["移交纪委监委", 1] in summary and ["转交被巡察党组织", 1] in summary and ["数据比对", 1] in summary


PAGES = [
    ("zuzhang", "petitions:index", []), ("zuzhang", "petitions:round", ["round"]),
    ("zuzhang", "petitions:intake", ["round"]), ("zuzhang", "petitions:detail", ["petition"]),
    ("zuzhang", "clues:index", []), ("zuzhang", "clues:round", ["round"]), ("zuzhang", "clues:create", ["round"]),
    ("zuzhang", "clues:detail", ["clue"]), ("zuzhang", "clues:from_petition", ["petition"]),
    ("jiwei", "clues:index", []), ("jiwei", "clues:detail", ["clue"]), ("jiwei", "home", []),
    ("jiwei", "clues:handover", ["clue"]), ("xcb", "clues:handover", ["clue"]),
    (None, "petitions:public_rounds", []), (None, "petitions:public_report", ["round"]),
    (None, "petitions:public_follow", []), (None, "public_home", []),
]


@pytest.mark.parametrize("username,name,args", PAGES)
def test_pages_render_without_external_urls(client_as, city_round, username, name, args):
    from django.test import Client

    from xuncha.clues.models import Clue
    values = {"round": city_round.pk,
              "petition": Petition.objects.filter(round=city_round, anonymous=False).first().pk,
              "clue": Clue.objects.filter(disposal__kind="discipline").first().pk}
    c = client_as(username) if username else Client()
    response = c.get(reverse(name, args=[values[a] for a in args]))
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(?:https?:)?//[a-z0-9]""", html.replace("http://testserver", ""), re.I)
    assert "<script>" not in html.replace('<script src="/static/', "")


def test_forms_prefill_dates_and_show_records(client_as, city_round):
    from django.utils import timezone

    from xuncha.clues.models import Clue
    clue = Clue.objects.get(round=city_round, source="crosscheck")
    html = client_as("zuzhang").get(reverse("clues:detail", args=[clue.pk])).content.decode()
    assert f'name="decided_on" value="{timezone.localdate():%Y-%m-%d}"' in html
    assert "项目：某商住楼" in html and "应缴：158000" in html   # jsonb may reorder keys
    petition = Petition.objects.get(round=city_round, channel="letter")
    html = client_as("zuzhang").get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert "安康市XS2026-1-001" in html

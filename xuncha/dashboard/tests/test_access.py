"""Every dashboard URL × every role: what the allowed roles get (their own scope's figures and rows),
and that everyone else is refused."""

from __future__ import annotations

import io
import re

import pytest

from .conftest import INQUIRIES, PROBLEMS, STAGES

ROLES = ["admin", "xcb", "leader", "zuzhang", "rfb", "rfb_head", "jiwei", "hy_xcb", "hy_zz", "hy_rfb", "sq_admin"]
#: who sees the dashboard, and the rounds of the test data in his scope
VIEWERS = {"admin": {"city", "hy", "sq"}, "xcb": {"city", "hy", "sq"}, "leader": {"city", "hy", "sq"},
           "hy_xcb": {"hy"}, "sq_admin": {"sq"}}
OFFICES = {"admin", "xcb", "hy_xcb", "sq_admin"}
CONFIDENTIAL = ["problems", "money", "clues_disposal", "clues_form", "accountable", "transfers", "suspicions"]
TEAM = ["stage", "inquiries", "rect_result", "rect_overdue", "rect_accountable"]


def _problems(keys):
    return sum(1 for p in PROBLEMS if p[0] in keys and not p[4])


def _rows(body):
    return re.search(r'id="ledger-rows">.*?<tbody>(.*?)</tbody>', body, re.S).group(1).count("<tr>") - body.count("没有记录。</td>")


@pytest.mark.parametrize("username", ROLES)
def test_dashboard_page(client_as, data, username):
    c = client_as(username)
    resp = c.get(f"/dashboard/?{data.q()}")
    home = c.get("/").content.decode()
    if username in VIEWERS:
        assert resp.status_code == 200
        body = resp.content.decode()
        assert f'data-kpi="rounds">{len(VIEWERS[username])}<' in body
        assert f'data-kpi="problems">{_problems(VIEWERS[username])}<' in body
        assert 'href="/dashboard/"' in home           # the menu entry
    else:
        assert resp.status_code == 403
        assert "指挥舱仅供巡察办和领导小组查看" in resp.content.decode()
        assert 'href="/dashboard/"' not in home


def test_anonymous_is_sent_to_login(client, data):
    for url in ["/dashboard/", "/dashboard/rows/problems/", "/dashboard/export.docx", "/dashboard/export.xlsx"]:
        resp = client.get(url)
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("figure", CONFIDENTIAL + TEAM)
def test_rows_pages(client_as, data, username, figure):
    resp = client_as(username).get(f"/dashboard/rows/{figure}/?{data.q()}")
    allowed = username in OFFICES or (username in VIEWERS and figure in TEAM)
    if not allowed:
        assert resp.status_code == 403
        return
    assert resp.status_code == 200
    keys = VIEWERS[username]
    body = resp.content.decode()
    if figure == "problems":
        assert _rows(body) == _problems(keys)
    elif figure == "stage":
        assert _rows(body) == len(keys)
    elif figure == "inquiries":
        assert _rows(body) == sum(1 for k, d, r in INQUIRIES if k in keys and d < 0 and not r)
    else:
        assert "<h1>" in body and 'id="ledger-rows"' in body


def test_leader_sees_counts_but_not_the_confidential_rows(client_as, data):
    body = client_as("leader").get(f"/dashboard/?{data.q()}").content.decode()
    assert "/dashboard/rows/problems/" not in body and "/dashboard/rows/stage/" in body
    assert "仅供巡察办查看" in body
    body = client_as("xcb").get(f"/dashboard/?{data.q()}").content.decode()
    assert "/dashboard/rows/problems/" in body


def test_confidential_rows_are_audited(client_as, data):
    from xuncha.audit.models import AuditEntry

    before = AuditEntry.objects.filter(kind=AuditEntry.Kind.VIEW).count()
    client_as("xcb").get(f"/dashboard/rows/problems/?{data.q()}")
    entry = AuditEntry.objects.filter(kind=AuditEntry.Kind.VIEW).order_by("-seq").first()
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.VIEW).count() == before + 1
    assert "问题清单" in entry.summary and entry.actor.username == "xcb"


def test_unknown_figure_is_404(client_as, data):
    assert client_as("xcb").get("/dashboard/rows/nothing/").status_code == 404


@pytest.mark.parametrize("username", ROLES)
def test_exports(client_as, data, username):
    from docx import Document
    from openpyxl import load_workbook

    c = client_as(username)
    docx = c.get(f"/dashboard/export.docx?{data.q()}")
    xlsx = c.get(f"/dashboard/export.xlsx?{data.q()}")
    if username not in VIEWERS:
        assert docx.status_code == xlsx.status_code == 403
        return
    keys = VIEWERS[username]
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "巡察工作进展和成效情况的通报" in text
    assert f"共开展巡察{len(keys)}轮" in text and f"共发现问题{_problems(keys)}个" in text
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["进度", "阶段", "问题类别", "线索处置", "四种形态", "逾期事项", "疑点", "整改结果", "成效"]
    stage_rows = {r[0]: r[1] for r in wb["阶段"].iter_rows(min_row=4, values_only=True)}
    assert sum(stage_rows.values()) == len(keys)
    assert stage_rows["进驻"] == sum(1 for k in keys if STAGES[k] == "onsite")


@pytest.mark.parametrize("username", ROLES)
def test_linkage_page(client_as, data, username):
    city = data.rounds["city"]
    resp = client_as(username).get(f"/rounds/{city.pk}/linked/")
    if username in ("admin", "xcb", "leader"):
        assert resp.status_code == 200
        body = resp.content.decode()
        assert '<td class="stage">进驻</td>' in body and '<td class="stage">反馈</td>' in body
        assert ('id="link-form"' in body) == (username in ("admin", "xcb"))
    else:
        assert resp.status_code == 404


def test_a_system_administrator_alone_does_not_see_the_dashboard(client, demo, data):
    """系统管理员 reads a jurisdiction for account management, but the dashboard is for 巡察办/领导小组."""
    from xuncha.orgs.models import Role
    from xuncha.orgs.services import create_user

    sysadmin = create_user(None, username="sysadmin", full_name="系统管理员", organization=demo["xcb"].organization,
                           roles=[Role.ADMIN], password_hash="!")
    client.force_login(sysadmin)
    assert client.get("/dashboard/").status_code == 403
    assert 'href="/dashboard/"' not in client.get("/").content.decode()


def test_the_docx_is_in_the_official_layout(client_as, demo, data):
    """GB/T 9704: A4, margins 37/35/28/26 mm, title in 小标宋 二号, headings 一、二、…, the office's 落款 and date."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(client_as("xcb").get(f"/dashboard/export.docx?{data.q()}").content))
    s = doc.sections[0]
    assert [round(x.mm) for x in (s.page_width, s.page_height)] == [210, 297]
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    title = doc.paragraphs[0]
    assert title.text == "关于2027年巡察工作进展和成效情况的通报"
    assert title.runs[0].font.size.pt == 22
    assert title.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    texts = [p.text for p in doc.paragraphs]
    assert [t[:2] for t in texts if t[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")] == [
        "一、", "二、", "三、", "四、", "五、", "六、"]
    stripped = [t.strip() for t in texts if t.strip()]
    assert stripped[-2] == demo["xcb"].organization.name and stripped[-1].startswith("20")
    assert len(doc.tables) == 1 and doc.tables[0].rows[0].cells[0].text == "县（区）"

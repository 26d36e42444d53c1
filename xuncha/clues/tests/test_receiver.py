"""The receiving 纪委监委's side: a final 签收, every handling step kept, 办结 with its 四种形态,
the source petition's attachments travelling with the clue; numbers unique in the commission's list."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.audit.models import AuditEntry
from xuncha.clues import services
from xuncha.clues.models import Clue, Disposal, HandlingStep
from xuncha.petitions import services as petition_services
from xuncha.rounds.models import Round

pytestmark = pytest.mark.django_db
D = Disposal.Kind
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def transferred(city_round, make_clue, orgs, demo):
    clue = make_clue(city_round, person="某副主任", leadership=True, level="township")
    services.dispose(demo["xcb"], clue, kind=D.DISCIPLINE, receiver=orgs("安康市", kind="discipline"),
                     decided_on=date(2026, 11, 16))
    return clue


def test_receipt_is_final(transferred, demo, client_as):
    services.record_receipt(demo["jiwei"], transferred, receipt_no="安纪收〔2026〕9号",
                            received_on=date(2026, 11, 17))
    with pytest.raises(ValidationError, match="签收后不能修改"):
        services.record_receipt(demo["jiwei"], transferred, receipt_no="改过的", received_on=date(2026, 11, 18))
    jiwei = client_as("jiwei")
    jiwei.post(reverse("clues:receipt", args=[transferred.pk]), {"receipt_no": "再改", "received_on": "2026-11-19"})
    d = Disposal.objects.get(clue=transferred)
    assert (d.receipt_no, d.received_on) == ("安纪收〔2026〕9号", date(2026, 11, 17))
    page = jiwei.get(reverse("clues:detail", args=[transferred.pk])).content.decode()
    assert f'action="/clues/{transferred.pk}/receipt/"' not in page       # no receipt form any more


def test_handling_needs_a_receipt_first(transferred, demo):
    with pytest.raises(ValidationError, match="签收"):
        services.record_handling(demo["jiwei"], transferred, method="talk", method_on=date(2026, 11, 20))


def test_every_handling_step_is_kept(transferred, demo, client_as):
    jiwei = client_as("jiwei")
    jiwei.post(reverse("clues:receipt", args=[transferred.pk]), {"receipt_no": "收9", "received_on": "2026-11-17"})
    jiwei.post(reverse("clues:handling", args=[transferred.pk]),
               {"method": "verify", "method_on": "2026-11-20", "result": "成立核查组初步核实"})
    jiwei.post(reverse("clues:handling", args=[transferred.pk]),
               {"method": "case", "method_on": "2026-12-10", "result": "经初步核实，决定立案审查"})
    steps = list(HandlingStep.objects.filter(disposal__clue=transferred).values_list("method", "result"))
    assert steps == [("verify", "成立核查组初步核实"), ("case", "经初步核实，决定立案审查")]
    page = jiwei.get(reverse("clues:detail", args=[transferred.pk])).content.decode()
    assert "初步核实" in page and "成立核查组初步核实" in page and "立案审查" in page
    with pytest.raises(ValidationError, match="不能早于上一步"):
        services.record_handling(demo["jiwei"], transferred, method="talk", method_on=date(2026, 12, 1))
    ledger = client_as("xcb").get(reverse("clues:ledger", args=[transferred.round_id]))
    text = " ".join(str(c.value) for r in load_workbook(io.BytesIO(ledger.content))["问题线索台账"].iter_rows()
                    for c in r if c.value)
    assert "2026-11-20 初步核实" in text and "2026-12-10 立案审查" in text


def test_conclusion_shows_as_concluded_with_its_form(transferred, demo, client_as):
    services.record_receipt(demo["jiwei"], transferred, receipt_no="收9", received_on=date(2026, 11, 17))
    services.record_handling(demo["jiwei"], transferred, method="verify", method_on=date(2026, 11, 20))
    client_as("jiwei").post(reverse("clues:handling", args=[transferred.pk]), {
        "method": "talk", "method_on": "2026-12-01", "result": "谈话提醒", "concluded_on": "2026-12-03",
        "form": "2"})
    clue = Clue.objects.get(pk=transferred.pk)
    assert clue.status == Clue.Status.CONCLUDED
    assert clue.status_label == "已办结（第二种形态）"
    for who, url in (("jiwei", reverse("clues:detail", args=[clue.pk])), ("jiwei", reverse("clues:index")),
                     ("xcb", reverse("clues:round", args=[clue.round_id]))):
        page = client_as(who).get(url).content.decode()
        part = page if url.endswith(f"/{clue.pk}/") else row_of(page, clue.code)
        assert "已办结" in part and "第二种形态" in part, url
        assert "已移交" not in part.replace("移交单位", ""), url
    with pytest.raises(ValidationError, match="已于 2026-12-03 办结"):
        services.record_handling(demo["jiwei"], clue, method="case", method_on=date(2026, 12, 5))
    assert HandlingStep.objects.filter(disposal__clue=clue).count() == 2


def row_of(page: str, code: str) -> str:
    """The table row of the page that names this code."""
    at = page.index(f">{code}<")
    return page[page.rindex("<tr", 0, at):page.index("</tr>", at)]


def test_a_form_only_with_the_conclusion(transferred, demo):
    services.record_receipt(demo["jiwei"], transferred, receipt_no="收9", received_on=date(2026, 11, 17))
    with pytest.raises(ValidationError, match="办结时填写"):
        services.record_handling(demo["jiwei"], transferred, method="talk", method_on=date(2026, 11, 20), form="1")


def test_source_attachments_travel_with_the_transferred_clue(city_round, demo, orgs, client_as):
    petition, _ = petition_services.intake(
        demo["zuzhang"], city_round,
        petition_services.ReportData(subject_name="某科长", content="反映某科长收受好处费。"),
        [SimpleUploadedFile("收条照片.pdf", PDF, content_type="application/pdf")], channel="letter")
    attachment = petition.attachments.get()
    clue = services.create_clue_from_petition(demo["zuzhang"], petition, services.ClueData(
        person="某科长", summary="反映某科长收受好处费。"))
    jiwei = client_as("jiwei")
    url = reverse("clues:attachment", args=[clue.pk, attachment.pk])
    assert jiwei.get(url).status_code == 404                       # not transferred yet
    services.dispose(demo["zuzhang"], clue, kind=D.DISCIPLINE, receiver=orgs("安康市", kind="discipline"))
    page = jiwei.get(reverse("clues:detail", args=[clue.pk])).content.decode()
    assert "收条照片.pdf" in page and url in page
    response = jiwei.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    entry = AuditEntry.objects.filter(actor=demo["jiwei"], action="read.attachment").latest("seq")
    assert entry.object_id == str(clue.pk) and entry.data["attachment"] == attachment.pk
    disposal_entry = AuditEntry.objects.filter(action="clues.dispose", object_id=str(clue.pk)).latest("seq")
    assert disposal_entry.data["attachments"] == [attachment.pk]
    # the petition itself (with the reporter's identity) stays with the team
    assert jiwei.get(reverse("petitions:attachment", args=[petition.pk, attachment.pk])).status_code == 404
    assert jiwei.get(reverse("petitions:detail", args=[petition.pk])).status_code == 404
    # an attachment of another petition is not reachable through this clue
    other, _ = petition_services.intake(
        demo["zuzhang"], city_round, petition_services.ReportData(subject_name="某人", content="另一件。"),
        [SimpleUploadedFile("别的.pdf", PDF, content_type="application/pdf")], channel="letter")
    assert jiwei.get(reverse("clues:attachment", args=[clue.pk, other.attachments.get().pk])).status_code == 404


def test_numbers_are_unique_in_the_commissions_list(demo, orgs, client_as, make_clue):
    """City rounds 1 and 2 and the 石泉 county round each have a clue 1; the city 纪委 lists all three."""
    city1 = Round.objects.get(jurisdiction__name="安康市", year=2026, number=1)
    city2 = Round.objects.get(jurisdiction__name="安康市", year=2026, number=2)
    county = Round.objects.get(jurisdiction__name="石泉县", year=2026, number=1)
    commission = orgs("安康市", kind="discipline")
    clues = [make_clue(city2, username="zuyuan2"), make_clue(county), make_clue(city1)]
    services.dispose(demo["zuyuan2"], clues[0], kind=D.DISCIPLINE, receiver=commission)
    services.dispose(demo["sq_zz"], clues[1], kind=D.DISCIPLINE, receiver=commission)
    services.dispose(demo["zuzhang"], clues[2], kind=D.DISCIPLINE, receiver=commission)
    codes = [c.code for c in clues]
    assert codes[0] == "安康市XS2026-2-001" and codes[1] == "石泉县XS2026-1-001"
    assert len(set(codes)) == 3
    listed = Clue.objects.filter(disposal__receiver=commission)
    assert len({c.code for c in listed}) == listed.count() >= 3
    page = client_as("jiwei").get(reverse("clues:index")).content.decode()
    for code in codes:
        assert page.count(f">{code}<") == 1, code


def test_petition_numbers_do_not_restart_per_round(demo):
    city1 = Round.objects.get(jurisdiction__name="安康市", year=2026, number=1)
    city2 = Round.objects.get(jurisdiction__name="安康市", year=2026, number=2)
    data = petition_services.ReportData(subject_name="某人", content="内容")
    a, _ = petition_services.intake(demo["zuyuan2"], city2, data, channel="letter")
    b, _ = petition_services.intake(demo["zuzhang"], city1, data, channel="letter")
    assert a.serial_no == 1 and a.serial == "安康市XF2026-2-001"
    assert b.serial == "安康市XF2026-1-004"
    from xuncha.petitions.models import Petition
    codes = [p.serial for p in Petition.objects.select_related("round__jurisdiction")]
    assert len(codes) == len(set(codes))


def test_ledger_dates_are_date_cells(transferred, client_as, city_round):
    wb = load_workbook(io.BytesIO(client_as("xcb").get(reverse("clues:ledger", args=[city_round.pk])).content))
    ws = wb["问题线索台账"]
    header = [c.value for c in ws[3]]
    row = next(r for r in ws.iter_rows(min_row=4) if r[1].value == transferred.code)
    for name in ("移交日期", "办理时限"):
        cell = row[header.index(name)]
        assert cell.is_date and cell.number_format == "yyyy-mm-dd", name
    assert row[header.index("移交日期")].value.date() == date(2026, 11, 16)
    wb = load_workbook(io.BytesIO(client_as("xcb").get(reverse("petitions:ledger", args=[city_round.pk])).content))
    ws = wb["受理登记台账"]
    header = [c.value for c in ws[3]]
    cells = [r[header.index("受理日期")] for r in ws.iter_rows(min_row=4)]
    assert cells and all(c.is_date and c.number_format == "yyyy-mm-dd" for c in cells)

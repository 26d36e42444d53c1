"""Disposal rules (分级负责、属地管理), the receiver's handling, deadlines and the cross-check hook."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xuncha.audit.models import AuditEntry
from xuncha.clues import services
from xuncha.clues.models import Clue, Disposal

pytestmark = pytest.mark.django_db
D = Disposal.Kind


def test_leadership_clue_never_goes_to_the_inspected_unit(county_round, make_clue, orgs, demo):
    clue = make_clue(county_round, leadership=True, person="县人防办主任")
    unit = orgs("石泉县", suffix="人民防空办公室")
    with pytest.raises(ValidationError, match="领导班子"):
        services.dispose(demo["sq_zz"], clue, kind=D.PARTY_ORG, receiver=unit)
    assert not Disposal.objects.filter(clue=clue).exists()
    clue.refresh_from_db()
    assert clue.status == Clue.Status.PENDING
    # the office cannot either, nor through the page
    with pytest.raises(ValidationError):
        services.dispose(demo["sq_xcb"], clue, kind=D.PARTY_ORG, receiver=unit)
    from django.test import Client
    c = Client()
    c.force_login(demo["sq_zz"])
    c.post(reverse("clues:dispose", args=[clue.pk]), {"kind": "party_org", "receiver": unit.pk,
                                                      "decided_on": "2026-11-20", "deadline_days": 30})
    assert not Disposal.objects.filter(clue=clue).exists()
    # to the discipline commission it may go
    services.dispose(demo["sq_zz"], clue, kind=D.DISCIPLINE, receiver=orgs("石泉县", kind="discipline"))
    assert Disposal.objects.get(clue=clue).kind == D.DISCIPLINE


def test_leadership_flag_from_petition_carries_over(county_round, orgs, demo):
    from xuncha.petitions import services as petition_services
    from xuncha.petitions.models import Petition
    petition, _ = petition_services.intake(
        demo["sq_zz"], county_round, petition_services.ReportData(
            subject_name="县人防办主任", content="反映主任问题", concerns_leadership=True),
        channel=Petition.Channel.LETTER)
    clue = services.create_clue_from_petition(demo["sq_zz"], petition, services.ClueData(
        person="县人防办主任", summary="反映主任问题"))
    assert clue.concerns_leadership and clue.source == Clue.Source.PETITION
    petition.refresh_from_db()
    assert petition.status == Petition.Status.CLUE
    clue.concerns_leadership = False      # even if someone cleared the flag on the clue
    clue.save()
    with pytest.raises(ValidationError):
        services.dispose(demo["sq_zz"], clue, kind=D.PARTY_ORG, receiver=orgs("石泉县", suffix="人民防空办公室"))


def test_general_matter_may_go_to_the_inspected_unit(county_round, make_clue, orgs, demo):
    clue = make_clue(county_round, person="某科员", level="general")
    d = services.dispose(demo["sq_zz"], clue, kind=D.PARTY_ORG, receiver=orgs("石泉县", suffix="人民防空办公室"),
                         decided_on=date(2026, 11, 20), deadline_days=10)
    assert d.deadline == date(2026, 12, 4)           # 10 working days later
    assert Clue.objects.get(pk=clue.pk).status == Clue.Status.TRANSFERRED


def test_unit_head_and_county_level_cadres_not_to_the_unit(county_round, make_clue, orgs, demo):
    unit = orgs("石泉县", suffix="人民防空办公室")
    head_clue = make_clue(county_round, person=f"{unit.head}（主任）")
    with pytest.raises(ValidationError):
        services.dispose(demo["sq_zz"], head_clue, kind=D.PARTY_ORG, receiver=unit)
    senior = make_clue(county_round, level="county")
    with pytest.raises(ValidationError):
        services.dispose(demo["sq_zz"], senior, kind=D.PARTY_ORG, receiver=unit)


def test_receiver_must_fit_the_kind(county_round, make_clue, orgs, demo):
    clue = make_clue(county_round)
    with pytest.raises(ValidationError):     # a unit is not a 纪委监委
        services.dispose(demo["sq_zz"], clue, kind=D.DISCIPLINE, receiver=orgs("石泉县", suffix="财政局"))
    with pytest.raises(ValidationError):     # another county's commission
        services.dispose(demo["sq_zz"], clue, kind=D.DISCIPLINE, receiver=orgs("汉阴县", kind="discipline"))
    with pytest.raises(ValidationError):     # not an inspected unit of this round
        services.dispose(demo["sq_zz"], clue, kind=D.PARTY_ORG, receiver=orgs("石泉县", suffix="财政局"))
    with pytest.raises(ValidationError):     # 留存备查 needs a reason
        services.dispose(demo["sq_zz"], clue, kind=D.KEEP)
    d = services.dispose(demo["sq_zz"], clue, kind=D.ORGANIZATION, receiver=orgs("石泉县", suffix="委组织部"))
    assert d.receiver.name == "石泉县委组织部"
    with pytest.raises(ValidationError, match="已处置"):
        services.dispose(demo["sq_zz"], clue, kind=D.CLOSE, reason="重复")


def test_who_may_dispose(city_round, make_clue, orgs, demo):
    clue = make_clue(city_round)
    for username in ("zuyuan", "lianluo", "leader", "jiwei", "rfb", "sq_xcb", "zuyuan2"):
        with pytest.raises(PermissionDenied):
            services.dispose(demo[username], clue, kind=D.KEEP, reason="留存")
    services.dispose(demo["fuzuzhang"], clue, kind=D.KEEP, reason="留存备查")
    assert Clue.objects.get(pk=clue.pk).status == Clue.Status.KEPT


def test_discipline_records_handling_and_four_forms(city_round, make_clue, orgs, demo, client_as):
    clue = make_clue(city_round, person="某副主任", leadership=True, level="county")
    services.dispose(demo["xcb"], clue, kind=D.DISCIPLINE, receiver=orgs("安康市", kind="discipline"),
                     decided_on=date(2026, 11, 16), letter_no="安巡移〔2026〕2号")
    jiwei = client_as("jiwei")
    assert jiwei.get(reverse("clues:detail", args=[clue.pk])).status_code == 200
    r = jiwei.post(reverse("clues:receipt", args=[clue.pk]), {"receipt_no": "安纪收〔2026〕9号",
                                                              "received_on": "2026-11-17"})
    assert r.status_code == 302
    with pytest.raises(ValidationError):      # concluded needs a 形态
        services.record_handling(demo["jiwei"], clue, method=Disposal.Method.TALK,
                                 method_on=date(2026, 11, 20), concluded_on=date(2026, 12, 1))
    jiwei.post(reverse("clues:handling", args=[clue.pk]), {
        "method": "talk", "method_on": "2026-11-20", "form": "1", "result": "谈话提醒",
        "concluded_on": "2026-12-01"})
    d = Disposal.objects.get(clue=clue)
    assert (d.receipt_no, d.method, d.form, d.concluded_on) == ("安纪收〔2026〕9号", "talk", "1", date(2026, 12, 1))
    assert d.get_form_display() == "第一种形态"
    assert AuditEntry.objects.filter(action="clues.handling", object_id=str(clue.pk)).exists()
    # another commission, the team member and the unit cannot record
    for username in ("sq_xcb", "zuyuan", "rfb"):
        with pytest.raises(PermissionDenied):
            services.record_handling(demo[username], clue, method="case", method_on=date(2026, 12, 2))


def test_overdue_receivers_are_flagged(city_round, make_clue, orgs, demo, client_as):
    clue = make_clue(city_round)
    d = services.dispose(demo["xcb"], clue, kind=D.DISCIPLINE, receiver=orgs("安康市", kind="discipline"),
                         decided_on=date(2025, 1, 6), deadline_days=5)
    assert d.deadline == date(2025, 1, 13)
    assert d.is_overdue(date(2025, 1, 14)) and not d.is_overdue(date(2025, 1, 13))
    assert "逾期" in client_as("xcb").get(reverse("clues:round", args=[city_round.pk])).content.decode()
    assert "逾期" in client_as("jiwei").get(reverse("clues:index")).content.decode()
    d.method, d.method_on, d.form, d.concluded_on = "conclude", date(2025, 1, 8), "0", date(2025, 1, 9)
    d.save()
    assert not d.is_overdue(date(2025, 2, 1))


def test_transfer_deadline_counts_official_working_days_across_national_day(city_round, make_clue, orgs, demo):
    """2026-09-28 + 5 working days: 9/29, 9/30, then 国庆 10/1–7 off, 10/8, 10/9 and the make-up
    Saturday 10/10. Weekdays only would give 10/5, calendar days 10/3."""
    clue = make_clue(city_round)
    d = services.dispose(demo["xcb"], clue, kind=D.DISCIPLINE, receiver=orgs("安康市", kind="discipline"),
                         decided_on=date(2026, 9, 28), deadline_days=5)
    assert (d.deadline, d.deadline_estimated) == (date(2026, 10, 10), False)
    assert d.deadline_label == "2026年10月10日"


def test_transfer_deadline_into_an_unentered_year_is_marked_estimated(city_round, make_clue, orgs, demo,
                                                                      client_as):
    """2026-11-25 + 30 working days reaches 2027, which the calendar does not cover yet: 元旦 is off,
    the deadline is stored with its 按周末估算 mark and every page and ledger shows it."""
    clue = make_clue(city_round)
    d = services.dispose(demo["xcb"], clue, kind=D.DISCIPLINE, receiver=orgs("安康市", kind="discipline"),
                         decided_on=date(2026, 11, 25), deadline_days=30)
    d.refresh_from_db()
    assert (d.deadline, d.deadline_estimated) == (date(2027, 1, 7), True)
    assert "按周末估算" in d.deadline_label
    for who, url in (("xcb", reverse("clues:detail", args=[clue.pk])), ("jiwei", reverse("clues:index")),
                     ("jiwei", reverse("clues:handover", args=[clue.pk]))):
        assert "2027年1月7日（按周末估算）" in client_as(who).get(url).content.decode(), url


def test_crosscheck_hook(city_round, demo):
    records = [{"项目": "某商住楼", "应缴": 158000}]
    clue = services.create_clue_from_crosscheck(demo["zuyuan"], city_round, rule_code="R07",
                                                summary="易地建设费减免无审批", amount=158000.5, records=records)
    assert clue.source == Clue.Source.CROSSCHECK and clue.rule_code == "R07"
    assert clue.amount == Decimal("158000.50") and clue.records == records
    with pytest.raises(PermissionDenied):
        services.create_clue_from_crosscheck(demo["hy_zz"], city_round, rule_code="R07", summary="x")
    system = services.create_clue_from_crosscheck(None, city_round, rule_code="R01", summary="系统生成")
    assert system.number == clue.number + 1


def test_clue_numbers_per_round(county_round, make_clue):
    assert [make_clue(county_round).code for _ in range(3)] == [
        "石泉县XS2026-1-001", "石泉县XS2026-1-002", "石泉县XS2026-1-003"]

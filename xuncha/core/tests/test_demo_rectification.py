"""The demo shows the back half of a round: 汉阴县's own round is in the 整改 stage, with a ledger in every
status, figures on the 指挥舱 that match the ledger, and pages that the demo accounts can open; 石泉县's
round of a year before is archived."""

from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from xuncha.audit.models import AuditEntry
from xuncha.core import demo
from xuncha.dashboard import selectors as dashboard
from xuncha.rectification.models import Accountability, Item, PlanVersion, RuleMade, Visit
from xuncha.reports.models import Report
from xuncha.rounds.models import Round
from xuncha.workdays.services import is_working_day, working_days_between

IS = Item.Status


def _round() -> Round:
    return Round.objects.get(jurisdiction__name="汉阴县", stage=Round.Stage.RECTIFICATION)


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_demo_round_is_in_rectification_with_a_ledger_in_every_status(demo_full):
    today = timezone.localdate()
    r = _round()
    assert r.report.status == Report.Status.APPROVED and r.report.meeting_date < today
    stages = list(r.stage_changes.order_by("at", "pk").values_list("to_stage", "at"))
    assert [s for s, _at in stages] == ["preparation", "onsite", "reporting", "feedback", "rectification"]
    assert all(a < b for (_s, a), (_t, b) in zip(stages, stages[1:], strict=False))
    assert r.planned_end < today and timezone.localtime(stages[-1][1]).date() < today
    feedback = r.feedbacks.get()
    assert feedback.signed_by == demo_full["hy_rfb_head"] and feedback.head_briefed_at < feedback.issued_at
    assert feedback.plan_due < today
    versions = list(feedback.rect_plan.versions.order_by("number"))
    assert [v.outcome for v in versions] == [PlanVersion.Outcome.RETURNED, PlanVersion.Outcome.ACCEPTED]
    assert versions[0].comments and timezone.localtime(versions[1].submitted_at).date() <= feedback.plan_due

    items = Item.objects.filter(feedback=feedback)
    assert set(items.values_list("status", flat=True)) == set(IS.values)
    closed = items.filter(status=IS.CLOSED)
    assert set(closed.values_list("result", flat=True)) == {Item.Result.DONE, Item.Result.BASIC}
    red = items.get(red_card_open=True)
    assert red.status == IS.RETURNED and red.red_cards == 1
    overdue = items.exclude(status=IS.CLOSED).filter(deadline__lt=today, red_card_open=False).get()
    assert overdue.status == IS.IN_PROGRESS and overdue.amount_recovered < overdue.amount_to_recover
    assert working_days_between(overdue.deadline, today)[0] > 0
    assert all(is_working_day(i.deadline)[0] for i in items)
    assert items.filter(status=IS.REQUESTED).get().deadline >= today
    assert items.filter(status=IS.NOT_STARTED).get().deadline >= today
    assert Accountability.objects.filter(feedback=feedback).values("form").distinct().count() == 2
    assert RuleMade.objects.filter(feedback=feedback).exists()
    assert Visit.objects.filter(feedback=feedback, visited_on__lt=today).exists()
    # written through the services: audit entries on the story's days, and the chain is intact
    audit = AuditEntry.objects.filter(action__in=["rectification.close", "rectification.red_card"],
                                      object_type="rectification.item", object_id__in=[str(i.pk) for i in items])
    assert audit.count() == 4 and all(timezone.localtime(e.at).date() < today for e in audit)

    assert demo.load() is False              # idempotent
    assert Round.objects.filter(jurisdiction__name="汉阴县", stage=Round.Stage.RECTIFICATION).count() == 1


def test_dashboard_figures_of_the_county_match_the_ledger(demo_full):
    r = _round()
    office = demo_full["hy_xcb"]
    items = Item.objects.filter(feedback__round__jurisdiction=r.jurisdiction)
    money = items.aggregate(to_recover=Sum("amount_to_recover"), recovered=Sum("amount_recovered"))
    f = dashboard.parse_filters(office, {"county": str(r.jurisdiction_id)})
    rect = dashboard.all_figures(office, f)["rect"]
    assert rect["points"] == items.count() > 0
    assert rect["closed"] == items.filter(status=IS.CLOSED).count() > 0
    assert rect["to_recover"] == money["to_recover"] > 0
    assert rect["recovered"] == money["recovered"] > 0 and rect["recovered"] < rect["to_recover"]
    assert rect["accountable"] == Accountability.objects.filter(feedback__round=r).count() == 2
    assert rect["overdue"] == 2 and rect["red_open"] == 1
    assert rect["shares"]["done"] > 0 and rect["shares"]["basic"] > 0
    page = _client(office).get("/dashboard/", {"county": r.jurisdiction_id}).content.decode()
    assert f"{rect['recovered']:.2f}" in page
    city = dashboard.all_figures(demo_full["xcb"], dashboard.parse_filters(demo_full["xcb"], {}))["rect"]
    assert city["recovered"] == Item.objects.aggregate(s=Sum("amount_recovered"))["s"] > Decimal(money["recovered"])


def test_unit_sees_its_ledger_and_the_county_office_the_overdue_item(demo_full):
    r = _round()
    feedback = r.feedbacks.get()
    today = timezone.localdate()
    overdue = Item.objects.get(feedback=feedback, deadline__lt=today, red_card_open=False, status=IS.IN_PROGRESS)
    for username in ("hy_rfb", "hy_rfb_head"):
        response = _client(demo_full[username]).get(f"/rectification/feedback/{feedback.pk}/")
        assert response.status_code == 200, username
        body = response.content.decode()
        assert "违规减免易地建设费" in body and "虚假整改" in body and "申请销号" in body
    assert feedback.pk and "汉阴县" in _client(demo_full["hy_rfb"]).get("/rectification/").content.decode()
    response = _client(demo_full["hy_xcb"]).get("/rectification/oversight/")
    assert response.status_code == 200
    body = response.content.decode()
    assert overdue.problem.title in body and f"/rectification/items/{overdue.pk}/" in body
    # another county's office does not see it
    assert overdue.problem.title not in _client(demo_full["sq_xcb"]).get("/rectification/oversight/").content.decode()


def test_back_half_pages_open_for_the_demo_accounts(demo_full):
    """The pages of the rectification round open (200) for every account that reaches them, item pages too."""
    r = _round()
    feedback = r.feedbacks.get()
    pages = ["/", "/rectification/", f"/rectification/feedback/{feedback.pk}/", f"/reports/feedback/{feedback.pk}/",
             *[f"/rectification/items/{i.pk}/" for i in feedback.rect_items.all()]]
    staff = ["/rectification/oversight/", "/dashboard/", f"/rounds/{r.pk}/", f"/reports/round/{r.pk}/report/"]
    for username in ("hy_xcb", "hy_leader", "xcb", "leader", "hy_zz", "hy_rfb", "hy_rfb_head"):
        c = _client(demo_full[username])
        for path in pages + (staff if username in ("hy_xcb", "hy_leader", "xcb", "leader") else []):
            assert c.get(path).status_code == 200, (username, path)


def test_an_archived_round_with_its_archive(demo_full):
    r = Round.objects.get(jurisdiction__name="石泉县", stage=Round.Stage.ARCHIVED)
    feedback = r.feedbacks.get()
    items = Item.objects.filter(feedback=feedback)
    assert items.count() == 4 and not items.exclude(status=IS.CLOSED).exists()
    assert Visit.objects.get(feedback=feedback).conclusion == Visit.Conclusion.DONE
    assert r.stage_changes.order_by("-at", "-pk").first().to_stage == Round.Stage.ARCHIVED
    response = _client(demo_full["sq_xcb"]).get(f"/reports/round/{r.pk}/archive.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_the_story_is_counted_back_from_the_day_the_demo_is_loaded(empty_database, monkeypatch):
    """Loaded on a Monday after 元旦 (the round's year is then the year before): still one overdue row."""
    day = date(2027, 1, 4)
    moment = datetime.combine(day, time(10), timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert demo.load() is True
    monkeypatch.undo()
    r = _round()
    items = Item.objects.filter(feedback__round=r)
    assert r.year == 2026 and r.number == 1
    assert Round.objects.filter(jurisdiction=r.jurisdiction, year=2026).count() == 2
    assert items.filter(deadline__lt=day, red_card_open=False).exclude(status=IS.CLOSED).count() == 1
    assert items.filter(deadline__gt=day).count() == 4

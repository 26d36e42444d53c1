"""Deadlines on the working-day calendar across 国庆节 2026 (10月1日—7日 off, 10月10日 a make-up working day),
reminders before due and when overdue (in the app and by e-mail, each once), and the office's 督办 list."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xuncha.orgs.models import User
from xuncha.reports.services import rectification_clock
from xuncha.reports.tests.conftest import fresh

from .. import ledger, plans, selectors
from ..models import Item, Reminder
from ..reminders import send_reminders
from .conftest import accepted, pdf_upload

TZ = ZoneInfo("Asia/Shanghai")
SIGNED = date(2026, 9, 29)


@pytest.fixture
def holiday(demo, signed):
    """The feedback signed on 2026-09-29: the plan is due 10 working days later, across 国庆节."""
    for name, email in (("rfb", "rfb@rfb.ak.gov.cn"), ("rfb_head", "head@rfb.ak.gov.cn"), ("xcb", "xcb@ak.gov.cn")):
        demo[name].email = email
        demo[name].save(update_fields=["email"])
    plan, report = rectification_clock(SIGNED)
    type(signed).objects.filter(pk=signed.pk).update(
        signed_at=datetime(2026, 9, 29, 10, tzinfo=TZ), plan_due=plan.due, report_due=report.due)
    return fresh(signed)


def kinds(outcome):
    return sorted((r.kind, r.item.code if r.item_id else "") for r in outcome.created)


def test_plan_due_counts_working_days_across_national_day(holiday):
    # 9-30, 10-8, 10-9, 10-10 (make-up Saturday), 10-12 … 10-16, 10-19: the tenth working day
    assert holiday.plan_due == date(2026, 10, 19)
    # 10-13: 4 working days left although 6 calendar days — no reminder yet
    assert kinds(send_reminders(date(2026, 10, 13))) == []
    # 10-14: 3 working days left (10-15, 10-16, 10-19)
    assert kinds(send_reminders(date(2026, 10, 14))) == [("plan_soon", "")]
    assert kinds(send_reminders(date(2026, 10, 19))) == []               # already reminded for this due date
    # 10-20: overdue by one working day; the office is told too
    out = send_reminders(date(2026, 10, 20))
    assert kinds(out) == [("plan_overdue", "")]
    assert "已逾期1个工作日" in out.created[0].text
    assert mail.outbox[-1].to == ["head@rfb.ak.gov.cn", "rfb@rfb.ak.gov.cn", "xcb@ak.gov.cn"]
    assert mail.outbox[0].to == ["head@rfb.ak.gov.cn", "rfb@rfb.ak.gov.cn"]    # before due: the unit only
    xcb = User.objects.get(username="xcb")
    rows = selectors.overdue_rows(xcb, date(2026, 10, 20))
    assert [r["feedback"].pk for r in rows["plans"]] == [holiday.pk]
    assert selectors.overdue_rows(xcb, date(2026, 10, 19))["plans"] == []       # due today is not overdue


def test_item_reminders_before_and_after_the_holiday_each_sent_once(demo, holiday):
    f = accepted(demo, holiday)
    Item.objects.filter(feedback=f).update(deadline=date(2026, 10, 8))       # first working day after the holiday
    close = Item.objects.get(feedback=f, problem__number=4)
    ledger.add_evidence(demo["rfb"], close, pdf_upload())
    ledger.request_closure(demo["rfb"], Item.objects.get(pk=close.pk))        # awaiting the office: not reminded
    mail.outbox.clear()
    # 9-24: 4 working days left (9-28, 9-29, 9-30, 10-8; 9-25 is 中秋节)
    assert kinds(send_reminders(date(2026, 9, 24))) == []
    # 9-30: 8 calendar days but 1 working day left
    out = send_reminders(date(2026, 9, 30))
    assert kinds(out) == [("item_soon", "1-1"), ("item_soon", "2-1")]
    assert len(mail.outbox) == 2 and "剩1个工作日" in mail.outbox[0].body
    # 10-7 (still the holiday): not overdue, nothing new; running twice sends nothing twice
    assert kinds(send_reminders(date(2026, 10, 7))) == []
    assert kinds(send_reminders(date(2026, 10, 8))) == []
    assert len(mail.outbox) == 2
    me = User.objects.get(username="xcb")
    assert selectors.overdue_rows(me, date(2026, 10, 8))["items"] == []
    # 10-9: overdue
    out = send_reminders(date(2026, 10, 9))
    assert kinds(out) == [("item_overdue", "1-1"), ("item_overdue", "2-1")]
    assert [r["item"].code for r in selectors.overdue_rows(me, date(2026, 10, 9))["items"]] == ["1-1", "2-1", "4-1"]
    call_command("remind", "--date", "2026-10-09")
    assert Reminder.objects.filter(kind="item_overdue").count() == 2 and len(mail.outbox) == 4
    # the unit sees its reminders in the app
    page = Client()
    page.force_login(demo["rfb"])
    body = page.get(reverse("rectification:feedback", args=[f.pk])).content.decode()
    assert "整改事项1-1" in body and "已逾期" in body
    # and on its home page (待我办理) while recent
    Reminder.objects.update(created_at=timezone.now())
    assert "提醒：安康市人民防空办公室：整改事项1-1" in page.get("/").content.decode()


def test_a_failed_mail_is_sent_on_the_next_run_never_twice(demo, holiday, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2   # nothing listens there
    out = send_reminders(date(2026, 10, 14))
    assert (len(out.created), out.emailed, out.failed) == (1, 0, 1)
    assert not Reminder.objects.get().emailed
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = send_reminders(date(2026, 10, 14))
    assert (len(out.created), out.emailed, len(mail.outbox)) == (0, 1, 1)
    out = send_reminders(date(2026, 10, 15))
    assert (len(out.created), out.emailed, len(mail.outbox)) == (0, 0, 1)


def test_a_filed_plan_is_not_reminded(demo, holiday):
    from .conftest import full_plan

    plans.file_plan(demo["rfb"], holiday, full_plan(holiday))
    assert kinds(send_reminders(date(2026, 10, 20))) == []

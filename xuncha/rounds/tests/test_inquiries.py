"""函询: due dates in working days, replies, overdue flags, who may send them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from xuncha.rounds import inquiries
from xuncha.rounds.models import Inquiry, Round


def test_due_date_counts_working_days_across_national_day(demo):
    r = Round.objects.get(title="2026年人防系统腐败问题专项巡察")
    i = inquiries.send_inquiry(demo["xcb"], r, recipient=Inquiry.Recipient.AUDIT, subject="审计发现问题",
                               sent_on=date(2026, 9, 30), due_days=5)
    assert (i.due_on, i.due_estimated) == (date(2026, 10, 13), False)   # 10-8, 9, 10 (Sat), 12, 13
    assert i.is_overdue(today=date(2026, 10, 14)) and not i.is_overdue(today=date(2026, 10, 13))
    later = inquiries.send_inquiry(demo["zuzhang"], r, recipient=Inquiry.Recipient.LEGAL, subject="政法",
                                   sent_on=date(2026, 12, 28), due_days=5)
    assert later.due_estimated is True
    inquiries.record_reply(demo["xcb"], i, replied_on=date(2026, 10, 20), reply="已回复")
    assert not i.is_overdue(today=date(2026, 12, 1))


def test_who_may_send(demo, client_as):
    r = Round.objects.get(title="2026年人防系统腐败问题专项巡察")
    for who in ("zuyuan", "rfb", "leader"):
        with pytest.raises(PermissionDenied):
            inquiries.send_inquiry(demo[who], r, recipient="audit", subject="x", sent_on=date(2026, 11, 2))
    inquiries.send_inquiry(demo["xcb"], r, recipient="petition", subject="长期未复的函询",
                           sent_on=date(2025, 3, 3), due_days=5)
    page = client_as("xcb").get(reverse("rounds:inquiries", args=[r.pk])).content.decode()
    assert page.count("已逾期") >= 1 and "长期未复的函询" in page
    assert client_as("rfb").get(reverse("rounds:inquiries", args=[r.pk])).status_code == 403
    assert client_as("zuyuan").post(reverse("rounds:inquiries", args=[r.pk]), {}).status_code == 403
    resp = client_as("zuzhang").post(reverse("rounds:inquiries", args=[r.pk]), {
        "recipient": "legal", "subject": "政法机关掌握的问题线索", "sent_on": "2026-11-20", "due_days": "5"})
    assert resp.status_code == 302
    assert Inquiry.objects.get(subject="政法机关掌握的问题线索").due_on == date(2026, 11, 27)


def test_home_panel_flags_overdue_inquiries_for_office_not_unit(demo, client_as):
    r = Round.objects.get(title="2026年人防系统腐败问题专项巡察")
    inquiries.send_inquiry(demo["xcb"], r, recipient="petition", subject="久未回复的函询", sent_on=date(2025, 3, 3))
    assert "久未回复的函询" in client_as("xcb").get(reverse("home")).content.decode()
    assert "久未回复的函询" in client_as("zuzhang").get(reverse("home")).content.decode()
    for who in ("rfb", "zuyuan", "jiwei"):
        assert "久未回复的函询" not in client_as(who).get(reverse("home")).content.decode()

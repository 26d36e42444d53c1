"""Working days on China's official calendar (国务院办公厅节假日安排), 2024–2026, and beyond."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from xuncha.workdays import services
from xuncha.workdays.models import CalendarDay, CalendarYear

D = date.fromisoformat


@pytest.mark.parametrize("day, working", [
    # 2025 国庆节、中秋节: 10月1日至8日放假，9月28日（周日）、10月11日（周六）上班
    ("2025-09-28", True), ("2025-10-01", False), ("2025-10-08", False), ("2025-10-11", True),
    ("2025-10-12", False),
    # 2025 春节: 1月28日至2月4日放假，1月26日（周日）、2月8日（周六）上班
    ("2025-01-26", True), ("2025-01-28", False), ("2025-02-04", False), ("2025-02-08", True),
    # 2026 春节: 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班
    ("2026-02-14", True), ("2026-02-15", False), ("2026-02-23", False), ("2026-02-24", True),
    ("2026-02-28", True),
    # 2026 国庆节: 10月1日至7日放假，9月20日（周日）、10月10日（周六）上班
    ("2026-09-20", True), ("2026-10-01", False), ("2026-10-07", False), ("2026-10-08", True),
    ("2026-10-10", True),
    # 2024 国庆节: 10月1日至7日放假，9月29日（周日）、10月12日（周六）上班
    ("2024-09-29", True), ("2024-10-07", False), ("2024-10-12", True),
    # plain weekdays / weekends
    ("2026-11-25", True), ("2026-11-28", False),
])
@pytest.mark.django_db
def test_is_working_day(day, working):
    assert services.is_working_day(D(day)) == (working, False)


@pytest.mark.parametrize("start, n, due", [
    ("2025-09-26", 1, "2025-09-28"),    # Friday + 1 → the make-up Sunday
    ("2025-09-30", 1, "2025-10-09"),    # across the National Day week
    ("2025-09-30", 5, "2025-10-14"),    # counts the make-up Saturday 10-11
    ("2025-10-10", 1, "2025-10-11"),
    ("2026-02-13", 1, "2026-02-14"),    # make-up Saturday before 春节
    ("2026-02-14", 1, "2026-02-24"),    # across 春节 2-15..2-23
    ("2026-02-13", 10, "2026-03-05"),   # 10 working days incl. 2-14 and 2-28
    ("2026-09-18", 1, "2026-09-20"),    # make-up Sunday before 国庆
    ("2026-09-30", 1, "2026-10-08"),
    ("2026-09-30", 10, "2026-10-20"),   # incl. make-up Saturday 10-10
    ("2026-10-08", -1, "2026-09-30"),   # backwards
])
@pytest.mark.django_db
def test_add_working_days_across_holidays(start, n, due):
    assert services.add_working_days(D(start), n) == (D(due), False)


@pytest.mark.django_db
def test_working_days_between():
    assert services.working_days_between(D("2026-02-13"), D("2026-03-05")) == (10, False)
    assert services.working_days_between(D("2026-03-05"), D("2026-02-13")) == (-10, False)


@pytest.mark.django_db
def test_year_not_covered_is_estimated_until_entered():
    low, high = services.package_years()
    assert high == 2026, "the package gained a year: update this test and the demo"
    # 2026-12-24 (Thu) + 10 working days: 2027 is estimated — weekends and 元旦 (a fixed date) off
    due, estimated = services.add_working_days(D("2026-12-24"), 10)
    assert estimated is True
    assert due == D("2027-01-08")       # Dec 25, 28-31, Jan 4-8 (Jan 1, a Friday, is 元旦)
    assert "按周末估算" in services.working_deadline(D("2026-12-24"), 10).label
    # the office enters 2027's New Year make-up working day (a Saturday), then confirms the year
    CalendarDay.objects.create(date=D("2027-01-02"), is_workday=True, name="元旦调休")
    due, estimated = services.add_working_days(D("2026-12-24"), 10)
    assert (due, estimated) == (D("2027-01-07"), True)
    CalendarYear.objects.create(year=2027)
    # once the year is entered, only the office's table and weekends count (元旦 must be entered too)
    assert services.add_working_days(D("2026-12-24"), 10) == (D("2027-01-06"), False)
    CalendarDay.objects.create(date=D("2027-01-01"), is_workday=False, name="元旦")
    assert services.add_working_days(D("2026-12-24"), 10) == (D("2027-01-07"), False)
    assert services.working_deadline(D("2026-12-24"), 10).label == "2027年1月7日"


@pytest.mark.django_db
def test_estimate_knows_the_fixed_date_holidays():
    """元旦, 劳动节 (5月1日、2日) and 国庆节 (10月1日至3日) are off in an estimated year."""
    for day in ("2027-01-01", "2027-05-01", "2027-05-03", "2027-10-01", "2027-10-04"):
        working, estimated = services.is_working_day(D(day))
        assert estimated is True
        assert working is (day in ("2027-05-03", "2027-10-04")), day


@pytest.mark.django_db
def test_office_table_overrides_package():
    CalendarDay.objects.create(date=D("2026-11-27"), is_workday=False, name="临时调整")
    assert services.is_working_day(D("2026-11-27")) == (False, False)
    assert services.add_working_days(D("2026-11-26"), 1) == (D("2026-11-30"), False)


def test_add_months():
    assert services.add_months(D("2026-12-31"), 2) == D("2027-02-28")
    assert services.add_months(D("2026-11-25"), 2) == D("2027-01-25")


def test_calendar_page_only_for_office(client_as):
    assert client_as("zuyuan").get(reverse("workdays:home")).status_code == 403
    assert client_as("rfb").get(reverse("workdays:home")).status_code == 403
    refused = client_as("leader").post(reverse("workdays:day_add"),
                                       {"date": "2027-01-01", "is_workday": "0", "name": "元旦"})
    assert refused.status_code == 403
    assert not CalendarDay.objects.exists()
    c = client_as("xcb")
    assert c.get(reverse("workdays:home")).status_code == 200
    c.post(reverse("workdays:day_add"), {"date": "2027-01-01", "is_workday": "0", "name": "元旦"})
    c.post(reverse("workdays:year_mark"), {"year": "2027", "source": "国务院办公厅通知"})
    assert CalendarDay.objects.get(date=D("2027-01-01")).is_workday is False
    assert CalendarYear.objects.filter(year=2027).exists()
    page = c.get(reverse("workdays:home"), {"start": "2026-12-24", "days": "10"}).content.decode()
    assert "2027年1月8日" in page
    from xuncha.audit.models import AuditEntry
    assert AuditEntry.objects.filter(action="workdays.day_save").exists()


@hsettings(max_examples=60, deadline=None)
@given(start=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 10, 31)), n=st.integers(1, 40))
@pytest.mark.django_db
def test_add_and_count_agree(start, n):
    due, estimated = services.add_working_days(start, n)
    assert not estimated
    assert services.is_working_day(due) == (True, False)
    assert services.working_days_between(start, due) == (n, False)
    assert services.add_working_days(due, -n)[0] <= start

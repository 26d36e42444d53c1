"""Working-day arithmetic on China's official calendar (工作日计算).

Sources, in order: the office's own table (``CalendarDay``) for any date it lists; the
``chinesecalendar`` package for the years it covers; for other years an estimate — weekends and
the statutory holidays fixed to a calendar date (《全国年节及纪念日放假办法》: 元旦 1月1日,
劳动节 5月1日、2日, 国庆节 10月1日至3日) are days off — and the result is marked estimated
(按周末估算) until the office enters that year (``CalendarYear``). The lunar holidays and the
make-up working days are only known from the State Council's notice, hence the mark.

Other apps use ``add_working_days`` / ``working_days_between`` / ``is_working_day``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from django.db import transaction

from xuncha.audit.services import record

from .models import CalendarDay, CalendarYear

ESTIMATED_LABEL = "按周末估算"
#: statutory holidays on a fixed calendar date (month, day), used for years not yet entered
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


@functools.cache
def package_years() -> tuple[int, int]:
    """Years covered by the installed chinesecalendar package (fixed data: computed once)."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def _package_covers(year: int) -> bool:
    low, high = package_years()
    return low <= year <= high


class _Calendar:
    """Caches table look-ups for one computation."""

    def __init__(self):
        self._overrides: dict[date, bool] | None = None
        self._entered: set[int] | None = None

    @property
    def overrides(self) -> dict[date, bool]:
        if self._overrides is None:
            self._overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
        return self._overrides

    @property
    def entered(self) -> set[int]:
        if self._entered is None:
            self._entered = set(CalendarYear.objects.values_list("year", flat=True))
        return self._entered

    def status(self, day: date) -> tuple[bool, bool]:
        """(is working day, estimated)."""
        if day in self.overrides:
            return self.overrides[day], False
        if _package_covers(day.year):
            return chinese_calendar.is_workday(day), False
        estimated = day.year not in self.entered
        if estimated and (day.month, day.day) in FIXED_HOLIDAYS:
            return False, True
        return day.weekday() < 5, estimated


def is_working_day(day: date) -> tuple[bool, bool]:
    """Is ``day`` a working day? Returns (answer, estimated)."""
    return _Calendar().status(day)


def add_working_days(start: date, n: int) -> tuple[date, bool]:
    """The date ``n`` working days after ``start`` (``start`` itself not counted).

    E.g. 整改方案 within 10 working days of feedback: ``add_working_days(feedback_day, 10)``.
    ``n`` may be negative (counts backwards). Returns (date, estimated) where estimated is True
    when any day counted lies in a year neither the package nor the office table covers.
    """
    cal = _Calendar()
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    estimated = False
    while remaining:
        day += timedelta(days=step)
        working, est = cal.status(day)
        estimated = estimated or est
        if working:
            remaining -= 1
    return day, estimated


def working_days_between(start: date, end: date) -> tuple[int, bool]:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        count, est = working_days_between(end, start)
        return -count, est
    cal = _Calendar()
    count, estimated, day = 0, False, start
    while day < end:
        day += timedelta(days=1)
        working, est = cal.status(day)
        estimated = estimated or est
        count += working
    return count, estimated


def add_months(start: date, months: int) -> date:
    """Calendar months (整改落实情况报告 within 2 months); clamps to the month's last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(start)


@dataclass(frozen=True)
class Deadline:
    """A computed deadline with its estimation flag (for display)."""

    due: date
    estimated: bool = False

    @property
    def label(self) -> str:
        return f"{self.due:%Y年%-m月%-d日}" + (f"（{ESTIMATED_LABEL}）" if self.estimated else "")


def working_deadline(start: date, n: int) -> Deadline:
    due, est = add_working_days(start, n)
    return Deadline(due, est)


def year_status(year: int) -> str:
    if _package_covers(year):
        return "已由国家法定节假日数据包覆盖"
    if CalendarYear.objects.filter(year=year).exists():
        return "已由本单位录入"
    return f"尚未录入，{ESTIMATED_LABEL}"


def _require_editor(actor) -> None:
    from xuncha.policy.workdays import calendar_policy

    calendar_policy.require(actor, "manage")


@transaction.atomic
def save_day(actor, *, day: date, is_workday: bool, name: str = "", request=None) -> CalendarDay:
    """录入或修改一天（放假或调休上班）."""
    _require_editor(actor)
    obj, created = CalendarDay.objects.update_or_create(
        date=day, defaults={"is_workday": is_workday, "name": name})
    record(actor, "workdays.day_save", obj, request=request,
           summary=f"{'录入' if created else '修改'}节假日调整 {obj}",
           data={"date": day.isoformat(), "is_workday": is_workday, "name": name})
    return obj


@transaction.atomic
def delete_day(actor, obj: CalendarDay, *, request=None) -> None:
    _require_editor(actor)
    record(actor, "workdays.day_delete", obj, request=request, summary=f"删除节假日调整 {obj}")
    obj.delete()


@transaction.atomic
def mark_year_entered(actor, *, year: int, source: str = "", request=None) -> CalendarYear:
    """确认某年度的节假日已全部录入（此后该年度的期限不再标注按周末估算）."""
    _require_editor(actor)
    obj, _ = CalendarYear.objects.update_or_create(year=year, defaults={"source": source,
                                                                         "entered_by": actor})
    record(actor, "workdays.year_entered", obj, request=request,
           summary=f"确认已录入{year}年节假日安排", data={"year": year, "source": source})
    return obj


@transaction.atomic
def unmark_year(actor, obj: CalendarYear, *, request=None) -> None:
    _require_editor(actor)
    record(actor, "workdays.year_unmark", obj, request=request, summary=f"撤销{obj.year}年已录入确认")
    obj.delete()

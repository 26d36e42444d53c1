"""Working-day calendar pages (工作日历): the office's table and a deadline calculator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xuncha.core.paging import paginate
from xuncha.policy.workdays import calendar_policy

from . import services
from .forms import CalcForm, DayForm, YearForm
from .models import CalendarDay, CalendarYear


@login_required
def calendar_home(request):
    calendar_policy.require(request.user, "manage")
    low, high = services.package_years()
    calc = CalcForm(request.GET or None)
    result = None
    if request.GET and calc.is_valid():
        result = services.working_deadline(calc.cleaned_data["start"], calc.cleaned_data["days"])
    return render(request, "workdays/home.html", {
        "low": low, "high": high, "page": paginate(request, CalendarDay.objects.order_by("-date"), 50),
        "years": CalendarYear.objects.all(), "day_form": DayForm(), "year_form": YearForm(),
        "calc": calc, "result": result, "estimated_label": services.ESTIMATED_LABEL,
    })


@login_required
@require_POST
def day_add(request):
    calendar_policy.require(request.user, "manage")
    form = DayForm(request.POST)
    if form.is_valid():
        obj = services.save_day(request.user, day=form.cleaned_data["date"],
                                is_workday=form.cleaned_data["is_workday"],
                                name=form.cleaned_data["name"], request=request)
        messages.success(request, f"已保存：{obj}")
    else:
        messages.error(request, "请填写正确的日期和类型。")
    return redirect("workdays:home")


@login_required
@require_POST
def day_delete(request, pk: int):
    calendar_policy.require(request.user, "manage")
    obj = get_object_or_404(CalendarDay, pk=pk)
    services.delete_day(request.user, obj, request=request)
    messages.success(request, "已删除。")
    return redirect("workdays:home")


@login_required
@require_POST
def year_mark(request):
    calendar_policy.require(request.user, "manage")
    form = YearForm(request.POST)
    if form.is_valid():
        services.mark_year_entered(request.user, year=form.cleaned_data["year"],
                                   source=form.cleaned_data["source"], request=request)
        messages.success(request, f"已确认{form.cleaned_data['year']}年节假日安排录入完毕。")
    else:
        messages.error(request, "请填写正确的年度。")
    return redirect("workdays:home")


@login_required
@require_POST
def year_unmark(request, pk: int):
    calendar_policy.require(request.user, "manage")
    obj = get_object_or_404(CalendarYear, pk=pk)
    services.unmark_year(request.user, obj, request=request)
    messages.success(request, "已撤销。")
    return redirect("workdays:home")

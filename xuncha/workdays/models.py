"""Office-maintained calendar days (工作日历) for years the chinesecalendar package does not cover yet."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CalendarYear(models.Model):
    """已录入年度: the office has entered this year's holidays and make-up days (国务院办公厅通知)."""

    year = models.PositiveIntegerField("年度", unique=True)
    source = models.CharField("依据", max_length=200, blank=True,
                              help_text="如：国务院办公厅关于2027年部分节假日安排的通知")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "已录入年度"
        verbose_name_plural = verbose_name
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """节假日或调休上班日: one day whose status differs from the plain weekend rule."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否上班", help_text="勾选：调休上班日；不勾选：放假")
    name = models.CharField("名称", max_length=50, blank=True, help_text="如：春节、国庆节")

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = verbose_name
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'} {self.name}"

"""xuncha remind [--date YYYY-MM-DD]: 整改提醒 (before due and overdue), in the app and by e-mail; run daily.
Running it twice sends nothing twice."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from xuncha.rectification.reminders import send_reminders


class Command(BaseCommand):
    help = "发送整改提醒（即将到期、已逾期）：站内提醒和电子邮件，同一提醒不重复发送。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算（默认今天），YYYY-MM-DD")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期“{options['date']}”的格式应为 YYYY-MM-DD。") from exc
        outcome = send_reminders(today)
        self.stdout.write(f"新提醒 {len(outcome.created)} 条；发送邮件 {outcome.emailed} 封；"
                          f"发送失败 {outcome.failed} 封（下次运行时重试）。")
        for reminder in outcome.created:
            self.stdout.write(f"  {reminder.text}")

"""xuncha audit verify: check the audit trail's hash chain."""

from django.core.management.base import BaseCommand

from xuncha.audit.services import verify_chain


class Command(BaseCommand):
    help = "审计日志：verify 核验哈希链，指出第一处断开的记录。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        result = verify_chain()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(result.message()))
            return
        self.stderr.write(self.style.ERROR(result.message()))
        raise SystemExit(1)

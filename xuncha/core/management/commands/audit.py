"""xuncha audit verify | anchor: check the audit trail's keyed chain; print a signed checkpoint."""

from django.core.management.base import BaseCommand

from xuncha.audit.anchors import Anchor, anchor_dir
from xuncha.audit.services import seal_legacy, verify_chain, write_anchor


class Command(BaseCommand):
    help = ("审计日志：verify 核验哈希链与锚点，指出第一处不符的记录；"
            "anchor 写下并打印当前锚点（可打印或另行送存）；"
            "seal-legacy 升级时封存未加密钥的旧记录（只需一次）。")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "anchor", "seal-legacy"])
        parser.add_argument("--anchor", action="append", default=[], metavar="LINE",
                            help="另行保存的锚点（xuncha audit anchor 打印的一行），可重复")

    def handle(self, *args, **options):
        if options["action"] == "seal-legacy":
            try:
                sealed = seal_legacy()
            except ValueError as exc:
                self.stderr.write(self.style.ERROR(str(exc)))
                raise SystemExit(1) from exc
            self.stdout.write(self.style.SUCCESS(f"已封存升级前的 {sealed.seq} 条审计记录：{sealed.line()}"))
            return
        if options["action"] == "anchor":
            anchor = write_anchor()
            if anchor is None:
                self.stdout.write("审计日志为空，没有锚点。")
                return
            self.stdout.write(f"审计锚点（已追加到 {anchor_dir() / 'anchors.txt'}）：")
            self.stdout.write(anchor.line())
            return
        extra = [Anchor.parse(line) for line in options["anchor"]]
        if None in extra:
            self.stderr.write(self.style.ERROR("锚点格式不对：应为 xuncha audit anchor 打印的一整行。"))
            raise SystemExit(2)
        result = verify_chain(extra=extra)
        if result.ok:
            self.stdout.write(self.style.SUCCESS(result.message()))
            return
        self.stderr.write(self.style.ERROR(result.message()))
        raise SystemExit(1)

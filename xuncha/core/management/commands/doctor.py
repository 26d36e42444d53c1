"""xuncha doctor: check this installation against the production guide; say in Chinese what to fix."""

from django.core.management.base import BaseCommand, CommandError

from xuncha.ops import doctor


class Command(BaseCommand):
    help = "检查本安装是否符合生产部署要求（部署检查、文件权限、密钥、数据库、迁移、任务进程、磁盘、工作日历）。"
    requires_system_checks = []      # doctor runs the checks itself and reports them in Chinese

    def add_arguments(self, parser):
        parser.add_argument("--create-keys", action="store_true", help="生成尚不存在的举报人身份密钥")

    def handle(self, *args, **options):
        if options["create_keys"]:
            for path in doctor.create_missing_keys():
                self.stdout.write(f"已生成密钥 {path}（权限 0600）。请立即做一次带密钥的备份并离线保管。")
        results = doctor.run()
        self.stdout.write("巡察工作平台安装自检")
        for check in results:
            self.stdout.write(f"{check.mark} {check.title}：{check.message}")
        failed = [c for c in results if c.status == doctor.FAIL]
        warned = [c for c in results if c.status == doctor.WARN]
        summary = f"共 {len(results)} 项：{len(results) - len(failed) - len(warned)} 项通过，{len(warned)} 项提醒，{len(failed)} 项需处理。"
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

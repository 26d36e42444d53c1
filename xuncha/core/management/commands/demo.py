"""xuncha demo: a realistic city with 9 counties, users of every role; serves in the foreground."""

import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from xuncha.core import demo
from xuncha.core.management.commands.serve import serve


class Command(BaseCommand):
    help = "载入演示数据（安康市及所辖9县），打印各角色登录账号，并在前台启动网页服务。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="只载入演示数据，不启动服务")
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        created = demo.load()
        self.stdout.write("演示数据已载入。" if created else "演示数据已存在，直接使用。")
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
        for username, name, org, roles in demo.login_table():
            self.stdout.write(f"  {username:<16} {name:<6} {roles:<24} {org}")
        self.stdout.write("")
        self._crosscheck_sample()
        if not options["no_serve"]:
            serve(options["host"], options["port"], 8, self.stdout, worker=not options["no_worker"])

    def _crosscheck_sample(self):
        """各部门导出数据样例 (made by the engine's generator) and a ready ``xuncha check`` command."""
        from xuncha.crosscheck_engine import generator
        from xuncha.crosscheck_engine.runner import run_check

        base = settings.XUNCHA_HOME / "demo"
        data, out, policy = base / "比对数据", base / "比对结果", base / "policy.toml"
        if not data.exists():
            generator.generate(data, permits=400, seed=2026, counties=demo.crosscheck_counties())
            shutil.copy(settings.BASE_DIR / "crosscheck_engine" / "default_policy.toml", policy)
            result = run_check(data, policy, generator.AS_OF, out)
            self.stdout.write(f"数据比对样例：{len(result.hits)} 个疑点，见 {out}")
        program = sys.argv[0] if Path(sys.argv[0]).name == "xuncha" else f"{sys.executable} -m xuncha.cli"
        command = f"{program} check '{data}' --policy '{policy}' --as-of {generator.AS_OF} --out '{out}'"
        self.stdout.write(f"数据比对演示命令：{command}")
        self.stdout.write("")

"""xuncha demo: a realistic city with 9 counties, users of every role; serves in the foreground."""

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

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        created = demo.load()
        self.stdout.write("演示数据已载入。" if created else "演示数据已存在，直接使用。")
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
        for username, name, org, roles in demo.login_table():
            self.stdout.write(f"  {username:<16} {name:<6} {roles:<24} {org}")
        self.stdout.write("")
        if not options["no_serve"]:
            serve(options["host"], options["port"], 8, self.stdout)

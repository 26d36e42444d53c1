"""xuncha init: migrate the database and create the first office administrator."""

from __future__ import annotations

import getpass

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xuncha.orgs import services
from xuncha.orgs.models import Jurisdiction, Organization, Role, User


class Command(BaseCommand):
    help = "初始化数据库，并创建第一个巡察办系统管理员（交互式或使用参数）。"

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", help="本级行政区域名称，如 安康市")
        parser.add_argument("--level", choices=["city", "county"], default="city", help="层级：city 市，county 县/区")
        parser.add_argument("--username", help="管理员用户名")
        parser.add_argument("--full-name", dest="full_name", help="管理员姓名")
        parser.add_argument("--password", help="管理员密码（不给则交互输入）")
        parser.add_argument("--noinput", action="store_true", help="不交互；缺少参数时报错")

    def _ask(self, options, key, prompt, secret=False):
        value = options.get(key)
        if value:
            return value
        if options["noinput"]:
            raise CommandError(f"缺少参数 --{key.replace('_', '-')}。")
        reader = getpass.getpass if secret else input
        value = reader(prompt).strip()
        if not value:
            raise CommandError(f"{prompt.rstrip('：: ')}不能为空。")
        return value

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已就绪。")
        if User.objects.filter(role_assignments__role=Role.ADMIN).exists() and not options["username"]:
            self.stdout.write("已存在系统管理员，无需再建。")
            return
        name = self._ask(options, "jurisdiction", "本级行政区域名称（如 安康市）：")
        username = self._ask(options, "username", "管理员用户名：")
        full_name = self._ask(options, "full_name", "管理员姓名：")
        password = self._ask(options, "password", "管理员密码：", secret=True)
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"用户名 {username} 已存在。")
        try:
            with transaction.atomic():
                jurisdiction = Jurisdiction.objects.filter(name=name, parent=None).first()
                if jurisdiction is None:
                    jurisdiction = services.create_jurisdiction(
                        None, name=name, level=options["level"], parent=None)
                office = Organization.objects.get(jurisdiction=jurisdiction, kind=Organization.Kind.OFFICE)
                services.create_user(None, username=username, password=password, full_name=full_name,
                                     organization=office, roles=[Role.ADMIN, Role.OFFICE])
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + "；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"已创建系统管理员 {username}（{office.name}）。"))

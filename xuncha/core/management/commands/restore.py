"""xuncha restore: put a backup archive (and its key file) back into an empty installation.

    xuncha restore ARCHIVE --keys KEYFILE [--passphrase-file F]
    xuncha restore ARCHIVE --without-keys
"""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from xuncha.ops import backup, keyfile

from ._passphrase import ENV, passphrase


class Command(BaseCommand):
    help = "把备份归档恢复到一个新的空安装（新数据目录 + 空数据库），再执行数据库迁移。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="xuncha-backup-….tar.gz")
        parser.add_argument("--keys", help="密钥备份文件 xuncha-keys-….enc")
        parser.add_argument("--passphrase-file", help="密钥备份文件的口令所在文件（第一行）")
        parser.add_argument("--without-keys", action="store_true",
                            help="不恢复密钥（密钥已通过环境变量或手工放回时）")

    def handle(self, *args, **options):
        keys = None
        if options["keys"]:
            secret = passphrase(options["passphrase_file"], confirm=False)
            if secret is None:
                raise CommandError(f"需要密钥备份文件的口令：用 --passphrase-file 或环境变量 {ENV} 提供，或在终端上运行。")
            try:
                keys = keyfile.read(Path(options["keys"]), secret)
            except keyfile.KeyFileError as exc:
                raise CommandError(str(exc)) from exc
        elif not options["without_keys"]:
            raise CommandError("请用 --keys 指定密钥备份文件（否则已加密的举报人身份无法解密）；"
                               "密钥已另行放回时用 --without-keys。")
        try:
            result = backup.restore(Path(options["archive"]), keys=keys)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS(
            f"已从 {result.archive} 恢复数据库和 {result.files} 个文件"
            + (f"，以及 {len(keys)} 个密钥" if keys else "") + "。"))
        self.stdout.write("会话未备份，所有用户需重新登录。请运行 xuncha doctor 检查安装。")

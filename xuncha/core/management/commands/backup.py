"""xuncha backup: the database, uploaded files and generated documents in one archive; keys apart.

    xuncha backup [--out DIR] [--passphrase-file F | --no-keys]
    xuncha backup --verify FILE
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xuncha.audit.services import record
from xuncha.ops import backup, keyfile

from ._passphrase import ENV, passphrase


class Command(BaseCommand):
    help = ("备份数据库、上传文件和生成的公文到一个带 SHA-256 清单的归档；密钥另存为口令加密的文件。"
            "--verify FILE 核验一个备份文件。")

    def add_arguments(self, parser):
        parser.add_argument("--out", help="备份目录（默认 XUNCHA_HOME/backups）")
        parser.add_argument("--verify", metavar="FILE", help="只核验备份文件，不做备份")
        parser.add_argument("--passphrase-file", help="密钥备份文件的口令所在文件（第一行）")
        parser.add_argument("--no-keys", action="store_true",
                            help="不导出密钥（例如每日定时备份；密钥已另行离线保管时）")

    def handle(self, *args, **options):
        if options["verify"]:
            return self._verify(Path(options["verify"]))
        secret = None
        if not options["no_keys"]:
            secret = passphrase(options["passphrase_file"], confirm=True)
            if secret is None:
                raise CommandError(f"需要口令来加密密钥备份文件：用 --passphrase-file 或环境变量 {ENV} 提供，"
                                   "或在终端上运行；若密钥已另行离线保管，可加 --no-keys。")
            try:
                keyfile.check_passphrase(secret)
            except keyfile.KeyFileError as exc:
                raise CommandError(str(exc)) from exc
        out = Path(options["out"] or settings.XUNCHA_HOME / "backups")
        try:
            result = backup.create(out)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        result.archive.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(
            f"已备份到 {result.archive}（数据库和 {result.files} 个文件，共 {result.bytes} 字节；会话不备份）。"))
        keys_path = None
        if secret is not None:
            stamp = result.archive.name.removeprefix("xuncha-backup-").removesuffix(".tar.gz")
            keys_path = keyfile.write(result.archive.with_name(f"xuncha-keys-{stamp}.enc"),
                                      keyfile.collect_keys(), secret)
            self.stdout.write(f"密钥已用口令加密保存到 {keys_path}。")
            self.stdout.write("请把密钥备份文件另行离线保管（如存入保密U盘锁进保密柜），不要与备份归档放在一起；"
                              "口令另行记录。没有它，恢复后举报人身份无法解密。")
        record(None, "system.backup", None, summary=f"系统已备份到 {result.archive}", kind="system",
               data={"file": str(result.archive), "bytes": result.bytes, "files": result.files,
                     "keys_file": str(keys_path) if keys_path else ""})

    def _verify(self, path: Path):
        try:
            checked = backup.verify(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not checked.ok:
            for problem in checked.problems:
                self.stderr.write(f"✘ {problem}")
            raise CommandError(f"备份文件 {path} 核验未通过（{len(checked.problems)} 处问题）。")
        members = checked.manifest["members"]
        self.stdout.write(self.style.SUCCESS(
            f"备份文件 {path} 完好：{len(members)} 个文件的 SHA-256 均与清单一致，数据库副本可读。"
            f"备份时间 {checked.manifest['created_at']}，版本 {checked.manifest['xuncha_version']}。"))

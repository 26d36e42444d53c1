"""The ``xuncha`` console command.

    xuncha init [--jurisdiction 安康市 --username admin --full-name 姓名 --password … --noinput]
    xuncha demo [--port 8000]          演示数据 + 前台服务
    xuncha serve [--host 0.0.0.0 --port 8000] [--no-worker]   网页服务（同时启动后台任务进程）
    xuncha worker [--batch]            只运行后台任务进程（数据比对等）
    xuncha check DATA_DIR --policy POLICY.toml [--as-of YYYY-MM-DD] --out OUT_DIR
    xuncha audit verify
    xuncha archive verify FILE.zip     核验归档材料：指出新增、缺失、被修改的文件（不一致时退出码 1）
    xuncha backup [--out DIR] [--passphrase-file F | --no-keys]    备份（归档 + 口令加密的密钥文件）
    xuncha backup --verify FILE        核验备份文件
    xuncha restore ARCHIVE --keys KEYFILE   恢复到新的空安装
    xuncha doctor [--create-keys]      安装自检
    xuncha remind [--date YYYY-MM-DD]  整改提醒（到期前、逾期后；站内和邮件，同一提醒只发一次）
    xuncha manage <django command …>   任何 Django 管理命令
"""

from __future__ import annotations

import os
import sys

HELP = __doc__


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(HELP)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "check":
        # The cross-check engine is a plain library: no Django needed.
        from xuncha.crosscheck_engine.cli import main as check_main

        return check_main(rest)
    if command == "archive":
        # Checking an archive needs no database either: it runs on any machine.
        from xuncha.reports.archive_verify import main as archive_main

        return archive_main(rest)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
    from django.core.management import execute_from_command_line

    if command == "manage":
        execute_from_command_line(["xuncha", *rest])
    else:
        execute_from_command_line(["xuncha", command, *rest])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

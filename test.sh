#!/usr/bin/env bash
# 安装测试所需的一切并运行全部测试（含浏览器测试）。用法：./test.sh [pytest 参数]
# 默认使用 SQLite；设置 DATABASE_URL=postgres://… 则在 PostgreSQL 上运行。
# 默认 2 个进程并行（pytest-xdist）；XUNCHA_TEST_WORKERS=0 则在单个进程中运行。
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
bootstrap "[test]" chromium libreoffice-writer-nogui fonts-noto-cjk poppler-utils postgresql-client
cd "$ROOT"
exec "$VENV/bin/python" -m pytest -q --create-db -n "${XUNCHA_TEST_WORKERS:-2}" "$@"

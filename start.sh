#!/usr/bin/env bash
# 安装并以演示数据启动巡察工作平台（内置 SQLite）。用法：./start.sh [--port 8000]
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
bootstrap ""
cd "$ROOT"
exec "$VENV/bin/xuncha" demo "$@"

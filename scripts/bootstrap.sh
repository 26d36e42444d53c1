# Sourced by start.sh and test.sh: make .venv and install xuncha into it.
# Usage: bootstrap "<pip extras spec>" "<debian packages needed>"
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${XUNCHA_VENV:-$ROOT/.venv}"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "需要 root 权限安装系统软件包：$*" >&2; return 1; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "安装系统软件包：${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

bootstrap() {
  local extras="$1"; shift
  local debs=("$@")
  local py="${PYTHON:-python3}"
  if ! "$py" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
    echo "需要 Python 3.11 或更高版本（当前：$("$py" --version 2>&1)）。" >&2; exit 1
  fi
  if ! "$py" -c 'import venv, ensurepip' 2>/dev/null && command -v apt-get >/dev/null; then
    debs+=("python3-venv")
  fi
  if [ ${#debs[@]} -gt 0 ] && command -v apt-get >/dev/null; then apt_install "${debs[@]}"; fi
  if [ ! -x "$VENV/bin/python" ]; then
    echo "创建虚拟环境 $VENV"
    "$py" -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  echo "安装 xuncha${extras}（首次需要几分钟）"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT${extras}"
}

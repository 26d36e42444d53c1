"""Dependency audit (依赖漏洞审计) of every package pinned in pyproject.toml, with pip-audit.

    python scripts/audit_deps.py [--pyproject FILE] [--strict]

Exit 1 when pip-audit reports a known vulnerability in a pinned package (naming package, version,
advisory and the fixed versions). A package pip-audit could not look up (its vulnerability service,
the PyPI JSON API, unreachable — as on an intranet build machine that only has a package mirror) is
reported loudly as NOT audited; with ``--strict`` (or XUNCHA_AUDIT_STRICT=1) that fails too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;]+)")


def pinned(pyproject: Path) -> list[str]:
    """``name==version`` of every runtime dependency and every extra."""
    project = tomllib.loads(pyproject.read_text())["project"]
    specs = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    found = []
    for spec in specs:
        match = PIN.match(spec)
        if match:
            found.append(f"{match.group(1)}=={match.group(3)}")
    return sorted(set(found))


def judge(report: dict) -> tuple[list[str], list[str]]:
    """(vulnerabilities, packages not audited) from pip-audit's JSON report."""
    vulnerable, skipped = [], []
    for dep in report.get("dependencies", []):
        if dep.get("skip_reason"):
            skipped.append(f"{dep['name']}：{dep['skip_reason']}")
            continue
        for vuln in dep.get("vulns", []):
            fixed = "、".join(vuln.get("fix_versions") or []) or "尚无修复版本"
            aliases = "，".join(vuln.get("aliases") or [])
            vulnerable.append(f"{dep['name']} {dep['version']}：{vuln['id']}"
                              + (f"（{aliases}）" if aliases else "") + f"，修复版本 {fixed}")
    return vulnerable, skipped


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pyproject", default=str(Path(__file__).resolve().parents[1] / "pyproject.toml"))
    ap.add_argument("--strict", action="store_true", default=os.environ.get("XUNCHA_AUDIT_STRICT") == "1")
    args = ap.parse_args(argv)
    tool = shutil.which("pip-audit") or str(Path(sys.executable).with_name("pip-audit"))
    requirements = pinned(Path(args.pyproject))
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as req:
        req.write("\n".join(requirements) + "\n")
        req.flush()
        result = subprocess.run([tool, "-r", req.name, "--no-deps", "--disable-pip", "--progress-spinner", "off",
                                 "-f", "json"], capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        print(f"pip-audit 运行失败：{result.stderr.strip()[-2000:]}", file=sys.stderr)
        return 2
    vulnerable, skipped = judge(report)
    print(f"依赖审计：{len(requirements)} 个固定版本的包，已审计 {len(requirements) - len(skipped)} 个。")
    for line in vulnerable:
        print(f"✘ 已知漏洞 {line}")
    if skipped:
        print(f"！ {len(skipped)} 个包未能审计（漏洞数据源不可达？），本次审计不能证明它们没有已知漏洞：")
        for line in skipped[:5]:
            print(f"   {line}")
    if vulnerable:
        return 1
    if skipped and args.strict:
        return 1
    if len(skipped) == len(requirements):
        print("没有一个包得到审计：漏洞数据源不可达。请在能访问 pypi.org 的机器上运行本脚本。")
    else:
        print("未发现已知漏洞。" if not skipped else "已审计的包未发现已知漏洞。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

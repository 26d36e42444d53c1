"""``xuncha archive verify FILE.zip``: check a round's archive against its SHA-256 manifest.

Plain Python (no Django, no database): an archivist can check a package on any machine. Every file
added to the zip, missing from it or changed since export is named; exit code 0 when the package
matches its manifest, 1 when it does not, 2 when the file is not a readable zip.
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from dataclasses import dataclass, field

MANIFEST = "manifest-sha256.txt"


@dataclass
class Verification:
    checked: int = 0
    added: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    manifest_sha256: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not (self.error or self.added or self.missing or self.changed)


def parse_manifest(text: str) -> dict[str, str]:
    expected: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            raise ValueError(f"清单格式错误：{line[:80]}")
        expected[name] = digest.lower()
    return expected


def verify(path) -> Verification:
    result = Verification()
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        result.error = f"无法读取归档文件：{exc}"
        return result
    with zf:
        names = [i.filename for i in zf.infolist() if not i.is_dir()]
        if MANIFEST not in names:
            result.error = f"归档文件中没有清单 {MANIFEST}"
            return result
        manifest = zf.read(MANIFEST)
        result.manifest_sha256 = hashlib.sha256(manifest).hexdigest()
        try:
            expected = parse_manifest(manifest.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            result.error = str(exc)
            return result
        seen: set[str] = set()
        for info in zf.infolist():
            name = info.filename
            if info.is_dir() or name == MANIFEST:
                continue
            if name in seen or name not in expected:
                result.added.append(name)
                continue
            seen.add(name)
            result.checked += 1
            digest = hashlib.sha256(zf.read(info)).hexdigest()
            if digest != expected[name]:
                result.changed.append(name)
        result.missing = [name for name in expected if name not in seen]
    return result


def report(result: Verification, out=None) -> int:
    out = out or sys.stdout
    if result.error:
        print(f"核验失败：{result.error}", file=out)
        return 2 if result.error.startswith("无法读取") else 1
    for label, names in (("新增", result.added), ("缺失", result.missing), ("被修改", result.changed)):
        for name in names:
            print(f"{label}：{name}", file=out)
    print(f"清单 SHA-256：{result.manifest_sha256}", file=out)
    if result.ok:
        print(f"核验通过：{result.checked} 个文件与清单一致。", file=out)
        return 0
    print(f"核验不通过：新增 {len(result.added)} 个、缺失 {len(result.missing)} 个、被修改 {len(result.changed)} 个文件。",
          file=out)
    return 1


USAGE = "用法：xuncha archive verify 归档文件.zip"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "verify":
        print(USAGE, file=sys.stderr)
        return 2
    return report(verify(argv[1]))

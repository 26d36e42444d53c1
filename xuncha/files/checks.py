"""What an uploaded file really is (文件类型核验), by its name and by its whole content together.

- The name's extension must be on the allow-list (``EXTENSIONS``) and name the kind the content is:
  ``证据.bat`` / ``.hta`` / ``.html`` / ``.docm`` are refused even when the bytes start with ``%PDF-``.
- Office files (.docx/.xlsx) are zip containers: every member is inflated (counting, never kept) so
  a zip bomb is refused by its real expanded size, entry count and ratio, not by what its headers
  claim; macros (``vbaProject.bin``, ``macroEnabled`` content types), ActiveX, embedded programs and
  members with executable names are refused.
- Anything whose content starts like HTML or script is never a document.

Pure functions over a binary file object; ``xuncha.files.services`` turns their answers into
Chinese messages naming the file.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import PurePosixPath

#: extension → kind. Nothing else is ever accepted, whatever the content looks like.
EXTENSIONS = {
    ".pdf": "pdf", ".jpg": "jpg", ".jpeg": "jpg", ".png": "png",
    ".docx": "docx", ".xlsx": "xlsx", ".xls": "xls", ".csv": "csv",
}
ZIP_KINDS = {"docx", "xlsx"}

#: limits of a zip-based document (the largest real report or ledger is far below them)
MAX_EXPANDED = 64 * 1024 * 1024      # all members inflated together
MAX_MEMBER = 48 * 1024 * 1024        # one member inflated
MAX_ENTRIES = 2000
MAX_RATIO = 200                      # inflated / compressed, per member over 1 MB inflated

EXECUTABLE_SUFFIXES = {
    ".exe", ".dll", ".com", ".bat", ".cmd", ".scr", ".msi", ".ps1", ".vbs", ".vbe", ".js", ".jse",
    ".wsf", ".hta", ".jar", ".lnk", ".cpl", ".sh", ".pif", ".reg", ".docm", ".xlsm", ".dotm",
    ".xltm", ".pptm", ".html", ".htm", ".svg",
}
MACRO_MARKERS = (b"macroEnabled", b"vbaProject", b"vbaData", b"activeX", b"oleObject")
HTML_STARTS = (b"<!doctype", b"<html", b"<script", b"<hta:", b"<svg", b"<?xml", b"<body", b"<head",
               b"<iframe", b"<meta")


class Refused(Exception):
    """The file is not what an allowed kind must be; ``str(exc)`` is the Chinese reason."""


def kind_of_name(name: str) -> str | None:
    return EXTENSIONS.get(PurePosixPath(name.lower()).suffix)


def _head(f, size: int = 4096) -> bytes:
    f.seek(0)
    data = f.read(size)
    f.seek(0)
    return data


def sniff_head(head: bytes) -> str | None:
    """The kind by the first bytes (zip-based kinds answer "zip")."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(HTML_STARTS) or b"<script" in head.lower() or b"<hta:" in head.lower()


def inspect_zip(f, *, max_expanded: int = MAX_EXPANDED, max_member: int = MAX_MEMBER,
                max_entries: int = MAX_ENTRIES) -> set[str]:
    """Inflate every member (counting only); return the member names or raise Refused."""
    f.seek(0)
    try:
        archive = zipfile.ZipFile(f)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise Refused("文件已损坏（不是完整的 Office 文件）") from exc
    if len(infos) > max_entries:
        raise Refused(f"压缩包内文件过多（{len(infos)} 个，上限 {max_entries} 个）")
    declared = sum(i.file_size for i in infos)
    if declared > max_expanded:
        raise Refused(f"解压后过大（{declared // (1024 * 1024)} MB，上限 {max_expanded // (1024 * 1024)} MB）")
    total = 0
    names = set()
    for info in infos:
        name = info.filename
        path = PurePosixPath(name.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts:
            raise Refused(f"压缩包内有非法路径“{name[:60]}”")
        if path.suffix.lower() in EXECUTABLE_SUFFIXES or path.name.lower() in {"vbaproject.bin"}:
            raise Refused(f"内含可执行文件或宏（{path.name[:60]}）")
        if info.flag_bits & 0x1:
            raise Refused("内含加密的部件")
        member = 0
        try:
            with archive.open(info) as handle:
                while chunk := handle.read(1024 * 1024):
                    member += len(chunk)
                    total += len(chunk)
                    if member > max_member or total > max_expanded:
                        raise Refused(f"解压后过大（上限 {max_expanded // (1024 * 1024)} MB）")
                    if member == len(chunk) and chunk[:2] == b"MZ":
                        raise Refused(f"内含可执行程序（{path.name[:60]}）")
                    if name == "[Content_Types].xml" and any(m in chunk for m in MACRO_MARKERS):
                        raise Refused("是启用宏的 Office 文件")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise Refused("文件已损坏（不是完整的 Office 文件）") from exc
        if member > 1024 * 1024 and member > MAX_RATIO * max(info.compress_size, 1):
            raise Refused(f"压缩比异常（{path.name[:60]}），疑为压缩炸弹")
        names.add(name)
    lowered = {n.lower() for n in names}
    if any(n.endswith(("vbaproject.bin", "vbadata.xml")) or "/activex/" in n for n in lowered):
        raise Refused("是启用宏的 Office 文件或内含控件")
    return names


def zip_kind(names: set[str]) -> str | None:
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def _csv_ok(f, limit: int = 1024 * 1024) -> bool:
    data = _head(f, limit)
    if b"\x00" in data or looks_like_markup(data):
        return False
    cut = len(data) == limit   # the head may end inside a multi-byte character: not an error then
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(data, final=not cut)
            return True
        except UnicodeDecodeError:
            continue
    return False


def content_kind(f, name: str, kinds, *, max_expanded: int = MAX_EXPANDED) -> str:
    """The kind of an upload whose extension and content agree and are allowed, else Refused."""
    by_name = kind_of_name(name)
    if by_name is None or by_name not in kinds:
        raise Refused("扩展名不在允许之列")
    head = _head(f)
    if by_name == "csv":
        if not _csv_ok(f):
            raise Refused("不是文本表格（CSV）")
        return "csv"
    sniffed = sniff_head(head)
    if sniffed == "zip":
        sniffed = zip_kind(inspect_zip(f, max_expanded=max_expanded, max_member=max(MAX_MEMBER, max_expanded)))
    if sniffed != by_name:
        raise Refused("内容与扩展名不符")
    if sniffed == "pdf" and _pdf_launches(f):
        raise Refused("PDF 内含启动外部程序的动作")
    return sniffed


def _pdf_launches(f) -> bool:
    f.seek(0)
    tail = b""
    while chunk := f.read(1024 * 1024):
        if b"/Launch" in tail + chunk:
            f.seek(0)
            return True
        tail = chunk[-16:]
    f.seek(0)
    return False

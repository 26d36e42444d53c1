"""Render .docx to PDF with LibreOffice and to PNG with pdftoppm, and read them back (text per page,
pixels), as a person checking a printed document would."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

AVAILABLE = bool(shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdftoppm"))
needs_libreoffice = pytest.mark.skipif(not AVAILABLE and not os.environ.get("CI"),
                                       reason="LibreOffice / poppler not installed (CI installs them, never skips)")


def to_pdf(docs: dict[str, bytes], folder: Path) -> dict[str, Path]:
    """Convert all documents in one LibreOffice run; {name: pdf path}."""
    sources = []
    for name, data in docs.items():
        path = folder / f"{name}.docx"
        path.write_bytes(data)
        sources.append(str(path))
    profile = folder / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *sources], check=True, capture_output=True, timeout=600)
    result = {name: folder / f"{name}.pdf" for name in docs}
    for name, pdf in result.items():
        assert pdf.exists(), f"LibreOffice did not convert {name}"
    return result


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, timeout=60).stdout.decode()
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def page_lines(pdf: Path, page: int) -> list[str]:
    """The text lines of one page (1-based), spaces removed (pdftotext spaces out mixed scripts)."""
    out = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True, timeout=60).stdout.decode()
    return [line for line in ("".join(raw.split()) for raw in out.splitlines()) if line]


def to_png(pdf: Path, dpi: int = 50) -> list[Path]:
    """One PNG per page (kept next to the PDF; XUNCHA_DOC_PREVIEW=dir copies them there to look at)."""
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True,
                   capture_output=True, timeout=120)
    pngs = sorted(pdf.parent.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    preview = os.environ.get("XUNCHA_DOC_PREVIEW")
    if preview:
        Path(preview).mkdir(parents=True, exist_ok=True)
        for png in pngs:
            shutil.copy(png, Path(preview) / png.name)
    return pngs


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB bytes) of an 8-bit RGB, non-interlaced PNG (what pdftoppm writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert (depth, colour) == (8, 2), "expected 8-bit RGB"
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * 3, [], bytearray(width * 3)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - 3] if x >= 3 else 0
            b, c = prev[x], (prev[x - 3] if x >= 3 else 0)
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def red_per_row(path: Path) -> list[int]:
    """How many clearly red pixels each row of the image has."""
    _w, _h, rows = read_png(path)
    counts = []
    for row in rows:
        counts.append(sum(1 for i in range(0, len(row), 3)
                          if row[i] > 180 and row[i + 1] < 110 and row[i + 2] < 110))
    return counts

"""Read QR codes back from images with zxing-cpp (test extra), as a phone's camera would.

PNG is decoded here (8-bit grey, RGB or RGBA, non-interlaced: what pdftoppm and Chromium write), so the
tests need no imaging library.
"""

from __future__ import annotations

import struct
import zlib

import pytest

CHANNELS = {0: 1, 2: 3, 6: 4}


def png_to_grey(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, bpp = 8, b"", 0, 0, 1
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", chunk[:13])
            assert depth == 8 and colour in CHANNELS and not interlace, f"unsupported PNG ({depth}, {colour})"
            bpp = CHANNELS[colour]
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * bpp
    prev, grey = bytearray(stride), bytearray()
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
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
        grey.extend(line[0::bpp] if bpp < 3 else bytes(
            (line[i] * 30 + line[i + 1] * 59 + line[i + 2] * 11) // 100 for i in range(0, stride, bpp)))
        prev = line
    return width, height, bytes(grey)


def decode_png(data: bytes) -> list[str]:
    """The texts of the QR codes found in a PNG image."""
    zxingcpp = pytest.importorskip("zxingcpp")
    width, height, grey = png_to_grey(data)
    image = memoryview(grey).cast("B", shape=[height, width])
    return [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]

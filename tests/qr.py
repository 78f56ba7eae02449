"""Reading a QR code back, for the flyer's tests: zxing-cpp (a test-only dependency) on a
picture given as rows of grey values."""

from __future__ import annotations

import re
from collections.abc import Sequence

import segno
import zxingcpp


def read_qr(rows: Sequence[bytes]) -> str | None:
    """The text of the QR code in a picture (rows of one grey byte per pixel), or None."""
    height, width = len(rows), len(rows[0])
    picture = memoryview(b"".join(rows)).cast("B", (height, width))
    found = zxingcpp.read_barcode(picture, formats=zxingcpp.BarcodeFormat.QRCode)
    return found.text if found else None


def pixels(code: segno.QRCode, scale: int = 4) -> list[bytes]:
    """A segno QR code drawn as grey rows (its quiet zone included), as a PNG would show it."""
    rows = []
    for line in code.matrix_iter(scale=scale, border=4):
        rows.append(bytes(0 if dark else 255 for dark in line))
    return rows


_STEP = re.compile(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?")


def svg_pixels(svg: str, scale: int = 4) -> list[bytes]:
    """The QR code of an inline SVG as segno draws it (one path of horizontal runs: 'M2 2.5h7m1
    0h1...', in modules), redrawn as grey rows: what a phone's camera sees on the flyer."""
    found = re.search(r'<svg width="(\d+)" height="(\d+)".*?transform="scale\(([\d.]+)\)"'
                      r'.*? d="([^"]+)"', svg, re.S)  # fmt: skip
    assert found, "no segno QR code in this SVG"
    size = round(int(found.group(1)) / float(found.group(3)))
    dark = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, first, second in _STEP.findall(found.group(4)):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            for column in range(round(x), round(x + float(first))):
                dark[int(y)][column] = True
            x += float(first)
    return [
        bytes(0 if cell else 255 for cell in row for _ in range(scale))
        for row in dark
        for _ in range(scale)
    ]

"""The flyer in a real headless Chromium: the QR code a camera sees on the page holds the
sign-up link, and it prints as one A4 page."""

from __future__ import annotations

import re
from pathlib import Path

from relaybot.domain.texts import Texts
from relaybot.flyer import flyer, print_pdf
from relaybot.network_file import load_network
from tests.browser.chromium import chromium
from tests.browser.test_report_browser import browse, png_pixels
from tests.qr import read_qr

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "network.example.toml"
BOT = "hvt_buurtpreventie_bot"
A4_POINTS = (595, 842)  # 210 x 297 mm


def write_flyer(folder: Path, slug: str = "goor-west") -> Path:
    page = folder / f"flyer-{slug}.html"
    page.write_text(flyer(load_network(EXAMPLE), slug, BOT, Texts("nl")).html, encoding="utf-8")
    return page


def test_the_qr_code_on_the_rendered_flyer_reads_as_the_sign_up_link(tmp_path: Path) -> None:
    """A screenshot of the flyer as Chromium draws it (a PNG), read by zxing-cpp: the deep
    link that starts a sign-up for Goor West."""
    page = write_flyer(tmp_path)
    shot = tmp_path / "flyer.png"
    browse(page, f"--screenshot={shot}", width=900, height=1300)
    _width, _height, rows = png_pixels(shot)
    grey = [row[0::3] for row in rows]  # black on white: the red channel is enough
    assert read_qr(grey) == f"https://t.me/{BOT}?start=aanmelden-goor-west"


def test_the_flyer_prints_as_one_a4_page(tmp_path: Path) -> None:
    """Chromium prints the page to a PDF of exactly one A4 page (what `relaybot flyer`
    writes beside the HTML when Chromium is installed)."""
    chromium()  # skipped (or, in CI, failed) without it
    page = write_flyer(tmp_path)
    pdf = tmp_path / "flyer.pdf"
    assert print_pdf(page, pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b", data)) == 1
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert box is not None
    assert (round(float(box.group(1))), round(float(box.group(2)))) == A4_POINTS

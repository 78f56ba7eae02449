"""`relaybot flyer`: a print-ready A4 page per neighbourhood, to put through letterboxes.

The page (one self-contained HTML file, print CSS for A4, nothing fetched from elsewhere)
says what the group is, SAAR in a few lines, the house rules' essentials, how to join with a
QR code of the sign-up deep link for that neighbourhood, and the municipality's contact line.
The QR code is made here (segno, an inline SVG); a PDF is printed by Chromium when one is
installed.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import segno
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from relaybot.domain.network import Network
from relaybot.domain.texts import Texts, signup_link

__all__ = ["Flyer", "flyer", "print_pdf", "qr_code"]

_ENV = Environment(
    loader=PackageLoader("relaybot.flyer", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

_SAAR = ("flyer_saar_s", "flyer_saar_a1", "flyer_saar_a2", "flyer_saar_r")
_RULES = ("flyer_rule_who", "flyer_rule_alerts", "flyer_rule_112", "flyer_rule_words",
          "flyer_rule_photo")  # fmt: skip
_JOIN = ("flyer_join_scan", "flyer_join_check")
PDF_SECONDS = 60  # Chromium prints a page in a second or two; a hung one is given up


@dataclass(frozen=True)
class Flyer:
    slug: str
    link: str  # the sign-up deep link the QR code holds
    html: str


def qr_code(link: str) -> segno.QRCode:
    """The QR code of a link (error correction M: a folded or smudged flyer still scans)."""
    return segno.make(link, error="m", micro=False)


def flyer(network: Network, slug: str, bot: str, texts: Texts) -> Flyer:
    """The flyer of one neighbourhood; `bot` is the bot's username (for the deep link)."""
    hood = network.neighbourhoods[slug]
    link = signup_link(bot, slug)
    svg = qr_code(link).svg_inline(scale=6, border=2, title=link)

    def lines(keys: tuple[str, ...], **values: object) -> list[Markup]:
        return [Markup(texts(key, **values)) for key in keys]  # escaped by Texts

    html = _ENV.get_template("flyer.html.j2").render(
        language=texts.language,
        title=texts.plain("flyer_title", name=hood.name),
        intro=Markup(texts("flyer_intro", name=hood.name, kern=hood.kern, network=network.name)),
        saar_heading=texts.plain("flyer_saar_heading"),
        saar=lines(_SAAR),
        rules_heading=texts.plain("flyer_rules_heading"),
        rules=lines(_RULES),
        join_heading=texts.plain("flyer_join_heading"),
        join=lines(_JOIN, name=hood.name),
        no_scanner=Markup(texts("flyer_join_link", link=link)),
        qr=Markup(svg),  # segno's own SVG of our link
        contact=texts.plain("flyer_contact", contact=network.contact) if network.contact else "",
        footer=texts.plain("flyer_footer", network=network.name),
    )
    return Flyer(slug, link, html)


def print_pdf(html_file: Path, pdf_file: Path) -> bool:
    """Print the page to PDF with Chromium (headless); False when there is none or it failed
    (the HTML prints from any browser too)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return False
    command = [
        browser,
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf_file.resolve()}",
        html_file.resolve().as_uri(),
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=PDF_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and pdf_file.is_file() and pdf_file.stat().st_size > 0

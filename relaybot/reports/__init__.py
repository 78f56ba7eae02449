"""`relaybot report`: read the stored numbers, add them up, write them as Markdown, CSV or HTML.

The arithmetic is :mod:`relaybot.domain.report`; the queries are
:mod:`relaybot.storage.report` (a read-only connection of its own, so it runs beside the
bot); this package ties them together and renders.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from relaybot.domain.network import Network
from relaybot.domain.report import Period, Report
from relaybot.domain.texts import Language, Texts
from relaybot.storage.report import load_report

__all__ = ["FORMATS", "make_report", "render"]

FORMATS = ("markdown", "csv", "html")


def make_report(
    network: Network,
    database: Path | str,
    *,
    since: date | None = None,
    until: date | None = None,
    now: float | None = None,
    language: Language = "nl",
) -> Report:
    """The report over the period (default: the last 12 months), read from ``database``."""
    now = time.time() if now is None else now
    texts = Texts(language)
    return load_report(
        network,
        database,
        Period.resolve(since, until, now, network.timezone),
        now,
        regie_name=texts.plain("report_regie"),
        total_name=texts.plain("report_total"),
    )


def render(
    report: Report,
    fmt: str,
    language: Language = "nl",
    now: float | None = None,
    coverage: dict[str, Any] | None = None,
) -> str:
    """The report as text in one of :data:`FORMATS`; ``coverage`` the map section of the
    HTML report (relaybot.reports.coverage.map_section) when the network has a map."""
    from relaybot.reports import formats

    texts = Texts(language)
    made = time.time() if now is None else now
    if fmt == "csv":
        return formats.to_csv(report, language)
    if fmt == "markdown":
        return formats.to_markdown(report, texts, made)
    if fmt == "html":
        from relaybot.reports.html import to_html

        return to_html(report, texts, made, coverage)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")

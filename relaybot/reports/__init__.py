"""`relaybot report`: read the stored numbers, add them up, write them as Markdown, CSV or HTML.

The arithmetic is :mod:`relaybot.domain.report`; the queries are
:mod:`relaybot.storage.report` (a read-only connection of its own, so it runs beside the
bot); this package ties them together and renders.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from relaybot.domain.chats import Directory
from relaybot.domain.report import REGIE, Hood, Period, Report, Tally, build_report
from relaybot.domain.texts import Language, Texts
from relaybot.network import Network
from relaybot.storage.report import PlaceOf, chat_places, read_facts, read_only

__all__ = ["FORMATS", "make_report", "place_finder", "render"]

FORMATS = ("markdown", "csv", "html")


def place_finder(directory: Directory) -> PlaceOf:
    """chat id (any it ever had) -> the neighbourhood's slug, REGIE, or None."""

    def place_of(chat_id: int) -> str | None:
        current = directory.current(chat_id)
        if current == directory.regie_chat_id:
            return REGIE
        return directory.slug_for(current) if current is not None else None

    return place_of


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
    period = Period.resolve(since, until, now, network.timezone)
    tally = Tally(period, period.as_of(now))
    with read_only(database) as conn:
        links, moves = chat_places(conn)
        read_facts(
            conn,
            tally,
            place_finder(Directory(network, links, moves)),
            network.policy.inactive_days,
        )
    texts = Texts(language)
    hoods = [
        Hood(h.slug, h.name, h.kern, h.signs, h.vests_eur) for h in network.neighbourhoods.values()
    ]
    return build_report(
        network.name,
        hoods,
        tally,
        inactive_days=network.policy.inactive_days,
        regie_name=texts.plain("report_regie"),
        total_name=texts.plain("report_total"),
    )


def render(report: Report, fmt: str, language: Language = "nl", now: float | None = None) -> str:
    """The report as text in one of :data:`FORMATS`."""
    from relaybot.reports import formats

    texts = Texts(language)
    made = time.time() if now is None else now
    if fmt == "csv":
        return formats.to_csv(report)
    if fmt == "markdown":
        return formats.to_markdown(report, texts, made)
    if fmt == "html":
        from relaybot.reports.html import to_html

        return to_html(report, texts, made)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")

"""The weekly digest and the quiet notices, as lines for the coordinators' group."""

from __future__ import annotations

from datetime import datetime

from relaybot.domain.report import Report, Row
from relaybot.domain.texts import Texts

QUIET_NAMES = 20  # quiet neighbourhoods named in a digest; the rest are counted
BUSIEST = 3
MESSAGE_LIMIT = 3500  # characters per notice message (Telegram allows 4096)


def _day(at: float | None, report: Report, texts: Texts) -> str:
    if at is None:
        return texts.plain("report_never")
    return datetime.fromtimestamp(at, report.period.zone).strftime("%d-%m-%Y")


def digest_text(report: Report, texts: Texts) -> str:
    """Last week's numbers: incidents, 112 reports, duplicates prevented, new sign-ups, the
    busiest neighbourhoods and the quiet ones."""
    zone = report.period.zone
    total = report.totals
    lines = [
        texts(
            "digest",
            network=report.network,
            since=datetime.fromtimestamp(report.period.start, zone).strftime("%d-%m %H:%M"),
            until=datetime.fromtimestamp(report.period.end, zone).strftime("%d-%m %H:%M"),
            incidents=texts.number(total.raised),
            reports=texts.number(total.reports_112),
            duplicates=texts.number(total.duplicates_prevented),
            signups=texts.number(total.signups),
        )
    ]
    busiest = sorted(
        (row for row in report.rows if row.inactive is not None and row.raised),
        key=lambda row: -row.raised,
    )[:BUSIEST]
    if busiest:
        names = ", ".join(f"{row.name} ({texts.number(row.raised)})" for row in busiest)
        lines.append(texts("digest_busiest", names=names))
    walked = [row for row in report.rows if row.rounds]
    if walked:
        lines.append(
            texts(
                "digest_rounds",
                names=", ".join(f"{row.name} ({texts.number(row.rounds)})" for row in walked),
            )
        )
    days = texts.count("count_days", report.inactive_days)
    quiet = report.inactive
    if quiet:
        names = ", ".join(row.name for row in quiet[:QUIET_NAMES])
        if len(quiet) > QUIET_NAMES:
            names += f" (+{texts.number(len(quiet) - QUIET_NAMES)})"
        lines.append(texts("digest_quiet", days=days, names=names))
    else:
        lines.append(texts("digest_quiet_none", days=days))
    return "\n".join(lines)


def quiet_notices(report: Report, rows: list[Row], texts: Texts) -> list[str]:
    """One line per neighbourhood that has gone quiet, packed into as few messages as fit."""
    lines = [
        texts(
            "quiet_notice",
            place=f"{row.name} ({row.kern})",
            days=texts.count("count_days", report.inactive_days),
            last=_day(row.last_activity, report, texts),
            signs=texts.count("count_signs_taken_down", row.signs),
        )
        for row in rows
    ]
    messages: list[str] = []
    for line in lines:
        if messages and len(messages[-1]) + 1 + len(line) <= MESSAGE_LIMIT:
            messages[-1] += "\n" + line
        else:
            messages.append(line)
    return messages

"""The report as CSV (stable column names, for spreadsheets) and as Markdown (for reading)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from functools import partial

from relaybot.domain.numbers import cell_number
from relaybot.domain.report import Report, Row
from relaybot.domain.texts import Texts

# The CSV header: stable names that spreadsheets and scripts rely on (spec section 10).
COLUMNS = (
    "slug",
    "name",
    "kern",
    "raised",
    "received",
    "reports_112",
    "median_minutes_to_112",
    "duplicates_prevented",
    "warnings",
    "signups",
    "admitted",
    "last_activity",
    "inactive",
    "signs",
    "vests_eur",
)


Number = Callable[[float | None], str]  # a number as text, for a reader or a spreadsheet


def local_date(report: Report, at: float | None) -> str:
    if at is None:
        return ""
    return datetime.fromtimestamp(at, report.period.zone).date().isoformat()


_COUNTS = (
    "raised",
    "received",
    "reports_112",
    "duplicates_prevented",
    "warnings",
    "signups",
    "admitted",
    "signs",
)


def values(
    report: Report, row: Row, number: Number, yes: str = "yes", no: str = "no"
) -> dict[str, str]:
    """One row's cells as text, each number written by ``number``. `inactive` is yes/no for
    a neighbourhood, empty for the regiegroep, and the number of inactive neighbourhoods in
    the totals row."""
    if row is report.totals:
        inactive = number(len(report.inactive))
    elif row.inactive is None:
        inactive = ""
    else:
        inactive = yes if row.inactive else no
    cells = {
        "slug": row.slug,
        "name": row.name,
        "kern": row.kern,
        "median_minutes_to_112": number(row.median_minutes_to_112),
        "last_activity": local_date(report, row.last_activity),
        "inactive": inactive,
        "vests_eur": number(row.vests_eur),
    }
    cells.update({column: number(getattr(row, column)) for column in _COUNTS})
    return {column: cells[column] for column in COLUMNS}


# A spreadsheet reads a cell that begins with one of these as a formula (=HYPERLINK(...),
# +cmd|...); OWASP's advice for CSV injection is a leading apostrophe, which Excel and
# LibreOffice show as text and do not display.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: str) -> str:
    """A cell a spreadsheet will not run: '=1+1' -> "'=1+1"; everything else as it is."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


# Dutch Excel splits a CSV on ';' (the comma is its decimal sign) and reads it as UTF-8 only
# after a byte-order mark; English spreadsheets expect ',' and no mark.
_CSV_DIALECT = {"nl": (";", "\ufeff"), "en": (",", "")}


def to_csv(report: Report, language: str = "nl") -> str:
    """One header row with the stable column names, a row per neighbourhood, one for the
    regiegroep, and a totals row (slug `total`). No cell can start a formula. In Dutch the
    cells are separated by ';', decimals by a comma, and the text starts with a byte-order
    mark; in English ',' and a decimal point, without a mark."""
    delimiter, mark = _CSV_DIALECT.get(language, _CSV_DIALECT["en"])
    out = io.StringIO()
    out.write(mark)
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    cell = partial(cell_number, language=language)
    for row in (*report.rows, report.totals):
        writer.writerow({key: inert(text) for key, text in values(report, row, cell).items()})
    return out.getvalue()


def heading(report: Report, texts: Texts, made: float) -> tuple[str, str, str]:
    """Title, period line and 'made' line, in the reader's language."""
    zone = report.period.zone
    moment = datetime.fromtimestamp(made, zone).strftime("%Y-%m-%d %H:%M")
    return (
        texts.plain("report_title", network=report.network),
        texts.plain(
            "report_period",
            since=report.period.since.isoformat(),
            until=report.period.until.isoformat(),
            zone=zone.key,
        ),
        texts.plain(
            "report_made", moment=moment, days=texts.count("count_days", report.inactive_days)
        ),
    )


_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _literal(text: str) -> str:
    """A name as literal Markdown text: every ASCII punctuation mark backslash-escaped (as
    CommonMark allows), so '<script>', '<img onerror=...>', '[x](javascript:...)' and '|'
    show as written and never become HTML, a link or a table border; line breaks become
    spaces."""
    return "".join("\\" + c if c in _PUNCTUATION else c for c in text.replace("\n", " "))


_NAMES = ("name", "kern")  # the cells that hold what people typed


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def rounds_rows(report: Report) -> list[tuple[str, tuple[int, ...]]]:
    """(name, rounds per month) of each neighbourhood that walked rounds in the period."""
    names = {row.slug: row.name for row in report.rows}
    return [(names[slug], counts) for slug, counts in report.rounds_per_month]


def vests_idle_lines(report: Report, texts: Texts, name: Callable[[str], str] = str) -> list[str]:
    """One line per neighbourhood with vests but no round in the last 60 days (`name`: how
    a name people typed is written)."""
    return [
        texts.plain(
            "report_vests_idle_line",
            name=name(row.name),
            kern=name(row.kern),
            eur=texts.number(row.vests_eur),
        )
        for row in report.vests_idle
    ]


def _rounds_markdown(report: Report, texts: Texts) -> list[str]:
    lines = ["", f"## {texts.plain('report_rounds_heading')}", ""]
    table = rounds_rows(report)
    if table:
        months = [month for month, _count in report.per_month]
        lines.append("| " + " | ".join([texts.plain("report_col_name"), *months]) + " |")
        lines.append("| --- |" + " ---: |" * len(months))
        for name, counts in table:
            lines.append("| " + " | ".join([_literal(name), *map(texts.number, counts)]) + " |")
    else:
        lines.append(texts.plain("report_rounds_none"))
    if report.vests_idle:
        lines.append("")
    lines += [f"- ⚠ {line}" for line in vests_idle_lines(report, texts, _literal)]
    return lines


def to_markdown(report: Report, texts: Texts, made: float) -> str:
    _, period, made_line = heading(report, texts, made)
    title = texts.plain("report_title", network=_literal(report.network))
    yes, no = texts.plain("report_yes"), texts.plain("report_no")
    columns = COLUMNS[1:]
    lines = [f"# {title}", "", f"{period}. {made_line}", ""]
    lines.append("| " + " | ".join(texts.plain(f"report_col_{c}") for c in columns) + " |")
    numeric = {c for c in columns if c not in ("name", "kern", "last_activity", "inactive")}
    lines.append("| " + " | ".join("---:" if c in numeric else "---" for c in columns) + " |")
    for row in (*report.rows, report.totals):
        cells = values(report, row, texts.number, yes, no)
        if row.slug != "total" and row.inactive is not None and not row.last_activity:
            cells["last_activity"] = texts.plain("report_never")
        line = [_literal(cells[c]) if c in _NAMES else _cell(cells[c]) for c in columns]
        if row is report.totals:
            line = [f"**{cell}**" if cell else "" for cell in line]
        lines.append("| " + " | ".join(line) + " |")
    lines += ["", f"## {texts.plain('report_inactive_heading')}", ""]
    if report.inactive:
        for row in report.inactive:
            last = local_date(report, row.last_activity) or texts.plain("report_never")
            line = texts.plain(
                "report_inactive_line",
                name=_literal(row.name),
                kern=_literal(row.kern),
                last=last,
                signs=texts.count("count_signs_removed", row.signs),
            )
            lines.append(f"- {line}")
    else:
        lines.append(texts.plain("report_inactive_none"))
    lines += _rounds_markdown(report, texts)
    lines += ["", f"## {texts.plain('report_chart_months')}", ""]
    lines += [f"- {month}: {texts.number(count)}" for month, count in report.per_month]
    lines += ["", texts.plain("report_notes"), ""]
    return "\n".join(lines)

"""The report as one self-contained HTML file: inline CSS and SVG, nothing from elsewhere.

Rendered with Jinja2 (autoescaping on), so names with '<' or '&' appear as written.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from relaybot.domain.report import Report
from relaybot.domain.texts import Texts
from relaybot.reports import charts
from relaybot.reports.formats import (
    COLUMNS,
    heading,
    local_date,
    rounds_rows,
    values,
    vests_idle_lines,
)

CHART_HOODS = 30  # the busiest neighbourhoods in the chart; every one is in the table

_ENV = Environment(
    loader=PackageLoader("relaybot.reports", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def environment() -> Environment:
    """The templates' environment (the coverage map's page renders with it too)."""
    return _ENV


_TEXT_KEYS = (
    "report_chart_months",
    "report_chart_hoods",
    "report_inactive_heading",
    "report_inactive_none",
    "report_table",
    "report_notes",
    "report_rounds_heading",
    "report_rounds_none",
)


def to_html(
    report: Report, texts: Texts, made: float, coverage: dict[str, Any] | None = None
) -> str:
    """The report's page; ``coverage`` the map section (relaybot.reports.coverage) when the
    network has a map."""
    title, period, made_line = heading(report, texts, made)
    yes, no = texts.plain("report_yes"), texts.plain("report_no")
    never = texts.plain("report_never")
    columns = COLUMNS[1:]
    numeric = {c for c in columns if c not in ("name", "kern", "last_activity", "inactive")}
    rows = []
    for row in (*report.rows, report.totals):
        cells = values(report, row, texts.number, yes, no)
        if row.inactive is not None and not cells["last_activity"]:
            cells["last_activity"] = never
        if row is report.totals:
            css = "total"
        elif row.inactive is None:
            css = "regie"
        else:
            css = "inactive" if row.inactive else ""
        rows.append({"cells": cells, "css": css})
    inactive = [
        texts.plain(
            "report_inactive_line",
            name=row.name,
            kern=row.kern,
            last=local_date(report, row.last_activity) or never,
            signs=texts.count("count_signs_removed", row.signs),
        )
        for row in report.inactive
    ]
    hoods = [row for row in report.rows if row.inactive is not None]
    ranked = sorted(
        enumerate(hoods), key=lambda pair: (-(pair[1].raised + pair[1].received), pair[0])
    )
    busiest = [row for _, row in sorted(ranked[:CHART_HOODS], key=lambda pair: pair[0])]
    note = (
        texts.plain(
            "report_chart_hoods_top",
            count=texts.number(len(busiest)),
            total=texts.number(len(hoods)),
        )
        if len(hoods) > CHART_HOODS
        else ""
    )
    legend = (
        texts.plain("report_legend_raised"),
        texts.plain("report_legend_received"),
        texts.plain("report_legend_112"),
    )
    return _ENV.get_template("report.html.j2").render(
        language=texts.language,
        title=title,
        period=period,
        made=made_line,
        t={key: texts.plain(key) for key in _TEXT_KEYS},
        columns=columns,
        numeric=numeric,
        headers={c: texts.plain(f"report_col_{c}") for c in columns},
        rows=rows,
        inactive=inactive,
        months_chart=charts.months_chart(
            report.per_month, texts.plain("report_chart_months"), texts.number
        ),
        hoods_chart=charts.hoods_chart(
            busiest, texts.plain("report_chart_hoods"), legend, texts.number
        ),
        hoods_note=note,
        months=[month for month, _count in report.per_month],
        rounds=[(name, [texts.number(n) for n in counts]) for name, counts in rounds_rows(report)],
        vests_idle=vests_idle_lines(report, texts),
        map=coverage,
    )

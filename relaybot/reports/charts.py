"""Small inline SVG charts, made here: no script, no font or image from elsewhere.

Each function returns one ``<svg>`` element with a ``viewBox``, so it scales to the width of
a phone or of an A4 page. Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

from relaybot.domain.report import Row

RAISED = "#1f5fbf"
RECEIVED = "#7a8a99"
FLAG = "#c62828"
INK = "#222"
FAINT = "#ccd3da"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = 11,
    anchor: str = "start",
    fill: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{escape(text)}</text>'
    )


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}" class="chart">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def months_chart(
    per_month: Sequence[tuple[str, int]], label: str, number: Callable[[int], str] = str
) -> Markup:
    """Vertical bars: incidents per month, the count above each bar."""
    width, height, left, bottom, top = 640, 210, 8, 40, 22
    count = max(len(per_month), 1)
    slot = (width - 2 * left) / count
    peak = max((n for _, n in per_month), default=0) or 1
    usable = height - bottom - top
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" '
        f'stroke="{FAINT}"/>'
    ]
    for index, (month, n) in enumerate(per_month):
        x = left + index * slot
        bar = usable * n / peak
        y = height - bottom - bar
        body.append(
            f'<rect class="bar" x="{x + slot * 0.15:.1f}" y="{y:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{bar:.1f}" fill="{RAISED}"/>'
        )
        body.append(_text(x + slot / 2, y - 5, number(n), anchor="middle"))
        year, mon = month.split("-")
        body.append(_text(x + slot / 2, height - bottom + 15, mon, anchor="middle"))
        if index == 0 or mon == "01":
            body.append(_text(x + slot / 2, height - bottom + 30, year, anchor="middle", size=10))
    return _svg(width, height, label, body)


def hoods_chart(
    rows: Sequence[Row],
    label: str,
    legend: tuple[str, str, str],
    number: Callable[[int], str] = str,
) -> Markup:
    """Horizontal bars per neighbourhood: raised, received and 112 reports side by side.
    An inactive neighbourhood's name is red and marked."""
    width, name_width, line, top = 640, 190, 34, 30
    height = top + line * max(len(rows), 1) + 6
    peak = max((max(r.raised, r.received, r.reports_112) for r in rows), default=0) or 1
    span = width - name_width - 40
    body = []
    for index, (colour, text) in enumerate(zip((RAISED, RECEIVED, FLAG), legend, strict=True)):
        x = name_width + index * 140
        body.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>')
        body.append(_text(x + 17, 16, text))
    for index, row in enumerate(rows):
        y = top + index * line
        name = row.name if len(row.name) <= 28 else row.name[:27] + "…"
        if row.inactive:
            body.append(
                _text(name_width - 8, y + 17, f"⚠ {name}", anchor="end", fill=FLAG, weight="bold")
            )
        else:
            body.append(_text(name_width - 8, y + 17, name, anchor="end"))
        for bar_index, (value, colour) in enumerate(
            ((row.raised, RAISED), (row.received, RECEIVED), (row.reports_112, FLAG))
        ):
            bar_y = y + 3 + bar_index * 9
            length = span * value / peak
            body.append(
                f'<rect class="bar" x="{name_width}" y="{bar_y}" width="{length:.1f}" '
                f'height="8" fill="{colour}"/>'
            )
            body.append(_text(name_width + length + 4, bar_y + 8, number(value), size=9))
    return _svg(width, height, label, body)

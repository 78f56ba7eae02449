"""The coverage map as HTML: `relaybot map` (a page of its own) and the report's map section.

The states come from the report's rows (who was active within inactive_days, incidents raised
in the period) and the chats (the file's chat ids and those linked with /koppel). A public
page shows coverage only: no chat ids, no incidents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from relaybot.domain.network import Network
from relaybot.domain.report import Report
from relaybot.domain.texts import Texts
from relaybot.geo.areamap import AreaMap
from relaybot.geo.coverage import STATES, places, svg


def map_section(
    network: Network,
    area_map: AreaMap,
    linked: Mapping[str, int],
    texts: Texts,
    inactive: Mapping[str, bool],
    incidents: Mapping[str, int] | None = None,
    *,
    public: bool = False,
) -> dict[str, Any]:
    """What the map section of a page shows (rendered by map_section.html.j2). ``linked``:
    slug -> chat linked with /koppel (the file's chat ids are added); ``inactive``: slug ->
    quiet longer than inactive_days; ``incidents``: slug -> incidents raised in the period."""
    chats = dict(linked)
    chats.update({s: h.chat_id for s, h in network.neighbourhoods.items() if h.chat_id})
    shown = places(area_map, network, chats, inactive, incidents, public=public)
    words = {
        state: texts.plain(f"map_state_{state}", days=network.policy.inactive_days)
        for state in STATES
    }
    columns = ["buurt", "hood", "state"]
    if incidents is not None and not public:
        columns.append("incidents")
    if not public:
        columns.append("chat")
    table = []
    for place in shown:
        cells = [place.name, place.hood, words[place.state]]
        if "incidents" in columns:
            cells.append(texts.number(place.incidents or 0, 0) if place.hood else "")
        if "chat" in columns:
            cells.append("" if place.chat_id is None else str(place.chat_id))
        table.append({"code": place.code, "state": place.state, "cells": cells})
    return {
        "heading": texts.plain("map_heading"),
        "legend": list(words.items()),
        "svg": Markup(svg(area_map, shown, words)),  # built from escaped names only
        "columns": [texts.plain(f"map_col_{c}") for c in columns],
        "rows": table,
        "note": texts.plain("map_public_note") if public else "",
    }


def from_report(report: Report | None) -> tuple[dict[str, bool], dict[str, int]]:
    """(inactive, incidents raised) per slug from the report's rows; none without a report."""
    rows = [row for row in report.rows if row.inactive is not None] if report else []
    return {row.slug: bool(row.inactive) for row in rows}, {row.slug: row.raised for row in rows}


def to_page(network: Network, section: dict[str, Any], texts: Texts, made: str) -> str:
    from relaybot.reports.html import environment

    return (
        environment()
        .get_template("map.html.j2")
        .render(
            language=texts.language,
            title=texts.plain("map_title", network=network.name),
            made=made,
            map=section,
        )
    )

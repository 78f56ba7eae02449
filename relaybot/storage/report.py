"""Read-only queries for reports: the numbers stored for them, read beside a running bot.

The report opens the database through its own connection in SQLite's read-only mode
(``file:...?mode=ro``), so it can neither change nor lock out the bot; WAL lets it read a
consistent snapshot while the bot writes. Every number comes from what retention keeps:
incident rows (their texts are erased, their times and places stay), the ids of copies, the
counters, and the tables of warnings, sign-ups and activity. Tables that a database does
not have (an older schema, a feature not installed) count as empty.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import quote

from relaybot.domain.report import REGIE, Tally
from relaybot.storage.db import StorageError

__all__ = ["PlaceOf", "chat_places", "read_facts", "read_only", "readonly_uri"]

PlaceOf = Callable[[int], str | None]  # a chat id (any it ever had) -> slug, REGIE or None


def readonly_uri(path: Path | str) -> str:
    """A ``file:`` URI for ``path`` that SQLite opens read-only; characters that mean
    something in a URI ('?', '#', '%', spaces) are escaped."""
    absolute = Path(path).resolve().as_posix()
    return f"file:{quote(absolute, safe='/')}?mode=ro"


@contextmanager
def read_only(path: Path | str) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the bot's database. A missing file is a clear error (SQLite
    would otherwise say only 'unable to open database file')."""
    if not Path(path).is_file():
        raise StorageError(f"no database at {path} (has the bot run yet? see RELAYBOT_DATABASE)")
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")
    except sqlite3.Error as exc:
        raise StorageError(f"cannot read database {path}: {exc}") from exc
    try:
        conn.execute("BEGIN")  # one snapshot for every query of the report
        yield conn
    except sqlite3.Error as exc:
        raise StorageError(f"cannot read database {path}: {exc}") from exc
    finally:
        conn.close()


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def read_facts(
    conn: sqlite3.Connection, tally: Tally, place_of: PlaceOf, inactive_days: int = 0
) -> None:
    """Add everything the database knows about the tally's period (and activity up to its
    moment) to the tally."""
    start, end, as_of = tally.period.start, tally.period.end, tally.as_of
    tables = _tables(conn)
    if "incidents" in tables:
        _incidents(conn, tally, place_of, start, end, as_of, inactive_days * 86400.0)
    if "counters" in tables:
        rows = conn.execute(
            "SELECT place, day, SUM(n) FROM counters WHERE metric = 'duplicates_prevented'"
            " AND day >= ? AND day <= ? GROUP BY place, day",
            (tally.period.since.isoformat(), tally.period.until.isoformat()),
        )
        for place, day, count in rows:
            tally.duplicates(_counter_place(place, place_of), date.fromisoformat(day), count)
    if "warnings" in tables:
        rows = conn.execute(
            "SELECT chat_id, COUNT(*) FROM warnings WHERE created_at >= ? AND created_at < ?"
            " GROUP BY chat_id",
            (start, end),
        )
        for chat_id, count in rows:
            tally.warned(place_of(chat_id), count)
    if "signup_counts" in tables:
        rows = conn.execute(
            "SELECT slug, month, SUM(received), SUM(admitted) FROM signup_counts"
            " GROUP BY slug, month"
        )
        for slug, month, received, admitted in rows:
            tally.signups(slug, month, received or 0, admitted or 0)
    if "activity" in tables:
        for slug, watched_since, last_at in conn.execute(
            "SELECT slug, watched_since, last_at FROM activity"
        ):
            tally.watching(slug, watched_since)
            if last_at is not None:
                tally.active(slug, last_at)


def _incidents(
    conn: sqlite3.Connection,
    tally: Tally,
    place_of: PlaceOf,
    start: float,
    end: float,
    as_of: float,
    window: float,
) -> None:
    # raised: incidents tagged up (not local ones, not retracted false alarms), counted per
    # place and local month in SQL; the months' bounds come from the period
    bounds = tally.period.month_starts()[1:]
    bucket = (
        "CASE "
        + " ".join(f"WHEN created_at < {b!r} THEN {i}" for i, b in enumerate(bounds))
        + f" ELSE {len(bounds)} END"
        if bounds
        else "0"
    )
    for slug, month, count in conn.execute(
        f"SELECT source_slug, {bucket}, COUNT(*) FROM incidents"
        " WHERE created_at >= ? AND created_at < ? AND relayed = 1 AND state != 'retracted'"
        " GROUP BY 1, 2",
        (start, end),
    ):
        tally.raised_in_month(slug or REGIE, month, count)
    for slug, latest in conn.execute(
        "SELECT source_slug, MAX(created_at) FROM incidents WHERE created_at <= ?"
        " AND relayed = 1 AND state != 'retracted' GROUP BY source_slug",
        (as_of,),
    ):
        tally.active(slug or REGIE, latest)
    # received: incidents of the period that reached a chat other than their source; every
    # copy there (alert, notice, follow-up) belongs to an incident the chat received. The
    # covering index on copies keeps this one pass without reading the copies' rows.
    # Activity is looked for as far back as the inactivity window reaches too (older signs
    # of life come from the activity table the bot keeps).
    since = min(start, as_of - window)
    for chat_id, count, latest in conn.execute(
        "SELECT c.chat_id, COUNT(DISTINCT CASE WHEN i.created_at >= ? AND i.created_at < ?"
        " THEN c.incident END), MAX(CASE WHEN i.created_at <= ? THEN i.created_at END)"
        " FROM incidents i JOIN copies c INDEXED BY copies_by_incident ON c.incident = i.number"
        " WHERE i.created_at >= ? AND i.created_at < ? AND i.state != 'retracted'"
        " AND c.chat_id != i.source_chat_id GROUP BY c.chat_id",
        (start, end, as_of, since, max(end, as_of)),
    ):
        place = place_of(chat_id)
        tally.received(place, count)
        if latest is not None:
            tally.active(place, latest)
    # 112: the first report per incident, placed where it was made
    places: dict[int, str | None] = {}
    for chat_id, flag_at, created_at in conn.execute(
        "SELECT flag_chat_id, flag_at, created_at FROM incidents"
        " WHERE flag_at >= ? AND flag_at < ?",
        (start, end),
    ):
        if chat_id not in places:
            places[chat_id] = place_of(chat_id)
        tally.flagged(places[chat_id], flag_at, created_at)
    for chat_id, latest in conn.execute(
        "SELECT flag_chat_id, MAX(flag_at) FROM incidents WHERE flag_at <= ? GROUP BY flag_chat_id",
        (as_of,),
    ):
        tally.active(place_of(chat_id), latest)


def _counter_place(place: str, place_of: PlaceOf) -> str | None:
    """Counters are kept under a slug, 'regie', or (a chat outside the network) its id."""
    try:
        return place_of(int(place))
    except ValueError:
        return place


def chat_places(conn: sqlite3.Connection) -> tuple[dict[str, int], dict[int, int]]:
    """Run-time links (slug -> chat id) and group moves (old id -> new id), to place chats."""
    tables = _tables(conn)
    links = (
        dict(conn.execute("SELECT slug, chat_id FROM chat_links").fetchall())
        if "chat_links" in tables
        else {}
    )
    moves = (
        dict(conn.execute("SELECT old_chat_id, new_chat_id FROM chat_moves").fetchall())
        if "chat_moves" in tables
        else {}
    )
    return links, moves

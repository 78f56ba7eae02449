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
from pathlib import Path
from urllib.parse import quote

from relaybot.domain.chats import Directory
from relaybot.domain.network import Network
from relaybot.domain.report import REGIE, Hood, Period, Report, Tally, build_report
from relaybot.storage.db import StorageError

__all__ = [
    "PlaceOf",
    "chat_places",
    "load_report",
    "place_finder",
    "read_facts",
    "read_only",
    "readonly_uri",
]

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
            "SELECT place, metric, SUM(n) FROM counters"
            " WHERE metric IN ('duplicates_prevented', 'signups', 'admitted')"
            " AND day >= ? AND day <= ? GROUP BY place, metric",
            tally.period.days,
        )
        for place, metric, count in rows:
            tally.counted(_counter_place(place, place_of), metric, count)
    if "warnings" in tables:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(warnings)")}
        moment = "at" if "at" in columns else "created_at"
        rows = conn.execute(
            f"SELECT chat_id, COUNT(*) FROM warnings WHERE {moment} >= ? AND {moment} < ?"
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
    if "signups" in tables:  # a sign-up is a sign of life in its neighbourhood
        for slug, latest in conn.execute(
            "SELECT slug, MAX(submitted_at) FROM signups WHERE slug IS NOT NULL"
            " AND submitted_at <= ? GROUP BY slug",
            (tally.as_of,),
        ):
            tally.active(slug, latest)
    if "rounds" in tables:  # surveillance rounds, by when they began
        for chat_id, started_at in conn.execute(
            "SELECT chat_id, started_at FROM rounds WHERE started_at IS NOT NULL"
        ):
            tally.walked(place_of(chat_id), started_at)
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
    # One pass over the incidents: per source and local month of the period, how many were
    # raised (tagged up; not local ones, not retracted false alarms), and the latest sign of
    # life of each source (a local incident and its 112 report count as life too). Month -1
    # holds what lies outside the period. The months' bounds come from the period.
    bounds = tally.period.month_starts()[1:]
    bucket = " ".join(f"WHEN created_at < {b!r} THEN {i}" for i, b in enumerate(bounds))
    for slug, month, raised, latest in conn.execute(
        "SELECT source_slug,"
        f" CASE WHEN created_at < ? OR created_at >= ? THEN -1 {bucket} ELSE {len(bounds)} END,"
        " SUM(relayed), MAX(MAX(created_at, COALESCE(flag_at, 0)))"
        " FROM incidents WHERE state != 'retracted' AND created_at <= ? GROUP BY 1, 2",
        (start, end, as_of),
    ):
        key = slug or REGIE
        if month >= 0 and raised:
            tally.raised_in_month(key, month, raised)
        tally.active(key, min(latest, as_of))
    # received: incidents of the period that reached a chat other than their source; every
    # copy there (alert, notice, follow-up) belongs to an incident the chat received, once. The
    # covering index on copies spares reading the copies' rows. Signs of life are looked for
    # as far back as the inactivity window reaches too (older ones come from the activity
    # table the bot keeps).
    since = min(start, as_of - window)
    for chat_id, count, latest in conn.execute(
        "SELECT chat_id, SUM(inside), MAX(latest) FROM ("
        " SELECT c.chat_id AS chat_id, i.created_at >= ? AND i.created_at < ? AS inside,"
        " CASE WHEN i.created_at <= ? THEN i.created_at END AS latest"
        " FROM incidents i CROSS JOIN copies c INDEXED BY copies_by_incident"
        " ON c.incident = i.number"
        " WHERE i.created_at >= ? AND i.created_at < ? AND i.state != 'retracted'"
        " AND c.chat_id != i.source_chat_id GROUP BY i.number, c.chat_id"
        ") GROUP BY chat_id",
        (start, end, as_of, since, max(end, as_of)),
    ):
        place = place_of(chat_id)
        tally.received(place, count)
        if latest is not None:
            tally.active(place, latest)
    # 112: the first report per incident, placed where it was made
    minutes: dict[int, list[float]] = {}
    latest_flag: dict[int, float] = {}
    for chat_id, flag_at, waited in conn.execute(
        "SELECT flag_chat_id, flag_at, (flag_at - created_at) / 60.0 FROM incidents"
        " WHERE flag_at >= ? AND flag_at < ?",
        (start, end),
    ):
        minutes.setdefault(chat_id, []).append(waited)
        if flag_at <= as_of and flag_at > latest_flag.get(chat_id, 0):
            latest_flag[chat_id] = flag_at
    for chat_id, waits in minutes.items():
        place = place_of(chat_id)
        tally.flag_minutes(place, waits)
        if chat_id in latest_flag:
            tally.active(place, latest_flag[chat_id])


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


def place_finder(directory: Directory) -> PlaceOf:
    """chat id (any it ever had) -> the neighbourhood's slug, REGIE, or None."""

    def place_of(chat_id: int) -> str | None:
        current = directory.current(chat_id)
        if current == directory.regie_chat_id:
            return REGIE
        return directory.slug_for(current) if current is not None else None

    return place_of


def load_report(
    network: Network,
    database: Path | str,
    period: Period,
    now: float,
    *,
    regie_name: str,
    total_name: str,
) -> Report:
    """The report over ``period`` as the database shows it, read through its own read-only
    connection (blocking: call it from a thread inside the bot)."""
    tally = Tally(period, period.as_of(now))
    with read_only(database) as conn:
        links, moves = chat_places(conn)
        read_facts(
            conn,
            tally,
            place_finder(Directory(network, links, moves)),
            network.policy.inactive_days,
        )
    hoods = [
        Hood(h.slug, h.name, h.kern, h.signs, h.vests_eur) for h in network.neighbourhoods.values()
    ]
    return build_report(
        network.name,
        hoods,
        tally,
        inactive_days=network.policy.inactive_days,
        regie_name=regie_name,
        total_name=total_name,
    )

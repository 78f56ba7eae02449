"""The report's read-only queries: what counts where, and reading beside a running bot."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from relaybot.domain.report import REGIE
from relaybot.network_file import parse_network
from relaybot.reports import make_report
from relaybot.sandbox.report_sample import migrate
from relaybot.storage.db import Database, StorageError
from relaybot.storage.report import read_only, readonly_uri

AMS = ZoneInfo("Europe/Amsterdam")
REGIE_CHAT = -1001000000001
OOST, WEST, NOORD = -1001000000101, -1001000000102, -1001000000103

NETWORK = parse_network(
    f"""
[network]
name = "Proefdorp"
[regie]
chat_id = {REGIE_CHAT}
[policy]
inactive_days = 30
[[neighbourhood]]
slug = "oost"
name = "Oost"
kern = "Dorp"
chat_id = {OOST}
adjacent = ["west"]
signs = 2
vests_eur = 120
[[neighbourhood]]
slug = "west"
name = "West"
kern = "Dorp"
chat_id = {WEST}
[[neighbourhood]]
slug = "noord"
name = "Noord"
kern = "Dorp"
"""
)


def at(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=AMS).timestamp()


class Store:
    """Rows written straight into a migrated database, as the bot would have left them."""

    def __init__(self, path: Path) -> None:
        migrate(path)
        self.path = path
        self.conn = sqlite3.connect(path)
        self.number = 0

    def incident(
        self,
        slug: str | None,
        chat: int,
        created: float,
        *,
        alerts: tuple[int, ...] = (),
        flag: tuple[int, float] | None = None,
        state: str = "resolved",
        relayed: bool = True,
    ) -> int:
        self.number += 1
        flag_chat, flag_at = flag if flag else (None, None)
        self.conn.execute(
            "INSERT INTO incidents (number, source_slug, source_chat_id, origin_message_id,"
            " state, relayed, created_at, flag_at, flag_chat_id) VALUES (?,?,?,?,?,?,?,?,?)",
            (self.number, slug, chat, self.number, state, relayed, created, flag_at, flag_chat),
        )
        for index, target in enumerate(alerts):
            self.conn.execute(
                "INSERT INTO copies (chat_id, message_id, incident, role) VALUES (?,?,?,'alert')",
                (target, 1000 * self.number + index, self.number),
            )
        self.conn.commit()
        return self.number

    def sql(self, statement: str, *args: object) -> None:
        self.conn.execute(statement, args)
        self.conn.commit()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "relaybot.sqlite3")


def report(store: Store, since: str = "2026-03-01", until: str = "2026-03-31"):
    return make_report(
        NETWORK,
        store.path,
        since=date.fromisoformat(since),
        until=date.fromisoformat(until),
        now=at("2026-06-01 12:00"),
    )


def rows(store: Store, **period: str) -> dict[str, object]:
    return {row.slug: row for row in report(store, **period).rows}


def test_raised_received_and_112_are_placed_by_their_chats(store: Store) -> None:
    """A tag counts as raised for its source, as received where its alerts went, and its
    first 112 report where that report was made, with the minutes since the alert."""
    store.incident(
        "oost",
        OOST,
        at("2026-03-10 21:40"),
        alerts=(REGIE_CHAT, WEST),
        flag=(WEST, at("2026-03-10 21:52")),
    )
    store.incident("west", WEST, at("2026-03-11 22:00"), alerts=(REGIE_CHAT, OOST))
    found = rows(store)
    assert (found["oost"].raised, found["oost"].received, found["oost"].reports_112) == (1, 1, 0)
    assert (found["west"].raised, found["west"].received, found["west"].reports_112) == (1, 1, 1)
    assert found["west"].median_minutes_to_112 == 12
    assert (found[REGIE].raised, found[REGIE].received) == (0, 2)


def test_local_and_retracted_incidents_are_not_raised(store: Store) -> None:
    """A local incident (/112 on a resident's message) is no tag, but its 112 report counts;
    a retracted false alarm counts for nothing it was raised or received for."""
    t = at("2026-03-10 21:40")
    store.incident("oost", OOST, t, relayed=False, flag=(OOST, t))
    store.incident("oost", OOST, t, alerts=(REGIE_CHAT, WEST), state="retracted")
    found = rows(store)
    assert (found["oost"].raised, found["oost"].reports_112) == (0, 1)
    assert found["oost"].median_minutes_to_112 == 0
    assert (found["west"].received, found[REGIE].received) == (0, 0)


def test_regiegroep_incidents_and_reports(store: Store) -> None:
    """An incident the regiegroep started counts as raised by the regiegroep."""
    store.incident(
        None,
        REGIE_CHAT,
        at("2026-03-05 10:00"),
        alerts=(OOST, WEST),
        flag=(REGIE_CHAT, at("2026-03-05 10:03")),
    )
    found = rows(store)
    assert (found[REGIE].raised, found[REGIE].reports_112) == (1, 1)
    assert (found["oost"].received, found["west"].received) == (1, 1)


def test_period_edges_are_local_midnight(store: Store) -> None:
    """An incident at 00:30 on the first day counts (it is 23:30 the day before in UTC);
    one at 00:30 the day after the last does not."""
    store.incident("oost", OOST, at("2026-03-01 00:30"))
    store.incident("oost", OOST, at("2026-03-31 23:59"))
    store.incident("oost", OOST, at("2026-04-01 00:30"))
    store.incident("oost", OOST, at("2026-02-28 23:59"))
    assert rows(store)["oost"].raised == 2


def test_group_that_moved_keeps_its_numbers(store: Store) -> None:
    """Copies made under a group's old id count for the neighbourhood it is now."""
    store.sql("INSERT INTO chat_moves (old_chat_id, new_chat_id, at) VALUES (?, ?, 0)", -4242, WEST)
    store.incident(
        "oost", OOST, at("2026-03-10 21:40"), alerts=(-4242,), flag=(-4242, at("2026-03-10 21:45"))
    )
    found = rows(store)
    assert (found["west"].received, found["west"].reports_112) == (1, 1)


def test_linked_chat_counts_for_its_neighbourhood(store: Store) -> None:
    """A neighbourhood linked at run time (/koppel) gets the numbers of its chat."""
    store.sql("INSERT INTO chat_links (slug, chat_id, title, at) VALUES ('noord', ?, '', 0)", NOORD)
    store.incident("oost", OOST, at("2026-03-10 21:40"), alerts=(NOORD,))
    assert rows(store)["noord"].received == 1


def test_duplicates_warnings_and_signups(store: Store) -> None:
    """Duplicates come from the per-day counters, warnings from the warnings table (by chat
    and time: a warning in another month does not count), sign-ups from per-month counts."""
    store.sql("INSERT INTO counters VALUES ('2026-03-10', 'oost', 'duplicates_prevented', 3)")
    store.sql("INSERT INTO counters VALUES ('2026-03-10', 'regie', 'duplicates_prevented', 1)")
    store.sql("INSERT INTO counters VALUES ('2026-04-01', 'oost', 'duplicates_prevented', 9)")
    store.sql("INSERT INTO counters VALUES ('2026-03-10', 'oost', 'flag_reports', 5)")
    warn = "INSERT INTO warnings (chat_id, member_id, at, kind) VALUES (?, 7, ?, 'manual')"
    store.sql(warn, OOST, at("2026-03-02 20:00"))
    store.sql(warn, OOST, at("2026-04-02 20:00"))
    store.sql("CREATE TABLE signup_counts (slug TEXT, month TEXT, received INT, admitted INT)")
    store.sql("INSERT INTO signup_counts VALUES ('west', '2026-03', 4, 3)")
    store.sql("INSERT INTO signup_counts VALUES ('west', '2026-05', 7, 7)")
    found = rows(store)
    assert (found["oost"].duplicates_prevented, found[REGIE].duplicates_prevented) == (3, 1)
    assert found["oost"].warnings == 1
    assert (found["west"].signups, found["west"].admitted) == (4, 3)


def test_missing_feature_tables_count_as_zero(store: Store) -> None:
    """A database without warnings or sign-up tables (an older schema) reports 0."""
    store.sql("DROP TABLE warnings")
    found = rows(store)
    assert all(row.warnings == 0 and row.signups == 0 for row in found.values())


def test_last_activity_and_inactive(store: Store) -> None:
    """Last activity is the latest incident raised, received or 112 report, or message seen,
    even before the period; quiet for inactive_days at the report's end is inactive; a
    neighbourhood the bot never saw is inactive."""
    store.incident("oost", OOST, at("2026-01-10 21:40"), alerts=(WEST,))
    store.sql(
        "INSERT INTO activity (slug, watched_since, last_at) VALUES ('oost', ?, ?)",
        at("2025-01-01 00:00"),
        at("2026-03-20 10:00"),
    )
    found = rows(store, since="2026-01-01")
    assert found["oost"].last_activity == at("2026-03-20 10:00")
    assert found["oost"].inactive is False
    assert found["west"].last_activity == at("2026-01-10 21:40")
    assert found["west"].inactive is True
    assert found["noord"].last_activity is None and found["noord"].inactive is True


def test_activity_after_the_period_does_not_count(store: Store) -> None:
    """A report about March describes the end of March: later activity is not yet there."""
    store.incident("oost", OOST, at("2026-01-10 21:40"))
    store.incident("oost", OOST, at("2026-05-10 21:40"))
    assert rows(store)["oost"].last_activity == at("2026-01-10 21:40")


def test_signs_and_vests_come_from_the_network_file(store: Store) -> None:
    """Signs and vest budget are the network file's, summed in the totals row."""
    made = report(store)
    assert (made.rows[0].signs, made.rows[0].vests_eur) == (2, 120)
    assert (made.totals.signs, made.totals.vests_eur) == (2, 120)


def test_readonly_uri_escapes_special_characters(tmp_path: Path) -> None:
    """A database path with '?', '#', '%' or a space still opens, read-only."""
    folder = tmp_path / "odd ?#% name"
    folder.mkdir()
    path = folder / "bot?.sqlite3"
    migrate(path)
    assert "?mode=ro" in readonly_uri(path) and "%3F" in readonly_uri(path)
    with read_only(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM incidents").fetchone() == (0,)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("INSERT INTO handled (key, at) VALUES ('x', 0)")


def test_missing_database_is_one_clear_line(tmp_path: Path) -> None:
    """A report on a database that does not exist says so and creates nothing."""
    with pytest.raises(StorageError, match="no database at"):
        make_report(NETWORK, tmp_path / "none.sqlite3")
    assert not (tmp_path / "none.sqlite3").exists()


async def test_reads_beside_a_writing_bot(store: Store) -> None:
    """While the bot holds a write transaction open, the report reads the last committed
    state without waiting and without blocking the bot."""
    store.incident("oost", OOST, at("2026-03-10 21:40"))
    db = await Database(store.path).open()
    try:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO incidents (source_slug, source_chat_id, origin_message_id,"
                " created_at) VALUES ('oost', ?, 99, ?)",
                (OOST, at("2026-03-11 21:40")),
            )
            assert rows(store)["oost"].raised == 1  # the uncommitted tag is not seen
        assert rows(store)["oost"].raised == 2
        async with db.transaction() as conn:  # and the bot can still write afterwards
            await conn.execute("INSERT INTO handled (key, at) VALUES ('k', 0)")
    finally:
        await db.close()


def test_received_before_the_period_counts_as_activity_within_the_window(store: Store) -> None:
    """An alert received before the period, but within inactive_days of the report's end,
    is recent activity (not counted as received in the period)."""
    store.incident("oost", OOST, at("2026-03-20 21:40"), alerts=(WEST,))
    found = rows(store, since="2026-04-01", until="2026-04-10")
    assert found["west"].received == 0
    assert found["west"].last_activity == at("2026-03-20 21:40")
    assert found["west"].inactive is False


def test_signups_from_daily_counters_and_warnings_by_at(store: Store) -> None:
    """Sign-ups and admissions kept as daily counters count on the period's days; warnings
    are read from the moderation feature's table."""
    store.sql("INSERT INTO counters VALUES ('2026-03-03', 'west', 'signups', 2)")
    store.sql("INSERT INTO counters VALUES ('2026-03-04', 'west', 'admitted', 1)")
    store.sql("INSERT INTO counters VALUES ('2026-04-04', 'west', 'admitted', 5)")
    store.sql(
        "INSERT INTO warnings (chat_id, member_id, at, kind) VALUES (?, 7, ?, 'blocklist')",
        WEST,
        at("2026-03-02 20:00"),
    )
    found = rows(store)
    assert (found["west"].signups, found["west"].admitted, found["west"].warnings) == (2, 1, 1)


async def test_numbers_survive_retention(store: Store) -> None:
    """Erasing incidents' texts and names after retention_days changes no number."""
    from relaybot.storage import retention

    store.incident(
        "oost",
        OOST,
        at("2026-03-10 21:40"),
        alerts=(REGIE_CHAT, WEST),
        flag=(WEST, at("2026-03-10 21:52")),
    )
    store.sql("INSERT INTO counters VALUES ('2026-03-10', 'oost', 'duplicates_prevented', 2)")
    before = report(store)
    db = await Database(store.path).open()
    try:
        async with db.transaction() as conn:
            await retention.erase(conn, 1, at("2026-06-10 00:00"))
    finally:
        await db.close()
    assert report(store).rows == before.rows


def test_a_signup_is_a_sign_of_life(store: Store) -> None:
    """A sign-up submitted for a neighbourhood is its latest activity."""
    store.sql(
        "INSERT INTO signups (user_id, status, started_at, submitted_at, slug)"
        " VALUES (5, 'pending', ?, ?, 'west')",
        at("2026-03-14 19:55"),
        at("2026-03-14 20:00"),
    )
    assert rows(store)["west"].last_activity == at("2026-03-14 20:00")

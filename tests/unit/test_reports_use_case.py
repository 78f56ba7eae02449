"""The Reports use case over the shared context: signs of life, digests, quiet notices."""

from __future__ import annotations

from relaybot.service.reports import Reports
from relaybot.storage import activity
from tests.unit.world import GOOR_OOST, MARKELO, REGIE, World, raise_incident

DAY = 86400.0
COORDINATORS = -1002


async def last_seen(world: World, slug: str) -> float | None:
    async with world.db.reading() as conn:
        rows = await conn.execute_fetchall("SELECT last_at FROM activity WHERE slug = ?", (slug,))
    return rows[0][0] if rows else None


async def test_a_message_is_a_sign_of_life_written_at_most_hourly(world: World) -> None:
    """The first message in a neighbourhood chat is written as activity; more within the hour
    write nothing; after an hour the time moves on. The regie chat is no neighbourhood."""
    reports = Reports(world.ctx)
    start = world.clock()
    await reports.saw(GOOR_OOST)
    world.clock.now += 600
    await reports.saw(GOOR_OOST)
    assert await last_seen(world, "goor-oost") == start
    world.clock.now += 3000
    await reports.saw(GOOR_OOST)
    assert await last_seen(world, "goor-oost") == start + 3600
    await reports.saw(REGIE)
    await reports.saw(-999)  # a group outside the network
    async with world.db.reading() as conn:
        slugs = [r[0] for r in await conn.execute_fetchall("SELECT slug FROM activity")]
    assert slugs == ["goor-oost"]


async def test_digest_for_a_moment_is_queued_once(world: World) -> None:
    """A scheduled digest is made once per moment; another moment makes another."""
    await raise_incident(world)
    reports = Reports(world.ctx)
    due = world.clock()
    assert await reports.digest(due_at=due)
    assert not await reports.digest(due_at=due)
    rows = await world.rows(chat_id=COORDINATORS)
    assert len(rows) == 1
    assert "Meldingen: 1" in rows[0].intent.html
    world.clock.now += 7 * DAY
    assert await reports.digest(due_at=world.clock())
    assert len(await world.rows(chat_id=COORDINATORS)) == 2


async def test_no_catch_up_for_a_moment_before_the_bot_ran(world: World) -> None:
    """At the very first start, the last Monday 09:00 lies before the bot watched anything:
    no digest is sent for it."""
    reports = Reports(world.ctx)
    await reports.watch_linked()
    assert not await reports.catch_up()
    assert await world.rows(chat_id=COORDINATORS) == []


async def test_quiet_check_names_only_watched_neighbourhoods_once(world: World) -> None:
    """After inactive_days of silence every linked neighbourhood is reported once; a second
    look reports nothing; a neighbourhood without a chat is never reported."""
    reports = Reports(world.ctx)
    await reports.watch_linked()
    assert await reports.quiet_check() == 0
    world.clock.now += 61 * DAY
    assert await reports.quiet_check() == 3
    assert await reports.quiet_check() == 0
    text = (await world.rows(chat_id=COORDINATORS))[0].intent.html
    assert "Goor Oost (Goor)" in text and "Markelo (Markelo)" in text
    assert "Goor Centrum" not in text  # no chat: nothing to go quiet


async def test_activity_ends_a_quiet_period(world: World) -> None:
    """A quiet neighbourhood that shows life and then goes quiet again is reported again."""
    reports = Reports(world.ctx)
    await reports.watch_linked()
    world.clock.now += 61 * DAY
    assert await reports.quiet_check() == 3
    await reports.saw(MARKELO)
    world.clock.now += 61 * DAY
    assert await reports.quiet_check() == 1
    async with world.db.reading() as conn:
        watched = await activity.watched(conn)
    assert set(watched) == {"goor-oost", "goor-west", "markelo"}

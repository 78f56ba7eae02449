"""Reports inside the bot: signs of life, the weekly digest, quiet and removal notices.

The numbers are the same as `relaybot report`'s: the report is read through its own
read-only connection (in a thread, so the bot goes on meanwhile) and the digest and the
quiet notices are made from it; what they say goes to the coordinators' group through the
outbox like everything else.
"""

from __future__ import annotations

import asyncio
import math

import structlog

from relaybot.domain.digest import digest_text, quiet_notices
from relaybot.domain.intents import Say
from relaybot.domain.report import Period, Report
from relaybot.domain.schedule import Weekly, parse_weekly
from relaybot.service.context import Context
from relaybot.storage import activity, outbox
from relaybot.storage.copy import sqlite_snapshot
from relaybot.storage.report import load_report

log = structlog.get_logger("relaybot.reports")

DAY = 86400.0
SEEN_EVERY = 3600.0  # seconds: a neighbourhood's sign of life is written at most this often


class Reports:
    """Keeps what the reports need that no other use case stores, and tells the
    coordinators' group what the numbers say."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._written: dict[str, float] = {}  # slug -> when its sign of life was last written

    # --- signs of life --------------------------------------------------------------------

    async def saw(self, chat_id: int) -> None:
        """A message the bot saw in a chat. For a neighbourhood it is a sign of life; written
        at most once an hour per neighbourhood, so the busiest path stays cheap."""
        slug = self.ctx.directory.slug_for(chat_id)
        if slug is None:
            return
        now = self.ctx.clock()
        if now - self._written.get(slug, -math.inf) < SEEN_EVERY:
            return
        self._written[slug] = now
        async with self.ctx.db.transaction() as conn:
            await activity.saw(conn, slug, now)

    async def watch_linked(self) -> None:
        """Every neighbourhood with a chat is watched from now on (the first time counts): its
        quiet time starts then, so a newly linked group is not inactive at once."""
        directory = self.ctx.directory
        slugs = [slug for slug in self.ctx.network.neighbourhoods if directory.is_linked(slug)]
        async with self.ctx.db.transaction() as conn:
            await activity.watch(conn, slugs, self.ctx.clock())

    # --- at start and on the clock ----------------------------------------------------------

    async def started(self) -> None:
        """At start: watch the linked neighbourhoods, send the digest once if one was missed
        while the bot was down, and look for groups that went quiet meanwhile."""
        try:
            await self.watch_linked()
            await self.catch_up()
            await self.quiet_check()
        except Exception:  # reports must never keep the bot from running
            log.exception("reports_start_failed")

    def schedule(self) -> Weekly | None:
        """When the weekly digest is due; None when it is off or there is no group for it."""
        if self.ctx.network.coordinators_chat_id is None:
            return None
        return parse_weekly(self.ctx.network.policy.digest)

    async def catch_up(self) -> bool:
        """Send the last scheduled digest if it was not made (the bot was down then)."""
        weekly = self.schedule()
        if weekly is None:
            return False
        due = weekly.last(self.ctx.clock(), self.ctx.network.timezone)
        async with self.ctx.db.reading() as conn:
            first = await activity.first_watched(conn)
        if first is None or due < first:
            return False  # the bot did not run yet when it was due
        return await self.digest(due_at=due)

    async def digest(self, due_at: float | None = None) -> bool:
        """Queue the digest over the 7 days up to now for the coordinators' group. With
        ``due_at`` (a scheduled moment) at most once for that moment, across restarts and
        processes. False when nothing was queued."""
        chat = self._coordinators()
        if chat is None:
            return False
        now = self.ctx.clock()
        zone = self.ctx.network.timezone
        report = await self._report(Period.between(now - 7 * DAY, now, zone), now)
        if report is None:
            return False
        text = digest_text(report, self.ctx.texts)
        async with self.ctx.db.transaction() as conn:
            if not await activity.claim_digest(conn, now if due_at is None else due_at, now):
                return False
            await outbox.enqueue(conn, Say(chat, text), now)
        log.info("digest_queued", chat=chat, scheduled=due_at is not None)
        self.ctx.wake()
        return True

    async def quiet_check(self) -> int:
        """Tell the coordinators' group about every neighbourhood that has been quiet for
        `inactive_days`, once per quiet period (activity there starts a new one). Returns
        how many were newly quiet."""
        chat = self._coordinators()
        if chat is None:
            return 0
        now = self.ctx.clock()
        days = self.ctx.network.policy.inactive_days
        report = await self._report(
            Period.between(now - days * DAY, now, self.ctx.network.timezone), now
        )
        if report is None:
            return 0
        async with self.ctx.db.transaction() as conn:
            watched = await activity.watched(conn)
            fresh = []
            for row in report.inactive:
                if row.slug not in watched:
                    continue  # no chat yet: nothing there can go quiet
                quiet_since = max(t for t in (row.last_activity, watched[row.slug]) if t)
                if await activity.notice_given(conn, row.slug, quiet_since):
                    fresh.append(row)
            for text in quiet_notices(report, fresh, self.ctx.texts):
                await outbox.enqueue(conn, Say(chat, text), now)
        if fresh:
            log.info("quiet_noticed", chat=chat, neighbourhoods=len(fresh))
            self.ctx.wake()
        return len(fresh)

    # --- Telegram's news ------------------------------------------------------------------

    # --- helpers ------------------------------------------------------------------------

    def _coordinators(self) -> int | None:
        return self.ctx.directory.current(self.ctx.network.coordinators_chat_id)

    async def _report(self, period: Period, now: float) -> Report | None:
        if self.ctx.db.path == ":memory:":
            log.warning("report_needs_a_database_file")
            return None
        texts = self.ctx.texts
        async with sqlite_snapshot(self.ctx.db) as path:  # PostgreSQL: a copy in a file
            return await asyncio.to_thread(
                load_report,
                self.ctx.network,
                path,
                period,
                now,
                regie_name=texts.plain("report_regie"),
                total_name=texts.plain("report_total"),
            )

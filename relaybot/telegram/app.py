"""Builds the python-telegram-bot Application that `relaybot run`, the demo and the tests use."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import structlog
from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from relaybot.domain.patterns import load_patterns
from relaybot.domain.texts import Texts
from relaybot.network import Network, load_network
from relaybot.service import Context, UseCases
from relaybot.settings import Settings, require_token
from relaybot.storage import outbox
from relaybot.storage.db import Database
from relaybot.storage.heartbeat import BEAT_SECONDS, beat, mark_stopped
from relaybot.telegram.admins import AdminCache
from relaybot.telegram.delivery import Delivery
from relaybot.telegram.gate import BotGate
from relaybot.telegram.handlers import bot_commands, register
from relaybot.telegram.preflight import startup_checks
from relaybot.telegram.ratelimit import WindowRateLimiter
from relaybot.telegram.sender import Sender
from relaybot.telegram.worker import Worker

log = structlog.get_logger("relaybot.app")
EXPIRY_INTERVAL = 60.0  # seconds between checks for incidents past their time to live
QUIET_INTERVAL = 3600.0  # seconds between looks for neighbourhoods that went quiet
PATTERNS_FILE = Path("config/patterns.toml")


class RelayApplication(Application):  # type: ignore[type-arg]
    """An Application that binds each update's log context and counts the updates it has
    finished (tests wait on this)."""

    processed = 0
    last_update_id = 0

    async def process_update(self, update: object) -> None:
        structlog.contextvars.clear_contextvars()
        if isinstance(update, Update):
            chat = update.effective_chat
            structlog.contextvars.bind_contextvars(
                update_id=update.update_id, chat=chat.id if chat else None
            )
        try:
            await super().process_update(update)
        finally:
            self.processed += 1
            if isinstance(update, Update):
                self.last_update_id = max(self.last_update_id, update.update_id)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one global error handler: log first, with what the update was about."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "handler_error",
        update_id=update_id,
        error=type(context.error).__name__,
        exc_info=context.error,
    )


@dataclass
class Runtime:
    app: RelayApplication
    cases: UseCases
    delivery: Delivery
    worker: Worker
    db: Database
    heartbeat: Path | None = None  # a file touched every 30 s, for `relaybot health`
    mode: str = "polling"  # or "webhook"
    checks: asyncio.Future[object] | None = None  # the start-up checks, running beside

    @property
    def ctx(self) -> Context:
        return self.cases.ctx

    async def on_start(self, _app: Application | None = None) -> None:  # type: ignore[type-arg]
        language = self.ctx.texts.language
        self.ctx.texts.set_bot_username(self.app.bot.username)  # the sign-up deep link
        await self.app.bot.set_my_commands(bot_commands(language))
        self.worker.start()
        if self.app.job_queue is not None:
            self.app.job_queue.run_repeating(
                self._expire, EXPIRY_INTERVAL, first=1.0, name="expire"
            )
            if self.heartbeat is not None:
                beat(self.heartbeat)  # `relaybot health` says "ok" from the first moment
                self.app.job_queue.run_repeating(
                    self._beat, BEAT_SECONDS, first=BEAT_SECONDS, name="heartbeat"
                )
            self.app.job_queue.run_repeating(
                self._quiet, QUIET_INTERVAL, first=QUIET_INTERVAL, name="quiet"
            )
            self._schedule_digest()
        await self.cases.reports.started()
        bot, ctx = self.app.bot, self.ctx
        log.info(
            "bot_started",
            network=ctx.network.name,
            username=bot.username,
            mode=self.mode,
            reads_all_group_messages=bool(bot.can_read_all_group_messages),
        )
        # asking Telegram about every chat takes a moment per chat: never delay the first alert
        self.checks = asyncio.ensure_future(
            startup_checks(bot, self.db, ctx.network, ctx.texts, ctx.clock, ctx.wake)
        )

    async def on_stop(self, _app: Application | None = None) -> None:  # type: ignore[type-arg]
        await self.cases.moderation.drain()
        if self.checks is not None and not self.checks.done():
            self.checks.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.checks
        await self.worker.stop()
        await self.db.close()
        if self.heartbeat is not None:
            mark_stopped(self.heartbeat)
        log.info("bot_stopped")

    async def delivered_all(self) -> bool:
        """Nothing in flight, nothing being judged, and nothing waiting in the outbox (start-up
        checks included)."""
        if self.worker.busy or self.cases.moderation.busy:
            return False
        if self.checks is not None and not self.checks.done():
            return False
        async with self.db.reading() as conn:
            return await outbox.pending(conn) == 0

    async def _beat(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """Touch the heartbeat only while the outbox worker is alive."""
        if self.heartbeat is not None and self.worker.alive:
            beat(self.heartbeat)

    async def _expire(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.cases.lifecycle.expire()
        await self.cases.lifecycle.housekeeping()
        await self.cases.signup.expire()
        await self.cases.signup.housekeeping()
        await self.leave_unknown_groups()

    async def leave_unknown_groups(self) -> None:
        """Leave the groups outside the network that did not ask to be linked within
        `unknown_group_hours` (the use case decides which; this only calls Telegram)."""
        for chat_id in await self.cases.groups.unknown_to_leave():
            try:
                await self.app.bot.leave_chat(chat_id)
            except (Forbidden, BadRequest):
                pass  # removed already, or the group is gone: nothing to leave
            except TelegramError as error:
                log.warning("leave_failed", chat=chat_id, error=type(error).__name__)
                continue  # try again at the next round
            await self.cases.groups.left_unknown(chat_id)

    async def _quiet(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.cases.reports.quiet_check()

    def _schedule_digest(self) -> None:
        """The next weekly digest, at its local time (worked out anew each week, so a change
        of summer time does not shift it)."""
        weekly = self.cases.reports.schedule()
        if weekly is None or self.app.job_queue is None:
            return
        now = self.ctx.clock()
        delay = max(1.0, weekly.next(now, self.ctx.network.timezone) - now)
        self.app.job_queue.run_once(self._digest, delay, name="digest")

    async def _digest(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        weekly = self.cases.reports.schedule()
        if weekly is not None:
            due = weekly.last(self.ctx.clock(), self.ctx.network.timezone)
            await self.cases.reports.digest(due_at=due)
        self._schedule_digest()

    async def start(self, poll_timeout: float = 10) -> None:
        """Start polling in the running event loop (tests and the demo)."""
        await self.app.initialize()
        await self.on_start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            poll_interval=0, timeout=int(poll_timeout), allowed_updates=Update.ALL_TYPES
        )
        await self.app.start()

    async def stop(self) -> None:
        assert self.app.updater is not None
        if self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.on_stop()
        await self.app.shutdown()


async def build(
    settings: Settings,
    network: Network | None = None,
    *,
    clock: Callable[[], float] = time.time,
) -> Runtime:
    token = require_token(settings)
    network = network or load_network(settings.network_file)
    db = await Database(settings.database).open()
    try:
        patterns = load_patterns(PATTERNS_FILE if PATTERNS_FILE.exists() else None)  # noqa: ASYNC240
        ctx = Context(db, network, texts=Texts(settings.language), patterns=patterns, clock=clock)
        await ctx.load()
        # built once; the handlers bind commands to its methods. The operator's moderation
        # files (rules, blocklist) sit with the network file.
        cases = UseCases.create(
            ctx,
            config_dir=Path(settings.network_file).parent,
            patterns_file=PATTERNS_FILE if PATTERNS_FILE.exists() else None,  # noqa: ASYNC240
        )
    except BaseException:
        await db.close()  # its worker thread would otherwise keep the process from exiting
        raise
    delivery = Delivery(ctx)  # the worker's, and Telegram's news about chats
    runtime_box: list[Runtime] = []

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await runtime_box[0].on_start(app)

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        await runtime_box[0].on_stop(app)

    app = (
        ApplicationBuilder()
        .application_class(RelayApplication)
        .token(token)
        .base_url(settings.api_base_url)
        .rate_limiter(WindowRateLimiter())
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    assert isinstance(app, RelayApplication)
    cases.signup.gate = BotGate(app.bot)  # invite links and join requests
    register(app, cases, delivery, AdminCache())
    app.add_error_handler(on_error)
    worker = Worker(delivery, Sender(app.bot, ctx.texts))
    runtime = Runtime(app, cases, delivery, worker, db)
    runtime_box.append(runtime)
    return runtime


def run(settings: Settings) -> None:
    """`relaybot run`: long polling, or a webhook when RELAYBOT_WEBHOOK_URL is set.

    python-telegram-bot stops cleanly on SIGINT and SIGTERM; the outbox keeps whatever was
    not yet delivered for the next start.
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    runtime = loop.run_until_complete(build(settings))
    runtime.heartbeat = Path(settings.database).parent / "heartbeat"
    if settings.webhook_url:
        runtime.mode = "webhook"
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        runtime.app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            # Telegram calls the public (https) URL; a proxy in front terminates TLS and passes
            # the same path on to this server
            url_path=urlsplit(settings.webhook_url).path.strip("/"),
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        runtime.app.run_polling(allowed_updates=Update.ALL_TYPES)

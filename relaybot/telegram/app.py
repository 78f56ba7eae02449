"""Builds the python-telegram-bot Application that `relaybot run`, the demo and the tests use."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import socket
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import structlog
from telegram import Update
from telegram.error import RetryAfter
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from relaybot.domain.network import Network
from relaybot.domain.patterns import load_patterns
from relaybot.domain.texts import Texts
from relaybot.logs import about_update
from relaybot.network_file import load_network
from relaybot.service import Context, UseCases
from relaybot.service.delivery import Delivery
from relaybot.settings import Settings, require_token
from relaybot.storage import engine
from relaybot.storage.db import Database, StorageError
from relaybot.storage.heartbeat import BEAT_SECONDS, beat, mark_failed, mark_stopped
from relaybot.storage.lock import ProcessLock
from relaybot.storage.postgres import is_url
from relaybot.telegram import standby
from relaybot.telegram.beside import Beside, handling
from relaybot.telegram.bot import RelayBot
from relaybot.telegram.faults import wait_of
from relaybot.telegram.handlers import CONTEXT_TYPES, bot_commands, register
from relaybot.telegram.inbox import (
    RETRY_CAP,
    InboxQueue,
    Poller,
    RawUpdates,
    passing,
    replay_stored,
)
from relaybot.telegram.port import BotPort
from relaybot.telegram.ratelimit import WindowRateLimiter
from relaybot.telegram.sender import Sender
from relaybot.telegram.standby import FencedRequest
from relaybot.telegram.worker import Worker

log = structlog.get_logger("relaybot.app")
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0  # seconds; Telegram answers in well under one
CONNECTION_POOL = 256  # python-telegram-bot's own for an Application's calls
EXPIRY_INTERVAL = 60.0  # seconds between checks for incidents past their time to live
QUIET_INTERVAL = 3600.0  # seconds between looks for neighbourhoods that went quiet
WATCH_INTERVAL = 5.0  # seconds between looks whether the database file is still the one open
PATTERNS_NAME = "patterns.toml"  # the 112 and chatter patterns, next to the network file


# the errors the handlers of the update being processed ran into (read by process_update)
_FAILURES: ContextVar[list[BaseException] | None] = ContextVar("failures", default=None)


class RelayApplication(Application):  # type: ignore[type-arg]
    """An Application that binds each update's log context, handles an update again after a
    passing fault (a locked database, a 5xx) and sets it aside once the fault is permanent or
    has lasted `update_retry_s`, tells the inbox which updates are done with, and counts the
    updates it has finished (tests wait on this)."""

    processed = 0
    highest_update_id = 0
    update_retry_s = 300.0  # RELAYBOT_UPDATE_RETRY_S
    set_aside = 0  # updates set aside since the start
    on_trouble: Callable[[], None] | None = None  # the notes below changed

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # the update being handled again and the last one set aside, for the heartbeat
        self.trouble: dict[str, object] = {}
        self._asides: set[asyncio.Future[None]] = set()  # set aside after work beside the path

    async def process_update(self, update: object) -> None:
        if isinstance(update, Update):
            chat = update.effective_chat
            about_update(update.update_id, chat.id if chat else None)
        else:
            about_update(None)
        try:
            with handling() as beside:
                failure, done = await self._process_until_passed(update)
            queue = self.update_queue
            if isinstance(update, Update) and isinstance(queue, InboxQueue):
                if failure is None:  # handled once what it left beside the path is done too
                    beside.then(lambda failed: self._handled(update, queue, failed))
                elif done:
                    await self._set_aside(update, failure, queue)
                # else: the bot stops while it is being tried: handled after a restart
        finally:
            self.processed += 1
            if isinstance(update, Update):
                self.highest_update_id = max(self.highest_update_id, update.update_id)
                if isinstance(self.update_queue, InboxQueue):
                    self.update_queue.done_with(update.update_id)

    @property
    def last_update_id(self) -> int:
        """Every update up to this id is done with (the groups' lane may finish a later
        update before an earlier private one: see `InboxQueue`)."""
        queue = self.update_queue
        if isinstance(queue, InboxQueue):
            return queue.handled_through(self.highest_update_id)
        return self.highest_update_id

    @last_update_id.setter
    def last_update_id(self, value: int) -> None:
        self.highest_update_id = value

    async def _process_until_passed(self, update: object) -> tuple[BaseException | None, bool]:
        """(None, True) once handled; (failure, True) when it is to be set aside: a permanent
        failure, or a passing one that lasted `update_retry_s`; (failure, False) when the bot
        stops while a passing failure is being waited out."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        attempts = 0
        try:
            while True:
                failures: list[BaseException] = []
                token = _FAILURES.set(failures)
                try:
                    await super().process_update(update)
                finally:
                    _FAILURES.reset(token)
                if not failures:  # nearly every update
                    return None, True
                failure = next((f for f in failures if passing(f)), failures[0])
                if not passing(failure):
                    return failure, True
                if not self.running:
                    return failure, False
                left = self.update_retry_s - (loop.time() - started)
                if left <= 0:
                    return failure, True
                attempts += 1
                delay = min(RETRY_CAP, 0.1 * 2**attempts)
                if isinstance(failure, RetryAfter):
                    delay = wait_of(failure)
                log.warning("update_retry", error=type(failure).__name__, attempts=attempts)
                if attempts == 1:
                    self._note("retrying", update, failure, since=time.time())
                await asyncio.sleep(min(delay, left))
        finally:
            if self.trouble.pop("retrying", None) is not None:
                self._noted()

    def _handled(self, update: Update, queue: InboxQueue, failure: BaseException | None) -> None:
        """The update and the work it left beside the path are done: its stored copy goes,
        or (that work failed for good) it is set aside."""
        if failure is None:
            queue.handled.append(update.update_id)
            queue.forget_soon()  # the handled text leaves the file once the bot is idle
            return
        aside = asyncio.ensure_future(self._set_aside(update, failure, queue))
        self._asides.add(aside)
        aside.add_done_callback(self._asides.discard)

    async def _set_aside(self, update: Update, failure: BaseException, queue: InboxQueue) -> None:
        """Keep the update out of the way of the ones behind it, for inspection."""
        kind = kind_of(update)
        error = type(failure).__name__
        self.set_aside += 1
        log.error("update_set_aside", update_id=update.update_id, kind=kind, error=error)
        try:
            await queue.set_aside(update.update_id, kind, error)
        except engine.ERRORS as problem:  # it stays stored: handled again after a restart
            log.warning("inbox_write_failed", error=type(problem).__name__)
        self._note("set_aside", update, failure, at=time.time(), count=self.set_aside)

    def _note(self, what: str, update: object, failure: BaseException, **values: object) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        kind = kind_of(update) if isinstance(update, Update) else type(update).__name__
        self.trouble[what] = {
            "update_id": update_id,
            "kind": kind,
            "error": type(failure).__name__,
            **values,
        }
        self._noted()

    def _noted(self) -> None:
        if self.on_trouble is not None:
            self.on_trouble()


def kind_of(update: Update) -> str:
    """What the update carries: message, callback_query, chat_member, ..."""
    return next((key for key in update.to_dict() if key != "update_id"), "unknown")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one global error handler: log first, with what the update was about."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "handler_error",
        update_id=update_id,
        error=type(context.error).__name__,
        exc_info=context.error,
    )
    failures = _FAILURES.get()
    if failures is not None and context.error is not None:
        failures.append(context.error)


@dataclass
class Runtime:
    app: RelayApplication
    cases: UseCases
    delivery: Delivery
    worker: Worker
    db: Database
    inbox: InboxQueue
    lock: ProcessLock | None = None
    heartbeat: Path | None = None  # a file touched every 30 s, for `relaybot health`
    poller: Poller | None = None
    raw: RawUpdates | None = None  # getUpdates' request object: it hands on the answer's bytes
    request: FencedRequest | None = None  # every other call's
    lease: int | None = None  # PostgreSQL: the generation of the lease held (active)
    mode: str = "polling"  # or "webhook"
    checks: asyncio.Future[object] | None = None  # the start-up checks, running beside
    stopping: asyncio.Event = field(default_factory=asyncio.Event)  # set: `run` stops
    failure: str | None = None  # why the bot stops by itself (its database went), one line
    beside: Beside = field(default_factory=Beside)  # button presses, beside the update path

    def __post_init__(self) -> None:
        self.app.on_trouble = self._note_trouble

    @property
    def ctx(self) -> Context:
        return self.cases.ctx

    async def on_start(self, _app: Application | None = None) -> None:  # type: ignore[type-arg]
        language = self.ctx.texts.language
        self.ctx.texts.set_bot_username(self.app.bot.username)  # the sign-up deep link
        await self.app.bot.set_my_commands(bot_commands(language))
        await self.worker.start()
        if self.app.job_queue is not None:
            self.app.job_queue.run_repeating(
                self._expire, EXPIRY_INTERVAL, first=1.0, name="expire"
            )
            if self.heartbeat is not None:
                beat(self.heartbeat, notes=self._notes())  # `health` says "ok" at once
                self.app.job_queue.run_repeating(
                    self._beat, BEAT_SECONDS, first=BEAT_SECONDS, name="heartbeat"
                )
            self.app.job_queue.run_repeating(
                self._quiet, QUIET_INTERVAL, first=QUIET_INTERVAL, name="quiet"
            )
            self.app.job_queue.run_repeating(
                self._watch, WATCH_INTERVAL, first=WATCH_INTERVAL, name="database"
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
        self.checks = asyncio.ensure_future(self.cases.startup_checks.run())

    async def on_stop(self, _app: Application | None = None) -> None:  # type: ignore[type-arg]
        await self.beside.drain()
        await self.cases.moderation.drain()
        if self.checks is not None and not self.checks.done():
            self.checks.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.checks
        await self.worker.stop()
        with contextlib.suppress(Exception):
            await self.inbox.flush()

    async def delivered_all(self) -> bool:
        """Nothing in flight, nothing being judged, nothing waiting in the outbox, no handled
        update left to delete (start-up checks included)."""
        if self.worker.busy or self.beside.busy or self.cases.moderation.busy:
            return False
        if not self.inbox.settled:
            return False
        if self.checks is not None and not self.checks.done():
            return False
        return await self.delivery.waiting() == 0

    async def _beat(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """Touch the heartbeat only while the outbox worker is alive."""
        if self.heartbeat is not None and self.worker.alive:
            beat(self.heartbeat, notes=self._notes())

    def _note_trouble(self) -> None:
        """An update keeps failing, or was set aside: `relaybot health` hears it now."""
        if self.heartbeat is not None and self.worker.alive:
            beat(self.heartbeat, notes=self._notes())

    def _notes(self) -> dict[str, object]:
        lease = {} if self.lease is None else {"lease": self.lease}
        return {**self.app.trouble, **lease}

    def fence(self, check: Callable[[], None]) -> None:
        """Every request to Telegram asks `check` first (PostgreSQL: the lease still held)."""
        for request in (self.request, self.raw):
            if request is not None:
                request.fence = check

    async def _watch(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stop when the database file was removed or replaced under the bot."""
        problem = self.db.lost()
        if problem is not None and self.failure is None:
            log.error("database_lost", path=str(self.db.path), problem=problem)
            self.failure = problem
            self.stopping.set()

    async def _expire(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.cases.lifecycle.expire()
        await self.cases.lifecycle.housekeeping()
        await self.cases.signup.expire()
        await self.cases.signup.housekeeping()
        await self.cases.rounds.tick()
        await self.cases.waiting.tick()
        await self.cases.groups.leave_unknown()

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
        """Start long polling in the running event loop: updates stored before handling."""
        await self.app.initialize()
        await self.on_start()
        await replay_stored(self.inbox, self.app.bot)
        await self.app.start()
        self.poller = Poller(self.app.bot, self.inbox, poll_timeout, Update.ALL_TYPES, self.raw)
        await self.poller.start()

    async def start_webhook(self, settings: Settings) -> None:
        """Serve the webhook: each update is stored before the server answers Telegram."""
        await self.app.initialize()
        await self.on_start()
        await replay_stored(self.inbox, self.app.bot)
        await self.app.start()
        assert self.app.updater is not None
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        await self.app.updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            # Telegram calls the public (https) URL; a proxy in front terminates TLS and passes
            # the same path on to this server
            url_path=urlsplit(settings.webhook_url).path.strip("/"),
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )

    async def stop(self) -> None:
        """Take no new updates, finish the ones being handled, let the sends in flight be
        answered and recorded, and only then close the HTTP client and the database."""
        if self.poller is not None:
            await self.poller.stop()
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.on_stop()
        await self.app.shutdown()
        await self.db.close()
        if self.lock is not None:
            self.lock.release()
        if self.heartbeat is not None:
            if self.failure is None:
                mark_stopped(self.heartbeat)
            else:
                mark_failed(self.heartbeat, self.failure)
        log.info("bot_stopped")


async def build(
    settings: Settings,
    network: Network | None = None,
    *,
    clock: Callable[[], float] = time.time,
) -> Runtime:
    token = require_token(settings)
    network = network or load_network(settings.network_file)
    where = engine.target(settings.database, settings.database_url)
    # SQLite: one process per file (PostgreSQL: the lease decides which process is active)
    lock = None if is_url(where) else ProcessLock(Path(settings.database)).acquire()
    try:
        db = await engine.database(where).open()
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    try:
        return await _build(settings, network, token, db, lock, clock)
    except BaseException:
        await db.close()  # its worker thread would otherwise keep the process from exiting
        if lock is not None:
            lock.release()
        raise


async def _build(
    settings: Settings,
    network: Network,
    token: str,
    db: Database,
    lock: ProcessLock | None,
    clock: Callable[[], float],
) -> Runtime:
    # the operator's files (patterns, rules, blocklist) sit with the network file
    config_dir = Path(settings.network_file).parent
    patterns_file = own_file(config_dir / PATTERNS_NAME)
    patterns = load_patterns(patterns_file)
    outbox_waiting = asyncio.Event()  # the context sets it, the delivery worker waits on it
    ctx = Context(
        db,
        network,
        texts=Texts(settings.language),
        patterns=patterns,
        clock=clock,
        wake=outbox_waiting.set,
        **_places(network),
    )
    await ctx.reload_directory()
    delivery = Delivery(ctx)  # the worker's, and Telegram's news about chats
    queue = InboxQueue(db, clock)
    raw = RawUpdates(
        connection_pool_size=1,
        read_timeout=READ_TIMEOUT,
        write_timeout=READ_TIMEOUT,
        connect_timeout=CONNECT_TIMEOUT,
        pool_timeout=READ_TIMEOUT,
    )
    limiter = WindowRateLimiter()
    # a slow but working Telegram must not look like a failure (a time-out on a send leaves
    # its outcome unknown and may end in a duplicate)
    request = FencedRequest(
        connection_pool_size=CONNECTION_POOL,
        read_timeout=READ_TIMEOUT,
        write_timeout=READ_TIMEOUT,
        connect_timeout=CONNECT_TIMEOUT,
        pool_timeout=READ_TIMEOUT,
    )
    bot = RelayBot(
        token,
        base_url=settings.api_base_url,
        request=request,
        get_updates_request=raw,
        rate_limiter=limiter,
    )
    app = (
        ApplicationBuilder()
        .application_class(RelayApplication)
        .context_types(CONTEXT_TYPES)  # the callbacks' context carries the use cases
        .bot(bot)
        .update_queue(queue)
        .build()
    )
    assert isinstance(app, RelayApplication)
    app.update_retry_s = settings.update_retry_s
    port = BotPort(app.bot)
    # built once, with the port to Telegram; the handlers bind commands to their methods
    cases = UseCases.create(ctx, port, delivery, config_dir=config_dir, patterns_file=patterns_file)
    beside = Beside()
    register(app, cases, port, beside)
    app.add_error_handler(on_error)
    worker = Worker(
        delivery,
        Sender(app.bot, ctx.texts),
        max_in_flight=settings.max_in_flight,
        limiter=limiter,
        wakeup=outbox_waiting,
    )
    queue.hold_outsiders = lambda: worker.urgent_under_way
    return Runtime(
        app, cases, delivery, worker, db, queue, lock, raw=raw, request=request, beside=beside
    )


def own_file(path: Path) -> Path | None:
    """The operator's file, or None where there is none (the shipped one then serves)."""
    return path if path.exists() else None


def settle_memory() -> None:
    """For a process that runs one bot for its whole life (`relaybot run`): what start-up
    made (the libraries' modules, the network, the handlers, the compiled patterns) lives as
    long as the process, so the cyclic garbage collector stops visiting it (`gc.freeze`).
    A full collection then looks only at what came after: it came every ~700 updates and
    visited some 80,000 objects each time (tens of milliseconds that delayed whatever was
    waiting, a 112 edit included). Not for a process that builds many bots (the tests): a
    frozen object is never collected, even once unreachable."""
    gc.collect()
    gc.freeze()


class DatabaseLost(StorageError):
    """The database file was removed or replaced while the bot ran; it stopped."""


def run(settings: Settings) -> None:
    """`relaybot run`: long polling, or a webhook when RELAYBOT_WEBHOOK_URL is set, until
    SIGINT or SIGTERM; then a clean stop (see `Runtime.stop`). Raises `DatabaseLost` after
    stopping because the database file went."""
    asyncio.run(_serve(settings))


async def _serve(settings: Settings) -> None:
    heartbeat = Path(settings.database).parent / "heartbeat"
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    held = None
    if settings.database_url is not None:  # PostgreSQL: active only with the lease
        url = settings.database_url.get_secret_value()
        held = await standby.wait_for_lease(url, settings.failover_s, heartbeat, stopping)
        if held is None:
            mark_stopped(heartbeat)
            return
    else:
        log.info("role", role="active", engine="sqlite")
    try:
        runtime = await build(settings)
    except BaseException:
        if held is not None:
            await standby.release(held[0])
        raise
    runtime.heartbeat, runtime.stopping = heartbeat, stopping
    keeping = None
    if held is not None:
        lease, taken = held
        runtime.lease = taken.generation
        runtime.fence(standby.fence(lease))
        keeping = asyncio.ensure_future(standby.keep(lease, url))
        if taken.took_over:
            caught_up = await runtime.delivery.announce_takeover(
                socket.gethostname(), taken.taken_at
            )
            log.info("took_over", generation=taken.generation, caught_up=caught_up)
    try:
        if settings.webhook_url:
            runtime.mode = "webhook"
            await runtime.start_webhook(settings)
        else:
            await runtime.start()
        settle_memory()
        await runtime.stopping.wait()
        log.info("bot_stopping")
    finally:
        await runtime.stop()
        if held is not None and keeping is not None:
            keeping.cancel()
            await standby.release(held[0])
    if runtime.failure is not None:
        raise DatabaseLost(runtime.failure)


def _places(network: Network) -> dict[str, Callable[..., Any]]:
    """The context's lookups in the network's map (read once): a point's neighbourhood, and
    the neighbourhoods near a point. Without a map the context's defaults find nothing."""
    if network.map_file is None:
        return {}
    from relaybot.geo.areamap import AreaMap, neighbourhoods_near, slug_locator

    area_map = AreaMap.read(network.map_file)

    def near_of(lat: float, lon: float, metres: float) -> dict[str, float]:
        return neighbourhoods_near(area_map, network, lat, lon, metres)

    def buurt_of(lat: float, lon: float) -> tuple[str, str] | None:
        buurt = area_map.locate(lat, lon)
        return (buurt.code, buurt.name) if buurt is not None else None

    locate = slug_locator(area_map, network)
    return {"area_of": locate, "near_of": near_of, "buurt_of": buurt_of}

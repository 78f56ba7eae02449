"""HTTP on loopback: `/bot<token>/<method>` dispatched to the Bot API methods."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

import tornado.httpserver
import tornado.iostream
import tornado.netutil
import tornado.web

from relaybot.sandbox.emulator.chats import ChatMethods
from relaybot.sandbox.emulator.errors import NOT_FOUND, UNAUTHORIZED, ApiError
from relaybot.sandbox.emulator.limits import EXEMPT, Faults, RateLimiter, is_counted
from relaybot.sandbox.emulator.messaging import MessageMethods
from relaybot.sandbox.emulator.params import Params, from_request
from relaybot.sandbox.emulator.records import Call
from relaybot.sandbox.emulator.state import World

logger = logging.getLogger(__name__)


class Api:
    """Checks the token, injects faults and flood limits, runs the method, records the call."""

    def __init__(self, world: World, token: str, privacy_mode: bool = False) -> None:
        self.world = world
        self.token = token
        self.chat_methods = ChatMethods(world, privacy_mode)
        methods = {**self.chat_methods.table(), **MessageMethods(world).table()}
        self.methods: dict[str, Callable[[Params], Any]] = {
            name.lower(): method for name, method in methods.items()
        }
        self.calls: list[Call] = []
        self.counters: dict[str, int] = {"requests": 0, "429": 0, "5xx": 0, "4xx": 0}
        self.rate_limits = False
        self.limiter = RateLimiter()
        self.faults = Faults()
        self.inflight: set[asyncio.Future[None]] = set()  # requests not yet fully answered
        # seconds between carrying a call out and answering it, as over a real network: the
        # effect happens on arrival, the answer comes later (a client that dies meanwhile has
        # still sent the message)
        self.round_trip = 0.0

    async def handle(self, token: str, method: str, params: Params) -> tuple[int, dict[str, Any]]:
        self.counters["requests"] += 1
        if token != self.token:
            return UNAUTHORIZED.code, UNAUTHORIZED.to_dict()
        function = self.methods.get(method.lower())
        if function is None:
            self._record(method, params, NOT_FOUND)
            return NOT_FOUND.code, NOT_FOUND.to_dict()
        try:
            result = await self._run(method, function, params)
        except ApiError as error:
            self._record(method, params, error)
            return error.code, error.to_dict()
        self.calls.append(Call(method, params.loggable(), True, result, self.world.clock()))
        return 200, {"ok": True, "result": result}

    async def _run(self, method: str, function: Callable[[Params], Any], params: Params) -> Any:
        chat_id = params.get("chat_id")
        fault = self.faults.pick(method, chat_id)
        if fault is not None:
            raise fault
        counted = is_counted(method) and method.lower() not in EXEMPT
        chat = self._chat(chat_id)
        is_group = chat is not None and chat.is_group
        key = chat.id if chat is not None else None
        if counted and self.rate_limits:
            self.limiter.check(key, is_group, self.world.clock())
        result = function(params)
        if inspect.isawaitable(result):
            result = await result
        if counted:
            self.limiter.record(key, is_group, self.world.clock())
        return result

    def _chat(self, chat_id: Any) -> Any:
        try:
            return self.world.chats.get(int(chat_id))
        except (TypeError, ValueError):
            return None

    def _record(self, method: str, params: Params, error: ApiError) -> None:
        if error.code == 429:
            self.counters["429"] += 1
        elif error.code >= 500:
            self.counters["5xx"] += 1
        else:
            self.counters["4xx"] += 1
        call = Call(method, params.loggable(), False, error.to_dict(), self.world.clock())
        self.calls.append(call)


class _Handler(tornado.web.RequestHandler):
    def initialize(self, api: Api) -> None:
        self.api = api
        self.task: asyncio.Task[tuple[int, dict[str, Any]]] | None = None

    def check_xsrf_cookie(self) -> None:
        """The Bot API has no cookies."""

    async def get(self, token: str, method: str) -> None:
        answered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.api.inflight.add(answered)
        try:
            await self._serve(token, method)
        finally:
            answered.set_result(None)
            self.api.inflight.discard(answered)

    async def _serve(self, token: str, method: str) -> None:
        try:
            params = from_request(self.request)
        except ApiError as error:
            await self._answer(error.code, error.to_dict())
            return
        self.task = asyncio.ensure_future(self.api.handle(token, method, params))
        try:
            status, body = await self.task
        except asyncio.CancelledError:
            return  # the client went away while long polling
        except Exception:
            logger.exception("emulator failed on %s", method)
            status, body = 500, ApiError(500, "Internal Server Error").to_dict()
        if self.api.round_trip > 0:
            await asyncio.sleep(self.api.round_trip)
        await self._answer(status, body)

    async def post(self, token: str, method: str) -> None:
        await self.get(token, method)

    def on_connection_close(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()

    async def _answer(self, status: int, body: dict[str, Any]) -> None:
        if self.request.connection is None or self._finished:
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        with contextlib.suppress(tornado.iostream.StreamClosedError):
            await self.finish(json.dumps(body, ensure_ascii=False))


def _log_request(handler: tornado.web.RequestHandler) -> None:
    method = handler.request.path.rsplit("/", 1)[-1]  # the path holds the token: leave it out
    logger.debug("%s %s -> %s", handler.request.method, method, handler.get_status())


def listen(server: tornado.httpserver.HTTPServer, host: str, port: int) -> int:
    """Bind the server to host:port (0: a free port) and return the port it got."""
    sockets = tornado.netutil.bind_sockets(port, host)
    server.add_sockets(sockets)
    return int(sockets[0].getsockname()[1])


class HttpServer:
    def __init__(self, api: Api) -> None:
        self.api = api
        app = tornado.web.Application(
            [(r"/bot([^/]*)/([^/]+)", _Handler, {"api": api})], log_function=_log_request
        )
        self._server = tornado.httpserver.HTTPServer(app, xheaders=False)
        self.port = 0

    def start(self, host: str, port: int) -> int:
        self.port = listen(self._server, host, port)
        return self.port

    async def stop(self) -> None:
        """Stop listening, let requests in flight answer, then close the connections."""
        self._server.stop()
        if self.api.inflight:
            await asyncio.wait(list(self.api.inflight), timeout=2)
        await self._server.close_all_connections()

"""The playground's web server on loopback: the page, its state as JSON, and its actions.

Tornado, which the emulator already serves the Bot API with; no web framework beyond it."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import tornado.web

from relaybot.sandbox.playground.actions import Acting, Refused
from relaybot.sandbox.playground.scenes import Director
from relaybot.sandbox.playground.texts import PAGE
from relaybot.sandbox.playground.view import View
from relaybot.sandbox.stage import Stage

STATIC = {"app.js": "text/javascript", "app.css": "text/css"}
# the page loads nothing from elsewhere: its own script, style and JSON only
POLICY = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"


def static_text(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


class Playground:
    """What the handlers share: the stage, its view, the acting, the page's language."""

    def __init__(self, stage: Stage, language: str) -> None:
        self.language = language
        self.texts = PAGE[language]
        self.stage = stage
        self.view = View(stage, self.texts)
        self.acting = Acting(stage, self.texts)
        self.director = Director(stage, language, self.texts)


class _Base(tornado.web.RequestHandler):
    def initialize(self, playground: Playground) -> None:
        self.playground = playground

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", POLICY)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "no-store")

    def check_xsrf_cookie(self) -> None:
        """Loopback only, no cookies: nothing to protect with a token."""

    def answer(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(body, ensure_ascii=False))

    def write_error(self, status_code: int, **_kwargs: Any) -> None:
        """Every failure answers one JSON line; never a traceback."""
        texts = self.playground.texts
        message = texts["not_found"] if status_code == 404 else self._reason
        self.answer(status_code, {"error": message})


class _Page(_Base):
    def get(self) -> None:
        page = static_text("index.html").replace("{{lang}}", self.playground.language)
        page = page.replace("{{title}}", self.playground.texts["title"])
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page)


class _Static(_Base):
    def get(self, name: str) -> None:
        if name not in STATIC:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", f"{STATIC[name]}; charset=utf-8")
        self.finish(static_text(name))


class _State(_Base):
    def get(self) -> None:
        """The whole picture, or only the version when the page already has it (`since`)."""
        director = self.playground.director
        state = self.playground.view.state(
            scenes=director.shown(), busy=director.busy(), problem=director.problem
        )
        if self.get_query_argument("since", None) == state["version"]:
            self.answer(200, {"version": state["version"]})
            return
        self.answer(200, {**state, "texts": self.playground.texts})


class _Act(_Base):
    def post(self) -> None:
        try:
            request = json.loads(self.request.body or b"")
        except (ValueError, UnicodeDecodeError):
            self.answer(400, {"error": self.playground.texts["bad_json"]})
            return
        try:
            result = self.playground.acting.act(request)
        except Refused as refused:
            self.answer(refused.status, {"error": refused.message})
            return
        self.answer(200, {"ok": True, **result})


class _Scene(_Base):
    async def post(self) -> None:
        """The next step of a scene (answered once the bot has answered it), or the rest of
        it in the background (`"all": true`)."""
        texts, director = self.playground.texts, self.playground.director
        try:
            request = json.loads(self.request.body or b"")
        except (ValueError, UnicodeDecodeError):
            self.answer(400, {"error": texts["bad_json"]})
            return
        key = request.get("scene") if isinstance(request, dict) else None
        if director.scene(key) is None:
            self.answer(400, {"error": texts["no_scene"].format(scene=key)})
            return
        if director.busy():
            self.answer(409, {"error": texts["busy"]})
            return
        if request.get("all") is True:
            director.play(key)
        else:
            await director.step(key)
        self.answer(200, {"ok": True})


class _Missing(_Base):
    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


def application(playground: Playground) -> tornado.web.Application:
    """The page, its files, its state and its actions; any other address is a JSON 404."""
    shared = {"playground": playground}
    return tornado.web.Application(
        [
            (r"/", _Page, shared),
            (r"/static/([a-z.]+)", _Static, shared),
            (r"/api/state", _State, shared),
            (r"/api/act", _Act, shared),
            (r"/api/scene", _Scene, shared),
            (r".*", _Missing, shared),
        ],
        log_function=lambda _handler: None,
    )

"""The emulator speaks no Bot API of its own: every method it answers is a method of
python-telegram-bot's `Bot`, and every parameter it reads is a parameter of that method.

Which parameters a method reads is found in its source: the names it asks its `Params` for
(`p.string("text")`, `p.chat_id()`), following `p` into the helpers it is handed to, with
names held in variables (a media sender's `kind`) resolved from closures and call arguments.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.emulator.messaging import MessageMethods
from tests import bot_api_contract

# Params' readers: each takes the parameter's name first (chat_id() defaults to "chat_id")
READERS = frozenset(
    {"get", "has", "string", "integer", "number", "flag", "required", "required_int", "chat_id"}
)
# what a method may do with its Params that reads no parameter by name
NOT_READING = frozenset({"loggable"})
UNRESOLVED = "<a name the source does not spell out>"


def emulator_methods() -> dict[str, Callable[..., Any]]:
    """The emulator's Bot API methods by the API's name (as its tables spell them)."""
    emulator = Emulator()
    named = {**emulator.api.chat_methods.table(), **MessageMethods(emulator.world).table()}
    assert {name.lower() for name in named} == set(emulator.api.methods)  # no table missed
    return named


class Reads:
    """The parameter names a function reads from the Params it is given, found in its source."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self._done: set[tuple[Any, str, tuple[tuple[str, str], ...]]] = set()

    def of(self, function: Callable[..., Any]) -> set[str]:
        target, owner, env = _unwrap(function)
        parameters = [n for n in inspect.signature(target).parameters if n != "self"]
        self._visit(target, owner, parameters[0], env)
        return self.names

    def _visit(self, function: Any, owner: Any, p: str, env: dict[str, str]) -> None:
        key = (function, p, tuple(sorted(env.items())))
        if key in self._done:
            return
        self._done.add(key)
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _is(node.value, p):
                self._read(node, tree, env)
            elif isinstance(node, ast.Call) and any(_is(arg, p) for arg in node.args):
                self._follow(node, function, owner, p, env)

    def _read(self, node: ast.Attribute, tree: ast.AST, env: dict[str, str]) -> None:
        call = _call_of(node, tree)
        if node.attr in READERS and call is not None:
            if call.args:
                self.names.add(_resolve(call.args[0], env))
            else:
                self.names.add("chat_id")  # p.chat_id(): the default name
        elif node.attr == "files":
            uploads = _call_of_attribute(node, tree, "get")
            if uploads is not None and uploads.args:
                name = _resolve(uploads.args[0], env)
                if name != UNRESOLVED:  # an attach://name the request itself names
                    self.names.add(name)
        elif node.attr not in NOT_READING:
            self.names.add(f"<p.{node.attr}>")

    def _follow(
        self, call: ast.Call, function: Any, owner: Any, p: str, env: dict[str, str]
    ) -> None:
        callee = _callee(call.func, function, owner)
        if callee is None:
            self.names.add(f"<p handed to {ast.unparse(call.func)}>")
            return
        target, callee_owner = callee
        parameters = [n for n in inspect.signature(target).parameters if n != "self"]
        passed: dict[str, str] = {}
        callee_p = ""
        for parameter, arg in zip(parameters, call.args, strict=False):
            if _is(arg, p):
                callee_p = parameter
            else:
                value = _resolve(arg, env)
                if value != UNRESOLVED:
                    passed[parameter] = value
        self._visit(target, callee_owner, callee_p, passed)


def _unwrap(function: Callable[..., Any]) -> tuple[Any, Any, dict[str, str]]:
    """The plain function, the object it is bound to (or its closure's `self`), and the
    strings its closure holds."""
    target = getattr(function, "__func__", function)
    closure = inspect.getclosurevars(target).nonlocals
    owner = getattr(function, "__self__", closure.get("self"))
    env = {name: value for name, value in closure.items() if isinstance(value, str)}
    return target, owner, env


def _is(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _parents(tree: ast.AST) -> Iterator[tuple[ast.AST, ast.AST]]:
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            yield child, parent


def _call_of(node: ast.Attribute, tree: ast.AST) -> ast.Call | None:
    """The call whose callee is this attribute (`p.string` in `p.string("text")`)."""
    for child, parent in _parents(tree):
        if child is node and isinstance(parent, ast.Call) and parent.func is node:
            return parent
    return None


def _call_of_attribute(node: ast.Attribute, tree: ast.AST, attr: str) -> ast.Call | None:
    """`p.files.get(...)` for `p.files`: the call of its attribute `attr`."""
    for child, parent in _parents(tree):
        if child is node and isinstance(parent, ast.Attribute) and parent.attr == attr:
            return _call_of(parent, tree)
    return None


def _resolve(node: ast.AST, env: dict[str, str]) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in env:
        return env[node.id]
    return UNRESOLVED


def _callee(func: ast.AST, function: Any, owner: Any) -> tuple[Any, Any] | None:
    """The function a call to `self.name(...)` or `name(...)` runs, and its owner."""
    if isinstance(func, ast.Attribute) and _is(func.value, "self") and owner is not None:
        found = getattr(type(owner), func.attr, None)
        return (found, owner) if inspect.isfunction(found) else None
    if isinstance(func, ast.Name):
        found = function.__globals__.get(func.id)
        return (found, None) if inspect.isfunction(found) else None
    return None


METHODS = emulator_methods()


@pytest.mark.parametrize("api_name", sorted(METHODS))
def test_every_emulated_method_is_one_of_python_telegram_bots(api_name: str) -> None:
    """The method exists on telegram.Bot (camelCase as the emulator names it), and every
    parameter the emulator reads for it is a parameter of PTB's method."""
    assert bot_api_contract.method(api_name) is not None, f"telegram.Bot has no {api_name}"
    read = Reads().of(METHODS[api_name])
    assert read - bot_api_contract.accepted(api_name) == set()


def test_the_reader_finds_what_a_method_reads() -> None:
    """The source reading follows Params into helpers and through a closure's media kind."""
    assert Reads().of(METHODS["sendPhoto"]) >= {
        "chat_id",
        "photo",
        "caption",
        "parse_mode",
        "caption_entities",
        "reply_markup",
        "reply_parameters",
        "reply_to_message_id",
    }
    assert Reads().of(METHODS["setMyCommands"]) == {"commands", "scope", "language_code"}
    assert Reads().of(METHODS["getUpdates"]) == {"offset", "limit", "timeout", "allowed_updates"}


def test_requests_ptb_never_sends_are_named() -> None:
    """The e2e suite's check names a method PTB lacks and a parameter PTB would not send."""
    found = bot_api_contract.disagreements(
        [
            ("sendMessage", ["chat_id", "text", "reply_parameters"]),
            ("sendMessage", ["chat_id", "text", "reply_to_message_id"]),
            ("getChatMembersCount", ["chat_id"]),
        ]
    )
    assert found == [
        "getChatMembersCount: python-telegram-bot's Bot has no such method",
        "sendMessage: PTB never sends a parameter 'reply_to_message_id'",
    ]

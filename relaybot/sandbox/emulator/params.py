"""Request parameters as Telegram reads them: form, multipart or JSON, JSON-in-a-field decoded."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tornado.httputil import HTTPServerRequest, parse_body_arguments

from relaybot.sandbox.emulator.errors import bad_request

# Fields whose form value is a JSON-serialised object or array.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "link_preview_options",
        "permissions",
        "media",
        "message_ids",
        "reaction",
        "results",
    }
)


@dataclass
class Upload:
    filename: str
    body: bytes
    content_type: str


@dataclass
class Params:
    values: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return self.values.get(name) is not None

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value is None else value

    def string(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        return default if value is None else str(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def number(self, name: str, default: float = 0.0) -> float:
        value = self.values.get(name)
        try:
            return default if value is None else float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def required(self, name: str) -> Any:
        value = self.values.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        return value

    def required_int(self, name: str) -> int:
        self.required(name)
        value = self.integer(name)
        assert value is not None
        return value

    def chat_id(self, name: str = "chat_id") -> int | str:
        value = self.required(name)
        try:
            return int(value)
        except (TypeError, ValueError):
            return str(value)

    def loggable(self) -> dict[str, Any]:
        """The values, with uploads named instead of their bytes."""
        shown = dict(self.values)
        for name, upload in self.files.items():
            shown[name] = f"<upload {upload.filename}>"
        return shown


def from_request(request: HTTPServerRequest) -> Params:
    params = Params()
    for name, raw in request.query_arguments.items():
        params.values[name] = _decode(name, raw[-1].decode("utf-8"))
    content_type = request.headers.get("Content-Type", "")
    body = request.body or b""
    if not body:
        return params
    if content_type.startswith("application/json"):
        try:
            data = json.loads(body)
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if isinstance(data, dict):
            params.values.update(data)
        return params
    arguments: dict[str, list[bytes]] = {}
    files: dict[str, list[Any]] = {}
    parse_body_arguments(content_type, body, arguments, files, request.headers)
    for name, raw in arguments.items():
        params.values[name] = _decode(name, raw[-1].decode("utf-8"))
    for name, uploads in files.items():
        upload = uploads[-1]
        params.files[name] = Upload(upload.filename, upload.body, upload.content_type)
    return params


def _decode(name: str, value: str) -> Any:
    if name in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    return value

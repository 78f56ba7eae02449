"""Log output: standard-library records go through structlog, and bot tokens are masked."""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog

from relaybot.logs import configure, mask

TOKEN = "123456789:AAHfakeTokenForTests_0123456789abcdef"


@pytest.fixture
def stream() -> io.StringIO:
    output = io.StringIO()
    configure("json", "INFO", stream=output, secrets=["hook-secret-for-tests-0123456789ab"])
    yield output
    structlog.reset_defaults()
    configure("json", "INFO")


def test_mask_hides_a_token_in_a_url_and_alone() -> None:
    """`bot<token>` in a request URL and a bare token both become <token>."""
    url = f"https://api.telegram.org/bot{TOKEN}/getMe"
    assert TOKEN not in mask(url) and mask(url).endswith("/bot<token>/getMe")
    assert mask(f"The token `{TOKEN}` was rejected") == "The token `<token>` was rejected"
    assert mask("incident 12 in chat -1001000000101") == "incident 12 in chat -1001000000101"


def test_stdlib_records_become_masked_json_events(stream: io.StringIO) -> None:
    """A python-telegram-bot or httpx record (with its traceback) becomes one JSON event whose
    message and exception text carry no token and no registered secret."""
    logging.getLogger("httpx").warning("HTTP Request: POST https://x/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected (hook-secret-for-tests-0123456789ab)")
    except RuntimeError:
        logging.getLogger("telegram.ext").exception("Network Retry Loop failed")
    output = stream.getvalue()
    assert TOKEN not in output and "hook-secret-for-tests" not in output
    events = [json.loads(line) for line in output.splitlines()]
    assert [e["logger"] for e in events] == ["httpx", "telegram.ext"]
    assert "bot<token>" in events[0]["event"]
    assert "<token>" in events[1]["exception"]


def test_structlog_events_mask_tokens_in_any_value(stream: io.StringIO) -> None:
    """A structlog event whose values (or exception) mention a token is masked too."""
    log = structlog.get_logger("relaybot.test")
    try:
        raise ValueError(f"bad url https://x/bot{TOKEN}/sendMessage")
    except ValueError:
        log.error("send_failed", url=f"https://x/bot{TOKEN}/x", exc_info=True)
    output = stream.getvalue()
    assert TOKEN not in output and output.count("<token>") >= 2

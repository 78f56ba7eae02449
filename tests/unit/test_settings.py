"""Settings: defaults, environment, .env file, one-line errors, and the secret token."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from relaybot.settings import Settings, SettingsError, load_settings, require_token

TOKEN = "123456:AAE-very-secret-token-value"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every test starts without RELAYBOT_ variables, in an empty folder (no stray .env)."""
    for name in list(os.environ):
        if name.upper().startswith("RELAYBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults() -> None:
    """With nothing set, every setting has the default the spec names."""
    settings = load_settings()
    assert settings.token is None
    assert settings.api_base_url == "https://api.telegram.org/bot"
    assert settings.network_file == Path("config/network.toml")
    assert settings.database == Path("data/relaybot.sqlite3")
    assert settings.language == "nl"
    assert settings.log_format == "json"
    assert settings.log_level == "INFO"
    assert settings.webhook_url == ""
    assert settings.webhook_secret is None
    assert settings.webhook_listen == "0.0.0.0"
    assert settings.webhook_port == 8443
    assert settings.update_retry_s == 300


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """RELAYBOT_ variables override the defaults, converted to their types."""
    monkeypatch.setenv("RELAYBOT_TOKEN", TOKEN)
    monkeypatch.setenv("RELAYBOT_API_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("RELAYBOT_NETWORK_FILE", "/etc/relaybot/network.toml")
    monkeypatch.setenv("RELAYBOT_DATABASE", "/var/lib/relaybot/db.sqlite3")
    monkeypatch.setenv("RELAYBOT_LANGUAGE", "en")
    monkeypatch.setenv("RELAYBOT_LOG_FORMAT", "console")
    monkeypatch.setenv("RELAYBOT_LOG_LEVEL", "debug")
    monkeypatch.setenv("RELAYBOT_WEBHOOK_URL", "https://bot.example.nl/hook")
    monkeypatch.setenv("RELAYBOT_WEBHOOK_SECRET", "s3cret_hook-token-of-32-characters")
    monkeypatch.setenv("RELAYBOT_WEBHOOK_LISTEN", "127.0.0.1")
    monkeypatch.setenv("RELAYBOT_WEBHOOK_PORT", "8080")
    monkeypatch.setenv("RELAYBOT_UPDATE_RETRY_S", "60")

    settings = load_settings()

    assert require_token(settings) == TOKEN
    assert settings.api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.network_file == Path("/etc/relaybot/network.toml")
    assert settings.database == Path("/var/lib/relaybot/db.sqlite3")
    assert settings.language == "en"
    assert settings.log_format == "console"
    assert settings.log_level == "DEBUG"
    assert settings.webhook_url == "https://bot.example.nl/hook"
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == "s3cret_hook-token-of-32-characters"
    assert settings.webhook_listen == "127.0.0.1"
    assert settings.webhook_port == 8080
    assert settings.update_retry_s == 60


def test_dotenv_file_in_working_directory(clean_environment: Path) -> None:
    """A .env file in the current folder is read; unrelated lines in it are ignored."""
    (clean_environment / ".env").write_text(
        f"RELAYBOT_TOKEN={TOKEN}\nRELAYBOT_LANGUAGE=en\nOTHER_TOOL=1\n", encoding="utf-8"
    )
    settings = load_settings()
    assert require_token(settings) == TOKEN
    assert settings.language == "en"


def test_environment_wins_over_dotenv(
    clean_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real environment variable wins over the same variable in .env."""
    (clean_environment / ".env").write_text("RELAYBOT_LANGUAGE=en\n", encoding="utf-8")
    monkeypatch.setenv("RELAYBOT_LANGUAGE", "nl")
    assert load_settings().language == "nl"


def test_overrides_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keyword overrides (used by the CLI and tests) win over the environment."""
    monkeypatch.setenv("RELAYBOT_LANGUAGE", "en")
    assert load_settings(language="nl").language == "nl"


def test_log_level_is_case_insensitive() -> None:
    """RELAYBOT_LOG_LEVEL accepts any case and is stored in upper case."""
    assert load_settings(log_level="warning").log_level == "WARNING"


def test_empty_webhook_secret_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty RELAYBOT_WEBHOOK_SECRET means no secret at all."""
    monkeypatch.setenv("RELAYBOT_WEBHOOK_SECRET", "")
    assert load_settings().webhook_secret is None


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("RELAYBOT_LANGUAGE", "fr", "RELAYBOT_LANGUAGE: must be 'nl' or 'en' (got 'fr')"),
        (
            "RELAYBOT_LOG_FORMAT",
            "xml",
            "RELAYBOT_LOG_FORMAT: must be 'json' or 'console' (got 'xml')",
        ),
        ("RELAYBOT_LOG_LEVEL", "loud", "RELAYBOT_LOG_LEVEL: must be 'DEBUG', 'INFO'"),
        ("RELAYBOT_WEBHOOK_PORT", "abc", "RELAYBOT_WEBHOOK_PORT: must be a whole number"),
        ("RELAYBOT_WEBHOOK_PORT", "0", "RELAYBOT_WEBHOOK_PORT: must be between 1 and 65535"),
        ("RELAYBOT_WEBHOOK_PORT", "70000", "RELAYBOT_WEBHOOK_PORT: must be between 1 and 65535"),
        ("RELAYBOT_WEBHOOK_SECRET", "has spaces!", "RELAYBOT_WEBHOOK_SECRET: may only contain"),
        ("RELAYBOT_UPDATE_RETRY_S", "0", "RELAYBOT_UPDATE_RETRY_S: input should be greater"),
    ],
)
def test_invalid_value_gives_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    """Each invalid setting stops loading with one line that starts with the variable."""
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message
    assert caught.value.variable == variable


def test_invalid_webhook_secret_is_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The error for a malformed webhook secret does not repeat the secret."""
    monkeypatch.setenv("RELAYBOT_WEBHOOK_SECRET", "my secret value")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "my secret value" not in str(caught.value)


def test_unknown_override_is_refused() -> None:
    """An override that is not a setting is reported rather than silently ignored."""
    with pytest.raises(SettingsError, match=r"^RELAYBOT_LANGUAG: is not a relaybot setting$"):
        load_settings(languag="en")


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_token_says_how_to_set_it(value: str | None) -> None:
    """require_token refuses a missing or blank token with one line naming RELAYBOT_TOKEN."""
    settings = load_settings(token=value)
    with pytest.raises(SettingsError) as caught:
        require_token(settings)
    message = str(caught.value)
    assert message.startswith("RELAYBOT_TOKEN is not set: ")
    assert ".env" in message
    assert "\n" not in message


def test_token_never_appears_in_repr_str_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    """The token and webhook secret are hidden in repr, str, model_dump_json and log output."""
    settings = load_settings(token=TOKEN, webhook_secret="hook_secret_value")
    with caplog.at_level(logging.INFO):
        logging.getLogger("test").info("settings loaded: %s %r", settings, settings)
    for text in (repr(settings), str(settings), settings.model_dump_json(), caplog.text):
        assert TOKEN not in text
        assert "hook_secret_value" not in text
    assert require_token(settings) == TOKEN


def test_settings_are_frozen() -> None:
    """Settings cannot be changed after loading."""
    settings = load_settings()
    with pytest.raises(ValueError, match="frozen"):
        settings.language = "en"  # type: ignore[misc]
    assert isinstance(settings, Settings)


@pytest.mark.parametrize("secret", [None, "", "short_secret_31_characters_long"])
def test_webhook_url_requires_a_long_secret(
    monkeypatch: pytest.MonkeyPatch, secret: str | None
) -> None:
    """With RELAYBOT_WEBHOOK_URL set, a missing, empty or shorter-than-32 secret stops start-up
    with one line naming RELAYBOT_WEBHOOK_SECRET (and never repeating the secret)."""
    monkeypatch.setenv("RELAYBOT_WEBHOOK_URL", "https://bot.example.nl/hook")
    if secret is not None:
        monkeypatch.setenv("RELAYBOT_WEBHOOK_SECRET", secret)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith("RELAYBOT_WEBHOOK_SECRET: ") and "32" in message
    assert "\n" not in message and caught.value.variable == "RELAYBOT_WEBHOOK_SECRET"
    if secret:
        assert secret not in message


def test_webhook_secret_of_32_characters_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A webhook URL with a 32-character secret loads; without a URL no secret is needed."""
    assert load_settings().webhook_secret is None
    monkeypatch.setenv("RELAYBOT_WEBHOOK_URL", "https://bot.example.nl/hook")
    monkeypatch.setenv("RELAYBOT_WEBHOOK_SECRET", "a" * 32)
    secret = load_settings().webhook_secret
    assert secret is not None and secret.get_secret_value() == "a" * 32


@pytest.mark.parametrize(
    "field, value",
    [
        ("webhook_url", "example.org/hook"),
        ("webhook_url", "http://example.org/hook"),
        ("api_base_url", "api.telegram.org/bot"),
        ("api_base_url", ""),
    ],
)
def test_invalid_urls_stop_start_up_naming_the_variable(field: str, value: str) -> None:
    """Spec 3: an invalid setting stops start-up with one line naming the variable."""
    with pytest.raises(SettingsError) as caught:
        load_settings(**{field: value})
    assert caught.value.variable == f"RELAYBOT_{field.upper()}"

"""Settings from the environment (prefix ``RELAYBOT_``) and a ``.env`` file in the cwd.

One typed object, one validation entry point (:func:`load_settings`), and one-line errors
that name the variable an operator has to fix. Secrets are :class:`~pydantic.SecretStr`, so
they never show up in a repr, a traceback or a log line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "ENV_PREFIX",
    "Settings",
    "SettingsError",
    "env_name",
    "load_settings",
    "require_token",
]

ENV_PREFIX = "RELAYBOT_"

# Telegram accepts 1-256 characters A-Z, a-z, 0-9, "_" and "-" as a webhook secret token.
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
MIN_WEBHOOK_SECRET = 32  # characters; a webhook URL requires a secret at least this long

# Fields whose input must never be echoed back in an error message.
_SECRET_FIELDS = frozenset({"token", "webhook_secret", "database_url"})


class SettingsError(Exception):
    """A missing or invalid setting; ``str()`` is one line naming the variable."""

    def __init__(self, message: str, *, variable: str) -> None:
        super().__init__(message)
        self.variable = variable


class Settings(BaseSettings):
    """Everything the bot reads from its environment (spec section 3)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    token: SecretStr | None = None
    api_base_url: str = "https://api.telegram.org/bot"
    network_file: Path = Path("config/network.toml")
    database: Path = Path("data/relaybot.sqlite3")
    # PostgreSQL (SPEC section 12), not in this version: `run` refuses it, `backup` points to
    # pg_dump. A secret: the URL may hold a password.
    database_url: SecretStr | None = None
    language: Literal["nl", "en"] = "nl"
    log_format: Literal["json", "console"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    webhook_url: str = ""
    # validated even when unset: a webhook URL makes it required
    webhook_secret: SecretStr | None = Field(default=None, validate_default=True)
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # sends in flight at once: each is a possible duplicate after a crash (section 11)
    max_in_flight: int = Field(default=4, ge=1, le=64)
    # seconds an update whose handling keeps failing is tried before it is set aside
    update_retry_s: float = Field(default=300.0, gt=0)
    # with PostgreSQL: a standby takes over this long after the active process died
    failover_s: float = Field(default=15.0, gt=0)

    @field_validator("token", "webhook_secret", "database_url", mode="before")
    @classmethod
    def _empty_secret_is_none(cls, value: Any) -> Any:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret_shape(
        cls, value: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError("may only contain letters, digits, '_' and '-' (1 to 256 characters)")
        # without a secret anyone who reaches the port can post forged updates
        if info.data.get("webhook_url"):
            if value is None:
                raise ValueError(
                    "is required when RELAYBOT_WEBHOOK_URL is set (at least "
                    f"{MIN_WEBHOOK_SECRET} characters; make one with: python3 -c "
                    "'import secrets; print(secrets.token_urlsafe(32))')"
                )
            if len(value.get_secret_value()) < MIN_WEBHOOK_SECRET:
                raise ValueError(
                    f"must be at least {MIN_WEBHOOK_SECRET} characters long (make one with: "
                    "python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
                )
        return value

    @field_validator("language", "log_format", mode="before")
    @classmethod
    def _lowercase(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _uppercase(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("api_base_url", "webhook_url", "webhook_listen", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("api_base_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"must be an http(s) URL such as https://api.telegram.org/bot (got {value!r})"
            )
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if value and (parts.scheme != "https" or not parts.netloc):
            raise ValueError(
                f"must be an https URL: Telegram calls webhooks only over https (got {value!r})"
            )
        return value


def env_name(field: str) -> str:
    """The environment variable that sets ``field``: ``language`` -> ``RELAYBOT_LANGUAGE``."""
    return f"{ENV_PREFIX}{field.upper()}"


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; ``overrides`` (by field name) win over the environment.

    Raises :class:`SettingsError` naming the first bad variable.
    """
    unknown = sorted(set(overrides) - set(Settings.model_fields))
    if unknown:
        name = env_name(unknown[0])
        raise SettingsError(f"{name}: is not a relaybot setting", variable=name)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise _first_error(exc) from exc


def require_token(settings: Settings) -> str:
    """The bot token, or a :class:`SettingsError` saying how to set it."""
    token = settings.token.get_secret_value().strip() if settings.token is not None else ""
    if not token:
        raise SettingsError(
            "RELAYBOT_TOKEN is not set: put the token BotFather gave you in the environment "
            "(export RELAYBOT_TOKEN=...) or in a .env file as RELAYBOT_TOKEN=...",
            variable="RELAYBOT_TOKEN",
        )
    return token


def _first_error(exc: ValidationError) -> SettingsError:
    error = exc.errors(include_url=False)[0]
    field = str(error["loc"][0]) if error["loc"] else "settings"
    name = env_name(field)
    return SettingsError(f"{name}: {_describe(field, error)}", variable=name)


def _describe(field: str, error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = "" if field in _SECRET_FIELDS else f" (got {error.get('input')!r})"
    if kind == "literal_error":
        return f"must be {ctx['expected']}{got}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"must be a whole number{got}"
    if kind in ("greater_than_equal", "less_than_equal") and field == "webhook_port":
        return f"must be between 1 and 65535{got}"
    if kind == "value_error":
        return f"{ctx.get('error', error['msg'])}"
    message = str(error["msg"])
    return f"{message[:1].lower()}{message[1:]}{got}"

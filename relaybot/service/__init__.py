"""The use cases: what happens when someone acts. No Telegram here; storage and domain only.

Each area is one class over the shared `Context`; none inherits from another."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from relaybot.service.context import Answer, Chat, Command, Context
from relaybot.service.flagging import Flagging
from relaybot.service.forwarding import Forwarding
from relaybot.service.groups import Groups
from relaybot.service.lifecycle import Lifecycle
from relaybot.service.linking import Linking
from relaybot.service.moderation import Moderation
from relaybot.service.reports import Reports
from relaybot.service.signup import Signup
from relaybot.service.tagging import Tagging


@dataclass(frozen=True)
class UseCases:
    """Every use case of the bot, built once over one context (see `telegram/handlers.py`
    for which command calls which)."""

    ctx: Context
    tagging: Tagging
    flagging: Flagging
    lifecycle: Lifecycle
    forwarding: Forwarding
    linking: Linking
    groups: Groups
    moderation: Moderation
    signup: Signup
    reports: Reports

    @classmethod
    def create(
        cls, ctx: Context, *, config_dir: Path | None = None, patterns_file: Path | None = None
    ) -> UseCases:
        """`config_dir` holds the operator's rules and blocklist, `patterns_file` the chatter
        patterns; without them the shipped files are used."""
        return cls(
            ctx,
            tagging=Tagging(ctx),
            flagging=Flagging(ctx),
            lifecycle=Lifecycle(ctx),
            forwarding=Forwarding(ctx),
            linking=Linking(ctx),
            groups=Groups(ctx),
            moderation=Moderation(ctx, config_dir=config_dir, patterns_file=patterns_file),
            signup=Signup(ctx),
            reports=Reports(ctx),
        )


__all__ = ["Answer", "Chat", "Command", "Context", "UseCases"]

"""The use cases: what happens when someone acts. No Telegram here; storage and domain only.

Each area is one class over the shared `Context`; none inherits from another."""

from __future__ import annotations

from dataclasses import dataclass

from relaybot.service.context import Answer, Chat, Command, Context
from relaybot.service.flagging import Flagging
from relaybot.service.forwarding import Forwarding
from relaybot.service.groups import Groups
from relaybot.service.lifecycle import Lifecycle
from relaybot.service.linking import Linking
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

    @classmethod
    def create(cls, ctx: Context) -> UseCases:
        return cls(
            ctx,
            tagging=Tagging(ctx),
            flagging=Flagging(ctx),
            lifecycle=Lifecycle(ctx),
            forwarding=Forwarding(ctx),
            linking=Linking(ctx),
            groups=Groups(ctx),
        )


__all__ = ["Answer", "Chat", "Command", "Context", "UseCases"]

"""The use cases: what happens when someone acts. No Telegram here; storage and domain only.

Each area is one class over the shared `Context`; none inherits from another. What a use case
asks of Telegram directly (invite links, join requests, members, leaving a chat) goes through
one port, `ports.Telegram`, given here; everything it sends goes through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from relaybot.service.context import Answer, Chat, Command, Context
from relaybot.service.flagging import Flagging
from relaybot.service.forwarding import Forwarding
from relaybot.service.groups import ChatOutcomes, Groups
from relaybot.service.lifecycle import Lifecycle
from relaybot.service.linking import Linking
from relaybot.service.moderation import Moderation
from relaybot.service.ports import Telegram
from relaybot.service.reports import Reports
from relaybot.service.rounds import Rounds
from relaybot.service.signup import Signup
from relaybot.service.startup_checks import StartupChecks
from relaybot.service.tagging import Tagging
from relaybot.service.waiting import WaitingList


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
    rounds: Rounds
    startup_checks: StartupChecks
    waiting: WaitingList

    @classmethod
    def create(
        cls,
        ctx: Context,
        telegram: Telegram,
        outcomes: ChatOutcomes,
        *,
        config_dir: Path | None = None,
        patterns_file: Path | None = None,
    ) -> UseCases:
        """`telegram`: the port; `outcomes`: what delivery records when a chat changes for the
        bot. `config_dir` holds the operator's rules and blocklist, `patterns_file` the
        chatter patterns; without them the shipped files are used."""
        moderation = Moderation(ctx, telegram, config_dir=config_dir, patterns_file=patterns_file)
        signup = Signup(ctx, telegram)
        return cls(
            ctx,
            tagging=Tagging(ctx),
            flagging=Flagging(ctx),
            lifecycle=Lifecycle(ctx),
            forwarding=Forwarding(ctx),
            linking=Linking(ctx, telegram),
            groups=Groups(ctx, telegram, outcomes),
            moderation=moderation,
            signup=signup,
            reports=Reports(ctx),
            rounds=Rounds(ctx),
            startup_checks=StartupChecks(ctx, telegram),
            waiting=WaitingList(ctx, signup, telegram),
        )


__all__ = ["Answer", "Chat", "Command", "Context", "UseCases"]

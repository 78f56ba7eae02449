"""At start-up, beside the running bot: what the bot may do in every network chat, asked of
Telegram through the port; the problems people must fix are told to the regiegroep once.

What counts as a problem is decided by :mod:`relaybot.domain.preflight`."""

from __future__ import annotations

import structlog

from relaybot.domain.intents import Say
from relaybot.domain.network import Network
from relaybot.domain.preflight import ChatFacts, Problem, places, problems, report
from relaybot.service.context import Context
from relaybot.service.ports import Telegram, TelegramRefused
from relaybot.storage import chats, outbox

log = structlog.get_logger("relaybot.preflight")


def network_chats(network: Network, links: dict[str, int]) -> dict[str, int]:
    """Every chat the network names, by role: 'regie', 'coordinators', or a slug (a chat id
    in the file wins over a /koppel link, as everywhere)."""
    found = {"regie": network.regie_chat_id}
    if network.coordinators_chat_id is not None:
        found["coordinators"] = network.coordinators_chat_id
    for slug, hood in network.neighbourhoods.items():
        chat_id = hood.chat_id if hood.chat_id is not None else links.get(slug)
        if chat_id is not None:
            found[slug] = chat_id
    return found


class StartupChecks:
    """Log every problem, and tell the regiegroep once about each (a problem that went away
    is forgotten, so it is told again should it come back)."""

    def __init__(self, ctx: Context, telegram: Telegram) -> None:
        self.ctx = ctx
        self.telegram = telegram

    async def run(self) -> list[Problem]:
        """The problems found; a failure here is logged and the bot runs on."""
        try:
            return await self._run()
        except TelegramRefused as error:
            log.warning("startup_checks_skipped", error=error.reason)
        except Exception as error:  # never let a check stop the bot
            log.error("startup_checks_failed", error=type(error).__name__, exc_info=error)
        return []

    async def _run(self) -> list[Problem]:
        ctx, network = self.ctx, self.ctx.network
        async with ctx.db.reading() as conn:
            links, moves = await chats.links(conn), await chats.moves(conn)
        wanted = network_chats(network, links)
        facts = await self.telegram.bot_facts()
        found_chats: list[ChatFacts] = []
        for role, chat_id in wanted.items():
            chat = await self.telegram.chat_facts(role, moves.get(chat_id, chat_id))
            if chat is not None:
                found_chats.append(chat)
        found = problems(facts, found_chats)
        for problem in found:
            log.warning(
                "startup_problem",
                problem=problem.key.removeprefix("preflight_"),
                role=problem.role or None,
                chat=problem.chat_id or None,
                lacking=list(problem.lacking) or None,
            )
        if await self._tell(found, moves.get(network.regie_chat_id, network.regie_chat_id)):
            ctx.wake()
        return found

    async def _tell(self, found: list[Problem], regie: int) -> bool:
        """Queue the new problems for the regiegroep; whether there were any."""
        ctx = self.ctx
        names = {slug: hood.name for slug, hood in ctx.network.neighbourhoods.items()}
        now = ctx.clock()
        async with ctx.db.transaction() as conn:
            current = {problem.note for problem in found}
            for note in await chats.notes_like(conn, regie, "preflight:"):
                if note not in current:
                    await chats.forget_note(conn, regie, note)
            new = [p for p in found if await chats.note_once(conn, regie, p.note, now)]
            if new:
                told = Say(regie, report(new, ctx.texts, places(ctx.texts, names)))
                await outbox.enqueue(conn, told, now)
        return bool(new)

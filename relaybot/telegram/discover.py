"""`relaybot discover`: find the chat ids of the groups the bot is in.

Telegram gives a bot no list of its groups; it learns of a group when something happens there.
So discover long-polls with the token alone (no network file, no database) and prints a line
for every group the moment it first hears from it (a message, the bot being added, a member
joining), with whether the bot is an administrator there and which rights it lacks. On Ctrl-C
(SIGINT) or SIGTERM it writes a network file skeleton with those groups (0600, never through a
symbolic link; on standard output when the file cannot be written, so nothing found is lost).
Group titles are anyone's to choose: they are printed and written without control characters.

It confirms the updates it reads, as any bot does; start it before the bot runs for real.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from pathlib import Path
from typing import TextIO

from telegram import Bot, Chat, Update
from telegram.error import Conflict, InvalidToken, TelegramError

from relaybot.domain.preflight import lacking
from relaybot.files import private_file
from relaybot.skeleton import Group, clean_title
from relaybot.telegram.preflight import TokenRejected, bot_facts, chat_facts

POLL_SECONDS = 10


class Discovery:
    def __init__(self, bot: Bot, out: TextIO) -> None:
        self.bot = bot
        self.out = out
        self.groups: dict[int, Group] = {}
        self.stopped = asyncio.Event()
        self.warned: set[str] = set()

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def warn_once(self, line: str) -> None:
        if line not in self.warned:
            self.warned.add(line)
            self.say(f"warning: {line}")

    async def introduce(self) -> None:
        facts = await bot_facts(self.bot)
        self.say(f"bot @{facts.username}: listening for groups (Ctrl-C to stop and write the file)")
        if not facts.can_read_all_group_messages:
            self.say(
                "warning: group privacy mode is on, so where the bot is no administrator it "
                "only sees commands and replies. In @BotFather: /setprivacy -> choose the bot "
                "-> Disable, then remove the bot from each group and add it again."
            )
        self.say("post a message in each group (or add the bot to it) to make it show up")

    async def see(self, update: Update) -> None:
        chat = update.effective_chat
        if chat is None or chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
            return
        title = clean_title(chat.title or "") or str(chat.id)
        member = update.my_chat_member
        if member is not None and member.new_chat_member.status in ("left", "kicked"):
            if self.groups.pop(chat.id, None) is not None:
                self.say(f"{chat.id}  {title}: the bot was removed (left out of the file)")
            return
        message = update.effective_message
        moved = message.migrate_to_chat_id if message is not None else None
        if moved:
            self.groups.pop(chat.id, None)
            self.say(f"{chat.id}  {title}: moved to {moved} by Telegram")
            return
        known = chat.id in self.groups
        if known and member is None:
            return
        self.groups[chat.id] = Group(chat.id, title)
        await self.describe(chat.id, title, changed=known)

    async def describe(self, chat_id: int, title: str, changed: bool = False) -> None:
        facts = await chat_facts(self.bot, "", chat_id)
        if facts is None or facts.status == "missing":
            state = "the bot cannot reach this group"
        elif facts.status in ("creator", "administrator"):
            missing = lacking(facts.status, facts.rights)
            state = "admin" + (f", lacks: {', '.join(missing)}" if missing else ", all rights")
        else:
            state = "NOT admin: make the bot an administrator (delete, pin, invite, restrict)"
        prefix = "now " if changed else ""
        self.say(f"{chat_id}  {title}  {prefix}{state}")

    async def listen(self, poll_seconds: float = POLL_SECONDS) -> None:
        offset = 0
        while not self.stopped.is_set():
            poll = asyncio.ensure_future(
                self.bot.get_updates(
                    offset=offset,
                    timeout=int(poll_seconds),
                    allowed_updates=Update.ALL_TYPES,
                )
            )
            stop = asyncio.ensure_future(self.stopped.wait())
            await asyncio.wait({poll, stop}, return_when=asyncio.FIRST_COMPLETED)
            if not poll.done():
                poll.cancel()
                with contextlib.suppress(asyncio.CancelledError, TelegramError):
                    await poll
                break
            stop.cancel()
            try:
                updates = poll.result()
            except InvalidToken:
                raise
            except Conflict:  # a webhook is set, or another process is polling
                self.warn_once(
                    "Telegram will not give discover the updates: another process is reading "
                    "them (a running `relaybot run`?) or a webhook is set. Stop it first; "
                    "discover keeps trying."
                )
                await asyncio.sleep(2.0)
                continue
            except TelegramError as error:
                self.warn_once(f"cannot reach Telegram ({type(error).__name__}); still trying")
                await asyncio.sleep(1.0)
                continue
            for update in updates:
                offset = update.update_id + 1
                await self.see(update)
        if offset:  # confirm what was read, so that `relaybot run` starts after it
            with contextlib.suppress(TelegramError):
                await self.bot.get_updates(offset=offset, timeout=0)


async def discover(token: str, base_url: str, out: TextIO) -> list[Group]:
    """Listen until SIGINT or SIGTERM; the groups found, in the order they showed up."""
    bot = Bot(token, base_url=base_url)
    discovery = Discovery(bot, out)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, discovery.stopped.set)
    try:
        async with bot:
            await discovery.introduce()
            await discovery.listen()
    except InvalidToken:
        raise TokenRejected from None
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    return list(discovery.groups.values())


def write_skeleton(text: str, groups: int, output: Path, out: TextIO, *, force: bool) -> int:
    """Write the skeleton to ``output`` (0600, replacing a file there only with ``force``,
    never through a symbolic link); when that fails, say why and print it on standard output
    instead: what discover found is never lost. The exit status: 0 written, 1 printed."""
    try:
        with private_file(output, replace=force) as temporary:
            temporary.write_text(text, encoding="utf-8")
    except OSError as error:
        print(
            f"relaybot: cannot write {output} ({error.strerror or error}); the skeleton "
            "follows on standard output: save it as your network file",
            file=sys.stderr,
            flush=True,
        )
        sys.stdout.write(text)
        return 1
    print(
        f"wrote {output} with {groups} group(s): edit it, then run `relaybot check`",
        file=out,
        flush=True,
    )
    return 0

"""What the bot must be allowed to do in Telegram, and what is wrong when it is not.

Pure values: the Telegram side (relaybot/telegram/preflight.py) asks getMe and getChatMember
and hands the answers here as :class:`BotFacts` and :class:`ChatFacts`; this module decides
which :class:`Problem`s an operator or the regiegroep must fix. `relaybot run` logs them and
posts them once to the regie chat; `relaybot check` prints them; `relaybot discover` shows
the rights a group lacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from relaybot.domain.texts import Raw, Texts

# The administrator rights the bot uses, by the Bot API field, with the word people see.
RIGHTS: dict[str, str] = {
    "can_delete_messages": "delete",  # /intrekken deletes the bot's copies
    "can_pin_messages": "pin",
    "can_invite_users": "invite",  # sign-up invite links
    "can_restrict_members": "restrict",  # removal after warnings
}

ADMIN_STATUSES = ("creator", "administrator")
MEMBER_STATUSES = ("creator", "administrator", "member", "restricted")


@dataclass(frozen=True)
class BotFacts:
    username: str
    can_read_all_group_messages: bool


@dataclass(frozen=True)
class ChatFacts:
    """The bot's place in one chat the network file names. `status` is Telegram's member
    status, or "missing" when Telegram says the bot is not in it (or the chat is unknown)."""

    role: str  # "regie", "coordinators" or a neighbourhood slug
    chat_id: int
    status: str
    rights: dict[str, bool] = field(default_factory=dict)
    title: str = ""


@dataclass(frozen=True)
class Problem:
    """One thing people must fix: a text key and its values (see texts: preflight_*)."""

    key: str
    role: str = ""
    chat_id: int = 0
    lacking: tuple[str, ...] = ()

    @property
    def note(self) -> str:
        """A stable name for this problem (posted once per name)."""
        return f"preflight:{self.key}:{self.role}:{','.join(self.lacking)}"


def needs_admin(role: str) -> bool:
    """The bot needs administrator rights in neighbourhood chats only: in the regie and
    coordinators' chats it reads, posts and edits its own messages, which any member may."""
    return role not in ("regie", "coordinators")


def lacking(status: str, rights: dict[str, bool]) -> tuple[str, ...]:
    """The rights the bot uses but lacks in a chat, as words ("delete", "pin", ...)."""
    if status == "creator":
        return ()
    if status != "administrator":
        return tuple(RIGHTS.values())
    return tuple(word for name, word in RIGHTS.items() if not rights.get(name))


def problems(bot: BotFacts, chats: list[ChatFacts]) -> list[Problem]:
    """Everything that stops the bot from doing its job, privacy mode first."""
    found: list[Problem] = []
    # Telegram lets an administrator bot read everything, privacy mode or not: privacy mode
    # only hurts in a chat where the bot is a plain member
    blind = any(chat.status not in ADMIN_STATUSES for chat in chats) or not chats
    if not bot.can_read_all_group_messages and blind:
        found.append(Problem("preflight_privacy"))
    for chat in chats:
        if chat.status not in MEMBER_STATUSES:
            found.append(Problem("preflight_missing", chat.role, chat.chat_id))
        elif not needs_admin(chat.role):
            continue
        elif chat.status not in ADMIN_STATUSES:
            found.append(Problem("preflight_not_admin", chat.role, chat.chat_id))
        else:
            missing = lacking(chat.status, chat.rights)
            if missing:
                found.append(Problem("preflight_rights", chat.role, chat.chat_id, missing))
    return found


def describe(problem: Problem, texts: Texts, places: dict[str, str]) -> str:
    """One line (HTML) for a problem; `places` names each role ('regie' -> 'Regiegroep')."""
    if problem.key == "preflight_privacy":
        return texts(problem.key)
    rights = texts.join([texts(f"right_{word}") for word in problem.lacking])
    return texts(
        problem.key,
        place=places.get(problem.role, problem.role),
        chat_id=problem.chat_id,
        rights=Raw(rights),
    )


def report(found: list[Problem], texts: Texts, places: dict[str, str]) -> str:
    """The one message the regiegroep gets: a header and a line per problem."""
    lines = [texts("preflight_header")]
    lines += [f"• {describe(problem, texts, places)}" for problem in found]
    return "\n".join(lines)


def places(texts: Texts, names: dict[str, str]) -> dict[str, str]:
    """Role -> what people call it: the two fixed groups, and each neighbourhood's name."""
    return {"regie": texts("place_regie"), "coordinators": texts("place_coordinators"), **names}

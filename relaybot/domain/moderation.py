"""House rules and moderation (SPEC section 8), as plain decisions. No Telegram, no database.

What lives here:

- :class:`Blocklist` — whole-word, case-insensitive matching of ``blocklist.txt``.
  Accents are ignored on both sides (``kút`` counts as ``kut``, and a listed ``één`` matches
  ``een``): a swapped accent is the cheapest way around a list, and no Dutch curse or slur
  turns innocent by losing its accent. A listed word inside a longer word does not count
  (a listed ``lul`` is not found in ``lullig`` or ``tallul``); a hyphen or an apostrophe
  ends a word, so ``kut-weer`` does count.
- :class:`ChatterPatterns` — the private-chatter heuristic from the ``[chatter]`` table of
  ``patterns.toml``: a message is chatter when a ``patterns`` entry matches and no
  ``unless`` entry does (``unless`` holds the words that make a message about safety).
- :class:`FloodCounter` — messages per member in a sliding minute, in memory.
- :func:`never_warned` — who is never warned: co-admins, the bot itself, other bots, a
  message sent as the group (anonymous admin) or as a channel (a linked channel, or a member
  posting as one: the person behind it is unknown, so nobody is acted on).
- :func:`counting`, :func:`needs_card`, :func:`reminder_due`, :func:`welcome_due` — warnings
  inside ``warning_days``, the removal question at ``max_warnings``, and how often reminders
  and welcomes may come.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from html import escape
from pathlib import Path
from typing import NamedTuple

from relaybot.domain.folding import (
    fold,
    plain,
    readings,
    squeeze,
    squeeze_stretched,
    stretched,
)
from relaybot.domain.matching import Matcher, any_of, first_look
from relaybot.domain.patterns import normalise

DAY = 86_400.0
REMINDER_PERIOD = DAY  # flooding and chatter: at most one reminder per member per day
PHOTO_PERIOD = 30 * DAY  # the photo rule: once a month per chat
WELCOME_BURST = 600.0  # joins within ten minutes of a welcome share it
FLOOD_WINDOW = 60.0  # `flood_per_minute` counts messages in this sliding window

#: The shipped files, inside the package (an operator's own copies sit next to the network
#: file and are never tracked by git: a `git pull` never meets an edited one).
DEFAULTS_DIR = Path(__file__).resolve().parents[1] / "data"

# Telegram's stand-ins: "GroupAnonymousBot" (messages sent as the group) and "Channel_Bot"
# (messages sent as a channel). Their `from` never names the person behind the message.
ANONYMOUS_SENDERS = frozenset({1087968824, 136817688})


class ModerationFileError(Exception):
    """A moderation file cannot be used; the message names the file and the line or key."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


# --- the blocklist ---------------------------------------------------------------------------


def _whole_words(folded: set[str]) -> re.Pattern[str] | None:
    """One search for any of the words as a whole word, longest first; a phrase's words
    match across any whitespace."""
    ordered = sorted(folded, key=len, reverse=True)
    alternatives = [r"\s+".join(re.escape(part) for part in w.split()) for w in ordered]
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


@dataclass(frozen=True)
class Blocklist:
    """Blocked words (or short phrases), matched as whole words."""

    words: tuple[str, ...]
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _first: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _squeezed: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        folded = {fold(w) for w in self.words if fold(w)}
        pattern = _whole_words(folded)
        object.__setattr__(self, "_pattern", pattern)
        # the words' letters as they are, without the whole-word checks: nearly every message
        # is done with after this quicker search (the pattern is case-sensitive, so is it)
        object.__setattr__(self, "_first", first_look((pattern,)) if pattern else None)
        # stretched letters ("kuuut") are compared squeezed, with the words squeezed too
        object.__setattr__(self, "_squeezed", _whole_words({squeeze(w) for w in folded}))

    def hits(self, text: str) -> bool:
        """True when the text contains a blocked word as a whole word, also when it is
        disguised (spaced or dotted letters, look-alikes, digits or symbols for letters,
        stretched letters, invisible characters: `relaybot.domain.folding`)."""
        if self._pattern is None:
            return False
        folded = fold(text)
        if plain(folded):  # nearly every message: one search for a disguise, none found
            return self._found(folded)
        return any(
            self._found(form) or (stretched(form) and self._stretched_hit(form))
            for form in readings(folded)
        )

    def _found(self, form: str) -> bool:
        """A blocked word stands in this form as a whole word (the quick look first)."""
        if self._first is not None and self._first.search(form) is None:
            return False
        return self._pattern.search(form) is not None  # type: ignore[union-attr]

    def _stretched_hit(self, form: str) -> bool:
        """A blocked word hidden by stretching: squeezed, it matches a squeezed word, and the
        match lies on a word that was stretched (the others are compared as they are)."""
        text, spans = squeeze_stretched(form)
        return any(
            start < end_ and start_ < end
            for found in self._squeezed.finditer(text)  # type: ignore[union-attr]
            for start, end in [found.span()]
            for start_, end_ in spans
        )

    @classmethod
    def parse(cls, source: str, path: Path | str = "<blocklist>") -> Blocklist:
        """One word or phrase a line; `#` starts a comment; blank lines are skipped."""
        words = []
        for number, raw in enumerate(source.splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if not re.search(r"\w", line):
                raise ModerationFileError(path, f"line {number}: {line!r} has no letters")
            words.append(line)
        return cls(tuple(words))


def load_blocklist(path: Path | None = None) -> Blocklist:
    """The blocklist at `path`; the shipped one when that file is missing (an operator who
    wants none ships an empty file); an empty list when neither exists."""
    shipped = DEFAULTS_DIR / "blocklist.txt"
    for candidate in (path or shipped, shipped):
        try:
            text = candidate.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as exc:
            raise ModerationFileError(candidate, f"cannot read file ({exc})") from exc
        return Blocklist.parse(text, candidate)
    return Blocklist(())


# --- the chatter heuristic ------------------------------------------------------------------

# Keep these two tuples identical to the [chatter] table of relaybot/data/patterns.toml.
DEFAULT_CHATTER: tuple[str, ...] = (
    # greetings and wishes to the whole group
    r"^(?:goede(?:morgen|middag|navond)|goeiemorgen|morgen allemaal|hallo allemaal|"
    r"hoi allemaal|good morning)\b",
    r"\b(?:fijne|prettige|gezellige) (?:avond|dag|feestdagen|vakantie|kerst|jaarwisseling|"
    r"weekend)\b",
    r"\b(?:welterusten|slaap lekker|gelukkig nieuwjaar|happy new year|merry christmas)\b",
    r"\b(?:gefeliciteerd|proficiat|hartelijk gefeliciteerd|happy birthday)\b",
    # buying, selling, lending, lost and found of things
    r"\b(?:te koop|te huur|gratis af te halen|for sale|wie wil er)\b",
    r"\b(?:wie heeft er een|heeft iemand een|mag ik (?:even )?(?:je|jullie)) "
    r"(?:\w+ ){0,2}(?:lenen|ladder|aanhanger|boormachine|grasmaaier|oppas)\b",
    # conversation for its own sake
    r"\b(?:hoe gaat het|how are you|lekker weertje|wat een weer|haha+|hihi+|lol)\b",
)

DEFAULT_UNLESS: tuple[str, ...] = (
    # anything about safety is never chatter
    r"\b(?:112|politie|police|verdacht\w*|suspicious|inbr\w+|ingebroken|dief\w*|gestolen|gezien|"
    r"stolen|brand|fire|alarm\w*|kenteken|auto|scooter|busje|man|vrouw|jongens?|persoon|"
    r"personen|hulp|help|gewond|ongeluk|accident|camera|deurbel)\b",
)

CHATTER_KEYS = ("patterns", "unless")


@dataclass(frozen=True)
class ChatterPatterns:
    """Decides whether a message is ordinary conversation rather than a signal."""

    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    _any: Matcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_any", any_of(self.patterns))

    def is_chatter(self, text: str) -> bool:
        """Every group message is asked, so the first look is cheap: the lowercased text and
        one search over all patterns; a possible match is then judged on the normalised text."""
        if not text:
            return False
        # the blocklist's folding (invisible characters, look-alikes, accents) first, for
        # the rare text that is not plain ASCII
        probe = text.lower() if text.isascii() else fold(text)
        if not self._any(probe):
            return False
        norm = normalise(probe)
        if not any(p.search(norm) for p in self.patterns):
            return False
        return not any(p.search(norm) for p in self.unless)


def _without_accents(pattern: str) -> str:
    """A pattern compared with folded text loses its accents too ('één' -> 'een'); the
    regular-expression syntax itself is ASCII and stays as written."""
    if pattern.isascii():
        return pattern
    return "".join(
        c for c in unicodedata.normalize("NFKD", pattern) if not unicodedata.combining(c)
    )


def _compile(path: Path | str, key: str, raw: object) -> tuple[re.Pattern[str], ...]:
    if not isinstance(raw, list):
        raise ModerationFileError(path, f"[chatter] {key} must be a list of regex strings")
    compiled = []
    for index, pattern in enumerate(raw):
        if not isinstance(pattern, str):
            raise ModerationFileError(path, f"[chatter] {key}[{index}] must be a string")
        try:
            compiled.append(re.compile(_without_accents(pattern), re.IGNORECASE))
        except re.error as exc:
            raise ModerationFileError(
                path, f"[chatter] {key}[{index}] is not a valid regex: {pattern!r} ({exc})"
            ) from exc
    return tuple(compiled)


def chatter_from(table: dict[str, object], path: Path | str) -> ChatterPatterns:
    unknown = sorted(set(table) - set(CHATTER_KEYS))
    if unknown:
        raise ModerationFileError(path, f"[chatter] unknown key(s) {', '.join(unknown)}")
    return ChatterPatterns(
        patterns=_compile(path, "patterns", table.get("patterns", list(DEFAULT_CHATTER))),
        unless=_compile(path, "unless", table.get("unless", list(DEFAULT_UNLESS))),
    )


def load_chatter(path: Path | None = None) -> ChatterPatterns:
    """The `[chatter]` table of a patterns file; the built-in lists without a file or table."""
    if path is None:
        return chatter_from({}, "<built-in chatter patterns>")
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return chatter_from({}, "<built-in chatter patterns>")
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ModerationFileError(path, f"cannot read file ({exc})") from exc
    table = data.get("chatter", {})
    if not isinstance(table, dict):
        raise ModerationFileError(path, "[chatter] must be a table")
    return chatter_from(table, path)


# --- flooding --------------------------------------------------------------------------------


class FloodCounter:
    """Messages per (chat, member) in a sliding window, kept in memory only.

    `hit` is True once per crossing: on the message that takes a member over the limit,
    not on every message after it (so thirty messages in a minute are one finding).
    """

    def __init__(self, limit: int, window: float = FLOOD_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[tuple[int, int], deque[float]] = {}
        self._hits = 0

    def hit(self, chat_id: int, member_id: int, now: float) -> bool:
        key = (chat_id, member_id)
        times = self._seen.get(key)
        if times is None:
            times = self._seen[key] = deque()
        horizon = now - self.window
        while times and times[0] <= horizon:
            times.popleft()
        times.append(now)
        self._hits += 1
        if self._hits % 4096 == 0:
            self._sweep(horizon)
        return len(times) == self.limit + 1

    def _sweep(self, horizon: float) -> None:
        """Forget members who have been quiet for a window (keeps memory flat)."""
        for key in [k for k, times in self._seen.items() if not times or times[-1] <= horizon]:
            del self._seen[key]

    def __len__(self) -> int:
        return len(self._seen)


# --- who is never warned ---------------------------------------------------------------------


class Sender(NamedTuple):
    """Who sent a message, as moderation needs it. (A named tuple: one is made for every
    group message, in a third of the time a frozen dataclass takes.)"""

    chat_id: int
    user_id: int  # 0 when Telegram names nobody
    is_bot: bool = False
    sender_chat_id: int | None = None  # set for messages sent as the group or a channel


class Exempt(StrEnum):
    CO_ADMIN = "co_admin"
    BOT = "bot"
    ANONYMOUS_ADMIN = "anonymous_admin"
    CHANNEL = "channel"
    UNKNOWN = "unknown"


def never_warned(sender: Sender, is_co_admin: bool) -> Exempt | None:
    """Why this sender may not be warned (or reminded, or proposed for removal), if so."""
    if sender.sender_chat_id is not None:
        if sender.sender_chat_id == sender.chat_id:
            return Exempt.ANONYMOUS_ADMIN
        return Exempt.CHANNEL
    if sender.user_id == 0 or sender.user_id in ANONYMOUS_SENDERS:
        return Exempt.UNKNOWN
    if sender.is_bot:
        return Exempt.BOT
    if is_co_admin:
        return Exempt.CO_ADMIN
    return None


# --- warnings --------------------------------------------------------------------------------


class WarningKind(StrEnum):
    BLOCKLIST = "blocklist"  # a blocked word; the reason is the rule, never the word
    MANUAL = "manual"  # /waarschuw by a co-admin, with an optional reason


@dataclass(frozen=True)
class Warning:
    id: int
    chat_id: int
    member_id: int
    at: float
    kind: WarningKind
    reason: str = ""


REASON_LIMIT = 64  # characters of a co-admin's reason that are kept and shown


def clean_reason(text: str) -> str:
    """A co-admin's reason, on one line and cut to size."""
    line = " ".join(text.split())
    return line if len(line) <= REASON_LIMIT else line[: REASON_LIMIT - 1] + "…"


def horizon(now: float, warning_days: float) -> float:
    """Warnings given at or before this moment no longer count."""
    return now - warning_days * DAY


def counting(warnings: Iterable[Warning], now: float, warning_days: float) -> list[Warning]:
    """The warnings that still count, oldest first."""
    since = horizon(now, warning_days)
    return sorted((w for w in warnings if w.at > since), key=lambda w: (w.at, w.id))


def needs_card(count: int, max_warnings: int, card_pending: bool) -> bool:
    """At `max_warnings` (or beyond, after co-admins kept the member) the co-admins are asked,
    once: never while an earlier question is still open."""
    return count >= max_warnings and not card_pending


# --- how often the bot speaks up -------------------------------------------------------------


def reminder_due(last_at: float | None, now: float, period: float) -> bool:
    """At most one reminder of a kind per period."""
    return last_at is None or now - last_at >= period


def welcome_due(last_at: float | None, now: float, burst: float = WELCOME_BURST) -> bool:
    """One welcome per burst of joins: members who join soon after a welcome share it."""
    return reminder_due(last_at, now, burst)


def newcomers(member_ids: Sequence[int], bot_id: int) -> list[int]:
    """The people a join message brings, without the bot itself."""
    return [m for m in member_ids if m != bot_id]


# --- the house rules text --------------------------------------------------------------------


def load_rules(path: Path) -> str:
    """The operator's rules file (Markdown), or the shipped one when it is missing."""
    for candidate in (path, DEFAULTS_DIR / path.name):
        try:
            return candidate.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as exc:
            raise ModerationFileError(candidate, f"cannot read file ({exc})") from exc
    return ""


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def rules_html(markdown: str) -> str:
    """A small Markdown subset as Telegram HTML: `#` headings bold, `-`/`*` items as
    bullets, `**bold**`; everything else escaped and kept line by line."""
    lines = []
    for raw in markdown.strip().splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith("<!--"):
            continue
        heading = re.match(r"^#{1,6}\s+(.*)$", line)
        if heading:
            lines.append(f"<b>{escape(heading.group(1), quote=False)}</b>")
            continue
        item = re.match(r"^\s*[-*]\s+(.*)$", line)
        text = escape(item.group(1) if item else line, quote=False)
        text = _BOLD.sub(r"<b>\1</b>", text)
        lines.append(f"• {text}" if item else text)
    return "\n".join(lines)

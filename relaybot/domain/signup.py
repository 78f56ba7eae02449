"""Sign-up: a resident's private conversation with the bot, as a pure state machine.

Everything here is plain Python: the parsing and checking of a resident's answers (name,
street and house number, phone number), matching a street to the neighbourhoods whose
``streets`` lists hold it, the 30-minute expiry rule, and :func:`advance`, which takes the
conversation as it is and one input and returns the next state and what to say. Storage
keeps the state; the telegram package carries out the replies.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from relaybot.domain.network import Network
from relaybot.domain.texts import SIGNUP_START, Texts

CONVERSATION_TTL = 30 * 60.0  # seconds without an answer before a conversation expires
ERASE_AFTER = 90 * 24 * 3600.0  # a decided sign-up's personal data is erased this long after
INVITE_TTL = 72 * 3600.0  # an admission's invite link is valid this long
NAME_MIN, NAME_MAX = 2, 64
ADDRESS_MAX = 100


class Step(StrEnum):
    """Where a running conversation is: the question the resident is answering."""

    AGE = "age"  # 18 or older, living or working in the area: Ja / Nee
    NAME = "name"
    ADDRESS = "address"  # street and house number
    CHOOSE = "choose"  # the street lies in several neighbourhoods: one button each
    UNMATCHED = "unmatched"  # the street is in no list: type again, or go on without
    PHONE = "phone"  # share-contact button, or typed
    RULES = "rules"  # the house rules: Akkoord


class Status(StrEnum):
    """A stored sign-up's life: a conversation, then a card, then a decision."""

    ASKING = "asking"  # the conversation is running
    PENDING = "pending"  # the card is with the regiegroep
    ADMITTED = "admitted"  # invite link sent, the resident has not joined yet
    JOINED = "joined"
    DECLINED = "declined"
    LAPSED = "lapsed"  # admitted, but the invite link expired unused: a new sign-up may start
    WAITING = "waiting"  # matched no neighbourhood: on the waiting list for its street

    @property
    def is_open(self) -> bool:
        """Open sign-ups stand in the way of a second one."""
        return self in (Status.ASKING, Status.PENDING, Status.ADMITTED, Status.WAITING)


# --- answers: tidying and checking ----------------------------------------------------------


def tidy(text: str) -> str:
    """Whitespace collapsed (newlines too), control characters dropped, ends stripped."""
    kept = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in "\t\n\r")
    return " ".join(kept.split())


def valid_name(text: str) -> str | None:
    """The tidied name, or None: 2-64 characters with a letter, not a command."""
    name = tidy(text)
    if not NAME_MIN <= len(name) <= NAME_MAX or name.startswith("/"):
        return None
    if not any(c.isalpha() for c in name):
        return None
    return name


@dataclass(frozen=True)
class Address:
    street: str  # as the resident wrote it, tidied
    number: str  # house number with any addition: "12", "3a", "12-2"

    def __str__(self) -> str:
        return f"{self.street} {self.number}"


_ADDRESS = re.compile(
    r"^(?P<street>.*?[^\W\d_].*?)[\s,]*(?<!\d)(?P<number>\d{1,5})"
    r"(?P<suffix>\s*[-/]\s*[^\W_]{1,4}|\s*[^\W\d_]{1,3})?$"
)


def parse_address(text: str) -> Address | None:
    """'Heivelden 12', 'Hoogstraat 3a', 'Kerkstraat 12-2', '1e Hogeweg 5': street and number.

    None when there is no street with a letter in it or no house number at the end.
    """
    cleaned = tidy(text)
    if not cleaned or len(cleaned) > ADDRESS_MAX:
        return None
    found = _ADDRESS.match(cleaned)
    if found is None:
        return None
    street = found["street"].strip(" ,")
    if not street or street.startswith("/"):
        return None
    if int(found["number"]) == 0:
        return None
    suffix = (found["suffix"] or "").replace(" ", "")
    return Address(street, found["number"] + suffix)


def street_key(street: str) -> str:
    """What two spellings of one street share: case, accents, spaces and punctuation go;
    a trailing 'str.' is read as 'straat'."""
    decomposed = unicodedata.normalize("NFKD", street.casefold())
    letters = "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))
    if street.rstrip().lower().endswith(("str", "str.")):
        letters += "aat"
    return letters


def match_street(network: Network, street: str) -> tuple[str, ...]:
    """The slugs of every neighbourhood whose ``streets`` list holds this street, in file
    order. Case, accents and spacing do not matter."""
    key = street_key(street)
    if not key:
        return ()
    return tuple(
        slug
        for slug, hood in network.neighbourhoods.items()
        if any(street_key(known) == key for known in hood.streets)
    )


def suggest_street(network: Network, street: str) -> str | None:
    """The listed street closest to a misspelt one ('Grootestraat' -> 'Grotestraat')."""
    known: dict[str, str] = {}
    for hood in network.neighbourhoods.values():
        for name in hood.streets:
            known.setdefault(street_key(name), name)
    close = difflib.get_close_matches(street_key(street), list(known), n=1, cutoff=0.8)
    return known[close[0]] if close else None


def normalise_phone(text: str, *, from_contact: bool = False) -> str | None:
    """A phone number in international form ('+31612345678'), or None when it is not one.

    Accepted: Dutch numbers of ten digits starting with 0 ('06-12345678', '053 123 45 67'),
    and international numbers with '+' or '00' ('+32 470 12 34 56', '0031 6 1234 5678',
    '+31 (0)6 12345678'). A number Telegram shares from a contact may lack the '+'.
    """
    raw = text.strip().replace("(0)", "")
    compact = re.sub(r"[\s\-./()]", "", raw)
    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("00"):
        digits = compact[2:]
    elif compact.startswith("0"):
        if len(compact) != 10 or not compact.isdigit():
            return None
        digits = "31" + compact[1:]
    elif from_contact:
        digits = compact
    else:
        return None
    if not digits.isdigit() or digits.startswith("0") or not 8 <= len(digits) <= 15:
        return None
    if digits.startswith("31") and (len(digits) != 11 or digits[2] == "0"):
        return None
    return "+" + digits


def expires_at(last_answer: float) -> float:
    """When a conversation whose last answer came at ``last_answer`` expires."""
    return last_answer + CONVERSATION_TTL


def is_expired(expiry: float | None, now: float) -> bool:
    """A running conversation is over once its expiry time has come."""
    return expiry is not None and now >= expiry


def invite_lapsed(status: Status, invite_expiry: float | None, now: float) -> bool:
    """An admission whose invite link expired unused no longer stands in the way."""
    return status is Status.ADMITTED and is_expired(invite_expiry, now)


# --- the conversation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """What the resident has told so far. Personal data: stored only while needed."""

    name: str = ""
    address: str = ""  # "Grotestraat 12"
    slug: str | None = None  # the matched neighbourhood; None: the regiegroep chooses
    candidates: tuple[str, ...] = ()  # while choosing between neighbourhoods
    phone: str = ""
    phone_shared: bool = False  # shared as the resident's own Telegram contact, not typed
    same_phone: tuple[int, ...] = ()  # other sign-ups with this phone when it was submitted
    same_address: tuple[int, ...] = ()  # ... and with this address
    # a shared location in a buurt of the map that no group covers: that buurt, for the
    # waiting list (its code and name; never the point itself)
    buurt: str = ""
    buurt_name: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "address": self.address,
            "slug": self.slug,
            "candidates": list(self.candidates),
            "phone": self.phone,
            "phone_shared": self.phone_shared,
            "same_phone": list(self.same_phone),
            "same_address": list(self.same_address),
            "buurt": self.buurt,
            "buurt_name": self.buurt_name,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Answers:
        slug = data.get("slug")
        candidates = data.get("candidates")
        return cls(
            name=str(data.get("name") or ""),
            address=str(data.get("address") or ""),
            slug=str(slug) if slug else None,
            candidates=tuple(str(c) for c in candidates) if isinstance(candidates, list) else (),
            phone=str(data.get("phone") or ""),
            phone_shared=data.get("phone_shared") is True,
            same_phone=_numbers(data.get("same_phone")),
            same_address=_numbers(data.get("same_address")),
            buurt=str(data.get("buurt") or ""),
            buurt_name=str(data.get("buurt_name") or ""),
        )


def _numbers(value: object) -> tuple[int, ...]:
    return tuple(n for n in value if isinstance(n, int)) if isinstance(value, list) else ()


def address_key(address: str) -> str:
    """What two spellings of one address share ('Kievitstraat 12', 'kievitstr. 12')."""
    parsed = parse_address(address)
    if parsed is None:
        return street_key(address)
    return f"{street_key(parsed.street)} {parsed.number.casefold()}"


def look_alikes(answers: Answers, others: Mapping[int, Answers]) -> Answers:
    """The answers with the other sign-ups (by number) that have the same phone number or
    the same address: the regiegroep sees them on the card (an impostor typing a
    neighbour's details, or one person signing up twice)."""
    key = address_key(answers.address) if answers.address else ""
    same_phone = tuple(
        n for n, a in sorted(others.items()) if answers.phone and a.phone == answers.phone
    )
    same_address = tuple(
        n for n, a in sorted(others.items()) if key and a.address and address_key(a.address) == key
    )
    return replace(answers, same_phone=same_phone, same_address=same_address)


@dataclass(frozen=True)
class Conversation:
    step: Step
    answers: Answers = field(default_factory=Answers)


@dataclass(frozen=True)
class Text:
    """Something the resident typed (or a reply-keyboard button they pressed)."""

    text: str


@dataclass(frozen=True)
class SharedContact:
    """A contact the resident shared; ``user_id`` is whose it is (None: not on Telegram)."""

    phone: str
    user_id: int | None
    sender_id: int


@dataclass(frozen=True)
class Located:
    """A location the resident shared, as the neighbourhood it lies in (None: in no area of
    the map). The point itself never reaches the domain: it is placed before, and dropped."""

    slug: str | None
    buurt: tuple[str, str] | None = None  # (code, name): the map's buurt no group covers


Input = Text | SharedContact | Located


@dataclass(frozen=True)
class Keyboard:
    """A reply keyboard under a question: rows of answers, or one share-contact button."""

    rows: tuple[tuple[str, ...], ...] = ()
    contact: str | None = None  # label of a button that shares the resident's own number
    remove: bool = False  # take the previous keyboard away
    location: str | None = None  # label of a button that shares where the resident is

    def to_dict(self) -> dict[str, object]:
        return {
            "rows": [list(r) for r in self.rows],
            "contact": self.contact,
            "remove": self.remove,
            "location": self.location,
        }


NO_KEYBOARD = Keyboard(remove=True)


@dataclass(frozen=True)
class Reply:
    """One message to the resident: a text key with its values, and a keyboard."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)
    keyboard: Keyboard = NO_KEYBOARD


@dataclass(frozen=True)
class Outcome:
    """What one input leads to. ``conversation`` None: it ended (``submitted`` tells
    whether with a complete sign-up, to go to the regiegroep as a card)."""

    conversation: Conversation | None
    replies: tuple[Reply, ...]
    submitted: bool = False


class Labels:
    """The answers the bot offers, in the bot's language; typed answers are matched
    ignoring case (and 'ja'/'yes' both count)."""

    def __init__(self, texts: Texts) -> None:
        self.yes = html.unescape(texts("button_yes"))
        self.no = html.unescape(texts("button_no"))
        self.agree = html.unescape(texts("button_agree"))
        self.no_match = html.unescape(texts("button_no_match"))
        self.share = html.unescape(texts("button_share_phone"))
        self.location = html.unescape(texts("button_share_location"))

    def is_yes(self, text: str) -> bool:
        return _fold(text) in {_fold(self.yes), "ja", "yes", "j", "y"}

    def is_no(self, text: str) -> bool:
        return _fold(text) in {_fold(self.no), "nee", "no", "n"}

    def is_agree(self, text: str) -> bool:
        return _fold(text) in {_fold(self.agree), "akkoord", "iagree", "agree"}

    def is_no_match(self, text: str) -> bool:
        return _fold(text) == _fold(self.no_match)


def _located(
    conversation: Conversation,
    event: Located,
    network: Network,
    stay: Callable[..., Outcome],
    to: Callable[..., Outcome],
) -> Outcome:
    """A shared location at the address step: the neighbourhood it lies in, as a street
    would give it; outside every area, the street is asked as before."""
    if conversation.step not in (Step.ADDRESS, Step.UNMATCHED):
        return stay("signup_location_unasked")
    if event.slug is None or event.slug not in network.neighbourhoods:
        if event.buurt is None:
            return stay("signup_location_outside")
        # in a buurt without a group: the street is asked as before, and should it match no
        # group either, the resident waits with the others of that buurt
        code, name = event.buurt
        kept = replace(conversation.answers, buurt=code, buurt_name=name)
        return to(conversation.step, kept, Reply("signup_location_outside"))
    answers = conversation.answers
    where = replace(answers, address=f"📍 {hood_label(network, event.slug)}")
    if answers.slug is not None:  # chosen by the link: that choice stands
        return to(Step.PHONE, where)
    return to(Step.PHONE, replace(where, slug=event.slug))


def _fold(text: str) -> str:
    return street_key(text) if text else ""


def hood_label(network: Network, slug: str) -> str:
    """A neighbourhood's button label: its name, with the kern when two share a name."""
    hood = network.neighbourhoods[slug]
    twins = sum(1 for h in network.neighbourhoods.values() if h.name == hood.name)
    return hood.name if twins == 1 else f"{hood.name} ({hood.kern})"


CALLBACK_LIMIT = 64  # bytes of a button's callback data Telegram accepts


def hood_ref(network: Network, slug: str, prefix: str) -> str:
    """A button's callback data naming a neighbourhood: the prefix and the slug, or the
    neighbourhood's position in the file ('#3') when a long slug would not fit."""
    data = f"{prefix}{slug}"
    if len(data.encode("utf-8")) <= CALLBACK_LIMIT:
        return data
    return f"{prefix}#{list(network.neighbourhoods).index(slug)}"


def hood_from_ref(network: Network, ref: str) -> str | None:
    """The slug a button's reference names (a slug, or '#position'), or None."""
    if ref in network.neighbourhoods:
        return ref
    slugs = list(network.neighbourhoods)
    if ref.startswith("#") and ref[1:].isdigit() and int(ref[1:]) < len(slugs):
        return slugs[int(ref[1:])]
    return None


def chosen_hood(network: Network, start: str) -> str | None:
    """The neighbourhood a deep link's start parameter names ('aanmelden-goor-oost', the
    flyer's), or None (plain 'aanmelden', or a slug the network does not have)."""
    prefix = f"{SIGNUP_START}-"
    slug = start.strip()[len(prefix) :] if start.strip().startswith(prefix) else ""
    return slug if slug in network.neighbourhoods else None


def start(labels: Labels, network: Network | None = None, slug: str | None = None) -> Outcome:
    """A new conversation: the first question; for a neighbourhood chosen already (the
    flyer's link), first a line naming it."""
    opening = Conversation(Step.AGE, Answers(slug=slug))
    first = question(opening, labels)
    if slug is None or network is None:
        return Outcome(opening, (first,))
    return Outcome(opening, (Reply("signup_for_hood", {"name": hood_label(network, slug)}), first))


def question(conversation: Conversation, labels: Labels, network: Network | None = None) -> Reply:
    """The question of a step, with its keyboard (asked again after a restart or /start)."""
    step, answers = conversation.step, conversation.answers
    if step is Step.AGE:
        return Reply("signup_ask_age", keyboard=Keyboard(((labels.yes, labels.no),)))
    if step is Step.NAME:
        return Reply("signup_ask_name")
    if step is Step.ADDRESS:
        if network is not None and network.map_file is not None:
            return Reply(
                "signup_ask_address_or_location", keyboard=Keyboard(location=labels.location)
            )
        return Reply("signup_ask_address")
    if step is Step.CHOOSE:
        assert network is not None
        rows = tuple((hood_label(network, s),) for s in answers.candidates)
        return Reply("signup_choose", {"address": answers.address}, Keyboard(rows))
    if step is Step.UNMATCHED:
        return Reply(
            "signup_unmatched",
            {"address": answers.address},
            Keyboard(((labels.no_match,),)),
        )
    if step is Step.PHONE:
        return Reply("signup_ask_phone", keyboard=Keyboard(contact=labels.share))
    return Reply("signup_ask_rules", keyboard=Keyboard(((labels.agree,),)))


def advance(
    conversation: Conversation, event: Input, *, network: Network, labels: Labels
) -> Outcome:
    """The next state and what to say, for one answer. A wrong answer keeps the step and
    says what is expected, with the step's keyboard again."""
    step, answers = conversation.step, conversation.answers

    def stay(key: str, **values: object) -> Outcome:
        again = question(conversation, labels, network)
        return Outcome(conversation, (Reply(key, values, again.keyboard),))

    def to(next_step: Step, new: Answers, *before: Reply) -> Outcome:
        moved = Conversation(next_step, new)
        return Outcome(moved, (*before, question(moved, labels, network)))

    if isinstance(event, SharedContact):
        if step is not Step.PHONE:
            return stay("signup_contact_unasked")
        if event.user_id != event.sender_id:
            return stay("signup_contact_not_own")
        phone = normalise_phone(event.phone, from_contact=True)
        if phone is None:
            return stay("signup_phone_invalid")
        return to(Step.RULES, replace(answers, phone=phone, phone_shared=True))

    if isinstance(event, Located):
        return _located(conversation, event, network, stay, to)

    text = event.text
    if step is Step.AGE:
        if labels.is_yes(text):
            return to(Step.NAME, answers)
        if labels.is_no(text):
            return Outcome(None, (Reply("signup_said_no"),))
        return stay("signup_age_again", yes=labels.yes, no=labels.no)

    if step is Step.NAME:
        name = valid_name(text)
        if name is None:
            return stay("signup_name_invalid", low=NAME_MIN, high=NAME_MAX)
        return to(Step.ADDRESS, replace(answers, name=name))

    if step is Step.CHOOSE:
        for slug in answers.candidates:
            if _fold(text) in (_fold(hood_label(network, slug)), _fold(slug)):
                return to(Step.PHONE, replace(answers, slug=slug, candidates=()))
        return stay("signup_choose_again")

    if step is Step.UNMATCHED and labels.is_no_match(text):
        return to(Step.PHONE, answers)  # no neighbourhood: the regiegroep chooses

    if step in (Step.ADDRESS, Step.UNMATCHED):
        address = parse_address(text)
        if address is None:
            return stay("signup_address_invalid")
        found = match_street(network, address.street)
        tidied = replace(answers, address=str(address))
        if answers.slug is not None:  # chosen by the link: the regiegroep sees the address
            return to(Step.PHONE, tidied)
        if len(found) == 1:
            return to(Step.PHONE, replace(tidied, slug=found[0]))
        if found:
            return to(Step.CHOOSE, replace(tidied, candidates=found))
        moved = Conversation(Step.UNMATCHED, tidied)
        asked = question(moved, labels)
        hint = suggest_street(network, address.street)
        if hint is None:
            return Outcome(moved, (asked,))
        values = {**asked.values, "hint": hint}
        return Outcome(moved, (Reply("signup_unmatched_hint", values, asked.keyboard),))

    if step is Step.PHONE:
        phone = normalise_phone(text)
        if phone is None:
            return stay("signup_phone_invalid")
        return to(Step.RULES, replace(answers, phone=phone, phone_shared=False))

    # Step.RULES
    if labels.is_agree(text):
        return Outcome(Conversation(Step.RULES, answers), (), submitted=True)
    return stay("signup_rules_again", agree=labels.agree)

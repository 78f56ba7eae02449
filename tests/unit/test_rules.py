"""Who may do what, which incident an untargeted report means, and the 112 flag's outcome."""

from __future__ import annotations

from dataclasses import replace

import pytest

from relaybot.domain.chats import ChatKind
from relaybot.domain.model import Actor, Copy, Flag, Incident, Role, State
from relaybot.domain.rules import (
    FlagOutcome,
    Refusal,
    check_followup,
    check_tag,
    closed_refusal,
    flag_outcome,
    is_expired,
    may_resolve,
    may_retract,
    recent_open,
    retractable,
)

NOW = 1_700_000_000.0
CO_ADMIN = Actor(1, "Anna", is_co_admin=True)
RESIDENT = Actor(2, "Bram")


def incident(number: int = 1, created_at: float = NOW, **changes: object) -> Incident:
    base = Incident(
        number=number,
        source_slug="goor-oost",
        source_chat_id=-101,
        origin_message_id=10,
        text="Verdachte man",
        media=None,
        note="",
        author="",
        state=State.OPEN,
        created_at=created_at,
    )
    return replace(base, **changes)


# --- check_tag --------------------------------------------------------------------------


def test_tag_by_co_admin_replying_in_neighbourhood_is_allowed() -> None:
    """A co-admin's /regie as a reply to a new message in a neighbourhood chat goes ahead."""
    assert check_tag(ChatKind.NEIGHBOURHOOD, CO_ADMIN, has_reply=True, existing=None) is None


@pytest.mark.parametrize(
    "kind", [ChatKind.REGIE, ChatKind.COORDINATORS, ChatKind.PRIVATE, ChatKind.UNKNOWN]
)
def test_tag_outside_a_neighbourhood_chat_is_refused(kind: ChatKind) -> None:
    """/regie only works in a neighbourhood chat, even for a co-admin."""
    assert check_tag(kind, CO_ADMIN, True, None) == Refusal("refuse_not_neighbourhood")


def test_tag_by_a_resident_is_refused() -> None:
    """A member who is not a co-admin cannot relay."""
    refusal = check_tag(ChatKind.NEIGHBOURHOOD, RESIDENT, True, None)
    assert refusal == Refusal("refuse_not_co_admin")


def test_tag_without_a_reply_is_refused() -> None:
    """/regie must be a reply to the message to relay."""
    refusal = check_tag(ChatKind.NEIGHBOURHOOD, CO_ADMIN, False, None)
    assert refusal == Refusal("refuse_no_reply")


def test_tag_on_a_message_already_relayed_names_its_number() -> None:
    """A message that already belongs to incident #7 is refused with that number."""
    refusal = check_tag(ChatKind.NEIGHBOURHOOD, CO_ADMIN, True, 7)
    assert refusal == Refusal("refuse_already", {"number": 7})


def test_tag_by_a_resident_is_refused_before_the_missing_reply() -> None:
    """A resident is told they may not relay, not how to use the command."""
    refusal = check_tag(ChatKind.NEIGHBOURHOOD, RESIDENT, False, None)
    assert refusal is not None
    assert refusal.key == "refuse_not_co_admin"


# --- check_followup -----------------------------------------------------------------------


def test_followup_allowed_for_co_admin_and_any_contact_person() -> None:
    """Co-admins in a neighbourhood chat and anyone in the regie chat may add a follow-up."""
    assert check_followup(ChatKind.NEIGHBOURHOOD, CO_ADMIN) is None
    assert check_followup(ChatKind.REGIE, RESIDENT) is None


@pytest.mark.parametrize(
    ("kind", "actor"),
    [
        (ChatKind.NEIGHBOURHOOD, RESIDENT),
        (ChatKind.COORDINATORS, CO_ADMIN),
        (ChatKind.UNKNOWN, CO_ADMIN),
        (ChatKind.PRIVATE, CO_ADMIN),
    ],
)
def test_followup_refused_for_others(kind: ChatKind, actor: Actor) -> None:
    """Residents and chats outside neighbourhoods/regie may not relay follow-ups."""
    assert check_followup(kind, actor) == Refusal("refuse_followup_not_allowed")


# --- may_resolve / may_retract -----------------------------------------------------------


def test_resolve_permissions() -> None:
    """A contact person may resolve; a co-admin only in a chat that holds the incident."""
    assert may_resolve(ChatKind.REGIE, RESIDENT, chat_holds_incident=False)
    assert may_resolve(ChatKind.NEIGHBOURHOOD, CO_ADMIN, chat_holds_incident=True)
    assert not may_resolve(ChatKind.NEIGHBOURHOOD, CO_ADMIN, chat_holds_incident=False)
    assert not may_resolve(ChatKind.NEIGHBOURHOOD, RESIDENT, chat_holds_incident=True)
    assert not may_resolve(ChatKind.COORDINATORS, CO_ADMIN, chat_holds_incident=True)


def test_retract_permissions() -> None:
    """A contact person may retract; a co-admin only in the chat where the incident started."""
    assert may_retract(ChatKind.REGIE, RESIDENT, is_source_chat=False)
    assert may_retract(ChatKind.NEIGHBOURHOOD, CO_ADMIN, is_source_chat=True)
    assert not may_retract(ChatKind.NEIGHBOURHOOD, CO_ADMIN, is_source_chat=False)
    assert not may_retract(ChatKind.NEIGHBOURHOOD, RESIDENT, is_source_chat=True)
    assert not may_retract(ChatKind.UNKNOWN, CO_ADMIN, is_source_chat=True)


def test_closed_refusal_names_number_and_state() -> None:
    """Acting on a closed incident is refused with its number and state; open is fine."""
    assert closed_refusal(incident()) is None
    refusal = closed_refusal(incident(number=4, state=State.RESOLVED))
    assert refusal == Refusal("refuse_closed", {"number": 4, "state": "resolved"})


# --- recent_open ------------------------------------------------------------------------


def test_recent_open_includes_an_incident_exactly_at_the_window_edge() -> None:
    """An incident created exactly `window` minutes ago still counts as recent."""
    edge = incident(created_at=NOW - 60 * 60)
    assert recent_open([edge], NOW, 60) == [edge]


def test_recent_open_excludes_an_incident_just_older_than_the_window() -> None:
    """One second past the window, an incident is no longer a candidate."""
    old = incident(created_at=NOW - 60 * 60 - 1)
    assert recent_open([old], NOW, 60) == []


def test_recent_open_newest_first_and_closed_excluded() -> None:
    """Candidates are open incidents, newest first, whatever the input order."""
    a = incident(1, NOW - 50 * 60)
    b = incident(2, NOW - 5 * 60)
    c = incident(3, NOW - 20 * 60)
    closed = incident(4, NOW - 1, state=State.RESOLVED)
    expired = incident(5, NOW - 2, state=State.EXPIRED)
    assert recent_open([a, closed, b, expired, c], NOW, 60) == [b, c, a]


def test_recent_open_respects_the_window_length() -> None:
    """A 10-minute window leaves out an incident from 15 minutes ago."""
    fresh = incident(1, NOW - 5 * 60)
    older = incident(2, NOW - 15 * 60)
    assert recent_open([fresh, older], NOW, 10) == [fresh]


# --- flag_outcome -----------------------------------------------------------------------


def test_first_report_on_an_open_unflagged_incident_wins() -> None:
    """The first report that 112 was called is the one that is recorded."""
    assert flag_outcome(incident()) is FlagOutcome.FIRST


def test_report_on_a_flagged_incident_is_already() -> None:
    """Once flagged, every later report is answered with what is known."""
    flagged = incident(flag=Flag(NOW, "Anna", "Goor Oost (Goor)", -101))
    assert flag_outcome(flagged) is FlagOutcome.ALREADY


@pytest.mark.parametrize("state", [State.RESOLVED, State.EXPIRED, State.RETRACTED])
def test_report_on_a_closed_incident_is_closed(state: State) -> None:
    """A report on an incident that is no longer open changes nothing."""
    assert flag_outcome(incident(state=state)) is FlagOutcome.CLOSED
    flagged = incident(state=state, flag=Flag(NOW, "Anna", "x", -101))
    assert flag_outcome(flagged) is FlagOutcome.CLOSED


# --- is_expired -------------------------------------------------------------------------


def test_is_expired_at_and_after_the_ttl() -> None:
    """An open incident expires once it is `ttl_hours` old, not a second before."""
    created = NOW - 12 * 3600
    assert is_expired(incident(created_at=created), NOW, 12)
    assert is_expired(incident(created_at=created - 1), NOW, 12)
    assert not is_expired(incident(created_at=created + 1), NOW, 12)


def test_closed_incident_never_expires() -> None:
    """A resolved incident is not expired again, however old."""
    old = incident(created_at=NOW - 100 * 3600, state=State.RESOLVED)
    assert not is_expired(old, NOW, 12)


# --- retractable (issue 17: the clean-up after /intrekken was pinned by no unit test) ------


def test_retract_deletes_every_bot_message_but_the_source_confirmations() -> None:
    """After /intrekken the bot deletes every alert, follow-up, 112 notice and confirmation
    it made, in every chat, also the 112 notice in the source chat; it keeps only its
    confirmations in the source chat (they say what happened) and never touches messages
    people wrote."""
    source, other = -101, -102
    copies = [
        Copy(1, source, 10, Role.ORIGINAL),
        Copy(1, source, 11, Role.REPLY),
        Copy(1, source, 12, Role.NOTICE),
        Copy(1, source, 13, Role.FOLLOWUP_SOURCE),
        Copy(1, source, 14, Role.FOLLOWUP, followup=1),
        Copy(1, other, 20, Role.ALERT),
        Copy(1, other, 21, Role.NOTICE),
        Copy(1, other, 22, Role.REPLY),
        Copy(1, other, 23, Role.FOLLOWUP, followup=1),
        Copy(1, other, 24, Role.FOLLOWUP_SOURCE),
    ]
    deleted = retractable(copies, source)
    assert [(c.chat_id, c.message_id) for c in deleted] == [
        (source, 12),
        (source, 14),
        (other, 20),
        (other, 21),
        (other, 22),
        (other, 23),
    ]


def test_retract_of_an_incident_with_nothing_relayed_deletes_nothing() -> None:
    """A local incident with only the resident's message and a confirmation has nothing
    to delete."""
    copies = [Copy(1, -101, 10, Role.ORIGINAL), Copy(1, -101, 11, Role.REPLY)]
    assert retractable(copies, -101) == []


def test_retract_permission_in_the_coordinators_chat_is_refused() -> None:
    """The coordinators' group is no place to retract or resolve from, even for a co-admin
    of the source chat."""
    assert not may_retract(ChatKind.COORDINATORS, CO_ADMIN, is_source_chat=True)
    assert not may_resolve(ChatKind.UNKNOWN, CO_ADMIN, chat_holds_incident=True)


def test_closed_refusal_names_each_closed_state() -> None:
    """Expired and retracted incidents are refused with their own state word."""
    assert closed_refusal(incident(number=5, state=State.EXPIRED)) == Refusal(
        "refuse_closed", {"number": 5, "state": "expired"}
    )
    assert closed_refusal(incident(number=6, state=State.RETRACTED)) == Refusal(
        "refuse_closed", {"number": 6, "state": "retracted"}
    )


def test_a_refusal_without_values_has_an_empty_mapping() -> None:
    """A refusal's values default to an empty mapping, one per refusal."""
    first, second = Refusal("refuse_no_reply"), Refusal("refuse_no_reply")
    assert first.values == {}
    assert first.values is not second.values

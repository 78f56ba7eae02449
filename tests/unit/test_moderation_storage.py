"""Moderation's tables: warnings without message text, reminders, removal cards."""

from __future__ import annotations

from relaybot.domain.intents import Card, CardKind, Say
from relaybot.domain.moderation import WarningKind
from relaybot.storage import moderation as store
from relaybot.storage import outbox
from relaybot.storage.db import Database

NOW = 1_700_000_000.0
CHAT = -1001000000101


async def test_warnings_since_and_take_back(db: Database) -> None:
    """Warnings are read per member and chat after a moment; /vergeef removes the latest
    that still counts, and nothing when none counts."""
    async with db.transaction() as conn:
        await store.add_warning(conn, CHAT, 7, NOW - 100, WarningKind.BLOCKLIST)
        await store.add_warning(conn, CHAT, 7, NOW - 10, WarningKind.MANUAL, "schelden", 5)
        await store.add_warning(conn, CHAT, 8, NOW - 5, WarningKind.MANUAL)
        await store.add_warning(conn, -1009, 7, NOW - 5, WarningKind.MANUAL)
        found = await store.warnings_since(conn, CHAT, 7, NOW - 1000)
        assert [(w.kind, w.reason) for w in found] == [
            (WarningKind.BLOCKLIST, ""),
            (WarningKind.MANUAL, "schelden"),
        ]
        assert len(await store.warnings_since(conn, CHAT, 7, NOW - 50)) == 1
        taken = await store.take_back_latest(conn, CHAT, 7, NOW - 1000)
        assert taken is not None and taken.reason == "schelden"
        assert await store.take_back_latest(conn, CHAT, 7, NOW - 50) is None
        assert await store.warning_count(conn, CHAT, NOW - 1000, NOW) == 2


async def test_reminders_keep_only_the_last_moment(db: Database) -> None:
    """A reminder kind per member and chat keeps when it was last given; old ones are
    forgotten."""
    async with db.transaction() as conn:
        assert await store.last_reminder(conn, CHAT, 7, "rules") is None
        await store.set_reminder(conn, CHAT, 7, "rules", NOW)
        await store.set_reminder(conn, CHAT, 7, "rules", NOW + 5)
        assert await store.last_reminder(conn, CHAT, 7, "rules") == NOW + 5
        assert await store.last_reminder(conn, CHAT, 7, "photo") is None
        assert await store.forget_reminders(conn, NOW + 6) == 1


async def test_a_card_is_decided_once_and_forgets_the_name(db: Database) -> None:
    """The first decision wins; the member's name is erased once the card is decided."""
    async with db.transaction() as conn:
        card = await store.add_card(conn, CHAT, 7, "Yvonne Testbewoner", 3, NOW)
        assert (await store.pending_card(conn, CHAT, 7)) == card
        assert await store.decide_card(conn, card.id, "kept", "Bram", NOW + 1)
        assert not await store.decide_card(conn, card.id, "removed", "Carla", NOW + 2)
        decided = await store.card(conn, card.id)
        assert decided is not None
        assert (decided.state, decided.decided_by, decided.member_name) == ("kept", "Bram", "")
        assert await store.pending_card(conn, CHAT, 7) is None


async def test_delivered_card_copies_come_from_the_outbox(db: Database) -> None:
    """Where a card went is what the outbox recorded for its delivered rows."""
    async with db.transaction() as conn:
        four, five = Card(CardKind.REMOVAL, 4), Card(CardKind.REMOVAL, 5)
        first = await outbox.enqueue(conn, Say(CHAT, "x", card=four), NOW)
        await outbox.enqueue(conn, Say(-1002, "x", card=four), NOW)
        await outbox.enqueue(conn, Say(-1003, "x", card=five), NOW)
        await outbox.done(conn, first, NOW, message_id=77)
        assert await outbox.card_messages(conn, four) == [(CHAT, 77)]

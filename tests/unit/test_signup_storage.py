"""Sign-ups in SQLite: one open sign-up per person, the steps of its life, and erasure
that leaves nothing in the database file."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaybot.domain.intents import Say
from relaybot.domain.signup import Answers, Status, Step
from relaybot.storage import engine, outbox, signups
from relaybot.storage.db import Database

NAME = "Zwaantje Oosterveld-Klomp"
PHONE = "+31687654321"
ADDRESS = "Kievitstraat 77b"


def file_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as a disk reader would see them."""
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


async def test_one_open_signup_per_person(db: Database) -> None:
    """A second open sign-up for the same person is refused by the database itself."""
    async with db.transaction() as conn:
        first = await signups.create(conn, 501, 100.0, 1900.0)
        assert first.status is Status.ASKING and first.step is Step.AGE
    with pytest.raises(engine.INTEGRITY):
        async with db.transaction() as conn:
            await signups.create(conn, 501, 200.0, 2000.0)
    async with db.transaction() as conn:
        await signups.decide(conn, first.id, Status.DECLINED, None, "Regie", 300.0)
        second = await signups.create(conn, 501, 400.0, 2200.0)
        assert second.id > first.id
        assert (await signups.open_for(conn, 501)) == second


async def test_life_of_a_signup(db: Database) -> None:
    """Steps, submission, card, decision and invite are stored and read back; the link
    finds its sign-up."""
    answers = Answers(NAME, ADDRESS, "goor-noord", (), PHONE)
    async with db.transaction() as conn:
        made = await signups.create(conn, 502, 100.0, 1900.0)
        await signups.save_step(conn, made.id, Step.PHONE, answers, 2500.0)
        stored = await signups.get(conn, made.id)
        assert stored is not None and stored.step is Step.PHONE and stored.answers == answers
        assert stored.expires_at == 2500.0
        await signups.submit(conn, made.id, answers, 3000.0)
        await signups.set_card(conn, made.id, 77)
        await signups.decide(conn, made.id, Status.ADMITTED, "goor-oost", "Carla", 3100.0)
        await signups.set_invite(conn, made.id, -1001, "https://t.me/+abc", 9999.0)
        found = await signups.by_invite(conn, -1001, "https://t.me/+abc")
    assert found is not None
    assert (found.status, found.slug, found.card_message_id) == (Status.ADMITTED, "goor-oost", 77)
    assert (found.decided_by, found.decided_at, found.expires_at) == ("Carla", 3100.0, None)
    assert found.invite_expires_at == 9999.0


async def test_expired_and_old_decisions_are_found(db: Database) -> None:
    """Running conversations past their expiry, and decisions older than a moment."""
    async with db.transaction() as conn:
        old = await signups.create(conn, 503, 0.0, 1800.0)
        fresh = await signups.create(conn, 504, 0.0, 5000.0)
        decided = await signups.create(conn, 505, 0.0, 1800.0)
        await signups.decide(conn, decided.id, Status.DECLINED, None, "x", 10.0)
        expired = await signups.expired_conversations(conn, 1800.0)
        assert [s.id for s in expired] == [old.id]
        assert fresh.id not in [s.id for s in expired]
        assert [s.id for s in await signups.decided_before(conn, 11.0)] == [decided.id]
        assert await signups.decided_before(conn, 10.0) == []


async def test_erasure_leaves_nothing_in_the_file(sqlite_db: Database, db_path: Path) -> None:
    """Deleting a sign-up and clearing the outbox rows that carried it leaves neither the
    name nor the phone number anywhere in the database file or its log."""
    answers = Answers(NAME, ADDRESS, "goor-noord", (), PHONE)
    async with sqlite_db.transaction() as conn:
        made = await signups.create(conn, 506, 100.0, 1900.0)
        await signups.submit(conn, made.id, answers, 200.0)
        await outbox.enqueue(conn, Say(-100, f"{NAME} {PHONE}", signup=made.id), 200.0)
        await outbox.enqueue(conn, Say(506, f"Dag {NAME}", signup=999), 200.0)
        await outbox.enqueue(conn, Say(-100, "x"), 200.0)
    await sqlite_db.checkpoint()
    assert NAME.encode() in file_bytes(db_path)
    async with sqlite_db.transaction() as conn:
        assert await signups.delete(conn, [made.id]) == 1
        assert await outbox.erase_signup_payloads(conn, [made.id], 506, 300.0) == 2
        assert await outbox.pending(conn) == 1
    await sqlite_db.checkpoint()
    on_disk = file_bytes(db_path)
    assert NAME.encode() not in on_disk
    assert PHONE.encode() not in on_disk
    assert ADDRESS.encode() not in on_disk


async def test_erasing_nothing_is_harmless(db: Database) -> None:
    """No ids and no user: nothing is touched."""
    async with db.transaction() as conn:
        assert await signups.delete(conn, []) == 0
        assert await outbox.erase_signup_payloads(conn, [], None, 1.0) == 0


async def test_cards_of_the_last_hour_outlive_their_signups(db: Database) -> None:
    """Each card is noted with its time in the regie chat; the count of a window does not
    drop when the sign-up is erased, and old notes are cleared."""
    regie = -1001
    async with db.transaction() as conn:
        for n, at in ((1, 100.0), (2, 200.0), (3, 300.0)):
            await signups.note_card(conn, regie, n, at)
        await signups.note_card(conn, regie, 3, 300.0)  # a repeat is one card
        await signups.delete(conn, [1, 2, 3])
        assert await signups.cards_since(conn, regie, 150.0) == 2
        assert await signups.cards_since(conn, -2002, 0.0) == 0
        await signups.forget_card_notes(conn, regie, 250.0)
        assert await signups.cards_since(conn, regie, 0.0) == 1


async def test_unused_invites_and_numbers_no_row_can_have(db: Database) -> None:
    """An admission lapses when its link's expiry has come (or, without a link, its
    decision is old enough); a forged 40-digit number finds nothing and raises nothing."""
    async with db.transaction() as conn:
        linked = await signups.create(conn, 601, 0.0, 1800.0)
        await signups.decide(conn, linked.id, Status.ADMITTED, "noord", "x", 10.0)
        await signups.set_invite(conn, linked.id, -100, "https://t.me/+abc", 500.0)
        unlinked = await signups.create(conn, 602, 0.0, 1800.0)
        await signups.decide(conn, unlinked.id, Status.ADMITTED, "noord", "x", 20.0)
        assert await signups.unused_invites(conn, 15.0, 499.0) == []
        found = await signups.unused_invites(conn, 25.0, 500.0)
        assert [s.id for s in found] == [linked.id, unlinked.id]
        assert await signups.get(conn, 10**40) is None
        assert await signups.get(conn, -1) is None

"""A network that changes under the bot: migrated groups, a bot kicked or refused, and the
bot added to a group outside the network."""

from __future__ import annotations

from relaybot.sandbox.emulator.records import Chat
from relaybot.sandbox.stage import Stage
from tests.e2e.conftest import alerts, contents, tag


def make_basic_group(stage: Stage, slug: str) -> int:
    """Telegram migrates only basic groups: the stage builds supergroups, so this
    neighbourhood's chat becomes a basic group before it is migrated."""
    chat = stage.emu.chat(stage.chats[slug])
    chat.type = "group"
    return chat.id


def migrate_unseen(stage: Stage, slug: str) -> int:
    """Telegram upgrades the group, but the bot never sees the service message (it was down,
    or the message was lost): only a later send tells it, with a ChatMigrated error."""
    world = stage.emu.world
    old = world.chat(make_basic_group(stage, slug))
    new_id = world.new_group_id("supergroup")
    world.chats[new_id] = Chat(new_id, "supergroup", old.title, members=dict(old.members))
    old.migrated_to = new_id
    return new_id


def refused_lines(stage: Stage, name: str) -> list[str]:
    return [t for t in contents(stage, stage.regie) if "kan niet meer posten" in t and name in t]


async def test_migration_by_service_message_is_followed_also_after_a_restart(
    stage: Stage,
) -> None:
    """Goor Centrum becomes a supergroup: alerts go to the new chat, before and after a
    restart, and its co-admin can still tag from there."""
    old = make_basic_group(stage, "goor-centrum")
    new = stage.emu.migrate(old)
    await stage.settle()
    await tag(stage, "goor-oost", "eerste")
    assert len(alerts(stage, new, 1)) == 1
    assert alerts(stage, old, 1) == []

    await stage.restart()
    await tag(stage, "goor-oost", "tweede")
    assert len(alerts(stage, new, 2)) == 1
    assert alerts(stage, old, 2) == []

    stage.chats["goor-centrum"] = new
    await tag(stage, "goor-centrum", "derde, vanuit de nieuwe groep")
    assert "#3 · Goor Centrum (Goor)" in (alerts(stage, stage.regie, 3)[0].content or "")
    assert "#3" in contents(stage, new)[-1]


async def test_migration_learned_from_a_send_error_is_followed_also_after_a_restart(
    stage: Stage,
) -> None:
    """When the bot learns of a migration only because a send fails with ChatMigrated, the
    alert still arrives, once, in the new chat; later alerts go there too, also after a
    restart."""
    old = stage.chats["goor-noord"]
    new = migrate_unseen(stage, "goor-noord")
    await tag(stage, "goor-oost", "eerste")
    assert len(alerts(stage, new, 1)) == 1
    assert alerts(stage, old, 1) == []

    await tag(stage, "goor-oost", "tweede")
    assert len(alerts(stage, new, 2)) == 1

    await stage.restart()
    await tag(stage, "goor-oost", "derde")
    assert len(alerts(stage, new, 3)) == 1
    assert alerts(stage, old, 3) == []


async def test_a_migrated_regie_chat_keeps_receiving(stage: Stage) -> None:
    """Even the regie chat may be migrated: alerts and answers follow it."""
    old = stage.regie
    stage.emu.chat(old).type = "group"
    new = stage.emu.migrate(old)
    await stage.settle()
    await tag(stage, "delden-centrum")
    assert len(alerts(stage, new, 1)) == 1
    stage.chats["regie"] = new
    await stage.restart()
    await tag(stage, "delden-centrum", "nog een")
    assert len(alerts(stage, new, 2)) == 1


async def test_kicked_bot_is_reported_once_and_the_others_still_receive(stage: Stage) -> None:
    """The bot is removed from Goor Centrum: the regiegroep is told once, by name; tagged
    alerts still reach every other neighbour."""
    stage.emu.remove_bot(stage.chats["goor-centrum"])
    await stage.settle()
    assert len(refused_lines(stage, "Goor Centrum")) == 1

    await tag(stage, "goor-oost")
    await tag(stage, "goor-oost", "nog een")
    for number in (1, 2):
        assert len(alerts(stage, stage.regie, number)) == 1
        for slug in ("goor-noord", "goor-zuid", "markelo-zuid"):
            assert len(alerts(stage, stage.chats[slug], number)) == 1, slug
    assert len(refused_lines(stage, "Goor Centrum")) == 1


async def test_403_during_a_fan_out_is_reported_once(stage: Stage) -> None:
    """A chat that answers 403 while an alert fans out is reported once to the regiegroep
    by name; every other chat gets the alert."""
    refused = stage.chats["markelo-zuid"]
    stage.emu.set_fault(
        method="sendMessage",
        chat_id=refused,
        error_code=403,
        description="Forbidden: bot was kicked from the supergroup chat",
        times=10,
    )
    await tag(stage, "goor-oost")
    await tag(stage, "goor-oost", "nog een")
    for number in (1, 2):
        assert alerts(stage, refused, number) == []
        for slug in ("goor-centrum", "goor-noord", "goor-zuid"):
            assert len(alerts(stage, stage.chats[slug], number)) == 1, slug
    assert len(refused_lines(stage, "Markelo Zuid")) == 1


async def test_bot_added_to_an_unknown_group_tells_regie_once_and_relays_nothing(
    stage: Stage,
) -> None:
    """Added to a group outside the network, the bot tells the regiegroep once (title, chat
    id and who added it), answers commands there with one line, and relays nothing from it."""
    someone = stage.emu.add_user("Gerrit", "Pool")
    group = stage.emu.add_bot("Vrienden van de Markt", by=someone)
    await stage.settle()
    told = [t for t in contents(stage, stage.regie) if "Vrienden van de Markt" in t]
    assert len(told) == 1 and str(group.id) in told[0]
    assert "Gerrit Pool" in told[0]

    post = stage.emu.post(group.id, someone, "Verdachte man bij de kerk, 112 gebeld")
    stage.emu.post(group.id, someone, "/regie", reply_to=post.message_id)
    await stage.settle()
    assert len(contents(stage, group.id)) == 1
    assert "hoort niet bij het netwerk" in contents(stage, group.id)[0]

    stage.emu.remove_bot(group.id, by=someone)
    stage.emu.add_bot(group.id, by=someone)
    await stage.settle()
    assert [t for t in contents(stage, stage.regie) if "Vrienden van de Markt" in t] == told
    assert len(stage.emu.bot_messages(stage.regie)) == 1


async def test_a_migrated_group_still_holds_what_it_held(stage: Stage) -> None:
    """After Goor Centrum moved to a new id, forwarding an incident it already had skips it,
    and a 112 report on that incident still reaches it (under the new id)."""
    await tag(stage, "goor-oost", "Busje met draaiende motor")
    old = make_basic_group(stage, "goor-centrum")
    new = stage.emu.migrate(old)
    await stage.settle()
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(stage.regie, stage.contacts[0], "/doorsturen goor", reply_to=copy.message_id)
    await stage.settle()
    assert alerts(stage, new, 1) == []
    assert "Goor Centrum" in contents(stage, stage.regie)[-1].split("Overgeslagen")[-1]
    stage.emu.press(stage.regie, copy.message_id, stage.contacts[0], data="112:1")
    await stage.settle()
    assert any(t.startswith("☎️ 112 is gebeld") for t in contents(stage, new))


async def test_photo_from_a_group_that_moved_goes_as_text_never_as_another_message(
    stage: Stage,
) -> None:
    """After Goor Oost moved to a new id, forwarding its photo incident sends the alert's
    text: the old message id would name a different (private) message in the new group."""
    source = stage.chats["goor-oost"]
    resident = stage.residents["goor-oost"]
    for n in range(3):
        stage.emu.post(source, resident, f"gewoon gepraat {n}")
    photo = stage.emu.post_photo(source, resident, caption="Verdachte man bij de schuur")
    stage.emu.post(source, stage.co_admins["goor-oost"], "/regie", reply_to=photo.message_id)
    await stage.settle()
    make_basic_group(stage, "goor-oost")
    moved = stage.emu.migrate(source)
    await stage.settle()
    for n in range(8):
        stage.emu.post(moved, resident, f"PRIVE: mijn telefoon is 06-1234567{n}")
    await stage.settle()
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(
        stage.regie, stage.contacts[0], "/doorsturen delden-centrum", reply_to=copy.message_id
    )
    await stage.settle()
    got = stage.emu.bot_messages(stage.chats["delden-centrum"])
    assert len(got) == 1
    assert "Verdachte man bij de schuur" in (got[0].content or "")
    assert "PRIVE" not in (got[0].content or "")


async def test_a_moved_group_still_reports_112_and_lists_its_incidents(stage: Stage) -> None:
    """In Goor Centrum after its move, '112 gebeld' (no reply) flags the incident it held and
    /meldingen lists it."""
    await tag(stage, "goor-oost", "Busje met draaiende motor")
    moved = stage.emu.migrate(make_basic_group(stage, "goor-centrum"))
    await stage.settle()
    stage.emu.post(moved, stage.co_admins["goor-centrum"], "/meldingen")
    await stage.settle()
    assert "#1" in contents(stage, moved)[-1]
    stage.emu.post(moved, stage.residents["goor-centrum"], "ik heb 112 gebeld")
    await stage.settle()
    assert "112 gebeld om" in (alerts(stage, stage.regie, 1)[0].content or "")

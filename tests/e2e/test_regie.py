"""The regiegroep's side: forwarding down, regie-originated alerts, /buren and /koppel."""

from __future__ import annotations

import time
from pathlib import Path

from relaybot.network_file import load_network
from relaybot.sandbox.emulator.records import Message, User
from relaybot.sandbox.stage import Stage, open_stage
from tests.e2e.conftest import EXAMPLE, alerts, contents, tag

NEIGHBOURS_OF_GOOR_OOST = {"goor-centrum", "goor-noord", "goor-zuid", "markelo-zuid"}
UNLINKED = {"stokkum", "markvelde"}  # no chat_id in the example file


def received(stage: Stage, number: int) -> set[str]:
    """The neighbourhoods whose chat shows an alert of incident #number (each checked once)."""
    found = set()
    for slug in stage.network.neighbourhoods:
        count = len(alerts(stage, stage.chats[slug], number))
        assert count <= 1, f"{slug} got #{number} {count} times"
        if count:
            found.add(slug)
    return found


def regie_alert(stage: Stage, number: int) -> Message:
    (alert,) = alerts(stage, stage.regie, number)
    return alert


async def forward(stage: Stage, reply_to: int, args: str = "", command: str = "/doorsturen"):
    """A contact person sends /doorsturen in the regie chat as a reply; returns the bot's line."""
    before = len(stage.emu.bot_messages(stage.regie))
    text = f"{command} {args}".strip()
    stage.emu.post(stage.regie, stage.contacts[1], text, reply_to=reply_to)
    await stage.settle()
    lines = contents(stage, stage.regie)[before:]
    assert len(lines) == 1, lines
    return lines[0]


# --- /doorsturen on a copy --------------------------------------------------------------


async def test_forward_without_targets_goes_to_the_source_neighbours_and_skips_holders(
    stage: Stage,
) -> None:
    """`/doorsturen` alone means the source's neighbours; those that already got the alert
    are skipped, and the regie line says so."""
    await tag(stage, "goor-oost")
    line = await forward(stage, regie_alert(stage, 1).message_id)
    assert received(stage, 1) == NEIGHBOURS_OF_GOOR_OOST
    assert "#1" in line and "naar geen nieuwe groep" in line
    assert "Overgeslagen (had hem al): Goor Centrum, Goor Noord" in line
    assert "Markelo Zuid" in line


async def test_forward_to_slugs_reaches_exactly_those_chats(stage: Stage) -> None:
    """`/doorsturen delden-centrum bentelo-dorp` adds exactly those two chats, once each."""
    await tag(stage, "goor-oost")
    line = await forward(stage, regie_alert(stage, 1).message_id, "delden-centrum, bentelo-dorp")
    assert received(stage, 1) == NEIGHBOURS_OF_GOOR_OOST | {"delden-centrum", "bentelo-dorp"}
    assert "Melding #1 is doorgestuurd naar Delden Centrum en Bentelo Dorp." in line
    alert = alerts(stage, stage.chats["delden-centrum"], 1)[0]
    assert "#1 · Goor Oost (Goor)" in (alert.content or "")
    assert alert.buttons == [[("☎️ Ik heb 112 gebeld", "112:1")]]


async def test_forward_to_a_kern_ignores_case_and_skips_holders(stage: Stage) -> None:
    """`/forward MARKELO`: the kern's neighbourhoods; Markelo Zuid (a neighbour of the
    source) is skipped, and Stokkum is not a neighbourhood of Markelo."""
    await tag(stage, "goor-oost")
    line = await forward(stage, regie_alert(stage, 1).message_id, "MARKELO", "/forward")
    assert received(stage, 1) == NEIGHBOURS_OF_GOOR_OOST | {"markelo-centrum", "markelo-noord"}
    assert "Markelo Centrum en Markelo Noord" in line
    assert "Overgeslagen (had hem al): Markelo Zuid." in line


async def test_forward_to_a_kern_with_a_two_word_name(stage: Stage) -> None:
    """`/doorsturen Ambt Delden` reaches the kern Ambt Delden."""
    await tag(stage, "bentelo-dorp")
    await forward(stage, regie_alert(stage, 1).message_id, "Ambt Delden")
    assert received(stage, 1) == {"bentelo-buiten", "ambt-delden"}


async def test_forward_to_alle_reaches_every_linked_neighbourhood_once(stage: Stage) -> None:
    """`alle`: every neighbourhood with a chat gets the alert exactly once; the source does
    not get it back; neighbourhoods without a chat are named in the regie line."""
    await tag(stage, "goor-oost")
    line = await forward(stage, regie_alert(stage, 1).message_id, "alle")
    assert received(stage, 1) == set(stage.network.neighbourhoods) - UNLINKED - {"goor-oost"}
    assert "Nog zonder groep: Stokkum, Markvelde." in line
    again = await forward(stage, regie_alert(stage, 1).message_id, "alle")
    assert "naar geen nieuwe groep" in again
    assert received(stage, 1) == set(stage.network.neighbourhoods) - UNLINKED - {"goor-oost"}


async def test_forward_works_as_a_reply_to_any_copy_in_the_regie_chat(stage: Stage) -> None:
    """A reply to the bot's own forward line (a copy of the incident) forwards it too."""
    await tag(stage, "goor-oost")
    await forward(stage, regie_alert(stage, 1).message_id, "delden-centrum")
    confirmation = stage.emu.bot_messages(stage.regie)[-1]
    await forward(stage, confirmation.message_id, "delden-noord")
    assert {"delden-centrum", "delden-noord"} <= received(stage, 1)


async def test_unknown_target_is_named_and_nothing_is_sent(stage: Stage) -> None:
    """One unknown word refuses the whole forward, naming the word; nobody new receives it."""
    await tag(stage, "goor-oost")
    line = await forward(stage, regie_alert(stage, 1).message_id, "delden-centrum Nergenshuizen")
    assert "Onbekend doel: Nergenshuizen" in line
    assert received(stage, 1) == NEIGHBOURS_OF_GOOR_OOST


async def test_forward_is_refused_outside_the_regie_chat(stage: Stage) -> None:
    """A co-admin replying /doorsturen to an alert in a neighbourhood chat gets one line and
    nothing is forwarded."""
    await tag(stage, "goor-oost")
    chat = stage.chats["goor-centrum"]
    alert = alerts(stage, chat, 1)[0]
    stage.emu.post(
        chat, stage.co_admins["goor-centrum"], "/doorsturen alle", reply_to=alert.message_id
    )
    await stage.settle()
    assert "alleen in de regiegroep" in contents(stage, chat)[-1]
    assert received(stage, 1) == NEIGHBOURS_OF_GOOR_OOST


async def test_forward_without_a_reply_gets_a_usage_line(stage: Stage) -> None:
    """`/doorsturen` that replies to nothing is answered with how to use it."""
    stage.emu.post(stage.regie, stage.contacts[0], "/doorsturen alle")
    await stage.settle()
    assert "als antwoord op een melding" in contents(stage, stage.regie)[-1]


async def test_forward_of_a_closed_incident_is_refused(stage: Stage) -> None:
    """A resolved incident is not forwarded; the answer says it is closed."""
    await tag(stage, "goor-oost")
    alert = regie_alert(stage, 1)
    stage.emu.post(stage.regie, stage.contacts[0], "/afgehandeld", reply_to=alert.message_id)
    await stage.settle()
    line = await forward(stage, alert.message_id, "alle")
    assert "#1 is al afgehandeld" in line
    assert received(stage, 1) == NEIGHBOURS_OF_GOOR_OOST


# --- regie-originated incidents ---------------------------------------------------------


async def test_regie_message_forwarded_becomes_an_incident_from_the_regiegroep(
    stage: Stage,
) -> None:
    """`/doorsturen goor` on a contact person's own message creates #1 with the regiegroep
    as its place and delivers it to Goor's neighbourhoods only."""
    news = stage.emu.post(
        stage.regie, stage.contacts[0], "Politie zoekt een grijze bestelbus, kenteken VX-123-B"
    )
    line = await forward(stage, news.message_id, "goor")
    goor = {slug for slug in stage.network.neighbourhoods if slug.startswith("goor-")}
    assert received(stage, 1) == goor
    alert = alerts(stage, stage.chats["goor-west"], 1)[0].content or ""
    assert "#1 · de regiegroep" in alert
    assert "grijze bestelbus" in alert
    assert stage.contacts[0].first_name not in alert
    assert alerts(stage, stage.regie, 1) == []  # the regie message itself is the original
    assert "Melding #1 is doorgestuurd naar Goor Centrum" in line


async def test_regie_incident_can_be_forwarded_further_and_flagged(stage: Stage) -> None:
    """A regie-originated incident behaves like any other: a later forward skips holders,
    and a 112 report in a neighbourhood reaches the regie chat."""
    news = stage.emu.post(stage.regie, stage.contacts[0], "Vermiste man, 82 jaar, blauwe jas")
    await forward(stage, news.message_id, "delden-centrum")
    line = await forward(stage, news.message_id, "delden")
    assert "Overgeslagen (had hem al): Delden Centrum." in line
    assert received(stage, 1) == {"delden-centrum", "delden-noord", "delden-zuid"}
    alert = alerts(stage, stage.chats["delden-zuid"], 1)[0]
    stage.emu.press(alert.chat_id, alert.message_id, stage.residents["delden-zuid"], data="112:1")
    await stage.settle()
    assert any("112 is gebeld" in text for text in contents(stage, stage.regie))


async def test_regie_message_without_targets_gets_a_usage_line(stage: Stage) -> None:
    """`/doorsturen` alone on a regie message that is no alert yet: a usage line, no incident."""
    news = stage.emu.post(stage.regie, stage.contacts[0], "Let op: inbraakgolf in de regio")
    line = await forward(stage, news.message_id)
    assert "nog geen melding" in line
    assert received(stage, 1) == set()


async def test_regie_message_with_an_unknown_target_creates_nothing(stage: Stage) -> None:
    """An unknown target on a new regie message is refused; a later good forward is #1."""
    news = stage.emu.post(stage.regie, stage.contacts[0], "Let op: inbraakgolf")
    assert "Onbekend doel: Enschede" in await forward(stage, news.message_id, "Enschede")
    await forward(stage, news.message_id, "bentelo")
    assert received(stage, 1) == {"bentelo-dorp", "bentelo-buiten"}


# --- /buren -----------------------------------------------------------------------------


async def test_buren_in_a_neighbourhood_chat_lists_its_neighbours(stage: Stage) -> None:
    """`/buren` in Markelo Centrum names its adjacent neighbourhoods with their kern, and
    marks the one without a group."""
    chat = stage.chats["markelo-centrum"]
    stage.emu.post(chat, stage.residents["markelo-centrum"], "/buren")
    await stage.settle()
    assert contents(stage, chat) == [
        "🏘️ Buren van Markelo Centrum (Markelo): Markelo Noord (Markelo), "
        "Markelo Zuid (Markelo), Stokkum (Stokkum) (nog geen groep)."
    ]


async def test_buren_in_the_regie_chat_takes_a_slug(stage: Stage) -> None:
    """In the regie chat `/neighbours <slug>` answers for that neighbourhood; without a slug
    or with an unknown one, one line says how to use it."""
    stage.emu.post(stage.regie, stage.contacts[0], "/neighbours bentelo-dorp")
    stage.emu.post(stage.regie, stage.contacts[0], "/buren")
    stage.emu.post(stage.regie, stage.contacts[0], "/buren nergens")
    await stage.settle()
    lines = contents(stage, stage.regie)
    assert lines[0] == "🏘️ Buren van Bentelo Dorp (Bentelo): Bentelo Buitengebied (Bentelo)."
    assert "/buren &lt;buurt&gt;" not in lines[1] and "/buren <buurt>" in lines[1]
    assert "geen buurt nergens" in lines[2]


# --- /koppel ----------------------------------------------------------------------------


def card_of(stage: Stage) -> Message:
    cards = [m for m in stage.emu.bot_messages(stage.regie) if "Koppelverzoek" in (m.content or "")]
    assert len(cards) == 1
    return cards[0]


async def ask_link(stage: Stage, chat_id: int, user: User, slug: str) -> str:
    """Someone sends /koppel in a group; returns the bot's answer there."""
    before = len(stage.emu.bot_messages(chat_id))
    stage.emu.post(chat_id, user, f"/koppel {slug}".strip())
    await stage.settle()
    lines = contents(stage, chat_id)[before:]
    assert len(lines) == 1, lines
    return lines[0]


async def test_link_approved_makes_the_group_a_neighbourhood_chat(stage: Stage) -> None:
    """A co-admin's /koppel posts a card in the regie chat; a contact person approves; the
    card shows who did, the group gets the house rules, and alerts now reach it."""
    chat = stage.chats["stokkum"]
    co_admin = stage.co_admins["stokkum"]
    answer = await ask_link(stage, chat, co_admin, "stokkum")
    assert "ligt nu bij de regiegroep" in answer
    card = card_of(stage)
    text = card.content or ""
    assert "Buurtpreventie Stokkum" in text and str(chat) in text
    assert "Stokkum (Stokkum)" in text and co_admin.full_name in text
    assert card.buttons == [[("✅ Koppelen", "koppel:ok:1"), ("❌ Afwijzen", "koppel:no:1")]]

    approver = stage.contacts[2]
    stage.emu.press(stage.regie, card.message_id, approver, data="koppel:ok:1")
    await stage.settle()
    card = card_of(stage)
    assert f"Gekoppeld door {approver.full_name}" in (card.content or "")
    assert card.buttons == []
    welcome = contents(stage, chat)[-1]
    assert "buurtpreventiegroep van Stokkum" in welcome and "SAAR" in welcome

    await tag(stage, "markelo-centrum")
    assert "stokkum" in received(stage, 1)
    await tag(stage, "stokkum", "Schuurtje opengebroken")
    assert "#2 · Stokkum (Stokkum)" in (regie_alert(stage, 2).content or "")


async def test_link_survives_a_restart(stage: Stage) -> None:
    """A link approved before a restart still holds after it."""
    chat = stage.chats["markvelde"]
    await ask_link(stage, chat, stage.co_admins["markvelde"], "markvelde")
    stage.emu.press(stage.regie, card_of(stage).message_id, stage.contacts[0], data="koppel:ok:1")
    await stage.settle()
    await stage.restart()
    await tag(stage, "hengevelde-buiten")
    assert "markvelde" in received(stage, 1)


async def test_link_declined_tells_the_group_and_links_nothing(stage: Stage) -> None:
    """Decline edits the card with who declined; the group hears it and stays outside."""
    chat = stage.chats["stokkum"]
    await ask_link(stage, chat, stage.co_admins["stokkum"], "stokkum")
    decider = stage.contacts[1]
    stage.emu.press(stage.regie, card_of(stage).message_id, decider, data="koppel:no:1")
    await stage.settle()
    card = card_of(stage)
    assert f"Afgewezen door {decider.full_name}" in (card.content or "")
    assert card.buttons == []
    assert "afgewezen" in contents(stage, chat)[-1]
    resident_post = stage.emu.post(chat, stage.residents["stokkum"], "Inbraak!")
    stage.emu.post(chat, stage.co_admins["stokkum"], "/regie", reply_to=resident_post.message_id)
    await stage.settle()
    assert "hoort niet bij het netwerk" in contents(stage, chat)[-1]
    assert alerts(stage, stage.regie, 1) == []


async def test_two_presses_at_once_the_first_decides(stage: Stage) -> None:
    """Two contact persons press at the same moment: the first decides, the second changes
    nothing and is told, privately, who decided."""
    await ask_link(stage, stage.chats["stokkum"], stage.co_admins["stokkum"], "stokkum")
    card = card_of(stage)
    stage.emu.press(stage.regie, card.message_id, stage.contacts[0], data="koppel:ok:1")
    late = stage.emu.press(stage.regie, card.message_id, stage.contacts[1], data="koppel:no:1")
    await stage.settle()
    assert f"Gekoppeld door {stage.contacts[0].full_name}" in (card_of(stage).content or "")
    answer = stage.emu.callback_answers[late]
    assert stage.contacts[0].full_name in str(answer)
    assert "buurtpreventiegroep van Stokkum" in contents(stage, stage.chats["stokkum"])[-1]


async def test_link_refusals_name_the_reason(stage: Stage) -> None:
    """Unknown slug, a neighbourhood with a chat in the file, a group already in the network,
    a member who is no administrator, and no slug: each one line, no card."""
    stokkum = stage.chats["stokkum"]
    co_admin = stage.co_admins["stokkum"]
    assert "geen buurt nergenshuizen" in await ask_link(stage, stokkum, co_admin, "nergenshuizen")
    assert "netwerkbestand" in await ask_link(stage, stokkum, co_admin, "goor-oost")
    assert "Gebruik /koppel" in await ask_link(stage, stokkum, co_admin, "")
    resident = stage.residents["stokkum"]
    assert "Alleen beheerders" in await ask_link(stage, stokkum, resident, "stokkum")
    member = await ask_link(
        stage, stage.chats["goor-oost"], stage.co_admins["goor-oost"], "stokkum"
    )
    assert "hoort al bij het netwerk" in member
    assert [
        m for m in stage.emu.bot_messages(stage.regie) if "Koppelverzoek" in (m.content or "")
    ] == []


async def test_link_to_a_neighbourhood_linked_elsewhere_is_refused(stage: Stage) -> None:
    """Once Stokkum is linked to one group, another group asking for Stokkum is refused."""
    await ask_link(stage, stage.chats["stokkum"], stage.co_admins["stokkum"], "stokkum")
    stage.emu.press(stage.regie, card_of(stage).message_id, stage.contacts[0], data="koppel:ok:1")
    await stage.settle()
    admin = stage.emu.add_user("Rik", "Vos")
    other = stage.emu.add_group(
        "Buurtapp Stokkum (nieuw)", -1003000000001, members=[admin], admins=[admin]
    )
    answer = await ask_link(stage, other.id, admin, "stokkum")
    assert "Stokkum is al gekoppeld aan een andere groep" in answer


async def _rename_source_and_restart(stage: Stage, tmp_path: Path) -> int:
    await tag(stage, "goor-oost")
    (alert,) = alerts(stage, stage.regie, 1)
    text = EXAMPLE.read_text().replace('"goor-oost"', '"goor-oost-nieuw"')
    path = tmp_path / "network.toml"
    path.write_text(text)
    stage.network = load_network(path)  # valid: `relaybot check` passes
    await stage.restart()
    return alert.message_id


async def test_forward_of_an_open_incident_after_its_slug_was_renamed(
    stage: Stage, tmp_path: Path
) -> None:
    """An operator renames (or removes) a neighbourhood's slug and restarts while an incident
    from it is open: `/doorsturen delden` still reaches Delden, at once."""
    copy = await _rename_source_and_restart(stage, tmp_path)
    stage.emu.post(stage.regie, stage.contacts[1], "/doorsturen delden", reply_to=copy)
    await stage.settle()
    assert len(alerts(stage, stage.chats["delden-centrum"], 1)) == 1


async def test_plain_forward_after_its_slug_was_renamed_gets_an_answer(
    stage: Stage, tmp_path: Path
) -> None:
    """`/doorsturen` alone on that incident gets its one line (the old slug has no
    neighbours any more)."""
    copy = await _rename_source_and_restart(stage, tmp_path)
    before = len(stage.emu.bot_messages(stage.regie))
    stage.emu.post(stage.regie, stage.contacts[1], "/doorsturen", reply_to=copy)
    await stage.settle()
    assert len(contents(stage, stage.regie)[before:]) == 1


async def test_forward_of_a_service_message_sends_no_empty_alert(stage: Stage) -> None:
    """`/doorsturen alle` replying to a regie message with nothing to relay (here: the
    'X joined' service message) is refused: no empty alert goes to any neighbourhood."""
    newcomer = stage.emu.add_user("Nina", "Nieuw")
    joined = stage.emu.join(stage.regie, newcomer)
    stage.emu.post(stage.regie, stage.contacts[1], "/doorsturen alle", reply_to=joined.message_id)
    await stage.settle()
    sent = alerts(stage, stage.chats["goor-west"], 1)
    assert sent == [], sent[0].content


async def test_doorsturen_buren_on_a_new_regie_message_is_refused_like_plain_doorsturen(
    stage: Stage,
) -> None:
    """Spec 6: targets 'nothing or buren' mean the same, so `/doorsturen buren` on a regie
    message that is not yet a copy gets the usage line, and no incident is created."""
    news = stage.emu.post(stage.regie, stage.contacts[0], "Let op: inbraakgolf in de regio")
    stage.emu.post(stage.regie, stage.contacts[1], "/doorsturen buren", reply_to=news.message_id)
    await stage.settle()
    line = contents(stage, stage.regie)[-1]
    assert "nog geen melding" in line, line


def _channel_post(stage: Stage, chat_id: int, text: str, message_id: int = 7) -> None:
    chat = {"id": chat_id, "type": "channel", "title": "Nieuwskanaal Stokkum"}
    stage.emu.queue_raw_update(
        {
            "channel_post": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat,
                "sender_chat": chat,
                "text": text,
                "entities": [
                    {"type": "bot_command", "offset": 0, "length": text.split()[0].__len__()}
                ],
            }
        }
    )


async def test_koppel_in_a_channel_is_refused_not_carded(stage: Stage) -> None:
    """Spec 5: /koppel is for a co-admin in a group. A channel post (no from_user, the
    channel as sender) is no co-admin's and puts no link card in the regie chat."""
    _channel_post(stage, -1009999999999, "/koppel stokkum")
    await stage.settle()
    cards = [m for m in stage.emu.bot_messages(stage.regie) if "Koppelverzoek" in (m.content or "")]
    assert cards == [], cards[0].content


async def test_forward_with_many_unknown_words_still_gets_its_one_line(stage: Stage) -> None:
    """Refusals are answered with one line, also when echoing 2,000 unknown target words
    would make it longer than Telegram's 4096 characters (the echo is cut)."""
    await tag(stage, "goor-oost")
    (alert,) = alerts(stage, stage.regie, 1)
    before = len(stage.emu.bot_messages(stage.regie))
    text = "/doorsturen " + " ".join(["x"] * 2000)
    assert len(text) <= 4096
    stage.emu.post(stage.regie, stage.contacts[1], text, reply_to=alert.message_id)
    await stage.settle()
    lines = [m.content or "" for m in stage.emu.bot_messages(stage.regie)][before:]
    assert len(lines) == 1 and "Onbekend doel" in lines[0]


async def test_buren_with_a_long_word_still_gets_its_one_line(stage: Stage) -> None:
    text = "/buren " + "x" * 4080
    stage.emu.post(stage.regie, stage.contacts[1], text)
    await stage.settle()
    lines = [m.content or "" for m in stage.emu.bot_messages(stage.regie)]
    assert len(lines) == 1 and "geen buurt" in lines[0]


async def test_buren_in_the_regie_chat_of_a_network_without_neighbourhoods(tmp_path: Path) -> None:
    """A network file with only [network] and [regie] is valid; /buren in its regie chat
    still gets its one line."""
    path = tmp_path / "network.toml"
    path.write_text('[network]\nname = "Nieuw"\n[regie]\nchat_id = -1001000000001\n')
    stage = await open_stage(path, tmp_path / "db.sqlite3")
    try:
        stage.emu.post(stage.regie, stage.contacts[0], "/buren")
        await stage.settle()
        assert len(stage.emu.bot_messages(stage.regie)) == 1
    finally:
        await stage.close()


async def test_photo_deleted_by_its_author_still_relays_as_text(stage: Stage) -> None:
    """The resident deleted the photo before a forward: the alert still arrives, as text."""
    source = stage.chats["goor-oost"]
    photo = stage.emu.post_photo(
        source, stage.residents["goor-oost"], caption="Fiets zonder eigenaar"
    )
    stage.emu.post(source, stage.co_admins["goor-oost"], "/regie", reply_to=photo.message_id)
    await stage.settle()
    stage.emu.message(source, photo.message_id).deleted = True
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(
        stage.regie, stage.contacts[0], "/doorsturen delden-centrum", reply_to=copy.message_id
    )
    await stage.settle()
    got = alerts(stage, stage.chats["delden-centrum"], 1)
    assert len(got) == 1 and "Fiets zonder eigenaar" in (got[0].content or "")
    stage.emu.press(stage.regie, copy.message_id, stage.contacts[0], data="112:1")
    await stage.settle()
    assert "112 gebeld om" in (alerts(stage, stage.chats["delden-centrum"], 1)[0].content or "")

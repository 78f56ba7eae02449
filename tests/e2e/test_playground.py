"""The playground's HTTP side, without a browser: the page and its files, the state the page
draws, acting as a person through the emulator, and clear 4xx answers to bad requests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from relaybot.sandbox.playground.run import playground
from relaybot.sandbox.playground.server import Playground
from relaybot.sandbox.stage import Stage
from tests.e2e.conftest import EXAMPLE, ROOT


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[tuple[Stage, httpx.AsyncClient]]:
    started: tuple[Playground, str]
    async with (
        playground(EXAMPLE, tmp_path / "playground.sqlite3", port=0) as started,
        httpx.AsyncClient(base_url=started[1], timeout=10) as client,
    ):
        yield started[0].stage, client


async def act(client: httpx.AsyncClient, **request: Any) -> httpx.Response:
    return await client.post("/api/act", json=request)


def chat_of(state: dict[str, Any], chat_id: int) -> dict[str, Any]:
    return next(c for c in state["chats"] if c["id"] == chat_id)


async def test_the_page_and_its_files_load_from_the_playground_itself(
    site: tuple[Stage, httpx.AsyncClient],
) -> None:
    """The page is Dutch by default, loads its script and style from the playground and
    forbids loading anything from elsewhere."""
    _, client = site
    page = await client.get("/")
    assert page.status_code == 200 and '<html lang="nl">' in page.text
    assert "relaybot speeltuin" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http" not in page.text.replace("http-equiv", "")  # no address elsewhere
    for name, kind in (("app.js", "javascript"), ("app.css", "css")):
        served = await client.get(f"/static/{name}")
        assert served.status_code == 200 and kind in served.headers["content-type"]


async def test_the_state_lists_every_chat_with_who_is_what(
    site: tuple[Stage, httpx.AsyncClient],
) -> None:
    """The regiegroep, the coordinators and every neighbourhood, in the network's order,
    each with its members and their role; asked again with its version, only the version."""
    stage, client = site
    state = (await client.get("/api/state")).json()
    kinds = [c["kind"] for c in state["chats"]]
    assert kinds[:2] == ["regie", "coordinators"]
    assert kinds[2:] == list(stage.network.neighbourhoods)
    oost = chat_of(state, stage.chats["goor-oost"])
    roles = {m["name"]: m["role"] for m in oost["members"]}
    assert roles == {
        stage.co_admins["goor-oost"].full_name: "co-admin",
        stage.residents["goor-oost"].full_name: "bewoner",
    }
    again = (await client.get("/api/state", params={"since": state["version"]})).json()
    assert again == {"version": state["version"]}


async def test_a_post_and_a_reply_on_the_page_reach_the_bot_as_from_telegram(
    site: tuple[Stage, httpx.AsyncClient],
) -> None:
    """A resident's sighting and the co-admin's /regie reply, sent through the page, make
    the bot relay the alert: it shows in the regiegroep's state, with its 112 button."""
    stage, client = site
    oost = stage.chats["goor-oost"]
    posted = await act(
        client, action="post", chat=oost, person=stage.residents["goor-oost"].id,
        text="Iemand loert bij de schuren",
    )  # fmt: skip
    assert posted.status_code == 200
    tagged = await act(
        client, action="post", chat=oost, person=stage.co_admins["goor-oost"].id,
        text="/regie", reply_to=posted.json()["message"],
    )  # fmt: skip
    assert tagged.status_code == 200
    await stage.settle()
    regie = chat_of((await client.get("/api/state")).json(), stage.regie)
    alert = next(m for m in regie["messages"] if m["text"].startswith("🚨"))
    assert "Iemand loert bij de schuren" in alert["text"]
    assert alert["buttons"][0][0]["text"] == "☎️ Ik heb 112 gebeld"


BAD = {
    "not JSON": ("{post", 400, "geen geldige JSON"),
    "not an object": ("[1, 2]", 400, "geen geldige JSON"),
    "no action": ("{}", 400, "Onbekende handeling"),
    "unknown action": ('{"action": "fly"}', 400, "Onbekende handeling: fly"),
    "no person": ('{"action": "post", "chat": 1}', 400, "ontbreekt een gegeven: person"),
    "person as text": ('{"action": "post", "person": "anna"}', 400, "Ongeldig gegeven: person"),
    "unknown person": ('{"action": "post", "person": 7, "chat": 1}', 404, "Onbekende persoon: 7"),
}  # fmt: skip


@pytest.mark.parametrize("body,status,said", BAD.values(), ids=list(BAD))
async def test_a_malformed_request_gets_a_clear_answer(
    site: tuple[Stage, httpx.AsyncClient], body: str, status: int, said: str
) -> None:
    """A request the page would never send is answered with a 4xx and one Dutch sentence
    saying what is wrong; no traceback, nothing reaches the emulator."""
    stage, client = site
    before = len(stage.emu.world.updates.items)
    answer = await client.post("/api/act", content=body)
    assert answer.status_code == status
    assert said in answer.json()["error"]
    assert "Traceback" not in answer.text
    assert len(stage.emu.world.updates.items) == before


async def test_acting_where_the_person_cannot_gets_a_clear_answer(
    site: tuple[Stage, httpx.AsyncClient],
) -> None:
    """Posting in a group one is not in, in someone else's private chat, an empty or too
    long text, a reply to or a press on a message that does not exist, a keyboard button
    not shown: each is refused in words, and nothing reaches the bot."""
    stage, client = site
    resident = stage.residents["goor-oost"]
    noord, oost = stage.chats["goor-noord"], stage.chats["goor-oost"]
    other = stage.residents["goor-noord"]
    before = len(stage.emu.world.updates.items)
    cases = [
        ({"chat": noord, "text": "hoi"}, 409, f"{resident.full_name} is geen lid"),
        ({"chat": other.id, "text": "hoi"}, 404, "Onbekende chat"),
        ({"chat": oost, "text": "  "}, 400, "ontbreekt een gegeven: text"),
        ({"chat": oost, "text": "x" * 4097}, 400, "hoogstens 4096"),
        ({"chat": oost, "text": "hoi", "reply_to": 999}, 404, "Onbekend bericht: 999"),
    ]
    for request, status, said in cases:
        answer = await act(client, action="post", person=resident.id, **request)
        assert (answer.status_code, said in answer.json()["error"]) == (status, True), request
    pressed = await act(
        client, action="press", person=resident.id, chat=oost, message=999, data="112:1"
    )
    assert pressed.status_code == 404 and "Onbekend bericht" in pressed.json()["error"]
    tapped = await act(client, action="tap", person=resident.id, label="Aanmelden")
    assert tapped.status_code == 409 and "Dat kan niet" in tapped.json()["error"]
    assert len(stage.emu.world.updates.items) == before


async def test_an_unknown_address_or_method_answers_json_not_a_traceback(
    site: tuple[Stage, httpx.AsyncClient],
) -> None:
    """An address the playground does not have is a 404, a wrong method a 405, both as one
    JSON line."""
    _, client = site
    missing = await client.get("/wp-admin")
    assert missing.status_code == 404 and missing.json() == {"error": "Deze pagina bestaat niet."}
    assert (await client.get("/static/evil.js")).status_code == 404
    wrong = await client.get("/api/act")
    assert wrong.status_code == 405 and "error" in wrong.json()


async def test_the_page_speaks_english_when_asked(tmp_path: Path) -> None:
    """With language "en" the page and its answers are in English."""
    async with (
        playground(EXAMPLE, tmp_path / "db.sqlite3", language="en", port=0) as (_, url),
        httpx.AsyncClient(base_url=url) as client,
    ):
        assert '<html lang="en">' in (await client.get("/")).text
        answer = await client.post("/api/act", content="{post")
        assert answer.json() == {"error": "The request is not valid JSON."}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_command_prints_the_address_and_ctrl_c_stops_it_all(tmp_path: Path) -> None:
    """`relaybot playground --port N` prints the page's address, serves it, and stops
    cleanly on Ctrl-C (SIGINT), leaving no process behind."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RELAYBOT_DATABASE": str(tmp_path / "x.db")}
    process = subprocess.Popen(
        [sys.executable, "-m", "relaybot", "playground", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.strip() == f"relaybot playground: http://127.0.0.1:{port}/"
        page = httpx.get(f"http://127.0.0.1:{port}/api/state", timeout=10)
        assert json.loads(page.text)["chats"]
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert "Traceback" not in (process.stderr.read() if process.stderr else "")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_command_refuses_a_taken_port_in_one_line(tmp_path: Path) -> None:
    """A port already in use is said in one line, with a non-zero status."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "RELAYBOT_DATABASE": str(tmp_path / "x")}
        done = subprocess.run(
            [sys.executable, "-m", "relaybot", "playground", "--port", str(port)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert done.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


async def test_more_actions_make_a_person_share_a_contact_and_open_a_group(
    site: tuple[Stage, httpx.AsyncClient],
) -> None:
    """A new person is made with a phone number and can share it with the bot; someone makes
    a new group with the bot in it, and it shows in the page's chats."""
    stage, client = site
    made = await act(
        client, action="new_person", first_name="Jorien", last_name="Brinkhuis",
        phone_number="+31 6 1234 0001",
    )  # fmt: skip
    assert made.status_code == 200
    person = made.json()["person"]
    assert stage.emu.world.users[person].phone_number == "+31612340001"
    shared = await act(client, action="share_contact", person=person)
    assert shared.status_code == 200
    card = stage.emu.world.chats[person].messages[shared.json()["message"]].contact
    assert card is not None and card["phone_number"] == "31612340001"
    oost, resident = stage.chats["goor-oost"], stage.residents["goor-oost"].id
    pin = await act(
        client, action="location", person=resident, chat=oost, latitude="52.2338",
        longitude=6.5869,
    )  # fmt: skip
    assert pin.status_code == 200
    group = await act(client, action="add_bot", person=person, title="Buurtapp Zeedijk")
    assert group.status_code == 200
    state = (await client.get("/api/state")).json()
    assert chat_of(state, group.json()["chat"])["title"] == "Buurtapp Zeedijk"
    shown = chat_of(state, oost)["messages"]
    assert [m["text"] for m in shown if m["id"] == pin.json()["message"]] == [
        "📍 52.23380, 6.58690"
    ]


async def test_more_actions_refuse_bad_input_in_words(
    site: tuple[Stage, httpx.AsyncClient],
) -> None:
    """A phone number that is none, sharing a contact without a number, an invite link that
    does not exist, a new group without a name, a place off the map: each a 4xx saying
    why."""
    stage, client = site
    resident, oost = stage.residents["goor-oost"].id, stage.chats["goor-oost"]
    cases = [
        ({"action": "new_person", "first_name": "X", "phone_number": "bel me"}, 400, "phone"),
        ({"action": "new_person", "phone_number": "+31612340001"}, 400, "first_name"),
        ({"action": "share_contact", "person": resident}, 409, "geen telefoonnummer"),
        ({"action": "join", "person": resident, "link": "https://t.me/+nope"}, 404, "bestaat niet"),
        ({"action": "add_bot", "person": resident, "title": ""}, 400, "title"),
        ({"action": "location", "person": resident, "chat": oost, "latitude": 91}, 400, "latitude"),
        ({"action": "location", "person": resident, "chat": oost, "latitude": "nan"}, 400, "lat"),
        (
            {"action": "location", "person": resident, "chat": oost, "latitude": 52},
            400,
            "longitude",
        ),
    ]
    for request, status, said in cases:
        answer = await client.post("/api/act", json=request)
        assert (answer.status_code, said in answer.json()["error"]) == (status, True), request


async def test_a_scene_plays_step_by_step_and_bad_scene_requests_are_refused(
    site: tuple[Stage, httpx.AsyncClient],
) -> None:
    """The false alarm, one step a request: after the last, the alert is gone from the
    regiegroep and the state says 3 of 3; an unknown scene or a second scene while one plays
    gets a 4xx in words."""
    stage, client = site
    for _ in range(3):
        assert (await client.post("/api/scene", json={"scene": "false_alarm"})).status_code == 200
    state = (await client.get("/api/state")).json()
    scene = next(s for s in state["scenes"] if s["key"] == "false_alarm")
    assert (scene["done"], len(scene["steps"])) == (3, 3)
    assert not [m for m in stage.emu.bot_messages(stage.regie) if "rondjes" in (m.content or "")]
    unknown = await client.post("/api/scene", json={"scene": "vuurwerk"})
    assert unknown.status_code == 400 and "Onbekende scène: vuurwerk" in unknown.json()["error"]
    assert (await client.post("/api/scene", content="nee")).status_code == 400
    assert (await client.post("/api/scene", json={"scene": "evening", "all": True})).is_success
    busy = await client.post("/api/scene", json={"scene": "flood"})
    assert busy.status_code == 409 and "speelt al een scène" in busy.json()["error"]


async def test_on_another_network_only_the_scenes_it_has_places_for(tmp_path: Path) -> None:
    """On an operator's own network without the example's neighbourhoods, the page offers no
    scene that would fail; the chats are that network's."""
    network = tmp_path / "network.toml"
    network.write_text(
        '[network]\nname = "Proefdorp"\ntimezone = "Europe/Amsterdam"\n'
        "[regie]\nchat_id = -1001000000901\n"
        '[[neighbourhood]]\nslug = "noord"\nname = "Noord"\nkern = "Proefdorp"\n'
        "chat_id = -1001000000902\n",
        encoding="utf-8",
    )
    async with (
        playground(network, tmp_path / "db.sqlite3", port=0) as (_, url),
        httpx.AsyncClient(base_url=url) as client,
    ):
        state = (await client.get("/api/state")).json()
        assert state["scenes"] == []
        assert [c["title"] for c in state["chats"]] == [
            "Regiegroep Proefdorp",
            "Buurtpreventie Noord",
        ]

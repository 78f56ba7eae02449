"""From nothing to a running network with docs/operating.md alone: discover, edit, check, run."""

from __future__ import annotations

import asyncio
import signal
import stat
from collections.abc import Callable
from pathlib import Path

from relaybot.network_file import parse_network
from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.emulator.records import User
from relaybot.sandbox.town import NOORD, OOST, REGIE, ZUID, build_town
from tests.e2e.conftest import ROOT, relaybot, run_env, start_run


async def read_until(process: asyncio.subprocess.Process, needle: str, seen: list[str]) -> str:
    """Read the process's output line by line until one contains needle (30 s guard)."""
    assert process.stdout is not None
    while True:
        raw = await asyncio.wait_for(process.stdout.readline(), 30)
        assert raw, f"output ended before {needle!r}: {seen}"
        line = raw.decode().rstrip("\n")
        seen.append(line)
        if needle in line:
            return line


def town(emu: Emulator) -> tuple[User, User]:
    """Proefdorp, the town `relaybot emulator --town` holds (see relaybot/sandbox/town.py)."""
    people = build_town(emu)
    return people["anna"], people["bram"]


async def test_discover_prints_groups_as_they_speak_and_writes_a_skeleton_on_ctrl_c(
    tmp_path: Path,
) -> None:
    """With only the token, `relaybot discover` prints each group the moment someone posts
    there or adds the bot (title, chat id, admin or not, the rights it lacks), and on SIGINT
    writes a network file skeleton, readable by the operator alone: the regiegroep found by
    its title (the only one that says so), every other group a neighbourhood with its chat id
    and its name without "Buurtpreventie", valid once the kernen are written."""
    emu = Emulator()
    await emu.start()
    anna, bram = town(emu)
    output = tmp_path / "config" / "network.toml"
    process, lines, err = await discovered(
        emu,
        tmp_path,
        [
            lambda: emu.post(REGIE, anna, "Goedenavond allemaal").chat_id,
            lambda: emu.post(NOORD, anna, "Is de bot er al?").chat_id,
            lambda: emu.post(ZUID, bram, "Test").chat_id,
            lambda: emu.add_bot("Buurtpreventie Proefdorp West", by=anna).id,
        ],
    )
    shown = {int(line.split()[0]): line for line in lines if line.startswith("-")}
    assert "admin, all rights" in shown[REGIE] and "lacks: pin" in shown[NOORD]
    assert "NOT admin" in shown[ZUID]
    (west,) = set(shown) - {REGIE, NOORD, ZUID}
    assert "Proefdorp West" in shown[west]
    assert process.returncode == 0, err
    assert any(line.startswith("wrote") for line in lines) and emu.token not in err + "".join(lines)
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    text = output.read_text(encoding="utf-8").replace('kern = "TODO"', 'kern = "Proefdorp"')
    network = parse_network(text, str(output))
    assert network.regie_chat_id == REGIE
    chats = {slug: hood.chat_id for slug, hood in network.neighbourhoods.items()}
    assert chats == {"proefdorp-noord": NOORD, "proefdorp-zuid": ZUID, "proefdorp-west": west}
    assert OOST not in chats.values()  # nobody spoke there while discover listened
    assert network.neighbourhoods["proefdorp-noord"].name == "Proefdorp Noord"


async def discovered(
    emu: Emulator, tmp_path: Path, happenings: list[Callable[[], int]]
) -> tuple[asyncio.subprocess.Process, list[str], str]:
    """`relaybot discover` with only the token, writing tmp_path/config/network.toml: each
    happening in turn (a post, the bot added to a group; it returns the chat's id), waiting
    for discover's line about that chat; then Ctrl-C, and the emulator stops. The process,
    every line it printed, and its stderr."""
    output = tmp_path / "config" / "network.toml"
    env = run_env(tmp_path / "unused.sqlite3", RELAYBOT_TOKEN=emu.token)
    env["RELAYBOT_API_BASE_URL"] = emu.base_url
    del env["RELAYBOT_NETWORK_FILE"]  # discover needs no network file
    process = await relaybot("discover", "--output", str(output), env=env, cwd=tmp_path)
    seen: list[str] = []
    try:
        await read_until(process, "listening", seen)
        for happen in happenings:
            await read_until(process, str(happen()), seen)
        process.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await emu.stop()
    return process, seen + out.decode().splitlines(), err.decode()


async def test_discover_never_guesses_the_regiegroep_nor_lets_a_title_write_the_file(
    tmp_path: Path,
) -> None:
    """A stranger's group titled "Regiegroep ..." speaks first, then the real regiegroep: run
    from a script (nobody to ask), discover writes neither as [regie] but a TODO naming both,
    which `relaybot check` refuses (the regiegroep receives every sign-up card). A title with
    line breaks and a terminal escape prints as one clean line and adds no line to the
    file."""
    emu = Emulator()
    await emu.start()
    anna = emu.add_user("Anna", "Veldkamp")
    stranger = emu.add_user("Sven", "Vreemd")
    elders = emu.add_group("Regiegroep Buurtpreventie Elders", -1001000000981, members=[stranger])
    ours = emu.add_group("Regiegroep Proefdorp", -1001000000982, members=[anna])
    sneaky = emu.add_group(
        "Buurtpreventie Noord\n[regie]\nchat_id = -1001000000981\n\x1b[2J",
        -1001000000983,
        members=[stranger],
    )
    output = tmp_path / "config" / "network.toml"
    process, lines, err = await discovered(
        emu,
        tmp_path,
        [
            lambda: emu.post(elders.id, stranger, "Hallo").chat_id,
            lambda: emu.post(ours.id, anna, "Goedenavond").chat_id,
            lambda: emu.post(sneaky.id, stranger, "Hoi").chat_id,
        ],
    )
    assert process.returncode == 0, err
    shown = next(line for line in lines if str(sneaky.id) in line)
    assert "Buurtpreventie Noord [regie] chat_id = -1001000000981 [2J" in shown
    assert "\x1b" not in "".join(lines)
    text = output.read_text(encoding="utf-8")
    assert "# TODO: several group titles say 'regie'" in text
    assert f"#   {elders.id}  {elders.title}" in text and f"#   {ours.id}  {ours.title}" in text
    assert [line for line in text.splitlines() if line.startswith("[regie]")] == ["[regie]"]
    assert "\nchat_id = 0\n" in text
    env = run_env(tmp_path / "unused.sqlite3", network=output)
    check = await relaybot("check", "--offline", env=env, cwd=tmp_path)
    _out, check_err = await asyncio.wait_for(check.communicate(), 60)
    assert check.returncode == 2
    assert "[regie].chat_id" in check_err.decode()


async def test_discover_prints_the_skeleton_when_it_cannot_write_the_file(
    tmp_path: Path,
) -> None:
    """--output in a folder that cannot be made (a file is in the way): after listening,
    one line says why and the skeleton comes on standard output, status 1: what discover
    found is not lost (it ended in a traceback)."""
    emu = Emulator()
    await emu.start()
    anna, _bram = town(emu)
    (tmp_path / "config").write_text("not a folder", encoding="utf-8")
    output = tmp_path / "config" / "network.toml"
    process, lines, err = await discovered(
        emu, tmp_path, [lambda: emu.post(REGIE, anna, "Hallo").chat_id]
    )
    assert process.returncode == 1, err
    assert err.strip().splitlines()[-1].startswith(f"relaybot: cannot write {output}")
    assert "[regie]" in lines and f"chat_id = {REGIE}  # Regiegroep Proefdorp" in lines
    assert "Traceback" not in err


async def test_discover_refuses_a_symbolic_link_as_output(tmp_path: Path) -> None:
    """--output naming a symbolic link (even one pointing nowhere yet) is refused in one
    line before listening, --force or not: the file would be written wherever it points."""
    link = tmp_path / "network.toml"
    target = tmp_path / "elsewhere" / "network.toml"
    link.symlink_to(target)
    env = run_env(tmp_path / "db.sqlite3", RELAYBOT_TOKEN="123456:TEST")
    for force in ([], ["--force"]):
        process = await relaybot("discover", "--output", str(link), *force, env=env, cwd=tmp_path)
        _out, err = await asyncio.wait_for(process.communicate(), 30)
        assert process.returncode == 2
        lines = err.decode().strip().splitlines()
        assert len(lines) == 1 and "symbolic link" in lines[0]
    assert not target.exists() and not target.parent.exists()


async def test_discover_refuses_to_overwrite_a_network_file(tmp_path: Path) -> None:
    """An existing --output is never replaced by surprise: one line, non-zero, file kept."""
    existing = tmp_path / "network.toml"
    existing.write_text("# mine\n", encoding="utf-8")
    env = run_env(tmp_path / "db.sqlite3", RELAYBOT_TOKEN="123456:TEST")
    process = await relaybot("discover", "--output", str(existing), env=env, cwd=tmp_path)
    _out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode != 0
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "--force" in lines[0]
    assert existing.read_text(encoding="utf-8") == "# mine\n"


async def test_operating_guide_walk_through_discover_edit_check_run(tmp_path: Path) -> None:
    """The walk-through of docs/operating.md, command by command, each its own process as an
    operator types it: `relaybot emulator --town`, then `relaybot discover` (Ctrl-C writes the
    file), the operator fills in kern and neighbours, `relaybot check` validates it and shows
    per chat what the bot lacks, `relaybot run` starts and tells the regiegroep once what
    people must fix; `relaybot health` says "running" (0), and "stopped" (3) after a clean stop."""
    emulator = await relaybot(
        "emulator", "--town", "--port", "0", env=run_env(tmp_path / "x"), cwd=tmp_path
    )
    run = None
    seen: list[str] = []
    try:
        first = await read_until(emulator, "base_url=", seen)
        base_url, token = (part.split("=", 1)[1] for part in first.split())
        config = tmp_path / "config" / "network.toml"
        env = run_env(tmp_path / "data" / "relaybot.sqlite3", network=config)
        env.update(RELAYBOT_TOKEN=token, RELAYBOT_API_BASE_URL=base_url)

        discover = await relaybot("discover", env=env, cwd=tmp_path)
        found: list[str] = []
        for chat in (REGIE, NOORD, ZUID, OOST):
            await read_until(discover, str(chat), found)
        discover.send_signal(signal.SIGINT)
        await asyncio.wait_for(discover.communicate(), 30)
        assert discover.returncode == 0

        # the operator edits: the network's name, the kern, and who borders whom
        text = config.read_text(encoding="utf-8")
        text = text.replace('name = "Mijn netwerk"', 'name = "Proefdorp"')
        text = text.replace('kern = "TODO"', 'kern = "Proefdorp"')
        text = text.replace(
            f"chat_id = {NOORD}\nadjacent = []",
            f'chat_id = {NOORD}\nadjacent = ["proefdorp-zuid", "proefdorp-oost"]',
        )
        assert '"proefdorp-zuid"' in text
        config.write_text(text, encoding="utf-8")

        check = await relaybot("check", env=env, cwd=tmp_path)
        out, err = await asyncio.wait_for(check.communicate(), 60)
        assert check.returncode == 0, err.decode()
        report = out.decode()
        assert "valid" in report and "@relaybot_test_bot" in report
        assert f"proefdorp-noord ({NOORD}): " in report and "vastzetten" in report
        assert f"proefdorp-zuid ({ZUID}): " in report and "geen beheerder" in report
        assert f"  proefdorp-oost ({OOST}): ok" in report

        run = await start_run(env, cwd=tmp_path)
        await read_until(emulator, "[Regiegroep Proefdorp] relaybot says", seen)
        start = len(seen) - 1
        await read_until(emulator, "Proefdorp Zuid", seen)
        warning = "\n".join(seen[start:])
        assert "Proefdorp Noord" in warning and "vastzetten" in warning
        assert "geen beheerder" in warning

        # `relaybot health` tells the truth about the process: running now, stopped after
        health = await relaybot("health", env=env, cwd=tmp_path)
        out, _err = await asyncio.wait_for(health.communicate(), 30)
        assert health.returncode == 0 and out.decode().startswith("ok: running")
        run.send_signal(signal.SIGTERM)
        await asyncio.wait_for(run.communicate(), 30)
        health = await relaybot("health", env=env, cwd=tmp_path)
        _out, err = await asyncio.wait_for(health.communicate(), 30)
        assert health.returncode == 3 and err.decode().startswith("stopped")
    finally:
        if run is not None and run.returncode is None:
            run.send_signal(signal.SIGTERM)
            await asyncio.wait_for(run.communicate(), 30)
        emulator.send_signal(signal.SIGINT)
        await asyncio.wait_for(emulator.communicate(), 30)
    assert run is not None and run.returncode == 0


async def test_discover_says_why_it_hears_nothing_while_a_webhook_is_set(tmp_path: Path) -> None:
    """While Telegram refuses getUpdates (a webhook set, or `relaybot run` still polling),
    discover says so in one line instead of listening in silence, and Ctrl-C still writes the
    file."""
    emu = Emulator()
    await emu.start()
    emu.api.chat_methods.webhook_url = "https://bot.example.nl/hook"
    output = tmp_path / "network.toml"
    env = run_env(tmp_path / "db.sqlite3", RELAYBOT_TOKEN=emu.token)
    env["RELAYBOT_API_BASE_URL"] = emu.base_url
    process = await relaybot("discover", "--output", str(output), env=env, cwd=tmp_path)
    seen: list[str] = []
    try:
        line = await read_until(process, "another process is reading them", seen)
        assert line.startswith("warning: ") and "webhook" in line
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await emu.stop()
    assert process.returncode == 0 and output.exists()


async def test_a_rejected_token_is_one_line_for_discover_and_check(tmp_path: Path) -> None:
    """A token Telegram does not accept: `discover` and `check` each answer one line saying
    so, exit non-zero, and never print the token."""
    emu = Emulator()
    await emu.start()
    wrong = "654321:WRONG"
    env = run_env(tmp_path / "db.sqlite3", RELAYBOT_TOKEN=wrong)
    env["RELAYBOT_API_BASE_URL"] = emu.base_url
    try:
        for command in (["discover", "--output", str(tmp_path / "n.toml")], ["check"]):
            process = await relaybot(*command, env=env, cwd=ROOT)
            out, err = await asyncio.wait_for(process.communicate(), 60)
            assert process.returncode == 2, command
            lines = err.decode().strip().splitlines()
            assert lines == [
                "relaybot: RELAYBOT_TOKEN: Telegram rejected the token (check it with BotFather)"
            ], command
            assert wrong not in (out + err).decode()
    finally:
        await emu.stop()

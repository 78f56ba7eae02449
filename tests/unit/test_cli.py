"""The `relaybot` command line: check, demo, health."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from relaybot.cli import COMMANDS, main, parser
from relaybot.storage import chats
from relaybot.storage.db import Database
from relaybot.storage.heartbeat import beat, heartbeat_path, mark_failed, mark_stopped

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "network.example.toml"
# a safety net, not a measurement: the demo takes seconds; a demo that fails and leaves
# something running (a database thread, the emulator) must not hold up the test run
DEMO_TIMEOUT = 180


def run_demo_command(*args: str, script: str | None = None) -> subprocess.CompletedProcess[str]:
    """`relaybot demo` in a process of its own, killed (and the test failed) if it outlives
    DEMO_TIMEOUT: whatever a failing demo leaves behind dies with that process. `script`
    runs instead of `python -m relaybot demo` (to break something first)."""
    command = ["-c", script] if script else ["-m", "relaybot", "demo", *args]
    try:
        return subprocess.run(
            [sys.executable, *command],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=DEMO_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"`relaybot demo` did not end within {DEMO_TIMEOUT} s: {exc.stderr!r}")


BROKEN = {
    "unknown adjacent slug": (
        'adjacent = ["goor-oost", "goor-west"]',
        'adjacent = ["goor-nergens"]',
        "goor-nergens",
    ),
    "duplicate chat id": ("chat_id = -1001000000102", "chat_id = -1001000000101", "-1001000000101"),
    "malformed slug": ('slug = "goor-west"', 'slug = "Goor West"', "Goor West"),
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No RELAYBOT_ setting from the developer's shell; a database of the test's own; and
    `relaybot run` leaves the log set-up alone (it would point structlog at this test's
    captured stderr, closed once the test ends)."""
    for name in list(os.environ):
        if name.startswith("RELAYBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RELAYBOT_DATABASE", str(tmp_path / "data" / "relaybot.sqlite3"))
    monkeypatch.setattr("relaybot.logs.configure", lambda *_args, **_kwargs: None)


def test_check_accepts_the_example_and_prints_a_summary(capsys: pytest.CaptureFixture) -> None:
    """`relaybot check --network` on the shipped example exits 0 and lists kernen and chats."""
    assert main(["check", "--network", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Goor" in out and "Markelo" in out and "Bentelo" in out
    assert "goor-oost" in out and "/koppel" in out and "valid" in out


@pytest.mark.parametrize("case", list(BROKEN))
def test_check_refuses_a_broken_file_naming_the_entry(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """Each broken rule gives a non-zero exit and a message naming the file and the entry."""
    old, new, named = BROKEN[case]
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "network.toml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["check", "--network", str(broken)]) != 0
    err = capsys.readouterr().err
    assert str(broken) in err and named in err


def test_check_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A network file that does not exist is named in the error, exit non-zero."""
    assert main(["check", "--network", str(tmp_path / "nope.toml")]) != 0
    assert "nope.toml" in capsys.readouterr().err


def test_demo_plays_the_evening_as_it_unfolds() -> None:
    """`relaybot demo` runs the real bot against the emulator on a scripted clock from 21:40,
    events minutes apart, and shows each message as it first appeared (the alert with its
    112 button) and then each edit (112 called at the scripted minute, resolved), in every
    chat that got something: the tag, the 112 report, the prevented duplicate, a forward down,
    a regie-originated alert and the resolve with its outcome notice. A demo that fails ends
    (run in its own process, with a timeout)."""
    done = run_demo_command()
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "21:40  1. " in out and "21:42  2. " in out and "22:20  8. " in out
    first = out.index("☎️ 112: nog niet gebeld  [☎️ Ik heb 112 gebeld]")
    flagged = out.index("☎️ 112 gebeld om 21:47 door")
    resolved = out.index("✅ Afgehandeld: politie heeft twee personen aangehouden")
    assert first < flagged < resolved
    assert out.index("✏️ bewerkt") < resolved
    assert resolved < out.index("✅ #1 afgehandeld: politie heeft twee personen aangehouden")
    assert "── Regiegroep Hof van Twente ──" in out and "Melding #1" in out
    assert "112 is al gebeld om 21:47" in out
    assert "Dubbele 112-meldingen voorkomen: 1" in out
    assert "doorgestuurd naar Markelo Centrum en Markelo Noord" in out
    assert "Melding #2 · de regiegroep" in out
    received = out[out.index("Groepen die iets van de bot kregen (11):") :]
    for title in ("Regiegroep", "Goor Oost", "Markelo Noord", "Delden Zuid", "Goor Noord"):
        assert title in received
    counts = received.splitlines()[1:12]
    assert all(re.search(r": (1 bericht|\d+ berichten)$", line) for line in counts), counts
    assert "één draagt een rode jas" in out


BROKEN_PATTERNS_DEMO = """
import sys
import relaybot.telegram.app as app
from relaybot.cli import main
from relaybot.domain.patterns import PatternsError

def broken(path=None):
    raise PatternsError("config/patterns.toml", "made unreadable by the test")

app.load_patterns = broken
sys.exit(main(["demo"]))
"""


def test_a_demo_whose_patterns_fail_to_load_ends_with_the_error() -> None:
    """When pattern loading fails as the bot is built (the database is open, the emulator is
    serving), the demo stops both and the process ends with the error, instead of living on."""
    done = run_demo_command(script=BROKEN_PATTERNS_DEMO)
    assert done.returncode != 0
    assert "config/patterns.toml: made unreadable by the test" in done.stderr


BROKEN_MODERATION_DEMO = """
import sys
import relaybot.telegram.app as app
from relaybot.cli import main

class Broken:
    @staticmethod
    def create(*args, **kwargs):
        raise OSError("config/blocklist.txt: made unreadable by the test")

app.UseCases = Broken
sys.exit(main(["demo"]))
"""


def test_a_demo_whose_moderation_files_fail_to_load_ends_with_the_error() -> None:
    """The use cases read the operator's moderation files after the database is open; when
    that fails, the demo's process still ends, with the error."""
    done = run_demo_command(script=BROKEN_MODERATION_DEMO)
    assert done.returncode != 0
    assert "OSError: config/blocklist.txt: made unreadable by the test" in done.stderr


def test_health_fails_without_a_heartbeat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """`relaybot health` exits non-zero when the bot never wrote its heartbeat, 0 when fresh."""
    monkeypatch.setenv("RELAYBOT_DATABASE", str(tmp_path / "db.sqlite3"))
    assert main(["health"]) != 0
    (tmp_path / "heartbeat").touch()
    assert main(["health"]) == 0


def test_packaged_example_matches_the_config_folder() -> None:
    """The copy shipped inside the package (for the demo outside a checkout) is the example."""
    packaged = ROOT / "relaybot" / "data" / "network.example.toml"
    assert packaged.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")


def test_demo_in_english_narrates_and_the_bot_speaks_english() -> None:
    """`relaybot demo --language en`: English narration, the bot's own texts and the
    transcript's own words ("edited") in English."""
    done = run_demo_command("--language", "en")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "An evening in Hof van Twente" in out and "Alert #1" in out
    assert "112 was already called" in out and "Duplicate 112 calls prevented: 1" in out
    assert "✏️ edited" in out
    assert "Melding #" not in out and "De avond" not in out and "bewerkt" not in out


def test_demo_follows_relaybot_language_and_stops_quietly_when_piped_to_head(
    tmp_path: Path,
) -> None:
    """Without --language the demo speaks RELAYBOT_LANGUAGE; read through `| head -3` (a pipe
    that closes after three lines), it ends without a traceback and with exit code 0."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAYBOT_")}
    env["RELAYBOT_LANGUAGE"] = "en"
    pipeline = f"set -o pipefail; {shlex.quote(sys.executable)} -m relaybot demo | head -3"
    try:
        done = subprocess.run(
            ["bash", "-c", pipeline],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=DEMO_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"`relaybot demo | head -3` did not end within {DEMO_TIMEOUT} s: {exc}")
    assert done.stdout.splitlines()[0].startswith("relaybot demo — the real bot")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("command", [["check"], ["run"]])
def test_without_a_network_file_one_line_says_how_to_start(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    """`run` and `check` in a fresh checkout (no config/network.toml) answer one line that
    names the file and both ways to start: copy the example, or `relaybot discover`."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RELAYBOT_TOKEN", "123456:TEST")
    assert main(command) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert "config/network.toml" in lines[0] and "RELAYBOT_NETWORK_FILE" in lines[0]
    assert "cp config/network.example.toml" in lines[0] and "relaybot discover" in lines[0]


def test_check_validates_the_settings_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """A bad setting fails `check` even when the network file is given on the command line."""
    monkeypatch.setenv("RELAYBOT_LANGUAGE", "fr")
    assert main(["check", "--network", str(EXAMPLE)]) == 2
    err = capsys.readouterr().err
    assert "RELAYBOT_LANGUAGE" in err and len(err.strip().splitlines()) == 1


async def test_check_shows_links_made_with_koppel(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """A neighbourhood linked at run time (/koppel, stored in the database) shows as linked."""
    database = await Database(tmp_path / "data" / "relaybot.sqlite3").open()
    async with database.transaction() as conn:
        await chats.link(conn, "stokkum", -1009999000001, "Buurtpreventie Stokkum", "x", 0.0)
    await database.close()
    assert main(["check", "--network", str(EXAMPLE), "--offline"]) == 0
    out = capsys.readouterr().out
    stokkum = out[out.index("stokkum: Stokkum") :].splitlines()[1]
    assert "-1009999000001" in stokkum


def test_version(capsys: pytest.CaptureFixture) -> None:
    """`relaybot --version` prints the installed version."""
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("relaybot 0.")


def test_emulator_takes_the_seconds_a_button_answer_is_taken(
    capsys: pytest.CaptureFixture,
) -> None:
    """`relaybot emulator --callback-answer-s 2` sets how late a button's answer may come
    (Telegram's 15 s when not given); a value that is no number is refused by name."""
    assert parser().parse_args(["emulator", "--callback-answer-s", "2"]).callback_answer_s == 2
    assert parser().parse_args(["emulator"]).callback_answer_s is None
    with pytest.raises(SystemExit) as done:
        parser().parse_args(["emulator", "--callback-answer-s", "soon"])
    assert done.value.code == 2 and "--callback-answer-s" in capsys.readouterr().err


def test_every_subcommand_has_a_summary_and_a_description() -> None:
    """`relaybot --help` lists only commands that exist, each with a summary; each
    subcommand's own --help has a description."""
    top = parser()
    sub = next(a for a in top._actions if a.dest == "command")  # argparse has no public way
    assert set(sub.choices) == set(COMMANDS)  # each listed command exists, and vice versa
    assert {"run", "check", "discover", "demo", "emulator", "health"} <= set(COMMANDS)
    for name, command in sub.choices.items():
        assert command.description, name
    assert all(choice.help for choice in sub._choices_actions)


def _health(capsys: pytest.CaptureFixture) -> tuple[int, str]:
    code = main(["health"])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).strip()


def test_health_says_the_state_with_an_exit_code_each(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """Never started: 4; a fresh heartbeat of this process: 0 "ok"; a stale one: 1 "stuck";
    after a clean stop: 3 "stopped" (even seconds later); a process that died: 5."""
    path = heartbeat_path(tmp_path / "data" / "relaybot.sqlite3")
    path.parent.mkdir(parents=True)
    assert _health(capsys)[0] == 4
    beat(path)
    code, line = _health(capsys)
    assert code == 0 and line.startswith("ok")
    beat(path, now=time.time() - 600)
    code, line = _health(capsys)
    assert code == 1 and line.startswith("stuck")
    mark_stopped(path)
    code, line = _health(capsys)
    assert code == 3 and line.startswith("stopped")
    ended = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pathlib, sys; from relaybot.storage.heartbeat import beat; "
            "beat(pathlib.Path(sys.argv[1]))",
            str(path),
        ],
        check=True,
    )
    assert ended.returncode == 0
    code, line = _health(capsys)
    assert code == 5 and "without a clean stop" in line


def test_health_says_which_update_keeps_failing_or_was_set_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """An update failing for more than a beat: 1 "stuck", naming it; one set aside: 6, naming
    it, for an hour (Docker's health check would otherwise restart the container for ever
    over one old update); a brief retry is no news."""
    path = heartbeat_path(tmp_path / "data" / "relaybot.sqlite3")
    path.parent.mkdir(parents=True)
    now = time.time()
    failing = {"update_id": 41, "kind": "callback_query", "error": "NetworkError"}
    beat(path, notes={"retrying": {**failing, "since": now - 5}})
    assert _health(capsys)[0] == 0
    beat(path, notes={"retrying": {**failing, "since": now - 95}})
    code, line = _health(capsys)
    assert code == 1 and line.startswith("stuck") and "41 (callback_query)" in line
    aside = {"update_id": 41, "kind": "callback_query", "error": "BadRequest", "count": 2}
    beat(path, notes={"set_aside": {**aside, "at": now - 60}})
    code, line = _health(capsys)
    assert code == 6 and "2 update(s) set aside" in line and "41 (callback_query)" in line
    beat(path, notes={"set_aside": {**aside, "at": now - 3700}})  # news for an hour only
    code, line = _health(capsys)
    assert code == 0 and line.startswith("ok")
    beat(
        path,
        notes={
            "set_aside": {**aside, "at": now - 3700},
            "retrying": {**failing, "since": now - 95},
        },
    )
    assert _health(capsys)[0] == 1  # a stuck update is news however old the set-aside one
    beat(path)
    assert _health(capsys)[0] == 0


def test_the_heartbeat_is_private_and_says_why_the_bot_stopped_by_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """The heartbeat is written 0600 (it names the host and process, beside the database),
    also over an older 0644 one; a bot that stopped on a failure of its own (its database
    removed) leaves the reason, and `health` says it with status 5. The folder gone with the
    database is made again for that."""
    path = heartbeat_path(tmp_path / "data" / "relaybot.sqlite3")
    path.parent.mkdir(parents=True)
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o644)
    beat(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    shutil.rmtree(path.parent)
    reason = "database data/relaybot.sqlite3 was removed while the bot was running"
    mark_failed(path, reason)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _health(capsys) == (5, f"not running: {reason}")


def test_database_folder_that_cannot_be_made_is_one_line_naming_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """`relaybot run` with RELAYBOT_DATABASE under a file (no folder can be made there) ends
    with one line naming RELAYBOT_DATABASE, not a traceback."""
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("RELAYBOT_DATABASE", str(blocker / "relaybot.sqlite3"))
    monkeypatch.setenv("RELAYBOT_TOKEN", "123456:TEST")
    monkeypatch.setenv("RELAYBOT_NETWORK_FILE", str(EXAMPLE))

    async def telegram_says_yes(_settings: object) -> str:  # no Telegram in a unit test
        return "proef_bot"

    monkeypatch.setattr("relaybot.telegram.preflight.check_token", telegram_says_yes)
    assert main(["run"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "RELAYBOT_DATABASE" in lines[0] and str(blocker) in lines[0]


async def test_permission_problem_names_the_user_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database folder the bot may not write (a Docker volume owned by root) is named with
    RELAYBOT_DATABASE and the user id the bot runs as, and how to fix it."""
    from relaybot.storage.db import StorageError

    def denied(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path / "data"))

    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(StorageError) as error:
        await Database(tmp_path / "data" / "relaybot.sqlite3").open()
    message = str(error.value)
    assert "RELAYBOT_DATABASE" in message and f"user id {os.getuid()}" in message
    assert f"chown -R {os.getuid()}" in message and "\n" not in message


def test_discover_without_a_token_names_the_variable(capsys: pytest.CaptureFixture) -> None:
    """`relaybot discover` needs only the token; without it, one line naming RELAYBOT_TOKEN."""
    assert main(["discover", "--output", "-"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "RELAYBOT_TOKEN" in lines[0]


def test_demo_with_a_bad_relaybot_language_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """The demo follows RELAYBOT_LANGUAGE; a value it cannot speak is one line naming it."""
    monkeypatch.setenv("RELAYBOT_LANGUAGE", "fr")
    assert main(["demo"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "RELAYBOT_LANGUAGE" in lines[0]


def test_check_says_when_telegram_cannot_be_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """With a token but no Telegram to reach, `check` still validates the file, then says in
    one line that Telegram could not be asked and how to skip it; exit 1."""
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("RELAYBOT_TOKEN", "123456:TEST")
    monkeypatch.setenv("RELAYBOT_API_BASE_URL", f"http://127.0.0.1:{port}/bot")
    assert main(["check", "--network", str(EXAMPLE)]) == 1
    out = capsys.readouterr().out
    assert "valid" in out
    assert out.strip().splitlines()[-1].startswith("Telegram: could not be asked")
    assert "--offline" in out.strip().splitlines()[-1]


@pytest.mark.parametrize("before", ["stopped", "failed"])
def test_run_refuses_a_new_database_where_the_bot_ran_with_one(
    tmp_path: Path, capsys: pytest.CaptureFixture, before: str
) -> None:
    """The database gone but a heartbeat beside its place (the bot ran there; the file was
    deleted while it stopped, or removed under it): `relaybot run` makes no new, empty
    database (incidents from #1 again) but exits 78, which the systemd unit lists so that it
    does not restart in a loop, with one line naming the file and the two ways on; `health`
    says the same. Before, the restart made an empty database and health said ok."""
    database = tmp_path / "data" / "relaybot.sqlite3"
    path = heartbeat_path(database)
    path.parent.mkdir(parents=True)
    if before == "stopped":
        mark_stopped(path)
    else:
        mark_failed(path, f"database {database} was removed while the bot was running")
    assert main(["run"]) == 78
    line = capsys.readouterr().err.strip()
    assert line.startswith(f"relaybot: database {database} is missing") and "\n" not in line
    assert "restore a backup" in line and f"delete {path}" in line
    assert not database.exists()
    code, said = _health(capsys)
    assert code == 5 and f"database {database} is missing" in said
    unit = (ROOT / "deploy" / "relaybot.service").read_text(encoding="utf-8")
    assert "RestartPreventExitStatus=78" in unit

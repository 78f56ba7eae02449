"""The `relaybot` command: run, check, discover, demo, playground, emulator, health, backup,
report, digest.

Each subcommand is a `cmd_<name>` function, registered in `parser()` (its arguments and help)
and in `COMMANDS`; add a new one the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sqlite3
import sys
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from relaybot.domain.network import Network
from relaybot.geo.errors import MapError
from relaybot.network_file import NetworkError, load_network
from relaybot.settings import Settings, SettingsError, load_settings
from relaybot.storage.db import StorageError, open_error, readonly_uri

EXAMPLE_FILE = Path("config/network.example.toml")


def _fail(message: str) -> int:
    print(f"relaybot: {message}", file=sys.stderr)
    return 2


def version() -> str:
    try:
        return metadata.version("relaybot")
    except metadata.PackageNotFoundError:  # run from a checkout without installing
        return "unknown"


def _network_path(settings: Settings, given: str | None) -> Path:
    """The network file to use; a missing one is one line saying how to start."""
    path = Path(given) if given is not None else Path(settings.network_file)
    if not path.exists():
        source = "--network" if given is not None else "RELAYBOT_NETWORK_FILE"
        raise NetworkError(
            str(path),
            [
                f"no network file here (set by {source}): start from the example with "
                f"`cp {EXAMPLE_FILE} {path}`, or find your groups with `relaybot discover "
                f"--output {path}`"
            ],
        )
    return path


# `relaybot run` refuses to make a new database where one was lost; systemd's unit lists
# this status in RestartPreventExitStatus= so that it does not restart the bot in a loop
NO_DATABASE = 78  # EX_CONFIG


def cmd_run(_args: argparse.Namespace) -> int:
    from relaybot.database_commands import migrate
    from relaybot.logs import configure
    from relaybot.settings import require_token
    from relaybot.storage.heartbeat import heartbeat_path, mark_failed, missing_database
    from relaybot.telegram.app import DatabaseLost, run
    from relaybot.telegram.preflight import check_token

    settings = load_settings()
    missing = None if settings.database_url else missing_database(Path(settings.database))
    if missing is not None:
        mark_failed(heartbeat_path(settings.database), missing)  # `health` keeps saying why
        print(f"relaybot: {missing}", file=sys.stderr)
        return NO_DATABASE
    secrets = [s.get_secret_value() for s in (settings.token, settings.webhook_secret) if s]
    configure(settings.log_format, settings.log_level, secrets=secrets)
    require_token(settings)
    load_network(_network_path(settings, None))
    if settings.database_url is not None:  # unreachable or refused: one line, before Telegram
        migrate(settings)
    # ask the Bot API first: a rejected token or an unreachable URL is one line, no token
    asyncio.run(check_token(settings))
    try:
        run(settings)
    except DatabaseLost as error:  # status 1: restarted, the start then refuses (NO_DATABASE)
        print(f"relaybot: {error}", file=sys.stderr)
        return 1
    return 0


def _linked(database: Path) -> dict[str, int]:
    """Neighbourhoods linked with /koppel, read from the database without changing it."""
    if not database.exists():
        return {}
    try:
        with contextlib.closing(sqlite3.connect(readonly_uri(database), uri=True)) as conn:
            return dict(conn.execute("SELECT slug, chat_id FROM chat_links").fetchall())
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):  # a database from before /koppel existed
            return {}
        raise StorageError(open_error(database, error)) from error


def cmd_check(args: argparse.Namespace) -> int:
    from relaybot.summary import describe_network

    settings = load_settings()
    path = _network_path(settings, args.network)
    network = load_network(path)
    linked = _linked(Path(settings.database))
    print(describe_network(network, linked))
    if network.map_file is not None:
        _check_map(network, path)
    print(f"\n{path}: valid")
    if settings.token is None:
        print("Telegram: not asked (RELAYBOT_TOKEN is not set)")
        return 0
    if args.offline:
        print("Telegram: not asked (--offline)")
        return 0
    from relaybot.telegram.preflight import check_telegram

    lines, code = asyncio.run(check_telegram(settings, network, linked))
    print("\n".join(lines))
    return code


def _check_map(network: Network, path: Path) -> None:
    """The areas against the map: an unknown code fails the check, a border only warns."""
    from relaybot.geo.areamap import AreaMap
    from relaybot.geo.check import check_map

    assert network.map_file is not None
    result = check_map(network, AreaMap.read(network.map_file))
    if result.problems:
        raise NetworkError(str(path), result.problems)
    print(f"\n{result.summary}")
    for warning in result.warnings:
        print(f"warning: {warning}")


def cmd_discover(args: argparse.Namespace) -> int:
    from relaybot.settings import require_token
    from relaybot.skeleton import choose_regie, skeleton
    from relaybot.telegram.discover import discover, write_skeleton

    settings = load_settings()
    token = require_token(settings)
    to_stdout = args.output == "-"  # the skeleton on stdout, the progress on stderr
    output = Path(args.output)
    if not to_stdout and output.is_symlink():
        return _fail(f"{output} is a symbolic link: discover writes a plain file only")
    if not to_stdout and output.exists() and not args.force:
        return _fail(f"{output} exists: choose another --output, or add --force to replace it")
    progress = sys.stderr if to_stdout else sys.stdout
    groups = asyncio.run(discover(token, settings.api_base_url, progress))

    def say(line: str) -> None:
        print(line, file=progress, flush=True)

    def ask(prompt: str) -> str:
        print(prompt, end="", file=progress, flush=True)
        answer = sys.stdin.readline()
        if not answer:
            raise EOFError
        return answer

    regie = choose_regie(groups, ask if sys.stdin.isatty() else None, say)
    text = skeleton(groups, args.name, regie)
    if to_stdout:
        print(text, end="")
        return 0
    return write_skeleton(text, len(groups), output, progress, force=args.force)


def cmd_map(args: argparse.Namespace) -> int:
    if args.map_command == "import":
        return _map_import(args)
    import time

    from relaybot.domain.texts import Texts
    from relaybot.geo.coverage import STATES
    from relaybot.reports import make_report
    from relaybot.reports.coverage import to_page

    settings = load_settings()
    network = load_network(_network_path(settings, args.network))
    if network.map_file is None:
        return _fail(
            f"{network.source_path} names no map ([map] file): make one with "
            "`relaybot map import FILE`"
        )
    since, until = _period(args.period, settings.language)
    report = None
    if Path(settings.database).is_file():  # else no history yet: linked groups are active
        try:
            report = make_report(
                network, settings.database, since=since, until=until, language=settings.language
            )
        except ValueError as error:
            raise ReportError(str(error)) from None
    texts = Texts(settings.language)
    section = _coverage(
        network, report, settings, public=args.public, incidents=args.period is not None
    )
    made = time.strftime("%Y-%m-%d %H:%M", time.localtime())
    page = to_page(network, section, texts, made)
    try:
        Path(args.output).write_text(page, encoding="utf-8")
    except OSError as error:
        raise ReportError(f"cannot write {args.output}: {error.strerror or error}") from None
    counts = {state: sum(r["state"] == state for r in section["rows"]) for state in STATES}
    print(
        f"map written to {args.output}: {len(section['rows'])} buurten, {counts['active']} "
        f"with an active group, {counts['quiet']} quiet, {counts['none']} without a group"
        + (" (public: coverage only)" if args.public else "")
    )
    return 0


def _period(value: str | None, language: str) -> tuple[date | None, date | None]:
    """'2026-01-01..2026-06-30' (either side may be left out) -> (since, until)."""
    if value is None:
        return None, None
    since, dots, until = value.partition("..")
    if not dots:
        since, until = value, ""
    return (
        _date(since or None, "--period", language),
        _date(until or None, "--period", language),
    )


def _coverage(
    network: Network, report: Any, settings: Settings, *, public: bool, incidents: bool
) -> dict[str, Any]:
    from relaybot.domain.texts import Texts
    from relaybot.geo.areamap import AreaMap
    from relaybot.reports.coverage import from_report, map_section

    assert network.map_file is not None
    inactive, raised = from_report(report)
    return map_section(
        network,
        AreaMap.read(network.map_file),
        _linked(Path(settings.database)),
        Texts("en" if settings.language == "en" else "nl"),
        inactive,
        raised if incidents else None,
        public=public,
    )


def _map_import(args: argparse.Namespace) -> int:
    import shutil

    from relaybot.files import private_file
    from relaybot.geo.importing import import_map, map_text, skeleton

    source = Path(args.file)
    output = Path(args.output)
    map_path = output.parent / MAP_NAME
    same = map_path.exists() and map_path.resolve() == source.resolve()
    for target in (output, map_path):
        if target.is_symlink():
            return _fail(f"{target} is a symbolic link: map import writes a plain file only")
        if target.exists() and not args.force and not (target == map_path and same):
            return _fail(f"{target} exists: choose another --output, or add --force to replace it")
    if args.min_border < 0:
        return _fail(f"--min-border must be 0 or more metres (got {args.min_border:g})")
    found = import_map(source, args.municipality, args.min_border, args.code_field, args.name_field)
    try:
        if found.features is not None:  # one municipality's buurten
            with private_file(map_path, replace=args.force or same) as temporary:
                temporary.write_text(map_text(found), encoding="utf-8")
        elif not same:
            with private_file(map_path, replace=args.force) as temporary:
                shutil.copyfile(source, temporary)
        with private_file(output, replace=args.force) as temporary:
            temporary.write_text(skeleton(found, MAP_NAME, args.min_border), encoding="utf-8")
    except OSError as error:
        return _fail(f"cannot write {error.filename or output}: {error.strerror or error}")
    kernen = found.kernen
    named = ", ".join(kernen[:6]) + (", ..." if len(kernen) > 6 else "")
    print(
        f"{len(found.buurten)} buurten, {len(found.borders)} borders of at least "
        f"{args.min_border:g} m, {len(kernen)} kernen ({named})"
    )
    print(
        f"wrote {output} and {map_path}: fill in the regiegroep, merge buurten where one group "
        "covers several, then run `relaybot check`"
    )
    return 0


MAP_NAME = "buurten.geojson"


def cmd_demo(args: argparse.Namespace) -> int:
    from relaybot.sandbox.demo import run_demo

    language = args.language or load_settings().language
    return asyncio.run(run_demo(language=language))


def cmd_playground(args: argparse.Namespace) -> int:
    from relaybot.sandbox.demo import example_network
    from relaybot.sandbox.playground.run import serve_playground

    language = args.language or load_settings().language
    network = Path(args.network) if args.network else example_network()
    load_network(network)  # a bad file is told in one line before anything starts
    database = Path(args.database) if args.database else None
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve_playground(network, database, language, args.port))
    except OSError as error:
        return _fail(f"playground: cannot listen on 127.0.0.1:{args.port}: {error.strerror}")
    return 0


def cmd_emulator(args: argparse.Namespace) -> int:
    from relaybot.sandbox.standalone import serve_forever

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            serve_forever(
                port=args.port,
                host=args.host,
                town=args.town,
                round_trip=args.round_trip,
                callback_answer_s=args.callback_answer_s,
            )
        )
    return 0


def cmd_health(_args: argparse.Namespace) -> int:
    from relaybot.storage.heartbeat import OK, heartbeat_path, read_health

    settings = load_settings()
    health = read_health(heartbeat_path(settings.database))
    print(health.line, file=sys.stdout if health.code == OK else sys.stderr)
    return health.code


def cmd_backup(args: argparse.Namespace) -> int:
    from relaybot.storage.backup import backup

    settings = load_settings()
    url = settings.database_url.get_secret_value() if settings.database_url else ""
    if url.startswith(("postgresql:", "postgres:")):
        return _fail(
            "the database is PostgreSQL (RELAYBOT_DATABASE_URL): back it up with its own tool, "
            f'pg_dump --format=custom --file={args.file} "$RELAYBOT_DATABASE_URL"'
        )
    made = backup(Path(settings.database), Path(args.file), force=args.force)
    print(f"backup of {settings.database} written to {made.path} ({made.size:,} bytes, mode 0600)")
    return 0


def cmd_migrate(_args: argparse.Namespace) -> int:
    from relaybot.database_commands import migrate

    print(migrate(load_settings()))
    return 0


def cmd_copy_database(args: argparse.Namespace) -> int:
    from relaybot.database_commands import copy

    print(copy(args.source, args.target))
    return 0


def _date(value: str | None, option: str, language: str) -> date | None:
    from relaybot.domain.texts import Texts

    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ReportError(
            Texts("en" if language == "en" else "nl").plain(
                "report_bad_date", option=option, value=repr(value)
            )
        ) from None


class ReportError(Exception):
    """A report cannot be made as asked (a bad date, an unwritable output file)."""


def cmd_report(args: argparse.Namespace) -> int:
    from relaybot.database_commands import readable_file
    from relaybot.reports import make_report, render

    settings = load_settings()
    network = load_network(_network_path(settings, None))
    since = _date(args.since, "--since", settings.language)
    until = _date(args.until, "--until", settings.language)
    try:
        with readable_file(settings) as database:  # PostgreSQL: a snapshot in a file
            report = make_report(
                network, database, since=since, until=until, language=settings.language
            )
    except ValueError as error:
        raise ReportError(str(error)) from None
    coverage = None
    if args.format == "html" and network.map_file is not None:
        coverage = _coverage(network, report, settings, public=False, incidents=True)
    text = render(report, args.format, settings.language, coverage=coverage)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise ReportError(f"cannot write {args.output}: {error.strerror or error}") from None
    print(f"{args.format} report written to {args.output}", file=sys.stderr)
    return 0


def cmd_digest(_args: argparse.Namespace) -> int:
    from relaybot.domain.texts import Texts
    from relaybot.service.context import Context
    from relaybot.service.reports import Reports
    from relaybot.storage import engine

    settings = load_settings()
    network = load_network(_network_path(settings, None))
    texts = Texts(settings.language)
    if network.coordinators_chat_id is None:
        return _fail(texts.plain("digest_no_coordinators"))
    where = engine.target(settings.database, settings.database_url)
    if isinstance(where, Path) and not where.is_file():
        return _fail(
            f"no database at {settings.database} (has the bot run yet? see RELAYBOT_DATABASE)"
        )

    async def queue() -> bool:
        # beside a running bot: a row in its outbox, which its worker sends within a second
        db = await engine.database(where).open()
        try:
            ctx = Context(db, network, texts=texts)
            await ctx.reload_directory()
            return await Reports(ctx).digest()
        finally:
            await db.close()

    if not asyncio.run(queue()):
        return _fail("the digest could not be made (see the log)")
    print(texts.plain("digest_posted"))
    return 0


def _bot_username(settings: Settings, given: str | None) -> str:
    """The bot's username for the sign-up link: --bot, else asked of Telegram (getMe)."""
    if given:
        return given.strip().removeprefix("@")
    if settings.token is None:
        raise ReportError(
            "the flyer's sign-up link needs the bot's username: give --bot NAME (as in "
            "https://t.me/NAME), or set RELAYBOT_TOKEN to ask Telegram"
        )
    from relaybot.telegram.preflight import check_token

    return asyncio.run(check_token(settings))


def cmd_flyer(args: argparse.Namespace) -> int:
    from relaybot.domain.texts import Texts
    from relaybot.flyer import flyer, print_pdf

    settings = load_settings()
    network = load_network(_network_path(settings, args.network))
    known = list(network.neighbourhoods)
    if args.all == (args.slug is not None):
        return _fail("give one neighbourhood's slug, or --all (for one flyer each)")
    if args.slug is not None and args.slug not in network.neighbourhoods:
        return _fail(
            f"no neighbourhood {args.slug!r} in the network file; known: {', '.join(known)}"
        )
    bot = _bot_username(settings, args.bot)
    texts = Texts(settings.language)
    if args.all:
        folder = Path(args.output or ".")
        targets = [(slug, folder / f"flyer-{slug}.html") for slug in known]
    else:
        targets = [(args.slug, Path(args.output or f"flyer-{args.slug}.html"))]
    for slug, path in targets:
        made = flyer(network, slug, bot, texts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(made.html, encoding="utf-8")
        except OSError as error:
            raise ReportError(f"cannot write {path}: {error.strerror or error}") from None
        pdf = path.with_suffix(".pdf")
        printed = not args.no_pdf and print_pdf(path, pdf)
        print(f"flyer for {slug} written to {path}" + (f" and {pdf}" if printed else ""))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="relaybot",
        description="A Telegram bot that bridges buurtpreventie chats. Settings come from "
        "RELAYBOT_* environment variables or a .env file (see docs/operating.md).",
    )
    top.add_argument("--version", action="version", version=f"relaybot {version()}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=summary, description=description)

    command(
        "run",
        "run the bot (long polling, or webhook when configured)",
        "Run the bot until SIGINT or SIGTERM: long polling, or a webhook when "
        "RELAYBOT_WEBHOOK_URL is set. Needs RELAYBOT_TOKEN and the network file.",
    )
    check = command(
        "check",
        "validate settings and the network file; ask Telegram what the bot may do",
        "Validate the settings and the network file and print a summary (kernen, "
        "neighbourhoods, neighbours, chats linked in the file or with /koppel). With "
        "RELAYBOT_TOKEN set, also ask Telegram whether the bot is in every chat with the "
        "rights it uses. Exit 0 when the settings and the file are valid.",
    )
    check.add_argument("--network", help="network file (default: RELAYBOT_NETWORK_FILE)")
    check.add_argument("--offline", action="store_true", help="do not ask Telegram")
    discover = command(
        "discover",
        "list the groups the bot is in, with their chat ids; write a network file skeleton",
        "With only RELAYBOT_TOKEN set, print every group the bot is in or is added to (title, "
        "chat id, admin or not, rights it lacks) as people post there. Ctrl-C writes a "
        "network file skeleton with those groups to --output (mode 0600; on standard output "
        "when it cannot be written). When several group titles say 'regie', or none does, it "
        "asks which group is the regiegroep (from a script: a TODO in the file).",
    )
    discover.add_argument(
        "--output",
        default="config/network.toml",
        help="where to write the skeleton ('-': standard output)",
    )
    discover.add_argument("--name", default="Mijn netwerk", help="the network's name")
    discover.add_argument("--force", action="store_true", help="replace an existing --output")
    demo = command(
        "demo",
        "play a scripted evening against the built-in emulator",
        "Run the real bot against the built-in Telegram emulator on the example network and "
        "print what every chat saw during a scripted evening. Needs no token and no internet.",
    )
    demo.add_argument(
        "--language", choices=["nl", "en"], help="default: RELAYBOT_LANGUAGE, else nl"
    )
    playground = command(
        "playground",
        "try the bot by hand in a browser: every chat, acting as anyone",
        "Start the built-in emulator, the real bot against it and a web page on loopback "
        "showing every chat of the network; on the page you act as any resident, co-admin or "
        "contact person. Prints the page's address (opens no browser); Ctrl-C stops it all. "
        "Needs no token and no internet.",
    )
    playground.add_argument("--port", type=int, default=8080, help="the page's port")
    playground.add_argument("--network", help="network file (default: the example network)")
    playground.add_argument(
        "--database", help="SQLite file to keep (default: a fresh one in a temporary folder)"
    )
    playground.add_argument(
        "--language", choices=["nl", "en"], help="default: RELAYBOT_LANGUAGE, else nl"
    )
    emulator = command(
        "emulator",
        "start the Bot API emulator on its own",
        "Start the Telegram Bot API emulator on loopback, to point a bot at by hand "
        "(RELAYBOT_API_BASE_URL=http://127.0.0.1:PORT/bot, token 123456:TEST).",
    )
    emulator.add_argument("--port", type=int, default=8081)
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument(
        "--round-trip", type=float, default=0.0, help="seconds before each answer (as a network)"
    )
    emulator.add_argument(
        "--callback-answer-s",
        type=float,
        help="seconds after a press within which a button's answer is taken (default 15, as"
        " Telegram)",
    )
    emulator.add_argument(
        "--town",
        action="store_true",
        help="hold Proefdorp, a small invented town to try discover, check and run on",
    )
    command(
        "health",
        "say whether the bot is running (exit code per state)",
        "Read the heartbeat next to the database and say how the bot is: 0 running, "
        "1 stuck (no heartbeat for 90 s, or an update failing for more than 30 s), "
        "3 stopped cleanly, 4 never started, 5 ended without a clean stop (a crash, or a "
        "failure it names: its database file removed or replaced while it ran), "
        "6 running but an update was set aside.",
    )
    backup = command(
        "backup",
        "copy the database to FILE while the bot runs (mode 0600)",
        "Copy the SQLite database (RELAYBOT_DATABASE) to FILE with SQLite's online backup: "
        "consistent while the bot runs, readable by you alone (0600), checked with SQLite's "
        "integrity check before it takes the name FILE. To restore: stop the bot, put FILE in "
        "the database's place (remove its -wal and -shm files), start the bot.",
    )
    backup.add_argument("file", metavar="FILE", help="where to write the copy")
    backup.add_argument("--force", action="store_true", help="replace an existing FILE")
    command(
        "migrate",
        "bring the database to this version's schema",
        "Apply every migration the database (RELAYBOT_DATABASE_URL, else RELAYBOT_DATABASE) "
        "does not have yet, each in its own transaction; `relaybot run` does the same at "
        "start. Prints the schema's migration number.",
    )
    copy = command(
        "copy-database",
        "copy a network's database to another (SQLite <-> PostgreSQL)",
        "Copy every row of one database into an empty other, either engine: a file "
        "(sqlite:FILE or a plain path) or postgresql://user@host/db. Stop the bot first; "
        "then point RELAYBOT_DATABASE_URL (or RELAYBOT_DATABASE) at the copy.",
    )
    copy.add_argument("--from", dest="source", required=True, metavar="URL_OR_FILE")
    copy.add_argument("--to", dest="target", required=True, metavar="URL_OR_FILE")
    report = command(
        "report",
        "numbers per neighbourhood for the municipality",
        "Per neighbourhood: incidents raised and received, 112 reports, minutes to the first "
        "112 report, duplicate calls prevented, warnings, sign-ups, last activity, signs and "
        "vest budget, with a totals row; read from the database beside a running bot.",
    )
    report.add_argument("--since", help="first day, YYYY-MM-DD (default: a year before --until)")
    report.add_argument("--until", help="last day, YYYY-MM-DD (default: today)")
    report.add_argument("--format", choices=["markdown", "csv", "html"], default="markdown")
    report.add_argument("--output", help="write to this file instead of the terminal")
    flyer = command(
        "flyer",
        "a print-ready A4 flyer per neighbourhood, with a QR code to sign up",
        "Write a print-ready A4 page (HTML; a PDF beside it when Chromium is installed) for a "
        "neighbourhood: its name, SAAR, the house rules in short, a QR code of the sign-up "
        "link that starts a sign-up for that neighbourhood, and the municipality's contact "
        "line (the network file's contact). Nothing is fetched from elsewhere.",
    )
    flyer.add_argument("slug", nargs="?", help="the neighbourhood's slug")
    flyer.add_argument("--all", action="store_true", help="one flyer per neighbourhood")
    flyer.add_argument(
        "--output",
        help="the HTML file (default flyer-SLUG.html); with --all a folder (default: here)",
    )
    flyer.add_argument("--bot", help="the bot's username (default: asked of Telegram)")
    flyer.add_argument("--network", help="network file (default: RELAYBOT_NETWORK_FILE)")
    flyer.add_argument("--no-pdf", action="store_true", help="write the HTML only")
    _map_parser(command)
    command(
        "digest",
        "post the weekly digest to the coordinators' group now",
        "Queue the weekly digest (incidents, 112 reports, duplicates prevented, sign-ups, quiet "
        "neighbourhoods over the last 7 days) for the coordinators' group now; a running bot "
        "sends it. For cron and for tests.",
    )
    return top


def _map_parser(command: Any) -> None:
    top = command(
        "map",
        "a coverage map of the buurten (HTML); `map import`: the network from the CBS map",
        "`relaybot map` writes one self-contained HTML page (inline SVG, no script) with every "
        "buurt of the network's map coloured by state: a linked group that is active, a group "
        "quiet for longer than inactive_days, no group yet; names on hover and in a table. "
        "--period adds incidents per buurt; --public shows coverage only (no chat ids, no "
        "incidents), for the municipality to publish. `relaybot map import FILE` writes a "
        "network file skeleton from a GeoJSON file of buurten (the CBS wijk- en buurtkaart "
        "from PDOK): one neighbourhood per buurt, kern from the wijk, adjacent from shared "
        "borders.",
    )
    top.add_argument("--output", default="kaart.html", help="the page (default kaart.html)")
    top.add_argument(
        "--public",
        action="store_true",
        help="coverage only, to publish: no chat ids, no incidents",
    )
    top.add_argument(
        "--period",
        metavar="FROM..TO",
        help="add incidents per buurt over this period (dates YYYY-MM-DD; either may be left "
        "out: 2026-01-01..)",
    )
    top.add_argument("--network", help="network file (default: RELAYBOT_NETWORK_FILE)")
    sub = top.add_subparsers(dest="map_command", metavar="ACTION")
    found = sub.add_parser(
        "import",
        help="a network file skeleton from a GeoJSON file of buurten",
        description="Read a GeoJSON FeatureCollection of buurten (WGS84, or RD New metres as "
        "CBS publishes it; buurtcode/buurtnaam/wijknaam/gemeentecode/gemeentenaam, or "
        "statcode/statnaam) and write a network file skeleton: one neighbourhood per buurt, "
        "kern from the wijk, adjacent where two buurten share at least --min-border metres of "
        "border (a corner is none). The buurten are copied beside it as buurten.geojson, "
        "named in its [map] file. Replaces nothing without --force.",
    )
    found.add_argument("file", metavar="FILE", help="the GeoJSON file of buurten")
    found.add_argument(
        "--municipality", help="keep one municipality: its code (0753 or GM0753) or name"
    )
    found.add_argument("--output", default="config/network.toml", help="the network file")
    found.add_argument("--force", action="store_true", help="replace existing files")
    found.add_argument(
        "--min-border",
        type=float,
        default=25.0,
        metavar="METRES",
        help="shortest shared border that makes two buurten adjacent (default 25)",
    )
    found.add_argument("--code-field", help="property holding the buurt code (default buurtcode)")
    found.add_argument("--name-field", help="property holding the buurt name (default buurtnaam)")


COMMANDS = {
    "run": cmd_run,
    "check": cmd_check,
    "discover": cmd_discover,
    "demo": cmd_demo,
    "emulator": cmd_emulator,
    "playground": cmd_playground,
    "health": cmd_health,
    "backup": cmd_backup,
    "migrate": cmd_migrate,
    "copy-database": cmd_copy_database,
    "report": cmd_report,
    "digest": cmd_digest,
    "flyer": cmd_flyer,
    "map": cmd_map,
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a reader that went away is noticed here, not at exit
        return code
    except (SettingsError, NetworkError, StorageError, ReportError, MapError) as error:
        return _fail(str(error))
    except BrokenPipeError:
        # the reader stopped reading (`relaybot demo | head`): stop quietly, and keep Python
        # from complaining when it flushes stdout on the way out
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())

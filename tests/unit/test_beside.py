"""Presses beside the update path (telegram/beside.py): presses on one card decide in the
order they came while the checks before run side by side, and the update a press came from
is done only once the press is."""

from __future__ import annotations

import asyncio

from relaybot.telegram.beside import Beside, Turn, handling


def press(log: list[str], name: str, check: float) -> object:
    """A press whose check with Telegram takes `check` seconds, then decides in its turn."""

    async def work(turn: Turn) -> None:
        await asyncio.sleep(check)
        log.append(f"checked {name}")
        async with turn:
            log.append(f"decided {name}")

    return work


async def test_the_first_press_on_a_card_decides_first() -> None:
    """A slow check for the first press and a quick one for the second: the second is
    checked first but decides after the first; a press on another card waits for neither."""
    beside, log = Beside(), []
    beside.run(press(log, "a1", 0.05), "card:1")  # type: ignore[arg-type]
    beside.run(press(log, "a2", 0.0), "card:1")  # type: ignore[arg-type]
    beside.run(press(log, "b1", 0.01), "card:2")  # type: ignore[arg-type]
    await beside.drain()
    assert log.index("checked a2") < log.index("checked a1")
    assert log.index("decided a1") < log.index("decided a2")
    assert log.index("decided b1") < log.index("decided a1")


async def test_one_at_a_time_waiting_turns_never_stall() -> None:
    """With one press at a time, a press waiting for its turn gives up its slot: all decide,
    in order."""
    beside, log = Beside(at_once=1), []
    for n in range(5):
        beside.run(press(log, f"p{n}", 0.01 * (5 - n)), "card:1")  # type: ignore[arg-type]
    await asyncio.wait_for(beside.drain(), 5)
    assert [line for line in log if line.startswith("decided")] == [
        f"decided p{n}" for n in range(5)
    ]


async def test_the_update_is_done_when_its_press_is() -> None:
    """The update a press came from is done once the press is, with its failure if it
    failed for good; an update that left nothing beside is done at once."""
    beside, done = Beside(), []
    gate = asyncio.Event()

    async def waits(_turn: Turn) -> None:
        await gate.wait()

    async def fails(_turn: Turn) -> None:
        raise ValueError("a bug")

    for name, work in (("waits", waits), ("fails", fails)):
        with handling() as pending:
            beside.run(work, "card:1")
        pending.then(lambda failure, name=name: done.append((name, type(failure).__name__)))
    with handling() as pending:
        pass
    pending.then(lambda failure: done.append(("nothing", type(failure).__name__)))
    assert done == [("nothing", "NoneType")]
    await asyncio.sleep(0.01)
    assert done == [("nothing", "NoneType"), ("fails", "ValueError")]
    gate.set()
    await beside.drain()
    assert done[-1] == ("waits", "NoneType")


async def test_beyond_the_limit_a_press_is_dropped() -> None:
    """More presses than `limit` at once: the rest are dropped, and their updates are done."""
    beside, log, done = Beside(limit=2), [], []
    with handling() as pending:
        for n in range(3):
            beside.run(press(log, f"p{n}", 0.01), f"card:{n}")  # type: ignore[arg-type]
    pending.then(lambda failure: done.append(failure))
    await beside.drain()
    assert sorted(log) == ["checked p0", "checked p1", "decided p0", "decided p1"]
    assert done == [None]

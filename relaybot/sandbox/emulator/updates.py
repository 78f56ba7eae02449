"""The queue of updates waiting for the bot, served by getUpdates long polling."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from relaybot.sandbox.emulator.errors import ApiError

# Telegram's default when allowed_updates was never given: everything but these.
_OFF_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_CONFLICT = ApiError(
    409,
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
)


@dataclass
class Queued:
    update_id: int
    kind: str
    payload: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"update_id": self.update_id, self.kind: self.payload}


class UpdateQueue:
    """Updates in order; fetched ones stay until a later offset confirms them."""

    def __init__(self, first_update_id: int = 1) -> None:
        self.items: list[Queued] = []
        self.next_id = first_update_id
        self.fetched_up_to = first_update_id - 1
        self.allowed: frozenset[str] | None = None  # None: Telegram's default set
        self._waiter: asyncio.Future[str] | None = None
        self.polling = asyncio.Event()  # set while a getUpdates waits for an update
        self.stopped = False

    def put(self, kind: str, payload: dict[str, Any], update_id: int | None = None) -> int:
        update_id = self.next_id if update_id is None else update_id
        self.next_id = max(self.next_id, update_id + 1)
        self.items.append(Queued(update_id, kind, payload))
        self._wake("update")
        return update_id

    def pending(self) -> int:
        """Updates not yet handed to the bot."""
        return sum(1 for item in self.items if item.update_id > self.fetched_up_to)

    def confirmed_all(self) -> bool:
        return not self.items

    def waiting(self) -> bool:
        """Whether a getUpdates is waiting (long polling) for an update to arrive."""
        return self.polling.is_set()

    def drop_all(self) -> None:
        self.fetched_up_to = max(self.fetched_up_to, self.next_id - 1)
        self.items.clear()

    def stop(self) -> None:
        """Answer a waiting poll now, and later polls at once, while the emulator stops."""
        self.stopped = True
        self._wake("stopped")

    async def poll(
        self, offset: int | None, limit: int, wait: float, allowed: list[str] | None
    ) -> list[dict[str, Any]]:
        """getUpdates: confirm up to offset, then answer at once or when an update arrives."""
        self._wake("conflict")
        if allowed is not None:
            self.allowed = frozenset(allowed) or None
        self._confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(wait, 0)
        while True:
            batch = self._take(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self.stopped:
                return batch
            waiter: asyncio.Future[str] = loop.create_future()
            self._waiter = waiter
            self.polling.set()
            try:
                reason = await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                return self._take(limit)
            finally:
                if self._waiter is waiter:
                    self._waiter = None
                    self.polling.clear()
            if reason == "conflict":
                raise _CONFLICT
            if reason == "stopped":
                return []

    def _wake(self, reason: str) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(reason)

    def _confirm(self, offset: int | None) -> None:
        """Drop the updates an offset confirms (linear: the queue can hold thousands)."""
        if not offset:
            return
        if offset < 0:
            keep, dropped = self.items[offset:], self.items[:offset]
        else:
            keep = [item for item in self.items if item.update_id >= offset]
            dropped = [item for item in self.items if item.update_id < offset]
        if dropped:
            newest = max(item.update_id for item in dropped)
            self.fetched_up_to = max(self.fetched_up_to, newest)
        self.items = keep

    def _is_allowed(self, kind: str) -> bool:
        if self.allowed is None:
            return kind not in _OFF_BY_DEFAULT
        return kind in self.allowed

    def _take(self, limit: int) -> list[dict[str, Any]]:
        self.items = [item for item in self.items if self._is_allowed(item.kind)]
        batch = self.items[: max(1, min(limit, 100))]
        if batch:
            self.fetched_up_to = max(self.fetched_up_to, batch[-1].update_id)
        return [item.to_dict() for item in batch]

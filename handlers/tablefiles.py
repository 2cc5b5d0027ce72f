"""Bookkeeping for the [📈 图表] and [📄 CSV] buttons (handlers/tables.py): each answer's chart
and CSV are sent once, and charts are drawn one at a time with a short queue.

Drawing a chart is ~100 ms of matplotlib CPU (0.5 s for the first one in a process) in a worker
thread. Without a cap, a burst of taps would run as many drawings as the thread pool has
workers and take both cores from everybody's queries; with it, the burst waits its turn and a
tap beyond the queue is told to come back later. Nothing here awaits between a check and the
change it guards, so two taps that arrive together cannot both be first.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

Kind = Literal["chart", "csv"]
Status = Literal["busy", "sent"]

DRAWING = 1  # charts drawn at once: one core for charts, the other for queries
WAITING = 8  # charts that may wait for their turn; more taps are turned away


class TableFiles:
    def __init__(
        self, drawing: int = DRAWING, waiting: int = WAITING, capacity: int = 2000
    ) -> None:
        self.capacity = capacity
        self.max_waiting = waiting
        self.charts_pending = 0  # charts claimed and not yet sent (queued, drawn or sending)
        self.drawn = 0  # charts drawn since start (for tests and logs)
        self._turns = asyncio.Semaphore(drawing)
        self._status: OrderedDict[tuple[Kind, str], Status] = OrderedDict()

    def status(self, kind: Kind, key: str) -> Status | None:
        return self._status.get((kind, key))

    def claim(self, kind: Kind, key: str) -> Status | Literal["full"] | None:
        """Take the right to send `kind` for the answer under `key`: None when taken (then
        `finish` must follow); else why not ("busy": on its way, "sent": done already,
        "full": too many charts pending)."""
        held = self._status.get((kind, key))
        if held is not None:
            return held
        if kind == "chart":
            if self.charts_pending >= self.max_waiting:
                return "full"
            self.charts_pending += 1
        self._status[(kind, key)] = "busy"
        self._status.move_to_end((kind, key))
        while len(self._status) > self.capacity:
            self._status.popitem(last=False)
        return None

    def finish(self, kind: Kind, key: str, *, sent: bool) -> None:
        """The claim is over: sent (later taps are told so) or failed (the next may retry)."""
        if kind == "chart":
            self.charts_pending -= 1
        if sent:
            self._status[(kind, key)] = "sent"
        else:
            self._status.pop((kind, key), None)

    @asynccontextmanager
    async def drawing(self) -> AsyncIterator[None]:
        """One turn at drawing a chart, after those queued before it."""
        async with self._turns:
            yield
            self.drawn += 1

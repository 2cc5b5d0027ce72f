"""Usage analytics: how an answer counts in the query log, and the figures /stats shows.

The log holds the cleaned query text, when, and whether it was answered (bot/journal.py writes
it, batched); nothing about who asked. Days are cut at midnight China Standard Time (UTC+8, no
daylight saving), the time the reports' readers live in.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bot.answer import Answer
from bot.store import reads

DAY_OFFSET = 8 * 3600  # UTC+8
DAYS = 14  # queries per day: the last two weeks
TOP = 10  # top queries, top misses


def answer_kind(answer: Answer) -> tuple[bool, str]:
    """(answered, kind) of an answer as the log records it."""
    if answer.table is not None and answer.table.rows:
        return True, "table"
    if answer.figures:
        return True, "figures"
    if answer.excerpts:
        return True, "excerpts"
    if answer.not_loaded is not None:
        return False, "not_loaded"  # the region or year asked about is not in the library
    return False, "none"


@dataclass(slots=True)
class Day:
    day: date
    queries: int
    answered: int


@dataclass(slots=True)
class UsageStats:
    days: list[Day] = field(default_factory=list)  # the last DAYS days, oldest first, zeros too
    top: list[tuple[str, int]] = field(default_factory=list)
    misses: list[tuple[str, int]] = field(default_factory=list)
    since: date | None = None  # the first day the figures cover

    @property
    def total(self) -> int:
        return sum(d.queries for d in self.days)

    @property
    def answered(self) -> int:
        return sum(d.answered for d in self.days)


def today(now: float) -> date:
    return datetime.fromtimestamp(now + DAY_OFFSET, UTC).date()


def read_stats(
    db: sqlite3.Connection, now: float, *, days: int = DAYS, top: int = TOP
) -> UsageStats:
    """The figures of the last `days` days (today included), from one snapshot."""
    first = today(now) - timedelta(days=days - 1)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp() - DAY_OFFSET
    since = int(start)
    counted = {
        date.fromisoformat(day): (n, ok or 0)
        for day, n, ok in reads.queries_per_day(db, since, DAY_OFFSET)
    }
    per_day = [
        Day(d, *counted.get(d, (0, 0))) for d in (first + timedelta(days=i) for i in range(days))
    ]
    return UsageStats(
        days=per_day,
        top=reads.top_queries(db, since, top),
        misses=reads.top_queries(db, since, top, answered=False),
        since=first,
    )


class Settled:
    """Inline queries arrive one per keystroke (就, 就业, 就业目…): only the query a person
    settles on is logged, i.e. their last one with no other from them within `delay` seconds.
    Otherwise every half-typed word would top the list of queries with no answer."""

    def __init__(self, delay: float = 3.0) -> None:
        self.delay = delay
        self._pending: dict[int, tuple[asyncio.TimerHandle, Callable[[], None]]] = {}

    def offer(self, who: int, log: Callable[[], None]) -> None:
        """`log` runs in `delay` seconds unless `who` offers another one before."""
        old = self._pending.pop(who, None)
        if old is not None:
            old[0].cancel()
        handle = asyncio.get_running_loop().call_later(self.delay, self._fire, who)
        self._pending[who] = (handle, log)

    def _fire(self, who: int) -> None:
        _handle, log = self._pending.pop(who)
        log()

    def flush(self) -> None:
        """Log what is waiting now (at shutdown)."""
        pending, self._pending = self._pending, {}
        for handle, log in pending.values():
            handle.cancel()
            log()

    def __len__(self) -> int:
        return len(self._pending)

"""Per-user flood control for queries in groups: about 10 a minute, with one friendly notice.

Outgoing messages are paced by python-telegram-bot's AIORateLimiter (see bot/app.py); this
limits what one person can make the bot post into a shared chat.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Verdict:
    allowed: bool
    notify: bool  # True once per burst: the first refused query gets a notice, the rest silence
    retry_after: int  # seconds until the next query would be allowed


class QueryLimiter:
    """A sliding window of `limit` queries per `period` seconds per (chat, user)."""

    def __init__(self, limit: int = 10, period: float = 60.0) -> None:
        self.limit = limit
        self.period = period
        self._hits: dict[tuple[int, int], deque[float]] = {}
        self._notified: set[tuple[int, int]] = set()

    def hit(self, chat_id: int, user_id: int, now: float | None = None) -> Verdict:
        now = time.monotonic() if now is None else now
        key = (chat_id, user_id)
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.period:
            hits.popleft()
        if len(hits) < self.limit:
            hits.append(now)
            self._notified.discard(key)
            return Verdict(True, False, 0)
        retry = max(1, int(self.period - (now - hits[0])) + 1)
        first = key not in self._notified
        self._notified.add(key)
        self._forget_idle(now)
        return Verdict(False, first, retry)

    def _forget_idle(self, now: float) -> None:
        """Drop users whose window is empty, so a busy group does not grow the table forever."""
        if len(self._hits) < 10_000:
            return
        for key in [k for k, q in self._hits.items() if not q or now - q[-1] >= self.period]:
            del self._hits[key]
            self._notified.discard(key)


def notice(verdict: Verdict, limit: int) -> str:
    return f"⏳ 查询有点频繁了，请{verdict.retry_after}秒后再试（每人每分钟最多{limit}次）。"

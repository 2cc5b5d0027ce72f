"""Per-chat limit on refusals (handlers/guard.py): the one thing a non-admin can make the bot
post must not become a way to flood a group."""

from __future__ import annotations

import time
from collections import OrderedDict


class RefusalLimiter:
    """One refusal per chat per `period` seconds; remembers at most `capacity` chats."""

    def __init__(self, period: float = 60.0, capacity: int = 10_000) -> None:
        self.period = period
        self.capacity = capacity
        self._last: OrderedDict[int, float] = OrderedDict()

    def allow(self, chat_id: int, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        last = self._last.get(chat_id)
        if last is not None and now - last < self.period:
            return False
        self._last[chat_id] = now
        self._last.move_to_end(chat_id)
        while len(self._last) > self.capacity:
            self._last.popitem(last=False)
        return True

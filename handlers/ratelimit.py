"""Fair service under floods: a per-user query budget, one query per user at a time, and notices
that neither overtake answers nor pile up.

- Budget: a sliding window per (chat, user): about 10 queries a minute in a group (what one
  person may make the bot post into a shared chat), 20 in a private chat (the bot's CPU is
  shared by everybody). Over the budget a query is dropped; the first drop of a burst gets a
  notice, and in a group at most one notice per chat per window, so several people flooding at
  once do not turn the chat into notices (Telegram also allows a bot only about 20 messages a
  minute in one group, and every notice takes one of them).
- Group budget: at most GROUP_CHAT_LIMIT answers a minute in one group, whoever asks. Telegram
  lets a bot post about 20 messages a minute into a group, and AIORateLimiter holds back the
  rest: answers past that would arrive 3, 6, 9 … seconds late. Past the group budget a query
  gets the (one per window) notice pointing to a private chat instead.
- Turns (`UserTurns`): one query of a user is worked on at a time; the user's next ones wait in
  arrival order. A flood from one person then costs everybody else one query's worth of CPU at
  a time, not sixty, and the notice queued behind the answers is sent after them.

Outgoing messages are paced by python-telegram-bot's AIORateLimiter (see bot/app.py).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

GROUP_LIMIT = 10  # queries per user per minute in a group
PRIVATE_LIMIT = 20  # queries per user per minute in a private chat
# Answers per group per minute: Telegram's ~20 messages, less room for the notice and a reply.
GROUP_CHAT_LIMIT = 18


@dataclass(slots=True, frozen=True)
class Verdict:
    allowed: bool
    notify: bool  # True once per burst (and per chat window): the rest are refused in silence
    retry_after: int  # seconds until the next query would be allowed
    busy_chat: bool = False  # the chat's budget is spent, not the user's


class QueryLimiter:
    """A sliding window of `limit` queries per `period` seconds per (chat, user)."""

    def __init__(
        self, limit: int = GROUP_LIMIT, period: float = 60.0, chat_limit: int | None = None
    ) -> None:
        self.limit = limit
        self.period = period
        self.chat_limit = chat_limit  # queries per chat per period, whoever asks (None: no cap)
        self._hits: dict[tuple[int, int], deque[float]] = {}
        self._chat_hits: dict[int, deque[float]] = {}
        self._notified: set[tuple[int, int]] = set()
        self._chat_notice: dict[int, float] = {}  # chat → when its last notice was allowed

    def hit(self, chat_id: int, user_id: int, now: float | None = None) -> Verdict:
        now = time.monotonic() if now is None else now
        key = (chat_id, user_id)
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.period:
            hits.popleft()
        chat = self._chat_hits.setdefault(chat_id, deque()) if self.chat_limit else None
        while chat and now - chat[0] >= self.period:
            chat.popleft()
        busy = chat is not None and self.chat_limit is not None and len(chat) >= self.chat_limit
        if len(hits) < self.limit and not busy:
            hits.append(now)
            if chat is not None:
                chat.append(now)
            self._notified.discard(key)
            return Verdict(True, False, 0)
        oldest = chat[0] if busy and chat else hits[0]
        retry = max(1, int(self.period - (now - oldest)) + 1)
        first = key not in self._notified
        self._notified.add(key)
        last = self._chat_notice.get(chat_id)
        notify = first and (last is None or now - last >= self.period)
        if notify:
            self._chat_notice[chat_id] = now
        self._forget_idle(now)
        return Verdict(False, notify, retry, busy_chat=busy)

    def _forget_idle(self, now: float) -> None:
        """Drop users whose window is empty, so a busy group does not grow the table forever."""
        if len(self._hits) < 10_000:
            return
        for key in [k for k, q in self._hits.items() if not q or now - q[-1] >= self.period]:
            del self._hits[key]
            self._notified.discard(key)
        for chat in [c for c, t in self._chat_notice.items() if now - t >= self.period]:
            del self._chat_notice[chat]
        for chat in [c for c, q in self._chat_hits.items() if not q or now - q[-1] >= self.period]:
            del self._chat_hits[chat]


class UserTurns:
    """One piece of work per user at a time, the rest in arrival order (asyncio.Lock is FIFO)."""

    def __init__(self) -> None:
        self._turns: dict[int, tuple[asyncio.Lock, int]] = {}  # user → (lock, holders+waiters)

    @asynccontextmanager
    async def turn(self, user_id: int) -> AsyncIterator[None]:
        lock, users = self._turns.get(user_id, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._turns[user_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._turns[user_id]
            if users <= 1:
                del self._turns[user_id]  # idle users cost nothing
            else:
                self._turns[user_id] = (lock, users - 1)

    def waiting(self, user_id: int) -> int:
        """Queries of this user in flight or queued."""
        return self._turns.get(user_id, (None, 0))[1]

"""Writes that may wait a second: the query log and button states, batched.

Every answered query adds a log row and (with buttons) a state row. Written one by one, a flood
of queries would become a flood of write transactions, each waiting for the single writer
(bot/store) behind any report being loaded. Instead they are kept here and written together,
in one transaction, by one task: every `interval` seconds, or as soon as `batch` entries wait.
The same transaction prunes the query log to its retention limit (`keep_days` days and at most
`keep_rows` rows), and now and then drops expired button states.

What is still waiting when the process is killed is lost (at most a second of the log and of
new buttons); a graceful stop (`close`) writes it. Button states are kept in memory by the
handlers as well, so a tap within that second never needs the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.store import Batch, Store

log = logging.getLogger(__name__)

KEEP_DAYS = 90  # the query log's retention: rows older than this are pruned
KEEP_ROWS = 100_000  # and never more rows than this (about 10 MB)
FLUSH_SECONDS = 1.0
FLUSH_ROWS = 200
HOUSEKEEPING_SECONDS = 600  # expired button states and previews are dropped this often
# At most this many button states (an answer is 3-15 kB of JSON: up to ~300 MB): past it,
# the states that would expire first go first.
KEEP_STATES = 20_000

# A state is encoded when it is written, not when it is saved: a change made meanwhile (the
# message its buttons were sent with) is written with it.
Encode = Callable[[], tuple[str, int | None, int | None]]  # payload JSON, chat_id, message_id


@dataclass(slots=True)
class _State:
    kind: str
    encode: Encode
    expires_at: int


class Journal:
    def __init__(
        self,
        store: Store,
        *,
        interval: float = FLUSH_SECONDS,
        batch: int = FLUSH_ROWS,
        keep_days: int = KEEP_DAYS,
        keep_rows: int = KEEP_ROWS,
        keep_states: int = KEEP_STATES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self.interval = interval
        self.batch = batch
        self.keep_days = keep_days
        self.keep_rows = keep_rows
        self.keep_states = keep_states
        self.clock = clock
        self._queries: list[tuple[int, str, int, str]] = []
        self._states: dict[str, _State] = {}
        self._drops: set[str] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._flush_lock = asyncio.Lock()
        self._last_housekeeping = 0.0
        # Extra periodic work (e.g. deleting expired preview files), run with the pruning.
        self.housekeeping: list[Callable[[int], Awaitable[None]]] = []

    def now(self) -> int:
        return int(self.clock())

    def __len__(self) -> int:
        return len(self._queries) + len(self._states) + len(self._drops)

    # ---- what callers add ---------------------------------------------------------------------

    def log_query(self, query: str, answered: bool, kind: str) -> None:
        """One query: its cleaned text only (no user, no chat), and how it was answered."""
        if not query:
            return
        self._queries.append((self.now(), query, int(answered), kind))
        self._nudge()

    def save_state(self, key: str, kind: str, encode: Encode, ttl: int) -> None:
        self._drops.discard(key)
        self._states[key] = _State(kind, encode, self.now() + ttl)
        self._nudge()

    def drop_state(self, key: str) -> None:
        self._states.pop(key, None)
        self._drops.add(key)
        self._nudge()

    def pending_state(self, key: str) -> tuple[str, Encode, int] | None:
        """A state saved but not written yet: (kind, encoder, expires_at)."""
        state = self._states.get(key)
        return (state.kind, state.encode, state.expires_at) if state else None

    def _nudge(self) -> None:
        if len(self) >= self.batch:
            self._wake.set()

    # ---- the writer task ----------------------------------------------------------------------

    def start(self) -> None:
        """Start the writer task (in the running loop); idempotent."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name="reportbot-journal"
            )

    async def _run(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()
            try:
                await self.flush()
            except Exception:  # a full disk must not end the log for good: try again later
                log.exception("writing the query log and button states failed")

    async def flush(self, *, housekeeping: bool = False) -> None:
        """Write everything waiting, in one transaction, with the retention pruning."""
        async with self._flush_lock:
            now = self.now()
            due = housekeeping or now - self._last_housekeeping >= HOUSEKEEPING_SECONDS
            if not len(self) and not due:
                return
            queries, states, drops = self._queries, self._states, self._drops
            self._queries, self._states, self._drops = [], {}, set()
            batch = Batch(queries=queries, drops=sorted(drops))
            try:
                # Encoding answers as JSON is CPU work: off the event loop.
                batch.states = await asyncio.to_thread(_encode, states)
                if queries or due:
                    batch.log_before = now - self.keep_days * 86400
                    batch.log_rows = self.keep_rows
                if due:
                    batch.states_before = now
                    batch.states_keep = self.keep_states
                await self._store.write_batch(batch)
            except BaseException:
                # Not written: keep it for the next flush (newer saves of a key win).
                self._queries[:0] = queries
                self._states = states | self._states
                self._drops |= drops
                raise
            if due:
                self._last_housekeeping = now
                for job in self.housekeeping:
                    try:
                        await job(now)
                    except Exception:
                        log.exception("housekeeping failed")

    async def close(self) -> None:
        """Stop the writer task and write what is still waiting.

        The task is asked to stop, not cancelled: cancelled in the middle of a write it would
        leave the connection inside a transaction."""
        task, self._task = self._task, None
        if task is not None:
            self._stopping = True
            self._wake.set()
            with contextlib.suppress(Exception):  # it logged its own failure
                await task
            self._stopping = False
        await self.flush()


def _encode(states: dict[str, _State]) -> list[tuple[str, str, str, int | None, int | None, int]]:
    rows = []
    for key, state in states.items():
        try:
            payload, chat_id, message_id = state.encode()
        except Exception:  # one state that cannot be encoded must not lose the others
            log.exception("button state %s could not be encoded", state.kind)
            continue
        rows.append((key, state.kind, payload, chat_id, message_id, state.expires_at))
    return rows

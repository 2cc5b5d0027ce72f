"""What every handler shares: the engine, the settings, short-lived button state, chat helpers."""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from telegram import Chat, User
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.render.limits import GROUP_BUDGET, PRIVATE_BUDGET
from bot.render.limits import PASSAGE_BUDGET as PASSAGE_BUDGET  # re-exported for handlers
from bot.render.limits import fits_callback as fits_callback
from bot.usage import Settled
from handlers.binding import MessageIndex, Origin
from handlers.ratelimit import GROUP_CHAT_LIMIT, PRIVATE_LIMIT, QueryLimiter, UserTurns
from handlers.refusals import RefusalLimiter
from handlers.tablefiles import TableFiles

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.previews import PreviewBook

ANSWER_TTL = 7 * 86400  # [更多 ▸] and [原文] work for a week, restarts included


class ShortStore:
    """Server-side state for buttons, keyed by a short random id that fits in callback data.

    Keys are random rather than counters so that a button from before a restart can never hit
    another answer's state: it simply misses and gets the polite "expired" answer.
    """

    def __init__(self, capacity: int = 2000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, Any] = OrderedDict()

    def put(self, value: Any) -> str:
        key = secrets.token_urlsafe(6)  # 8 characters
        self._items[key] = value
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return key

    def get(self, key: str) -> Any | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put_at(self, key: str, value: Any) -> None:
        """Keep `value` under a key made by another store (hard-uploads: a finished preview
        moves from the uploads store to the small states)."""
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def pop(self, key: str) -> Any | None:
        return self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


# A state as stored: its JSON, and the message its buttons were sent with (None until sent).
Encoded = tuple[str, Origin | None]
Encoder = Callable[[Any], Encoded]
Decoder = Callable[[str, Origin | None], Any]


class ButtonStates:
    """Button state that survives a restart, keyed by a short random id for callback data.

    The recent states are kept in memory (a tap needs no database), and every state is also
    written to SQLite (table button_states) through the engine's journal, batched with the
    query log, so the buttons of an answer sent before a restart still work for `ttl`
    seconds. A state remembers the message it was sent with: `bind` it once sent, and check
    it on every tap (handlers/binding.py). Keys are random, as in ShortStore.
    """

    def __init__(
        self,
        kind: str,
        engine: Callable[[], Engine | None],
        encode: Encoder,
        decode: Decoder,
        *,
        ttl: int,
        capacity: int = 2000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.kind = kind
        self.ttl = ttl
        self.capacity = capacity
        self.clock = clock
        self._engine = engine
        self._encode = encode
        self._decode = decode
        self._items: OrderedDict[str, tuple[Any, float]] = OrderedDict()  # key → (value, expiry)

    def put(self, value: Any) -> str:
        key = secrets.token_urlsafe(6)  # 8 characters
        self._keep(key, value, self.clock() + self.ttl)
        self.save(key)
        return key

    def save(self, key: str) -> None:
        """Write the state under `key` (again: after a change such as `bind`)."""
        item = self._items.get(key)
        eng = self._engine()
        if item is None or eng is None:
            return
        value, expires = item
        encode = self._encode

        def encoded() -> tuple[str, int | None, int | None]:
            payload, where = encode(value)
            return payload, *((where.chat_id, where.message_id) if where else (None, None))

        eng.journal.save_state(key, self.kind, encoded, max(1, int(expires - self.clock())))

    async def get(self, key: str) -> Any | None:
        """The state under `key`: from memory, else from the database (after a restart)."""
        item = self._items.get(key)
        if item is not None:
            if item[1] > self.clock():
                self._items.move_to_end(key)
                return item[0]
            del self._items[key]
        eng = self._engine()
        if eng is None or not key:
            return None
        row = await eng.load_state(key)
        if row is None or row[0] != self.kind:
            return None
        _kind, payload, chat_id, message_id, expires = row
        where = Origin(chat_id, message_id) if chat_id is not None and message_id else None
        try:
            value = self._decode(payload, where)
        except (ValueError, KeyError, TypeError):  # written by another version: stale
            return None
        if value is not None:
            self._keep(key, value, expires)
        return value

    def peek(self, key: str) -> Any | None:
        """The state under `key` if it is in memory (no database read)."""
        item = self._items.get(key)
        return item[0] if item is not None else None

    def pop(self, key: str) -> None:
        self._items.pop(key, None)
        eng = self._engine()
        if eng is not None:
            eng.journal.drop_state(key)

    def _keep(self, key: str, value: Any, expires: float) -> None:
        self._items[key] = (value, expires)
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class Services:
    settings: Settings
    engine: Engine | None = None
    owns_engine: bool = True
    states: ShortStore = field(default_factory=ShortStore)
    # Upload previews (bot/previews.py: files under uploads/pending/, states in SQLite) ...
    previews: PreviewBook | None = None
    # ... and the parsed plans of the latest few, so 导入 need not parse again (up to 20 MB
    # each: only a few are kept; the others are parsed again from their file).
    uploads: ShortStore = field(default_factory=lambda: ShortStore(capacity=5))
    # One refusal per chat per minute for non-admins (handlers/guard.py).
    refusals: RefusalLimiter = field(default_factory=RefusalLimiter)
    # Queries in groups: per person, and per group (Telegram's ~20 messages a minute).
    limiter: QueryLimiter = field(
        default_factory=lambda: QueryLimiter(chat_limit=GROUP_CHAT_LIMIT)
    )
    private_limiter: QueryLimiter = field(default_factory=lambda: QueryLimiter(PRIVATE_LIMIT))
    turns: UserTurns = field(default_factory=UserTurns)  # one query per user at a time
    # Set on SIGTERM/SIGINT: queued queries are dropped instead of answered (bot/app.py).
    stopping: bool = False
    # Which answer each message of the bot shows: a reply to it keeps the answer's scope.
    by_message: MessageIndex = field(default_factory=MessageIndex)
    # Charts and CSVs of table answers: once per answer, charts drawn one at a time.
    table_files: TableFiles = field(default_factory=TableFiles)
    # Inline queries are logged once a person stops typing (bot/usage.py).
    inline_log: Settled = field(default_factory=Settled)
    # Answers under [更多 ▸]/[原文] and other button states that survive a restart.
    answers: ButtonStates = field(init=False)
    picks: ButtonStates = field(init=False)  # the lists under /stats buttons (handlers/stats.py)

    def __post_init__(self) -> None:
        # Imported here: those modules build on this one.
        from handlers.buttons import decode_state, encode_state
        from handlers.stats import decode_picks, encode_picks

        self.answers = ButtonStates(
            "answer", lambda: self.engine, encode_state, decode_state, ttl=ANSWER_TTL
        )
        self.picks = ButtonStates(
            "picks", lambda: self.engine, encode_picks, decode_picks, ttl=ANSWER_TTL
        )


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data["services"]


def engine(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    eng = services(context).engine
    if eng is None:
        raise RuntimeError("the engine is not open (post_init has not run)")
    return eng


def is_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def budget_for(chat: Chat | None) -> int:
    return GROUP_BUDGET if is_group(chat) else PRIVATE_BUDGET


def is_admin(context: ContextTypes.DEFAULT_TYPE, user: User | None) -> bool:
    return user is not None and user.id in services(context).settings.admin_ids


def uploads_dir(settings: Settings) -> Path:
    """Where imported uploads are kept: next to the database, so one folder holds all data."""
    return settings.database_path.parent / "uploads"


def is_not_modified(exc: BaseException) -> bool:
    """Telegram's answer to an edit that changes nothing; harmless, e.g. after a double tap."""
    return isinstance(exc, BadRequest) and "message is not modified" in str(exc).lower()


@contextmanager
def not_modified_ok() -> Iterator[None]:
    """Ignore "message is not modified" and nothing else: other BadRequests are real bugs."""
    try:
        yield
    except BadRequest as exc:
        if not is_not_modified(exc):
            raise

"""What every handler shares: the engine, the settings, short-lived button state, chat helpers."""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Iterator
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
from handlers.binding import MessageIndex
from handlers.ratelimit import GROUP_CHAT_LIMIT, PRIVATE_LIMIT, QueryLimiter, UserTurns
from handlers.refusals import RefusalLimiter
from handlers.tablefiles import TableFiles

if TYPE_CHECKING:
    from bot.engine import Engine



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


@dataclass
class Services:
    settings: Settings
    engine: Engine | None = None
    owns_engine: bool = True
    states: ShortStore = field(default_factory=ShortStore)
    # Previewed uploads hold whole files (up to 20 MB each): only the latest few are kept.
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
    # Bumped whenever reports change, so buttons on older answers know they are stale.
    generation: int = 0
    # Which answer each message of the bot shows: a reply to it keeps the answer's scope.
    by_message: MessageIndex = field(default_factory=MessageIndex)
    # Charts and CSVs of table answers: once per answer, charts drawn one at a time.
    table_files: TableFiles = field(default_factory=TableFiles)


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

"""What the handler and end-to-end tests share: the local Bot API server, the people and chats
they play, and the rule that any request Telegram would refuse fails the test."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import pytest_asyncio
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.engine import Engine
from tests.telegram.botapi_server import BotAPIServer, Call

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
UPLOAD = ROOT / "tests" / "data" / "reports" / "baoding-2025.txt"
ADMIN = 1001
USER = 2002
# A fresh group per test: AIORateLimiter and the per-user query limit are per group.
_groups = itertools.count(-1001000000001, -1)


def make_settings(server: BotAPIServer, data_dir: Path, **extra: object) -> Settings:
    fields: dict[str, object] = {
        "telegram_bot_token": server.token,
        "admin_ids": frozenset({ADMIN}),
        "database_path": data_dir / "reports.db",
        "seeds_dir": SEEDS,
        "telegram_base_url": server.base_url,
        "telegram_base_file_url": server.base_file_url,
    }
    return Settings(_env_file=None, **(fields | extra))  # type: ignore[arg-type]


@asynccontextmanager
async def polling(app: Application) -> AsyncIterator[Application]:
    """The steps of Application.run_polling and of its shutdown, in this event loop: the bot
    as `reportbot run` runs it (post_init opens the engine when none was given)."""
    await app.initialize()
    assert app.post_init is not None and app.post_shutdown is not None
    await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)  # closes the engine: what is waiting is written


@asynccontextmanager
async def started(app: Application) -> AsyncIterator[Application]:
    """Initialized and running without polling, as the tests that feed updates through
    process_update want it: block=False handlers become tasks."""
    await app.initialize()
    await app.start()
    try:
        yield app
    finally:
        await app.stop()
        await app.shutdown()


def buttons(call: Call) -> list[str]:
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["text"] for row in rows for b in row]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server() -> AsyncIterator[BotAPIServer]:
    async with BotAPIServer() as srv:
        yield srv


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def engine(data_dir: Path) -> AsyncIterator[Engine]:
    """The seeds' engine of a module's handler tests, which they pass to build_application."""
    eng = await Engine.open(data_dir / "reports.db", SEEDS)
    yield eng
    await eng.close()


@pytest.fixture
def no_telegram_errors(server: BotAPIServer) -> Iterator[None]:
    """Any request Telegram would refuse (bad HTML, too long, 65-byte data...) fails the test."""
    before = len(server.errors)
    yield
    assert server.errors[before:] == [], [(c.method, c.error) for c in server.errors[before:]]


@pytest.fixture
def group() -> int:
    return next(_groups)

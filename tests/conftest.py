"""Fixtures shared across test modules."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = [ROOT / "tests" / "data" / "reports", ROOT / "tests" / "data" / "corpus", ROOT / "seeds"]


@pytest.fixture(scope="session")
def library_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of every report in tests/data and seeds/ (79 reports), loaded once per run;
    tests open their own Engine on it (and must not change it)."""
    from bot.engine import Engine

    path = tmp_path_factory.mktemp("library") / "library.db"

    async def load() -> None:
        engine = await Engine.open(path)
        try:
            await engine.ingest_paths(LIBRARY)
        finally:
            await engine.close()

    asyncio.run(load())
    return path

"""bot/journal.py: the query log and button states are written in batches, within the
retention limit; learned synonyms change what a query finds."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.journal import Journal
from bot.store import Store, reads
from bot.usage import DAY_OFFSET, read_stats

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
async def store(tmp_path: Path):
    s = await Store.open(tmp_path / "j.db")
    try:
        yield s
    finally:
        await s.close()


def rows(store: Store, sql: str) -> list[tuple]:
    with sqlite3.connect(store.path) as conn:
        result = conn.execute(sql).fetchall()
    conn.close()
    return result


async def test_a_flood_of_queries_is_a_few_transactions(store: Store, monkeypatch) -> None:
    writes = 0
    write = store.write_batch

    async def counting(batch):
        nonlocal writes
        writes += 1
        await write(batch)

    monkeypatch.setattr(store, "write_batch", counting)
    journal = Journal(store, interval=0.05, batch=200)
    journal.start()
    for n in range(1000):
        journal.log_query(f"就业目标 {n % 7}", n % 3 != 0, "figures")
        if n % 100 == 0:
            await asyncio.sleep(0)  # the writer may run meanwhile, as in the bot
    await journal.close()
    assert rows(store, "SELECT count(*) FROM query_log") == [(1000,)]
    assert writes <= 12, writes  # 1000 rows: batches of up to 200 (plus a timed flush or two)


async def test_nothing_is_written_for_nothing(store: Store, monkeypatch) -> None:
    journal = Journal(store)
    await journal.flush(housekeeping=True)  # the first flush prunes
    calls = []
    monkeypatch.setattr(store, "write_batch", lambda batch: calls.append(batch))
    await journal.flush()
    assert calls == []


async def test_retention_by_age_and_by_count(store: Store) -> None:
    now = [1_800_000_000.0]
    journal = Journal(store, keep_days=90, keep_rows=50, clock=lambda: now[0])
    journal.log_query("很久以前", True, "figures")
    await journal.flush()
    now[0] += 91 * 86400
    for n in range(80):
        journal.log_query(f"查询{n}", True, "figures")
    await journal.flush()
    texts = [r[0] for r in rows(store, "SELECT query FROM query_log ORDER BY id")]
    assert "很久以前" not in texts  # older than 90 days
    assert texts == [f"查询{n}" for n in range(30, 80)]  # the newest 50


async def test_stats_per_day_top_and_misses(store: Store) -> None:
    day = 86400
    start = 1_800_000_000 - (1_800_000_000 + DAY_OFFSET) % day  # midnight UTC+8
    now = [float(start + 10)]
    journal = Journal(store, clock=lambda: now[0])
    for text, ok in [("就业目标", 1), ("就业目标", 1), ("GDP", 1), ("火星", 0), ("火星", 0),
                     ("量子", 0)]:  # fmt: skip
        journal.log_query(text, bool(ok), "figures" if ok else "none")
    await journal.flush()
    now[0] = start - 20 * day  # three weeks before: outside the 14 days
    journal.log_query("旧的", False, "none")
    await journal.flush()
    now[0] = start + 2 * day + 5
    journal.log_query("GDP", True, "table")
    await journal.flush()
    stats = await store.read(read_stats, now[0])
    assert len(stats.days) == 14 and stats.days[-1].queries == 1 and stats.days[-3].queries == 6
    assert stats.total == 7 and stats.answered == 4
    assert stats.top[:2] == [("GDP", 2), ("就业目标", 2)] or stats.top[:2] == [
        ("就业目标", 2), ("GDP", 2)]  # fmt: skip
    assert stats.misses == [("火星", 2), ("量子", 1)]  # 旧的 is too old


async def test_states_are_written_with_their_latest_change_and_expire(store: Store) -> None:
    now = [1_800_000_000.0]
    journal = Journal(store, clock=lambda: now[0])
    where: list[int | None] = [None, None]
    journal.save_state("k1", "answer", lambda: ('{"a":1}', where[0], where[1]), ttl=100)
    where[:] = [42, 7]  # bound to its message before the batch is written
    await journal.flush()
    assert await store.read(reads.button_state, "k1", int(now[0])) == ("answer", '{"a":1}', 42, 7,
                                                                       int(now[0]) + 100)
    journal.drop_state("k1")
    journal.save_state("k2", "answer", lambda: ("{}", None, None), ttl=100)
    await journal.flush()
    assert await store.read(reads.button_state, "k1", int(now[0])) is None
    now[0] += 101
    assert await store.read(reads.button_state, "k2", int(now[0])) is None  # expired
    await journal.flush(housekeeping=True)
    assert rows(store, "SELECT count(*) FROM button_states") == [(0,)]  # and pruned


async def test_a_failed_write_keeps_the_batch(store: Store, monkeypatch) -> None:
    journal = Journal(store)
    journal.log_query("就业目标", True, "figures")
    write = store.write_batch

    async def broken(batch):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "write_batch", broken)
    with pytest.raises(sqlite3.OperationalError):
        await journal.flush()
    monkeypatch.setattr(store, "write_batch", write)
    await journal.flush()
    assert rows(store, "SELECT query FROM query_log") == [("就业目标",)]


async def test_a_learned_synonym_finds_what_nothing_found(tmp_path: Path) -> None:
    engine = await Engine.open(tmp_path / "e.db", SEEDS)
    try:
        assert (await engine.ask("经济盘子目标")).empty
        term, meaning, added = await engine.learn_synonym("经济盘子目标", "地区生产总值目标")
        assert (term, meaning, added) == ("经济盘子", "地区生产总值", True)
        answer = await engine.ask("乌恰经济盘子")  # the term, in another question
        assert answer.figures and any("生产总值" in h.figure.indicator for h in answer.figures)
        assert (await engine.learn_synonym("经济盘子", "地区生产总值"))[2] is False
        with pytest.raises(ValueError):
            await engine.learn_synonym("目标", "地区生产总值")  # no topic to learn
    finally:
        await engine.close()
    # Another engine on the same database (a restart, or another process) knows it too.
    engine = await Engine.open(tmp_path / "e.db", SEEDS)
    try:
        assert (await engine.ask("经济盘子")).figures
    finally:
        await engine.close()


async def test_button_states_are_capped(store: Store) -> None:
    now = [1_800_000_000.0]
    journal = Journal(store, keep_states=3, clock=lambda: now[0])
    for n in range(5):
        journal.save_state(f"k{n}", "answer", lambda: ("{}", None, None), ttl=100 + n)
    await journal.flush(housekeeping=True)
    assert sorted(r[0] for r in rows(store, "SELECT key FROM button_states")) == ["k2", "k3", "k4"]

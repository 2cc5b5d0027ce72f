"""Migrations: a database of the first release upgrades in place and keeps everything."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store import SCHEMA_VERSION, Store, StoreError, schema

DATA = Path(__file__).resolve().parent / "data"
V1 = DATA / "v1" / "reports-v1.db.gz"
SEED = Path(__file__).resolve().parents[1] / "seeds" / "wuqia-2022.txt"


@pytest.fixture
def v1_db(tmp_path: Path) -> Path:
    path = tmp_path / "reports.db"
    path.write_bytes(gzip.decompress(V1.read_bytes()))
    return path


def _sql(path: Path, query: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def test_the_fixture_is_a_first_release_database(v1_db):
    assert _sql(v1_db, "PRAGMA user_version") == [(1,)]
    tables = {row[0] for row in _sql(v1_db, "SELECT name FROM sqlite_master")}
    assert "_migrations" not in tables and "reports" in tables


async def test_a_v1_database_upgrades_in_place_and_keeps_everything(v1_db):
    before_reports = _sql(v1_db, "SELECT id, sha256, title, figure_hi - figure_lo FROM reports")
    before_chats = _sql(v1_db, "SELECT chat_id, report_id FROM chat_settings ORDER BY chat_id")
    before_counts = _sql(v1_db, "SELECT (SELECT count(*) FROM passages), (SELECT count(*) FROM"
                                " figures), (SELECT max(id) FROM passages), (SELECT max(id) FROM"
                                " figures)")  # fmt: skip
    store = await Store.open(v1_db)
    try:
        assert not store.created
    finally:
        await store.close()
    assert _sql(v1_db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    applied = [row[0] for row in _sql(v1_db, "SELECT name FROM _migrations ORDER BY name")]
    assert applied == [m.name for m in schema.MIGRATIONS]
    after_reports = _sql(v1_db, "SELECT id, sha256, title, figure_hi - figure_lo FROM reports")
    assert sorted(after_reports) == sorted(before_reports)
    assert _sql(v1_db, "SELECT chat_id, report_id FROM chat_settings ORDER BY chat_id") == (
        before_chats
    )
    counts = _sql(v1_db, "SELECT (SELECT count(*) FROM passages), (SELECT count(*) FROM figures)")
    assert counts[0] == before_counts[0][:2]
    # New ids continue after the old ones and never reuse them.
    counters = dict(_sql(v1_db, "SELECT name, value FROM counters"))
    assert counters["passage"] == before_counts[0][2]
    assert counters["figure"] == before_counts[0][3]
    # The new columns exist; stored reports are marked for re-parsing.
    assert _sql(v1_db, "SELECT DISTINCT parser_version FROM reports") == [(0,)]
    _sql(v1_db, "SELECT indicator_id, measure FROM figures LIMIT 1")


async def test_an_upgraded_database_answers_and_keeps_chat_choices(v1_db):
    engine = await Engine.open(v1_db, SEED.parent)
    try:
        assert {r.id for r in await engine.reports()} == {"wuqia-2022", "laiyuan-2025"}
        assert await engine.chat_report(42) == "wuqia-2022"
        assert await engine.chat_report(-1001234) == "laiyuan-2025"
        answer = await engine.ask("就业目标", report_id="wuqia-2022")
        assert any("就业700人以上" in hit.figure.text for hit in answer.figures)
        # Same bytes, older parser: loading again parses it anew, keeping the chats' choice.
        summary = await engine.ingest_paths([SEED])
        assert summary.updated == ["wuqia-2022"]
        assert await engine.chat_report(42) == "wuqia-2022"
        again = await engine.ingest_paths([SEED])
        assert again.unchanged == ["wuqia-2022"]
    finally:
        await engine.close()


async def test_a_failing_migration_changes_nothing(v1_db, monkeypatch):
    def half_then_fail(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    broken = (*schema.MIGRATIONS, schema.Migration("9999_broken", half_then_fail))
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(broken))
    with pytest.raises(RuntimeError, match="boom"):
        await Store.open(v1_db)
    # Every migration before the broken one stands, recorded; the broken one left no trace.
    assert _sql(v1_db, "PRAGMA user_version") == [(len(broken) - 1,)]
    tables = {row[0] for row in _sql(v1_db, "SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    applied = {row[0] for row in _sql(v1_db, "SELECT name FROM _migrations")}
    assert "9999_broken" not in applied and "0002_figure_identity" in applied


async def test_a_database_from_newer_code_is_refused(tmp_path):
    path = tmp_path / "new.db"
    store = await Store.open(path)
    await store.close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _migrations VALUES ('9000_future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="does not know"):
        await Store.open(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        await Store.open(path)


async def test_opening_twice_applies_nothing_twice(tmp_path):
    path = tmp_path / "t.db"
    for _ in range(3):
        store = await Store.open(path)
        await store.close()
    applied = [row[0] for row in _sql(path, "SELECT name FROM _migrations")]
    assert applied == [m.name for m in schema.MIGRATIONS]


async def test_a_database_of_the_previous_schema_upgrades_and_keeps_everything(
    tmp_path, monkeypatch
):
    """A database written before the query log, learned synonyms and button states (schema
    0002) gains their tables in place; reports, ids, counters and chat choices are kept."""
    path = tmp_path / "v2.db"
    names = [m.name for m in schema.MIGRATIONS]
    before = schema.MIGRATIONS[: names.index("0002_figure_identity") + 1]
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", before)
        patch.setattr(schema, "SCHEMA_VERSION", len(before))
        engine = await Engine.open(path, SEED.parent)
        try:
            await engine.set_chat_report(42, "wuqia-2022")
        finally:
            await engine.close()
    assert _sql(path, "PRAGMA user_version") == [(2,)]
    tables = {row[0] for row in _sql(path, "SELECT name FROM sqlite_master")}
    assert not {"query_log", "synonyms", "button_states", "upload_previews"} & tables
    keep = ("SELECT (SELECT group_concat(id || sha256) FROM reports), (SELECT count(*) FROM"
            " passages), (SELECT count(*) FROM figures), (SELECT group_concat(name || value)"
            " FROM counters), (SELECT group_concat(chat_id || report_id) FROM chat_settings)")
    kept = _sql(path, keep)

    engine = await Engine.open(path, SEED.parent)
    try:
        assert _sql(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
        applied = [row[0] for row in _sql(path, "SELECT name FROM _migrations ORDER BY name")]
        assert applied == names
        now = _sql(path, keep)[0]
        assert now[:3] == kept[0][:3] and now[4] == kept[0][4]
        # The counters are kept, ids keep growing from where they were; one more counter.
        assert sorted(now[3].split(",")) == sorted([*kept[0][3].split(","), "synonyms0"])
        assert await engine.chat_report(42) == "wuqia-2022"
        # The new tables work: a query is logged, a synonym learned, a state kept.
        answer = await engine.ask("就业目标")
        engine.log_query("就业目标", answer)
        await engine.learn_synonym("饭碗", "就业")
        assert (await engine.ask("饭碗")).figures
        stats = await engine.usage()
        assert stats.top == [("就业目标", 1)]
    finally:
        await engine.close()

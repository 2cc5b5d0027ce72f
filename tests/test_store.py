"""Storage: schema, atomic replace, idempotent ingest, failures that leave the database alone."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.engine import Engine, report_id_for
from bot.report import ParseError
from bot.store import SCHEMA_VERSION, Store, prepare, reads
from tests.handmade import make_report

ROOT = Path(__file__).resolve().parents[1]

SEED = Path(__file__).resolve().parent.parent / "seeds" / "wuqia-2022.txt"


@pytest.fixture
async def store(tmp_path):
    s = await Store.open(tmp_path / "t.db")
    try:
        yield s
    finally:
        await s.close()


@pytest.fixture
async def engine(tmp_path):
    e = await Engine.open(tmp_path / "e.db")
    try:
        yield e
    finally:
        await e.close()


async def test_schema_rerun_is_safe(tmp_path):
    path = tmp_path / "t.db"
    first = await Store.open(path)
    assert first.created
    await first.replace("r", prepare(make_report(["城镇新增就业819人。"])))
    await first.close()
    for _ in range(2):
        again = await Store.open(path)
        try:
            assert not again.created
            assert (await again.stats())["reports"] == 1
        finally:
            await again.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


async def test_in_memory_store_works():
    s = await Store.open(":memory:")
    try:
        assert await s.replace("r", prepare(make_report(["退税7600万元。"]))) == "added"
        assert (await s.stats())["passages"] == 1
    finally:
        await s.close()


async def test_replace_statuses_and_contiguous_ids(store):
    v1 = prepare(make_report(["甲。", "乙。"], figures=[]))
    assert await store.replace("a", v1) == "added"
    assert await store.replace("a", v1) == "unchanged"
    v2 = prepare(make_report(["甲。", "乙。", "丙。"], version="v2"))
    assert await store.replace("a", v2) == "updated"
    assert await store.replace("b", v1) == "added"
    scopes = {s.id: s for s in await store.scopes()}
    assert scopes["a"].passage_hi - scopes["a"].passage_lo + 1 == 3
    assert scopes["b"].passage_lo > scopes["a"].passage_hi
    assert (await store.stats())["passages"] == 5


async def test_failed_write_rolls_back(store, monkeypatch):
    figures = [("城镇新增就业", "819人", "actual", 0)]
    old = prepare(make_report(["城镇新增就业819人。"], figures=figures))
    await store.replace("r", old)
    before = await store.stats()

    async def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    new = prepare(make_report(["新文本。"], version="v2"))
    monkeypatch.setattr(store, "_insert", boom)
    with pytest.raises(RuntimeError):
        await store.replace("r", new)
    assert await store.stats() == before
    assert await store.sha256("r") == old.report.sha256


async def test_readers_see_old_or_new_never_a_mix(tmp_path):
    """A second connection polls while a report is replaced: every snapshot is whole."""
    path = tmp_path / "t.db"
    writer = await Store.open(path)
    reader = await Store.open(path)
    try:
        old = make_report([f"旧版第{i}段，就业{i}人。" for i in range(300)])
        new = make_report([f"新版第{i}段，就业{i}人。" for i in range(500)], version="v2")
        await writer.replace("r", prepare(old))
        prepared_new = prepare(new)
        seen: set[tuple[str, int, int]] = set()
        done = asyncio.Event()

        def snapshot(db: sqlite3.Connection) -> tuple[str, int, int]:
            # Three statements, one read transaction: they must agree with each other.
            sha = db.execute("SELECT sha256 FROM reports WHERE id='r'").fetchone()[0]
            n = db.execute("SELECT count(*) FROM passages WHERE report_id='r'").fetchone()[0]
            fts = db.execute(
                "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH '\"新版\"'"
            ).fetchone()[0]
            return sha, n, fts

        async def poll() -> None:
            while not done.is_set():
                seen.add(await reader.read(snapshot))
                await asyncio.sleep(0)

        during: list[tuple[str, int, int]] = []

        async def read_inside_the_write() -> None:
            # All rows are written, COMMIT is next: a reader must still see the old report.
            during.append(await reader.read(snapshot))

        async def write() -> None:
            await writer.replace("r", prepared_new, before_commit=read_inside_the_write)
            done.set()

        await asyncio.gather(poll(), write())
        allowed = {(old.sha256, 300, 0), (new.sha256, 500, 500)}
        assert seen <= allowed, seen - allowed
        assert during == [(old.sha256, 300, 0)]  # read while the write transaction was open
        assert await reader.read(snapshot) == (new.sha256, 500, 500)
    finally:
        await reader.close()
        await writer.close()


async def test_ingest_is_idempotent_by_hash(engine, tmp_path):
    first = await engine.ingest_paths([SEED])
    assert first.added == ["wuqia-2022"]
    again = await engine.ingest_paths([SEED])
    assert again.unchanged == ["wuqia-2022"] and not again.added and not again.updated
    changed = tmp_path / "wuqia-2022.txt"
    changed.write_bytes(SEED.read_bytes() + "\n附：本报告另有说明。\n".encode())
    updated = await engine.ingest_paths([changed])
    assert updated.updated == ["wuqia-2022"]
    assert (await engine.stats())["reports"] == 1


async def test_failing_file_leaves_database_unchanged(engine, tmp_path):
    await engine.ingest_paths([SEED])
    before = await engine.stats()
    bad = tmp_path / "wuqia-2022.txt"  # same id as the loaded report: it must survive
    bad.write_bytes(b" \n\n ")
    summary = await engine.ingest_paths([bad, tmp_path / "missing.txt"])
    assert [name for name, _ in summary.failed] == ["wuqia-2022.txt", "missing.txt"]
    assert await engine.stats() == before
    with pytest.raises(ParseError):
        await engine.ingest_bytes(b"", "empty.txt")
    assert await engine.stats() == before
    answer = await engine.ask("就业目标", report_id="wuqia-2022")
    assert answer.figures


async def test_ingest_bytes_keeps_the_upload(engine, tmp_path):
    status, rid = await engine.ingest_bytes(SEED.read_bytes(), "wuqia-2022.txt", keep_dir=tmp_path)
    assert (status, rid) == ("added", "wuqia-2022")
    assert (tmp_path / "wuqia-2022.txt").read_bytes() == SEED.read_bytes()
    assert await engine.ingest_bytes(SEED.read_bytes(), "wuqia-2022.txt") == ("unchanged", rid)


async def test_seeds_load_only_into_a_new_database(tmp_path):
    seeds = SEED.parent
    e = await Engine.open(tmp_path / "s.db", seeds)
    try:
        assert [r.id for r in await e.reports()] == ["wuqia-2022"]
        assert await e.delete_report("wuqia-2022")
        assert not await e.delete_report("wuqia-2022")
    finally:
        await e.close()
    e = await Engine.open(tmp_path / "s.db", seeds)  # not new: the deletion stands
    try:
        assert await e.reports() == []
    finally:
        await e.close()


async def test_reports_and_chat_settings(engine):
    await engine.ingest_paths([SEED])
    [info] = await engine.reports()
    assert info.id == "wuqia-2022" and info.region and info.year == 2023
    assert info.figures >= info.targets + info.actuals
    assert info.targets > 0 and info.actuals > 0 and info.passages > 0
    assert await engine.get_report("nope") is None
    assert await engine.chat_report(42) is None
    await engine.set_chat_report(42, "wuqia-2022")
    assert await engine.chat_report(42) == "wuqia-2022"
    await engine.set_chat_report(42, None)
    assert await engine.chat_report(42) is None
    answer = await engine.ask("退税", report_id="wuqia-2022")
    full = await engine.passage(answer.figures[0].passage_id)
    assert full is not None and answer.figures[0].figure.text in full.text
    assert full.report.id == "wuqia-2022"
    assert await engine.passage(10**9) is None


async def test_chat_setting_survives_a_replacement(store):
    """A newer version of a report (re-upload, /reload) keeps the chats that chose it; only an
    explicit delete clears them, and only theirs."""
    await store.replace("a", prepare(make_report(["甲。"])))
    await store.replace("b", prepare(make_report(["乙。"])))
    await store.set_chat_report(1, "a")
    await store.set_chat_report(2, "b")
    assert await store.replace("a", prepare(make_report(["甲。", "丙。"], version="v2"))) == (
        "updated"
    )
    assert await store.chat_report(1) == "a"
    assert await store.delete("a")
    assert await store.chat_report(1) is None
    assert await store.chat_report(2) == "b"


async def test_chat_setting_survives_reingest(engine, tmp_path):
    await engine.ingest_paths([SEED])
    await engine.set_chat_report(7, "wuqia-2022")
    changed = tmp_path / "wuqia-2022.txt"
    changed.write_bytes(SEED.read_bytes() + "\n附：本报告另有说明。\n".encode())
    assert (await engine.ingest_paths([changed])).updated == ["wuqia-2022"]
    assert await engine.chat_report(7) == "wuqia-2022"
    status, _ = await engine.ingest_bytes(SEED.read_bytes(), "wuqia-2022.txt")
    assert status == "updated" and await engine.chat_report(7) == "wuqia-2022"
    assert await engine.delete_report("wuqia-2022")
    assert await engine.chat_report(7) is None


def test_report_ids():
    assert report_id_for("seeds/wuqia-2022.txt") == "wuqia-2022"
    assert report_id_for("corpus/national/2023.txt") == "national-2023"
    assert report_id_for("Beijing.HTML") == "beijing"


async def test_a_file_name_without_a_year_gets_the_reports_year(tmp_path):
    """Next year's beijing.txt is a new report, not an update of this year's."""
    source = ROOT / "tests" / "data" / "corpus" / "provincial-2026" / "beijing.txt"
    engine = await Engine.open(tmp_path / "r.db")
    try:
        first = await engine.ingest_paths([source])
        assert first.added == ["beijing-2026"]
        again = await engine.ingest_paths([source])
        assert again.unchanged == ["beijing-2026"]
        other_year = source.read_text(encoding="utf-8").replace("2026年", "2027年")
        status, rid = await engine.ingest_bytes(other_year.encode("utf-8"), "beijing.txt")
        assert (status, rid) == ("added", "beijing-2027")
        assert {r.id for r in await engine.reports()} == {"beijing-2026", "beijing-2027"}
    finally:
        await engine.close()


NATIONAL = ROOT / "tests" / "data" / "reports" / "national-2023.txt"
NATIONAL_TOO = ROOT / "tests" / "data" / "corpus" / "national" / "2023.txt"


async def test_queries_during_the_bots_own_replace_see_old_or_new(engine, tmp_path):
    """The bot's queries never see a report half replaced by its own update (same process)."""
    await engine.ingest_paths([NATIONAL, SEED])  # the new version's rows get new ids
    old = await engine.ask("就业目标", report_id="national-2023")
    assert old.figures
    changed = tmp_path / "national-2023.txt"
    counts: list[tuple[int, int]] = []
    done = asyncio.Event()

    async def ask() -> None:
        while not done.is_set():
            for rid in ("national-2023", None):
                answer = await engine.ask("就业目标", report_id=rid)
                assert not answer.empty, "an answer during the update was empty"
                if rid:
                    counts.append((len(answer.figures), len(answer.excerpts)))
            await asyncio.sleep(0)

    async def update() -> None:
        try:
            for i in range(4):  # back and forth: four updates, four chances to see a mix
                # A change in the text itself: an appended line after the closing words is
                # dropped by normalization, and the same normalized text is no update.
                marked = f"不懈奋斗（第{i}次更新）！".encode()
                changed.write_bytes(NATIONAL.read_bytes().replace("不懈奋斗！".encode(), marked))
                assert (await engine.ingest_paths([changed])).updated == ["national-2023"]
        finally:
            done.set()

    await asyncio.gather(*(ask() for _ in range(6)), update())
    new = await engine.ask("就业目标", report_id="national-2023")
    whole = {(len(a.figures), len(a.excerpts)) for a in (old, new)}
    assert counts and set(counts) <= whole, set(counts) - whole


async def test_two_files_with_one_report_id_fail_instead_of_flapping(engine):
    """reports/national-2023.txt and corpus/national/2023.txt are both national-2023: loading
    both must not replace one with the other on every run."""
    first = await engine.ingest_paths([NATIONAL, NATIONAL_TOO])
    assert first.added == ["national-2023"]
    assert first.failed == [("2023.txt", "same report id as national-2023.txt; rename one of them")]
    sha = (await engine.get_report("national-2023")).sha256
    for _ in range(2):
        again = await engine.ingest_paths([NATIONAL, NATIONAL_TOO])
        assert again.unchanged == ["national-2023"] and not again.updated and not again.added
        assert [name for name, _ in again.failed] == ["2023.txt"]
        assert (await engine.get_report("national-2023")).sha256 == sha
    # An id that gets the report's year appended (guangdong.txt → guangdong-2026) counts too.
    gd = ROOT / "tests" / "data" / "reports" / "guangdong-2026.txt"
    gd_too = ROOT / "tests" / "data" / "corpus" / "provincial-2026" / "guangdong.txt"
    for _ in range(2):
        run = await engine.ingest_paths([gd, gd_too])
        assert not run.updated
        assert run.failed == [
            ("guangdong.txt", "same report id as guangdong-2026.txt; rename one of them")
        ]


async def test_match_swallows_only_fts_syntax_errors(store):
    await store.replace("r", prepare(make_report(["城镇新增就业819人。"])))
    unterminated = await store.read(reads.match, "passages", '"就业', limit=5)
    assert unterminated == []
    assert await store.read(reads.match, "passages", "AND AND", limit=5) == []  # syntax error
    assert await store.read(reads.match, "passages", '"就业"', limit=5)

    class Locked:
        def execute(self, *args, **kwargs):
            raise sqlite3.OperationalError("database is locked")

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        reads.match(Locked(), "passages", '"就业"', limit=5)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        reads.match(Locked(), "figures", '"就业"', ranges=[(1, 10)], limit=5)


async def test_ids_are_never_reused(store):
    """A deleted or replaced report's ids are not handed to the next report: a button or a
    log line that kept an id never points at another report's row."""
    await store.replace("a", prepare(make_report(["甲，就业1人。"])))
    await store.replace("b", prepare(make_report(["乙，就业2人。", "丙，就业3人。"])))
    b = {s.id: s for s in await store.scopes()}["b"]
    assert await store.delete("b")  # b held the highest ids
    await store.replace("c", prepare(make_report(["丁，就业4人。"])))
    c = {s.id: s for s in await store.scopes()}["c"]
    assert c.passage_lo > b.passage_hi and c.figure_lo > b.figure_hi
    await store.replace("a", prepare(make_report(["甲，就业1人。"], version="v2")))
    a = {s.id: s for s in await store.scopes()}["a"]
    assert a.passage_lo > c.passage_hi


async def test_every_write_to_reports_bumps_the_generation(store):
    g0 = await store.generation()
    await store.replace("a", prepare(make_report(["甲。"])))
    g1 = await store.generation()
    assert await store.replace("a", prepare(make_report(["甲。"]))) == "unchanged"
    assert await store.generation() == g1 > g0
    await store.set_chat_report(1, "a")  # not a change of the library
    assert await store.generation() == g1
    assert await store.delete("a")
    assert await store.generation() > g1


async def test_before_commit_failure_rolls_the_report_back(store):
    await store.replace("r", prepare(make_report(["旧文本。"])))
    before = await store.stats()

    async def fail() -> None:
        raise OSError("cannot rename the upload")

    with pytest.raises(OSError):
        await store.replace("r", prepare(make_report(["新文本。"], version="v2")),
                            before_commit=fail)  # fmt: skip
    assert await store.stats() == before
    assert "旧" in (await store.read(reads.passages_by_id, [1]))[0].text


def test_either_index_gives_an_indicators_figures_alike(
    library_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few reports walk their own index, many the indicator's (a table over 600 national years):
    a choice of speed only, so both give the same rows in the same order."""
    conn = sqlite3.connect(f"file:{library_db}?mode=ro", uri=True)
    try:
        national = [r[0] for r in conn.execute("SELECT id FROM reports WHERE region_id = 'cn'")]
        assert len(national) > 40

        def fetch() -> list[tuple[int, str]]:
            rows = reads.figures_identified(conn, "gdp", kinds=["target"], report_ids=national)
            return [(row.id, row.report_id) for row in rows]

        by_report = fetch()
        monkeypatch.setattr(reads, "FEW_REPORTS", 0)
        assert fetch() == by_report and len(by_report) > 40
    finally:
        conn.close()

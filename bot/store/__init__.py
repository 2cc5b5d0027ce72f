"""SQLite storage: the only package that speaks SQL.

One writer, many readers, as in datasette:
- Writes go through one aiosqlite connection, one transaction at a time (`_wlock`).
- Reads run as functions: `await store.read(fn, *args)` calls `fn(conn, *args)` in a worker
  thread, inside one read transaction on a read-only connection of that thread. With WAL,
  everything `fn` reads comes from one committed snapshot, so a query never sees a report
  half replaced, whatever the writer does meanwhile, and its CPU work (ranking) stays off the
  event loop. `bot/store/reads.py` holds the read queries.

The schema is an ordered list of migrations (`bot/store/schema.py`), applied on open.
"""

from __future__ import annotations

import asyncio
import functools
import json
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.fingerprint import content_digest
from bot.store import reads, schema
from bot.store.rows import (
    PARSER_VERSION,
    Batch,
    FigureRow,
    PassageRow,
    Prepared,
    ReportInfo,
    ReportScope,
    prepare,
)
from bot.store.schema import SCHEMA_VERSION, StoreError, migrate

__all__ = [
    "PARSER_VERSION",
    "SCHEMA_VERSION",
    "Batch",
    "FigureRow",
    "PassageRow",
    "Prepared",
    "ReportInfo",
    "ReportScope",
    "Store",
    "StoreError",
    "prepare",
    "reads",
    "schema",
]

READERS = 3  # read threads (and connections): queries of several chats run side by side

T = TypeVar("T")
# Page cache per connection: 16 MB for the writer, 8 MB for each reader (peak RSS counts them
# all; the index a query touches is a few MB).
WRITER_PRAGMAS = ("PRAGMA busy_timeout=5000", "PRAGMA cache_size=-16000")
READER_PRAGMAS = ("PRAGMA busy_timeout=5000", "PRAGMA cache_size=-8000")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Readers:
    """Worker threads, each with its own read-only connection, opened on first use."""

    def __init__(self, path: Path, size: int) -> None:
        self._path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="reportbot-read")

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                f"file:{self._path}?mode=ro", uri=True, isolation_level=None,
                check_same_thread=False,  # closed from the closing thread, after the pool ends
            )  # fmt: skip
            for pragma in READER_PRAGMAS:
                conn.execute(pragma)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        conn = self._conn()
        conn.execute("BEGIN")  # deferred: the snapshot is taken by the first read
        try:
            return fn(conn, *args, **kwargs)
        finally:
            conn.execute("ROLLBACK")  # nothing was written; ends the snapshot

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        call = functools.partial(self._run, fn, *args, **kwargs)
        return await loop.run_in_executor(self._pool, call)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()


class Store:
    def __init__(
        self,
        writer: aiosqlite.Connection,
        readers: _Readers,
        *,
        created: bool,
        path: Path,
        tempdir: Path | None = None,
    ) -> None:
        self._w = writer
        self._readers = readers
        self._wlock = asyncio.Lock()
        self.path = path
        self._tempdir = tempdir  # the folder of a ":memory:" store, removed on close
        self.created = created  # True when this open made the schema (no reports table before)

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        """Open (creating and migrating as needed) the database at `path`.

        ":memory:" gives a private database in a temporary folder, removed on close: readers
        need a second connection to the same database, which an in-memory one cannot offer
        without shared-cache locking.
        """
        tempdir = None
        if str(path) == ":memory:":
            tempdir = Path(tempfile.mkdtemp(prefix="reportbot-"))
            path = tempdir / "reports.db"
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            created = await asyncio.to_thread(cls._migrate, path)
            writer = await aiosqlite.connect(str(path), isolation_level=None)
        except BaseException:
            if tempdir is not None:
                shutil.rmtree(tempdir, ignore_errors=True)
            raise
        try:
            for pragma in WRITER_PRAGMAS:
                await writer.execute(pragma)
            # WAL + NORMAL: durable at checkpoints, and commits do not wait for the disk.
            await writer.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            await writer.close()
            raise
        return cls(writer, _Readers(path, READERS), created=created, path=path, tempdir=tempdir)

    @staticmethod
    def _migrate(path: Path) -> bool:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=5000")
            return migrate(conn)
        finally:
            conn.close()

    async def close(self) -> None:
        try:
            await asyncio.to_thread(self._readers.close)
        finally:
            await self._w.close()
            if self._tempdir is not None:
                shutil.rmtree(self._tempdir, ignore_errors=True)

    # ---- reads ------------------------------------------------------------------------------

    async def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(conn, *args, **kwargs)` in a worker thread, inside one read transaction, so
        everything it reads comes from one committed snapshot."""
        return await self._readers.run(fn, *args, **kwargs)

    async def reports(self) -> list[ReportInfo]:
        return await self.read(reads.reports)

    async def report(self, report_id: str) -> ReportInfo | None:
        return await self.read(reads.report, report_id)

    async def scopes(self) -> list[ReportScope]:
        return await self.read(reads.scopes)

    async def stats(self) -> dict[str, int]:
        return await self.read(reads.stats)

    async def sha256(self, report_id: str) -> str | None:
        return await self.read(reads.sha256, report_id)

    async def chat_report(self, chat_id: int) -> str | None:
        return await self.read(reads.chat_report, chat_id)

    async def generation(self) -> int:
        return await self.read(reads.generation)

    # ---- writes -----------------------------------------------------------------------------

    async def replace(
        self,
        report_id: str,
        prepared: Prepared,
        *,
        before_commit: Callable[[], Awaitable[None]] | None = None,
    ) -> str:
        """Write one report, replacing any report with the same id, in a single transaction.

        Returns "added", "updated" or "unchanged" (same bytes, same parser: nothing written).
        Readers see the old report or the new one, never a mix. `before_commit` runs inside
        the transaction after the rows are written (e.g. to put the report's file in place);
        if it raises, nothing is committed.
        """
        async with self._wlock:
            return await self._replace(report_id, prepared, before_commit)

    async def _replace(
        self,
        report_id: str,
        prepared: Prepared,
        before_commit: Callable[[], Awaitable[None]] | None,
    ) -> str:
        report = prepared.report
        db = self._w
        await db.execute("BEGIN IMMEDIATE")
        try:
            async with db.execute(
                "SELECT sha256, parser_version FROM reports WHERE id=?", (report_id,)
            ) as cur:
                row = await cur.fetchone()
            if row and row[0] == report.sha256 and row[1] >= PARSER_VERSION:
                await db.execute("ROLLBACK")
                return "unchanged"
            if row:
                # A newer version of the same report: chats that chose it keep it.
                await self._delete(report_id, keep_chats=True)
            await self._insert(report_id, prepared)
            await self._bump_generation()
            if before_commit is not None:
                await before_commit()
            await db.execute("COMMIT")
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        return "updated" if row else "added"

    async def _take_ids(self, name: str, count: int) -> int:
        """The first of `count` fresh ids for `name` ("passage" or "figure"): never reused."""
        async with self._w.execute("SELECT value FROM counters WHERE name=?", (name,)) as cur:
            row = await cur.fetchone()
        if row is None:  # every migrated database has the counters (schema.py, 0002)
            raise StoreError(f"counter {name!r} is missing")
        last = row[0]
        await self._w.execute("UPDATE counters SET value=? WHERE name=?", (last + count, name))
        return last + 1

    async def _bump_generation(self) -> None:
        await self._w.execute("UPDATE counters SET value = value + 1 WHERE name='generation'")

    async def _insert(self, report_id: str, prepared: Prepared) -> None:
        report, db, m = prepared.report, self._w, prepared.report.meta
        text_sha = content_digest(p.text for p in report.passages)
        await db.execute(
            "INSERT INTO reports (id, title, region, level, review_year, target_year, delivered,"
            " speaker, office, publisher, published, source_url, source, sha256, warnings,"
            " loaded_at, region_id, parser_version, text_sha256)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                report_id, m.title, m.region, m.level, m.review_year, m.target_year, m.delivered,
                m.speaker, m.office, m.publisher, m.published, m.source_url, report.source,
                report.sha256, json.dumps(report.warnings, ensure_ascii=False), _now(),
                m.region_id, PARSER_VERSION, text_sha,
            ),
        )  # fmt: skip
        await db.executemany(
            "INSERT INTO sections (report_id, idx, parent, level, number, title, path, start,"
            ' "end") VALUES (?,?,?,?,?,?,?,?,?)',
            [
                (report_id, s.index, s.parent, s.level, s.number, s.title, " > ".join(s.path),
                 s.start, s.end)
                for s in report.sections
            ],
        )  # fmt: skip
        # Fresh, contiguous ids: one report's rows form a rowid range, which scopes FTS5.
        p0 = await self._take_ids("passage", len(report.passages))
        f0 = await self._take_ids("figure", len(report.figures))
        await db.executemany(
            'INSERT INTO passages (id, report_id, idx, section, path, text, start, "end")'
            " VALUES (?,?,?,?,?,?,?,?)",
            [
                (p0 + i, report_id, p.index, p.section, " > ".join(p.path), p.text, p.start, p.end)
                for i, p in enumerate(report.passages)
            ],
        )
        await db.executemany(
            "INSERT INTO passages_fts (rowid, body) VALUES (?, ?)",
            [(p0 + i, body) for i, body in enumerate(prepared.passage_index)],
        )
        pid_of = {p.index: p0 + i for i, p in enumerate(report.passages)}
        await db.executemany(
            "INSERT INTO figures (id, report_id, passage_id, idx, indicator, value, number, unit,"
            ' qualifier, kind, year, text, sentence, section, start, "end", passage,'
            " indicator_id, measure) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (f0 + i, report_id, pid_of.get(f.passage, 0), i, f.indicator, f.value, f.number,
                 f.unit, f.qualifier, f.kind, f.year, f.text, f.sentence, f.section, f.start,
                 f.end, f.passage, f.indicator_id, f.measure)
                for i, f in enumerate(report.figures)
            ],
        )  # fmt: skip
        await db.executemany(
            "INSERT INTO figures_fts (rowid, indicator, body) VALUES (?, ?, ?)",
            [(f0 + i, ind, body) for i, (ind, body) in enumerate(prepared.figure_index)],
        )
        await db.execute(
            "UPDATE reports SET passage_lo=?, passage_hi=?, figure_lo=?, figure_hi=? WHERE id=?",
            (p0, p0 + len(report.passages) - 1, f0, f0 + len(report.figures) - 1, report_id),
        )

    async def _delete(self, report_id: str, *, keep_chats: bool = False) -> bool:
        """Remove a report's rows; its chat settings too unless `keep_chats` (a replacement)."""
        db = self._w
        async with db.execute(
            "SELECT passage_lo, passage_hi, figure_lo, figure_hi FROM reports WHERE id=?",
            (report_id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return False
        plo, phi, flo, fhi = row
        await db.execute("DELETE FROM passages_fts WHERE rowid BETWEEN ? AND ?", (plo, phi))
        await db.execute("DELETE FROM figures_fts WHERE rowid BETWEEN ? AND ?", (flo, fhi))
        for table in ("figures", "passages", "sections"):
            await db.execute(f"DELETE FROM {table} WHERE report_id=?", (report_id,))
        await db.execute("DELETE FROM reports WHERE id=?", (report_id,))
        if not keep_chats:
            await db.execute("DELETE FROM chat_settings WHERE report_id=?", (report_id,))
        return True

    async def delete(self, report_id: str) -> bool:
        async with self._wlock:
            await self._w.execute("BEGIN IMMEDIATE")
            try:
                found = await self._delete(report_id)
                if found:
                    await self._bump_generation()
                await self._w.execute("COMMIT")
            except BaseException:
                await self._w.execute("ROLLBACK")
                raise
            return found

    async def set_chat_report(self, chat_id: int, report_id: str | None) -> None:
        async with self._wlock:
            if report_id is None:
                await self._w.execute("DELETE FROM chat_settings WHERE chat_id=?", (chat_id,))
            else:
                await self._w.execute(
                    "INSERT INTO chat_settings (chat_id, report_id, updated_at) VALUES (?,?,?)"
                    " ON CONFLICT(chat_id) DO UPDATE SET report_id=excluded.report_id,"
                    " updated_at=excluded.updated_at",
                    (chat_id, report_id, _now()),
                )

    # ---- usage, learned synonyms, button states ----------------------------------------------

    async def write_batch(self, batch: Batch) -> None:
        """Query log rows, button states and pruning, in one transaction (bot/journal.py)."""
        # Shielded: a caller cancelled halfway (a handler at shutdown) must not leave the
        # writer inside a transaction; the write finishes or rolls back on its own.
        await asyncio.shield(self._write_batch(batch))

    async def _write_batch(self, batch: Batch) -> None:
        async with self._wlock:
            db = self._w
            await db.execute("BEGIN IMMEDIATE")
            try:
                if batch.queries:
                    await db.executemany(
                        "INSERT INTO query_log (at, query, answered, kind) VALUES (?,?,?,?)",
                        batch.queries,
                    )
                if batch.log_before is not None:
                    await db.execute("DELETE FROM query_log WHERE at < ?", (batch.log_before,))
                if batch.log_rows is not None:
                    # Ids only grow and rows go from the oldest: the newest N are an id range.
                    await db.execute(
                        "DELETE FROM query_log WHERE id <= (SELECT max(id) FROM query_log) - ?",
                        (batch.log_rows,),
                    )
                if batch.states:
                    await db.executemany(
                        "INSERT OR REPLACE INTO button_states"
                        " (key, kind, payload, chat_id, message_id, expires_at)"
                        " VALUES (?,?,?,?,?,?)",
                        batch.states,
                    )
                if batch.drops:
                    await db.executemany(
                        "DELETE FROM button_states WHERE key=?", [(k,) for k in batch.drops]
                    )
                if batch.states_before is not None:
                    await db.execute(
                        "DELETE FROM button_states WHERE expires_at <= ?", (batch.states_before,)
                    )
                if batch.states_keep is not None:
                    await db.execute(
                        "DELETE FROM button_states WHERE key IN (SELECT key FROM button_states"
                        " ORDER BY expires_at DESC LIMIT -1 OFFSET ?)",
                        (batch.states_keep,),
                    )
                await db.execute("COMMIT")
            except BaseException:
                await db.execute("ROLLBACK")
                raise

    async def add_synonym(self, term: str, meaning: str) -> bool:
        """Learn `term` → `meaning`; False when it was known already. Bumps the 'synonyms'
        counter, so every engine on this database reloads the learned table."""
        return await asyncio.shield(self._add_synonym(term, meaning))  # as write_batch

    async def _add_synonym(self, term: str, meaning: str) -> bool:
        async with self._wlock:
            db = self._w
            await db.execute("BEGIN IMMEDIATE")
            try:
                cur = await db.execute(
                    "INSERT OR IGNORE INTO synonyms (term, meaning, added_by_admin_at)"
                    " VALUES (?,?,?)",
                    (term, meaning, _now()),
                )
                added = cur.rowcount > 0
                if added:
                    await db.execute(
                        "UPDATE counters SET value = value + 1 WHERE name='synonyms'"
                    )
                await db.execute("COMMIT")
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            return added

    async def put_preview(
        self,
        key: str,
        *,
        name: str,
        file: str,
        report_id: str,
        action: str,
        expect_sha256: str | None,
        expires_at: int,
    ) -> None:
        async with self._wlock:
            await self._w.execute(
                "INSERT INTO upload_previews (key, name, file, report_id, action, expect_sha256,"
                " state, expires_at) VALUES (?,?,?,?,?,?,'pending',?)",
                (key, name, file, report_id, action, expect_sha256, expires_at),
            )

    async def bind_preview(self, key: str, chat_id: int, message_id: int) -> None:
        async with self._wlock:
            await self._w.execute(
                "UPDATE upload_previews SET chat_id=?, message_id=? WHERE key=?",
                (chat_id, message_id, key),
            )

    async def advance_preview(
        self, key: str, before: str, after: str, *, expires_at: int | None = None
    ) -> bool:
        """Move a preview from state `before` to `after`, atomically: of two taps racing for
        the same preview exactly one wins. A final state also forgets the file's name."""
        final = after not in ("pending", "importing")
        async with self._wlock:
            cur = await self._w.execute(
                "UPDATE upload_previews SET state=?,"
                " file = CASE WHEN ? THEN '' ELSE file END,"
                " expires_at = coalesce(?, expires_at)"
                " WHERE key=? AND state=?",
                (after, final, expires_at, key, before),
            )
            return cur.rowcount == 1

    async def drop_previews(self, keys: list[str]) -> None:
        async with self._wlock:
            await self._w.executemany(
                "DELETE FROM upload_previews WHERE key=?", [(k,) for k in keys]
            )

"""SQLite storage: the only module that speaks SQL.

Two aiosqlite connections per process (aiosqlite runs each on its own thread): one for reads,
one for writes, serialized by a lock. With WAL the reader only ever sees committed snapshots, so
a query never sees a report half replaced, even one running while the bot's own update does.
An in-memory database has one connection (a second would be another database).
Passages and figures of one report get contiguous ids (inserted in one write transaction), and
the report row keeps their ranges, so "only this report" is a rowid range that FTS5 can use.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.report.model import Figure, Report
from bot.search.segment import FTS_TOKENIZE, index_text

SCHEMA_VERSION = 1

# The whole schema. Every statement is IF NOT EXISTS, so running it again is harmless.
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS reports (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    level       TEXT NOT NULL DEFAULT 'unknown',
    review_year INTEGER,
    target_year INTEGER,
    delivered   TEXT NOT NULL DEFAULT '',
    speaker     TEXT NOT NULL DEFAULT '',
    office      TEXT NOT NULL DEFAULT '',
    publisher   TEXT NOT NULL DEFAULT '',
    published   TEXT NOT NULL DEFAULT '',
    source_url  TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    sha256      TEXT NOT NULL,
    warnings    TEXT NOT NULL DEFAULT '[]',
    loaded_at   TEXT NOT NULL,
    passage_lo  INTEGER NOT NULL DEFAULT 0,
    passage_hi  INTEGER NOT NULL DEFAULT -1,
    figure_lo   INTEGER NOT NULL DEFAULT 0,
    figure_hi   INTEGER NOT NULL DEFAULT -1
);
CREATE TABLE IF NOT EXISTS sections (
    report_id TEXT NOT NULL,
    idx       INTEGER NOT NULL,
    parent    INTEGER,
    level     INTEGER NOT NULL,
    number    TEXT NOT NULL,
    title     TEXT NOT NULL,
    path      TEXT NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    PRIMARY KEY (report_id, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS passages (
    id        INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL,
    idx       INTEGER NOT NULL,
    section   INTEGER,
    path      TEXT NOT NULL,
    text      TEXT NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_report ON passages(report_id, idx);
CREATE TABLE IF NOT EXISTS figures (
    id         INTEGER PRIMARY KEY,
    report_id  TEXT NOT NULL,
    passage_id INTEGER NOT NULL,
    idx        INTEGER NOT NULL,
    indicator  TEXT NOT NULL,
    value      TEXT NOT NULL,
    number     REAL,
    unit       TEXT NOT NULL,
    qualifier  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    year       INTEGER,
    text       TEXT NOT NULL,
    sentence   TEXT NOT NULL,
    section    TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    passage    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS figures_report ON figures(report_id);
CREATE INDEX IF NOT EXISTS figures_passage ON figures(passage_id);
CREATE INDEX IF NOT EXISTS figures_indicator ON figures(indicator);
-- Segmented text (bot/search/segment.py); rowid = passages.id / figures.id.
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(body, tokenize="{FTS_TOKENIZE}");
CREATE VIRTUAL TABLE IF NOT EXISTS figures_fts USING fts5(
    indicator, body, tokenize="{FTS_TOKENIZE}"
);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_vocab USING fts5vocab(passages_fts, row);
CREATE TABLE IF NOT EXISTS chat_settings (
    chat_id    INTEGER PRIMARY KEY,
    report_id  TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

FIGURE_COLUMNS = (
    "f.id, f.report_id, f.passage_id, f.indicator, f.value, f.number, f.unit, f.qualifier, "
    'f.kind, f.year, f.text, f.sentence, f.section, f.start, f."end", f.passage'
)


class StoreError(Exception):
    """The database cannot be used as it is (e.g. written by a newer version)."""


@dataclass(slots=True, frozen=True)
class ReportInfo:
    id: str
    title: str
    region: str
    level: str
    year: int | None  # the target year, the year the report is delivered in
    review_year: int | None
    figures: int
    targets: int
    actuals: int
    passages: int
    source: str
    sha256: str
    loaded_at: str


@dataclass(slots=True, frozen=True)
class ReportScope:
    """What search needs to know about a report to scope and label results."""

    id: str
    title: str
    region: str
    level: str
    review_year: int | None
    target_year: int | None
    passage_lo: int
    passage_hi: int
    figure_lo: int
    figure_hi: int


@dataclass(slots=True)
class FigureRow:
    id: int
    report_id: str
    passage_id: int
    figure: Figure


@dataclass(slots=True)
class PassageRow:
    id: int
    report_id: str
    idx: int
    path: str
    text: str


@dataclass(slots=True)
class Prepared:
    """A parsed report with its index text computed: everything ingest writes, built off-loop."""

    report: Report
    passage_index: list[str]
    figure_index: list[tuple[str, str]]


def prepare(report: Report) -> Prepared:
    """CPU work (jieba) for ingest; run it in a thread, before the write transaction opens."""
    return Prepared(
        report=report,
        passage_index=[index_text(p.text) for p in report.passages],
        figure_index=[
            (index_text(f.indicator), index_text(f"{f.text} {f.section}")) for f in report.figures
        ],
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _figure(row: Sequence[Any]) -> FigureRow:
    return FigureRow(
        id=row[0],
        report_id=row[1],
        passage_id=row[2],
        figure=Figure(
            indicator=row[3],
            value=row[4],
            number=row[5],
            unit=row[6],
            qualifier=row[7],
            kind=row[8],
            year=row[9],
            text=row[10],
            sentence=row[11],
            section=row[12],
            start=row[13],
            end=row[14],
            passage=row[15],
        ),
    )


def _fts_syntax_error(exc: sqlite3.OperationalError) -> bool:
    msg = str(exc).lower()
    return msg.startswith("fts5:") or "syntax error" in msg or "unterminated" in msg


def _placeholders(n: int) -> str:
    return ",".join("?" * n)


class Store:
    def __init__(
        self,
        conn: aiosqlite.Connection,
        *,
        created: bool,
        path: Path | None = None,
        writer: aiosqlite.Connection | None = None,
    ) -> None:
        self._db = conn  # reads only: it sees committed snapshots
        self._w = writer or conn  # every write (one transaction at a time, under _wlock)
        self._wlock = asyncio.Lock()
        self._path = path  # None for an in-memory database
        self.created = created  # True when this open made the schema (no reports table before)

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        memory = str(path) == ":memory:"
        writer = await aiosqlite.connect(str(path), isolation_level=None)
        reader: aiosqlite.Connection | None = None
        try:
            created = await cls._migrate(writer)
            if not memory:
                reader = await aiosqlite.connect(str(path), isolation_level=None)
                await reader.execute("PRAGMA busy_timeout=5000")
                await reader.execute("PRAGMA cache_size=-16000")
        except BaseException:
            if reader is not None:
                await reader.close()
            await writer.close()
            raise
        if memory:
            return cls(writer, created=created)
        return cls(reader, created=created, path=Path(path), writer=writer)

    @staticmethod
    async def _migrate(conn: aiosqlite.Connection) -> bool:
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoints
        await conn.execute("PRAGMA busy_timeout=5000")
        await conn.execute("PRAGMA cache_size=-16000")  # 16 MB page cache
        async with conn.execute("PRAGMA user_version") as cur:
            version = (await cur.fetchone())[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"database schema version {version} is newer than this code ({SCHEMA_VERSION})"
            )
        async with conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='reports'"
        ) as cur:
            existed = await cur.fetchone() is not None
        await conn.executescript(
            f"BEGIN IMMEDIATE;{SCHEMA}PRAGMA user_version={SCHEMA_VERSION};COMMIT;"
        )
        return not existed

    async def close(self) -> None:
        try:
            await self._db.close()
        finally:
            if self._w is not self._db:
                await self._w.close()

    # ---- loading ----------------------------------------------------------------------------

    async def sha256(self, report_id: str) -> str | None:
        async with self._db.execute("SELECT sha256 FROM reports WHERE id=?", (report_id,)) as cur:
            row = await cur.fetchone()
        return row[0] if row else None

    async def replace(
        self,
        report_id: str,
        prepared: Prepared,
        *,
        before_commit: Callable[[], Awaitable[None]] | None = None,
    ) -> str:
        """Write one report, replacing any report with the same id, in a single transaction.

        Returns "added", "updated" or "unchanged" (same content hash: nothing is written).
        Readers on other connections see the old report or the new one, never a mix.
        `before_commit` (hard-uploads) runs inside the transaction just before COMMIT, e.g. to
        put the uploaded file in place: if it raises, the transaction is rolled back.
        """
        async with self._wlock:
            return await self._replace(report_id, prepared, before_commit)

    async def _replace(
        self,
        report_id: str,
        prepared: Prepared,
        before_commit: Callable[[], Awaitable[None]] | None = None,
    ) -> str:
        report = prepared.report
        db = self._w
        await db.execute("BEGIN IMMEDIATE")
        try:
            async with db.execute("SELECT sha256 FROM reports WHERE id=?", (report_id,)) as cur:
                row = await cur.fetchone()
            if row and row[0] == report.sha256:
                await db.execute("ROLLBACK")
                return "unchanged"
            if row:
                # A newer version of the same report: chats that chose it keep it.
                await self._delete(report_id, keep_chats=True)
            await self._insert(report_id, prepared)
            if before_commit is not None:
                await before_commit()
            await db.execute("COMMIT")
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        return "updated" if row else "added"

    async def _insert(self, report_id: str, prepared: Prepared) -> None:
        report, db, m = prepared.report, self._w, prepared.report.meta
        await db.execute(
            "INSERT INTO reports (id, title, region, level, review_year, target_year, delivered,"
            " speaker, office, publisher, published, source_url, source, sha256, warnings,"
            " loaded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                report_id, m.title, m.region, m.level, m.review_year, m.target_year, m.delivered,
                m.speaker, m.office, m.publisher, m.published, m.source_url, report.source,
                report.sha256, json.dumps(report.warnings, ensure_ascii=False), _now(),
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
        async with db.execute("SELECT coalesce(max(id), 0) FROM passages") as cur:
            p0 = (await cur.fetchone())[0] + 1
        async with db.execute("SELECT coalesce(max(id), 0) FROM figures") as cur:
            f0 = (await cur.fetchone())[0] + 1
        # Explicit ids keep one report's rows contiguous, which makes its scope a rowid range.
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
            ' qualifier, kind, year, text, sentence, section, start, "end", passage)'
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (f0 + i, report_id, pid_of.get(f.passage, 0), i, f.indicator, f.value, f.number,
                 f.unit, f.qualifier, f.kind, f.year, f.text, f.sentence, f.section, f.start,
                 f.end, f.passage)
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
                await self._w.execute("COMMIT")
            except BaseException:
                await self._w.execute("ROLLBACK")
                raise
            return found

    # ---- reports ----------------------------------------------------------------------------

    _INFO = (
        "SELECT r.id, r.title, r.region, r.level, r.target_year, r.review_year,"
        " r.figure_hi - r.figure_lo + 1,"
        " (SELECT count(*) FROM figures f WHERE f.report_id = r.id AND f.kind = 'target'),"
        " (SELECT count(*) FROM figures f WHERE f.report_id = r.id AND f.kind = 'actual'),"
        " r.passage_hi - r.passage_lo + 1, r.source, r.sha256, r.loaded_at FROM reports r"
    )

    async def reports(self) -> list[ReportInfo]:
        async with self._db.execute(
            self._INFO + " ORDER BY r.target_year DESC, r.region, r.id"
        ) as cur:
            return [ReportInfo(*row) for row in await cur.fetchall()]

    # hard-uploads: what bot/fingerprint.py needs to recognise a report's content under another
    # name, without a schema change (the lead may fold a digest column into a migration).
    async def report_hashes(self) -> list[tuple[str, str]]:
        """(id, sha256 of the raw bytes) of every report: a report row's content version."""
        async with self._db.execute("SELECT id, sha256 FROM reports") as cur:
            return [(row[0], row[1]) for row in await cur.fetchall()]

    async def passage_texts(self, report_id: str) -> list[str]:
        """A report's passages in order: its normalized text, as bot/fingerprint.py hashes it."""
        async with self._db.execute(
            "SELECT text FROM passages WHERE report_id=? ORDER BY idx", (report_id,)
        ) as cur:
            return [row[0] for row in await cur.fetchall()]

    async def report(self, report_id: str) -> ReportInfo | None:
        async with self._db.execute(self._INFO + " WHERE r.id=?", (report_id,)) as cur:
            row = await cur.fetchone()
        return ReportInfo(*row) if row else None

    async def scopes(self) -> list[ReportScope]:
        async with self._db.execute(
            "SELECT id, title, region, level, review_year, target_year, passage_lo, passage_hi,"
            " figure_lo, figure_hi FROM reports"
        ) as cur:
            return [ReportScope(*row) for row in await cur.fetchall()]

    async def stats(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for name in ("reports", "passages", "figures"):
            async with self._db.execute(f"SELECT count(*) FROM {name}") as cur:
                out[name] = (await cur.fetchone())[0]
        return out

    async def data_version(self) -> int:
        """Changes when another connection commits; with our own writes, tells caches to reload."""
        async with self._db.execute("PRAGMA data_version") as cur:
            return (await cur.fetchone())[0]

    # ---- chats ------------------------------------------------------------------------------

    async def chat_report(self, chat_id: int) -> str | None:
        async with self._db.execute(
            "SELECT report_id FROM chat_settings WHERE chat_id=?", (chat_id,)
        ) as cur:
            row = await cur.fetchone()
        return row[0] if row else None

    async def set_chat_report(self, chat_id: int, report_id: str | None) -> None:
        async with self._wlock:
            await self._set_chat_report(chat_id, report_id)

    async def _set_chat_report(self, chat_id: int, report_id: str | None) -> None:
        if report_id is None:
            await self._w.execute("DELETE FROM chat_settings WHERE chat_id=?", (chat_id,))
        else:
            await self._w.execute(
                "INSERT INTO chat_settings (chat_id, report_id, updated_at) VALUES (?,?,?)"
                " ON CONFLICT(chat_id) DO UPDATE SET report_id=excluded.report_id,"
                " updated_at=excluded.updated_at",
                (chat_id, report_id, _now()),
            )

    # ---- search primitives (bot/search/rank.py decides what to ask) ------------------------

    async def match_passages(
        self,
        expr: str,
        *,
        ranges: Sequence[tuple[int, int]] | None = None,
        report_ids: Sequence[str] | None = None,
        limit: int,
    ) -> list[tuple[int, float]]:
        """(passage id, bm25) for an FTS5 expression.

        Scope by `ranges` (rowid ranges, one query each: for a few reports) or by `report_ids`
        (a join: for many), else all reports. At most `limit` rows per query, newest first and
        unranked: bm25 is computed only for rows returned, so a word found in most passages
        costs a bounded amount of work.
        """
        return await self._match("passages_fts", "passages", "bm25(passages_fts)", expr,
                                 ranges, report_ids, limit)  # fmt: skip

    async def match_figures(
        self,
        expr: str,
        *,
        ranges: Sequence[tuple[int, int]] | None = None,
        report_ids: Sequence[str] | None = None,
        limit: int,
    ) -> list[tuple[int, float]]:
        return await self._match("figures_fts", "figures", "bm25(figures_fts, 4.0, 1.0)", expr,
                                 ranges, report_ids, limit)  # fmt: skip

    async def _match(
        self,
        fts: str,
        table: str,
        score: str,
        expr: str,
        ranges: Sequence[tuple[int, int]] | None,
        report_ids: Sequence[str] | None,
        limit: int,
    ) -> list[tuple[int, float]]:
        base = f"SELECT {fts}.rowid, {score} FROM {fts}"
        out: list[tuple[int, float]] = []
        try:
            if ranges is not None:
                for lo, hi in ranges:
                    async with self._db.execute(
                        f"{base} WHERE {fts} MATCH ? AND {fts}.rowid BETWEEN ? AND ?"
                        f" ORDER BY {fts}.rowid DESC LIMIT ?",
                        (expr, lo, hi, limit),
                    ) as cur:
                        out.extend(await cur.fetchall())
            elif report_ids is not None:
                async with self._db.execute(
                    f"{base} JOIN {table} t ON t.id = {fts}.rowid WHERE {fts} MATCH ?"
                    f" AND t.report_id IN ({_placeholders(len(report_ids))})"
                    f" ORDER BY {fts}.rowid DESC LIMIT ?",
                    (expr, *report_ids, limit),
                ) as cur:
                    out.extend(await cur.fetchall())
            else:
                async with self._db.execute(
                    f"{base} WHERE {fts} MATCH ? ORDER BY {fts}.rowid DESC LIMIT ?",
                    (expr, limit),
                ) as cur:
                    out.extend(await cur.fetchall())
        except sqlite3.OperationalError as exc:
            # A malformed expression (terms are quoted, so unlikely) is no hit; anything else
            # (database is locked, disk I/O error) is a real failure and must not read as one.
            if not _fts_syntax_error(exc):
                raise
            return []
        return out

    async def scan_passages(
        self, report_ids: Sequence[str], needles: Sequence[str], limit: int
    ) -> list[int]:
        """Passages of these reports that contain any needle as a substring (the short path)."""
        if not report_ids or not needles:
            return []
        cond = " OR ".join("instr(lower(text), ?) > 0" for _ in needles)
        async with self._db.execute(
            f"SELECT id FROM passages WHERE report_id IN ({_placeholders(len(report_ids))})"
            f" AND ({cond}) LIMIT ?",
            (*report_ids, *needles, limit),
        ) as cur:
            return [row[0] for row in await cur.fetchall()]

    async def scan_figures(
        self, report_ids: Sequence[str], needles: Sequence[str], limit: int
    ) -> list[FigureRow]:
        """Figures of these reports whose indicator, clause or section holds a needle.

        Not the sentence: a figure is not about what the rest of its sentence names (rank.py).
        """
        if not report_ids or not needles:
            return []
        field = "lower(f.indicator || ' ' || f.text || ' ' || f.section)"
        cond = " OR ".join(f"instr({field}, ?) > 0" for _ in needles)
        async with self._db.execute(
            f"SELECT {FIGURE_COLUMNS} FROM figures f"
            f" WHERE f.report_id IN ({_placeholders(len(report_ids))}) AND ({cond}) LIMIT ?",
            (*report_ids, *needles, limit),
        ) as cur:
            return [_figure(row) for row in await cur.fetchall()]

    async def figures_by_id(self, ids: Iterable[int]) -> list[FigureRow]:
        return await self._figures_where("f.id", list(ids))

    async def figures_in_passages(self, passage_ids: Iterable[int]) -> list[FigureRow]:
        return await self._figures_where("f.passage_id", list(passage_ids))

    async def _figures_where(self, column: str, ids: list[int]) -> list[FigureRow]:
        out: list[FigureRow] = []
        for i in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            chunk = ids[i : i + 500]
            async with self._db.execute(
                f"SELECT {FIGURE_COLUMNS} FROM figures f WHERE {column} IN"
                f" ({_placeholders(len(chunk))})",
                chunk,
            ) as cur:
                out.extend(_figure(row) for row in await cur.fetchall())
        return out

    async def passages_by_id(self, ids: Iterable[int]) -> list[PassageRow]:
        ids = list(ids)
        out: list[PassageRow] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            async with self._db.execute(
                "SELECT id, report_id, idx, path, text FROM passages WHERE id IN"
                f" ({_placeholders(len(chunk))})",
                chunk,
            ) as cur:
                out.extend(PassageRow(*row) for row in await cur.fetchall())
        return out

    _VOCAB = (
        "SELECT term, doc FROM passages_vocab WHERE length(term) BETWEEN ? AND ?"
        " AND unicode(term) >= 13312"
    )

    async def vocabulary(self, min_len: int = 2, max_len: int = 12) -> list[tuple[str, int]]:
        """Han words of the passage index with their document counts (for fuzzy matching).

        fts5vocab reads the whole index (~0.3 s at 1,000 reports), so a file database is read
        on a connection of its own in a thread, leaving the shared connection to queries.
        """
        if self._path is not None:
            return await asyncio.to_thread(self._vocabulary_sync, self._path, min_len, max_len)
        async with self._db.execute(self._VOCAB, (min_len, max_len)) as cur:
            return [(row[0], row[1]) for row in await cur.fetchall()]

    @classmethod
    def _vocabulary_sync(cls, path: Path, min_len: int, max_len: int) -> list[tuple[str, int]]:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return [(r[0], r[1]) for r in conn.execute(cls._VOCAB, (min_len, max_len))]
        finally:
            conn.close()

    async def indicator_names(self) -> list[tuple[str, int]]:
        """Distinct indicator names with how many figures use them."""
        async with self._db.execute(
            "SELECT indicator, count(*) FROM figures WHERE indicator != '' GROUP BY indicator"
        ) as cur:
            return [(row[0], row[1]) for row in await cur.fetchall()]

    async def figures_of(self, report_ids: Sequence[str], kind: str, limit: int) -> list[FigureRow]:
        """Figures of one kind in report order (for a query with an intent and no topic)."""
        if not report_ids:
            return []
        async with self._db.execute(
            f"SELECT {FIGURE_COLUMNS} FROM figures f"
            f" WHERE f.report_id IN ({_placeholders(len(report_ids))}) AND f.kind = ?"
            " ORDER BY f.id LIMIT ?",
            (*report_ids, kind, limit),
        ) as cur:
            return [_figure(row) for row in await cur.fetchall()]

    async def indicators_of(self, report_ids: Sequence[str]) -> list[tuple[str, int]]:
        """Distinct indicator names of some reports with their figure counts (suggestions)."""
        if not report_ids:
            return []
        async with self._db.execute(
            "SELECT indicator, count(*) FROM figures"
            f" WHERE report_id IN ({_placeholders(len(report_ids))}) AND indicator != ''"
            " GROUP BY indicator",
            tuple(report_ids),
        ) as cur:
            return [(row[0], row[1]) for row in await cur.fetchall()]

    async def key_indicators(
        self, report_ids: Sequence[str] | None, limit: int
    ) -> list[tuple[str, int]]:
        """Indicators the reports both set a target for and report an actual of (地区生产总值,
        一般公共预算收入…): the headline figures, in the order the reports list their targets,
        most widely shared first. (name, number of reports) pairs; None = every report."""
        where = ""
        params: tuple[Any, ...] = ()
        if report_ids is not None:
            if not report_ids:
                return []
            where = f" AND f.report_id IN ({_placeholders(len(report_ids))})"
            params = tuple(report_ids)
        # Per report and indicator first (the report_id index serves a scoped call), then
        # across reports: no per-row lookups of other figures with the same name.
        sql = (
            "SELECT indicator, count(*), min(first) FROM ("
            " SELECT f.indicator, min(CASE WHEN f.kind = 'target' THEN f.idx END) AS first"
            " FROM figures f WHERE f.kind IN ('target', 'actual')"
            f" AND length(f.indicator) BETWEEN 2 AND 12{where}"
            " GROUP BY f.report_id, f.indicator"
            " HAVING max(f.kind = 'target') AND max(f.kind = 'actual'))"
            " GROUP BY indicator ORDER BY 2 DESC, 3, 1 LIMIT ?"
        )
        async with self._db.execute(sql, (*params, limit)) as cur:
            return [(row[0], row[1]) for row in await cur.fetchall()]

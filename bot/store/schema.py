"""The schema, as an ordered list of migrations.

Each migration runs in one transaction together with the row that records it in `_migrations`,
so a crash leaves a database either before or after a migration, never inside one. A database
written by the first release (no `_migrations` table, `user_version` 1) has exactly the tables
of migration 0001, whose statements are all IF NOT EXISTS: applying it again is harmless, and
the later migrations upgrade it in place. `user_version` mirrors the number of migrations
applied, so a newer database is refused rather than misread.

Ids of passages and figures come from counters that only ever grow (`counters`), never from
max(id) + 1: a replaced or deleted report's ids are not handed to another report, so an id
kept by a button or a log always means the row it meant, or nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.search.segment import FTS_TOKENIZE


class StoreError(Exception):
    """The database cannot be used as it is (e.g. written by a newer version)."""


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _script(db: sqlite3.Connection, sql: str) -> None:
    """Run statements one by one inside the caller's transaction.

    Not `executescript`: it commits any open transaction before it starts, which would apply
    half a migration without its record.
    """
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement!r}")


def _initial(db: sqlite3.Connection) -> None:
    """The first release's schema, unchanged."""
    _script(db, f"""
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
""")


def _figure_identity(db: sqlite3.Connection) -> None:
    """Region, indicator id and measure as columns; counters for ids that are never reused.

    Rows loaded by the first release get their region from the report's title and the text of
    its first passage, their content digest from their passages, and their indicator id and
    measure from the stored indicator, unit, qualifier and clause. Their kind and year stay as
    that release decided until the report is loaded again: `parser_version` 0 tells `ingest`
    and `/reload` to parse it anew even though its bytes have not changed.
    """
    _script(db, """
ALTER TABLE reports ADD COLUMN region_id TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN parser_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN text_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE figures ADD COLUMN indicator_id TEXT NOT NULL DEFAULT '';
ALTER TABLE figures ADD COLUMN measure TEXT NOT NULL DEFAULT '';
CREATE INDEX reports_region ON reports(region_id, target_year);
CREATE INDEX reports_content ON reports(text_sha256);
CREATE INDEX figures_identity ON figures(indicator_id, measure, kind, year);
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value)
    SELECT 'passage', coalesce(max(id), 0) FROM passages;
INSERT INTO counters (name, value)
    SELECT 'figure', coalesce(max(id), 0) FROM figures;
-- Bumped by every write that changes reports: caches of derived data compare it.
INSERT INTO counters (name, value) VALUES ('generation', 1);
""")
    _backfill_identity(db)


def _backfill_identity(db: sqlite3.Connection) -> None:
    from bot.facts.indicators import catalogue
    from bot.facts.regions import gazetteer
    from bot.fingerprint import content_digest

    places = gazetteer()
    for report_id, title, source in db.execute("SELECT id, title, source FROM reports").fetchall():
        first = db.execute(
            "SELECT text FROM passages WHERE report_id=? ORDER BY idx LIMIT 3", (report_id,)
        ).fetchall()
        region, _how = places.resolve_report(title, "\n".join(r[0] for r in first), source)
        if region is not None:
            db.execute(
                "UPDATE reports SET region_id=?, region=?, level=? WHERE id=?",
                (region.id, region.name, region.level, report_id),
            )
    for (report_id,) in db.execute("SELECT id FROM reports").fetchall():
        texts = db.execute(
            "SELECT text FROM passages WHERE report_id=? ORDER BY idx", (report_id,)
        ).fetchall()
        db.execute("UPDATE reports SET text_sha256=? WHERE id=?",
                   (content_digest(t[0] for t in texts), report_id))  # fmt: skip
    indicators = catalogue()
    rows = db.execute(
        "SELECT id, indicator, unit, qualifier, text, value, sentence FROM figures"
    ).fetchall()
    db.executemany(
        "UPDATE figures SET indicator_id=?, measure=? WHERE id=?",
        [(*indicators.classify(*row[1:]), row[0]) for row in rows],
    )


def _query_log(db: sqlite3.Connection) -> None:
    """Usage analytics: what was asked, when, and whether it was answered.

    The cleaned query text only: no user, no chat (privacy). `at` is Unix seconds. Rows older
    than the retention limit, and all but the newest rows past the row cap, are pruned when a
    batch is written (bot/journal.py); ids only grow, so the cap is an id range.
    """
    _script(db, """
CREATE TABLE query_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    query    TEXT NOT NULL,
    answered INTEGER NOT NULL,          -- 1: figures, excerpts or a table; 0: nothing
    kind     TEXT NOT NULL DEFAULT ''   -- table / figures / excerpts / not_loaded / none
);
CREATE INDEX query_log_at ON query_log(at);
""")


def _learned_synonyms(db: sqlite3.Connection) -> None:
    """Synonyms admins taught the bot (/stats): data merged with bot/search/synonyms.toml when
    queries are analysed. The 'synonyms' counter is bumped by every change, so engines (in
    this process or another) reload them without touching the reports' generation."""
    _script(db, """
CREATE TABLE synonyms (
    term              TEXT NOT NULL,   -- what people typed (a query's topic, folded)
    meaning           TEXT NOT NULL,   -- what the reports write
    added_by_admin_at TEXT NOT NULL,
    PRIMARY KEY (term, meaning)
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('synonyms', 0);
""")


def _button_states(db: sqlite3.Connection) -> None:
    """What buttons need after a restart: answers ([更多 ▸], [原文]) and other small states as
    JSON, and upload previews (their files stay on disk under uploads/pending/). Each row is
    bound to the chat and message its buttons were sent with, and expires."""
    _script(db, """
CREATE TABLE button_states (
    key        TEXT PRIMARY KEY,   -- the short random key in the callback data
    kind       TEXT NOT NULL,      -- answer / miss / ...
    payload    TEXT NOT NULL,      -- JSON
    chat_id    INTEGER,            -- the message its buttons are on, once sent
    message_id INTEGER,
    expires_at INTEGER NOT NULL    -- Unix seconds
) WITHOUT ROWID;
CREATE INDEX button_states_expiry ON button_states(expires_at);
CREATE TABLE upload_previews (
    key           TEXT PRIMARY KEY,
    name          TEXT NOT NULL,   -- the sanitised file name
    file          TEXT NOT NULL,   -- under uploads/pending/; '' once the preview is final
    report_id     TEXT NOT NULL,
    action        TEXT NOT NULL,   -- add / replace
    expect_sha256 TEXT,            -- the report a replacement replaces, as previewed
    state         TEXT NOT NULL,   -- pending / importing / imported / failed / cancelled
    chat_id       INTEGER,
    message_id    INTEGER,
    expires_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX upload_previews_expiry ON upload_previews(expires_at);
""")


def _indicator_order(db: sqlite3.Connection) -> None:
    """An indicator's figures in load order: "the last 400 figures of GDP" across a library
    walks this index and stops, instead of sorting every GDP figure (12 ms at 1,000 reports)."""
    _script(db, "CREATE INDEX figures_indicator_order ON figures(indicator_id, id);")


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_initial", _initial),
    Migration("0002_figure_identity", _figure_identity),
    Migration("0003_query_log", _query_log),
    Migration("0004_learned_synonyms", _learned_synonyms),
    Migration("0005_button_states", _button_states),
    Migration("0006_indicator_order", _indicator_order),
)
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrate(db: sqlite3.Connection) -> bool:
    """Bring the database up to date; True when it was new (no reports table before).

    `db` must be in autocommit mode (isolation_level=None): each migration opens its own
    transaction.
    """
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"database schema version {version} is newer than this code ({SCHEMA_VERSION})"
        )
    created = (
        db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='reports'").fetchone()
        is None
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
    unknown = done - {m.name for m in MIGRATIONS}
    if unknown:
        raise StoreError(f"database has migrations this code does not know: {sorted(unknown)}")
    for number, migration in enumerate(MIGRATIONS, start=1):
        if migration.name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            migration.apply(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (migration.name, _now())
            )
            db.execute(f"PRAGMA user_version={number}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return created

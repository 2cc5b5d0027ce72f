"""Read queries. Each takes a `sqlite3.Connection` that `Store.read` has opened a read
transaction on, so all the reads of one function see one snapshot of the database.

Scoping to a few reports uses the reports' rowid ranges (one report's passages and figures have
contiguous ids); the ranges are read here, in the same transaction as the rows they bound, so
they can never be stale.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from bot.report.model import Figure
from bot.store.rows import FigureRow, PassageRow, ReportInfo, ReportScope

FIGURE_COLUMNS = (
    "f.id, f.report_id, f.passage_id, f.indicator, f.value, f.number, f.unit, f.qualifier, "
    'f.kind, f.year, f.text, f.sentence, f.section, f.start, f."end", f.passage, '
    "f.indicator_id, f.measure, r.region, r.region_id"
)
# The same row without the sentence, the longest text: for choosing among many figures.
LIGHT_COLUMNS = FIGURE_COLUMNS.replace("f.sentence", "''")
FIGURES_FROM = "figures f JOIN reports r ON r.id = f.report_id"
CHUNK = 500  # ids per IN (...): well under SQLite's bound-parameter limit


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
            indicator_id=row[16],
            measure=row[17],
            region=row[18],
            region_id=row[19],
        ),
    )


def _placeholders(n: int) -> str:
    return ",".join("?" * n)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = list(ids)
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def fts_syntax_error(exc: sqlite3.OperationalError) -> bool:
    msg = str(exc).lower()
    return msg.startswith("fts5:") or "syntax error" in msg or "unterminated" in msg


# ---- the library --------------------------------------------------------------------------

def generation(db: sqlite3.Connection) -> int:
    """Bumped by every write that changes reports (see schema.py)."""
    return db.execute("SELECT value FROM counters WHERE name='generation'").fetchone()[0]


_INFO = (
    "SELECT r.id, r.title, r.region, r.level, r.target_year, r.review_year,"
    " r.figure_hi - r.figure_lo + 1,"
    " (SELECT count(*) FROM figures f WHERE f.report_id = r.id AND f.kind = 'target'),"
    " (SELECT count(*) FROM figures f WHERE f.report_id = r.id AND f.kind = 'actual'),"
    " r.passage_hi - r.passage_lo + 1, r.source, r.sha256, r.loaded_at, r.region_id,"
    " r.parser_version FROM reports r"
)


def reports(db: sqlite3.Connection) -> list[ReportInfo]:
    rows = db.execute(_INFO + " ORDER BY r.target_year DESC, r.region, r.id").fetchall()
    return [ReportInfo(*row) for row in rows]


def report(db: sqlite3.Connection, report_id: str) -> ReportInfo | None:
    row = db.execute(_INFO + " WHERE r.id=?", (report_id,)).fetchone()
    return ReportInfo(*row) if row else None


def scopes(db: sqlite3.Connection) -> list[ReportScope]:
    rows = db.execute(
        "SELECT id, title, region, level, review_year, target_year, passage_lo, passage_hi,"
        " figure_lo, figure_hi, region_id FROM reports"
    ).fetchall()
    return [ReportScope(*row) for row in rows]


def sha256(db: sqlite3.Connection, report_id: str) -> str | None:
    row = db.execute("SELECT sha256 FROM reports WHERE id=?", (report_id,)).fetchone()
    return row[0] if row else None


def fresh(db: sqlite3.Connection, report_id: str, digest: str, parser_version: int) -> bool:
    """The report is loaded from these bytes by this parser: loading it again changes nothing."""
    row = db.execute(
        "SELECT 1 FROM reports WHERE id=? AND sha256=? AND parser_version>=?",
        (report_id, digest, parser_version),
    ).fetchone()
    return row is not None


def by_content(db: sqlite3.Connection, digest: str) -> tuple[str, int] | None:
    """(id, parser version) of a loaded report whose content digest (bot/fingerprint.py) is
    `digest`: the same report under another name or in other bytes."""
    row = db.execute(
        "SELECT id, parser_version FROM reports WHERE text_sha256=? LIMIT 1", (digest,)
    ).fetchone()
    return (row[0], row[1]) if row else None


def stats(db: sqlite3.Connection) -> dict[str, int]:
    return {
        name: db.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        for name in ("reports", "passages", "figures")
    }


# ---- chats --------------------------------------------------------------------------------

def chat_report(db: sqlite3.Connection, chat_id: int) -> str | None:
    row = db.execute("SELECT report_id FROM chat_settings WHERE chat_id=?", (chat_id,)).fetchone()
    return row[0] if row else None


# ---- search primitives (bot/search/ decides what to ask) ----------------------------------

def match(
    db: sqlite3.Connection,
    table: str,
    expr: str,
    *,
    ranges: Sequence[tuple[int, int]] | None = None,
    report_ids: Sequence[str] | None = None,
    limit: int,
) -> list[tuple[int, float]]:
    """(row id, bm25) of `table` ("passages" or "figures") for an FTS5 expression.

    Scope by `ranges` (rowid ranges, one query each: for a few reports) or by `report_ids`
    (a join: for many), else all reports. At most `limit` rows per query, newest first and
    unranked: bm25 is computed only for rows returned, so a word found in most passages
    costs a bounded amount of work. A malformed expression is no hit.
    """
    fts = {"passages": "passages_fts", "figures": "figures_fts"}[table]
    score = "bm25(passages_fts)" if table == "passages" else "bm25(figures_fts, 4.0, 1.0)"
    base = f"SELECT {fts}.rowid, {score} FROM {fts}"
    out: list[tuple[int, float]] = []
    try:
        if ranges is not None:
            for lo, hi in ranges:
                out.extend(
                    db.execute(
                        f"{base} WHERE {fts} MATCH ? AND {fts}.rowid BETWEEN ? AND ?"
                        f" ORDER BY {fts}.rowid DESC LIMIT ?",
                        (expr, lo, hi, limit),
                    ).fetchall()
                )
        elif report_ids is not None:
            out.extend(
                db.execute(
                    f"{base} JOIN {table} t ON t.id = {fts}.rowid WHERE {fts} MATCH ?"
                    f" AND t.report_id IN ({_placeholders(len(report_ids))})"
                    f" ORDER BY {fts}.rowid DESC LIMIT ?",
                    (expr, *report_ids, limit),
                ).fetchall()
            )
        else:
            out.extend(
                db.execute(
                    f"{base} WHERE {fts} MATCH ? ORDER BY {fts}.rowid DESC LIMIT ?", (expr, limit)
                ).fetchall()
            )
    except sqlite3.OperationalError as exc:
        # Terms are quoted, so a syntax error is unlikely; anything else (database is locked,
        # disk I/O error) is a real failure and must not read as "no hits".
        if not fts_syntax_error(exc):
            raise
        return []
    return out


def scan_passages(
    db: sqlite3.Connection, report_ids: Sequence[str], needles: Sequence[str], limit: int
) -> list[int]:
    """Passages of these reports that contain any needle as a substring (the short path)."""
    if not report_ids or not needles:
        return []
    cond = " OR ".join("instr(lower(text), ?) > 0" for _ in needles)
    rows = db.execute(
        f"SELECT id FROM passages WHERE report_id IN ({_placeholders(len(report_ids))})"
        f" AND ({cond}) LIMIT ?",
        (*report_ids, *needles, limit),
    ).fetchall()
    return [row[0] for row in rows]


def scan_figures(
    db: sqlite3.Connection, report_ids: Sequence[str], needles: Sequence[str], limit: int
) -> list[FigureRow]:
    """Figures of these reports whose indicator, clause or section holds a needle.

    Not the sentence: a figure is not about what the rest of its sentence names (rank.py).
    """
    if not report_ids or not needles:
        return []
    field = "lower(f.indicator || ' ' || f.text || ' ' || f.section)"
    cond = " OR ".join(f"instr({field}, ?) > 0" for _ in needles)
    rows = db.execute(
        f"SELECT {FIGURE_COLUMNS} FROM {FIGURES_FROM}"
        f" WHERE f.report_id IN ({_placeholders(len(report_ids))}) AND ({cond}) LIMIT ?",
        (*report_ids, *needles, limit),
    ).fetchall()
    return [_figure(row) for row in rows]


def figures_by_id(db: sqlite3.Connection, ids: Iterable[int]) -> list[FigureRow]:
    return _figures_where(db, "f.id", ids)


def figures_in_passages(db: sqlite3.Connection, passage_ids: Iterable[int]) -> list[FigureRow]:
    return _figures_where(db, "f.passage_id", passage_ids)


def _figures_where(db: sqlite3.Connection, column: str, ids: Iterable[int]) -> list[FigureRow]:
    out: list[FigureRow] = []
    for chunk in _chunks(ids):
        rows = db.execute(
            f"SELECT {FIGURE_COLUMNS} FROM {FIGURES_FROM} WHERE {column} IN"
            f" ({_placeholders(len(chunk))})",
            chunk,
        ).fetchall()
        out.extend(_figure(row) for row in rows)
    return out


def passages_by_id(db: sqlite3.Connection, ids: Iterable[int]) -> list[PassageRow]:
    out: list[PassageRow] = []
    for chunk in _chunks(ids):
        rows = db.execute(
            "SELECT id, report_id, idx, path, text FROM passages WHERE id IN"
            f" ({_placeholders(len(chunk))})",
            chunk,
        ).fetchall()
        out.extend(PassageRow(*row) for row in rows)
    return out


def vocabulary(
    db: sqlite3.Connection, min_len: int = 2, max_len: int = 12
) -> list[tuple[str, int]]:
    """Han words of the passage index with their document counts (for typo correction).

    fts5vocab reads the whole index (~0.3 s at 1,000 reports): call it off the query path.
    """
    rows = db.execute(
        "SELECT term, doc FROM passages_vocab WHERE length(term) BETWEEN ? AND ?"
        " AND unicode(term) >= 13312",
        (min_len, max_len),
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def indicator_names(db: sqlite3.Connection) -> list[tuple[str, int]]:
    """Distinct indicator names with how many figures use them."""
    rows = db.execute(
        "SELECT indicator, count(*) FROM figures WHERE indicator != '' GROUP BY indicator"
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def figures_of(
    db: sqlite3.Connection, report_ids: Sequence[str], kind: str, limit: int
) -> list[FigureRow]:
    """Figures of one kind in report order (for a query with an intent and no topic)."""
    if not report_ids:
        return []
    rows = db.execute(
        f"SELECT {FIGURE_COLUMNS} FROM {FIGURES_FROM}"
        f" WHERE f.report_id IN ({_placeholders(len(report_ids))}) AND f.kind = ?"
        " ORDER BY f.id LIMIT ?",
        (*report_ids, kind, limit),
    ).fetchall()
    return [_figure(row) for row in rows]


def indicators_of(db: sqlite3.Connection, report_ids: Sequence[str]) -> list[tuple[str, int]]:
    """Distinct indicator names of some reports with their figure counts (suggestions)."""
    if not report_ids:
        return []
    rows = db.execute(
        "SELECT indicator, count(*) FROM figures"
        f" WHERE report_id IN ({_placeholders(len(report_ids))}) AND indicator != ''"
        " GROUP BY indicator",
        tuple(report_ids),
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def key_indicators(
    db: sqlite3.Connection, report_ids: Sequence[str] | None, limit: int
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
    return [(row[0], row[1]) for row in db.execute(sql, (*params, limit)).fetchall()]


FEW_REPORTS = 64  # up to here a report's own index beats walking an indicator's figures


def figures_identified(
    db: sqlite3.Connection,
    indicator_id: str,
    *,
    measure: str | None = None,
    kinds: Sequence[str] = (),
    years: Sequence[int] = (),
    report_ids: Sequence[str] | None = None,
    own_year: bool = False,
    light: bool = False,
    latest: bool = False,
    limit: int = 2000,
) -> list[FigureRow]:
    """Figures of one catalogue indicator, optionally of some measure, kinds, years and
    reports, in report order: what comparison, series and tracking tables are built from.
    `own_year`: only each report's own targets (its target year) and results (its review
    year), not a 十五五 goal or a five-year total. `light`: without the sentences (fetch the
    chosen rows again with figures_by_id). `latest`: the last loaded first, when `limit` may
    leave some out."""
    where = ["f.indicator_id = ?"]
    params: list[Any] = [indicator_id]
    if measure:
        where.append("f.measure = ?")
        params.append(measure)
    if kinds:
        where.append(f"f.kind IN ({_placeholders(len(kinds))})")
        params.extend(kinds)
    if years:
        where.append(f"f.year IN ({_placeholders(len(years))})")
        params.extend(years)
    if report_ids is not None:
        if not report_ids:
            return []
        where.append(f"f.report_id IN ({_placeholders(len(report_ids))})")
        params.extend(report_ids)
    if own_year:
        where.append(
            "((f.kind = 'target' AND f.year = r.target_year)"
            " OR (f.kind = 'actual' AND f.year = r.review_year))"
        )
    columns = LIGHT_COLUMNS if light else FIGURE_COLUMNS
    # Within a few reports, their figures by the report index (a few hundred rows each);
    # across the library or many reports (600 national years), the indicator's figures
    # walked in id order up to `limit`: a few thousand rows instead of a hundred thousand.
    # Named, because without ANALYZE statistics SQLite takes either for the other.
    few = report_ids is not None and len(report_ids) <= FEW_REPORTS
    index = "figures_report" if few else "figures_indicator_order"
    rows = db.execute(
        f"SELECT {columns} FROM figures f INDEXED BY {index}"
        f" JOIN reports r ON r.id = f.report_id WHERE {' AND '.join(where)}"
        f" ORDER BY f.id{' DESC' if latest else ''} LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [_figure(row) for row in rows]


def figures_for_year(
    db: sqlite3.Connection, report_ids: Sequence[str], year: int
) -> list[FigureRow]:
    """Figures of some reports for one year that have a catalogue indicator (tracking every
    target of a report against the next report's results)."""
    if not report_ids:
        return []
    rows = db.execute(
        f"SELECT {FIGURE_COLUMNS} FROM {FIGURES_FROM}"
        f" WHERE f.report_id IN ({_placeholders(len(report_ids))}) AND f.year = ?"
        " AND f.indicator_id != '' ORDER BY f.id",
        (*report_ids, year),
    ).fetchall()
    return [_figure(row) for row in rows]


# ---- usage, learned synonyms, button states -----------------------------------------------


def counter(db: sqlite3.Connection, name: str) -> int:
    """A counter's value (0 when it does not exist)."""
    row = db.execute("SELECT value FROM counters WHERE name=?", (name,)).fetchone()
    return row[0] if row else 0


def generations(db: sqlite3.Connection) -> tuple[int, int]:
    """(reports generation, learned synonyms generation), from one snapshot."""
    return generation(db), counter(db, "synonyms")


def learned_synonyms(db: sqlite3.Connection) -> list[tuple[str, str]]:
    return db.execute("SELECT term, meaning FROM synonyms ORDER BY term, meaning").fetchall()


def queries_per_day(
    db: sqlite3.Connection, since: int, offset: int
) -> list[tuple[str, int, int]]:
    """(day, queries, answered) for each day with queries since `since` (Unix seconds); days
    are cut `offset` seconds east of UTC."""
    return db.execute(
        "SELECT date(at + ?, 'unixepoch') AS day, count(*), sum(answered) FROM query_log"
        " WHERE at >= ? GROUP BY day ORDER BY day",
        (offset, since),
    ).fetchall()


def top_queries(
    db: sqlite3.Connection, since: int, limit: int, *, answered: bool | None = None
) -> list[tuple[str, int]]:
    """The most frequent queries since `since`; only unanswered ones with answered=False."""
    where = "" if answered is None else f" AND answered = {int(answered)}"
    return db.execute(
        f"SELECT query, count(*) AS n FROM query_log WHERE at >= ?{where}"
        " GROUP BY query ORDER BY n DESC, max(at) DESC LIMIT ?",
        (since, limit),
    ).fetchall()


def button_state(
    db: sqlite3.Connection, key: str, now: int
) -> tuple[str, str, int | None, int | None, int] | None:
    """(kind, payload, chat_id, message_id, expires_at) of a state that has not expired."""
    return db.execute(
        "SELECT kind, payload, chat_id, message_id, expires_at FROM button_states"
        " WHERE key=? AND expires_at > ?",
        (key, now),
    ).fetchone()


def upload_preview(db: sqlite3.Connection, key: str, now: int) -> tuple[Any, ...] | None:
    """(name, file, report_id, action, expect_sha256, state, chat_id, message_id)."""
    return db.execute(
        "SELECT name, file, report_id, action, expect_sha256, state, chat_id, message_id"
        " FROM upload_previews WHERE key=? AND expires_at > ?",
        (key, now),
    ).fetchone()


def expired_previews(db: sqlite3.Connection, now: int) -> list[tuple[str, str]]:
    """(key, file) of previews past their expiry."""
    return db.execute(
        "SELECT key, file FROM upload_previews WHERE expires_at <= ?", (now,)
    ).fetchall()

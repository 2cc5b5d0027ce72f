"""Gather candidates for a query: the index first, a substring scan when scoped to few reports.

Candidate sets are bounded before anything is ranked: at most PASSAGE_LIMIT passages and
FIGURE_LIMIT figures per report range, or in total across all reports (taken newest first
without scoring, so a word found in most passages costs a bounded amount of bm25 work).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.search.analyze import Phrase
from bot.search.segment import fts_all
from bot.store import FigureRow, PassageRow, ReportScope, reads

PASSAGE_LIMIT = 400
FIGURE_LIMIT = 400
SCAN_REPORTS = 8  # up to this many reports in scope, also scan their text for substrings
RANGE_REPORTS = SCAN_REPORTS  # up to this many, search each report's rowid range on its own
MIN_PER_RANGE = 20  # rows taken from each report's range at least
EXCERPT_FETCH = 40  # passages whose text is fetched for excerpts
FIGURE_PASSAGES = 60  # best passages whose figures join the candidates (sentence-level matches)


@dataclass(slots=True)
class Candidates:
    figures: list[FigureRow] = field(default_factory=list)
    passages: list[tuple[PassageRow, float | None]] = field(default_factory=list)  # for excerpts
    bm25: dict[int, float] = field(default_factory=dict)  # every passage the index matched

    @property
    def empty(self) -> bool:
        return not self.figures and not self.passages


def expression(phrases: Sequence[Phrase]) -> str | None:
    """FTS5 expression: any phrase, each phrase needing all its words. Terms are quoted.

    A phrase whose pieces include all pieces of another phrase adds no hit (国内生产总值 finds
    nothing that 生产总值 does not), so only the minimal ones are asked for.
    """
    usable = [p for p in phrases if p.words]
    minimal = [
        p for p in usable
        if not any(set(o.pieces) < set(p.pieces) or (o.pieces == p.pieces and o is not p
                   and usable.index(o) < usable.index(p)) for o in usable)
    ]  # fmt: skip
    parts = [f"({fts_all(list(p.words))})" for p in minimal]
    return " OR ".join(dict.fromkeys(parts)) or None


def gather(
    db: sqlite3.Connection,
    phrases: Sequence[Phrase],
    scopes: Sequence[ReportScope],
    *,
    everything: bool,
) -> Candidates:
    """Candidates for `phrases` within `scopes` (`everything`: the scopes are all reports).

    `db` is in a read transaction (Store.read), the one the scopes were read in.
    """
    out = Candidates()
    expr = expression(phrases)
    if expr is None or not scopes:
        return out
    # Up to RANGE_REPORTS reports, each report's rowid range is its own small query; beyond,
    # one query joined on report id (each range query reads the term's whole doclist again:
    # 60 of them cost 150 ms at 1,000 reports, the join 40 ms); all reports, no filter.
    p_scope: dict[str, Any] = {}
    f_scope: dict[str, Any] = {}
    p_limit, f_limit = PASSAGE_LIMIT, FIGURE_LIMIT
    if not everything and len(scopes) <= RANGE_REPORTS:
        p_scope = {"ranges": [(s.passage_lo, s.passage_hi) for s in scopes]}
        f_scope = {"ranges": [(s.figure_lo, s.figure_hi) for s in scopes]}
        p_limit = max(MIN_PER_RANGE, PASSAGE_LIMIT // len(scopes))
        f_limit = max(MIN_PER_RANGE, FIGURE_LIMIT // len(scopes))
    elif not everything:
        p_scope = f_scope = {"report_ids": [s.id for s in scopes]}
    passage_hits = dict(reads.match(db, "passages", expr, limit=p_limit, **p_scope))
    scanned: list[int] = []
    if len(scopes) > SCAN_REPORTS:
        # Many reports: figures through the figure index. Indicator matches first, they rank
        # highest; clause and section matches fill up.
        hits = reads.match(db, "figures", f"indicator : ({expr})", limit=f_limit, **f_scope)
        if len(hits) < FIGURE_LIMIT // 2:
            hits += reads.match(db, "figures", expr, limit=max(1, f_limit // 2), **f_scope)
        figure_ids = list(dict.fromkeys(fid for fid, _ in hits))
        figures = reads.figures_by_id(db, figure_ids)
    else:
        # A few reports: their figures are found by the substring scan below and through their
        # passages, which together cover what the figure index would (and cost less).
        figures = []
        # The short path: jieba may cut the text around a word differently than the query
        # (座户/厕 for 户厕); a substring scan of a few reports costs well under a millisecond.
        ids = [s.id for s in scopes]
        needles = sorted({part for p in phrases for part in p.text.split() if part})
        have = {r.id for r in figures}
        figures.extend(
            r for r in reads.scan_figures(db, ids, needles, FIGURE_LIMIT) if r.id not in have
        )
        scanned = [
            pid for pid in reads.scan_passages(db, ids, needles, PASSAGE_LIMIT)
            if pid not in passage_hits
        ]  # fmt: skip
    best = sorted(passage_hits.items(), key=lambda kv: kv[1])[: max(EXCERPT_FETCH, FIGURE_PASSAGES)]
    via_passages = FIGURE_PASSAGES if len(scopes) <= SCAN_REPORTS else FIGURE_PASSAGES // 3
    # The figure index holds clause and section, not the whole sentence: figures whose topic is
    # named only elsewhere in the sentence (养老…、床位23.1万张) come in through their passage.
    have = {r.id for r in figures}
    figures.extend(
        r
        for r in reads.figures_in_passages(db, (pid for pid, _ in best[:via_passages]))
        if r.id not in have
    )
    out.figures = figures
    best = best[:EXCERPT_FETCH]
    fetch = [pid for pid, _ in best] + scanned[: max(0, EXCERPT_FETCH - len(best))]
    rows = {row.id: row for row in reads.passages_by_id(db, fetch)}
    out.passages = [(rows[pid], passage_hits.get(pid)) for pid in fetch if pid in rows]
    out.bm25 = passage_hits
    return out


def by_indicator(
    db: sqlite3.Connection,
    indicator_id: str,
    scopes: Sequence[ReportScope],
    *,
    everything: bool,
) -> Candidates:
    """Candidates of a catalogue indicator: its figures in `scopes`, newest reports first, and
    the passages that hold them (excerpts), without a full-text search."""
    out = Candidates()
    ids = None if everything else [s.id for s in scopes]
    order = {s.id: -(s.target_year or 0) for s in scopes}
    figures = reads.figures_identified(db, indicator_id, report_ids=ids, latest=True,
                                       limit=FIGURE_LIMIT)  # fmt: skip
    figures.sort(key=lambda row: (order.get(row.report_id, 0), row.id))
    out.figures = figures
    passage_ids = list(dict.fromkeys(row.passage_id for row in figures))[:EXCERPT_FETCH]
    rows = {row.id: row for row in reads.passages_by_id(db, passage_ids)}
    out.passages = [(rows[pid], None) for pid in passage_ids if pid in rows]
    return out

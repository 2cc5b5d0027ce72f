"""What the store hands out and takes in: plain rows, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.report.model import Figure, Report
from bot.search.segment import index_text

# Bumped when the parser's output changes in a way stored reports should get: `ingest` and
# `/reload` then parse a report again even though its bytes are unchanged.
PARSER_VERSION = 2


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
    region_id: str = ""
    parser_version: int = PARSER_VERSION


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
    region_id: str = ""


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


@dataclass(slots=True)
class Batch:
    """Writes that may wait a second, written in one transaction (bot/journal.py)."""

    queries: list[tuple[int, str, int, str]] = field(default_factory=list)  # at, query, ok, kind
    # key, kind, payload (JSON), chat_id, message_id, expires_at
    states: list[tuple[str, str, str, int | None, int | None, int]] = field(default_factory=list)
    drops: list[str] = field(default_factory=list)  # keys of states to forget
    # Query log retention: rows before `log_before` go, and all but the newest `log_rows`.
    log_before: int | None = None
    log_rows: int | None = None
    states_before: int | None = None  # states that expired before this go
    states_keep: int | None = None  # and beyond this many, those that expire first

    def __len__(self) -> int:
        return len(self.queries) + len(self.states) + len(self.drops)

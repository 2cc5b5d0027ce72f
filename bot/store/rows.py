"""What the store hands out and takes in: plain rows, no SQL."""

from __future__ import annotations

from dataclasses import dataclass

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

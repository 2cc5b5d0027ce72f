"""What a search returns: plain data that bot/render turns into text or HTML."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from bot.report.model import Figure


@dataclass(slots=True, frozen=True)
class ReportRef:
    id: str  # stable slug, e.g. "wuqia-2022"
    title: str
    region: str
    year: int | None  # the target year (the year the report is delivered in)


@dataclass(slots=True)
class FigureHit:
    figure: Figure
    report: ReportRef
    figure_id: int
    passage_id: int
    score: float
    match: str  # "exact", "synonym" or "fuzzy": how the indicator matched


@dataclass(slots=True)
class Excerpt:
    text: str
    section: str
    report: ReportRef
    passage_id: int
    score: float
    marks: list[tuple[int, int]] = field(default_factory=list)  # spans of text to highlight


TableKind = Literal["compare", "series", "track"]
FormKind = Literal["lookup", "compare", "series", "track"]  # bot/search/forms.py Kind
Intent = Literal["target", "actual"]
# met: the outcome reached the target by the rule in bot/track.py; roughly: within its
# tolerance; missed: short of it; "": no outcome loaded for that target.
Verdict = Literal["met", "roughly", "missed", ""]


@dataclass(slots=True)
class TableRow:
    """One row of a comparison (a region), a series (a year) or a tracking table (a target)."""

    region: str  # canonical name, e.g. 广东省
    region_id: str  # gazetteer id, e.g. cn.guangdong
    year: int | None  # the year the figure is for
    kind: str  # target / actual / other
    value: str  # as written, e.g. 5%左右
    number: float | None  # base units (Figure.number)
    unit: str
    qualifier: str
    text: str  # the clause, verbatim
    report: str  # id of the report the row comes from
    indicator: str = ""  # the indicator as the report words it
    # Tracking rows only: the target (value/number/text/report above) against the outcome
    # stated in the next year's report.
    target: str = ""
    actual: str = ""
    actual_number: float | None = None
    actual_text: str = ""
    actual_report: str = ""
    verdict: Verdict = ""


@dataclass(slots=True)
class Table:
    """A comparison across regions, a series across years, or targets against outcomes."""

    kind: TableKind
    indicator_id: str  # catalogue id, e.g. gdp
    indicator: str  # its Chinese name, e.g. 地区生产总值
    measure: str  # growth, level, share, rate, points, count, ratio
    title: str  # e.g. 2026年各省地区生产总值增长目标
    rows: list[TableRow] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # regions or years without such a figure
    indicator_en: str = ""
    unit: str = ""  # the unit the rows share, when they do (%, 亿元)


@dataclass(slots=True)
class NotLoaded:
    """What was asked for and is not in the library, and what is there instead."""

    regions: list[str] = field(default_factory=list)  # full names of regions not loaded
    years: list[int] = field(default_factory=list)  # years asked for without a report
    loaded: list[str] = field(default_factory=list)  # what is loaded ("全国 1955–2025（46份）")
    within: list[str] = field(default_factory=list)  # loaded reports inside a region asked for


@dataclass(slots=True, frozen=True)
class Context:
    """The scope of an answer, kept by a reply to it (那就业呢 after 四川GDP目标)."""

    region_ids: tuple[str, ...] = ()  # asked about, loaded or not
    years: tuple[int, ...] = ()
    report_ids: tuple[str, ...] = ()  # the reports answered from
    topic: str = ""  # what was asked about (the query's core), for 去年呢
    indicator_id: str = ""
    intent: Intent | None = None  # target / actual
    form: FormKind = "lookup"  # compare / series / track: 那CPI呢 after a series is a series


@dataclass(slots=True, weakref_slot=True)  # bot/render/answer.py remembers page starts per answer
class Answer:
    query: str
    report: ReportRef | None  # the report the query was scoped to, None when across all
    figures: list[FigureHit] = field(default_factory=list)
    excerpts: list[Excerpt] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # the words that were searched, for highlighting
    table: Table | None = None  # for comparison, series and tracking questions
    not_loaded: NotLoaded | None = None  # a region or year asked for is not in the library
    scope: Context | None = None  # the regions and years answered about (kept by replies)

    @property
    def empty(self) -> bool:
        return not self.figures and not self.excerpts

    def to_json(self) -> dict[str, Any]:
        """The `ask --json` shape documented in README.md (Command line)."""
        return {
            "query": self.query,
            "report": _ref_json(self.report),
            "figures": [
                {
                    "indicator": hit.figure.indicator,
                    "value": hit.figure.value,
                    "number": hit.figure.number,
                    "unit": hit.figure.unit,
                    "qualifier": hit.figure.qualifier,
                    "kind": hit.figure.kind,
                    "year": hit.figure.year,
                    "text": hit.figure.text,
                    "sentence": hit.figure.sentence,
                    "section": hit.figure.section,
                    "report": hit.report.id,
                    "score": round(hit.score, 4),
                    "match": hit.match,
                    "region": hit.figure.region,
                    "region_id": hit.figure.region_id,
                    "indicator_id": hit.figure.indicator_id,
                    "measure": hit.figure.measure,
                }
                for hit in self.figures
            ],
            "excerpts": [
                {
                    "text": ex.text,
                    "section": ex.section,
                    "report": ex.report.id,
                    "passage_id": ex.passage_id,
                    "score": round(ex.score, 4),
                }
                for ex in self.excerpts
            ],
            "suggestions": list(self.suggestions),
            **({"table": _table_json(self.table)} if self.table is not None else {}),
            **({"not_loaded": asdict(self.not_loaded)} if self.not_loaded is not None else {}),
        }


def _table_json(table: Table) -> dict[str, Any]:
    track = table.kind == "track"
    rows = []
    for row in table.rows:
        item: dict[str, Any] = {
            "region": row.region, "region_id": row.region_id, "year": row.year,
            "kind": row.kind, "value": row.value, "number": row.number, "unit": row.unit,
            "qualifier": row.qualifier, "text": row.text, "report": row.report,
            "indicator": row.indicator,
        }  # fmt: skip
        if track:
            item |= {"target": row.target, "actual": row.actual,
                     "actual_number": row.actual_number, "actual_text": row.actual_text,
                     "actual_report": row.actual_report, "verdict": row.verdict}  # fmt: skip
        rows.append(item)
    return {
        "kind": table.kind, "indicator_id": table.indicator_id, "indicator": table.indicator,
        "measure": table.measure, "title": table.title, "unit": table.unit, "rows": rows,
        "missing": list(table.missing),
    }  # fmt: skip


def _ref_json(ref: ReportRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {"id": ref.id, "title": ref.title, "region": ref.region, "year": ref.year}

"""What a search returns: plain data that render.py turns into text or HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


@dataclass(slots=True)
class Answer:
    query: str
    report: ReportRef | None  # the report the query was scoped to, None when across all
    figures: list[FigureHit] = field(default_factory=list)
    excerpts: list[Excerpt] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # the words that were searched, for highlighting

    @property
    def empty(self) -> bool:
        return not self.figures and not self.excerpts

    def to_json(self) -> dict[str, Any]:
        """The `ask --json` shape documented in DEVELOPERS.md."""
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
        }


def _ref_json(ref: ReportRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {"id": ref.id, "title": ref.title, "region": ref.region, "year": ref.year}

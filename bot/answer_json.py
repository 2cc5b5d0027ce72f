"""An Answer as compact JSON and back, whole: what a button needs after a restart.

`Answer.to_json` is the documented `ask --json` shape, made for reading; this one is made for
storing: every field, short enough, and `decode(encode(a)) == a`. Reports are written once
each (figures and excerpts refer to them by index), and default values are left out.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any, TypeVar

from bot.answer import (
    Answer,
    Context,
    Excerpt,
    FigureHit,
    NotLoaded,
    ReportRef,
    Table,
    TableRow,
)
from bot.report.model import Figure

VERSION = 1  # bumped when the shape changes; an older shape decodes to None (a stale button)

T = TypeVar("T")


def encode(answer: Answer) -> str:
    return json.dumps(to_data(answer), ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> Answer | None:
    """The answer `encode` wrote; None when it was written in another shape."""
    return from_data(json.loads(text))


def to_data(answer: Answer) -> dict[str, Any]:
    """The answer as plain JSON data (what `encode` writes)."""
    refs: dict[ReportRef, int] = {}

    def ref(r: ReportRef) -> int:
        return refs.setdefault(r, len(refs))

    data: dict[str, Any] = {
        "v": VERSION,
        "query": answer.query,
        "report": None if answer.report is None else ref(answer.report),
        "figures": [
            [_compact(hit.figure), ref(hit.report), hit.figure_id, hit.passage_id, hit.score,
             hit.match]
            for hit in answer.figures
        ],
        "excerpts": [
            [ex.text, ex.section, ref(ex.report), ex.passage_id, ex.score,
             [list(m) for m in ex.marks]]
            for ex in answer.excerpts
        ],
        "suggestions": answer.suggestions,
        "terms": answer.terms,
        "table": None if answer.table is None else _table(answer.table),
        "not_loaded": None if answer.not_loaded is None else asdict(answer.not_loaded),
        "scope": None if answer.scope is None else _compact(answer.scope),
    }
    data["refs"] = [[r.id, r.title, r.region, r.year] for r in refs]
    return data


def from_data(data: Any) -> Answer | None:
    if not isinstance(data, dict) or data.get("v") != VERSION:
        return None
    refs = [ReportRef(id=i, title=t, region=r, year=y) for i, t, r, y in data["refs"]]
    table = data["table"]
    return Answer(
        query=data["query"],
        report=None if data["report"] is None else refs[data["report"]],
        figures=[
            FigureHit(figure=_build(Figure, f), report=refs[r], figure_id=fid, passage_id=pid,
                      score=score, match=match)
            for f, r, fid, pid, score, match in data["figures"]
        ],
        excerpts=[
            Excerpt(text=text, section=section, report=refs[r], passage_id=pid, score=score,
                    marks=[(a, b) for a, b in marks])
            for text, section, r, pid, score, marks in data["excerpts"]
        ],
        suggestions=list(data["suggestions"]),
        terms=list(data["terms"]),
        table=None if table is None else _untable(table),
        not_loaded=None if data["not_loaded"] is None else NotLoaded(**data["not_loaded"]),
        scope=None if data["scope"] is None else _context(data["scope"]),
    )


def _compact(obj: Any) -> dict[str, Any]:
    """A dataclass's fields that differ from their defaults."""
    out = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.default is not value and f.default != value:
            out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def _build(cls: type[T], data: dict[str, Any]) -> T:
    return cls(**data)


def _context(data: dict[str, Any]) -> Context:
    default = Context()
    return Context(
        region_ids=tuple(data.get("region_ids", ())),
        years=tuple(data.get("years", ())),
        report_ids=tuple(data.get("report_ids", ())),
        topic=data.get("topic", default.topic),
        indicator_id=data.get("indicator_id", default.indicator_id),
        intent=data.get("intent", default.intent),
        form=data.get("form", default.form),
    )


def _table(table: Table) -> dict[str, Any]:
    data = _compact(table)
    data["rows"] = [_compact(row) for row in table.rows]
    return data


def _untable(data: dict[str, Any]) -> Table:
    rows = [_build(TableRow, row) for row in data.pop("rows", [])]
    return Table(**data, rows=rows)

"""Score retrieval cases (the format of tests/seed-queries.toml) against an Engine.

A case passes its `expect` strings when each is inside the `text` of one of the first `k`
figures; `first` must be inside the top figure's text; `reject` strings must not be inside the
`text` of any of the first `k` figures (precision: nothing unrelated comes back); `none = true`
cases must come back with no figures and no excerpts. The scope of a case is, in order: the
--report given to eval, the case's own `report`, the file's top-level `report`, else all loaded
reports.

Library questions add keys (tests/eval/library.toml): `table` (the answer carries a table of
that kind), `regions` and `years` (each must appear among the table's rows), `verdicts`
({"2024" = "met"}: tracking verdicts by year), `not_loaded = true` (the answer says the region
or year is not loaded and shows nothing else), `first_region` / `first_year` (the first row),
and `after` (the query replies to the answer to `after`, keeping its scope). Each of these is
one more item of the case's recall, or of its first-hit for the `first_*` keys.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from bot.answer import Answer
from bot.engine import Engine

BAR = 0.95


@dataclass(slots=True)
class CaseResult:
    query: str
    report: str | None
    recall: float | None  # None for a none case or a case with nothing to recall
    first: bool | None
    none_ok: bool | None
    precision: float | None = None  # None for a case without `reject`
    missing: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # `reject` strings that came back
    top: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EvalResult:
    cases: list[CaseResult]

    @property
    def recall(self) -> float:
        values = [c.recall for c in self.cases if c.recall is not None]
        return sum(values) / len(values) if values else 1.0

    @property
    def first_hit(self) -> float:
        values = [c.first for c in self.cases if c.first is not None]
        return sum(values) / len(values) if values else 1.0

    @property
    def precision(self) -> float:
        values = [c.precision for c in self.cases if c.precision is not None]
        return sum(values) / len(values) if values else 1.0

    @property
    def none_total(self) -> int:
        return sum(c.none_ok is not None for c in self.cases)

    @property
    def none_ok(self) -> int:
        return sum(bool(c.none_ok) for c in self.cases)

    @property
    def passed(self) -> bool:
        return (
            self.recall >= BAR
            and self.first_hit >= BAR
            and self.precision >= BAR
            and self.none_ok == self.none_total
        )

    def summary(self) -> str:
        n_first = sum(c.first is not None for c in self.cases)
        n_recall = sum(c.recall is not None for c in self.cases)
        n_precision = sum(c.precision is not None for c in self.cases)
        return (
            f"cases {len(self.cases)}: recall@k {self.recall:.3f} ({n_recall} cases), "
            f"first-hit {self.first_hit:.3f} ({n_first} cases), "
            f"precision {self.precision:.3f} ({n_precision} cases), "
            f"none {self.none_ok}/{self.none_total} empty — {'PASS' if self.passed else 'FAIL'}"
            f" (bar {BAR})"
        )


def load_cases(path: Path | str) -> tuple[list[dict], str | None]:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return list(data.get("case", [])), data.get("report")


async def evaluate(engine: Engine, path: Path | str, report: str | None = None) -> EvalResult:
    cases, file_report = load_cases(path)
    results: list[CaseResult] = []
    for case in cases:
        scope = report or case.get("report") or file_report
        context = None
        if case.get("after"):
            context = (await engine.ask(case["after"], report_id=scope)).scope
        answer = await engine.ask(case["query"], report_id=scope, context=context)
        results.append(score_case(case, scope, answer))
    return EvalResult(results)


def score_case(case: dict, scope: str | None, answer: Answer) -> CaseResult:
    texts = [hit.figure.text for hit in answer.figures]
    result = CaseResult(query=case["query"], report=scope, recall=None, first=None,
                        none_ok=None, top=texts[:3])  # fmt: skip
    if case.get("none"):
        result.none_ok = answer.empty
    top = texts[: int(case.get("k", 5))]
    reject = case.get("reject", [])
    if reject:
        result.rejected = [r for r in reject if any(r in t for t in top)]
        result.precision = 1 - len(result.rejected) / len(reject)
    checks: list[tuple[str, bool]] = [(e, any(e in t for t in top)) for e in case.get("expect", [])]
    table = answer.table
    rows = table.rows if table is not None else []
    if "table" in case:
        checks.append((f"table={case['table']}", table is not None and table.kind == case["table"]))
    for name in case.get("regions", []):
        checks.append((f"region {name}", any(name in row.region for row in rows)))
    for year in case.get("years", []):
        checks.append((f"year {year}", any(row.year == int(year) for row in rows)))
    for year, verdict in case.get("verdicts", {}).items():
        got = {row.verdict for row in rows if row.year == int(year)}
        checks.append((f"{year} {verdict}", verdict in got))
    if case.get("not_loaded"):
        said = answer.not_loaded is not None and not answer.figures and not answer.excerpts
        checks.append(("not loaded", said))
    if checks:
        result.missing = [name for name, ok in checks if not ok]
        result.recall = 1 - len(result.missing) / len(checks)
    firsts: list[bool] = []
    if "first" in case:
        firsts.append(bool(texts) and case["first"] in texts[0])
    if "first_region" in case:
        firsts.append(bool(rows) and case["first_region"] in rows[0].region)
    if "first_year" in case:
        firsts.append(bool(rows) and rows[0].year == int(case["first_year"]))
    if firsts:
        result.first = all(firsts)
    return result


def report_lines(result: EvalResult) -> list[str]:
    lines = []
    for c in result.cases:
        bad = []
        if c.recall is not None and c.recall < 1:
            bad.append(f"missing {c.missing}")
        if c.rejected:
            bad.append(f"unrelated {c.rejected}")
        if c.first is False:
            bad.append("first miss")
        if c.none_ok is False:
            bad.append("should be empty")
        if bad:
            lines.append(f"  ✗ {c.query} [{c.report or 'all'}]: {'; '.join(bad)}; top: {c.top}")
    lines.append(result.summary())
    return lines

"""The seed gold set: figures a parser must find in seeds/wuqia-2022.txt, with kind and indicator.

Scores are computed once per session and reported in every assertion message, so a failing run
(or ``pytest -s``) shows them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.report import Figure, Report, parse_file

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "wuqia-2022.txt"
GOLD = Path(__file__).resolve().parent / "seed-figures.toml"


@dataclass(frozen=True)
class Scores:
    total: int
    found: int  # some figure's value starts inside the gold text of its clause
    kind: int  # ... and one of those has the gold kind
    indicator: int  # ... and one of those has an indicator containing the gold word
    misses: tuple[str, ...]
    none_hits: tuple[str, ...]

    def __str__(self) -> str:
        pct = lambda n: f"{100 * n / self.total:.1f}%"  # noqa: E731
        return (
            f"gold figures {self.total}: found {pct(self.found)}, found with kind "
            f"{pct(self.kind)}, indicator {pct(self.indicator)}; none violations "
            f"{len(self.none_hits)}; misses {list(self.misses)}; none hits {list(self.none_hits)}"
        )


def _candidates(report: Report, gold_text: str) -> list[Figure]:
    """Figures whose clause holds ``gold_text`` and whose value starts inside that occurrence.

    The value may run past it: gold 生产总值增长8% matches the value 8%以上.
    """
    spans = []
    at = report.text.find(gold_text)
    while at >= 0:
        spans.append((at, at + len(gold_text)))
        at = report.text.find(gold_text, at + 1)
    return [
        f for f in report.figures if gold_text in f.text and any(a <= f.start < b for a, b in spans)
    ]


@cache
def scores() -> Scores:
    report = parse_file(SEED)
    gold = tomllib.loads(GOLD.read_text(encoding="utf-8"))
    found = kind = indicator = 0
    misses: list[str] = []
    for g in gold["figure"]:
        cands = _candidates(report, g["text"])
        ok_kind = any(f.kind == g["kind"] for f in cands)
        ok_ind = any(g["indicator"] in f.indicator for f in cands)
        found += bool(cands)
        kind += ok_kind
        indicator += ok_ind
        if not (ok_kind and ok_ind):
            got = [(f.indicator, f.value, f.kind) for f in cands]
            misses.append(f"{g['text']} ({g['kind']}, {g['indicator']}) -> {got}")
    none_hits = [
        f"{n['text']} -> {f.value} in {f.text}"
        for n in gold["none"]
        for f in report.figures
        if n["text"] in f.text or f.text in n["text"]
    ]
    return Scores(len(gold["figure"]), found, kind, indicator, tuple(misses), tuple(none_hits))


def test_gold_figures_found_with_kind() -> None:
    s = scores()
    print(s)
    assert s.kind / s.total >= 0.95, str(s)


def test_gold_indicators() -> None:
    s = scores()
    assert s.indicator / s.total >= 0.90, str(s)


def test_no_figure_from_none_clauses() -> None:
    s = scores()
    assert not s.none_hits, str(s)


def test_gold_regression_bar() -> None:
    # Where the extractor stands today; a drop below this is a regression to look at.
    s = scores()
    assert s.kind == s.total and s.indicator / s.total >= 0.95, str(s)


def test_gold_set_is_sane() -> None:
    gold = tomllib.loads(GOLD.read_text(encoding="utf-8"))
    text = SEED.read_text(encoding="utf-8")
    assert len(gold["figure"]) >= 80
    assert {g["kind"] for g in gold["figure"]} == {"actual", "target"}
    missing = [g["text"] for g in gold["figure"] + gold["none"] if g["text"] not in text]
    assert not missing, missing

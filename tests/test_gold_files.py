"""The hand-made gold sets in tests/gold/ stay well-formed (see tests/goldset.py for the format).

A gold `text` must be a verbatim piece of one clause of the report's normalized text; if the
normalizer changes how a report reads, these tests say which gold entries it broke, instead
of the scores quietly dropping. They check the files only, never the parser's figures.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.report.clauses import clauses
from tests.goldset import GOLD_DIR, HELDOUT_DIR, ROOT, load, parsed

KINDS = {"target", "actual", "other"}
MEASURES = {"growth", "level", "share", "rate", "points", "count", "ratio"}
CATALOGUE = ROOT / "bot" / "facts" / "indicators.toml"

GOLD_FILES = sorted(GOLD_DIR.glob("*.toml")) + sorted(HELDOUT_DIR.glob("*.toml"))


def _catalogue_ids() -> set[str]:
    return {entry["id"] for entry in tomllib.loads(CATALOGUE.read_text("utf-8"))["indicator"]}


def _in_one_clause(text: str, spans: list[tuple[int, int]], piece: str) -> bool:
    at = text.find(piece)
    while at >= 0:
        if any(a <= at and at + len(piece) <= b for a, b in spans):
            return True
        at = text.find(piece, at + 1)
    return False


def problems(gold: dict, text: str, ids: set[str]) -> list[str]:
    """Everything wrong with one gold file, given its report's normalized text."""
    spans = clauses(text)
    found: list[str] = []
    for g in gold.get("figure", []):
        where = f"{g.get('text')!r} [{g.get('value')}]"
        if g["text"] not in text:
            found.append(f"not in the report: {where}")
        elif not _in_one_clause(text, spans, g["text"]):
            found.append(f"crosses a clause boundary: {where}")
        if not g.get("value") or g["value"] not in g["text"]:
            found.append(f"value not inside text: {where}")
        if g.get("kind") not in KINDS:
            found.append(f"kind {g.get('kind')!r}: {where}")
        if g.get("measure") not in MEASURES:
            found.append(f"measure {g.get('measure')!r}: {where}")
        if g.get("indicator_id", "") and g["indicator_id"] not in ids:
            found.append(f"unknown indicator_id {g['indicator_id']!r}: {where}")
        if g.get("kind") in ("target", "actual") and not g.get("year"):
            found.append(f"a {g['kind']} needs a year: {where}")
        if not g.get("indicator"):
            found.append(f"no indicator: {where}")
    for n in gold.get("none", []):
        if not _in_one_clause(text, spans, n["text"]):
            found.append(f"none clause not inside one clause of the report: {n['text']!r}")
    return found


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_file_is_well_formed(path: Path) -> None:
    gold = load(path)
    assert gold["report"] and (ROOT / gold["path"]).is_file()
    assert problems(gold, parsed(gold["path"]).text, _catalogue_ids()) == []


def test_problems_are_reported() -> None:
    text = "全年国内生产总值增长3%，城镇新增就业1206万人。\n"
    gold = {
        "figure": [
            {"text": "国内生产总值增长3%", "value": "3%", "kind": "actual", "year": 2022,
             "indicator": "国内生产总值", "indicator_id": "gdp", "measure": "growth"},
            {"text": "增长3%，城镇新增就业", "value": "4%", "kind": "target", "year": 0,
             "indicator": "就业", "indicator_id": "jobs", "measure": "amount"},
        ],
        "none": [{"text": "二〇二三年"}],
    }  # fmt: skip
    found = problems(gold, text, {"gdp"})
    assert len(found) == 6
    assert found[0].startswith("crosses a clause boundary")
    assert not any("国内生产总值增长3%'" in line for line in found)

"""The hand-read tables in tests/data/expected/ stay true to the report texts.

They are what the library engine's comparison, series and tracking tables are measured
against, so every clause in them must still be a whole clause of its report's normalized text
(if the normalizer changes how a report reads, these tests name the entries it broke), every
value must be inside its clause, and every verdict must follow the tracking rule as the brief
states it. They check the files only, never the engine's answers.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import pytest

from bot.report import parse_file
from bot.report.clauses import clauses

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "data" / "expected"
PROVINCIAL = ROOT / "tests" / "data" / "corpus" / "provincial-2026"
NATIONAL = ROOT / "tests" / "data" / "corpus" / "national"
CATALOGUE = ROOT / "bot" / "facts" / "indicators.toml"
TRACKED = {
    "gdp",
    "cpi",
    "urban_jobs",
    "registered_unemployment",
    "surveyed_unemployment",
    "grain_output",
}


def _load(name: str) -> dict:
    return tomllib.loads((EXPECTED / name).read_text(encoding="utf-8"))


@cache
def _text(path: str) -> str:
    return parse_file(ROOT / path).text


@cache
def _clauses(path: str) -> frozenset[str]:
    text = _text(path)
    return frozenset(text[a:b] for a, b in clauses(text))


def _clause_problems(path: str, clause: str, value: str, where: str) -> list[str]:
    """A clause must be a whole clause of the report, and hold its value as written."""
    found = []
    if clause not in _text(path):
        found.append(f"{where}: {clause!r} is not in {path}")
    elif clause not in _clauses(path):
        found.append(f"{where}: {clause!r} is not a whole clause of {path}")
    if value and value not in clause:
        found.append(f"{where}: value {value!r} is not inside {clause!r}")
    return found


def _national_path(year: int) -> str:
    return f"tests/data/corpus/national/{year}.txt"


# ---- gdp-targets-2026.toml


@pytest.fixture(scope="module")
def provincial() -> list[dict]:
    return _load("gdp-targets-2026.toml")["report"]


def test_every_provincial_report_has_one_entry(provincial):
    files = sorted(f"{p.stem}-2026" for p in PROVINCIAL.glob("*.txt"))
    assert sorted(r["id"] for r in provincial) == files
    assert len(files) == 29


def test_provincial_clauses_are_verbatim(provincial):
    found = []
    for r in provincial:
        paths = [r["path"], *r.get("also", [])]
        for path in paths:
            if r["value"]:
                found += _clause_problems(path, r["text"], r["value"], r["id"])
            if r.get("actual_value"):
                found += _clause_problems(path, r["actual_text"], r["actual_value"], r["id"])
            context = r.get("actual_context")
            if context and (context not in _text(path) or r["actual_text"] not in context):
                found.append(f"{r['id']}: actual_context {context!r} is off")
    assert not found, "\n".join(found)


def test_provincial_targets_are_growth_targets(provincial):
    # A growth target says 增长 and a percentage; a level (亿元) or a five-year average
    # (年均) is not the answer to "GDP目标".
    for r in provincial:
        assert "增长" in r["text"] and "%" in r["value"], r["id"]
        assert "年均" not in r["text"], r["id"]


# ---- national-gdp.toml


@pytest.fixture(scope="module")
def national() -> list[dict]:
    return _load("national-gdp.toml")["report"]


def test_every_national_report_has_one_entry(national):
    years = sorted(int(p.stem) for p in NATIONAL.glob("*.txt"))
    assert [r["year"] for r in national] == years
    assert len(years) == 46
    assert all(r["id"] == f"national-{r['year']}" for r in national)


def test_national_clauses_are_verbatim(national):
    found = []
    for r in national:
        path = _national_path(r["year"])
        pairs = [(r["text"], r["value"]), (r["actual_text"], r["actual_value"])]
        pairs += [(o["text"], o["value"]) for o in r.get("other_target", [])]
        pairs += [(o["text"], o["value"]) for o in r.get("other_actual", [])]
        for clause, value in pairs:
            if clause or value:
                found += _clause_problems(path, clause, value, r["id"])
        for key in ("context", "actual_context"):
            context = r.get(key, "")
            inner = r["text"] if key == "context" else r["actual_text"]
            if context and (context not in _text(path) or inner not in context):
                found.append(f"{r['id']}: {key} {context!r} is off")
    assert not found, "\n".join(found)


def test_national_gdp_basis_is_named(national):
    # The GDP columns hold GDP (or GNP, or a bare 经济增长 rate) growth only; 工农业总产值
    # and 国民收入 go to other_target / other_actual.
    for r in national:
        pairs = ((r["value"], r.get("basis")), (r["actual_value"], r.get("actual_basis")))
        for value, basis in pairs:
            if value:
                assert basis in {"国内生产总值", "国民生产总值", "经济增长"}, r["id"]
        for other in r.get("other_target", []) + r.get("other_actual", []):
            assert other["indicator"] and other["year"], r["id"]


# ---- national-tracking.toml

_QUALIFIER_CEILING = ("以内", "以下", "不超过", "不高于", "低于", "控制在")
_ABOUT = ("左右", "上下", "约")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_UNITS = {"万亿斤": 1e12, "亿斤": 1e8, "亿吨": 1e8, "万吨": 1e4, "万人": 1e4}


def _amount(value: str) -> float:
    """A number in base units: 1.3万亿斤 -> 1.3e12, 1200万人 -> 1.2e7, 5.5% -> 5.5."""
    number = float(_NUMBER.search(value)[0])
    for unit, scale in _UNITS.items():
        if unit in value:
            return number * scale
    return number


def verdict(indicator_id: str, target: str, target_text: str, result: str) -> str:
    """The tracking rule of the brief, written out independently of the engine."""
    numbers = [float(n) for n in _NUMBER.findall(target)]
    is_range = len(numbers) == 2 and any(d in target for d in "—－-~至到")
    # 不低于 ("not below") is a floor even though it contains 低于.
    wording = target_text.replace("不低于", "")
    ceiling = any(q in wording for q in _QUALIFIER_CEILING) or (
        indicator_id in {"cpi", "registered_unemployment", "surveyed_unemployment"}
        and not any(q in target_text for q in ("以上", "不低于"))
    )
    percent = "%" in target
    bound = (numbers[1] if ceiling else numbers[0]) if is_range else _amount(target)
    actual = _amount(result)
    tolerance = 0.5 if percent else 0.05 * bound
    wrong_side = (actual - bound) if ceiling else (bound - actual)
    about = not is_range and any(q in target for q in _ABOUT)
    if about:
        if wrong_side <= tolerance + 1e-9:
            return "met"
        return "roughly" if wrong_side <= 2 * tolerance + 1e-9 else "missed"
    if wrong_side <= 1e-9:
        return "met"
    return "roughly" if wrong_side <= tolerance + 1e-9 else "missed"


def test_verdict_rule_examples():
    assert verdict("gdp", "5%左右", "国内生产总值增长5%左右", "4.6%") == "met"
    assert verdict("gdp", "5%左右", "国内生产总值增长5%左右", "4.2%") == "roughly"
    assert verdict("gdp", "5%左右", "国内生产总值增长5%左右", "3.9%") == "missed"
    assert verdict("gdp", "6.5%－7%", "国内生产总值增长6.5%－7%", "6.2%") == "roughly"
    assert verdict("cpi", "3%以内", "居民消费价格总水平涨幅在 3%以内", "4.8%") == "missed"
    assert verdict("cpi", "3%左右", "居民消费价格涨幅3%左右", "3.3%") == "met"
    assert verdict("urban_jobs", "900万人以上", "城镇新增就业900万人以上", "860万人") == "roughly"
    assert verdict("urban_jobs", "900万人以上", "城镇新增就业900万人以上", "850万人") == "missed"


@pytest.fixture(scope="module")
def tracking() -> list[dict]:
    return _load("national-tracking.toml")["pair"]


def test_tracking_pairs_are_consecutive_loaded_years(tracking):
    loaded = {int(p.stem) for p in NATIONAL.glob("*.txt")}
    expected = [y for y in range(2004, 2025) if y in loaded and y + 1 in loaded]
    assert sorted({p["year"] for p in tracking}) == expected


def test_tracking_rows_are_verbatim_and_follow_the_rule(tracking):
    ids = {e["id"] for e in tomllib.loads(CATALOGUE.read_text("utf-8"))["indicator"]}
    found = []
    seen = set()
    for p in tracking:
        key = (p["year"], p["indicator_id"])
        where = f"{p['year']} {p['indicator_id']}"
        if key in seen:
            found.append(f"{where}: listed twice")
        seen.add(key)
        if p["indicator_id"] not in TRACKED or p["indicator_id"] not in ids:
            found.append(f"{where}: indicator_id {p['indicator_id']!r}")
        found += _clause_problems(_national_path(p["year"]), p["target_text"], p["target"], where)
        found += _clause_problems(
            _national_path(p["year"] + 1), p["actual_text"], p["actual"], where
        )
        for key_, year in (("target_context", p["year"]), ("actual_context", p["year"] + 1)):
            context = p.get(key_, "")
            inner = p["target_text"] if key_ == "target_context" else p["actual_text"]
            if context and (context not in _text(_national_path(year)) or inner not in context):
                found.append(f"{where}: {key_} {context!r} is off")
        rule = verdict(p["indicator_id"], p["target"], p["target_text"], p["actual"])
        if p["verdict"] != rule:
            found.append(f"{where}: verdict {p['verdict']!r}, the rule gives {rule!r}")
    assert not found, "\n".join(found)

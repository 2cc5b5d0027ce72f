"""The library retrieval cases (tests/eval/library*.toml) stay well-formed and true to the texts.

These check the case files only, not the engine's answers: every expected string must be a
verbatim piece of one clause of a loaded report's normalized text (of the chat's report when
the case names one), regions must be loaded regions, and the files must cover every kind of
question the brief lists. The engine's scores come from `reportbot eval`.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pytest

from bot.report import parse_file
from bot.report.clauses import clauses

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "tests" / "eval" / "library.toml"
HELDOUT = ROOT / "tests" / "eval" / "library-heldout.toml"
BLIND = ROOT / "tests" / "eval" / "library-blind.toml"
KINDS = (
    "region",
    "year",
    "compare",
    "series",
    "ranking",
    "threshold",
    "track",
    "english",
    "pinyin",
    "typo",
    "traditional",
    "follow-up",
    "not-loaded",
    "now",
)
TABLES = {"compare", "series", "track"}
VERDICTS = {"met", "roughly", "missed"}
PROVINCES = {
    "anhui": "安徽", "beijing": "北京", "chongqing": "重庆", "fujian": "福建",
    "gansu": "甘肃", "guangdong": "广东", "guangxi": "广西", "guizhou": "贵州",
    "hainan": "海南", "hebei": "河北", "heilongjiang": "黑龙江", "henan": "河南",
    "hubei": "湖北", "hunan": "湖南", "jiangsu": "江苏", "jiangxi": "江西",
    "jilin": "吉林", "liaoning": "辽宁", "neimenggu": "内蒙古", "ningxia": "宁夏",
    "qinghai": "青海", "shaanxi": "陕西", "shandong": "山东", "shanghai": "上海",
    "shanxi": "山西", "tianjin": "天津", "xizang": "西藏", "yunnan": "云南",
    "zhejiang": "浙江",
}  # fmt: skip
CITIES_AND_COUNTIES = {
    "保定": "baoding-2025",
    "涞源": "laiyuan-2025",
    "阜平": "fuping-2021",
    "乌恰": "wuqia-2022",
}
LOCAL = {*CITIES_AND_COUNTIES, "全国"}


@cache
def library() -> dict[str, str]:
    """Report id -> normalized text, for every report the library loads."""
    paths = {p.stem: p for p in (ROOT / "tests" / "data" / "reports").glob("*.txt")}
    paths["wuqia-2022"] = ROOT / "seeds" / "wuqia-2022.txt"
    for p in (ROOT / "tests" / "data" / "corpus" / "national").glob("*.txt"):
        paths[f"national-{p.stem}"] = p
    for p in (ROOT / "tests" / "data" / "corpus" / "provincial-2026").glob("*.txt"):
        paths[f"{p.stem}-2026"] = p
    return {rid: parse_file(path).text for rid, path in paths.items()}


@cache
def _clauses(rid: str) -> list[tuple[int, int]]:
    return clauses(library()[rid])


def in_one_clause(rid: str, piece: str) -> bool:
    """True when `piece` occurs in the report inside a single clause (a figure's `text`)."""
    text = library()[rid]
    at = text.find(piece)
    while at >= 0:
        if any(a <= at and at + len(piece) <= b for a, b in _clauses(rid)):
            return True
        at = text.find(piece, at + 1)
    return False


def _cases(path: Path) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["case"]


@pytest.fixture(scope="module", params=[MAIN, HELDOUT, BLIND], ids=["main", "heldout", "blind"])
def cases(request) -> list[dict]:
    return _cases(request.param)


def test_library_is_the_whole_test_data():
    assert len(library()) == 7 + 46 + 29 + 1 - 4  # four tests/data/reports are corpus copies


def test_case_counts():
    assert len(_cases(MAIN)) >= 70
    assert len(_cases(HELDOUT)) >= 15
    assert len(_cases(BLIND)) >= 40


def test_main_file_covers_every_kind():
    counts = {kind: 0 for kind in KINDS}
    for case in _cases(MAIN):
        for tag in case["tags"]:
            counts[tag] = counts.get(tag, 0) + 1
    short = {kind: n for kind, n in counts.items() if kind in KINDS and n < 5}
    assert not short, f"fewer than 5 cases: {short}"


def test_heldout_is_not_the_main_file():
    main = {c["query"] for c in _cases(MAIN)}
    assert not main & {c["query"] for c in _cases(HELDOUT)}


def test_blind_is_neither_the_main_nor_the_heldout_file():
    seen = {(c.get("after"), c["query"]) for c in [*_cases(MAIN), *_cases(HELDOUT)]}
    assert not seen & {(c.get("after"), c["query"]) for c in _cases(BLIND)}


def test_blind_file_covers_the_brief():
    # The brief's minimum per kind of question, counted from the keys rather than the tags.
    cases = _cases(BLIND)
    single = [c for c in cases if "table" not in c and not c.get("after")
              and not c.get("not_loaded") and not c.get("none")]  # fmt: skip
    compare = [c for c in cases if c.get("table") == "compare" and not c.get("after")]
    series = [c for c in cases if c.get("table") == "series" and not c.get("after")]
    track = [c for c in cases if c.get("table") == "track" and not c.get("after")]
    variants = [c for c in cases if {"english", "pinyin", "typo", "traditional"} & {*c["tags"]}]
    counts = {
        "single region": (len(single), 6),
        "compare": (len(compare), 6),
        "series": (len(series), 5),
        "track": (len(track), 5),
        "not loaded": (sum(bool(c.get("not_loaded")) for c in cases), 4),
        "follow-up": (sum(bool(c.get("after")) for c in cases), 4),
        "variants": (len(variants), 4),
        "none": (sum(bool(c.get("none")) for c in cases), 2),
    }
    short = {kind: n for kind, (n, least) in counts.items() if n < least}
    assert not short, f"fewer cases than the brief asks: {short}"
    assert all(c.get("first_region") for c in compare if "ranking" in c["tags"])


def test_expected_strings_are_verbatim_clause_pieces(cases):
    found = []
    for case in cases:
        scope = [case["report"]] if case.get("report") else list(library())
        pieces = [*case.get("expect", []), *case.get("reject", [])]
        pieces += [case["first"]] if "first" in case else []
        for piece in pieces:
            if not any(in_one_clause(rid, piece) for rid in scope if piece in library()[rid]):
                found.append(f"{case['query']}: {piece!r} is not inside a clause in scope")
    assert not found, "\n".join(found)


def _reports_of(region: str) -> list[str]:
    if region == "全国":
        return [rid for rid in library() if rid.startswith("national-")]
    local = {
        "保定": "baoding-2025",
        "涞源": "laiyuan-2025",
        "阜平": "fuping-2021",
        "乌恰": "wuqia-2022",
    }
    if region in local:
        return [local[region]]
    return [f"{stem}-2026" for stem, name in PROVINCES.items() if name == region]


def test_table_expectations_come_from_the_rows_regions(cases):
    # A comparison's expected clauses are clauses of the regions it must list, and a ranking's
    # first clause is its first region's: an expectation that a wrong row would satisfy is
    # worth nothing.
    found = []
    for case in cases:
        checks = []
        if case.get("regions"):
            scope = [rid for region in case["regions"] for rid in _reports_of(region)]
            checks += [(piece, scope) for piece in case.get("expect", [])]
        if case.get("first_region") and "first" in case:
            checks.append((case["first"], _reports_of(case["first_region"])))
        for piece, scope in checks:
            if not any(piece in library()[rid] and in_one_clause(rid, piece) for rid in scope):
                found.append(f"{case['query']}: {piece!r} is not from {scope}")
    assert not found, "\n".join(found)


def test_case_keys_are_consistent(cases):
    regions = set(PROVINCES.values()) | LOCAL
    for case in cases:
        q = case["query"]
        assert case.get("tags") and set(case["tags"]) <= {*KINDS, "none"}, q
        assert case.get("table", "compare") in TABLES, q
        assert set(case.get("regions", [])) <= regions, q
        assert case.get("first_region", "全国") in regions, q
        if case.get("first_region") or case.get("regions") or case.get("verdicts"):
            assert "table" in case, q
        for year, verdict in case.get("verdicts", {}).items():
            assert verdict in VERDICTS and int(year) in case.get("years", []), q
        if case.get("first_year"):
            assert case["first_year"] in case["years"], q
        if case.get("not_loaded") or case.get("none"):
            # Nothing may come back, so nothing can be expected.
            assert not ({"expect", "first", "table", "regions"} & case.keys()), q
        else:
            assert {"expect", "first", "table"} & case.keys(), q
        if case.get("report"):
            assert case["report"] in library(), q

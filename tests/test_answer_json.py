"""bot/answer_json.py: every kind of answer survives encode → decode unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import pytest_asyncio

from bot import answer_json
from bot.answer import Answer, ReportRef
from bot.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
FILES = [
    *(DATA / "corpus" / "national" / f"{year}.txt" for year in (2023, 2024, 2025)),
    *(DATA / "corpus" / "provincial-2026" / f"{p}.txt" for p in ("guangdong", "jiangsu", "henan")),
    ROOT / "seeds" / "wuqia-2022.txt",
]
QUERIES = [
    "就业目标",  # figures and excerpts, with marks
    "增长",  # many figures: several pages
    "2026年各省GDP目标",  # a comparison table
    "近三年GDP目标",  # a series
    "GDP目标完成了吗",  # tracking: targets against outcomes
    "四川GDP目标",  # not loaded
    "量子计算机",  # nothing: suggestions
    "2023年財政赤字率",  # Traditional characters, a year
    "乌恰就业目标",  # one report
]

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def engine(tmp_path_factory):
    eng = await Engine.open(tmp_path_factory.mktemp("answers") / "a.db")
    try:
        summary = await eng.ingest_paths(FILES)
        assert not summary.failed, summary.failed
        yield eng
    finally:
        await eng.close()


@pytest.mark.parametrize("query", QUERIES)
async def test_round_trip(engine: Engine, query: str) -> None:
    answer = await engine.ask(query)
    text = answer_json.encode(answer)
    back = answer_json.decode(text)
    assert back == answer
    assert answer_json.encode(back) == text  # stable: decoding loses nothing


async def test_the_cases_cover_every_part_of_an_answer(engine: Engine) -> None:
    answers = [await engine.ask(q) for q in QUERIES]
    assert any(a.table and a.table.kind == "compare" for a in answers)
    assert any(a.table and a.table.kind == "series" for a in answers)
    assert any(a.table and a.table.kind == "track" and a.table.rows for a in answers)
    assert any(a.not_loaded for a in answers)
    assert any(a.suggestions for a in answers)
    assert any(ex.marks for a in answers for ex in a.excerpts)
    assert any(a.report is not None for a in answers)
    assert all(a.scope is not None for a in answers)


async def test_a_follow_up_scope_survives(engine: Engine) -> None:
    first = await engine.ask("广东GDP目标")
    back = answer_json.decode(answer_json.encode(first))
    assert back is not None and back.scope == first.scope
    follow = await engine.ask("那就业呢", context=back.scope)
    assert follow.figures and all(h.report.id == "guangdong-2026" for h in follow.figures)


async def test_compact_reports_are_written_once() -> None:
    ref = ReportRef("r", "标题" * 20, "某地", 2025)
    answer = Answer(query="q", report=ref)
    data = json.loads(answer_json.encode(answer))
    assert data["refs"] == [["r", "标题" * 20, "某地", 2025]] and data["report"] == 0
    assert answer_json.decode(answer_json.encode(answer)) == answer


async def test_another_shape_decodes_to_none() -> None:
    assert answer_json.decode('{"v": 0}') is None
    assert answer_json.decode("[]") is None

"""Retrieval quality: the seed cases and our own cases on other real reports must clear the bar."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.evaluate import BAR, evaluate, report_lines

ROOT = Path(__file__).resolve().parent.parent
SEED_CASES = ROOT / "tests" / "seed-queries.toml"
OTHER_CASES = ROOT / "tests" / "eval" / "other-reports.toml"
REPORT_DIRS = [ROOT / "tests" / "data" / "reports", ROOT / "tests" / "data" / "corpus"]


def _report_file(report_id: str) -> Path:
    # beijing-2026 is loaded from provincial-2026/beijing.txt: the engine adds the year.
    for stem in dict.fromkeys([report_id, report_id.rsplit("-", 1)[0]]):
        for folder in REPORT_DIRS:
            for path in folder.rglob(f"{stem}.txt"):
                return path
    raise FileNotFoundError(report_id)


def _assert_passes(result) -> None:
    lines = "\n".join(report_lines(result))
    assert result.recall >= BAR, lines
    assert result.first_hit >= BAR, lines
    # Precision: the `reject` strings (unrelated figures) must stay out of the top k.
    assert sum(c.precision is not None for c in result.cases) >= 5, lines
    assert result.precision >= BAR, lines
    assert result.none_ok == result.none_total, lines
    assert result.passed, lines


async def test_seed_queries(tmp_path):
    engine = await Engine.open(tmp_path / "seed.db", ROOT / "seeds")
    try:
        result = await evaluate(engine, SEED_CASES, report="wuqia-2022")
    finally:
        await engine.close()
    _assert_passes(result)
    assert result.none_total >= 1 and len(result.cases) >= 20


@pytest.fixture(scope="module")
def other_cases() -> list[dict]:
    return tomllib.loads(OTHER_CASES.read_text(encoding="utf-8"))["case"]


def test_other_cases_cover_the_brief(other_cases):
    reports = {c["report"] for c in other_cases}
    assert len(other_cases) >= 30 and len(reports) >= 5
    assert sum(bool(c.get("none")) for c in other_cases) >= 5


async def test_other_reports(tmp_path, other_cases):
    engine = await Engine.open(tmp_path / "other.db")
    try:
        # Loaded together with the seed, so every case also proves its report scope holds.
        ids = sorted({c["report"] for c in other_cases})
        summary = await engine.ingest_paths([_report_file(i) for i in ids] + [ROOT / "seeds"])
        assert not summary.failed, summary.failed
        result = await evaluate(engine, OTHER_CASES)
    finally:
        await engine.close()
    _assert_passes(result)


async def test_suggestions_are_questions_with_answers(tmp_path):
    """Nothing matches 火星探测: no figures, no excerpts, and suggestions that each answer."""
    engine = await Engine.open(tmp_path / "seed.db", ROOT / "seeds")
    try:
        for query in ("火星探测", "多少"):
            answer = await engine.ask(query, report_id="wuqia-2022")
            assert not answer.figures and not answer.excerpts
            assert answer.suggestions and "地区生产总值目标" in answer.suggestions
            assert "项目" not in answer.suggestions
            for suggestion in answer.suggestions:
                found = await engine.ask(suggestion, report_id="wuqia-2022")
                assert found.figures and found.figures[0].figure.kind == "target", suggestion
        for query in ("火星探测", "多少"):  # across all reports too
            assert (await engine.ask(query)).suggestions[0] == "地区生产总值目标"
        # Close words win over examples when one passes the cutoff.
        near = await engine.ask("援藏资金", report_id="wuqia-2022")
        assert near.empty and "援疆资金" in near.suggestions
        assert "地区生产总值目标" not in near.suggestions
    finally:
        await engine.close()


async def test_render_examples_answer_on_the_seed(tmp_path):
    from bot.render import EXAMPLES

    engine = await Engine.open(tmp_path / "seed.db", ROOT / "seeds")
    try:
        for example in EXAMPLES:
            answer = await engine.ask(example, report_id="wuqia-2022")
            assert answer.figures, example
    finally:
        await engine.close()


LIBRARY_CASES = ROOT / "tests" / "eval" / "library.toml"


async def test_library_questions(library_db):
    """Questions across every report in tests/data: regions, years, comparisons, series,
    ranking, tracking, English, pinyin, typos, follow-ups and not-loaded answers."""
    engine = await Engine.open(library_db)
    try:
        assert len(await engine.reports()) >= 79
        result = await evaluate(engine, LIBRARY_CASES)
    finally:
        await engine.close()
    _assert_passes(result)
    assert result.precision >= BAR, "\n".join(report_lines(result))
    assert len(result.cases) >= 60

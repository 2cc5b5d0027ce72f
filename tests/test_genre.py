"""Is it a work report? Every real report in the repository is accepted and every non-report in
tests/data/nonreports/ refused with its reason; the margins in bot/report/genre.py's docstring
are recomputed here, so a change to a rule that eats into them fails."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bot.report import Report, parse_file
from bot.report.genre import (
    MAX_FIGURE_DENSITY,
    MIN_CHARS,
    MIN_CJK_SHARE,
    MIN_SCORE,
    NotAReport,
    check,
    judge,
)
from bot.report.model import ParseError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
REAL = sorted([*DATA.joinpath("reports").glob("*.txt"), *DATA.joinpath("corpus").rglob("*.txt"),
               *ROOT.joinpath("seeds").glob("*.txt")])  # fmt: skip
NON = sorted(p for p in DATA.joinpath("nonreports").iterdir() if p.suffix in (".txt", ".html"))


@cache
def parsed(path: Path) -> Report:
    return parse_file(path)


def test_the_sets_are_what_the_docstring_says() -> None:
    assert len(REAL) == 83
    assert len(NON) >= 12


def test_every_real_report_is_accepted_with_margin() -> None:
    scores = {}
    for path in REAL:
        genre = judge(parsed(path))
        assert genre.ok, (path.name, genre.reason)
        assert genre.cjk_share >= MIN_CJK_SHARE + 0.2, path.name
        assert genre.chars >= 2 * MIN_CHARS, path.name
        assert genre.figure_density <= MAX_FIGURE_DENSITY / 1.5, path.name
        scores[path] = genre.score
    assert min(scores.values()) >= MIN_SCORE + 1  # the docstring's margin: 6 at least
    assert sum(s >= 8 for s in scores.values()) >= 81


@pytest.mark.parametrize("path", NON, ids=lambda p: p.name)
def test_every_non_report_is_refused_by_at_least_two_rules(path: Path) -> None:
    genre = judge(parsed(path))
    assert not genre.ok and genre.reason
    assert len(genre.failed) >= 2, genre.failed
    # The score alone refuses it, with a point to spare (the docstring's margin: 4 at most).
    assert genre.score <= MIN_SCORE - 1, genre.evidence
    # Length is no part of that: judged by content alone, it is still refused.
    assert not judge(parsed(path), min_chars=0).ok
    with pytest.raises(NotAReport) as raised:
        check(parsed(path))
    assert isinstance(raised.value, ParseError)


def test_reasons_name_what_the_text_is() -> None:
    def reason(name: str) -> str:
        return judge(parsed(DATA / "nonreports" / name)).reason

    assert "统计公报" in reason("stats-bulletin.txt")
    assert "讲话" in judge(parsed(DATA / "nonreports" / "speech-economic-work.txt"),
                         min_chars=0).reason  # fmt: skip
    assert "中文" in reason("lorem-ipsum.txt") and "中文" in reason("english-work-report.txt")
    assert "各位代表" in reason("fiction-modern.txt")


def test_a_title_line_alone_does_not_make_a_novel_a_report(tmp_path: Path) -> None:
    """The run's novel was named wuqia-2022.txt; one that also carries the report's title line
    is still refused: the body is not built like a report."""
    novel = (DATA / "nonreports" / "fiction-modern.txt").read_text(encoding="utf-8")
    path = tmp_path / "wuqia-2022.txt"
    path.write_text("2022年乌恰县政府工作报告\n\n" + novel * 3, encoding="utf-8")
    genre = judge(parse_file(path))
    assert "title" in genre.evidence and not genre.ok and genre.failed == ["score"]


def test_the_address_and_title_are_what_a_report_shows(tmp_path: Path) -> None:
    """national-2025 has no title line but opens with 各位代表; national 1964 is an abstract
    with a title and no address: both are reports."""
    n2025 = judge(parsed(DATA / "reports" / "national-2025.txt"))
    assert "title" not in n2025.evidence and "address" in n2025.evidence and n2025.ok
    n1964 = judge(parsed(DATA / "corpus" / "national" / "1964.txt"))
    assert "title" in n1964.evidence and "address" not in n1964.evidence and n1964.ok

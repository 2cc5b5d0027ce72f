"""The judged 'after' precision audit (tests/audit/after.toml) and what it still guarantees.

after.toml holds 150 figures drawn by tests/audit/sample.py from the parser at one commit and
judged by hand. These tests keep it honest three ways: its written summary must be what its
judgements add up to, its share fully correct must meet the 90% target, and every figure a
human judged fully correct must still come out of the current parser with the same value,
kind, year and indicator. The last is a regression test built from the human judgements: when
the parser changes one of those readings, the test names the figure, and the new reading must
be judged again (by hand, in a new audit) rather than the old judgement edited to match.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pytest

from bot.engine import report_id_for, with_year
from bot.report import Figure, Report, parse_file
from tests.audit import sample

AUDIT = Path(__file__).parent / "audit"
AFTER = AUDIT / "after.toml"
BEFORE = AUDIT / "before.toml"
SPOT = AUDIT / "spot-unseen.toml"
TARGET = 0.90


def _load(path: Path) -> tuple[list[str], list[dict]]:
    """The comment header (without '# ') and the judged figures of an audit file."""
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line[2:] if line.startswith("# ") else line[1:])
    return header, tomllib.loads(text)["figure"]


def _contains_block(header: list[str], block: list[str]) -> bool:
    return any(header[i : i + len(block)] == block for i in range(len(header) - len(block) + 1))


def _correct(entries: list[dict]) -> list[dict]:
    return [e for e in entries if e["correct"] is True]


@pytest.mark.parametrize("path", [AFTER, SPOT], ids=lambda p: p.name)
def test_every_figure_is_judged_consistently(path: Path) -> None:
    _, entries = _load(path)
    for e in entries:
        oks = [e[name] for name in sample.JUDGED]
        assert all(isinstance(ok, bool) for ok in oks), e["text"]
        assert e["correct"] == all(oks), e["text"]
        # A wrong figure says what is right and names its failure class; a right one says nothing.
        assert bool(e["note"]) == bool(e["failure"]) == (not e["correct"]), e["text"]
        if not e["value_ok"]:  # not a figure: its kind, year and indicator mean nothing
            assert not any(e[name] for name in sample.JUDGED), e["text"]


def test_the_after_sample_is_the_full_draw() -> None:
    header, entries = _load(AFTER)
    assert len(entries) == sample.SIZE
    assert f"--n {sample.SIZE} --seed {sample.SEED}" in header[0]
    assert header[1].endswith(", ".join(sample.REPORTS))
    starts = [(e["report"], e["start"]) for e in entries]
    assert len(set(starts)) == len(starts)


@pytest.mark.parametrize("path", [AFTER, SPOT], ids=lambda p: p.name)
def test_the_written_summary_is_what_the_judgements_add_up_to(path: Path) -> None:
    header, entries = _load(path)
    assert _contains_block(header, sample.summary(entries))


def test_the_written_comparison_with_before_is_what_both_audits_add_up_to() -> None:
    header, after = _load(AFTER)
    _, before = _load(BEFORE)
    assert _contains_block(header, sample.comparison(before, after))


def test_the_share_fully_correct_meets_the_target() -> None:
    _, entries = _load(AFTER)
    share = len(_correct(entries)) / len(entries)
    assert share >= TARGET, f"{share:.1%} fully correct, below the {TARGET:.0%} target"


@cache
def _reports() -> dict[str, Report]:
    """The sampled reports parsed by the current parser, by the report ids the sampler gives."""
    out = {}
    for rel in sample.REPORTS:
        report = parse_file(sample.ROOT / rel)
        out[with_year(report_id_for(rel), report.meta.target_year)] = report
    return out


def _locate(report: Report, entry: dict) -> Figure | None:
    """The current parser's figure for a judged one: the same value inside an occurrence of the
    judged clause, the one nearest the judged offset (offsets move if the text ahead changes;
    short clauses such as 增长5.6% occur more than once)."""
    clause, value = entry["text"], entry["value"]
    spans = []
    at = report.text.find(clause)
    while at >= 0:
        spans.append((at, at + len(clause)))
        at = report.text.find(clause, at + 1)
    found = [
        f for f in report.figures
        if f.value == value and any(a <= f.start and f.start + len(value) <= b for a, b in spans)
    ]
    return min(found, key=lambda f: abs(f.start - entry["start"]), default=None)


def _judged_correct() -> list[dict]:
    return _correct(_load(AFTER)[1])


def _case_id(entry: dict) -> str:
    return f"{entry['report']}@{entry['start']}"  # ASCII: pytest escapes the rest


@pytest.mark.parametrize("entry", _judged_correct(), ids=_case_id)
def test_a_figure_judged_correct_is_still_read_the_same_way(entry: dict) -> None:
    figure = _locate(_reports()[entry["report"]], entry)
    assert figure is not None, (
        f"{entry['value']} in 「{entry['text']}」 is no longer extracted; after.toml judged it"
        f" correct as {entry['indicator']} / {entry['kind']} {entry['year']}"
    )
    now = (figure.value, figure.kind, figure.year or 0, figure.indicator)
    judged = (entry["value"], entry["kind"], entry["year"], entry["indicator"])
    assert now == judged, (
        f"「{entry['text']}」: the parser now reads {now}, after.toml judged {judged} correct;"
        " judge the new reading by hand before changing anything"
    )


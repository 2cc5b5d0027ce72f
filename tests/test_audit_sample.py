"""The precision-audit sampler (tests/audit/sample.py) and the judged sample it produced."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.audit import sample

BEFORE = Path(__file__).parent / "audit" / "before.toml"


def test_draw_is_fixed_by_the_seed_and_listed_in_pool_order() -> None:
    figures = [("r", i) for i in range(500)]
    first = sample.draw(figures, 150, sample.SEED)
    assert first == sample.draw(figures, 150, sample.SEED)
    assert first != sample.draw(figures, 150, sample.SEED + 1)
    assert len(first) == 150 == len(set(first))
    assert [i for _, i in first] == sorted(i for _, i in first)
    assert sample.draw(figures[:10], 150, sample.SEED) == figures[:10]


def test_pool_keeps_file_order_and_names_reports_by_their_ids() -> None:
    pooled = sample.pool(sample.REPORTS[:2])
    ids = [rid for rid, _ in pooled]
    assert ids[0] == "national-2023" and ids[-1] == "guangdong-2026"
    assert ids == sorted(ids, key=["national-2023", "guangdong-2026"].index)
    starts = [f.start for rid, f in pooled if rid == "national-2023"]
    assert starts == sorted(starts)


def test_dump_round_trips_through_toml() -> None:
    rid, figure = sample.pool(sample.REPORTS[:1])[0]
    entry = sample.entry(rid, figure)
    entry.update(note='引号“一”和 "ASCII" \\ 反斜杠', failure=["year:missing"], correct=False)
    loaded = tomllib.loads(sample.dump([entry], ["header"]))["figure"][0]
    assert loaded == entry


def test_summary_counts_shares_and_failure_classes() -> None:
    def judged(ok: bool, *tags: str) -> dict:
        return {"report": "r", "value_ok": True, "kind_ok": ok, "year_ok": True,
                "indicator_ok": True, "correct": ok, "failure": list(tags)}

    lines = sample.summary([judged(True), judged(False, "kind:x"), judged(False, "kind:x")])
    text = "\n".join(lines)
    assert "correct          1/3 = 33.3%" in text
    assert "kind_ok          1/3 = 33.3%" in text
    assert "year_ok          3/3 = 100.0%" in text
    assert "    2  kind:x" in text


def test_the_before_sample_is_fully_judged() -> None:
    entries = tomllib.loads(BEFORE.read_text(encoding="utf-8"))["figure"]
    assert len(entries) == sample.SIZE
    for e in entries:
        oks = [e[name] for name in sample.JUDGED]
        assert all(isinstance(ok, bool) for ok in oks), e["text"]
        assert e["correct"] == all(oks), e["text"]
        assert e["correct"] or (e["note"] and e["failure"]), e["text"]

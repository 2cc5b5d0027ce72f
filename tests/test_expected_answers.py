"""The engine's tables against tables read by hand from the report texts (tests/data/expected):
every province's 2026 GDP growth target, the national GDP growth target of every loaded year,
and the verdicts on the national targets of 2004–2025 where the next year's report is loaded."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import pytest_asyncio

from bot.engine import Engine

EXPECTED = Path(__file__).resolve().parent / "data" / "expected"
QUERY_WORDS = {
    "gdp": "GDP", "cpi": "居民消费价格涨幅", "urban_jobs": "城镇新增就业",
    "registered_unemployment": "城镇登记失业率", "surveyed_unemployment": "城镇调查失业率",
    "grain_output": "粮食产量",
}  # fmt: skip

pytestmark = pytest.mark.asyncio(loop_scope="module")


def expected(name: str, key: str) -> list[dict]:
    return tomllib.loads((EXPECTED / name).read_text(encoding="utf-8"))[key]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def engine(library_db):
    eng = await Engine.open(library_db)
    try:
        yield eng
    finally:
        await eng.close()


async def test_every_provinces_2026_gdp_growth_target(engine):
    table = (await engine.ask("2026年各省GDP目标")).table
    assert table is not None and table.kind == "compare"
    got = {row.report: row for row in table.rows}
    wrong = [
        (want["id"], want["value"], got[want["id"]].value if want["id"] in got else None)
        for want in expected("gdp-targets-2026.toml", "report")
        if want["id"] not in got or got[want["id"]].value != want["value"]
        or want["text"] not in got[want["id"]].text
    ]  # fmt: skip
    assert not wrong, wrong
    assert all(row.kind == "target" and row.year == 2026 for row in table.rows)
    assert {"四川省", "新疆维吾尔自治区"} <= set(table.missing)


async def test_the_national_gdp_growth_target_of_every_loaded_year(engine):
    table = (await engine.ask("历年全国GDP增长目标")).table
    assert table is not None and table.kind == "series"
    years = [row.year for row in table.rows]
    assert years == sorted(years)
    got = {row.year: row.value for row in table.rows}
    want = {r["year"]: r["value"] for r in expected("national-gdp.toml", "report") if r["value"]}
    assert got == want
    none = {r["year"] for r in expected("national-gdp.toml", "report") if not r["value"]}
    assert {str(y) for y in none} <= set(table.missing)


async def test_verdicts_on_the_national_targets(engine):
    wrong = []
    pairs = expected("national-tracking.toml", "pair")
    for pair in pairs:
        query = f"{pair['year']}年{QUERY_WORDS[pair['indicator_id']]}目标完成了吗"
        table = (await engine.ask(query)).table
        rows = [r for r in (table.rows if table else []) if r.year == pair["year"]]
        got = (rows[0].target, rows[0].actual, rows[0].verdict) if rows else None
        if got != (pair["target"], pair["actual"], pair["verdict"]):
            wrong.append((query, got))
    assert len(pairs) >= 45 and not wrong, wrong

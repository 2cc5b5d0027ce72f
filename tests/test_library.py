"""Questions across a library of reports: scope, comparisons, series, tracking, not loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio

from bot.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PROVINCES = DATA / "corpus" / "provincial-2026"
NATIONAL = DATA / "corpus" / "national"
FILES = [
    *(NATIONAL / f"{year}.txt" for year in (2019, 2023, 2024, 2025)),
    *(PROVINCES / f"{p}.txt" for p in ("guangdong", "jiangsu", "zhejiang", "henan", "xizang")),
    DATA / "reports" / "baoding-2025.txt",
    ROOT / "seeds" / "wuqia-2022.txt",
]

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def library(tmp_path_factory):
    engine = await Engine.open(tmp_path_factory.mktemp("library") / "lib.db")
    try:
        summary = await engine.ingest_paths(FILES)
        assert not summary.failed, summary.failed
        yield engine
    finally:
        await engine.close()


async def test_comparison_across_provinces(library):
    answer = await library.ask("2026年各省GDP目标")
    table = answer.table
    assert table is not None and table.kind == "compare" and table.indicator_id == "gdp"
    assert table.measure == "growth"
    rows = {row.region: row for row in table.rows}
    assert {"广东省", "江苏省", "浙江省", "河南省", "西藏自治区"} <= set(rows)
    assert all(row.kind == "target" and row.year == 2026 for row in table.rows)
    assert "4.5%" in rows["广东省"].value and rows["广东省"].report == "guangdong-2026"
    assert "四川省" in table.missing  # asked for 各省, not loaded
    # The figures are the rows, so `ask --json` and first-hit scoring see them in order.
    assert [hit.report.id for hit in answer.figures] == [row.report for row in table.rows]


async def test_ranking_sorts_by_value(library):
    table = (await library.ask("哪个省GDP目标最高")).table
    assert table is not None and table.rows[0].region == "西藏自治区"
    numbers = [row.number for row in table.rows]
    assert numbers == sorted(numbers, reverse=True)
    lowest = (await library.ask("GDP目标最低的省份")).table
    assert lowest is not None and lowest.rows[0].number == min(numbers)


async def test_threshold_filters_rows(library):
    table = (await library.ask("GDP增长目标低于5%的省份")).table
    assert table is not None and table.rows
    assert all(row.number is not None and row.number < 5 for row in table.rows)
    assert "广东省" in {row.region for row in table.rows}


async def test_named_regions_compare(library):
    table = (await library.ask("广东和江苏GDP目标对比")).table
    assert table is not None and [r.region for r in table.rows] == ["江苏省", "广东省"]


async def test_group_of_regions(library):
    table = (await library.ask("长三角GDP目标")).table
    assert table is not None
    assert {r.region for r in table.rows} == {"江苏省", "浙江省"}
    assert {"上海市", "安徽省"} <= set(table.missing)


async def test_newest_report_first_and_national_by_name(library):
    answer = await library.ask("全国GDP目标")
    assert answer.figures[0].report.id == "national-2025"
    assert "国内生产总值增长5%左右" in answer.figures[0].figure.text


async def test_relative_years_follow_the_newest_report_in_scope(library):
    answer = await library.ask("全国去年GDP增长多少")
    assert answer.figures and answer.figures[0].figure.year == 2024
    assert answer.figures[0].report.id == "national-2025"


async def test_not_loaded_region_or_year_says_so(library):
    for query, region in (("四川GDP目标", "四川省"), ("sichuan GDP", "四川省"),
                          ("成都就业", "成都市")):  # fmt: skip
        answer = await library.ask(query)
        assert answer.not_loaded is not None and region in answer.not_loaded.regions, query
        assert not answer.figures and not answer.excerpts
        assert any("全国" in line for line in answer.not_loaded.loaded)
    future = await library.ask("2027年全国GDP目标")
    assert future.not_loaded is not None and future.not_loaded.years == [2027]
    assert not future.figures and not future.excerpts


async def test_a_typo_in_a_region_and_what_is_loaded_inside_it(library):
    answer = await library.ask("新彊GDP")
    assert answer.not_loaded is not None and answer.not_loaded.regions == ["新疆维吾尔自治区"]
    assert any("乌恰县" in line for line in answer.not_loaded.within)
    assert (await library.ask("广洲GDP")).not_loaded is not None  # 广州市: not loaded either


async def test_english_pinyin_and_traditional(library):
    for query in ("guangdong GDP target", "Guangdong gdp mubiao", "廣東GDP目標"):
        answer = await library.ask(query)
        assert answer.figures, query
        assert answer.figures[0].report.id == "guangdong-2026", query
        assert answer.figures[0].figure.indicator_id == "gdp", query
    jobs = await library.ask("jiuye mubiao", report_id="wuqia-2022")
    assert any("就业700人以上" in hit.figure.text for hit in jobs.figures[:5])


async def test_a_reply_keeps_the_scope_of_the_answer_it_replies_to(library):
    first = await library.ask("广东GDP目标")
    assert first.scope is not None and first.scope.region_ids == ("cn.guangdong",)
    follow = await library.ask("那就业呢", context=first.scope)
    assert follow.figures and {hit.report.id for hit in follow.figures} == {"guangdong-2026"}
    alone = await library.ask("那就业呢")
    assert {hit.report.id for hit in alone.figures} != {"guangdong-2026"}


async def test_series_across_years(library):
    table = (await library.ask("历年全国GDP增长目标")).table
    assert table is not None and table.kind == "series"
    years = [row.year for row in table.rows]
    assert years == sorted(years) and {2019, 2023, 2024, 2025} <= set(years)
    assert all(row.kind == "target" and row.region == "全国" for row in table.rows)
    span = (await library.ask("2019到2025年GDP目标")).table
    assert span is not None and "2020" in span.missing and "2022" in span.missing


async def test_tracking_a_target_against_its_outcome(library):
    table = (await library.ask("2024年GDP目标完成了吗")).table
    assert table is not None and table.kind == "track"
    [row] = table.rows
    assert (row.year, row.target, row.actual, row.verdict) == (2024, "5%左右", "5%", "met")
    assert (row.report, row.actual_report) == ("national-2024", "national-2025")
    # Every target of the 2024 report against the 2025 report's results.
    everything = (await library.ask("全国去年目标完成情况")).table
    assert everything is not None and everything.kind == "track"
    judged = {row.indicator: row.verdict for row in everything.rows if row.verdict}
    assert judged.get("国内生产总值") == "met" and judged.get("城镇新增就业") == "met"
    assert len(judged) >= 4
    # With neither a year nor an indicator: the newest year whose outcomes are loaded, not
    # every target of every year (2023 has both too).
    newest = (await library.ask("全国目标完成得怎么样？")).table
    assert newest is not None and {row.year for row in newest.rows} == {2024}
    series = (await library.ask("全国GDP目标完成了吗")).table
    assert series is not None and {row.year for row in series.rows} >= {2023, 2024}


async def test_geographic_regions_and_thresholds_in_units(library):
    table = (await library.ask("华南地区GDP目标")).table
    assert table is not None and {r.region for r in table.rows} == {"广东省"}
    assert {"广西壮族自治区", "海南省"} <= set(table.missing)
    grain = (await library.ask("粮食产量目标超过1000亿斤的省份")).table
    assert grain is not None and grain.rows
    assert all(r.unit.endswith("斤") and (r.number or 0) > 1e11 for r in grain.rows)

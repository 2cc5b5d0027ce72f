"""Metadata from the text, with file-name fallbacks reported as warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.report.meta import extract
from bot.report.normalize import normalize
from bot.report.structure import build
from tests.report_cases import CASES, IDS, ROOT, parsed


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_real_reports_metadata(case: tuple) -> None:
    relative, title, region, level, review, target, delivered, office, speaker = case[:9]
    _, _, _, meta, _ = parsed(relative)
    assert meta.title == title
    assert (meta.region, meta.level) == (region, level)
    assert (meta.review_year, meta.target_year) == (review, target)
    assert meta.delivered == delivered
    assert (meta.office, meta.speaker) == (office, speaker)


def test_seed_page_facts() -> None:
    _, _, _, meta, warnings = parsed("seeds/wuqia-2022.txt")
    assert (meta.publisher, meta.published) == ("乌恰县人民政府", "2023-01-31")
    assert warnings == []


def test_labelled_header_fields() -> None:
    _, _, _, meta, _ = parsed("tests/data/reports/baoding-2025.txt")
    assert meta.publisher == "保定市人民政府"
    assert meta.published == ""  # 发文时间：未知
    assert meta.source_url == (
        "http://district.ce.cn/newarea/roll/202502/17/t20250217_39294147.shtml"
    )


def test_provincial_page_source_and_time() -> None:
    _, _, _, meta, _ = parsed("tests/data/corpus/provincial-2026/beijing.txt")
    assert (meta.publisher, meta.published) == ("北京日报", "2026-02-02")
    _, _, _, meta, _ = parsed("tests/data/corpus/provincial-2026/ningxia.txt")
    assert meta.published == "2026-02-09"  # 发表时间： with the date on the next line


def test_county_page_time_line() -> None:
    _, _, _, meta, _ = parsed("tests/data/reports/fuping-2021.txt")
    assert (meta.published, meta.publisher) == ("2023-01-24", "政府官网")


def test_national_reports_without_a_header_fall_back_to_the_file_name() -> None:
    _, _, _, meta, warnings = parsed("tests/data/reports/national-2025.txt")
    assert meta.region == "全国"
    assert warnings == ["region 全国 guessed from the file name national-2025.txt"]


def _meta(text: str, name: str) -> tuple:
    clean = normalize(text)
    sections, _ = build(clean)
    return extract(clean, name, sections)


def test_year_and_province_from_the_file_name_with_warnings() -> None:
    meta, warnings = _meta(
        "各位代表：\n现在，我代表省人民政府向大会报告工作。\n", "provincial-2026/beijing.txt"
    )
    assert (meta.region, meta.level, meta.target_year, meta.review_year) == (
        "北京市",
        "provincial",
        2026,
        2025,
    )
    assert meta.title == "2026年北京市政府工作报告"
    assert any("year 2026" in w and "file name" in w for w in warnings)
    assert any("北京市" in w and "file name" in w for w in warnings)


def test_national_year_from_a_bare_year_file_name() -> None:
    meta, warnings = _meta("各位代表：\n一、过去一年的工作\n正文。\n", "national-1955.txt")
    assert (meta.region, meta.level, meta.target_year) == ("全国", "national", 1955)
    assert meta.title == "1955年国务院政府工作报告"
    assert len(warnings) == 2


def test_nothing_known_is_said_plainly() -> None:
    meta, warnings = _meta("各位代表：\n今年的工作很多。\n", "upload.txt")
    assert meta.level == "unknown" and meta.target_year is None
    assert "region not found in the text or the file name" in warnings
    assert "year not found in the text or the file name" in warnings


def test_chinese_numeral_delivery_date_and_acting_office() -> None:
    text = (
        "2024年某某县政府工作报告\n"
        "——二〇二四年一月二十七日在某某县第十届人民代表大会第三次会议上\n"
        "某某县人民政府代县长 张 三\n"
        "各位代表：\n一、2023年工作回顾\n正文。\n"
    )
    meta, warnings = _meta(text, "x.txt")
    assert meta.delivered == "2024-01-27"
    assert (meta.office, meta.speaker) == ("代县长", "张三")
    assert (meta.region, meta.level, meta.review_year, meta.target_year) == (
        "某某县",
        "county",
        2023,
        2024,
    )
    assert warnings == []


@pytest.mark.parametrize(
    ("title", "region", "level"),
    [
        ("2023年上海市奉贤区政府工作报告", "上海市奉贤区", "county"),
        ("2023年重庆市政府工作报告", "重庆市", "provincial"),
        ("2023年内蒙古自治区政府工作报告", "内蒙古自治区", "provincial"),
        ("2023年安庆市政府工作报告", "安庆市", "city"),
        ("2023年巴彦淖尔市乌拉特前旗政府工作报告", "巴彦淖尔市乌拉特前旗", "county"),
    ],
)
def test_region_and_level_from_the_title(title: str, region: str, level: str) -> None:
    meta, _ = _meta(f"{title}\n各位代表：\n正文。\n", "x.txt")
    assert (meta.region, meta.level) == (region, level)


NATIONAL = sorted((ROOT / "tests/data/corpus/national").glob("*.txt"))


@pytest.mark.parametrize("path", NATIONAL, ids=[p.name for p in NATIONAL])
def test_national_report_years_follow_the_delivery_year(path: Path) -> None:
    """The file name is the delivery year: the target year, with the year before reviewed."""
    _, _, _, meta, _ = parsed(str(path.relative_to(ROOT)))
    year = int(path.stem)
    assert (meta.review_year, meta.target_year) == (year - 1, year)
    assert meta.title.startswith(f"{year}年")
    assert not meta.delivered or meta.delivered.startswith(str(year))


def test_plan_heading_for_the_next_year_does_not_move_the_report_year() -> None:
    # Delivered in August 1980, the report sets out 1981年国民经济计划 under its own heading.
    text = normalize(
        "1980年中华人民共和国国务院政府工作报告\n各位代表：\n一、国民经济取得了新的进展\n"
        "正文。\n二、1981年国民经济计划的任务和主要指标\n正文。\n"
    )
    sections, _ = build(text)
    meta, _ = extract(text, "report.txt", sections)
    assert (meta.review_year, meta.target_year) == (1979, 1980)


def test_delivery_line_in_traditional_characters() -> None:
    _, _, _, meta, _ = parsed("tests/data/corpus/national/1957.txt")
    assert (meta.delivered, meta.speaker) == ("1957-06-26", "周恩来")

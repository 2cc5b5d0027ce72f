"""Normalization: widths, invisible spaces, junk, broken lines, duplicates; words untouched."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bot.report.normalize import chinese_number, normalize

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).parent.parent / "seeds" / "wuqia-2022.txt"


@cache
def clean(relative: str) -> str:
    path = SEED if relative == "seed" else DATA / relative
    return normalize(path.read_text(encoding="utf-8"))


def lines_of(relative: str) -> list[str]:
    return clean(relative).splitlines()


# --- characters ---------------------------------------------------------------------------------


def test_full_width_digits_letters_and_percent_become_half_width() -> None:
    raw = "国内生产总值增长９．６％，ＧＤＰ达到１２３亿元。"
    assert normalize(raw) == "国内生产总值增长9.6%，GDP达到123亿元。\n"


def test_chinese_punctuation_is_kept() -> None:
    text = "一、（一）坚持稳中求进——扎实推进：“两个确立”；《纲要》！？\n"
    assert normalize(text) == text


def test_invisible_and_layout_spaces_are_removed() -> None:
    raw = (
        "\u3000\u3000各位\u200b代表：\xa0\n"
        "现在，我代表\u2002国务院\u2003报告&nbsp;工作。\\r\\n请予审议。\ufeff"
    )
    assert normalize(raw) == "各位代表：\n现在，我代表 国务院 报告 工作。\n请予审议。\n"


def test_question_mark_runs_are_removed() -> None:
    assert "?" not in clean("reports/fuping-2021.txt")
    assert normalize("时间：2023-01-24????作者：中国县域") == "时间：2023-01-24\n作者：中国县域\n"


def test_every_line_is_stripped_and_non_empty() -> None:
    for name in ("seed", "reports/national-1997.txt", "corpus/national/1955.txt"):
        for line in lines_of(name):
            assert line and line == line.strip()


# --- broken lines ---------------------------------------------------------------------------------


def test_hyperlink_breaks_are_rejoined_in_the_national_report() -> None:
    text = clean("reports/national-2023.txt")
    assert "推动区域全面经济伙伴关系协定（RCEP）生效实施，建成全球最大自由贸易区。" in text
    assert "积极推动加入全面与进步跨太平洋伙伴关系协定（CPTPP）等高标准经贸协议" in text


def test_wikisource_paragraph_split_by_links_is_one_line() -> None:
    text = clean("corpus/national/2017.txt")
    assert "党的十八届六中全会正式明确习近平总书记的核心地位" in text
    assert "\n政府工作报告\n" in text  # was 政府工作报 / 告
    assert "“十三五”实现了良好开局。" in text


def test_wrapped_delivery_line_is_rejoined() -> None:
    assert "——2026年1月26日在广东省第十四届人民代表大会第五次会议上" in lines_of(
        "reports/guangdong-2026.txt"
    )


def test_pm25_split_by_a_link_is_rejoined() -> None:
    text = clean("reports/guangdong-2026.txt")
    assert "PM2.5年平均浓度保持在20微克/立方米左右" in text
    assert "\n2.5\n" not in text


def test_marker_alone_on_a_line_joins_its_item() -> None:
    assert "一、我国人民已经推翻了帝国主义者在中国的统治" in clean("corpus/national/1955.txt")


def test_title_and_speaker_lines_stay_apart() -> None:
    head = lines_of("reports/national-2023.txt")[:5]
    assert head == [
        "政府工作报告",
        "——2023年3月5日在第十四届全国人民代表大会第一次会议上",
        "国务院总理",
        "李克强",
        "各位代表：",
    ]


def test_headings_keep_their_own_lines() -> None:
    lines = lines_of("reports/baoding-2025.txt")
    assert "一、2024年工作回顾" in lines
    assert "——经济稳中有进、发展质效向好" in lines
    assert "二、2025年主要任务" in lines


# --- junk -----------------------------------------------------------------------------------------


def test_seed_breadcrumbs_and_tail_are_dropped() -> None:
    lines = lines_of("seed")
    assert lines[0] == "2022年乌恰县政府工作报告"
    text = clean("seed")
    for junk in ("当前位置", "首页", "> 正文", "此文有删减", "解读文章"):
        assert junk not in text
    assert lines[-1].startswith("各位代表,新的一年意味着新的起点")
    assert "发布机构 乌恰县人民政府 发布日期 2023-01-31 18:42" in lines  # page facts stay


@pytest.mark.parametrize("name", ["reports/fuping-2021.txt", "reports/laiyuan-2025.txt"])
def test_county_pages_lose_counters_teasers_and_link_lists(name: str) -> None:
    text = clean(name)
    for junk in (
        "评论：",
        "内容摘要",
        "......",
        "分享到",
        "QQ空间",
        "上一篇",
        "相关文章",
        "本栏推荐",
        "阅读排行",
        "标签云",
        "焦作市解放区2025年政府工作报告",
        "免责声明",
    ):
        assert junk not in text, junk
    assert "\n241\n" not in text and "\n0\n" not in text


def test_fuping_report_is_kept_once_with_its_glossary() -> None:
    text = clean("reports/fuping-2021.txt")
    assert text.count("现在，我代表县人民政府向大会作工作报告") == 1
    assert text.count("各位代表：") == 1
    assert "名 词 解 释" in text
    assert text.splitlines()[-1].startswith("〔75〕“两山”理论：")


def test_laiyuan_teaser_dropped_and_body_kept_once() -> None:
    text = clean("reports/laiyuan-2025.txt")
    assert text.count("—— 2025年1月14日在县十七届人民代表大会第五次会议上") == 1
    assert text.count("现在，我代表县政府向大会报告工作") == 1
    assert text.splitlines()[-1].startswith("各位代表!涞源是一块革命的土地")


def test_editor_tail_is_dropped() -> None:
    assert "责任编辑" not in clean("reports/baoding-2025.txt")
    assert lines_of("reports/baoding-2025.txt")[-1].startswith("各位代表！“梦虽遥，追则能达")


@pytest.mark.parametrize(
    "name", ["reports/national-1997.txt", "reports/national-2023.txt", "corpus/national/1979.txt"]
)
def test_wikisource_licence_footer_is_dropped(name: str) -> None:
    text = clean(name)
    for junk in ("本作品是中华人民共和国的", "Public domain", "false", "维基文库", "公有领域"):
        assert junk not in text


@pytest.mark.parametrize("province", ["beijing", "guangxi", "hebei", "zhejiang"])
def test_provincial_menus_captions_and_related_links_are_dropped(province: str) -> None:
    lines = lines_of(f"corpus/provincial-2026/{province}.txt")
    for junk in (
        "下载",
        "打印",
        "全屏",
        "收藏",
        "【字号：",
        "加大",
        "还原",
        "减小",
        "】",
        "相关报道：",
    ):
        assert junk not in lines
    assert not any(line.endswith("摄") and "记者" in line for line in lines)
    title = lines[0]
    assert title.startswith("2026年") and title.endswith("政府工作报告")
    assert lines.count(title) == 1  # the page title and the article title were the same
    assert lines[-1].startswith("各位代表")


# --- duplicates and one-line files ----------------------------------------------------------------


def test_a_report_pasted_twice_is_kept_once() -> None:
    body = (DATA / "reports" / "baoding-2025.txt").read_text(encoding="utf-8")
    assert normalize(body + "\n" + body) == normalize(body)


def test_one_line_report_gets_its_headings_on_their_own_lines() -> None:
    raw = (DATA / "reports" / "national-2025.txt").read_text(encoding="utf-8")
    one_line = "".join(line.strip() for line in raw.splitlines())
    lines = normalize(one_line).splitlines()
    starts = [line[:3] for line in lines]
    for marker in ("一、2", "二、2", "三、2", "（一）", "（五）", "（十）"):
        assert marker in starts
    assert lines[0].startswith("各位代表：")


def test_inline_enumeration_is_not_split() -> None:
    text = "全区地区生产总值增长5.1%。一、二、三产业增加值分别增长4.2%、5%、5.4%。" * 30
    assert normalize(text).count("\n") == 1


def test_normalizing_twice_changes_nothing() -> None:
    for name in (
        "seed",
        "reports/fuping-2021.txt",
        "reports/national-2023.txt",
        "corpus/provincial-2026/shaanxi.txt",
    ):
        assert normalize(clean(name)) == clean(name)


def test_empty_and_junk_only_input_gives_empty_text() -> None:
    assert normalize("") == ""
    assert normalize("下载\n打印\n\u3000\n????\n") == ""


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99), ("十三五", None)],
)
def test_chinese_number(text: str, value: int | None) -> None:
    assert chinese_number(text) == value


def test_digits_spaced_apart_are_closed_up() -> None:
    # national/1998.txt: a converter put a space after every digit.
    raw = (
        "1 9 9 7 年国内生产总值达到7 4 7 7 2 亿元，平均每年增长1 1 ％。\n"
        "去年经济增长8 ．8 ％，商品零售价格涨幅为0 ．8 ％。\n"
        "1 9 9 3 年3 月就职，城镇新增就业3 5 5 5 万人。\n"
    )
    assert normalize(raw) == (
        "1997年国内生产总值达到74772亿元，平均每年增长11%。\n"
        "去年经济增长8.8%，商品零售价格涨幅为0.8%。\n"
        "1993年3月就职，城镇新增就业3555万人。\n"
    )


def test_spaces_between_whole_numbers_are_kept() -> None:
    # Only the whitespace inside a number goes; 2019 2020 are two numbers.
    kept = normalize("2019 2020 2021年，增长10 %，共 3 项。\n")
    assert kept == "2019 2020 2021年，增长10%，共 3 项。\n"
    # One spaced number does not make the text spaced: the space before 年 stays.
    assert normalize("1 9 9 7 年。\n") == "1997 年。\n"


def test_spaced_national_report_yields_its_figures() -> None:
    text = normalize((DATA / "corpus" / "national" / "1998.txt").read_text("utf-8"))
    assert "1997年国内生产总值达到74772亿元" in text
    assert "1 9" not in text and "8 .8" not in text


def test_full_width_comma_thousands_become_a_comma() -> None:
    text = "粮食产量33，212万吨，比上年增加2，737万吨；收入27，203，319，000元，增长5%，100个。\n"
    assert normalize(text) == (
        "粮食产量33,212万吨，比上年增加2,737万吨；收入27,203,319,000元，增长5%，100个。\n"
    )
    # Not thousands: a list of small numbers, or four digits after the comma.
    assert normalize("第1，2，3项；1979，1980两年。\n") == "第1，2，3项；1979，1980两年。\n"

"""Figures and clauses: tricky cases on small texts, and exact expectations on real reports."""

from __future__ import annotations

import functools
import time
from pathlib import Path

import pytest

from bot.report import Figure, Passage, Report, ReportMeta, Section, parse_file
from bot.report import figures as fig
from bot.report.clauses import clauses, sentences
from tests.report_cases import FIGURE_CASES, INDICATOR_CASES, ROOT

DATA = Path(__file__).resolve().parent / "data"
REPORTS = DATA / "reports"


# ---------------------------------------------------------------------------------------------
# A tiny report builder, so these cases do not depend on the structure parser.


def _build(blocks: list[tuple[str, list[str]]]) -> tuple[str, list[Section], list[Passage]]:
    """``[(top-level title or "", [paragraph, ...]), ...]`` → text, sections, passages."""
    text = ""
    sections: list[Section] = []
    passages: list[Passage] = []
    for n, (title, paragraphs) in enumerate(blocks):
        section: Section | None = None
        if title:
            marker = "一二三四五六七八九十"[n] + "、"
            start = len(text)
            text += f"{marker}{title}\n"
            section = Section(len(sections), None, 1, marker, title, start, start, (title,))
            sections.append(section)
        for para in paragraphs:
            start = len(text)
            text += para + "\n"
            passages.append(
                Passage(
                    len(passages),
                    para,
                    start,
                    start + len(para),
                    section.index if section else None,
                    section.path if section else (),
                )
            )
        if section:
            section.end = len(text)
    return text, sections, passages


def extract(
    paragraph: str,
    title: str = "2022年工作回顾",
    meta: ReportMeta | None = None,
) -> list[Figure]:
    text, sections, passages = _build([(title, [paragraph])])
    return fig.extract(text, sections, passages, meta or ReportMeta())


def one(paragraph: str, value: str, **kw: object) -> Figure:
    found = [f for f in extract(paragraph, **kw) if f.value == value]  # type: ignore[arg-type]
    assert len(found) == 1, (value, [(f.value, f.indicator) for f in extract(paragraph)])
    return found[0]


def values(paragraph: str, **kw: object) -> list[str]:
    return [f.value for f in extract(paragraph, **kw)]  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Clauses


def test_clauses_are_verbatim_spans() -> None:
    text = "全年实现地区生产总值同比增长3.8%；招商引资30.47亿元，同比增长0.8%。"
    spans = clauses(text)
    assert [text[a:b] for a, b in spans] == [
        "全年实现地区生产总值同比增长3.8%",
        "招商引资30.47亿元",
        "同比增长0.8%",
    ]


def test_clauses_keep_numbers_whole() -> None:
    text = "完成1,234.5万元, 会议10:30召开，3、4月份增长5%、6%"
    got = [text[a:b] for a, b in clauses(text)]
    assert got == ["完成1,234.5万元", "会议10:30召开", "3、4月份增长5%", "6%"]


def test_clauses_split_half_width_and_line_breaks() -> None:
    text = "甲1个;乙2个:丙3个!丁4个?\n戊5个"
    assert [text[a:b] for a, b in clauses(text)] == ["甲1个", "乙2个", "丙3个", "丁4个", "戊5个"]


def test_sentences_keep_end_mark_and_closing_quote() -> None:
    text = "他说：“增长5%。”今年目标明确！\n下一句"
    got = [text[a:b] for a, b in sentences(text)]
    assert got == ["他说：“增长5%。”", "今年目标明确！", "下一句"]


def test_clause_range_inside_text() -> None:
    text = "前言。甲增长1%，乙增长2%。后记"
    a, b = sentences(text)[1]
    assert [text[x:y] for x, y in clauses(text, a, b)] == ["甲增长1%", "乙增长2%"]


# ---------------------------------------------------------------------------------------------
# Numbers


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("一百万", 1_000_000),
        ("两千", 2000),
        ("三", 3),
        ("十", 10),
        ("十五", 15),
        ("三亿五千万", 350_000_000),
        ("一万亿", 1e12),
        ("二〇三五", 2035),
        ("三点五", 3.5),
        ("1,234.5", 1234.5),
        ("１２．５", 12.5),
    ],
)
def test_parse_number(written: str, number: float) -> None:
    assert fig.parse_number(written) == pytest.approx(number)


def test_parse_number_rejects_words() -> None:
    assert fig.parse_number("增长") is None


# ---------------------------------------------------------------------------------------------
# Values, units, multipliers, qualifiers


def test_multiplier_gives_base_units_and_unit_as_written() -> None:
    f = one("完成招商引资30.47亿元，同比增长0.8%。", "30.47亿元")
    assert (f.number, f.unit, f.indicator) == (pytest.approx(3.047e9), "亿元", "招商引资")
    f = one("林果种植面积达到2.56万亩。", "2.56万亩")
    assert (f.number, f.unit, f.qualifier) == (pytest.approx(25600), "万亩", "达到")


def test_inherits_indicator_from_clause_before() -> None:
    f = one("完成招商引资30.47亿元，同比增长0.8%。", "0.8%")
    assert (f.indicator, f.qualifier, f.unit, f.number) == ("招商引资", "同比增长", "%", 0.8)
    assert f.text == "同比增长0.8%"


def test_range_keeps_low_end() -> None:
    f = one("地区生产总值增长5.5%—6%。", "5.5%—6%", title="2023年主要目标")
    assert (f.number, f.unit, f.indicator, f.kind) == (5.5, "%", "地区生产总值", "target")
    f = one("粮食产量800万至1000万吨。", "800万至1000万吨")
    assert (f.number, f.unit) == (pytest.approx(8e6), "万吨")


def test_percentage_points_are_not_percent() -> None:
    f = one("城镇化率提高1.2个百分点。", "1.2个百分点")
    assert (f.unit, f.number, f.qualifier) == ("百分点", 1.2, "提高")
    assert one("城镇化率达到65%。", "65%").unit == "%"


def test_chinese_numerals_and_percent_words() -> None:
    f = one("一是围绕“粮食作物一百万亩”目标。", "一百万亩", title="2023年工作安排")
    assert (f.number, f.unit, f.indicator, f.kind) == (1e6, "亩", "粮食作物", "target")
    f = one("覆盖率达到百分之九十五。", "百分之九十五")
    assert (f.number, f.unit) == (95, "%")
    assert one("建成两千个基站。", "两千个").number == 2000


def test_full_width_digits() -> None:
    f = one("地区生产总值增长５．５％。", "５．５％")
    assert (f.number, f.unit, f.indicator) == (5.5, "%", "地区生产总值")


def test_qualifier_conventions() -> None:
    assert one("城镇调查失业率控制在5.5%以内。", "5.5%以内").qualifier == "控制在…以内"
    assert one("新增城镇就业700人以上。", "700人以上").qualifier == "以上"
    assert one("地区生产总值增长8%以上。", "8%以上").qualifier == "增长…以上"
    assert one("完成电子商务交易额840余万元。", "840余万元").qualifier == "余"
    assert one("国内生产总值增长5%左右。", "5%左右").qualifier == "增长…左右"
    assert one("援助资金约390万元。", "390万元").qualifier == "约"


def test_indicator_is_clean_noun_phrase() -> None:
    assert one("全年实现地区生产总值同比增长3.8%。", "3.8%").indicator == "地区生产总值"
    assert one("实现城镇新增就业819人。", "819人").indicator == "城镇新增就业"
    assert one("力争实现新增城镇就业700人以上。", "700人以上").indicator == "新增城镇就业"
    assert one("重点打造17个乡村振兴示范村。", "17个").indicator == "乡村振兴示范村"
    assert one("实施工业项目13个。", "13个").indicator == "工业项目"
    f = one("表彰优秀教师、优秀教育工作者112名。", "112名")
    assert "优秀教师、优秀教育工作者" in f.indicator
    assert one("桥梁4座118延米。", "118延米").indicator == "桥梁"


def test_from_to_shares_the_indicator() -> None:
    found = extract("常住人口城镇化率从60.2%提高到65.2%。")
    assert [(f.value, f.indicator) for f in found] == [
        ("60.2%", "常住人口城镇化率"),
        ("65.2%", "常住人口城镇化率"),
    ]


# ---------------------------------------------------------------------------------------------
# Not figures


@pytest.mark.parametrize(
    "clause",
    [
        "2023年1月10日在乌恰县第十七届人民代表大会第三次会议上",
        "索引号 K45899617/2023-00501",
        "〔2023〕5号",
        "全面深入系统学习贯彻党的十九大、二十届三中全会精神",
        "贯彻落实自治区党委十届六次、七次全会精神",
        "是实施“十四五”规划承上启下的关键之年",
        "G315线托帕至吐尔尕特口岸公路开工建设",
        "细颗粒物（PM2.5）浓度持续下降",
        "建设5G基站",
        "提升“12345”热线功能",
        "开通12315投诉热线",
        "严格执行第九版防控方案和优化防控工作“二十条”、新“十条”措施",
        "严格落实国务院十五条硬措施",
        "落实中央八项规定精神",
        "紧紧聚焦“两个统筹”",
        "坚持两个“统筹”",
        "严格落实“四个不摘”",
        "一是依法维护社会稳定",
        "第一，稳增长",
        "全面推进“三农”工作",
        "更好统筹国内国际两个大局",
        "加快推动一二三次产业融合发展",
        "实施1-10月专项行动",
        "2021—2025年规划",
        "紫金锌业四期技改工程",
        "地铁3号线开通",
        "按照“8个好32项指标”",
        "二〇三五年远景目标",
    ],
)
def test_not_figures(clause: str) -> None:
    assert values(clause + "。") == []


def test_pm25_concentration_is_a_figure() -> None:
    f = one("PM2.5平均浓度30微克/立方米。", "30微克/立方米")
    assert f.unit == "微克/立方米"
    assert values("PM2.5平均浓度30微克/立方米。") == ["30微克/立方米"]


# ---------------------------------------------------------------------------------------------
# Kinds and years


def _kinds(blocks: list[tuple[str, list[str]]], meta: ReportMeta | None = None) -> list[Figure]:
    text, sections, passages = _build(blocks)
    return fig.extract(text, sections, passages, meta or ReportMeta())


def test_kind_follows_sections_and_years_come_from_titles() -> None:
    found = _kinds(
        [
            ("", ["2023年1月10日在县人民代表大会上，报告共3个部分。"]),
            ("2022年工作回顾", ["全年地区生产总值增长3.8%。"]),
            ("2023年主要目标", ["地区生产总值增长8%以上。"]),
            ("加强政府自身建设", ["办理建议40件以上。"]),
        ]
    )
    got = {f.value: (f.kind, f.year) for f in found}
    # 报告共3个部分 counts the report's own parts: not a figure.
    assert got == {
        "3.8%": ("actual", 2022),
        "8%以上": ("target", 2023),
        "40件以上": ("target", 2023),
    }


def test_past_periods_are_other() -> None:
    found = _kinds(
        [
            (
                "过去一年和五年工作回顾",
                [
                    "过去一年，国内生产总值增长3%。",
                    "过去五年极不平凡。国内生产总值增加到121万亿元。",
                    "五年来的工作中，减税5.4万亿元。",
                    "去年城镇新增就业1206万人。",
                ],
            ),
            ("对今年政府工作的建议", ["今年国内生产总值增长5%左右。"]),
        ],
        ReportMeta(review_year=2022, target_year=2023),
    )
    got = {f.value: (f.kind, f.year) for f in found}
    assert got == {
        "3%": ("actual", 2022),
        # A period's figures are for its last year: 五年累计 in a 2023 report is 2022; a level
        # reached by its end (增加到…) is the state at the end of 2022, a result.
        "121万亿元": ("actual", 2022),
        "5.4万亿元": ("other", 2022),
        "1206万人": ("actual", 2022),
        "5%左右": ("target", 2023),
    }


def test_plan_section_targets_take_the_plan_end_year() -> None:
    found = _kinds(
        [
            ("2020年工作回顾", ["地区生产总值增长3%。"]),
            ("“十四五”时期主要目标任务", ["旅游总收入超过40亿元。"]),
            ("2021年重点工作", ["新建公路20公里，到2025年建成100公里。"]),
        ]
    )
    got = {f.value: (f.kind, f.year) for f in found}
    assert got == {
        "3%": ("actual", 2020),
        "40亿元": ("target", 2025),
        "20公里": ("target", 2021),
        "100公里": ("target", 2025),
    }


def test_last_year_in_plan_section_is_actual() -> None:
    found = _kinds(
        [("2024年工作回顾", ["增长5%。"]), ("2025年工作任务", ["去年粮食产量达到1.4万亿斤。"])]
    )
    assert {f.value: f.kind for f in found} == {"5%": "actual", "1.4万亿斤": "actual"}


def test_no_sections_reads_the_sentence() -> None:
    text = "去年地区生产总值增长3%。今年力争增长5%左右。"
    passages = [Passage(0, text, 0, len(text), None, ())]
    found = fig.extract(text, [], passages, ReportMeta(review_year=2022, target_year=2023))
    assert [(f.value, f.kind, f.year) for f in found] == [
        ("3%", "actual", 2022),
        ("5%左右", "target", 2023),
    ]


# ---------------------------------------------------------------------------------------------
# Real reports through the whole pipeline


def _find(report_name: str, value: str, indicator: str, kind: str) -> Figure:
    report = parse_file(REPORTS / report_name)
    hits = [
        f
        for f in report.figures
        if f.value == value and indicator in f.indicator and f.kind == kind
    ]
    assert hits, [(f.value, f.indicator, f.kind) for f in report.figures if f.value == value]
    return hits[0]


def test_national_2023_gdp_target() -> None:
    f = _find("national-2023.txt", "5%左右", "国内生产总值", "target")
    assert f.year == 2023 and f.qualifier == "增长…左右"
    assert "对今年政府工作的建议" in f.section


def test_national_2025_gdp_target_and_actual() -> None:
    f = _find("national-2025.txt", "5%左右", "国内生产总值", "target")
    assert f.year == 2025
    f = _find("national-2025.txt", "5%", "国内生产总值", "actual")
    assert f.year == 2024
    f = _find("national-2025.txt", "134.9万亿元", "国内生产总值", "actual")
    assert f.number == pytest.approx(1.349e14) and f.unit == "万亿元"
    f = _find("national-2025.txt", "1200万人以上", "城镇新增就业", "target")
    assert f.number == 12_000_000


def test_national_2023_five_year_review() -> None:
    # What was done over the five years is background; a level reached by 2022 is its result.
    f = _find("national-2023.txt", "121万亿元", "国内生产总值", "actual")
    assert f.qualifier == "增加到" and f.year == 2022
    # 五年年均增长5.2%: the clause names no noun, the GDP of the clause before is its subject.
    assert _find("national-2023.txt", "5.2%", "国内生产总值", "other").year == 2022
    assert _find("national-2023.txt", "3%", "国内生产总值", "actual").year == 2022


def test_guangdong_2026() -> None:
    f = _find("guangdong-2026.txt", "4.5%—5%", "地区生产总值", "target")
    assert (f.year, f.number) == (2026, 4.5)
    assert _find("guangdong-2026.txt", "3.9%", "地区生产总值", "actual").year == 2025


def test_national_1997_full_width_report() -> None:
    f = _find("national-1997.txt", "67700多亿元", "国内生产总值", "actual")
    assert f.year == 1996 and f.number == pytest.approx(6.77e12)


def test_county_reports() -> None:
    assert _find("baoding-2025.txt", "6.0%", "地区生产总值", "actual").year == 2024
    f = _find("fuping-2021.txt", "50.1亿元", "地区生产总值", "actual")  # reached by 2020
    assert f.number == pytest.approx(5.01e9)


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.txt")), ids=lambda p: p.name)
def test_every_figure_points_into_the_text(path: Path) -> None:
    report = parse_file(path)
    kinds = {f.kind for f in report.figures}
    assert {"actual", "target"} <= kinds, kinds
    for f in report.figures:
        assert report.text[f.start : f.end] == f.value
        assert f.value in f.text and f.text in f.sentence and f.sentence in report.text
        # Only ratios, indices and fractions go without a unit (收入比2.2, 指数4.463, 1/10).
        assert f.unit or not any(c.isalpha() for c in f.value.replace("以内", ""))
        assert f.kind in {"actual", "target", "other"}
        assert 0 <= f.passage < len(report.passages)


def test_fast_on_a_large_report() -> None:
    report = parse_file(REPORTS / "guangdong-2026.txt")
    started = time.perf_counter()
    fig.extract(report.text, report.sections, report.passages, report.meta)
    assert time.perf_counter() - started < 0.2


# ---------------------------------------------------------------------------------------------
# Corpus sweep fixes


@pytest.mark.parametrize(
    ("relative", "indicator", "value", "kind", "year"),
    FIGURE_CASES,
    ids=[f"{c[0].rsplit('/', 1)[-1]}-{c[2]}" for c in FIGURE_CASES],
)
def test_corpus_exact_figure(
    relative: str, indicator: str, value: str, kind: str, year: int | None
) -> None:
    report = _parsed(relative)
    found = [(f.indicator, f.kind, f.year) for f in report.figures if f.value == value]
    assert (indicator, kind, year) in found, found


@functools.cache
def _parsed(relative: str) -> Report:
    return parse_file(ROOT / relative)


def test_noun_after_a_count_keeps_its_conjunction() -> None:
    f = one("改造提升93所小规模及薄弱学校，新建5所幼儿园和3所小学。", "93所")
    assert f.indicator == "小规模及薄弱学校"
    f = one("改造提升93所小规模及薄弱学校，新建5所幼儿园和3所小学。", "5所")
    assert f.indicator == "幼儿园"


def test_noun_after_a_count_in_quotes() -> None:
    assert one("10个“二线口岸”正式启用。", "10个").indicator == "二线口岸"


def test_long_indicator_is_cut_where_a_word_starts() -> None:
    f = one("全省生产安全事故起数、死亡人数、受伤人数和直接经济损失分别下降36.7%。", "36.7%")
    assert len(f.indicator) <= 24
    assert f.indicator == "死亡人数、受伤人数和直接经济损失"


def test_chinese_numeral_years_in_old_reports() -> None:
    meta = ReportMeta(review_year=1982, target_year=1983)
    f = one("积累率由一九七八年的百分之三十六点五调整到百分之二十九。", "百分之二十九", meta=meta)
    assert f.indicator == "积累率"
    f = one(
        "一九八二年全国工农业总产值达到八千二百九十一亿元。",
        "八千二百九十一亿元",
        title="过去五年的回顾",
        meta=meta,
    )
    assert (f.indicator, f.kind, f.year) == ("工农业总产值", "actual", 1982)


# ---------------------------------------------------------------------------------------------
# Durations, section years, indicator clean-up


def test_seed_zero_employment_promise_is_not_a_figure() -> None:
    report = _parsed("seeds/wuqia-2022.txt")
    assert not [f for f in report.figures if f.value == "24小时"]
    assert not [f for f in report.figures if "零就业" in f.indicator]
    # The measured time in the same report stays.
    assert ("企业开办时间", "3个工作日") in [(f.indicator, f.value) for f in report.figures]


@pytest.mark.parametrize(
    "paragraph",
    [
        "实现城镇“零就业”家庭24小时动态清零。",
        "对所有重点工业污染源实行24小时在线监控。",
        "每天24小时提供免费心理疏导服务。",
        "89.4%的公园实现24小时开放。",
        "构建1小时通勤圈，提升15分钟健身圈服务功能。",
        "构建“圈内1小时、济青1.5小时”通勤圈。",
        "落地实施240小时过境免签政策。",
        "城镇实行了每周五天工作制。",
        "12345热线24小时内响应。",
    ],
)
def test_durations_that_qualify_a_phrase_are_not_figures(paragraph: str) -> None:
    units = {"小时", "分钟", "天", "个工作日"}
    assert not [f.value for f in extract(paragraph) if f.unit in units]


@pytest.mark.parametrize(
    ("paragraph", "value", "indicator"),
    [
        ("企业开办时间压缩到3个工作日内，登记业务实现1日办结。", "3个工作日", "企业开办时间"),
        ("企业出口退税办理时间压缩至6个工作日以内。", "6个工作日以内", "企业出口退税办理时间"),
        ("审批时间压缩至5个工作日办结。", "5个工作日", "审批时间"),
        ("过境免签境内停留时间延长至240小时，入境旅游持续升温。", "240小时", ""),
        ("全省优良天数增加7.8天。", "7.8天", "优良天数"),
        ("船舶平均待泊时间同比减少8.9小时。", "8.9小时", "船舶平均待泊时间"),
        ("中小学生每天综合体育活动时间不低于2小时，保障学生体育锻炼。", "2小时", ""),
        ("优良天数281天、比2020年增加36天。", "281天", "优良天数"),
    ],
)
def test_measured_durations_are_figures(paragraph: str, value: str, indicator: str) -> None:
    f = one(paragraph, value)
    assert indicator in f.indicator


def test_plan_section_for_a_later_year_takes_that_year() -> None:
    report = _parsed("tests/data/corpus/national/1980.txt")
    assert (report.meta.review_year, report.meta.target_year) == (1979, 1980)
    plan = [f for f in report.figures if f.section.startswith("1981年国民经济计划")]
    assert plan and {(f.kind, f.year) for f in plan} == {("target", 1981)}
    found = [(f.indicator, f.value, f.number) for f in report.figures]
    assert ("棉花产量", "255万吨", 2_550_000.0) in found
    assert ("汽车货运量", "5.4亿吨", 540_000_000.0) in found
    # 粮食产量34，250万吨: a full-width comma groups thousands in old reports.
    assert any(v == "34,250万吨" and n == 342_500_000.0 for _, v, n in found)


@pytest.mark.parametrize(
    ("paragraph", "value", "indicator"),
    [
        ("实施“两重”项目51个。", "51个", "“两重”项目"),
        ("建设“四好农村路”3万公里。", "3万公里", "建设“四好农村路”"),
        ("对共建“一带一路”国家进出口增长38%。", "38%", "共建“一带一路”国家进出口"),
        ("义务教育巩固率保持100%。", "100%", "义务教育巩固率"),
        ("物价涨幅要从14.8%降到10%左右。", "10%左右", "物价涨幅"),
        (
            "财政性教育经费占国内生产总值比例每年都保持在4%以上。",
            "4%以上",
            "财政性教育经费占国内生产总值比例",
        ),
        ("散居孤儿从每人每月1536元提高到1567元。", "1536元", "散居孤儿"),
        ("二期前进文旅小镇（总建筑面积约为32000平米）。", "32000平米", "总建筑面积"),
        # The count is of the clusters; their revenue is the value after it.
        ("37个县域特色产业集群营收超4500亿元。", "37个", "县域特色产业集群"),
        ("肇庆等7个大型产业集聚区加快打造成先进制造业重要承载区。", "7个", "大型产业集聚区"),
        ("调整316项省级行政职权由市县实施。", "316项", "省级行政职权"),
        ("推动建设超100条（个）幸福河湖。", "100条", "幸福河湖"),
        ("新签和升级8个自由贸易协定。", "8个", "自由贸易协定"),
        ("开放共享科研设施和科研仪器1万台（套）以上。", "1万台", "开放共享科研设施和科研仪器"),
        ("大约每人每月的平均开支只需要五元。", "五元", "大约每人每月的平均开支只需要"),
    ],
)
def test_indicator_cleanup(paragraph: str, value: str, indicator: str) -> None:
    assert one(paragraph, value).indicator == indicator


@pytest.mark.parametrize(
    ("paragraph", "value", "indicator"),
    [
        ("预计全年地区生产总值完成92.4亿元，增长6.5%。", "92.4亿元", "地区生产总值"),
        ("力争全县粮食产量达到5万吨。", "5万吨", "粮食产量"),
        ("确保全市一般公共预算收入增长6%。", "6%", "一般公共预算收入"),
        ("预计全社会研发投入5350亿元、增长4.9%。", "5350亿元", "全社会研发投入"),
        ("全体居民人均可支配收入增长5%。", "5%", "全体居民人均可支配收入"),
        ("全社会固定资产投资增长8%。", "8%", "全社会固定资产投资"),
        (
            "全国和自由贸易试验区负面清单条数分别压减51%、72%。",
            "51%",
            "全国和自由贸易试验区负面清单条数",
        ),
    ],
    ids=["预计全年", "力争全县", "确保全市", "研发投入", "全体", "全社会", "全国和"],
)
def test_leading_filler_is_stripped_only_before_a_noun(
    paragraph: str, value: str, indicator: str
) -> None:
    assert one(paragraph, value).indicator == indicator


def test_unit_person_opening_population_is_not_the_unit_word() -> None:
    f = one("14亿多人口大国保持就业稳定。", "14亿多人")
    assert (f.indicator, f.unit, f.number) == ("人口", "亿人", 1.4e9)
    assert one("全县常住人口12万人口。", "12万人").indicator == "常住人口"


def test_urban_and_rural_values_map_one_to_one() -> None:
    paragraph = "城乡居民人均可支配收入分别完成37812元、14236元，分别增长5.5%、7%。"
    got = [(f.indicator, f.value) for f in extract(paragraph)]
    assert got == [
        ("城镇居民人均可支配收入", "37812元"),
        ("农村居民人均可支配收入", "14236元"),
        ("城镇居民人均可支配收入", "5.5%"),
        ("农村居民人均可支配收入", "7%"),
    ]
    f = one("城乡居民人均可支配收入分别增长9%和10%以上。", "10%以上")
    assert f.indicator == "农村居民人均可支配收入"


def test_respectively_list_keeps_its_shared_name_when_items_are_uncertain() -> None:
    paragraph = "城乡居民基本养老保险和基本医疗保险参保率分别达到98%和96%以上。"
    assert {f.indicator for f in extract(paragraph)} == {"城乡居民基本养老保险和基本医疗保险参保率"}
    paragraph = "两个产业集群年营收入力争分别突破30亿元、40亿元大关。"
    assert one(paragraph, "40亿元").indicator == "两个产业集群年营收入"


@pytest.mark.parametrize(
    ("relative", "value", "indicator"),
    INDICATOR_CASES,
    ids=[f"{c[0].rsplit('/', 1)[-1]}-{c[1]}" for c in INDICATOR_CASES],
)
def test_report_indicator(relative: str, value: str, indicator: str) -> None:
    found = [f.indicator for f in _parsed(relative).figures if f.value == value]
    assert indicator in found, found

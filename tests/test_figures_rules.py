"""The figure rules, one class at a time, on real sentences of the reports.

Each case is a sentence (or a short passage) from tests/data, extracted inside a tiny report
whose one section gives the default kind; the rule under test must decide against it.
"""

from __future__ import annotations

import pytest

from bot.report import Figure, Passage, ReportMeta, Section, parse_file
from bot.report import figures as fig
from tests.report_cases import ROOT

Y2022 = ReportMeta(review_year=2022, target_year=2023)
Y2025 = ReportMeta(review_year=2025, target_year=2026)
Y2020 = ReportMeta(review_year=2020, target_year=2021)
Y2024 = ReportMeta(review_year=2024, target_year=2025)


def extract(paragraphs: list[str], title: str, meta: ReportMeta) -> list[Figure]:
    """One top-level section titled ``title`` holding ``paragraphs``."""
    text = f"一、{title}\n"
    section = Section(0, None, 1, "一、", title, 0, 0, (title,))
    passages = [Passage(0, text.strip(), 0, len(text) - 1, 0, (title,))]
    for para in paragraphs:
        start = len(text)
        text += para + "\n"
        passages.append(Passage(len(passages), para, start, start + len(para), 0, (title,)))
    section.end = len(text)
    return fig.extract(text, [section], passages, meta)


def one(paragraphs: list[str] | str, value: str, title: str, meta: ReportMeta) -> Figure:
    paras = [paragraphs] if isinstance(paragraphs, str) else paragraphs
    found = [f for f in extract(paras, title, meta) if f.value == value]
    assert len(found) == 1, (value, [(f.value, f.kind, f.year, f.indicator) for f in found])
    return found[0]


def values(paragraph: str, title: str = "2024年工作回顾", meta: ReportMeta = Y2024) -> list[str]:
    return [f.value for f in extract([paragraph], title, meta)]


REVIEW_2022 = "过去一年和五年工作回顾"
REVIEW_2025 = "“十四五”时期和2025年工作回顾"
PLAN_2026 = "2026年重点工作安排"

# ---------------------------------------------------------------------------------------------
# Kind and year decided per clause, not by the section


def test_plan_horizon_inside_a_review_is_a_target() -> None:
    f = one("到2030年，人均地区生产总值达到10万元以上。", "10万元以上", REVIEW_2025, Y2025)
    assert (f.kind, f.year) == ("target", 2030)
    f = one("“十五五”时期地区生产总值年均增长5%左右。", "5%左右", REVIEW_2025, Y2025)
    assert (f.kind, f.year) == ("target", 2030)


def test_this_year_and_last_year_win_over_the_section() -> None:
    f = one("去年粮食产量达到1.4万亿斤。", "1.4万亿斤", PLAN_2026, Y2025)
    assert (f.kind, f.year) == ("actual", 2025)
    # 比去年 is a base, not the year the figure is for.
    text = "中央财政安排用于“三农”的资金3917亿元，比去年增加520亿元。"
    f = one(text, "520亿元", PLAN_2026, Y2025)
    assert (f.kind, f.year) == ("target", 2026)


def test_a_clause_naming_the_review_year_is_its_result() -> None:
    # neimenggu: the 2025 result sits outside any numbered section, after the five-year review.
    passage = (
        "刚刚过去的2025年，我们统筹做好改革发展稳定工作。一是保持经济平稳运行。"
        "主要经济指标增长保持在合理区间，地区生产总值增长4.7%、低于全国0.3个百分点。"
    )
    text = f"{passage}\n一、2026年重点工作\n地区生产总值增长5%左右。\n"
    top = Section(0, None, 1, "一、", "2026年重点工作", len(passage) + 1, len(text), ("x",))
    passages = [
        Passage(0, passage, 0, len(passage), None, ()),
        Passage(1, "一、2026年重点工作", top.start, top.start + 11, 0, ("x",)),
        Passage(2, "地区生产总值增长5%左右。", top.start + 12, len(text) - 1, 0, ("x",)),
    ]
    got = {f.value: (f.kind, f.year) for f in fig.extract(text, [top], passages, Y2025)}
    assert got["4.7%"] == ("actual", 2025)
    assert got["5%左右"] == ("target", 2026)


def test_start_of_a_pair_is_background_with_its_base_year() -> None:
    # fuping-2021: the base is named (十二五末 = 2015) and carries to the pairs after it.
    text = (
        "地区生产总值由“十二五”末的29.1亿元增长到50.1亿元，年均增长11.5%；"
        "固定资产投资由53.9亿元增长到69.3亿元。"
    )
    title = "“十三五”时期和2020年工作回顾"
    got = {f.value: (f.kind, f.year) for f in extract([text], title, Y2020)}
    assert got["29.1亿元"] == ("other", 2015)
    assert got["53.9亿元"] == ("other", 2015)
    assert got["11.5%"] == ("other", 2020)
    # national-2023: a five-year review starts in the year before it (2018-2022 → 2017); the
    # end value is the state reached at the end of 2022, a result.
    text = "过去五年，常住人口城镇化率从60.2%提高到65.2%。"
    got = {f.value: (f.kind, f.year) for f in extract([text], REVIEW_2022, Y2022)}
    assert got == {"60.2%": ("other", 2017), "65.2%": ("actual", 2022)}
    # guangdong-2026 annex: a plan raises a standard from this year's level.
    f = one(
        "农村低保标准占城镇低保标准的最低比例从77%提高到80%以上。", "77%", PLAN_2026, Y2025
    )
    assert (f.kind, f.year) == ("other", 2025)


def test_pairs_run_over_a_list() -> None:
    # guangdong-2026: 分别从A、B提高到C、D, split by 、 into four clauses.
    text = (
        "困难残疾人生活补贴、重度残疾人护理补贴标准分别从每人每月209元、280元提高到217元、290元。"
    )
    got = {f.value: (f.kind, f.year, f.indicator) for f in extract([text], PLAN_2026, Y2025)}
    assert got["209元"][:2] == ("other", 2025) and got["280元"][:2] == ("other", 2025)
    assert got["217元"][:2] == ("target", 2026) and got["290元"][:2] == ("target", 2026)
    assert got["209元"][2] == got["217元"][2] == "困难残疾人生活补贴标准"
    assert got["280元"][2] == got["290元"][2] == "重度残疾人护理补贴标准"


def test_five_year_totals_and_end_states() -> None:
    # henan-2026: a level held at the end of the period is its result; what was done over the
    # period is background, both for the period's last year.
    paras = [
        "过去的五年极不寻常。",
        "综合实力稳步提升。生产总值6.66万亿元，财政总收入7019亿元。常住人口城镇化率60%。",
        "民生福祉不断增进。城镇新增就业603.7万人，居民人均可支配收入年均增长6%。",
    ]
    got = {f.value: (f.kind, f.year) for f in extract(paras, REVIEW_2025, Y2025)}
    assert got["6.66万亿元"] == ("actual", 2025)
    assert got["7019亿元"] == ("actual", 2025)
    assert got["60%"] == ("actual", 2025)
    assert got["603.7万人"] == ("other", 2025)
    assert got["6%"] == ("other", 2025)


def test_multi_year_changes_and_goals_quoted_in_a_review() -> None:
    # fuping-2021: 比2015年 makes the change a five-year one, and the clauses after it too.
    text = (
        "2020年空气质量优良天数达到263天，比2015年增加98天，"
        "空气综合指数和PM2.5平均浓度分别下降46.7%和55.79%。"
    )
    got = {f.value: (f.kind, f.year) for f in extract([text], "2020年工作回顾", Y2020)}
    assert got["263天"] == ("actual", 2020)
    assert got["98天"] == got["46.7%"] == ("other", 2020)
    # laiyuan-2025: 年度目标 beside the result is the review year's own goal.
    f = one("地区生产总值增长6.5%(年度目标6%以上)。", "6%以上", "2024年工作回顾", Y2024)
    assert (f.kind, f.year, f.indicator) == ("other", 2024, "地区生产总值年度目标")
    # baoding-2025: a three-year programme's total.
    f = one("“十万英才兴保定”三年落实岗位24万个。", "24万个", "2024年工作回顾", Y2024)
    assert (f.kind, f.year) == ("other", 2024)


def test_population_as_context_has_no_year() -> None:
    f = one("始终时刻同全县28万人民想在一起。", "28万人", "2024年工作回顾", Y2024)
    assert (f.kind, f.year, f.indicator) == ("other", None, "人口")


def test_glossary_yields_no_figures() -> None:
    report = parse_file(ROOT / "tests/data/reports/fuping-2021.txt")
    glossary = [f for f in report.figures if f.section.startswith("名词解释")]
    assert not glossary, [(f.value, f.text) for f in glossary[:5]]
    assert any(f.section.startswith("2021年重点工作") for f in report.figures)


# ---------------------------------------------------------------------------------------------
# Numbers that are not figures


@pytest.mark.parametrize(
    "sentence",
    [
        "国电投300兆瓦光伏制氢。",  # laiyuan: a plant's name
        "蠡县10万千瓦风电项目并网发电。",  # baoding
        "玖兴农牧300万套父母代肉鸡育种等项目建设。",  # laiyuan
        "全球最高10米液压支架成功下线。",  # henan: a record-holder
        "对10万元以上的项目实行全过程跟踪审计。",  # a threshold
        "加快推进空置率30%以下“空心村”治理。",  # fuping: a threshold
        "关停淘汰10万千瓦及以下燃煤机组。",  # henan
        "行政村和20户以上自然村全部通硬化路。",  # henan
        "为孕产妇、0—6岁儿童提供连续健康管理服务。",  # guangdong: an age group
        "在168个重点城市空气质量排名倒26名。",  # baoding: a rank and its field
        "入选农业农村部30个帮扶产业高质量发展典型案例。",  # laiyuan: a list's size
        "优良天数4项指标稳居全市第一。",  # laiyuan
        "其中20个预期性指标、8个约束性指标。",  # jiangxi: the plan's structure
        "重点抓好以下14个方面的工作。",  # guangdong
        "出台优化营商环境创新行动96条。",  # baoding: policy items
        "质量工作考核连续10次获评国家A级。",  # guangdong: a streak
        "揭阳潮汕机场成为全省第4个吞吐量超千万人次的机场。",  # guangdong: what qualifies
        "我省在全国占比超过10%的有44种。",  # guangdong: the 10% qualifies the count
        "十件民生实事全面完成。",  # guangdong: the programme's name
        "壮大6大特色产业集群和18条乡村富民产业链。",  # henan: the plan's named sets
        "醇油坊二期。",  # fuping: a phase
    ],
)
def test_not_figures(sentence: str) -> None:
    found = values(sentence)
    assert found in ([], ["44种"]), found


def test_counts_and_shares_next_to_thresholds_stay() -> None:
    assert values("开工建设10亿元以上重大产业项目47个。") == ["47个"]
    assert values("村集体经济经营性收入50万元以上的行政村占比达68%。") == ["68%"]
    assert "80%以上" in values("80%以上的援疆援助资金投向基层。")
    assert "1000个以上" in values("实施1000个以上省重点项目。", PLAN_2026, Y2025)
    assert values("建成精品线路两条。") == ["两条"]


# ---------------------------------------------------------------------------------------------
# Indicators


@pytest.mark.parametrize(
    ("paragraph", "value", "indicator"),
    [
        ("设立100亿元南疆发展专项资金。", "100亿元", "南疆发展专项资金"),
        ("整理出7.6万亩荒山。", "7.6万亩", "荒山"),  # fuping
        ("高标准打造了16.64平方公里的阜东产业园区。", "16.64平方公里", "阜东产业园区"),
        ("确保年度21.17亿元投资计划实现落地。", "21.17亿元", "投资计划"),  # laiyuan
        ("全力推进区内4个签约项目落地建设。", "4个", "签约项目"),  # laiyuan
        ("推出7批170个人民至上“微改革”项目。", "7批", "微改革"),  # baoding
        ("惠及超50万名3岁以下婴幼儿。", "50万名", "婴幼儿"),  # guangdong
        ("11个县被认定为国家义务教育优质均衡发展县。", "11个", "优质均衡发展县"),  # henan
        ("实现省内4.27万公里线路重点场所移动网络信号连续覆盖。", "4.27万公里", "线路"),
        ("组建总规模1000亿元的省战略性新兴产业投资引导基金。", "1000亿元", "引导基金"),
        ("加快推动总投资10亿元的钼尾矿综合利用项目。", "10亿元", "钼尾矿综合利用项目总投资"),
        ("研究与试验发展经费投入强度3.46%。", "3.46%", "投入强度"),  # baoding
        ("确保研发投入增长率保持在10%以上。", "10%以上", "研发投入"),  # laiyuan
        ("就业困难人员实现就业267人。", "267人", "就业困难人员"),  # laiyuan
        ("配合制定《保定市城市更新条例》等地方性法规4部。", "4部", "地方性法规"),
        ("中欧（亚）班列累计开行1.7万列。", "1.7万列", "中欧"),  # henan; 列 is a unit
        ("完成投资32亿元。", "32亿元", "完成投资"),  # fuping
        ("城乡居民收入比降至2以内。", "2以内", "收入比"),  # fuping; a unitless ratio
        ("特困人员基本生活保障标准不低于当地最低生活保障标准的1.6倍。", "1.6倍", "特困人员"),
    ],
)
def test_indicator(paragraph: str, value: str, indicator: str) -> None:
    f = one(paragraph, value, "2024年工作回顾", Y2024)
    assert indicator in f.indicator, f.indicator
    assert not fig._BARE_VERB.fullmatch(f.indicator), f.indicator


@pytest.mark.parametrize(
    ("paragraph", "value", "indicator"),
    [
        # The clause names no noun: the subject of the clause before is what it measures.
        ("地区生产总值增长6.0%，总量达到4773.3亿元。", "4773.3亿元", "地区生产总值"),
        ("国内生产总值增加到121万亿元、五年年均增长5.2%。", "5.2%", "国内生产总值"),
        ("粮食产量1.37万亿斤，增产74亿斤。", "74亿斤", "粮食"),
        ("民生支出1041亿元，占一般公共预算支出的87.2%。", "87.2%", "民生支出"),
        ("市场主体总量超过1.6亿户，是十年前的3倍。", "3倍", "市场主体"),
        ("一般预算支出的89.1%用于民生事业。", "89.1%", "民生"),
        ("省级绿色建材行业产业集群企业达到75家，年营收26.64亿元。", "26.64亿元", "企业年营收"),
    ],
)
def test_indicator_from_the_clause_before(paragraph: str, value: str, indicator: str) -> None:
    assert indicator in one(paragraph, value, "2024年工作回顾", Y2024).indicator


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "水果、蔬菜、茶叶产量分别达2050万吨、4200万吨、19万吨以上。",
            {"2050万吨": "水果产量", "4200万吨": "蔬菜产量", "19万吨以上": "茶叶产量"},
        ),
        (
            "基础设施、制造业投资分别增长9.4%、9.1%。",
            {"9.4%": "基础设施投资", "9.1%": "制造业投资"},
        ),
        (
            "进口、出口通关时间分别压减67%和92%。",
            {"67%": "进口通关时间", "92%": "出口通关时间"},
        ),
        (
            "刑事治安、涉诈、涉毒警情分别下降17.7%、17.4%、68%。",
            {"17.7%": "刑事治安警情", "17.4%": "涉诈警情", "68%": "涉毒警情"},
        ),
        (
            # Whole names, and values in different units: the items as they are.
            "国际友城和外国驻穗总领馆分别增至214对和69家。",
            {"214对": "国际友城", "69家": "外国驻穗总领馆"},
        ),
        (
            "刑事发案率、治安受案率同比下降39.41%、23.38%。",
            {"39.41%": "刑事发案率", "23.38%": "治安受案率"},
        ),
    ],
)
def test_lists_are_mapped_item_by_item(paragraph: str, expected: dict[str, str]) -> None:
    got = {f.value: f.indicator for f in extract([paragraph], "2024年工作回顾", Y2024)}
    assert got == expected


# ---------------------------------------------------------------------------------------------
# Units and values


@pytest.mark.parametrize(
    ("paragraph", "value", "unit"),
    [
        ("中欧班列开行924列。", "924列", "列"),
        ("劳动年龄人口平均受教育年限提高到11.3年。", "11.3年", "年"),
        ("PM2.5平均浓度降至28微克每立方米。", "28微克每立方米", "微克每立方米"),
        ("PM2.5年平均浓度保持在20微克/立方米左右。", "20微克/立方米左右", "微克/立方米"),
        ("开展入户走访12万户次。", "12万户次", "万户次"),
        ("城乡居民收入比缩小到2.2。", "2.2", ""),
        ("城乡居民收入比从2.50:1缩小至2.27:1。", "2.27:1", ""),
        ("空气质量综合指数4.463，下降5.96%。", "4.463", ""),
        ("约占全国1/10。", "1/10", ""),
        ("占全国9成。", "9成", "成"),
        ("举办孤独症诊疗技术培训班超10期。", "10期", "期"),
        ("郑州至卢森堡开行4000班次。", "4000班次", "班次"),
        ("城乡低保标准提高到每人每年4318元/年。", "4318元/年", "元/年"),
        ("年旅游人次突破百万。", "百万", "万"),
        ("举办“保马”等赛事千余场。", "千余场", "场"),
        ("旅游收入超万亿元。", "万亿元", "万亿元"),
        ("一产总产值比“十二五”末增长一倍多。", "一倍多", "倍"),
        ("城乡居民人均可支配收入实现“两个翻一番”目标。", "翻一番", "倍"),
    ],
)
def test_units(paragraph: str, value: str, unit: str) -> None:
    assert one(paragraph, value, "2024年工作回顾", Y2024).unit == unit


def test_ratio_chain_gives_one_value_per_part() -> None:
    found = [(f.value, f.unit) for f in extract(["三次产业比重为4.0∶37.7∶58.3。"], "回顾", Y2025)]
    assert found == [("4.0", ""), ("37.7", ""), ("58.3", "")]


def test_dates_and_spans_of_years_are_not_quantities() -> None:
    assert values("2023年1月10日召开，连续10年居全省前列。") == []

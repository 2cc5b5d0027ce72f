"""Hand-made Table answers from real report clauses, for the table, chart and CSV tests.

Every value was read off the corpus texts (tests/data/corpus): the 2026 GDP growth targets of
the provincial reports, the national GDP growth targets 2004–2025, and the national targets set
against the outcome the next year's report states. `test_fixtures_match_the_reports` checks
that each clause is verbatim in its report and holds its value, so a typo here fails a test.
"""

from __future__ import annotations

from pathlib import Path

from bot.answer import Table, TableRow, Verdict

CORPUS = Path(__file__).parent / "data" / "corpus"

# (file stem, canonical region, clause, value, qualifier), in the order the files sort.
PROVINCIAL_2026_GDP = [
    ("anhui", "安徽省", "全省地区生产总值增长5%—5.5%", "5%—5.5%", "增长"),
    ("beijing", "北京市", "地区生产总值增长5%左右", "5%左右", "增长…左右"),
    ("chongqing", "重庆市", "地区生产总值增长5%以上", "5%以上", "增长…以上"),
    ("fujian", "福建省", "全省地区生产总值增长5%左右", "5%左右", "增长…左右"),
    ("gansu", "甘肃省", "地区生产总值增长5.5%左右", "5.5%左右", "增长…左右"),
    ("guangdong", "广东省", "地区生产总值增长4.5%—5%", "4.5%—5%", "增长"),
    ("guangxi", "广西壮族自治区", "经济增长5%左右", "5%左右", "增长…左右"),
    ("guizhou", "贵州省", "地区生产总值增长5%左右", "5%左右", "增长…左右"),
    ("hainan", "海南省", "地区生产总值增长6%左右", "6%左右", "增长…左右"),
    ("hebei", "河北省", "地区生产总值增长5%以上", "5%以上", "增长…以上"),
    ("heilongjiang", "黑龙江省", "地区生产总值增长4.5-5%", "4.5-5%", "增长"),
    ("henan", "河南省", "经济增长5%左右", "5%左右", "增长…左右"),
    ("hubei", "湖北省", "经济增长5.5%左右", "5.5%左右", "增长…左右"),
    ("hunan", "湖南省", "地区生产总值增长5%左右", "5%左右", "增长…左右"),
    ("jiangsu", "江苏省", "地区生产总值按增长5%安排", "5%", "按增长…安排"),
    ("jiangxi", "江西省", "地区生产总值增长5%-5.5%", "5%-5.5%", "增长"),
    ("jilin", "吉林省", "地区生产总值增长5%左右", "5%左右", "增长…左右"),
    ("liaoning", "辽宁省", "地区生产总值增长4.5%左右", "4.5%左右", "增长…左右"),
    ("neimenggu", "内蒙古自治区", "地区生产总值增长5%左右", "5%左右", "增长…左右"),
    ("ningxia", "宁夏回族自治区", "地区生产总值增长5%左右", "5%左右", "增长…左右"),
    ("qinghai", "青海省", "全省地区生产总值增长4.5%左右", "4.5%左右", "增长…左右"),
    ("shaanxi", "陕西省", "生产总值增长5％左右", "5％左右", "增长…左右"),
    ("shandong", "山东省", "地区生产总值增长5%以上", "5%以上", "增长…以上"),
    ("shanghai", "上海市", "全市生产总值增长5%左右", "5%左右", "增长…左右"),
    ("shanxi", "山西省", "地区生产总值增长4.5%—5%", "4.5%—5%", "增长"),
    ("tianjin", "天津市", "地区生产总值增长4.5%", "4.5%", "增长"),
    ("xizang", "西藏自治区", "地区生产总值增长7%以上", "7%以上", "增长…以上"),
    ("yunnan", "云南省", "地区生产总值增长4.5%左右", "4.5%左右", "增长…左右"),
    ("zhejiang", "浙江省", "全省生产总值增长5%—5.5%", "5%—5.5%", "增长"),
]
# Province-level divisions with no report in the corpus.
PROVINCES_WITHOUT_REPORT = ["四川省", "新疆维吾尔自治区"]

# National GDP growth targets, from each year's report: year → (clause, value).
NATIONAL_GDP_TARGETS = {
    2004: ("中央提出今年经济增长预期目标为7%左右", "7%左右"),
    2005: ("国内生产总值增长8%左右", "8%左右"),
    2006: ("国内生产总值增长8%左右", "8%左右"),
    2007: ("国内生产总值增长8%左右", "8%左右"),
    2008: ("国内生产总值增长8%左右", "8%左右"),
    2009: ("国内生产总值增长8%左右", "8%左右"),
    2010: ("国内生产总值增长8％左右", "8％左右"),
    2011: ("国内生产总值增长8%左右", "8%左右"),
    2013: ("国内生产总值增长7.5%左右", "7.5%左右"),
    2014: ("国内生产总值增长7.5%左右", "7.5%左右"),
    2015: ("国内生产总值增长7%左右", "7%左右"),
    2016: ("国内生产总值增长6.5%－7%", "6.5%－7%"),
    2017: ("国内生产总值增长6.5%左右", "6.5%左右"),
    2018: ("国内生产总值增长6.5%左右", "6.5%左右"),
    2019: ("国内生产总值增长6%－6.5%", "6%－6.5%"),
    2023: ("国内生产总值增长5%左右", "5%左右"),
    2024: ("国内生产总值增长5%左右", "5%左右"),
    2025: ("国内生产总值增长5%左右", "5%左右"),
}
YEARS_WITHOUT_REPORT = ["2012", "2020", "2021", "2022"]

# The outcome of year Y as the report of year Y+1 states it: Y → (clause, value, verdict).
# No report for 2012, 2020 or 2026 in the corpus; the 2008 report gives 2007 only as a
# five-year average, so those targets have no outcome.
NATIONAL_GDP_OUTCOMES: dict[int, tuple[str, str, Verdict]] = {
    2004: ("国内生产总值达到13.65万亿元，比上年增长9.5%", "9.5%", "met"),
    2005: ("全年国内生产总值达到18.23万亿元，比上年增长9.9%", "9.9%", "met"),
    2006: ("国内生产总值20.94万亿元，比上年增长10.7%", "10.7%", "met"),
    2008: ("国内生产总值超过30万亿元，比上年增长9%", "9%", "met"),
    2009: ("国内生产总值达到33.5万亿元，比上年增长8.7%", "8.7%", "met"),
    2010: ("国内生产总值增长10.3%", "10.3%", "met"),
    2013: ("国内生产总值达到56.9万亿元，比上年增长7.7%", "7.7%", "met"),
    2014: ("国内生产总值达到63.6万亿元，比上年增长7.4%", "7.4%", "roughly"),
    2015: ("国内生产总值达到67.7万亿元，增长6.9%", "6.9%", "roughly"),
    2016: ("增长6.7%", "6.7%", "met"),
    2017: ("国内生产总值增长6.9%", "6.9%", "met"),
    2018: ("国内生产总值增长6.6%", "6.6%", "met"),
    2023: ("国内生产总值超过126万亿元，增长5.2%", "5.2%", "met"),
    2024: ("国内生产总值达到134.9万亿元、增长5%", "5%", "met"),
}


def _number(value: str) -> float:
    """The low end of a value as the parser gives it: 5%—5.5% → 5.0, 8％左右 → 8.0."""
    digits = ""
    for ch in value:
        if ch.isdigit() or (ch == "." and digits):
            digits += ch
        elif digits:
            break
    return float(digits)


def _gdp_growth(kind: str, indicator: str, title: str, rows: list[TableRow],
                missing: list[str]) -> Table:
    """A table of GDP growth rows, as the engine titles and labels it."""
    return Table(kind=kind, indicator_id="gdp", indicator=indicator, measure="growth",
                 title=title, rows=rows, missing=missing, indicator_en="GDP",
                 unit="%")  # fmt: skip


def provincial_gdp_2026() -> Table:
    rows = [
        TableRow(
            region=region,
            region_id=f"cn.{stem}",
            year=2026,
            kind="target",
            value=value,
            number=_number(value),
            unit="%",
            qualifier=qualifier,
            text=clause,
            report=f"{stem}-2026",
            indicator="经济"
            if clause.startswith("经济")
            else clause.split("增长")[0].lstrip("全省市"),
        )
        for stem, region, clause, value, qualifier in PROVINCIAL_2026_GDP
    ]
    return _gdp_growth("compare", "地区生产总值", "2026年各省地区生产总值增长目标", rows,
                       list(PROVINCES_WITHOUT_REPORT))  # fmt: skip


def national_gdp_series() -> Table:
    rows = [
        TableRow(
            region="全国",
            region_id="cn",
            year=year,
            kind="target",
            value=value,
            number=_number(value),
            unit="%",
            qualifier="增长…左右" if "左右" in value else "增长",
            text=clause,
            report=f"national-{year}",
            indicator="国内生产总值" if "国内生产总值" in clause else "经济增长预期目标",
        )
        for year, (clause, value) in NATIONAL_GDP_TARGETS.items()
    ]
    return _gdp_growth("series", "国内生产总值", "历年全国国内生产总值增长目标", rows,
                       list(YEARS_WITHOUT_REPORT))  # fmt: skip


def national_gdp_track() -> Table:
    """Targets 2004–2025 against outcomes: met, roughly met, and no outcome stated."""
    series = national_gdp_series()
    rows = []
    for row in series.rows:
        year = row.year or 0
        clause, actual, verdict = NATIONAL_GDP_OUTCOMES.get(year, ("", "", ""))
        row.target = row.value
        if actual:
            row.actual = actual
            row.actual_number = _number(actual)
            row.actual_text = clause
            row.actual_report = f"national-{year + 1}"
        row.verdict = verdict
        rows.append(row)
    return _gdp_growth("track", "国内生产总值", "全国国内生产总值增长目标完成情况", rows,
                       list(YEARS_WITHOUT_REPORT))  # fmt: skip


def energy_intensity_track() -> Table:
    """The one national target in the corpus that its next report says was missed."""
    row = TableRow(
        region="全国",
        region_id="cn",
        year=2006,
        kind="target",
        value="4%左右",
        number=4.0,
        unit="%",
        qualifier="降低…左右",
        text="单位国内生产总值能耗降低4%左右",
        report="national-2006",
        indicator="单位国内生产总值能耗",
        target="4%左右",
        actual="1.2%",
        actual_number=1.2,
        actual_text=(
            "2006 年，单位国内生产总值能耗由前三年分别上升4.9％、5.5％、0.2％，转为下降1.2%"
        ),
        actual_report="national-2007",
        verdict="missed",
    )
    return Table(
        kind="track",
        indicator_id="energy_intensity",
        indicator="单位国内生产总值能耗",
        measure="growth",
        title="2006年单位国内生产总值能耗降低目标完成情况",
        rows=[row],
        unit="%",
    )


# 2025 outcome and 2026 target side by side: (stem, region, actual clause, actual, target
# clause, target). Both from the same 2026 report.
PROVINCIAL_ACTUAL_AND_TARGET = [
    ("guangdong", "广东省", "地区生产总值增长3.9%", "3.9%", "地区生产总值增长4.5%—5%", "4.5%—5%"),
    (
        "heilongjiang",
        "黑龙江省",
        "全省地区生产总值增长4.2%",
        "4.2%",
        "地区生产总值增长4.5-5%",
        "4.5-5%",
    ),
    ("hebei", "河北省", "全省生产总值增长5.6%", "5.6%", "地区生产总值增长5%以上", "5%以上"),
    ("tianjin", "天津市", "全市地区生产总值增长4.8%", "4.8%", "地区生产总值增长4.5%", "4.5%"),
    ("xizang", "西藏自治区", "地区生产总值增长7%", "7%", "地区生产总值增长7%以上", "7%以上"),
]


def provincial_actual_and_target() -> Table:
    rows = []
    for stem, region, a_clause, actual, t_clause, target in PROVINCIAL_ACTUAL_AND_TARGET:
        for kind, year, clause, value in (
            ("actual", 2025, a_clause, actual),
            ("target", 2026, t_clause, target),
        ):
            rows.append(
                TableRow(
                    region=region,
                    region_id=f"cn.{stem}",
                    year=year,
                    kind=kind,
                    value=value,
                    number=_number(value),
                    unit="%",
                    qualifier="增长…以上" if "以上" in value else "增长",
                    text=clause,
                    report=f"{stem}-2026",
                    indicator="地区生产总值",
                )
            )
    return Table(
        kind="compare",
        indicator_id="gdp",
        indicator="地区生产总值",
        measure="growth",
        title="2025年增长与2026年目标",
        rows=rows,
        unit="%",
    )


def report_text(report_id: str) -> str:
    """The corpus file a fixture's report id names (anhui-2026, national-2004)."""
    stem, year = report_id.rsplit("-", 1)
    path = (
        CORPUS / "national" / f"{year}.txt"
        if stem == "national"
        else (CORPUS / f"provincial-{year}" / f"{stem}.txt")
    )
    return path.read_text(encoding="utf-8")


# Every fixture table: what the chart, CSV and table-rendering tests run over.
ALL = [provincial_gdp_2026, national_gdp_series, national_gdp_track, energy_intensity_track,
       provincial_actual_and_target]  # fmt: skip

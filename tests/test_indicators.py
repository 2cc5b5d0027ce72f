# ruff: noqa: E501  (the case table keeps one real clause per line)
"""The indicator catalogue: data sanity, query lookup, and figure classification on real clauses.

The classification cases are written by hand from clauses of the reports in tests/data (the
file is named in each comment): (indicator text as the extractor writes it, unit, qualifier,
clause) → (catalogue id, measure). "" as the id means nothing in the catalogue fits and a guess
would be wrong.
"""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest

from bot.facts import indicators
from bot.facts.indicators import MEASURES, catalogue, classify

ROOT = Path(__file__).parent.parent
TOML = ROOT / "bot" / "facts" / "indicators.toml"

# The ids of the original skeleton: gold sets refer to them, so none may disappear.
SKELETON_IDS = """
gdp gdp_per_capita primary_industry secondary_industry tertiary_industry industrial_value_added
industrial_output agricultural_output high_tech_manufacturing strategic_emerging_industries
digital_economy national_income fixed_asset_investment industrial_investment
manufacturing_investment infrastructure_investment private_investment real_estate_investment
key_project_investment central_budget_investment investment_attraction foreign_investment
retail_sales foreign_trade exports imports cpi per_capita_consumption tourism_visitors
tourism_revenue general_budget_revenue fiscal_revenue tax_revenue general_budget_expenditure
livelihood_spending_share deficit_ratio deficit special_bonds special_treasury_bonds tax_cuts
money_supply social_financing defense_budget education_spending urban_jobs
surveyed_unemployment registered_unemployment graduate_employment vocational_training
rural_labor_transfer disposable_income urban_income rural_income urban_rural_income_ratio
minimum_wage poverty_reduction grain_output grain_area high_standard_farmland cultivated_land
pig_output cotton_output steel_output coal_output oil_output power_generation
power_consumption new_energy_capacity new_energy_vehicles energy_consumption energy_intensity
carbon_intensity water_intensity pm25 good_air_days surface_water_quality forest_coverage
afforestation emission_reduction sewage_treatment rd_intensity rd_spending
high_tech_enterprises tech_smes tech_contracts invention_patents market_entities
listed_companies industrial_enterprises base_stations_5g population urbanization_rate
population_growth_rate old_residential_renovation shantytown_renovation affordable_housing
rural_roads expressway_mileage railway_mileage china_europe_trains port_throughput
rural_sanitary_toilets preschool_enrollment compulsory_education_retention
high_school_enrollment education_years pension_insurance medical_insurance elderly_care_beds
childcare_places hospital_beds life_expectancy
""".split()  # noqa: SIM905


# --- data ----------------------------------------------------------------------------------------


def test_catalogue_keeps_every_skeleton_id_and_has_enough() -> None:
    ids = [item["id"] for item in tomllib.loads(TOML.read_text("utf-8"))["indicator"]]
    assert len(SKELETON_IDS) == 112
    assert set(SKELETON_IDS) <= set(ids)
    assert len(ids) == len(set(ids)) >= 110


def test_every_indicator_is_filled_in() -> None:
    for ind in catalogue().indicators.values():
        assert ind.en and ind.aliases and ind.pinyin, ind.id
        assert ind.measures and set(ind.measures) <= set(MEASURES), ind.id
        assert not ind.of_gdp or ind.of_gdp in catalogue().indicators, ind.id


def test_loading_is_cheap() -> None:
    start = time.perf_counter()
    indicators.load()
    assert time.perf_counter() - start < 0.2


# --- lookup --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("GDP", "gdp"),
        ("gdp", "gdp"),
        ("地区生产总值", "gdp"),
        ("国内生产总值", "gdp"),
        ("经济增速", "gdp"),
        ("人均GDP", "gdp_per_capita"),
        ("unemployment rate", "surveyed_unemployment"),
        ("Unemployment Rate", "surveyed_unemployment"),
        ("失业率", "surveyed_unemployment"),
        ("retail sales", "retail_sales"),
        ("社零", "retail_sales"),
        ("社零额", "retail_sales"),
        ("fixed asset investment", "fixed_asset_investment"),
        ("Fixed-asset investment", "fixed_asset_investment"),
        ("固定資產投資", "fixed_asset_investment"),
        ("jiuye", "urban_jobs"),
        ("就业", "urban_jobs"),
        ("guding zichan touzi", "fixed_asset_investment"),
        ("gudingzichantouzi", "fixed_asset_investment"),
        ("CPI", "cpi"),
        ("物价", "cpi"),
        ("赤字率", "deficit_ratio"),
        ("专项债", "special_bonds"),
        ("外贸", "foreign_trade"),
        ("单位GDP能耗", "energy_intensity"),
        ("能耗强度", "energy_intensity"),
        ("实际利用外资", "foreign_investment"),
        ("规上工业增加值", "industrial_value_added"),
        ("城镇化率", "urbanization_rate"),
        ("森林覆蓋率", "forest_coverage"),
        ("2023年GDP", "gdp"),
        ("全市城镇新增就业", "urban_jobs"),
        ("life expectancy", "life_expectancy"),
        ("R&D intensity", "rd_intensity"),
    ],
)
def test_lookup(word: str, expected: str) -> None:
    found = catalogue().lookup(word)
    assert found is not None and found.id == expected, word


@pytest.mark.parametrize("word", ["", "天气", "weather", "投资", "项目", "城乡居民人均可支配收入"])
def test_lookup_gives_none_when_nothing_or_several_fit(word: str) -> None:
    assert catalogue().lookup(word) is None


# --- classification ------------------------------------------------------------------------------

CASES: list[tuple[str, str, str, str, str, str]] = [
    # seeds/wuqia-2022.txt
    ("地区生产总值", "%", "同比增长", "", "gdp", "growth"),
    ("全社会固定资产投资", "%", "同比增长", "", "fixed_asset_investment", "growth"),
    ("一般公共预算收入", "%", "同比增长", "", "general_budget_revenue", "growth"),
    ("社会消费品零售总额", "%", "同比增长", "", "retail_sales", "growth"),
    ("城镇居民人均可支配收入", "%", "增长", "", "urban_income", "growth"),
    ("农村居民人均可支配收入", "%", "增长", "", "rural_income", "growth"),
    ("林果种植面积", "万亩", "达到", "", "", "level"),
    ("新增城镇就业", "人", "以上", "力争实现新增城镇就业700人以上", "urban_jobs", "level"),
    ("城镇新增就业", "人", "", "城镇新增就业819人", "urban_jobs", "level"),
    ("城镇调查失业率", "%", "以内", "城镇调查失业率控制在5.5%以内", "surveyed_unemployment", "rate"),
    ("高校毕业生就业去向落实率", "%", "达到", "", "graduate_employment", "rate"),
    ("职业技能培训", "人次", "以上", "", "vocational_training", "level"),
    ("技能培训", "人次", "", "技能培训7106人次", "vocational_training", "level"),
    ("转移农村富余劳动力", "人次", "", "", "rural_labor_transfer", "level"),
    ("招商引资到位资金", "亿元", "", "", "investment_attraction", "level"),
    # tests/data/reports/baoding-2025.txt, fuping-2021.txt, laiyuan-2025.txt
    ("规上工业增加值", "%", "增长", "", "industrial_value_added", "growth"),
    ("全市地区生产总值", "亿元", "", "", "gdp", "level"),
    ("全县生产总值", "%", "增长", "", "gdp", "growth"),
    ("地方一般公共预算收入", "亿元", "", "", "general_budget_revenue", "level"),
    ("千万元以上重点项目", "个", "", "全年谋划实施千万元以上重点项目84个", "", "count"),
    ("总投资", "亿元", "", "强力实施总投资322.48亿元的重大项目116个", "", "level"),
    ("年营收", "亿元", "", "年营收26.64亿元", "", "level"),
    ("食用菌从无到有发展", "万亩", "", "", "", "level"),
    ("高标准农田", "万亩", "", "建设高标准农田1.2万亩", "high_standard_farmland", "level"),
    ("森林覆盖率", "%", "达到", "森林覆盖率达到32%", "forest_coverage", "rate"),
    ("农村自来水普及率", "%", "达到", "", "rural_tap_water", "rate"),
    ("备案博物馆", "座", "", "备案博物馆94座", "", "count"),
    # tests/data/reports/guangdong-2026.txt and provincial-2026/guangdong.txt
    ("人均地区生产总值", "万元", "提高到", "人均地区生产总值从9万元提高到11万元", "gdp_per_capita", "level"),
    ("强度", "%", "达", "研发投入强度达3.6%", "rd_intensity", "rate"),
    ("上榜世界500强企业", "家", "增至", "", "", "count"),
    ("社会物流总费用与地区生产总值的比率", "%", "降至…左右", "", "", "share"),
    ("高校毕业生在粤就业创业", "万名", "", "", "graduate_employment", "level"),
    ("水果、蔬菜、茶叶产量", "万吨", "以上", "", "", "level"),
    ("高血压、2型糖尿病患者基层规范管理服务率", "%", "达到…以上", "", "", "rate"),
    ("国家人工智能应用中试基地", "个", "", "", "", "count"),
    # tests/data/reports/national-1997.txt, national-2023.txt, national-2025.txt
    ("国内生产总值", "%", "增长", "", "gdp", "growth"),
    ("国内生产总值", "万亿元", "", "国内生产总值达到121万亿元", "gdp", "level"),
    ("居民消费价格", "%", "左右", "居民消费价格涨幅2%左右", "cpi", "growth"),
    ("居民消费价格总水平", "%", "上涨", "", "cpi", "growth"),
    ("粮食产量", "万亿斤", "左右", "粮食产量1.4万亿斤左右", "grain_output", "level"),
    ("粮食产量连年", "万亿斤", "稳定在…以上", "", "grain_output", "level"),
    ("城镇新增就业", "万人", "", "城镇新增就业1256万人", "urban_jobs", "level"),
    ("赤字率", "%", "", "赤字率拟按4%左右安排", "deficit_ratio", "rate"),
    ("赤字规模", "万亿元", "", "赤字规模5.66万亿元", "deficit", "level"),
    ("中央财政赤字", "亿元", "", "", "central_deficit", "level"),
    ("地方政府专项债券", "万亿元", "", "拟安排地方政府专项债券4.4万亿元", "special_bonds", "level"),
    ("拟发行超长期特别国债", "万亿元", "", "", "special_treasury_bonds", "level"),
    # a bare % closing a list is a change whose verb stayed with the first value (gold: growth)
    ("高技术制造业、装备制造业增加值", "%", "", "", "", "growth"),
    ("单位国内生产总值能耗", "%", "下降", "", "energy_intensity", "growth"),
    ("进出口总额", "%", "增长", "", "foreign_trade", "growth"),
    ("实际使用外资", "亿美元", "", "", "foreign_investment", "level"),
    ("一般公共预算支出规模", "万亿元", "", "", "general_budget_expenditure", "level"),
    ("财政赤字", "万亿元", "", "", "deficit", "level"),
    ("城乡居民基础养老金最低标准", "元", "再提高", "", "basic_pension_minimum", "level"),
    ("居民医保和基本公共卫生服务经费人均财政补助标准", "元", "", "", "", "level"),
    ("城乡居民医保人均财政补助标准", "元", "", "", "medical_insurance_subsidy", "level"),
    # tests/data/corpus/national
    ("工业总产值", "%", "增长", "全国工业总产值增长14.6%（不包括村办工业）", "industrial_output", "growth"),
    ("今后五年国内生产总值", "%", "年均增长", "", "gdp", "growth"),
    ("经济增长预期目标", "%", "左右", "", "gdp", "growth"),
    ("经济总量", "万亿元", "超过", "我国经济总量超过90万亿元", "gdp", "level"),
    ("国民生产总值", "亿元", "", "", "gnp", "level"),
    ("工农业总产值", "%", "增长", "", "industrial_agricultural_output", "growth"),
    ("农业总产值", "%", "增长", "", "agricultural_output", "growth"),
    ("五年城镇新增就业", "万人", "", "五年城镇新增就业4500万人", "urban_jobs", "level"),
    # the extractor cut 对 off; the clause completes the head noun
    ("外直接投资", "亿美元", "", "对外直接投资1029亿美元", "outbound_investment", "level"),
    ("非金融类对外直接投资", "亿美元", "", "", "outbound_investment", "level"),
    ("棚户区改造", "万套", "", "其中棚户区改造580万套", "shantytown_renovation", "count"),
    ("单位国内生产总值能耗", "%", "下降", "单位国内生产总值能耗下降18.2%", "energy_intensity", "growth"),
    ("城镇调查失业率", "%", "左右", "城镇调查失业率5.5%左右", "surveyed_unemployment", "rate"),
    ("城镇登记失业率", "%", "以内", "", "registered_unemployment", "rate"),
    ("钢产量", "万吨", "", "", "steel_output", "level"),
    ("原煤", "亿吨", "", "", "coal_output", "level"),
    ("原油", "%", "增长", "", "oil_output", "growth"),
    ("化学纤维", "倍", "增长", "化学纤维增长三点三倍", "", "growth"),
    ("煤油", "倍", "增加了", "煤油增加了11倍", "", "growth"),
    ("棉花", "万吨", "", "", "cotton_output", "level"),
    ("农村居民人均纯收入", "元", "", "", "rural_net_income", "level"),
    ("农村贫困人口", "万人", "减少", "农村贫困人口减少1240万人", "poverty_reduction", "level"),
    ("国家外汇储备", "亿美元", "", "", "forex_reserves", "level"),
    ("财政收入", "万亿元", "", "", "fiscal_revenue", "level"),
    ("社会商品零售总额", "%", "增长", "", "retail_sales", "growth"),
    ("城镇人均居住面积", "平方米", "增加到", "城镇人均居住面积增加到8.7平方米", "", "level"),
    ("投资率", "%", "", "投资率为32%", "", "rate"),
    ("职工的工资总额一九八○年", "元", "达到", "", "", "level"),
    ("比一九五七年", "元", "", "", "", "level"),
    ("化学需氧量、二氧化硫排放量", "%", "下降", "", "emission_reduction", "growth"),
    ("原煤、原油、天然气产量", "%", "增长", "", "", "growth"),
    ("社会物流总费用与GDP的比率", "%", "", "", "", "share"),
    ("单位国内生产总值能耗和二氧化碳排放", "%", "下降", "", "", "growth"),
    ("财政赤字占国内生产总值的比重", "%", "", "", "deficit_ratio", "share"),
    ("全社会研究与试验发展经费支出占国内生产总值的比重", "%", "", "", "rd_intensity", "share"),
    ("研究与试验发展经费支出与国内生产总值之比", "%", "", "", "rd_intensity", "share"),
    ("财政性教育经费支出占国内生产总值比例", "%", "", "", "education_spending", "share"),
    ("服务业增加值占国内生产总值比重", "百分点", "提高", "", "tertiary_industry", "points"),
    ("数字经济核心产业增加值占国内生产总值比重", "%", "", "", "digital_economy", "share"),
    ("占国内生产总值比重", "%", "", "", "", "share"),
    ("广义货币M2", "%", "增长", "", "money_supply", "growth"),
    ("高等教育毛入学率", "%", "达到", "", "higher_education_enrollment", "rate"),
    ("人均预期寿命", "岁", "提高", "", "life_expectancy", "level"),
    ("消费对经济增长的贡献率", "%", "", "", "", "rate"),
    ("中央预算内投资", "亿元", "", "", "central_budget_investment", "level"),
    ("减税", "万亿元", "", "", "tax_cuts", "level"),
    ("高速公路通车里程", "万公里", "", "", "expressway_mileage", "level"),
    ("高速铁路运营里程", "万公里", "", "", "high_speed_rail_mileage", "level"),
    ("城镇和农村居民人均可支配收入", "%", "增长", "", "", "growth"),
    ("城镇居民人均可支配收入和农村居民人均纯收入", "%", "增长", "", "", "growth"),
    # tests/data/corpus/provincial-2026
    ("高速公路通车里程", "万公里", "突破", "高速公路通车里程突破1万公里", "expressway_mileage", "level"),
    ("地表水国控断面水质优良比例", "%", "", "", "surface_water_quality", "rate"),
    ("入境游客", "万人次", "", "入境游客936万人次", "inbound_tourists", "level"),
    ("入境游客", "倍", "增长", "入境游客增长1倍", "inbound_tourists", "growth"),
    ("人均预期寿命", "岁", "提高到…左右", "人均预期寿命提高到78岁左右", "life_expectancy", "level"),
    ("天然气产量", "%", "增长", "天然气产量增长37.9%", "natural_gas_output", "growth"),
    ("万元生产总值用水量", "%", "下降", "万元生产总值用水量下降22%", "water_intensity", "growth"),
    ("社会消费品零售总额", "%", "增长…左右", "", "retail_sales", "growth"),
    ("人工智能核心产业营收", "亿元", "超过", "", "", "level"),
    ("数字经济核心产业营业收入", "%", "年均增长…以上", "", "", "growth"),
    ("为经营主体减负", "亿元", "以上", "力争为经营主体减负1000亿元以上", "", "level"),
    ("特色农牧业占农业总产值比重", "%", "超过", "", "", "share"),
    ("粮食产量", "亿斤", "保持…以上", "粮食产量继续保持500亿斤以上", "grain_output", "level"),
    ("电力总装机规模", "亿千瓦", "", "", "power_capacity", "level"),
    ("一般公共预算收入", "亿元", "增加到", "", "general_budget_revenue", "level"),
    ("建设高标准农田", "万亩", "", "建设高标准农田2556万亩", "high_standard_farmland", "level"),
    ("新能源汽车", "万辆", "增至", "其中新能源汽车由45万辆增至356万辆", "new_energy_vehicles", "level"),
    ("城镇新增就业", "万人", "", "城镇新增就业50万人", "urban_jobs", "level"),
    ("城镇低保平均标准", "%", "分别提高", "城乡低保平均标准分别提高26.7%", "", "growth"),
    ("船舶、电子专用材料、航空航天行业增加值", "%", "分别增长", "", "", "growth"),
    ("工业增加值", "万亿元", "提升到", "工业增加值提升到1.6万亿元", "total_industrial_value_added", "level"),
    ("三产增加值", "%", "增长…左右", "三产增加值增长5.5%左右", "tertiary_industry", "growth"),
    ("一二三产增加值", "%", "分别增长", "", "", "growth"),
    ("接待游客、旅游总花费", "%", "分别增长", "", "", "growth"),
    ("农村劳动力转移就业", "万人", "", "农村劳动力转移就业240万人", "rural_labor_transfer", "level"),
    ("调度原煤产量", "亿吨", "达", "调度原煤产量达1.83亿吨", "coal_output", "level"),
    ("全员劳动生产率", "万元", "达", "全员劳动生产率达58万元/人左右", "labor_productivity", "level"),
    ("政府投资基金支持民间投资项目的资金占比", "%", "不低于", "", "", "share"),
    ("上市公司再融资", "倍", "增长", "上市公司再融资增长5.4倍", "", "growth"),
    ("林木覆盖率、湿地保护率", "%", "", "", "", "rate"),
    ("民间投资占比", "%", "", "", "private_investment", "share"),
    ("民间投资占固定资产投资比重", "%", "", "", "private_investment", "share"),
    ("高技术制造业增加值占规模以上工业增加值比重", "%", "", "", "high_tech_manufacturing", "share"),
    ("实物商品网上零售额占社会消费品零售总额的比重", "%", "", "", "online_retail", "share"),
    ("民生支出占一般公共预算支出比重", "%", "", "", "livelihood_spending_share", "share"),
    ("税收占一般公共预算收入比重", "%", "", "", "tax_revenue", "share"),
    ("可再生能源装机占比", "%", "", "", "renewable_capacity", "share"),
    ("新能源装机占比", "%", "", "", "new_energy_capacity", "share"),
    ("常住人口城镇化率", "%", "达到", "", "urbanization_rate", "rate"),
    ("常住人口城镇化率", "百分点", "提高", "", "urbanization_rate", "points"),
    ("城乡居民收入比", "", "缩小到", "城乡居民收入比缩小到2.2", "urban_rural_income_ratio", "ratio"),
    ("城乡居民人均可支配收入", "%", "增长", "", "", "growth"),
    ("全体居民人均可支配收入", "万元", "", "", "disposable_income", "level"),
    ("居民人均可支配收入", "%", "增长", "", "disposable_income", "growth"),
    ("技术合同成交额", "亿元", "", "", "tech_contracts", "level"),
    ("高新技术企业", "万家", "", "", "high_tech_enterprises", "count"),
    ("科技型中小企业", "万家", "", "", "tech_smes", "count"),
    # 小巨人 are a few hundred national champions, not all 专精特新中小企业 (tens of thousands)
    ("专精特新“小巨人”企业", "家", "", "专精特新“小巨人”企业688家", "", "count"),  # guangdong-2026
    ("专精特新中小企业", "万家", "达…多", "专精特新中小企业达7万多家", "specialized_smes", "count"),  # national-2023
    ("规上工业企业", "万家", "", "", "industrial_enterprises", "count"),
    ("经营主体", "万户", "", "", "market_entities", "count"),
    ("新增上市公司", "家", "", "", "listed_companies", "count"),
    ("5G基站", "万座", "", "", "base_stations_5g", "count"),
    ("5G用户普及率", "%", "", "", "", "rate"),
    ("每万人高价值发明专利拥有量", "件", "", "", "invention_patents", "level"),  # per head: a level
    ("改造城镇老旧小区", "个", "", "", "old_residential_renovation", "count"),
    ("新建改建农村公路", "万公里", "", "", "rural_roads", "level"),
    ("港口集装箱吞吐量", "万标箱", "", "", "container_throughput", "level"),
    ("机场旅客吞吐量", "亿人次", "", "", "airport_passengers", "level"),
    ("中欧班列开行", "列", "", "", "china_europe_trains", "count"),
    ("PM2.5年均浓度", "微克/立方米", "", "", "pm25", "level"),
    ("PM2.5年均浓度", "%", "下降", "", "pm25", "growth"),
    ("细颗粒物年均浓度", "微克/立方米", "", "", "pm25", "level"),
    ("空气质量优良天数比例", "%", "", "", "good_air_days", "rate"),
    ("优良天数比例", "百分点", "提高", "", "good_air_days", "points"),
    ("婴幼儿托位数", "个", "", "", "", "count"),  # a number of places, not places per 1,000 people
    ("新增养老床位", "张", "", "", "elderly_care_beds", "count"),
    ("营造林", "万亩", "", "", "afforestation", "level"),
    ("农村卫生厕所普及率", "%", "", "", "rural_sanitary_toilets", "rate"),
    ("义务教育巩固率", "%", "", "", "compulsory_education_retention", "rate"),
    ("义务教育巩固率、高中阶段和高等教育毛入学率", "%", "", "", "", "rate"),
    ("基本医保参保率", "%", "稳定在", "", "medical_insurance", "rate"),
    ("基本养老保险、基本医疗保险参保率", "%", "", "", "", "rate"),
    ("办理人大代表建议", "件", "", "办理人大代表建议3623件", "", "count"),
    ("建成美丽河湖", "条", "", "累计建成美丽河湖30条", "", "count"),
    ("生猪、家禽年出栏量", "亿头", "", "", "", "level"),
    ("进出口总额", "亿美元", "", "", "foreign_trade", "level"),
    ("东盟、欧盟进出口", "%", "分别增长", "", "", "growth"),
    ("跨境电商进出口", "%", "增长", "", "", "growth"),
    ("社会消费品零售总额、固定资产投资", "%", "增长", "", "", "growth"),
    ("“新三样”出口", "%", "增长", "", "", "growth"),
    ("旅游总收入", "亿元", "", "", "tourism_revenue", "level"),
    ("接待游客", "亿人次", "", "", "tourism_visitors", "level"),
    ("研发经费", "%", "增长", "", "rd_spending", "growth"),
    ("规上工业单位增加值能耗", "%", "下降", "", "", "growth"),
    ("户籍人口城镇化率", "%", "", "", "", "rate"),
    ("民生实事", "件", "", "", "", "count"),
    # the head of a noun phrase is its end: overlapping aliases, the later one wins
    ("全社会研发经费投入强度", "%", "提高到…以上", "全社会研发经费投入强度从2.1%提高到2.5%以上", "rd_intensity", "rate"),  # national-2023
    ("全社会研发投入强度", "%", "达到…以上", "全社会研发投入强度达到3.5%以上", "rd_intensity", "rate"),  # provincial-2026/zhejiang
    ("沿线国家货物进出口额", "%", "年均增长", "对沿线国家货物进出口额年均增长13.4%", "", "growth"),  # national-2023
    # the measure must be one the indicator comes in
    ("民生支出", "亿元", "", "民生支出1041亿元", "", "level"),  # baoding-2025
    ("新增普惠性托位", "万个", "", "新增普惠性托位9万个", "", "count"),  # provincial-2026/henan
    ("高速公路", "条", "", "醴娄等7条高速公路建成通车", "", "count"),  # provincial-2026/hunan
    ("基本养老保险参保人数", "亿人", "", "覆盖10.5亿人", "", "level"),  # national-2023
    ("新增就业约占全国", "", "", "约占全国1/10", "", "share"),  # guangdong-2026
    ("地区生产总值高于全国", "百分点", "", "高于全国0.4个百分点", "", "points"),  # provincial-2026/beijing
    ("市场主体总量", "倍", "", "是十年前的3倍", "market_entities", "ratio"),  # national-2023
    ("5G基站", "倍", "增长", "5G基站增长4.3倍", "base_stations_5g", "growth"),  # provincial-2026/shandong
    ("新增医疗机构床位", "张", "超", "新增医疗机构床位超7000张", "hospital_beds", "count"),  # guangdong-2026
    ("每千人口托位数", "个", "", "每千人口托位数从0.5个增至4.8个", "childcare_places", "level"),  # provincial-2026/yunnan
    # a share word inside a modifier of a rate; a share of value added is the subject's
    ("增值税收入占比最高、涉及行业广泛的税率", "%", "降至", "涉及行业广泛的税率从17%降至13%", "", "rate"),  # national-2023
    ("战略性新兴产业占规上工业增加值比重", "%", "超过", "", "strategic_emerging_industries", "share"),  # provincial-2026/henan
    # a noun after the alias makes the figure about something else; parts of the region
    ("民间投资产业项目总投资", "亿元", "", "", "", "level"),  # laiyuan-2025
    ("照旺台棚改项目总投资", "亿元", "", "总投资12.6亿元的照旺台棚改项目加速推进", "", "level"),  # fuping-2021
    ("职业培训机构", "万个", "达到…多", "各类职业培训机构达到40多万个", "", "count"),  # national-1997
    ("大湾区经济总量", "万亿元", "突破", "预计大湾区经济总量突破15万亿元", "", "level"),  # guangdong-2026
    ("自贸试验区新设企业", "万家", "", "自贸试验区新设企业10.1万家", "", "count"),  # provincial-2026/henan
    ("园区规模工业增加值占全省比重", "%", "增至…以上", "", "", "share"),  # provincial-2026/hunan
    # a verb alone between 、 is no list item
    ("新建、改造农村公路", "公里", "", "改造农村公路32公里", "rural_roads", "level"),  # laiyuan-2025
    ("推动中欧班列拓线扩量、开行", "班次", "", "开行4000班次", "china_europe_trains", "count"),  # provincial-2026/henan
    # whole words, in their usual measure only
    ("人口", "亿人", "多", "14亿多人口大国保持就业稳定", "population", "level"),  # national-2023
    ("投资", "%", "增长…左右", "全年投资增长5%左右", "fixed_asset_investment", "growth"),  # guangdong-2026
    ("投资", "亿元", "", "投资44.5亿元", "", "level"),  # fuping-2021
    ("投资", "%", "", "投资完成率125.5%", "", "growth"),  # provincial-2026/zhejiang
    ("培训", "万人次", "多", "培训8300多万人次", "vocational_training", "level"),  # national-2023
    # aliases and excludes
    ("改造户厕", "座", "", "改造户厕23568座", "rural_sanitary_toilets", "count"),  # fuping-2021
    ("建设“四好农村路”", "万公里", "", "建设“四好农村路”3万公里", "rural_roads", "level"),  # guangdong-2026
    ("植树增绿", "万亩", "", "植树增绿48.5万亩", "afforestation", "level"),  # baoding-2025
    ("义务植树", "万株", "", "义务植树90万株", "", "level"),  # fuping-2021
    ("营造红树林", "公顷", "", "累计营造红树林4931公顷", "afforestation", "level"),  # guangdong-2026
    ("生猪", "万头", "稳定在", "家禽年出栏量分别稳定在3900万头", "pig_output", "level"),  # guangdong-2026
    ("农村劳动力培训", "人", "以上", "农村劳动力培训2000人以上", "vocational_training", "level"),  # fuping-2021
    ("民生类支出占一般公共预算支出", "成", "以上", "", "livelihood_spending_share", "share"),  # guangdong-2026
    ("农副产品加工业总产值", "亿元", "达到", "农副产品加工业总产值达到20亿元", "", "level"),  # fuping-2021
    ("新增劳动力平均受教育年限", "年", "提高到", "", "", "level"),  # national-2023
    ("科技型企业", "家", "不少于", "各类科技型企业不少于500家", "", "count"),  # laiyuan-2025
    ("每万人口发明专利拥有量", "件", "提高到", "每万人口发明专利拥有量从28件提高到70件", "", "level"),  # guangdong-2026
    ("热带特色高效农业增加值占农业比重", "%", "约", "", "", "share"),  # provincial-2026/hainan
    # measures: 成, count words, rate words, change words beside level markers
    ("无人机产量占全国", "成", "", "占全国9成", "", "share"),  # guangdong-2026
    ("重污染天数", "成", "下降超过", "重污染天数下降超过五成", "", "growth"),  # national-2023
    ("城乡社区", "成", "以上", "养老助餐点覆盖九成以上城乡社区", "", "share"),  # provincial-2026/beijing
    ("赛事", "场", "余", "举办“保马”等赛事千余场", "", "count"),  # baoding-2025
    ("文艺下乡活动", "场次", "以上", "年内开展文艺下乡活动200场次以上", "", "count"),  # fuping-2021
    ("突击检查", "次", "", "全年开展突击检查169次", "", "count"),  # laiyuan-2025
    ("快递业务量", "亿件", "", "快递业务量22.3亿件", "express_delivery", "level"),  # baoding-2025
    ("移动互联网用户数", "亿户", "增加到", "移动互联网用户数增加到14.5亿户", "", "level"),  # national-2023
    ("空气质量综合指数", "", "", "空气质量综合指数4.463", "", "level"),  # baoding-2025
    ("研发投入增长率", "%", "保持在…以上", "确保研发投入增长率保持在10%以上", "rd_spending", "growth"),  # laiyuan-2025
    ("人口自然增长率", "‰", "", "", "population_growth_rate", "rate"),
    ("关税总水平", "%", "降至", "关税总水平从9.8%降至7.4%", "", "rate"),  # national-2023
    ("项目区农民满意度", "%", "不低于", "项目区农民满意度不低于80%", "", "rate"),  # guangdong-2026
    ("智慧设施配比", "%", "达到", "通讯设备等智慧设施配比达到20%", "", "rate"),  # provincial-2026/jilin
    ("居民消费价格总水平", "%", "上升", "居民消费价格总水平上升0.7%", "cpi", "growth"),  # national/2002
    ("居民消费价格", "%", "涨幅稳定在…左右", "", "cpi", "growth"),  # national-2023
    ("装备制造业增加值", "%", "", "7.9%", "", "growth"),  # national-2023
    ("中央一般公共预算支出中对地方转移支付", "%", "占比提高到…左右", "", "", "share"),  # national-2023
]


@pytest.mark.parametrize(("indicator", "unit", "qualifier", "clause", "wanted", "measure"), CASES)
def test_classify(
    indicator: str, unit: str, qualifier: str, clause: str, wanted: str, measure: str
) -> None:
    assert classify(indicator, unit, qualifier, clause) == (wanted, measure)


# Cases that need where the value sits in its clause, or the sentence around the clause:
# (indicator, unit, qualifier, clause, value, sentence) → (catalogue id, measure).
CONTEXT_CASES: list[tuple[str, str, str, str, str, str, str, str]] = [
    # a value followed by 的 + the whole, or by 用于: a share (and what the money is spent on)
    ("乡镇有养老服务中心", "%", "", "60%的乡镇有养老服务中心", "60%", "", "", "share"),  # baoding-2025
    ("政务服务", "%", "以上", "90%以上的政务服务实现网上可办", "90%以上", "", "", "share"),  # national-2023
    ("一般预算支出用于民生事业", "%", "", "一般预算支出的89.1%用于民生事业", "89.1%", "", "livelihood_spending_share", "share"),  # laiyuan-2025
    ("财政支出", "成", "以上", "全市财政支出八成以上投向民生领域", "八成以上", "", "livelihood_spending_share", "share"),  # provincial-2026/beijing
    ("居民消费价格", "%", "涨幅稳定在…左右", "十年来我国居民消费价格涨幅稳定在2%左右的较低水平", "2%左右", "", "cpi", "growth"),  # national-2023
    ("税率", "%", "降至", "将制造业等行业现行16%的税率降至13%", "13%", "", "", "rate"),  # national/2019
    # 分别: the n-th value is the n-th item's, borrowing the head or the modifier it lacks
    ("城乡居民基本养老保险和基本医疗保险参保率", "%", "达到", "城乡居民基本养老保险和基本医疗保险参保率分别达到98%和96%以上", "98%", "", "pension_insurance", "rate"),  # fuping-2021
    ("城乡居民基本养老保险和基本医疗保险参保率", "%", "以上", "城乡居民基本养老保险和基本医疗保险参保率分别达到98%和96%以上", "96%以上", "", "medical_insurance", "rate"),  # fuping-2021
    ("单位国内生产总值能耗和二氧化碳排放", "%", "", "单位国内生产总值能耗和二氧化碳排放分别降低16%和17%", "17%", "", "carbon_intensity", "growth"),  # national/2011
    ("居民医保和基本公共卫生服务经费人均财政补助标准", "元", "", "居民医保和基本公共卫生服务经费人均财政补助标准分别再提高30元和5元", "5元", "", "public_health_subsidy", "level"),  # national-2025
    ("水泥和化肥", "亿吨", "达到", "水泥和化肥（折纯）分别达到2.48亿吨和1988万吨", "2.48亿吨", "", "cement_output", "level"),  # national/1992
    ("农村自来水、卫生户厕普及率", "%", "分别达到", "农村自来水、卫生户厕普及率分别达到90%和95%", "95%", "", "rural_sanitary_toilets", "rate"),
    ("三次产业比重", "", "", "三次产业比重为4.0∶37.7∶58.3", "37.7", "", "secondary_industry", "share"),  # guangdong-2026
    # a bare head noun opening its clause borrows the modifier of the item before it
    ("产量", "万吨", "以上", "产量1285万吨以上", "1285万吨以上", "大面积推广水稻合理密植，实现粮食播种面积3320万亩、产量1285万吨以上。", "grain_output", "level"),  # guangdong-2026
    ("二氧化碳排放", "%", "下降", "二氧化碳排放下降14.1%", "14.1%", "单位国内生产总值能耗下降8.1%、二氧化碳排放下降14.1%。", "carbon_intensity", "growth"),  # national-2023
    ("增加值", "%", "增长", "增加值增长3%", "3%", "规模以上工业企业达7.6万家、增加值增长3%，巴斯夫核心装置建成投产。", "industrial_value_added", "growth"),  # guangdong-2026
    ("产量", "亿立方米", "突破", "力争产量突破200亿立方米", "200亿立方米", "推动大吉煤层气田等项目建设，力争产量突破200亿立方米、投资超120亿元。", "", "level"),  # provincial-2026/shanxi
    # thresholds and value-first predicates
    ("人口", "万人", "", "每10万人口高等教育平均在校生增长27%", "10万人", "", "", "level"),  # provincial-2026/hainan
    ("贫困人口", "万", "多", "960多万贫困人口实现易地搬迁", "960多万", "", "", "level"),  # national-2023
]


@pytest.mark.parametrize(
    ("indicator", "unit", "qualifier", "clause", "value", "sentence", "wanted", "measure"),
    CONTEXT_CASES,
)
def test_classify_in_context(
    indicator: str,
    unit: str,
    qualifier: str,
    clause: str,
    value: str,
    sentence: str,
    wanted: str,
    measure: str,
) -> None:
    assert classify(indicator, unit, qualifier, clause, value, sentence) == (wanted, measure)


def test_there_are_enough_hand_written_cases() -> None:
    assert len(CASES) >= 120
    assert sum(1 for case in CASES if case[4] == "") >= 30  # nothing-fits cases


@pytest.mark.parametrize(
    ("indicator", "wanted"),
    [
        # the traps the brief names
        ("人均地区生产总值", "gdp_per_capita"),
        ("单位地区生产总值能耗", "energy_intensity"),
        ("第三产业增加值", "tertiary_industry"),
        ("研发经费投入占地区生产总值比重", "rd_intensity"),
        ("全县地区生产总值", "gdp"),
        ("社零额", "retail_sales"),
        ("外贸进出口", "foreign_trade"),
        ("实际利用外资", "foreign_investment"),
        ("新增城镇就业", "urban_jobs"),
        ("居民消费价格涨幅", "cpi"),
        ("CPI", "cpi"),
        ("地方一般公共预算收入", "general_budget_revenue"),
        ("单位GDP能耗", "energy_intensity"),
        ("能耗强度", "energy_intensity"),
        ("专项债", "special_bonds"),
    ],
)
def test_brief_traps(indicator: str, wanted: str) -> None:
    assert classify(indicator, "%", "", "")[0] == wanted


@pytest.mark.parametrize(
    ("unit", "qualifier", "measure"),
    [
        ("百分点", "提高", "points"),
        ("%", "增长", "growth"),
        ("%", "下降", "growth"),
        ("亿元", "", "level"),
        ("个", "", "count"),
        ("万家", "", "count"),
        ("所", "新建", "count"),
        ("倍", "", "ratio"),
        ("倍", "增长", "growth"),
        ("吨", "", "level"),
        ("", "", ""),
    ],
)
def test_measure_from_the_unit_alone(unit: str, qualifier: str, measure: str) -> None:
    assert classify("某某指标", unit, qualifier, "")[1] == measure

"""The region gazetteer: data, lookup, typos, mentions in text, groups, and report regions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.facts import regions
from bot.facts.regions import gazetteer, resolve_report
from bot.report import parse_bytes, parse_file

ROOT = Path(__file__).parent.parent

# Every province-level division: id, full name, short form, pinyin, English (written by hand).
PROVINCES = [
    ("cn.beijing", "北京市", "北京", "beijing", "Beijing"),
    ("cn.tianjin", "天津市", "天津", "tianjin", "Tianjin"),
    ("cn.hebei", "河北省", "河北", "hebei", "Hebei"),
    ("cn.shanxi", "山西省", "山西", "shanxi", "Shanxi"),
    ("cn.neimenggu", "内蒙古自治区", "内蒙古", "nei menggu", "Inner Mongolia"),
    ("cn.liaoning", "辽宁省", "辽宁", "liaoning", "Liaoning"),
    ("cn.jilin", "吉林省", "吉林", "jilin", "Jilin"),
    ("cn.heilongjiang", "黑龙江省", "黑龙江", "heilongjiang", "Heilongjiang"),
    ("cn.shanghai", "上海市", "上海", "shanghai", "Shanghai"),
    ("cn.jiangsu", "江苏省", "江苏", "jiangsu", "Jiangsu"),
    ("cn.zhejiang", "浙江省", "浙江", "zhejiang", "Zhejiang"),
    ("cn.anhui", "安徽省", "安徽", "anhui", "Anhui"),
    ("cn.fujian", "福建省", "福建", "fujian", "Fujian"),
    ("cn.jiangxi", "江西省", "江西", "jiangxi", "Jiangxi"),
    ("cn.shandong", "山东省", "山东", "shandong", "Shandong"),
    ("cn.henan", "河南省", "河南", "henan", "Henan"),
    ("cn.hubei", "湖北省", "湖北", "hubei", "Hubei"),
    ("cn.hunan", "湖南省", "湖南", "hunan", "Hunan"),
    ("cn.guangdong", "广东省", "广东", "guangdong", "Guangdong"),
    ("cn.guangxi", "广西壮族自治区", "广西", "guangxi", "Guangxi"),
    ("cn.hainan", "海南省", "海南", "hainan", "Hainan"),
    ("cn.chongqing", "重庆市", "重庆", "chongqing", "Chongqing"),
    ("cn.sichuan", "四川省", "四川", "si chuan", "Sichuan"),
    ("cn.guizhou", "贵州省", "贵州", "guizhou", "Guizhou"),
    ("cn.yunnan", "云南省", "云南", "yunnan", "Yunnan"),
    ("cn.xizang", "西藏自治区", "西藏", "xizang", "Tibet"),
    ("cn.shaanxi", "陕西省", "陕西", "shaanxi", "Shaanxi"),
    ("cn.gansu", "甘肃省", "甘肃", "gansu", "Gansu"),
    ("cn.qinghai", "青海省", "青海", "qinghai", "Qinghai"),
    ("cn.ningxia", "宁夏回族自治区", "宁夏", "ningxia", "Ningxia"),
    ("cn.xinjiang", "新疆维吾尔自治区", "新疆", "xinjiang", "Xinjiang"),
    ("cn.hongkong", "香港特别行政区", "香港", "xianggang", "Hong Kong"),
    ("cn.macao", "澳门特别行政区", "澳门", "aomen", "Macao"),
    ("cn.taiwan", "台湾省", "台湾", "taiwan", "Taiwan"),
]


# --- data ----------------------------------------------------------------------------------------


def test_levels_are_complete() -> None:
    g = gazetteer()
    by_level: dict[str, int] = {}
    for region in g.regions.values():
        by_level[region.level] = by_level.get(region.level, 0) + 1
    assert by_level["national"] == 1
    assert by_level["provincial"] == 34
    assert by_level["city"] == 333  # 293 cities, 30 自治州, 7 地区, 3 盟
    assert {r.id for r in g.children("cn")} == {p[0] for p in PROVINCES}
    assert len(g.children("cn.hebei.baoding")) == 24
    assert {r.name for r in g.children("cn.xinjiang.kezilesu")} == {
        "阿图什市",
        "阿克陶县",
        "阿合奇县",
        "乌恰县",
    }


def test_ids_show_the_parent_chain() -> None:
    for region in gazetteer().regions.values():
        assert region.id.isascii() and region.id == region.id.lower()
        if region.parent is not None:
            assert region.id.startswith(region.parent + "."), region.id
            assert gazetteer().get(region.parent) is not None
        assert region.name and region.pinyin and region.en, region.id


def test_every_prefecture_sits_in_a_province() -> None:
    g = gazetteer()
    for region in g.regions.values():
        if region.level == "city":
            assert g.level(region.parent or "") == "provincial", region.id


@pytest.mark.parametrize(
    ("name", "pinyin"),
    [
        ("重庆市", "chongqing"),
        ("长沙市", "changsha"),
        ("厦门市", "xiamen"),
        ("蚌埠市", "bengbu"),
        ("六安市", "lu'an"),
        ("乐山市", "leshan"),
        ("涞源县", "laiyuan"),
        ("长治市", "changzhi"),
        ("漯河市", "luohe"),
        ("西安市", "xi'an"),
        ("乌恰县", "wuqia"),
    ],
)
def test_polyphones_are_read_as_place_names(name: str, pinyin: str) -> None:
    region = gazetteer().lookup(name)
    assert region is not None and region.pinyin == pinyin


def test_dingzhou_special_status_is_noted() -> None:
    dingzhou = gazetteer().lookup("定州市")
    assert dingzhou is not None and dingzhou.parent == "cn.hebei.baoding"
    assert "直管" in dingzhou.note


def test_loading_is_cheap() -> None:
    start = time.perf_counter()
    regions.load()
    assert time.perf_counter() - start < 0.2


# --- lookup --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rid", "name", "short", "pinyin", "en"), PROVINCES)
def test_every_province_by_every_name(
    rid: str, name: str, short: str, pinyin: str, en: str
) -> None:
    g = gazetteer()
    for word in (name, short, pinyin, pinyin.upper(), en, en.lower(), f"{en} Province"):
        found = g.lookup(word)
        assert found is not None and found.id == rid, word
    assert g.get(rid).name == name  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("word", "rid"),
    [
        ("全国", "cn"),
        ("中国", "cn"),
        ("China", "cn"),
        ("Sichuan", "cn.sichuan"),
        ("si chuan", "cn.sichuan"),
        ("nei menggu", "cn.neimenggu"),
        ("Inner Mongolia", "cn.neimenggu"),
        ("Guangdong Province", "cn.guangdong"),
        ("Xinjiang Uygur Autonomous Region", "cn.xinjiang"),
        ("Macau", "cn.macao"),
        ("廣東", "cn.guangdong"),
        ("廣東省", "cn.guangdong"),
        ("臺灣", "cn.taiwan"),
        ("陝西", "cn.shaanxi"),
        ("保定", "cn.hebei.baoding"),
        ("保定市", "cn.hebei.baoding"),
        ("Baoding", "cn.hebei.baoding"),
        ("吉林市", "cn.jilin.jilin"),
        ("海南州", "cn.qinghai.hainan"),
        ("克州", "cn.xinjiang.kezilesu"),
        ("Kashgar", "cn.xinjiang.kashi"),
        ("河北省保定市顺平县", "cn.hebei.baoding.shunping"),
    ],
)
def test_lookup(word: str, rid: str) -> None:
    found = gazetteer().lookup(word)
    assert found is not None and found.id == rid, word


def test_shunping_and_its_ancestors() -> None:
    g = gazetteer()
    for word in ("顺平", "顺平县", "shunping"):
        found = g.lookup(word)
        assert found is not None and found.id == "cn.hebei.baoding.shunping"
    ancestors = [r.name for r in g.ancestors("cn.hebei.baoding.shunping")]
    assert ancestors == ["保定市", "河北省", "全国"]
    assert g.within("cn.hebei.baoding.shunping", "cn.hebei")
    assert g.within("cn.hebei", "cn.hebei")
    assert not g.within("cn.hebei.baoding.shunping", "cn.shanxi")
    assert g.parent("cn.hebei.baoding.shunping").id == "cn.hebei.baoding"  # type: ignore[union-attr]


def test_the_senior_region_wins_and_ties_give_none() -> None:
    g = gazetteer()
    assert g.lookup("吉林").id == "cn.jilin"  # type: ignore[union-attr]
    assert g.lookup("海南").id == "cn.hainan"  # type: ignore[union-attr]
    assert g.lookup("yichun") is None  # 伊春 and 宜春
    assert g.lookup("taizhou") is None  # 泰州 and 台州
    assert g.lookup("火星") is None


def test_one_character_abbreviations_only_when_asked() -> None:
    g = gazetteer()
    assert g.lookup("川") is None
    assert g.lookup("川", single=True).id == "cn.sichuan"  # type: ignore[union-attr]
    assert g.lookup("粤", single=True).id == "cn.guangdong"  # type: ignore[union-attr]


# --- typos ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "rid"),
    [
        ("新彊", "cn.xinjiang"),
        ("广洲", "cn.guangdong.guangzhou"),
        ("廣州", "cn.guangdong.guangzhou"),
        ("河男", "cn.henan"),
        ("湖喃", "cn.hunan"),
        ("保订", "cn.hebei.baoding"),
    ],
)
def test_fuzzy_forgives_one_homophone(typed: str, rid: str) -> None:
    found = gazetteer().fuzzy(typed)
    assert found is not None and found.id == rid


def test_a_valid_name_is_never_corrected() -> None:
    g = gazetteer()
    for name, rid in (("河南", "cn.henan"), ("湖南", "cn.hunan"), ("山西", "cn.shanxi")):
        assert g.lookup(name).id == rid  # type: ignore[union-attr]
        assert g.fuzzy(name).id == rid  # type: ignore[union-attr]
    assert g.lookup("陕西").id == "cn.shaanxi"  # type: ignore[union-attr]
    assert g.fuzzy("陕西").id == "cn.shaanxi"  # type: ignore[union-attr]


def test_fuzzy_refuses_what_is_not_a_typo() -> None:
    g = gazetteer()
    assert g.fuzzy("火星") is None
    assert g.fuzzy("富平") is None  # a real county elsewhere, not a typo of 阜平
    assert g.fuzzy("就业") is None


# --- mentions in text ----------------------------------------------------------------------------


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[a:b], r.id) for a, b, r in gazetteer().find(text)]


def test_find_longest_first_without_overlaps() -> None:
    assert _found("湖南省和湖南的GDP") == [("湖南省", "cn.hunan"), ("湖南", "cn.hunan")]
    assert _found("山西与陕西") == [("山西", "cn.shanxi"), ("陕西", "cn.shaanxi")]
    assert _found("河北省保定市顺平县") == [
        ("河北省", "cn.hebei"),
        ("保定市", "cn.hebei.baoding"),
        ("顺平县", "cn.hebei.baoding.shunping"),
    ]
    assert _found("吉林和吉林省") == [("吉林", "cn.jilin"), ("吉林省", "cn.jilin")]


def test_find_skips_ordinary_words() -> None:
    assert _found("四川人来川") == [("四川", "cn.sichuan")]  # 川 alone is not matched
    assert _found("长安街和平路新华书店") == []
    assert _found("世界大同，长治久安，各位来宾，幸福安康") == []
    assert _found("大同市的GDP") == [("大同市", "cn.shanxi.datong")]
    assert _found("满城区和满城") == [("满城区", "cn.hebei.baoding.mancheng")]
    assert _found("平安新疆") == [("新疆", "cn.xinjiang")]  # not 安新 (a county)
    assert _found("顺平和乌恰") == [
        ("顺平", "cn.hebei.baoding.shunping"),
        ("乌恰", "cn.xinjiang.kezilesu.wuqia"),
    ]


def test_find_latin_words() -> None:
    text = "GDP of Guangdong Province, si chuan and Inner Mongolia"
    assert _found(text) == [
        ("Guangdong Province", "cn.guangdong"),
        ("si chuan", "cn.sichuan"),
        ("Inner Mongolia", "cn.neimenggu"),
    ]


# --- groups --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "gid", "size"),
    [
        ("东部", "east", 10),
        ("东部地区", "east", 10),
        ("东部省份", "east", 10),
        ("中部", "central", 6),
        ("西部地区", "west", 12),
        ("东北", "northeast", 3),
        ("长三角", "yangtze_delta", 4),
        ("长江三角洲", "yangtze_delta", 4),
        ("Yangtze River Delta", "yangtze_delta", 4),
        ("京津冀", "jingjinji", 3),
        ("大湾区", "greater_bay_area", 3),
        ("粤港澳", "greater_bay_area", 3),
        ("成渝", "chengyu", 2),
    ],
)
def test_groups(word: str, gid: str, size: int) -> None:
    group = gazetteer().group(word)
    assert group is not None and group.id == gid
    members = gazetteer().members(group)
    assert len(members) == size and all(m.level == "provincial" for m in members)


def test_the_four_big_regions_cover_the_mainland_once() -> None:
    g = gazetteer()
    covered = [m.id for gid in ("east", "central", "west", "northeast") for m in g.members(gid)]
    assert len(covered) == len(set(covered)) == 31


# --- report regions ------------------------------------------------------------------------------

REPORTS = [
    ("seeds/wuqia-2022.txt", "cn.xinjiang.kezilesu.wuqia", "乌恰县", "county"),
    ("tests/data/reports/baoding-2025.txt", "cn.hebei.baoding", "保定市", "city"),
    ("tests/data/reports/fuping-2021.txt", "cn.hebei.baoding.fuping", "阜平县", "county"),
    ("tests/data/reports/laiyuan-2025.txt", "cn.hebei.baoding.laiyuan", "涞源县", "county"),
    ("tests/data/reports/guangdong-2026.txt", "cn.guangdong", "广东省", "provincial"),
    ("tests/data/reports/national-1997.txt", "cn", "全国", "national"),
    ("tests/data/reports/national-2023.txt", "cn", "全国", "national"),
    ("tests/data/reports/national-2025.txt", "cn", "全国", "national"),
]


@pytest.mark.parametrize(("path", "rid", "name", "level"), REPORTS)
def test_real_reports_get_their_canonical_region(
    path: str, rid: str, name: str, level: str
) -> None:
    report = parse_file(ROOT / path)
    assert (report.meta.region_id, report.meta.region, report.meta.level) == (rid, name, level)
    assert all(f.region_id == rid and f.region == name for f in report.figures)
    assert not any(w.startswith("region ") for w in report.warnings)


NATIONAL = sorted((ROOT / "tests/data/corpus/national").glob("*.txt"))
PROVINCIAL = sorted((ROOT / "tests/data/corpus/provincial-2026").glob("*.txt"))


@pytest.mark.parametrize("path", NATIONAL, ids=[p.name for p in NATIONAL])
def test_national_corpus_is_the_nation(path: Path) -> None:
    meta = parse_file(path).meta
    assert (meta.region_id, meta.region, meta.level) == ("cn", "全国", "national")


@pytest.mark.parametrize("path", PROVINCIAL, ids=[p.name for p in PROVINCIAL])
def test_provincial_corpus_is_its_province(path: Path) -> None:
    report = parse_file(path)
    expected = gazetteer().get(f"cn.{path.stem}")
    assert expected is not None
    assert (report.meta.region_id, report.meta.region) == (expected.id, expected.name)
    assert report.meta.level == "provincial"


def test_resolution_order_title_text_file_name() -> None:
    region, source = resolve_report("2023年顺平县政府工作报告", "各位代表：", "baoding-2023.txt")
    assert (region.id, source) == ("cn.hebei.baoding.shunping", "title")  # type: ignore[union-attr]
    text = "政府工作报告\n——2024年1月8日在保定市第十六届人民代表大会第二次会议上\n各位代表："
    region, source = resolve_report("政府工作报告", text, "hebei.txt")
    assert (region.id, source) == ("cn.hebei.baoding", "text")  # type: ignore[union-attr]
    region, source = resolve_report("", "各位代表：\n正文。", "provincial-2026/beijing.txt")
    assert (region.id, source) == ("cn.beijing", "file name")  # type: ignore[union-attr]
    region, source = resolve_report("", "各位代表：\n现在，我代表国务院，向大会报告工作。", "x.txt")
    assert (region.id, source) == ("cn", "text")  # type: ignore[union-attr]
    assert resolve_report("", "各位代表：\n正文。", "upload.txt") == (None, "")


def test_a_place_the_gazetteer_lacks_is_not_replaced_by_its_parent() -> None:
    region, _ = resolve_report("2023年上海市奉贤区政府工作报告", "各位代表：", "shanghai.txt")
    assert region is None
    text = "2023年上海市奉贤区政府工作报告\n各位代表：\n一、2022年工作回顾\n正文。\n"
    report = parse_bytes(text.encode(), "shanghai-2023.txt")
    assert report.meta.region == "上海市奉贤区" and report.meta.region_id == ""
    assert report.meta.level == "county"
    assert "region 上海市奉贤区 is not in the gazetteer" in report.warnings


def test_a_report_without_a_region_says_so() -> None:
    report = parse_bytes("各位代表：\n今年的工作很多。\n".encode(), "upload.txt")
    assert report.meta.region_id == "" and report.meta.level == "unknown"
    assert "region not found in the text or the file name" in report.warnings

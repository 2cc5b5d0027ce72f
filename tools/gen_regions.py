# ruff: noqa: E501  (embeds TOML text and long data tables)
"""One-off generator of bot/facts/regions.toml (dev-time only; the bot never runs it).

    python tools/gen_regions.py ADCODES.csv > bot/facts/regions.toml

ADCODES.csv is a GB/T 2260 table with the columns adcode,name (the one the cpca packages ship
is fine). Provinces, their short forms and English names are written out below by hand; the
prefecture-level divisions (about 333) come from the table; counties only for the areas our
reports come from (保定市, 克孜勒苏柯尔克孜自治州). Pinyin is generated with pypinyin and
corrected where place names read differently from ordinary words (长治 chang-, 朝阳 chao-,
漯河 luo-, 六安 lu'an …). The generated file is the data: edit it by hand from then on, and use
this script only to regenerate from scratch.
"""

from __future__ import annotations

import csv
import sys

from pypinyin import Style, lazy_pinyin

# id, full name, short forms (one-character forms last), pinyin, English, extra aliases
PROVINCES: list[tuple[str, str, list[str], str, str, list[str]]] = [
    ("beijing", "北京市", ["北京", "京"], "beijing", "Beijing", ["Peking"]),
    ("tianjin", "天津市", ["天津", "津"], "tianjin", "Tianjin", []),
    ("hebei", "河北省", ["河北", "冀"], "hebei", "Hebei", []),
    ("shanxi", "山西省", ["山西", "晋"], "shanxi", "Shanxi", []),
    ("neimenggu", "内蒙古自治区", ["内蒙古", "内蒙", "蒙"], "neimenggu", "Inner Mongolia",
     ["Nei Mongol", "Inner Mongolia Autonomous Region"]),
    ("liaoning", "辽宁省", ["辽宁", "辽"], "liaoning", "Liaoning", []),
    ("jilin", "吉林省", ["吉林", "吉"], "jilin", "Jilin", []),
    ("heilongjiang", "黑龙江省", ["黑龙江", "黑"], "heilongjiang", "Heilongjiang", []),
    ("shanghai", "上海市", ["上海", "沪", "申"], "shanghai", "Shanghai", []),
    ("jiangsu", "江苏省", ["江苏", "苏"], "jiangsu", "Jiangsu", []),
    ("zhejiang", "浙江省", ["浙江", "浙"], "zhejiang", "Zhejiang", []),
    ("anhui", "安徽省", ["安徽", "皖"], "anhui", "Anhui", []),
    ("fujian", "福建省", ["福建", "闽"], "fujian", "Fujian", []),
    ("jiangxi", "江西省", ["江西", "赣"], "jiangxi", "Jiangxi", []),
    ("shandong", "山东省", ["山东", "鲁"], "shandong", "Shandong", []),
    ("henan", "河南省", ["河南", "豫"], "henan", "Henan", []),
    ("hubei", "湖北省", ["湖北", "鄂"], "hubei", "Hubei", []),
    ("hunan", "湖南省", ["湖南", "湘"], "hunan", "Hunan", []),
    ("guangdong", "广东省", ["广东", "粤"], "guangdong", "Guangdong", ["Canton Province"]),
    ("guangxi", "广西壮族自治区", ["广西", "桂"], "guangxi", "Guangxi",
     ["Guangxi Zhuang Autonomous Region"]),
    ("hainan", "海南省", ["海南", "琼"], "hainan", "Hainan", []),
    ("chongqing", "重庆市", ["重庆", "渝"], "chongqing", "Chongqing", []),
    ("sichuan", "四川省", ["四川", "川", "蜀"], "sichuan", "Sichuan", ["Szechuan", "Szechwan"]),
    ("guizhou", "贵州省", ["贵州", "黔", "贵"], "guizhou", "Guizhou", []),
    ("yunnan", "云南省", ["云南", "滇", "云"], "yunnan", "Yunnan", []),
    ("xizang", "西藏自治区", ["西藏", "藏"], "xizang", "Tibet",
     ["Xizang", "Tibet Autonomous Region", "Xizang Autonomous Region"]),
    ("shaanxi", "陕西省", ["陕西", "陕", "秦"], "shaanxi", "Shaanxi", []),
    ("gansu", "甘肃省", ["甘肃", "甘", "陇"], "gansu", "Gansu", []),
    ("qinghai", "青海省", ["青海", "青"], "qinghai", "Qinghai", []),
    ("ningxia", "宁夏回族自治区", ["宁夏", "宁"], "ningxia", "Ningxia",
     ["Ningxia Hui Autonomous Region"]),
    ("xinjiang", "新疆维吾尔自治区", ["新疆", "新"], "xinjiang", "Xinjiang",
     ["Xinjiang Uygur Autonomous Region", "Xinjiang Uyghur Autonomous Region", "Sinkiang"]),
    ("hongkong", "香港特别行政区", ["香港", "港"], "xianggang", "Hong Kong",
     ["Hongkong", "Hong Kong SAR", "HKSAR"]),
    ("macao", "澳门特别行政区", ["澳门", "澳"], "aomen", "Macao", ["Macau", "Macao SAR"]),
    ("taiwan", "台湾省", ["台湾", "台"], "taiwan", "Taiwan", []),
]  # fmt: skip

# adcode prefix → province id (the first two digits of GB/T 2260).
PROVINCE_CODES = {
    "11": "beijing", "12": "tianjin", "13": "hebei", "14": "shanxi", "15": "neimenggu",
    "21": "liaoning", "22": "jilin", "23": "heilongjiang", "31": "shanghai", "32": "jiangsu",
    "33": "zhejiang", "34": "anhui", "35": "fujian", "36": "jiangxi", "37": "shandong",
    "41": "henan", "42": "hubei", "43": "hunan", "44": "guangdong", "45": "guangxi",
    "46": "hainan", "50": "chongqing", "51": "sichuan", "52": "guizhou", "53": "yunnan",
    "54": "xizang", "61": "shaanxi", "62": "gansu", "63": "qinghai", "64": "ningxia",
    "65": "xinjiang", "71": "taiwan", "81": "hongkong", "82": "macao",
}  # fmt: skip

# Place names read differently from the same characters in ordinary words.
PINYIN_WORDS = {
    "长治": "changzhi", "朝阳": "chaoyang", "漯河": "luohe", "六安": "lu'an",
    "克孜勒苏": "kezilesu", "阿图什": "atushi", "望都": "wangdu", "乐山": "leshan",
    "蚌埠": "bengbu", "厦门": "xiamen", "重庆": "chongqing", "长沙": "changsha",
    "涞源": "laiyuan", "大理": "dali", "昌都": "changdu", "都匀": "duyun",
    "吐鲁番": "tulufan", "亳州": "bozhou", "台州": "taizhou", "蔚县": "yuxian",
    "长春": "changchun", "长白": "changbai", "藏族": "zangzu", "巴音郭楞": "bayinguoleng",
    "东阿": "dong'e", "锡林郭勒": "xilinguole", "阿勒泰": "aletai", "曲靖": "qujing", "曲阳": "quyang", "济南": "jinan", "济宁": "jining",
}  # fmt: skip

# Conventional English names where they differ from the pinyin.
ENGLISH = {
    "哈尔滨": "Harbin", "乌鲁木齐": "Urumqi", "呼和浩特": "Hohhot", "拉萨": "Lhasa",
    "喀什": "Kashgar", "日喀则": "Shigatse", "和田": "Hotan", "阿勒泰": "Altay",
    "吐鲁番": "Turpan", "克拉玛依": "Karamay", "伊犁": "Ili", "阿克苏": "Aksu",
    "博尔塔拉": "Bortala", "巴音郭楞": "Bayingolin", "克孜勒苏": "Kizilsu",
    "林芝": "Nyingchi", "昌都": "Qamdo", "那曲": "Nagqu", "阿里": "Ngari",
    "锡林郭勒": "Xilingol", "阿拉善": "Alxa", "呼伦贝尔": "Hulunbuir", "鄂尔多斯": "Ordos",
    "巴彦淖尔": "Bayannur", "乌兰察布": "Ulanqab", "兴安": "Hinggan", "甘孜": "Garze",
    "阿坝": "Ngawa", "阿图什": "Artux", "阿克陶": "Akto", "阿合奇": "Akqi",
    "乌恰": "Wuqia", "塔城": "Tacheng", "哈密": "Hami", "昌吉": "Changji",
    "海东": "Haidong", "玉树": "Yushu", "果洛": "Golog", "海西": "Haixi",
}  # fmt: skip

# Other names for prefecture-level divisions (traditional abbreviations used in reports).
PREFECTURE_ALIASES = {
    "克孜勒苏": ["克州", "Kizilsu Kirghiz Autonomous Prefecture"],
    "博尔塔拉": ["博州"], "巴音郭楞": ["巴州"], "西双版纳": ["版纳"],
}  # fmt: skip

# Short forms of prefecture-level divisions that are also ordinary words: `find` skips them in
# running text (大同 in 世界大同, 长治 in 长治久安, 安康 in 幸福安康, 来宾 in 各位来宾 …);
# the full name (大同市) and a whole-word lookup still work.
COMMON_WORDS = {
    "大同", "长治", "安康", "朝阳", "白山", "白银", "日照", "中山", "北海", "来宾", "阿里",
    "文山", "大理", "海北", "山南", "开封", "玉树", "红河", "怒江", "黄山", "兴安", "海西",
    "普洱", "河源", "四平", "大庆", "黑河", "安顺", "新乡", "汉中",
}  # fmt: skip

ETHNIC = (
    "柯尔克孜", "哈萨克", "蒙古族", "蒙古", "朝鲜族", "土家族", "布依族", "傈僳族", "哈尼族",
    "景颇族", "苗族", "侗族", "藏族", "羌族", "彝族", "壮族", "傣族", "白族", "回族",
)  # fmt: skip

# The counties and districts of the areas our reports come from. (code, safe short form in
# running text?) — short forms that are also ordinary words (满城 whole city, 竞秀, 安新 inside
# 平安新疆, 安国 inside 平安国家, 莲池) stay out of `find`; one-character ones (易县) have none.
COUNTY_FIND_SAFE = {
    "顺平", "阜平", "涞源", "涞水", "涿州", "定州", "高碑店", "徐水", "清苑", "定兴", "容城",
    "望都", "曲阳", "博野", "高阳", "乌恰", "阿图什", "阿克陶", "阿合奇",
}  # fmt: skip
COUNTY_PARENTS = ("1306", "6530")
NOTES = {
    "定州市": "县级市，河北省直管（2013年起），行政区划代码仍隶属保定市；统计上常单列",
    "雄县": "由雄安新区代管",
    "容城县": "由雄安新区代管",
    "安新县": "由雄安新区代管",
}


def pinyin(word: str) -> str:
    if word in PINYIN_WORDS:
        return PINYIN_WORDS[word]
    out = ""
    for i, syllable in enumerate(lazy_pinyin(word, style=Style.NORMAL, v_to_u=False)):
        # An apostrophe separates a syllable starting with a vowel (Xi'an, Yan'an).
        if i and syllable[:1] in "aoe":
            out += "'"
        out += syllable
    return out


def strip_suffix(name: str) -> str:
    for suffix in ("自治州", "地区", "特别行政区", "自治区", "盟", "市", "县", "区", "省"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            core = name[: -len(suffix)]
            if suffix == "自治州":
                stripped = True
                while stripped:
                    stripped = False
                    for people in ETHNIC:
                        if core.endswith(people) and len(core) > len(people) + 1:
                            core = core[: -len(people)]
                            stripped = True
            return core
    return name


def english(core: str, py: str) -> str:
    if core in ENGLISH:
        return ENGLISH[core]
    return py[:1].upper() + py[1:]


def ascii_id(py: str) -> str:
    return py.replace("'", "")


def q(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def qlist(values: list[str]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def entry(fields: dict[str, object]) -> str:
    lines = ["[[region]]"]
    for key, value in fields.items():
        if value in (None, [], ""):
            continue
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, list):
            lines.append(f"{key} = {qlist(value)}")
        else:
            lines.append(f"{key} = {q(str(value))}")
    return "\n".join(lines)


def main(csv_path: str) -> None:
    with open(csv_path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = {r["adcode"][:6]: r["name"] for r in rows}
    out = [HEADER]
    out.append(
        entry(
            {
                "id": "cn", "name": "全国", "short": ["中国", "我国"], "pinyin": "zhongguo",
                "en": "China", "level": "national",
                "aliases": ["中华人民共和国", "全中国", "国家", "PRC", "national", "nationwide",
                            "People's Republic of China", "quanguo"],
            }
        )
    )  # fmt: skip
    out.append("\n# ---- province-level divisions")
    for pid, name, short, py, en, aliases in PROVINCES:
        level_note = {"hongkong": "特别行政区", "macao": "特别行政区"}.get(pid, "")
        out.append(
            entry(
                {
                    "id": f"cn.{pid}", "name": name, "short": short, "pinyin": py, "en": en,
                    "level": "provincial", "parent": "cn", "aliases": aliases,
                    "note": level_note,
                }
            )
        )  # fmt: skip
    province_shorts = {s for _, name, short, *_ in PROVINCES for s in [name, *short]}
    out.append("\n# ---- prefecture-level divisions (cities, 地区, 自治州, 盟)")
    seen: dict[str, set[str]] = {}
    for code6, name in sorted(names.items()):
        if code6[4:] != "00" or code6[2:4] == "00" or code6[:2] not in PROVINCE_CODES:
            continue
        if code6[:2] in ("11", "12", "31", "50", "71") or code6.startswith("1331"):
            continue  # municipality districts, Taiwan, 雄安新区 are not prefectures
        pid = PROVINCE_CODES[code6[:2]]
        core = strip_suffix(name)
        py = pinyin(core)
        rid = ascii_id(py)
        taken = seen.setdefault(pid, set())
        if rid in taken:
            rid += code6[2:4]
        taken.add(rid)
        short = [] if core == name else [core]
        if name.endswith("自治州"):
            short.append(core + "州")
        short = [s for s in short if s not in province_shorts]  # 海南州 keeps only 海南州
        short += [a for a in PREFECTURE_ALIASES.get(core, []) if not a.isascii()]
        out.append(
            entry(
                {
                    "id": f"cn.{pid}.{rid}", "name": name, "short": short, "pinyin": py,
                    "en": english(core, py), "level": "city", "parent": f"cn.{pid}",
                    "aliases": [a for a in PREFECTURE_ALIASES.get(core, []) if a.isascii()],
                    "common_words": sorted(set(short) & COMMON_WORDS),
                }
            )
        )  # fmt: skip
    out.append("\n# ---- counties and districts of the areas our reports come from")
    for parent in COUNTY_PARENTS:
        parent_name = names[parent + "00"]
        ppid = PROVINCE_CODES[parent[:2]]
        prid = ascii_id(pinyin(strip_suffix(parent_name)))
        for code6, name in sorted(names.items()):
            if not code6.startswith(parent) or code6[4:] == "00":
                continue
            core = strip_suffix(name)
            py = pinyin(core) if core != name else pinyin(name)
            short = [core] if core != name else []
            out.append(
                entry(
                    {
                        "id": f"cn.{ppid}.{prid}.{ascii_id(py)}", "name": name, "short": short,
                        "pinyin": py, "en": english(core, py), "level": "county",
                        "parent": f"cn.{ppid}.{prid}", "find_short": core in COUNTY_FIND_SAFE,
                        "note": NOTES.get(name, ""),
                    }
                )
            )  # fmt: skip
    out.append(GROUPS)
    print("\n\n".join(out))


HEADER = """\
# The region gazetteer: the nation, every province-level division, every prefecture-level
# division of the mainland, and the counties of the areas our reports come from.
# Generated once by tools/gen_regions.py, then edited by hand. Ids are stable: never rename one.
#
# [[region]]
# id            stable ASCII id; its dotted prefix is the parent chain (cn.hebei.baoding.shunping)
# name          full official name (新疆维吾尔自治区); the nation is 全国
# short         short forms people write (新疆). One-character forms (川, 粤) are matched only
#               by Gazetteer.lookup(word, single=True), never inside text.
# pinyin        toneless pinyin of the short form, apostrophe before a/o/e syllables (xi'an)
# en            English name (Tibet, Inner Mongolia, Hong Kong, Macao)
# level         national / provincial / city / county
# parent        id of the enclosing division
# aliases       other names, Chinese or Latin (中华人民共和国, Szechuan, 克州)
# common_words  short forms that are also ordinary words (大同, 长治, 安康): Gazetteer.find
#               skips them in running text; the full name and a whole-word lookup still work
# find_short    counties only: the short form is safe to find in running text (顺平, 乌恰);
#               other county short forms are found only as whole words or with their suffix
# note          anything special about the division's status
#
# [[group]]      economic regions named by reports and users (东部, 长三角 …)
# id, name, en, aliases, members (province-level ids)"""

GROUPS = """
# ---- region groups
[[group]]
id = "east"
name = "东部"
en = "Eastern China"
aliases = ["东部地区", "东部省份", "东部沿海", "东部沿海地区", "east", "eastern region", "eastern provinces"]
members = ["cn.beijing", "cn.tianjin", "cn.hebei", "cn.shanghai", "cn.jiangsu", "cn.zhejiang", "cn.fujian", "cn.shandong", "cn.guangdong", "cn.hainan"]

[[group]]
id = "central"
name = "中部"
en = "Central China"
aliases = ["中部地区", "中部省份", "中部六省", "central", "central region", "central provinces"]
members = ["cn.shanxi", "cn.anhui", "cn.jiangxi", "cn.henan", "cn.hubei", "cn.hunan"]

[[group]]
id = "west"
name = "西部"
en = "Western China"
aliases = ["西部地区", "西部省份", "西部十二省区市", "西部大开发", "west", "western region", "western provinces"]
members = ["cn.neimenggu", "cn.guangxi", "cn.chongqing", "cn.sichuan", "cn.guizhou", "cn.yunnan", "cn.xizang", "cn.shaanxi", "cn.gansu", "cn.qinghai", "cn.ningxia", "cn.xinjiang"]

[[group]]
id = "northeast"
name = "东北"
en = "Northeast China"
aliases = ["东北地区", "东北三省", "东三省", "东北省份", "northeast", "northeastern provinces"]
members = ["cn.liaoning", "cn.jilin", "cn.heilongjiang"]

[[group]]
id = "yangtze_delta"
name = "长三角"
en = "Yangtze River Delta"
aliases = ["长江三角洲", "长三角地区", "长三角区域", "长三角一体化", "Yangtze Delta", "YRD"]
members = ["cn.shanghai", "cn.jiangsu", "cn.zhejiang", "cn.anhui"]

[[group]]
id = "jingjinji"
name = "京津冀"
en = "Beijing-Tianjin-Hebei"
aliases = ["京津冀地区", "京津冀协同发展", "Jing-Jin-Ji", "Jingjinji", "Beijing Tianjin Hebei"]
members = ["cn.beijing", "cn.tianjin", "cn.hebei"]

[[group]]
id = "greater_bay_area"
name = "粤港澳大湾区"
en = "Guangdong-Hong Kong-Macao Greater Bay Area"
aliases = ["大湾区", "粤港澳", "湾区", "Greater Bay Area", "GBA", "Guangdong Hong Kong Macao"]
members = ["cn.guangdong", "cn.hongkong", "cn.macao"]

[[group]]
id = "chengyu"
name = "成渝"
en = "Chengdu-Chongqing"
aliases = ["成渝地区", "成渝地区双城经济圈", "成渝双城经济圈", "成渝经济圈", "川渝", "Chengdu-Chongqing Economic Circle", "Chengyu"]
members = ["cn.sichuan", "cn.chongqing"]
"""

if __name__ == "__main__":
    main(sys.argv[1])

"""Short names of regions for narrow places: table columns on a phone, chart axes.

Tables carry canonical full names (广西壮族自治区); a column six display cells wide holds three
Chinese characters, so the standard short forms (广西) are used there. When the gazetteer
(bot/facts/regions.py, being written in parallel) lands with its own short names, this module
can defer to it; the mapping below is the usual official short form of each province-level
division and will not change.
"""

from __future__ import annotations

PROVINCE_SHORT: dict[str, str] = {
    "北京市": "北京",
    "天津市": "天津",
    "河北省": "河北",
    "山西省": "山西",
    "内蒙古自治区": "内蒙古",
    "辽宁省": "辽宁",
    "吉林省": "吉林",
    "黑龙江省": "黑龙江",
    "上海市": "上海",
    "江苏省": "江苏",
    "浙江省": "浙江",
    "安徽省": "安徽",
    "福建省": "福建",
    "江西省": "江西",
    "山东省": "山东",
    "河南省": "河南",
    "湖北省": "湖北",
    "湖南省": "湖南",
    "广东省": "广东",
    "广西壮族自治区": "广西",
    "海南省": "海南",
    "重庆市": "重庆",
    "四川省": "四川",
    "贵州省": "贵州",
    "云南省": "云南",
    "西藏自治区": "西藏",
    "陕西省": "陕西",
    "甘肃省": "甘肃",
    "青海省": "青海",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "台湾省": "台湾",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
    "新疆生产建设兵团": "兵团",
    "中华人民共和国": "全国",
    "全国": "全国",
}

# Suffixes that can go without making the name ambiguous, longest first. 县 and 区 stay:
# 乌恰 alone is not how anyone names 乌恰县, and one-character remainders would be unreadable.
_DROPPABLE = ("特别行政区", "自治区", "地区", "省", "市")


def short_region(name: str) -> str:
    """广西壮族自治区 → 广西, 保定市 → 保定, 乌恰县 → 乌恰县, unknown names unchanged."""
    name = name.strip()
    if name in PROVINCE_SHORT:
        return PROVINCE_SHORT[name]
    for suffix in _DROPPABLE:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name

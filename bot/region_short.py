"""Short names of regions for narrow places: table columns on a phone, chart axes.

Tables carry canonical full names (广西壮族自治区); a column six display cells wide holds three
Chinese characters, so province-level divisions get their standard short form from the
gazetteer (bot/facts/regions.toml: 广西), and other names lose a suffix that can go.
"""

from __future__ import annotations

from functools import cache

from bot.facts.regions import gazetteer

# Suffixes that can go without making the name ambiguous, longest first. 县 and 区 stay:
# 乌恰 alone is not how anyone names 乌恰县, and one-character remainders would be unreadable.
_DROPPABLE = ("特别行政区", "自治区", "地区", "省", "市")


@cache
def province_short() -> dict[str, str]:
    """Full name → short form of the nation and every province-level division (新疆维吾尔自治区
    → 新疆): the first short form of two characters or more."""
    out = {}
    for region in gazetteer().regions.values():
        if region.level in ("national", "provincial"):
            forms = [s for s in region.short if len(s) >= 2]
            out[region.name] = region.name if region.level == "national" else forms[0]
    return out


def short_region(name: str) -> str:
    """广西壮族自治区 → 广西, 保定市 → 保定, 乌恰县 → 乌恰县, unknown names unchanged."""
    name = name.strip()
    known = province_short()
    if name in known:
        return known[name]
    for suffix in _DROPPABLE:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name

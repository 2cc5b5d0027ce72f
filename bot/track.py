"""Target against outcome: was a year's target met?

A target is stated in the report for year Y (kind target, year Y); its outcome in the next
year's report (kind actual, year Y). The verdict compares the two numbers by this rule:

1. Direction. A target is a ceiling (lower is better) when its qualifier says so — 以内, 以下,
   不超过, 不高于, 低于, 控制在 — or when the indicator is one where lower is better and the
   qualifier does not say otherwise (居民消费价格涨幅, 失业率, PM2.5). A target stated as a
   cut (单位国内生产总值能耗降低2.5%左右: the number is the size of the cut) is a floor: a
   bigger cut is better. Every other target is a floor (higher is better): 以上, 不低于,
   超过, 力争, or a bare number.
2. Tolerance. 0.5 percentage points for values in % or 百分点; 5% of the target for amounts.
3. Verdict, for a floor target t and outcome a (a ceiling mirrors it):
   - "about" targets (左右, 上下, 约): met when a ≥ t − tolerance; roughly met when
     a ≥ t − 2 × tolerance; else missed. 5%左右 is met by 4.8% and by 6%.
   - ranges (6%—6.5%): the low end is the floor (the high end for a ceiling), as for a strict
     target.
   - strict targets (以上, 以内, a bare number): met when a ≥ t; roughly met when
     a ≥ t − tolerance; else missed.
4. No verdict ("") when either number is missing or their units differ (a target in % against
   an outcome in 亿元 is not the same measure).
"""

from __future__ import annotations

import re

from bot.answer import Verdict

PERCENT_TOLERANCE = 0.5  # percentage points
RELATIVE_TOLERANCE = 0.05  # of the target, for amounts
LOWER_IS_BETTER = frozenset(
    {"cpi", "surveyed_unemployment", "registered_unemployment", "energy_intensity",
     "carbon_intensity", "water_intensity", "pm25", "deficit_ratio", "urban_rural_income_ratio"}
)  # fmt: skip
_CEILING = re.compile(r"以内|以下|之内|不超过|不高于|(?<!不)低于|控制在|降至|降到")
_FLOOR = re.compile(r"以上|不低于|不少于|(?<!不)超过|力争|突破|(?<!不)高于")
_ABOUT = re.compile(r"左右|上下|约")
_CUT = re.compile(r"降低|下降|减少|压减|削减|降幅")
_RANGE = re.compile(r"\d[^—–\-~～至到]*[—–\-~～至到]\s*\d")


def is_ceiling(indicator_id: str, qualifier: str) -> bool:
    if _CEILING.search(qualifier):
        return True
    if _FLOOR.search(qualifier) or _CUT.search(qualifier):
        return False
    return indicator_id in LOWER_IS_BETTER


def _percent(unit: str) -> bool:
    return unit in {"%", "百分点", "‰"}


def high_end(value: str) -> float | None:
    """The upper number of a range as written (6%—6.5% → 6.5); None when not a range."""
    if not _RANGE.search(value):
        return None
    numbers = re.findall(r"\d+(?:\.\d+)?", value.replace(",", ""))
    return float(numbers[-1]) if len(numbers) >= 2 else None


def verdict(
    *,
    indicator_id: str,
    target: float | None,
    target_value: str,
    target_unit: str,
    qualifier: str,
    actual: float | None,
    actual_unit: str,
) -> Verdict:
    """The verdict of the module docstring's rule; "" when it cannot be told."""
    if target is None or actual is None or target_unit != actual_unit:
        return ""
    ceiling = is_ceiling(indicator_id, qualifier)
    tolerance = PERCENT_TOLERANCE if _percent(target_unit) else abs(target) * RELATIVE_TOLERANCE
    bound = target
    upper = high_end(target_value)
    if upper is not None and ceiling and _percent(target_unit):
        bound = upper  # a range read as a ceiling: its high end (Number holds the low end)
    # Measure the shortfall in the direction that counts.
    short = (actual - bound) if ceiling else (bound - actual)
    about = bool(_ABOUT.search(qualifier)) and upper is None
    if about:
        if short <= tolerance:
            return "met"
        return "roughly" if short <= 2 * tolerance else "missed"
    if short <= 0:
        return "met"
    return "roughly" if short <= tolerance else "missed"

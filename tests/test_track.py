"""The verdict rule of bot/track.py: met, roughly met or missed, by direction and tolerance."""

from __future__ import annotations

import pytest

from bot.track import is_ceiling, verdict


def judge(indicator: str, target: float, value: str, qualifier: str, actual: float,
          unit: str = "%") -> str:  # fmt: skip
    return verdict(indicator_id=indicator, target=target, target_value=value, target_unit=unit,
                   qualifier=qualifier, actual=actual, actual_unit=unit)  # fmt: skip


@pytest.mark.parametrize(
    "indicator, target, value, qualifier, actual, expected",
    [
        # GDP growth, an "about" floor: within half a point below is met.
        ("gdp", 5.0, "5%左右", "增长…左右", 5.2, "met"),
        ("gdp", 7.0, "7%左右", "增长…左右", 6.9, "met"),
        ("gdp", 5.5, "5.5%左右", "增长…左右", 4.8, "roughly"),
        ("gdp", 5.5, "5.5%左右", "增长…左右", 3.0, "missed"),
        # A range: the low end is the floor.
        ("gdp", 6.0, "6%—6.5%", "增长", 6.1, "met"),
        ("gdp", 6.0, "6%—6.5%", "增长", 5.7, "roughly"),
        ("gdp", 6.0, "6%—6.5%", "增长", 5.0, "missed"),
        # Strict floors: 以上.
        ("urban_jobs", 1.2e7, "1200万人以上", "以上", 1.256e7, "met"),
        ("urban_jobs", 1.2e7, "1200万人以上", "以上", 1.16e7, "roughly"),
        ("urban_jobs", 1.2e7, "1200万人以上", "以上", 1.0e7, "missed"),
        # Ceilings: by qualifier (控制在, 以内) or by an indicator where lower is better.
        ("cpi", 3.0, "3%左右", "控制在…左右", 0.2, "met"),
        ("cpi", 3.0, "3%左右", "控制在…左右", 3.4, "met"),
        ("cpi", 3.0, "3%左右", "控制在…左右", 4.2, "missed"),
        ("surveyed_unemployment", 5.5, "5.5%左右", "左右", 5.1, "met"),
        ("registered_unemployment", 4.5, "4.5%以内", "控制在…以内", 4.7, "roughly"),
        ("registered_unemployment", 4.5, "4.5%以内", "控制在…以内", 5.2, "missed"),
        # A cut: the number is the size of the cut, so a bigger cut is better.
        ("energy_intensity", 2.5, "2.5%左右", "降低…左右", 3.0, "met"),
        ("energy_intensity", 3.0, "3%左右", "降低…左右", 1.0, "missed"),
    ],
)
def test_verdicts(indicator, target, value, qualifier, actual, expected):
    unit = "万人" if indicator == "urban_jobs" else "%"
    assert judge(indicator, target, value, qualifier, actual, unit) == expected


def test_no_verdict_without_both_numbers_in_one_unit():
    assert judge("gdp", 5.0, "5%左右", "增长…左右", None) == ""  # type: ignore[arg-type]
    assert verdict(indicator_id="gdp", target=5.0, target_value="5%", target_unit="%",
                   qualifier="增长", actual=1.349e13, actual_unit="万亿元") == ""  # fmt: skip


def test_direction():
    assert is_ceiling("cpi", "左右") and is_ceiling("gdp", "控制在…以内")
    assert not is_ceiling("gdp", "增长…左右") and not is_ceiling("energy_intensity", "降低")
    assert not is_ceiling("surveyed_unemployment", "不低于")

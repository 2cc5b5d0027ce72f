"""The form of a library question: comparison, series, tracking, ranking and thresholds."""

from __future__ import annotations

import pytest

from bot.search.forms import read_form


@pytest.mark.parametrize(
    "text, kind, every",
    [
        ("2026年各省gdp目标", "compare", "provincial"),
        ("哪个省gdp目标最高", "compare", "provincial"),
        ("各地就业目标", "compare", "any"),
        ("历年全国gdp增长目标", "series", ""),
        ("近五年财政收入", "series", ""),
        ("2019到2025年赤字率", "series", ""),
        ("2024年的gdp目标完成了吗", "track", ""),
        ("去年目标完成情况", "track", ""),
        ("招商引资完成情况", "lookup", ""),  # results asked for, not a target's outcome
        ("就业目标", "lookup", ""),
        ("which provinces have a gdp target below 5%", "compare", "provincial"),
    ],
)
def test_kinds(text, kind, every):
    form = read_form(text)
    assert (form.kind, form.every) == (kind, every)


def test_ranking_and_top():
    form = read_form("gdp增速前五的省")
    assert (form.order, form.top, form.measure) == ("desc", 5, "growth")
    assert read_form("gdp目标最低的省份").order == "asc"


def test_thresholds_carry_their_unit_in_base_units():
    assert read_form("gdp目标低于5%的省份").threshold == ("<", 5.0, "%")
    assert read_form("增长5%以上的省份").threshold == (">=", 5.0, "%")
    assert read_form("粮食产量目标超过1000亿斤的省份").threshold == (">", 1e11, "亿斤")


def test_spans_of_years_and_decades():
    assert read_form("2019到2025年gdp").span == (2019, 2025)
    assert read_form("上世纪九十年代经济增长目标").span == (1990, 1999)
    assert read_form("90年代gdp").span == (1990, 1999)
    assert read_form("近五年财政收入").last == 5

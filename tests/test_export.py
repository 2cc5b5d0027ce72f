"""bot/export.py: the CSV opens in Excel (BOM, CRLF) and round-trips through the csv module
with the same rows and exact values."""

from __future__ import annotations

import csv
import io

import pytest

from bot.answer import Table
from bot.export import COLUMNS, TRACK_COLUMNS, table_csv
from tests import table_fixtures as tf

FIXTURES = tf.ALL


def read_back(data: bytes) -> list[dict[str, str]]:
    with io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def expected(table: Table) -> list[dict[str, str]]:
    out = []
    for r in table.rows:
        row = {
            "region": r.region,
            "region_id": r.region_id,
            "year": "" if r.year is None else str(r.year),
            "kind": r.kind,
            "indicator": r.indicator,
            "value": r.value,
            "number": "" if r.number is None else repr(r.number),
            "unit": r.unit,
            "qualifier": r.qualifier,
            "text": r.text,
            "report": r.report,
        }
        if table.kind == "track":
            row |= {
                "target": r.target or r.value,
                "actual": r.actual,
                "actual_number": "" if r.actual_number is None else repr(r.actual_number),
                "verdict": r.verdict,
                "actual_report": r.actual_report,
                "actual_text": r.actual_text,
            }
        out.append(row)
    return out


@pytest.mark.parametrize("make", FIXTURES, ids=lambda f: f.__name__)
def test_csv_round_trips_with_exact_values(make):
    table = make()
    data = table_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    rows = read_back(data)
    assert rows == expected(table)
    header = data.decode("utf-8-sig").split("\r\n")[0].split(",")
    assert header == list(COLUMNS + (TRACK_COLUMNS if table.kind == "track" else ()))
    for back, row in zip(rows, table.rows, strict=True):
        assert float(back["number"]) == row.number  # exactly, not approximately


def test_line_ends_are_crlf():
    data = table_csv(tf.provincial_gdp_2026())
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n")
    assert text.count("\r\n") == len(tf.PROVINCIAL_2026_GDP) + 1
    assert "\n" not in text.replace("\r\n", "")


def test_track_columns_carry_outcomes_and_verdicts():
    rows = read_back(table_csv(tf.national_gdp_track()))
    by_year = {r["year"]: r for r in rows}
    assert (by_year["2014"]["target"], by_year["2014"]["actual"]) == ("7.5%左右", "7.4%")
    assert by_year["2014"]["verdict"] == "roughly"
    assert by_year["2014"]["actual_report"] == "national-2015"
    assert by_year["2025"]["verdict"] == "" and by_year["2025"]["actual_number"] == ""
    assert "verdict" not in read_back(table_csv(tf.provincial_gdp_2026()))[0]


def test_awkward_text_round_trips():
    table = tf.provincial_gdp_2026()
    table.rows[0].text = '他说："增长5%，\n在实际工作中争取更好结果"'
    table.rows[1].value = "-0.5%"
    table.rows[2].number = 3047000000.0  # 30.47亿元 in base units
    table.rows[3].number = None
    table.rows[4].year = None
    rows = read_back(table_csv(table))
    assert rows == expected(table)


def test_formulas_are_defused():
    """A cell that a spreadsheet would run as a formula is shown as text instead."""
    table = tf.provincial_gdp_2026()
    table.rows[0].text = '=HYPERLINK("http://x","点我")'
    table.rows[1].text = "-2+3+cmd|' /C calc'!A0"
    table.rows[2].text = "@SUM(A1:A9)"
    rows = read_back(table_csv(table))
    assert [r["text"] for r in rows[:3]] == [
        '\'=HYPERLINK("http://x","点我")',
        "'-2+3+cmd|' /C calc'!A0",
        "'@SUM(A1:A9)",
    ]

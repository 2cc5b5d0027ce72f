"""Table answers as CSV files for a spreadsheet. Pure: bytes in memory, no I/O.

UTF-8 with a byte-order mark: without it Excel reads a CSV in the system's ANSI code page and
shows Chinese as mojibake; with it Excel, LibreOffice and Python (``utf-8-sig``) all read it
right. Line ends are the csv module's CRLF, as RFC 4180 and Excel expect.
"""

from __future__ import annotations

import csv
import io
import re

from bot.answer import Table, TableRow

COLUMNS = (
    "region",
    "region_id",
    "year",
    "kind",
    "indicator",
    "value",
    "number",
    "unit",
    "qualifier",
    "text",
    "report",
)
TRACK_COLUMNS = ("target", "actual", "actual_number", "verdict", "actual_report", "actual_text")

# A cell starting with = @ + - tab or CR is a formula to Excel and LibreOffice ("CSV
# injection"; -2+3+cmd|… is the classic payload): report text comes from uploaded files, so
# such a cell gets a leading apostrophe, which the spreadsheet shows as text. A plain signed
# number (-0.5%, +3) is left alone: that is how values are written, and it reads as a number.
_FORMULA_START = re.compile(r"^[=@\t\r+\-]")
_SIGNED_NUMBER = re.compile(r"^[+\-]\d[\d,]*(?:\.\d+)?%?$")


def _number(x: float | None) -> str:
    """repr round-trips a float exactly (3047000000.0, 5.5); empty when there is none."""
    return "" if x is None else repr(x)


def _safe(text: str) -> str:
    if _FORMULA_START.match(text) and not _SIGNED_NUMBER.match(text):
        return "'" + text
    return text


def _cells(row: TableRow, track: bool) -> list[str]:
    cells = [
        row.region,
        row.region_id,
        "" if row.year is None else str(row.year),
        row.kind,
        row.indicator,
        row.value,
        _number(row.number),
        row.unit,
        row.qualifier,
        row.text,
        row.report,
    ]
    if track:
        cells += [
            row.target or row.value,
            row.actual,
            _number(row.actual_number),
            row.verdict,
            row.actual_report,
            row.actual_text,
        ]
    return [_safe(c) for c in cells]


def table_csv(table: Table) -> bytes:
    """A header row, then one row per table row, in the table's order."""
    track = table.kind == "track"
    buf = io.StringIO()
    writer = csv.writer(buf)  # the excel dialect: comma, minimal quoting, \r\n
    writer.writerow(COLUMNS + (TRACK_COLUMNS if track else ()))
    for row in table.rows:
        writer.writerow(_cells(row, track))
    return buf.getvalue().encode("utf-8-sig")

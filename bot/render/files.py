"""What goes with a table sent as a file: the chart's caption and the CSV's file name.

A caption is HTML like a message (escaped here) and at most CAPTION_LIMIT long. A file name
comes from the table's title, which comes from report text: it is cleaned like an uploaded
file's name (bot/naming.py) and stripped of what Windows, macOS or a shell would trip on, so
that Excel opens `2026年各地地区生产总值增速目标.csv` straight from the chat.
"""

from __future__ import annotations

import re

from bot import naming
from bot.answer import Table
from bot.render.limits import CAPTION_LIMIT
from bot.render.text import fit

MAX_STEM = 60  # characters of a file name before its suffix: a phone shows about this many
FALLBACK_STEM = "table"
# Characters Windows refuses in a file name, and whitespace (which makes a name awkward to
# type or quote): gone. Title words are separated by spaces only for reading.
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')
# Names Windows reserves whatever their suffix (CON.csv cannot be created there).
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)


def table_name(table: Table) -> str:
    """The table's title, or its indicator when it has none."""
    return table.title or table.indicator or "数据表"


def chart_caption(table: Table) -> str:
    """📈 title, escaped, within Telegram's caption limit."""
    return "📈 " + fit(table_name(table), CAPTION_LIMIT - 3, True)


def csv_caption(table: Table) -> str:
    """📄 title, escaped, within Telegram's caption limit."""
    return "📄 " + fit(table_name(table), CAPTION_LIMIT - 3, True)


def table_file_name(table: Table, suffix: str) -> str:
    """`2026年各地地区生产总值增速目标.csv`: the title without spaces or unsafe characters,
    cut to MAX_STEM, never empty, never a hidden or reserved name."""
    stem = _UNSAFE.sub("", naming.clean(table_name(table)))
    stem = stem.strip(".")[:MAX_STEM].rstrip(".") or FALLBACK_STEM
    if _RESERVED.match(stem):
        stem = "_" + stem
    return stem + suffix

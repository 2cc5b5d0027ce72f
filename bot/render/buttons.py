"""The labels of the buttons under answers and tables (handlers/buttons.py, handlers/tables.py).
Short: a phone shows three or four of them on one row."""

from __future__ import annotations

PREVIOUS = "◂ 上一页"
MORE = "更多 ▸"
ORIGINAL = "原文"
CHART = "📈 图表"
CSV = "📄 CSV"

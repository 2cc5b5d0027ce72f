"""The list of loaded reports (/reports, the console's /reports) and its buttons' labels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.render.limits import BUTTON_TEXT, TELEGRAM_LIMIT
from bot.render.text import clip, esc, width, wrap

ALL_REPORTS_LABEL = "全部报告"
CHOOSE_PROMPT = "点按下方按钮，选择本聊天默认查询的报告："
STALE_LISTING = "这个按钮已过期，请重新发送 /reports。"
REPORT_GONE = "这份报告已不存在，请重新发送 /reports。"
ALREADY_CHOSEN = "已经是当前的选择。"
CHOSE_ALL = "已切换为在全部报告中查询。"
BUTTON_LABEL = 40  # characters of a report's button: a phone shows about this many


def _report_line(info: Any, html: bool) -> str:
    title = clip(str(getattr(info, "title", "") or info.id), 50)
    bits = [str(info.id)]
    if getattr(info, "region", ""):
        bits.append(clip(str(info.region), 16))
    if getattr(info, "year", None):
        bits.append(f"{info.year}年")
    counts = (
        f"目标{getattr(info, 'targets', 0)} · 完成{getattr(info, 'actuals', 0)}"
        f" · 共{getattr(info, 'figures', 0)}项"
    )
    return f"• {wrap(title, 'b', html)}\n  {esc(' · '.join(bits) + ' · ' + counts, html)}"


def render_reports(infos: Sequence[Any], *, html: bool = False, budget: int = 4000) -> str:
    """The loaded reports, one entry each, cut with a count of the rest when over budget."""
    budget = min(budget, TELEGRAM_LIMIT)
    if not infos:
        return esc("还没有载入任何报告。", html)
    out = [esc(f"📚 已载入{len(infos)}份报告：", html)]
    used = width(out[0])
    for n, info in enumerate(infos):
        line = _report_line(info, html)
        rest = esc(f"…还有{len(infos) - n}份", html)
        # Keep room for the "还有" line unless this is the last entry.
        need = width(line) + 1 + (0 if n == len(infos) - 1 else width(rest) + 1)
        if used + need > budget:
            out.append(rest)
            break
        out.append(line)
        used += width(line) + 1
    return "\n".join(out)


def report_button(info: Any, current: str | None) -> str:
    """A /reports button: ✓ on the chat's current report. The title, not region + year: a
    "2022年…报告" sets targets for 2023, and a button reading 2023 next to a title reading 2022
    confuses people."""
    label = info.title or f"{info.region or info.id} {info.year or ''}".strip()
    mark = "✓ " if info.id == current else ""
    return f"{mark}{label}"[: min(BUTTON_LABEL, BUTTON_TEXT)]


def all_reports_button(current: str | None) -> str:
    return ("✓ " if current is None else "") + ALL_REPORTS_LABEL


def chose_report(title: str) -> str:
    """The toast after a /reports button set the chat's report (an alert holds 200)."""
    return f"本聊天的查询将只在《{clip(title, 80)}》中进行。"


def reports_listing(infos: Sequence[Any], *, budget: int) -> str:
    """/reports: the list (HTML), and when there is any, the prompt for its buttons."""
    text = render_reports(infos, html=True, budget=budget - width(CHOOSE_PROMPT) - 2)
    return text + "\n\n" + CHOOSE_PROMPT if infos else text

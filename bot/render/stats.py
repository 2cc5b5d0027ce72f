"""The /stats message (and `reportbot stats`): pure functions of UsageStats, no telegram.

One message, whatever the data: query texts are cut to MAX_QUERY characters and the lists to
TOP entries, so the longest possible text stays far below Telegram's 4,096.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from bot.usage import UsageStats

BAR = 12  # characters of the longest bar
MAX_QUERY = 24  # characters of a query shown in a list
MISS_BUTTON = "➕ 作为同义词"


def bar(n: int, most: int, width: int = BAR) -> str:
    """A bar of eighth blocks, so small counts still show."""
    if n <= 0 or most <= 0:
        return ""
    eighths = max(1, round(n * width * 8 / most))
    full, part = divmod(eighths, 8)
    return "█" * full + ("" if not part else " ▏▎▍▌▋▊▉"[part])


def short(text: str, limit: int = MAX_QUERY) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_stats(stats: UsageStats, *, html: bool = True) -> str:
    """Queries per day as a bar chart, the top queries, the top queries with no answer."""
    esc: Callable[[str], str] = escape if html else str

    def bold(s: str) -> str:
        return f"<b>{s}</b>" if html else s

    total, answered = stats.total, stats.answered
    share = f"{answered * 100 // total}%" if total else "–"
    lines = [
        bold(f"📊 使用统计 · 最近{len(stats.days)}天"),
        f"查询 {total} 次，有结果 {answered} 次（{share}）",
        "",
        bold("每日查询"),
    ]
    most = max((d.queries for d in stats.days), default=0)
    chart = [
        f"{d.day:%m-%d} {d.queries:>5} {bar(d.queries, most)}".rstrip() for d in stats.days
    ]
    lines.append(f"<pre>{esc(chr(10).join(chart))}</pre>" if html else "\n".join(chart))
    lines += ["", bold(f"热门查询（前{len(stats.top)}）")]
    lines += _ranked(stats.top, esc) or ["（无）"]
    lines += ["", bold(f"没有结果的查询（前{len(stats.misses)}）")]
    lines += _ranked(stats.misses, esc) or ["（无）"]
    if stats.misses and html:
        lines.append(f"点“{MISS_BUTTON}”把一个查询教给机器人：选一个它应当指的指标。")
    return "\n".join(lines)


def _ranked(items: list[tuple[str, int]], esc: Callable[[str], str]) -> list[str]:
    return [f"{n}. {esc(short(text))} — {count}" for n, (text, count) in enumerate(items, 1)]


def render_meaning_prompt(query: str, choices: list[str], *, html: bool = True) -> str:
    """Asks which existing indicator or word a missed query should mean."""
    q = escape(short(query, 60)) if html else short(query, 60)
    if not choices:
        return f"“{q}”：没有可以选择的指标（现有报告里没有相近的指标）。"
    return f"“{q}”应当指哪个指标？选一个，以后这样问也能找到它。"


def render_learned(term: str, meaning: str, *, added: bool, html: bool = True) -> str:
    t, m = (escape(term), escape(meaning)) if html else (term, meaning)
    if not added:
        return f"“{t}” → “{m}” 已经学过了。"
    return f"✅ 已学会：“{t}” → “{m}”。现在问“{t}”也会查“{m}”。"

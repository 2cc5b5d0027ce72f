"""Short notices: refusals, rate limits, stale or misplaced buttons, errors, and the alerts of
the table buttons. Alerts (answerCallbackQuery) hold at most ALERT_LIMIT characters; messages
here are HTML-safe as they are (no markup, nothing from outside)."""

from __future__ import annotations

from bot.render.limits import ALERT_LIMIT

SORRY = "出错了，请稍后再试。"
REFUSAL = "抱歉，只有管理员可以这样做。"

# Buttons (handlers/buttons.py, handlers/binding.py)
STALE = "这条结果已过期（报告已更新或机器人已重启），请重新发送查询。"
GONE = "原文已不存在（报告可能已更新），请重新发送查询。"
NOT_HERE = "这个按钮不属于这条消息，无法在这里使用。"
NO_MESSAGE = "这个按钮在这里不可用，请在与机器人的聊天中使用。"

# The table buttons (handlers/tables.py)
CHART_DRAWING = "正在生成图表…"
CHART_BUSY = "图表正在生成，马上就好。"
CHART_SENT = "这张图表已经发送过了，请看上方的回复。"
CHART_QUEUE_FULL = "现在生成图表的请求太多，请稍后再试。"
CHART_FAILED = "❌ 图表生成失败，请稍后再试。"
CSV_SENDING = "正在发送 CSV…"
CSV_BUSY = "CSV 正在发送，马上就好。"
CSV_SENT = "这份 CSV 已经发送过了，请看上方的回复。"
NO_TABLE = "这条结果没有可以导出的表格，请重新发送查询。"

# Queries (handlers/query.py)
NOTHING_TO_SEARCH = "这条消息里没有可查询的文字。请直接发送要查的内容，例如：<code>就业目标</code>"
UNKNOWN_COMMAND = "不认识这个命令。直接发送要查的内容即可，或发送 /help 查看用法。"


def rate_limited(retry_after: int, limit: int, *, busy_chat: bool) -> str:
    """Over the query budget: the person's own, or the group's (then: ask in private)."""
    if busy_chat:
        return f"⏳ 群里的查询太多了，请{retry_after}秒后再试，或者私聊我查询。"
    return f"⏳ 查询有点频繁了，请{retry_after}秒后再试（每人每分钟最多{limit}次）。"


def alert(text: str) -> str:
    """`text` within what an alert shows."""
    return text if len(text) <= ALERT_LIMIT else text[: ALERT_LIMIT - 1] + "…"

"""/start, /help and /about, how to ask, and the command menu's descriptions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.render.answer import EXAMPLES
from bot.render.text import esc

GREETING = "👋 你好！\n\n"
INLINE_HELP_BUTTON = "使用说明"
# The "/" menu: (command, description); admins also see ADMIN_COMMANDS in their private chat.
PUBLIC_COMMANDS = (
    ("q", "查询，例如 /q 就业目标"),
    ("reports", "已载入的报告，选择本聊天默认报告"),
    ("help", "用法和示例"),
    ("about", "版本和报告数量"),
    ("start", "开始"),
)
ADMIN_COMMANDS = (
    ("reload", "重新扫描报告文件夹"),
    ("delete", "删除一份报告：/delete 报告ID"),
    ("stats", "使用统计：每日查询、热门查询、没有结果的查询"),
)


def help_text(username: str, admin: bool) -> str:
    """Examples, group usage, inline mode, the buttons; the admin's commands for admins."""
    examples = "\n".join(f"• <code>{esc(e)}</code>" for e in EXAMPLES)
    name = esc(username)
    text = (
        "我可以回答关于政府工作报告的问题，给出<b>目标</b>和<b>完成</b>的数字、原文摘录和出处。\n\n"
        f"<b>直接发问</b>（私聊），例如：\n{examples}\n"
        "• <code>2024年城镇新增就业</code>\n"
        "• <code>2026年各省GDP目标</code>（对比表）\n"
        "• <code>2024年GDP目标完成了吗</code>\n\n"
        "<b>在群里</b>，我只回应叫到我的消息：\n"
        "• <code>/q 就业目标</code>\n"
        f"• <code>/q@{name} 就业目标</code>\n"
        f"• 提到我：<code>@{name} 就业目标</code>\n"
        "• 回复我的某条消息（如回复“广东GDP目标”的结果说“那就业呢”，仍只查广东）\n"
        "其他聊天我不会打扰。隐私模式开着也没关系。\n\n"
        f"<b>任意聊天里</b>输入 <code>@{name} 就业目标</code>，"
        "从弹出的卡片中选一张发送。\n\n"
        "答案下方的 [更多 ▸] 翻页，[原文] 显示整段原文；表格下方的 [📈 图表] 发送图表，"
        "[📄 CSV] 发送可用 Excel 打开的表格文件。\n"
        "/reports 选择本聊天默认查询的报告 · /about 版本和报告数量"
    )
    if admin:
        text += (
            "\n\n<b>管理员</b>：/reload 重新扫描报告文件夹；私聊发送 .txt/.html/.docx 文件"
            "（≤20 MB）预览并导入；/delete 报告ID 删除报告；/stats 使用统计（私聊）。"
        )
    return text


def start_text(username: str, admin: bool) -> str:
    return GREETING + help_text(username, admin)


def about_text(version: str, infos: Sequence[Any]) -> str:
    """Version, how many reports over which years, how many figures."""
    figures = sum(i.figures for i in infos)
    targets = sum(i.targets for i in infos)
    actuals = sum(i.actuals for i in infos)
    years = sorted({i.year for i in infos if i.year})
    span = f"{years[0]}–{years[-1]}年" if len(years) > 1 else (f"{years[0]}年" if years else "—")
    return (
        f"<b>reportbot</b> {esc(version)}\n"
        f"已载入 {len(infos)} 份报告（{span}）\n"
        f"数字 {figures} 项：目标 {targets} · 完成 {actuals}\n"
        "数据来自各级政府公开发布的政府工作报告。"
    )


def usage(how: str) -> str:
    """How to ask with /q or a mention: `how` is "/q" or "@BotName"."""
    how = esc(how)
    return (
        f"请在 {how} 后面写上要查的内容，例如：\n"
        f"<code>{how} 就业目标</code>\n<code>{how} 地区生产总值增长</code>"
    )

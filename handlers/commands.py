"""/start, /help, /reports (choose this chat's default report) and /about."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

import bot
from bot.render import EXAMPLES, render_reports
from handlers.binding import Origin, misplaced, origin
from handlers.common import (
    GROUP_BUDGET,
    engine,
    fits_callback,
    is_admin,
    is_group,
    not_modified_ok,
    services,
)

ALL_REPORTS = "*"
MAX_REPORT_BUTTONS = 40  # Telegram allows 100 buttons; a phone screen shows far fewer


def help_text(username: str, admin: bool) -> str:
    examples = "\n".join(f"• <code>{escape(e)}</code>" for e in EXAMPLES)
    text = (
        "我可以回答关于政府工作报告的问题，给出<b>目标</b>和<b>完成</b>的数字、原文摘录和出处。\n\n"
        f"<b>直接发问</b>（私聊），例如：\n{examples}\n"
        "• <code>2024年城镇新增就业</code>\n\n"
        "<b>在群里</b>，我只回应叫到我的消息：\n"
        "• <code>/q 就业目标</code>\n"
        f"• <code>/q@{escape(username)} 就业目标</code>\n"
        f"• 提到我：<code>@{escape(username)} 就业目标</code>\n"
        "• 回复我的某条消息\n"
        "其他聊天我不会打扰。隐私模式开着也没关系。\n\n"
        f"<b>任意聊天里</b>输入 <code>@{escape(username)} 就业目标</code>，"
        "从弹出的卡片中选一张发送。\n\n"
        "答案下方的 [更多 ▸] 翻页，[原文] 显示整段原文。\n"
        "/reports 选择本聊天默认查询的报告 · /about 版本和报告数量"
    )
    if admin:
        text += (
            "\n\n<b>管理员</b>：/reload 重新扫描报告文件夹；私聊发送 .txt/.html/.docx 文件"
            "（≤20 MB）预览并导入；/delete 报告ID 删除报告；/stats 使用统计（私聊）。"
        )
    return text


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: a greeting plus the help text (also the target of inline mode's help button)."""
    message = update.effective_message
    assert message is not None
    greeting = "👋 你好！\n\n"
    await message.reply_text(
        greeting + help_text(context.bot.username, is_admin(context, update.effective_user))
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: examples, group usage, inline mode and the buttons."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        help_text(context.bot.username, is_admin(context, update.effective_user))
    )


async def reports(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reports: the loaded reports, with buttons choosing this chat's default report."""
    message = update.effective_message
    assert message is not None
    eng = engine(context)
    infos = await eng.reports()
    budget = GROUP_BUDGET if is_group(message.chat) else 4000
    text = render_reports(infos, html=True, budget=budget)
    if infos:
        text += "\n\n点按下方按钮，选择本聊天默认查询的报告："
    current = await eng.chat_report(message.chat.id)
    listing = ReportsListing([i.id for i in infos[:MAX_REPORT_BUTTONS]])
    key = services(context).states.put(listing) if infos else ""
    sent = await message.reply_text(text, reply_markup=reports_markup(infos, current, key))
    listing.origin = origin(sent)


@dataclass(slots=True)
class ReportsListing:
    """A /reports message: the report behind each button, and where the message is (its
    buttons set that chat's default, and only from that message: handlers/binding.py)."""

    ids: list[str]
    origin: Origin | None = None


STALE_LISTING = "这个按钮已过期，请重新发送 /reports。"


def reports_markup(infos: list, current: str | None, key: str) -> InlineKeyboardMarkup | None:
    """One button per report ("r:<key>:<n>", n indexing the listing) and 全部报告 ("r:<key>:*")."""
    if not infos:
        return None
    rows = []
    for n, info in enumerate(infos[:MAX_REPORT_BUTTONS]):
        # The title, not region + year: a "2022年…报告" sets targets for 2023, and a button
        # reading 2023 next to a title reading 2022 confuses people.
        label = info.title or f"{info.region or info.id} {info.year or ''}".strip()
        mark = "✓ " if info.id == current else ""
        rows.append([InlineKeyboardButton(f"{mark}{label}"[:40], callback_data=f"r:{key}:{n}")])
    mark = "✓ " if current is None else ""
    rows.append([InlineKeyboardButton(f"{mark}全部报告", callback_data=f"r:{key}:{ALL_REPORTS}")])
    assert all(fits_callback(str(b.callback_data)) for row in rows for b in row)
    return InlineKeyboardMarkup(rows)


def parse_choice(data: str) -> tuple[str, int | None] | None:
    """(key, index) from "r:<key>:<n>", (key, None) from "r:<key>:*"; None for anything else,
    including buttons of older versions ("r:<id>", "r#<key>")."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != "r" or not parts[1]:
        return None
    if parts[2] == ALL_REPORTS:
        return parts[1], None
    if parts[2].isascii() and parts[2].isdigit() and len(parts[2]) <= 3:
        return parts[1], int(parts[2])
    return None


async def choose_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A /reports button: set (or clear) this chat's default report, stored in SQLite."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parsed = parse_choice(query.data)
    listing = services(context).states.get(parsed[0]) if parsed else None
    if parsed is None or not isinstance(listing, ReportsListing):
        await query.answer(STALE_LISTING, show_alert=True)
        return
    if why := misplaced(query, listing.origin):
        await query.answer(why, show_alert=True)
        return
    assert query.message is not None  # misplaced() said so
    key, index = parsed
    chat_id = query.message.chat.id
    eng = engine(context)
    infos = await eng.reports()
    current = await eng.chat_report(chat_id)
    if index is None:
        chosen, note = None, "已切换为在全部报告中查询。"
    else:
        report_id = listing.ids[index] if index < len(listing.ids) else None
        info = next((i for i in infos if i.id == report_id), None)
        if info is None:
            await query.answer("这份报告已不存在，请重新发送 /reports。", show_alert=True)
            return
        chosen, note = info.id, f"本聊天的查询将只在《{info.title or info.id}》中进行。"
    if chosen == current:
        await query.answer("已经是当前的选择。")
        return
    await eng.set_chat_report(chat_id, chosen)
    await query.answer(note[:200])
    listing.ids = [i.id for i in infos[:MAX_REPORT_BUTTONS]]  # the buttons are redrawn from now
    with not_modified_ok():
        await query.edit_message_reply_markup(reports_markup(infos, chosen, key))


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/about: version and report counts."""
    message = update.effective_message
    assert message is not None
    infos = await engine(context).reports()
    figures = sum(i.figures for i in infos)
    targets = sum(i.targets for i in infos)
    actuals = sum(i.actuals for i in infos)
    years = sorted({i.year for i in infos if i.year})
    span = f"{years[0]}–{years[-1]}年" if len(years) > 1 else (f"{years[0]}年" if years else "—")
    await message.reply_text(
        f"<b>reportbot</b> {escape(bot.__version__)}\n"
        f"已载入 {len(infos)} 份报告（{span}）\n"
        f"数字 {figures} 项：目标 {targets} · 完成 {actuals}\n"
        "数据来自各级政府公开发布的政府工作报告。"
    )


async def unknown_private(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown /command in a private chat: point at /help (in groups it may be another bot's)."""
    message = update.effective_message
    assert message is not None
    await message.reply_text("不认识这个命令。直接发送要查的内容即可，或发送 /help 查看用法。")


def register(app: Application) -> None:
    # PTB's CommandHandler also takes edited messages: an edited /help must not answer again.
    only_new = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("start", start, filters=only_new))
    app.add_handler(CommandHandler("help", help_command, filters=only_new))
    app.add_handler(CommandHandler("reports", reports, filters=only_new))
    app.add_handler(CommandHandler("about", about, filters=only_new))
    # r:<key>:<n> now; r:<id> and r#<key> from older versions get the polite stale answer.
    app.add_handler(CallbackQueryHandler(choose_report, pattern=r"^r[:#]"))


def register_fallback(app: Application) -> None:
    """After every other command handler, so only commands nobody claimed reach it."""
    only_new = filters.UpdateType.MESSAGE
    app.add_handler(
        MessageHandler(only_new & filters.ChatType.PRIVATE & filters.COMMAND, unknown_private)
    )

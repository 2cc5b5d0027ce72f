"""/start, /help, /reports (choose this chat's default report) and /about."""

from __future__ import annotations

from dataclasses import dataclass

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
from bot.render.help import about_text, help_text, start_text
from bot.render.notices import UNKNOWN_COMMAND
from bot.render.reports import (
    ALREADY_CHOSEN,
    CHOSE_ALL,
    REPORT_GONE,
    STALE_LISTING,
    all_reports_button,
    chose_report,
    report_button,
    reports_listing,
)
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


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: a greeting plus the help text (also the target of inline mode's help button)."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        start_text(context.bot.username, is_admin(context, update.effective_user))
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
    text = reports_listing(infos, budget=budget)
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


def reports_markup(infos: list, current: str | None, key: str) -> InlineKeyboardMarkup | None:
    """One button per report ("r:<key>:<n>", n indexing the listing) and 全部报告 ("r:<key>:*")."""
    if not infos:
        return None
    rows = []
    for n, info in enumerate(infos[:MAX_REPORT_BUTTONS]):
        label = report_button(info, current)
        rows.append([InlineKeyboardButton(label, callback_data=f"r:{key}:{n}")])
    label = all_reports_button(current)
    rows.append([InlineKeyboardButton(label, callback_data=f"r:{key}:{ALL_REPORTS}")])
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
        chosen, note = None, CHOSE_ALL
    else:
        report_id = listing.ids[index] if index < len(listing.ids) else None
        info = next((i for i in infos if i.id == report_id), None)
        if info is None:
            await query.answer(REPORT_GONE, show_alert=True)
            return
        chosen, note = info.id, chose_report(info.title or info.id)
    if chosen == current:
        await query.answer(ALREADY_CHOSEN)
        return
    await eng.set_chat_report(chat_id, chosen)
    await query.answer(note)
    listing.ids = [i.id for i in infos[:MAX_REPORT_BUTTONS]]  # the buttons are redrawn from now
    with not_modified_ok():
        await query.edit_message_reply_markup(reports_markup(infos, chosen, key))


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/about: version and report counts."""
    message = update.effective_message
    assert message is not None
    infos = await engine(context).reports()
    await message.reply_text(about_text(bot.__version__, infos))


async def unknown_private(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown /command in a private chat: point at /help (in groups it may be another bot's)."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(UNKNOWN_COMMAND)


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

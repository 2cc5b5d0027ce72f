"""The one error handler: log with context, tell the user 出错了，请稍后再试, never a traceback."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError
from telegram.ext import Application, ContextTypes

from bot.render.notices import SORRY
from handlers.common import is_not_modified

log = logging.getLogger("handlers.errors")


def describe(update: object) -> str:
    """Who and where, without dumping the whole update (which may carry a whole file)."""
    if not isinstance(update, Update):
        return repr(update)[:200]
    parts = [f"update {update.update_id}"]
    if update.effective_chat:
        parts.append(f"chat {update.effective_chat.id} ({update.effective_chat.type})")
    if update.effective_user:
        parts.append(f"user {update.effective_user.id}")
    if update.callback_query:
        parts.append(f"button {update.callback_query.data!r}")
    elif update.inline_query:
        parts.append(f"inline {update.inline_query.query[:80]!r}")
    elif update.effective_message and update.effective_message.text:
        parts.append(f"text {update.effective_message.text[:80]!r}")
    return ", ".join(parts)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with its context and apologise to the user in the same place."""
    error = context.error
    if error is not None and is_not_modified(error):
        return  # an edit that changed nothing, e.g. a double tap: nothing went wrong
    if isinstance(error, NetworkError) and not isinstance(update, Update):
        # Polling hiccups: PTB retries by itself; no user to tell.
        log.warning("network problem: %s", error)
        return
    log.error("error handling %s", describe(update), exc_info=error)
    if not isinstance(update, Update) or isinstance(error, Forbidden):
        return  # nobody to tell, or the user blocked the bot
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(SORRY, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(SORRY)
    except TelegramError as exc:
        # E.g. the button was already answered: the apology is best-effort, never a loop.
        log.warning("could not tell the user about the error: %s", exc)


def register(app: Application) -> None:
    app.add_error_handler(on_error)

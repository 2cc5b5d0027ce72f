"""Admin-only handlers, and how others are refused without letting them flood a chat.

A refusal is the one message a non-admin can make the bot post, so it is rate-limited per chat:
at most one per chat per minute (in groups and in private chats); after that, silence. Buttons
are always answered (an alert is shown only to the person who tapped, never posted).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.render.notices import REFUSAL
from handlers.common import is_admin, services

__all__ = ["REFUSAL", "admin_only", "refuse"]

# A coroutine function, as python-telegram-bot's handlers require (not any awaitable).
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def admin_only(handler: Handler) -> Handler:
    """Non-admins get a polite refusal (rate-limited per chat) and the handler never runs."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not is_admin(context, update.effective_user):
            await refuse(update, context)
            return
        await handler(update, context)

    return guarded


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(REFUSAL, show_alert=True)
        return
    message = update.effective_message
    if message is not None and services(context).refusals.allow(message.chat.id):
        await message.reply_text(REFUSAL)

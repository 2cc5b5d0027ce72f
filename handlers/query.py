"""Queries: any text in a private chat; in groups only what is addressed to the bot.

In a group the bot answers `/q 查询`, `/q@BotName 查询`, a message that mentions @BotName, or a
reply to one of its own messages. Telegram delivers all of these even with privacy mode on;
all other chatter is ignored (and with privacy mode on never even arrives).
"""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.render import render_answer
from handlers.buttons import answer_markup, bind_answer, remember
from handlers.common import budget_for, engine, is_group, services
from handlers.ratelimit import notice


def usage(how: str) -> str:
    return (
        f"请在 {how} 后面写上要查的内容，例如：\n"
        f"<code>{how} 就业目标</code>\n<code>{how} 地区生产总值增长</code>"
    )


MAX_QUERY = 200  # characters; longer text is chatter pasted at the bot, not a lookup


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat is a query."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await answer(message, context, message.text)


async def command_q(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/q 查询 and /q@BotName 查询, in groups and in private chats."""
    message = update.effective_message
    assert message is not None and message.text is not None
    # The text after the command (context.args would split it into words).
    _command, *rest = message.text.split(None, 1)
    query = rest[0] if rest else ""
    if not query.strip():
        await message.reply_text(usage("/q"))
        return
    await answer(message, context, query)


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group message: answered when it mentions the bot or replies to it, else ignored."""
    message = update.effective_message
    assert message is not None and message.text is not None
    mentioned, query = strip_mention(message, context.bot.username, context.bot.id)
    replied = (
        message.reply_to_message is not None
        and message.reply_to_message.from_user is not None
        and message.reply_to_message.from_user.id == context.bot.id
    )
    if not (mentioned or replied):
        return  # chatter between people
    if not query.strip():
        await message.reply_text(usage(f"@{context.bot.username}"))
        return
    await answer(message, context, query)


def strip_mention(message: Message, username: str, bot_id: int) -> tuple[bool, str]:
    """(whether the bot is mentioned, the text without that mention)."""
    text = message.text or ""
    found = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    spans: list[str] = []
    for entity, piece in found.items():
        by_name = entity.type == MessageEntity.MENTION and piece[1:].lower() == username.lower()
        user_id = entity.user.id if entity.user else 0
        by_id = entity.type == MessageEntity.TEXT_MENTION and user_id == bot_id
        if by_name or by_id:
            spans.append(piece)
    for piece in spans:
        text = text.replace(piece, " ", 1)
    return bool(spans), " ".join(text.split())


async def answer(message: Message, context: ContextTypes.DEFAULT_TYPE, query: str) -> None:
    """Look the query up in this chat's report (or all) and reply with page one."""
    chat = message.chat
    if is_group(chat) and message.from_user is not None:
        svc = services(context)
        verdict = svc.limiter.hit(chat.id, message.from_user.id)
        if not verdict.allowed:
            if verdict.notify:
                await message.reply_text(notice(verdict, svc.limiter.limit))
            return
    query = " ".join(query.split())[:MAX_QUERY]
    eng = engine(context)
    report_id = await eng.chat_report(chat.id)
    result = await eng.ask(query, report_id=report_id)
    budget = budget_for(chat)
    page = render_answer(result, html=True, page=0, budget=budget)
    markup = key = None
    if not result.empty:
        key = remember(context, result, budget)
        markup = answer_markup(key, page, result)
    sent = await message.reply_text(page.text, reply_markup=markup)
    if key is not None:
        bind_answer(context, key, sent)  # hard-uploads: its buttons work on this message only


def register(app: Application) -> None:
    only_new = filters.UpdateType.MESSAGE  # an edited question is not asked again
    app.add_handler(CommandHandler("q", command_q, filters=only_new))
    app.add_handler(
        MessageHandler(
            only_new & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, private_text
        )
    )
    app.add_handler(
        MessageHandler(
            only_new & filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND, group_text
        )
    )

"""Queries: any text in a private chat; in groups only what is addressed to the bot.

In a group the bot answers `/q 查询`, `/q@BotName 查询`, a message that mentions @BotName, or a
reply to one of its own messages. Telegram delivers all of these even with privacy mode on;
all other chatter is ignored (and with privacy mode on never even arrives).
"""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.answer import Context
from bot.render import render_answer
from bot.render.help import usage
from bot.render.notices import NOTHING_TO_SEARCH, rate_limited
from bot.search.clean import clean_query
from handlers.buttons import AnswerState, answer_markup, bind_answer, remember
from handlers.common import budget_for, engine, is_group, services


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
    """Look the query up in this chat's report (or all) and reply with page one.

    Within the user's budget (per chat, groups and private chats alike) and one query per user
    at a time: the user's later queries, and the notice about going over the budget, wait for
    the earlier answers, so a flood costs others one query at a time and the notice never
    arrives before answers it follows.
    """
    chat = message.chat
    svc = services(context)
    user_id = message.from_user.id if message.from_user is not None else chat.id
    limiter = svc.limiter if is_group(chat) else svc.private_limiter
    verdict = limiter.hit(chat.id, user_id)
    if not verdict.allowed and not verdict.notify:
        return  # this burst was told already
    async with svc.turns.turn(user_id):
        if svc.stopping:
            return  # shutting down: the queries still queued are not started
        if not verdict.allowed:
            await message.reply_text(
                rate_limited(verdict.retry_after, limiter.limit, busy_chat=verdict.busy_chat)
            )
            return
        await _answer(message, context, clean_query(query))


async def _answer(message: Message, context: ContextTypes.DEFAULT_TYPE, query: str) -> None:
    if not query:  # nothing but controls, emoji, zero-width characters …
        await message.reply_text(NOTHING_TO_SEARCH)
        return
    chat = message.chat
    eng = engine(context)
    report_id = await eng.chat_report(chat.id)
    scope = await replied_scope(message, context)
    result = await eng.ask(query, report_id=report_id, context=scope)
    eng.log_query(query, result)  # the text only; batched, off the hot path (bot/journal.py)
    budget = budget_for(chat)
    page = render_answer(result, html=True, page=0, budget=budget)
    markup = key = None
    # Kept with a scope even when empty: a reply to "四川还没有载入" asks about 四川 again.
    if not result.empty or result.scope is not None:
        key = remember(context, result, budget)
        markup = answer_markup(key, page, result)
    sent = await message.reply_text(page.text, reply_markup=markup)
    if key is not None:
        bind_answer(context, key, sent)  # hard-uploads: its buttons work on this message only
        services(context).by_message.put(sent, key)


async def replied_scope(
    message: Message, context: ContextTypes.DEFAULT_TYPE
) -> Context | None:
    """The scope of the bot's answer this message replies to (那就业呢 after 广东GDP目标),
    found by the replied message; None for anything else.

    Not checked against the reports' generation, unlike buttons: a scope names regions and
    years, which stay what they were asked about when a report is added or replaced."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    svc = services(context)
    key = svc.by_message.get(replied.chat.id, replied.message_id)
    state = await svc.answers.get(key) if key is not None else None
    return state.answer.scope if isinstance(state, AnswerState) else None


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

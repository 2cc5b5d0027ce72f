"""Inline mode: `@BotName 就业目标` in any chat offers the table (for a comparison, series or
tracking question), one card per figure, then the excerpts; bot/render/inline.py makes them."""

from __future__ import annotations

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.ext import Application, ContextTypes, InlineQueryHandler

from bot.answer import Answer
from bot.render import EXAMPLES
from bot.render.help import INLINE_HELP_BUTTON
from bot.render.inline import Card, answer_cards, example_card
from bot.render.limits import INLINE_CARDS
from bot.search.clean import clean_query
from handlers.common import engine, services

MAX_RESULTS = INLINE_CARDS
# Answers change only when an admin reloads; five minutes of Telegram-side caching keeps typing
# snappy without serving stale reports for long.
CACHE_SECONDS = 300
HELP_BUTTON = InlineQueryResultsButton(text=INLINE_HELP_BUTTON, start_parameter="help")


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Up to 20 cards for the query; examples for an empty one."""
    query = update.inline_query
    assert query is not None
    text = clean_query(query.query)
    svc = services(context)
    # Typing sends a query per keystroke: one at a time per person, like chat queries, so a
    # fast typist (or a script) takes one worker thread, not all of them.
    async with svc.turns.turn(query.from_user.id):
        if svc.stopping:
            return
        if not text:
            results = await _examples(context)
        else:
            eng = engine(context)
            found = await eng.ask(text, limit=MAX_RESULTS)
            svc.inline_log.offer(query.from_user.id, lambda: eng.log_query(text, found))
            results = cards(found, context.bot.username)
    await query.answer(
        results,
        cache_time=CACHE_SECONDS,
        is_personal=False,  # no per-chat scope in inline mode: the same for everybody
        button=HELP_BUTTON,
    )


def article(card: Card) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=card.id,
        title=card.title,
        description=card.description,
        input_message_content=InputTextMessageContent(card.text),
    )


def cards(answer: Answer, username: str = "") -> list[InlineQueryResultArticle]:
    """The table card first (when there is one), one card per figure, then the excerpts."""
    return [article(c) for c in answer_cards(answer, username=username, limit=MAX_RESULTS)]


async def _examples(context: ContextTypes.DEFAULT_TYPE) -> list[InlineQueryResultArticle]:
    """For an empty query: example lookups, each card the full answer to that example."""
    out: list[InlineQueryResultArticle] = []
    for n, example in enumerate(EXAMPLES):
        answer = await engine(context).ask(example, limit=MAX_RESULTS)
        if answer.empty:
            continue
        out.append(article(example_card(n, example, answer, context.bot.username)))
    return out


def register(app: Application) -> None:
    app.add_handler(InlineQueryHandler(inline_query))

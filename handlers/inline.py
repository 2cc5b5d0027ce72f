"""Inline mode: `@BotName 就业目标` in any chat offers one card per figure plus the excerpts."""

from __future__ import annotations

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.ext import Application, ContextTypes, InlineQueryHandler

from bot.answer import Answer
from bot.render import EXAMPLES, render_answer, render_excerpt, render_figure, render_passage
from bot.search.clean import clean_query
from handlers.common import GROUP_BUDGET, engine, services

MAX_RESULTS = 20
MAX_EXCERPTS = 4  # figures are what people look up on a phone; a few passages for context
CARD_BUDGET = 1200  # an excerpt card lands in someone else's chat: keep it short
# Answers change only when an admin reloads; five minutes of Telegram-side caching keeps typing
# snappy without serving stale reports for long.
CACHE_SECONDS = 300
HELP_BUTTON = InlineQueryResultsButton(text="使用说明", start_parameter="help")


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
            results = cards(found)
    await query.answer(
        results,
        cache_time=CACHE_SECONDS,
        is_personal=False,  # no per-chat scope in inline mode: the same for everybody
        button=HELP_BUTTON,
    )


def cards(answer: Answer) -> list[InlineQueryResultArticle]:
    """One card per figure, then the excerpts, at most MAX_RESULTS with unique ids."""
    excerpts = answer.excerpts[:MAX_EXCERPTS]
    out: list[InlineQueryResultArticle] = []
    seen: set[str] = set()
    for hit in answer.figures[: MAX_RESULTS - len(excerpts)]:
        rid = f"f{hit.figure_id}"
        if rid in seen:
            continue
        seen.add(rid)
        lines = render_figure(hit).split("\n")  # plain: what the result list shows
        out.append(
            InlineQueryResultArticle(
                id=rid,
                title=lines[0],
                description="\n".join(lines[1:3]),
                input_message_content=InputTextMessageContent(render_figure(hit, html=True)),
            )
        )
    for ex in excerpts:
        rid = f"p{ex.passage_id}"
        if rid in seen:
            continue
        seen.add(rid)
        title = ex.section.split(" > ")[-1] if ex.section else (ex.report.title or ex.report.id)
        out.append(
            InlineQueryResultArticle(
                id=rid,
                title=f"📝 {title[:60]}",
                description=render_excerpt(ex, limit=120),
                input_message_content=InputTextMessageContent(
                    render_passage(ex, html=True, budget=CARD_BUDGET)
                ),
            )
        )
    return out[:MAX_RESULTS]


async def _examples(context: ContextTypes.DEFAULT_TYPE) -> list[InlineQueryResultArticle]:
    """For an empty query: example lookups, each card the full answer to that example."""
    out: list[InlineQueryResultArticle] = []
    for n, example in enumerate(EXAMPLES):
        answer = await engine(context).ask(example, limit=MAX_RESULTS)
        if answer.empty:
            continue
        page = render_answer(answer, html=True, budget=GROUP_BUDGET)
        out.append(
            InlineQueryResultArticle(
                id=f"x{n}",
                title=f"示例：{example}",
                description=f"输入 @{context.bot.username} {example}",
                input_message_content=InputTextMessageContent(page.text),
            )
        )
    return out


def register(app: Application) -> None:
    app.add_handler(InlineQueryHandler(inline_query))

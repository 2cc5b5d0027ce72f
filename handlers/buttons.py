"""[更多 ▸] and [原文] under answers. Callback data stays tiny ("m:<key>:<page>", "o:<key>");
the answer itself waits on the server, keyed by a short id (see common.ButtonStates: in memory
and in SQLite, so the buttons work for a week, restarts included), together with the chat and
message it was sent to: a button acts only there (handlers/binding.py)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot import answer_json
from bot.answer import Answer, Excerpt
from bot.render import Page, render_answer, render_passage
from bot.render import buttons as labels
from bot.render.notices import GONE, STALE
from handlers.binding import Origin, misplaced, origin
from handlers.common import PASSAGE_BUDGET, engine, fits_callback, not_modified_ok, services

__all__ = ["GONE", "STALE", "AnswerState", "answer_markup", "bind_answer", "remember"]


@dataclass(slots=True)
class AnswerState:
    """What a page turn needs: the answer as it was given, so pages stay consistent."""

    answer: Answer
    budget: int
    generation: int
    origin: Origin | None = None  # the message the answer was sent as, once sent


def encode_state(state: AnswerState) -> tuple[str, Origin | None]:
    """The state as stored in SQLite: the answer as compact JSON (bot/answer_json.py)."""
    data = {"budget": state.budget, "generation": state.generation,
            "answer": answer_json.to_data(state.answer)}  # fmt: skip
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")), state.origin


def decode_state(payload: str, where: Origin | None) -> AnswerState | None:
    data = json.loads(payload)
    answer = answer_json.from_data(data["answer"])
    if answer is None:
        return None
    return AnswerState(answer, int(data["budget"]), int(data["generation"]), where)


def remember(context: ContextTypes.DEFAULT_TYPE, answer: Answer, budget: int) -> str:
    """Keep `answer` for its buttons; the key goes into their callback data."""
    generation = engine(context).generation_seen  # the library the answer was found in
    return services(context).answers.put(AnswerState(answer, budget, generation))


def bind_answer(context: ContextTypes.DEFAULT_TYPE, key: str, sent: Message) -> None:
    """Tie the state under `key` to the message it was sent as: its buttons work only there."""
    answers = services(context).answers
    state = answers.peek(key)
    if isinstance(state, AnswerState):
        state.origin = origin(sent)
        answers.save(key)


def answer_markup(key: str, page: Page, answer: Answer) -> InlineKeyboardMarkup | None:
    """◂ 上一页 / 更多 ▸ / 原文, whichever apply, and under a table 📈 图表 / 📄 CSV; None when
    the answer needs no buttons."""
    from handlers import tables  # it builds on this module's answer state

    row: list[InlineKeyboardButton] = []
    if page.page > 0:
        row.append(InlineKeyboardButton(labels.PREVIOUS, callback_data=f"m:{key}:{page.page - 1}"))
    if page.has_more:
        row.append(InlineKeyboardButton(labels.MORE, callback_data=f"m:{key}:{page.page + 1}"))
    if source_passage(answer) is not None:
        row.append(InlineKeyboardButton(labels.ORIGINAL, callback_data=f"o:{key}"))
    files: list[InlineKeyboardButton] = []
    if tables.offers_chart(answer.table):
        files.append(InlineKeyboardButton(labels.CHART, callback_data=tables.chart_data(key)))
    if tables.offers_csv(answer.table):
        files.append(InlineKeyboardButton(labels.CSV, callback_data=tables.csv_data(key)))
    rows = [r for r in (row, files) if r]
    assert all(fits_callback(str(b.callback_data)) for r in rows for b in r)
    return InlineKeyboardMarkup(rows) if rows else None


def source_passage(answer: Answer) -> int | None:
    """The passage [原文] opens: the best excerpt's, else the best figure's."""
    if answer.excerpts:
        return answer.excerpts[0].passage_id
    if answer.figures:
        return answer.figures[0].passage_id
    return None


async def _live_state(context: ContextTypes.DEFAULT_TYPE, key: str) -> AnswerState | None:
    """The answer under `key`, unless it has expired or the reports have changed since."""
    state = await services(context).answers.get(key)
    if not isinstance(state, AnswerState):
        return None
    if state.generation != await engine(context).generation():
        return None
    return state


def parse_page_data(data: str) -> tuple[str, int] | None:
    """("key", page) from "m:<key>:<page>"; None for anything else (old, forged, truncated)."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != "m" or not parts[1]:
        return None
    number = parts[2]
    # ASCII digits only ("²".isdigit() is True but int() refuses it); a page number is short.
    if not (number.isascii() and number.isdigit() and len(number) <= 4):
        return None
    return parts[1], int(number)


async def on_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[更多 ▸] / [◂ 上一页]: redraw the answer's next or previous page in place."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parsed = parse_page_data(query.data)
    state = await _live_state(context, parsed[0]) if parsed else None
    if parsed is None or state is None:
        await query.answer(STALE, show_alert=True)
        return
    if why := misplaced(query, state.origin):
        await query.answer(why, show_alert=True)
        return
    key, number = parsed
    await query.answer()
    page = render_answer(state.answer, html=True, page=number, budget=state.budget)
    with not_modified_ok():  # a double tap: that page is already showing
        await query.edit_message_text(
            page.text, reply_markup=answer_markup(key, page, state.answer)
        )


async def on_original(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[原文]: send the whole passage the answer came from, as a reply to the answer."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _prefix, _sep, key = query.data.partition(":")
    state = await _live_state(context, key) if key else None
    passage_id = source_passage(state.answer) if state else None
    if state is None or passage_id is None:
        await query.answer(STALE, show_alert=True)
        return
    if why := misplaced(query, state.origin):
        await query.answer(why, show_alert=True)
        return
    excerpt = await engine(context).passage(passage_id)
    if excerpt is None:
        await query.answer(GONE, show_alert=True)
        return
    await query.answer()
    text = render_passage(_with_marks(excerpt, state.answer), html=True, budget=PASSAGE_BUDGET)
    if isinstance(query.message, Message):
        await query.message.reply_text(text, do_quote=True)


def _with_marks(passage: Excerpt, answer: Answer) -> Excerpt:
    """Bold the matched words in [原文] too, when the answer's excerpt was the same text."""
    if passage.marks:
        return passage
    for ex in answer.excerpts:
        if ex.passage_id == passage.passage_id and ex.text == passage.text and ex.marks:
            return dataclasses.replace(passage, marks=list(ex.marks))
    return passage


async def on_unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other button, e.g. one from an older version of the bot: the polite stale answer."""
    query = update.callback_query
    assert query is not None
    await query.answer(STALE, show_alert=True)


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(on_page, pattern=r"^m:"))
    app.add_handler(CallbackQueryHandler(on_original, pattern=r"^o:"))


def register_fallback(app: Application) -> None:
    """Added after every other callback handler, so it only sees data nobody claimed."""
    app.add_handler(CallbackQueryHandler(on_unknown))

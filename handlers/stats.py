"""/stats for admins, in a private chat: queries per day, the top queries and the top queries
with no answer (bot/usage.py, rendered by bot/render/stats.py).

Under the misses, one [➕ 作为同义词] button each (up to MAX_MISSES): a tap asks which existing
indicator the missed query should mean, offering the suggestions the engine computes for it;
choosing one stores the pair as a learned synonym in SQLite (Engine.learn_synonym), which every
query uses from then on. Everyone else gets the rate-limited refusal (handlers/guard.py).

Callback data: "sy:<key>:<n>" (miss n of the /stats message), "sm:<key>:<n>" (choice n of the
question; "x" cancels). The lists wait under the key in SQLite (common.ButtonStates), bound to
their message, for a week.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.render.stats import MISS_BUTTON, render_learned, render_meaning_prompt, render_stats
from handlers.binding import Origin, misplaced, origin
from handlers.common import engine, fits_callback, not_modified_ok, services
from handlers.guard import admin_only

MAX_MISSES = 5  # buttons under the misses
MAX_CHOICES = 3  # meanings offered for one miss
PRIVATE_ONLY = "请在与机器人的私聊中使用 /stats。"
STALE = "这个按钮已过期，请重新发送 /stats。"
ANSWERED_NOW = "这个查询现在已经能找到结果了，不需要同义词。"
NO_CHOICES = "现有报告里没有与它相近的指标可选。"


@dataclass(slots=True)
class Picks:
    """A list of texts under a message's buttons: the misses of /stats, or the meanings
    offered for one miss (`query` set)."""

    items: list[str]
    query: str = ""
    done: bool = False  # a meaning was chosen (or the question cancelled)
    origin: Origin | None = field(default=None)


def encode_picks(picks: Picks) -> tuple[str, Origin | None]:
    data = {"items": picks.items, "query": picks.query, "done": picks.done}
    return json.dumps(data, ensure_ascii=False), picks.origin


def decode_picks(payload: str, where: Origin | None) -> Picks:
    data: dict[str, Any] = json.loads(payload)
    items = [str(i) for i in data["items"]]
    return Picks(items, str(data["query"]), bool(data["done"]), where)


@admin_only
async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text(PRIVATE_ONLY)
        return
    usage = await engine(context).usage()
    misses = [text for text, _ in usage.misses[:MAX_MISSES]]
    markup = None
    picks = services(context).picks
    key = ""
    if misses:
        key = picks.put(Picks(misses))
        markup = _markup("sy", key, [f"{MISS_BUTTON} {n}. {_label(q)}" for n, q in
                                     enumerate(misses, 1)])  # fmt: skip
    sent = await message.reply_text(render_stats(usage), reply_markup=markup)
    if key:
        _bind(context, key, sent)


async def _picked(
    update: Update, context: ContextTypes.DEFAULT_TYPE, prefix: str
) -> tuple[str, Picks, str] | None:
    """(key, its state, the part after it) of a tap that may act here; None when it was
    answered already (stale, forged, misplaced)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    picks = None
    if len(parts) == 3 and parts[0] == prefix and parts[1]:
        picks = await services(context).picks.get(parts[1])
    if not isinstance(picks, Picks):
        await query.answer(STALE, show_alert=True)
        return None
    if why := misplaced(query, picks.origin):
        await query.answer(why, show_alert=True)
        return None
    return parts[1], picks, parts[2]


@admin_only
async def on_miss(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[➕ 作为同义词]: ask which existing indicator the missed query should mean."""
    query = update.callback_query
    assert query is not None
    found = await _picked(update, context, "sy")
    if found is None:
        return
    _key, picks, which = found
    n = _index(which, len(picks.items))
    if n is None:
        await query.answer(STALE, show_alert=True)
        return
    missed = picks.items[n]
    eng = engine(context)
    answer = await eng.ask(missed)
    if not answer.empty:
        await query.answer(ANSWERED_NOW, show_alert=True)
        return
    term = await eng.topic(missed)
    choices: list[str] = []
    for suggestion in answer.suggestions:
        meaning = await eng.topic(suggestion)  # 地区生产总值目标 → 地区生产总值
        if meaning and meaning != term and meaning not in choices:
            choices.append(meaning)
        if len(choices) == MAX_CHOICES:
            break
    if not term or not choices:
        await query.answer(NO_CHOICES, show_alert=True)
        return
    await query.answer()
    key = services(context).picks.put(Picks(choices, query=missed))
    markup = _markup("sm", key, [f"→ {_label(c, 20)}" for c in choices], cancel=True)
    assert isinstance(query.message, Message)
    sent = await query.message.reply_text(
        render_meaning_prompt(missed, choices), reply_markup=markup, do_quote=True
    )
    _bind(context, key, sent)


@admin_only
async def on_meaning(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A meaning chosen for a missed query: learn it (or cancel)."""
    query = update.callback_query
    assert query is not None
    found = await _picked(update, context, "sm")
    if found is None:
        return
    key, picks, which = found
    if picks.done:
        await query.answer("这个问题已经处理过了。")
        return
    n = None if which == "x" else _index(which, len(picks.items))
    if which != "x" and n is None:
        await query.answer(STALE, show_alert=True)
        return
    picks.done = True  # no await since the check: a double tap sees it
    services(context).picks.save(key)
    if n is None:
        await query.answer("已取消")
        with not_modified_ok():
            await query.edit_message_text(f"已取消，没有为“{escape(picks.query[:60])}”添加同义词。")
        return
    try:
        term, meaning, added = await engine(context).learn_synonym(picks.query, picks.items[n])
    except ValueError:
        picks.done = False
        services(context).picks.save(key)
        await query.answer(NO_CHOICES, show_alert=True)
        return
    await query.answer("已学会" if added else "已经学过了")
    with not_modified_ok():
        await query.edit_message_text(render_learned(term, meaning, added=added))


def _index(text: str, size: int) -> int | None:
    if not (text.isascii() and text.isdigit() and len(text) <= 2):
        return None
    n = int(text)
    return n if n < size else None


def _label(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _markup(
    prefix: str, key: str, labels: list[str], *, cancel: bool = False
) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(label, callback_data=f"{prefix}:{key}:{n}")]
            for n, label in enumerate(labels)]  # fmt: skip
    if cancel:
        rows.append([InlineKeyboardButton("取消", callback_data=f"{prefix}:{key}:x")])
    assert all(fits_callback(str(b.callback_data)) for row in rows for b in row)
    return InlineKeyboardMarkup(rows)


def _bind(context: ContextTypes.DEFAULT_TYPE, key: str, sent: Message) -> None:
    picks = services(context).picks
    state = picks.peek(key)
    if isinstance(state, Picks):
        state.origin = origin(sent)
        picks.save(key)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("stats", stats, filters=filters.UpdateType.MESSAGE))
    app.add_handler(CallbackQueryHandler(on_miss, pattern=r"^sy:"))
    app.add_handler(CallbackQueryHandler(on_meaning, pattern=r"^sm:"))

"""[📈 图表] and [📄 CSV] under table answers: the table as a PNG photo or a CSV document, sent
as a reply to the answer. Callback data is "chart:<key>" / "csv:<key>", the key of the answer's
state (handlers/buttons.py); like every button they act only on the message they came with.

Each answer's chart and CSV are sent once (later taps get a polite alert); charts are drawn off
the event loop, one at a time, with a short queue (handlers/tablefiles.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.answer import Table
from bot.chart import has_chart_data, render_chart
from bot.export import table_csv
from bot.render import notices
from bot.render.files import chart_caption, csv_caption, table_file_name
from handlers.binding import misplaced
from handlers.buttons import AnswerState, _live_state
from handlers.common import services
from handlers.tablefiles import Kind

log = logging.getLogger(__name__)

CHART: Kind = "chart"
CSV: Kind = "csv"
REFUSED = {
    CHART: {"busy": notices.CHART_BUSY, "sent": notices.CHART_SENT,
            "full": notices.CHART_QUEUE_FULL},
    CSV: {"busy": notices.CSV_BUSY, "sent": notices.CSV_SENT},
}  # fmt: skip


def chart_data(key: str) -> str:
    return f"{CHART}:{key}"


def csv_data(key: str) -> str:
    return f"{CSV}:{key}"


def offers_chart(table: Table | None) -> bool:
    return table is not None and bool(table.rows) and has_chart_data(table)


def offers_csv(table: Table | None) -> bool:
    return table is not None and bool(table.rows)


async def _claim(
    update: Update, context: ContextTypes.DEFAULT_TYPE, kind: Kind
) -> tuple[str, AnswerState, Message] | None:
    """The answer behind this tap, once the right to send its `kind` is taken; None when the
    tap was answered with why not."""
    query = update.callback_query
    assert query is not None and query.data is not None
    prefix, _sep, key = query.data.partition(":")
    state = await _live_state(context, key) if key and prefix == kind else None
    table = state.answer.table if state is not None else None
    offered = offers_chart(table) if kind == CHART else offers_csv(table)
    if state is None or not offered:
        await query.answer(notices.STALE if state is None else notices.NO_TABLE, show_alert=True)
        return None
    if why := misplaced(query, state.origin):
        await query.answer(why, show_alert=True)
        return None
    assert isinstance(query.message, Message)  # misplaced() said so
    refused = services(context).table_files.claim(kind, key)
    if refused is not None:
        await query.answer(REFUSED[kind][refused], show_alert=True)
        return None
    return key, state, query.message


async def _send_file(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    kind: Kind,
    toast: str,
    send: Callable[[Table, Message], Awaitable[Message | None]],
) -> None:
    """Claim the tap, acknowledge it with `toast`, and send what `send` makes of the table as
    a reply to the answer; the claim is released however that ends. A reply to the file keeps
    the answer's scope too."""
    claimed = await _claim(update, context, kind)
    if claimed is None:
        return
    key, state, answer_message = claimed
    table = state.answer.table
    assert table is not None and update.callback_query is not None
    sent = None
    try:
        await update.callback_query.answer(toast)
        sent = await send(table, answer_message)
    finally:
        services(context).table_files.finish(kind, key, sent=sent is not None)
    if sent is not None:
        services(context).by_message.put(sent, key)


async def on_chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[📈 图表]: draw the table (off the loop, one chart at a time) and send it as a photo."""

    async def send(table: Table, answer_message: Message) -> Message | None:
        try:
            async with services(context).table_files.drawing():
                png = await asyncio.to_thread(render_chart, table)
        except Exception:
            log.exception("chart of %r failed", table.title)
            await answer_message.reply_text(notices.CHART_FAILED, do_quote=True)
            return None
        return await answer_message.reply_photo(
            png,
            caption=chart_caption(table),
            filename=table_file_name(table, ".png"),
            do_quote=True,
        )

    await _send_file(update, context, CHART, notices.CHART_DRAWING, send)


async def on_csv(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[📄 CSV]: the table as a CSV file (UTF-8 with BOM, for Excel)."""

    async def send(table: Table, answer_message: Message) -> Message:
        return await answer_message.reply_document(
            table_csv(table),  # a few hundred rows at most: microseconds, no thread needed
            filename=table_file_name(table, ".csv"),
            caption=csv_caption(table),
            do_quote=True,
        )

    await _send_file(update, context, CSV, notices.CSV_SENDING, send)


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(on_chart, pattern=rf"^{CHART}:"))
    app.add_handler(CallbackQueryHandler(on_csv, pattern=rf"^{CSV}:"))

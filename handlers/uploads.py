"""Admins upload a report in a private chat: a preview, then [导入] (a new report), [替换] (a
different report under an id that is taken) or [取消].

What is not a report, what is already loaded (same content under any name), what is too big
or broken is refused before any preview, with the reason. Each preview has exactly one final
state, and its message says what happened to the data:

    pending ──导入/替换──▶ importing ──▶ imported | failed
    pending ──取消──────▶ cancelled

A state changes without an await between the check and the change, so 导入 and 取消 tapped
together cannot both win: 取消 during an import is told the import is running, and the import's
own final edit states the result. Buttons act only on the preview message they were sent with.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot import naming, uploads
from bot.render import admin as texts
from bot.render.admin import EXPIRED, LATE, TOO_BIG, preview
from bot.report.genre import NotAReport
from bot.report.model import ParseError
from bot.uploads import Plan
from handlers.binding import Origin, misplaced, origin
from handlers.common import engine, services, uploads_dir
from handlers.download import TooLarge, download
from handlers.guard import admin_only
from handlers.progress import StatusMessage

log = logging.getLogger(__name__)

MAX_UPLOAD = 20 * 1024 * 1024  # the Bot API does not let bots download bigger files
SUFFIXES = (".txt", ".html", ".htm", ".docx")

PENDING, IMPORTING, IMPORTED, FAILED, CANCELLED = (
    "pending", "importing", "imported", "failed", "cancelled",
)  # fmt: skip
assert set(LATE) == {IMPORTING, IMPORTED, FAILED, CANCELLED}  # what a late tap is told
__all__ = ["EXPIRED", "LATE", "TOO_BIG", "UploadState", "preview", "register"]


@dataclass(slots=True)
class UploadState:
    """One preview. `plan` (the file and its parse) is dropped once a final state is reached."""

    plan: Plan | None
    name: str  # the sanitised file name, for messages
    state: str = PENDING
    origin: Origin | None = None  # the preview message, once sent


@admin_only
async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file in a private chat: refused with the reason, recognised as loaded, or previewed."""
    message = update.effective_message
    assert message is not None and message.document is not None
    doc = message.document
    raw = doc.file_name or "upload.txt"
    name = naming.safe_file_name(raw)
    if naming.split_suffix(naming.base_name(raw))[1] not in SUFFIXES:
        await message.reply_text(texts.WRONG_TYPE)
        return
    if doc.file_size and doc.file_size > MAX_UPLOAD:
        await message.reply_text(TOO_BIG)
        return
    try:
        data = await download(context.bot, doc.file_id, MAX_UPLOAD)
    except TooLarge:
        await message.reply_text(TOO_BIG)
        return
    except (TelegramError, httpx.HTTPError, OSError) as exc:
        log.warning("download of %s failed: %s", name, exc)
        await message.reply_text(texts.download_failed(name))
        return
    try:
        plan = await uploads.plan(engine(context), data, name)
    except NotAReport as exc:
        await message.reply_text(texts.not_a_report(name, exc.reason))
        return
    except ParseError as exc:
        await message.reply_text(texts.unparsable(name, exc.reason))
        return
    if plan.action == "same":
        info = plan.existing
        title = info.title if info else plan.report_id
        await message.reply_text(texts.already_loaded(title, plan.report_id))
        return
    state = UploadState(plan, name)
    key = services(context).uploads.put(state)
    verb, label = (
        ("rep", texts.REPLACE_BUTTON) if plan.action == "replace" else ("imp", texts.IMPORT_BUTTON)
    )
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=f"{verb}:{key}"),
                InlineKeyboardButton(texts.CANCEL_BUTTON, callback_data=f"can:{key}"),
            ]
        ]
    )
    sent = await message.reply_text(preview(plan), reply_markup=markup)
    state.origin = origin(sent)


def _lookup(context: ContextTypes.DEFAULT_TYPE, key: str) -> UploadState | None:
    svc = services(context)
    # A preview that reached its final state is kept (without its file) among the small states,
    # so a late tap still hears what happened.
    for store in (svc.uploads, svc.states):
        state = store.get(key)
        if isinstance(state, UploadState):
            return state
    return None


def _retire(context: ContextTypes.DEFAULT_TYPE, key: str, state: UploadState) -> None:
    svc = services(context)
    state.plan = None  # free the file: it is imported, failed or cancelled
    svc.uploads.pop(key)
    svc.states.put_at(key, state)


@admin_only
async def on_import(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[导入] / [替换]: import the previewed file, file and database as one step."""
    query = update.callback_query
    assert query is not None and query.data is not None
    verb, _, key = query.data.partition(":")
    state = _lookup(context, key)
    if state is None:
        await query.answer(EXPIRED, show_alert=True)
        return
    if why := misplaced(query, state.origin):
        await query.answer(why, show_alert=True)
        return
    if state.state != PENDING or state.plan is None:
        await query.answer(LATE.get(state.state, EXPIRED), show_alert=True)
        return
    plan = state.plan
    if verb != ("rep" if plan.action == "replace" else "imp"):
        # Only a forged tap gets here: the preview shows one of the two.
        await query.answer(texts.FORGED, show_alert=True)
        return
    state.state = IMPORTING  # no await since the check: a 取消 from now on sees this
    svc = services(context)
    assert query.message is not None
    replace = plan.action == "replace"
    status = StatusMessage(context.bot, query.message.chat.id, query.message.message_id, "")
    text = ""
    try:
        try:
            await query.answer(texts.import_toast(replace))
            await status.show(texts.importing(replace, plan.name))  # the buttons go

            def stage(what: str) -> None:
                status.update(texts.importing(replace, plan.name, what))

            result = await uploads.commit(
                engine(context), plan, uploads_dir(svc.settings), stage=stage
            )
        except Exception as exc:
            log.warning("import of %s failed", plan.name, exc_info=True)
            state.state = FAILED
            text = texts.import_failed(replace, plan.name, uploads.failure_reason(exc))
        else:
            state.state = IMPORTED
            svc.generation += 1
            title = plan.report.meta.title or plan.report_id
            text = texts.imported(result == "updated", title, plan.report_id)
    finally:
        if state.state == IMPORTING:  # cancelled from outside: say so rather than ⏳ forever
            state.state = FAILED
            text = texts.import_interrupted(replace)
        _retire(context, key, state)
        await status.finish(text)


@admin_only
async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[取消]: forget the previewed file, unless its import has begun."""
    query = update.callback_query
    assert query is not None and query.data is not None
    key = query.data.partition(":")[2]
    state = _lookup(context, key)
    if state is None:
        await query.answer(EXPIRED, show_alert=True)
        return
    if why := misplaced(query, state.origin):
        await query.answer(why, show_alert=True)
        return
    if state.state != PENDING:
        await query.answer(LATE[state.state], show_alert=state.state != CANCELLED)
        return
    state.state = CANCELLED  # no await since the check
    _retire(context, key, state)
    await query.answer(texts.CANCELLED_TOAST)
    await query.edit_message_text(texts.upload_cancelled(state.name))


def register(app: Application) -> None:
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.Document.ALL,
            document,
            block=False,  # downloading and parsing may take seconds
        )
    )
    app.add_handler(CallbackQueryHandler(on_import, pattern=r"^(imp|rep):", block=False))
    app.add_handler(CallbackQueryHandler(on_cancel, pattern=r"^can:"))

"""Admins upload a report in a private chat: a preview, then [导入] (a new report), [替换] (a
different report under an id that is taken) or [取消].

What is not a report, what is already loaded (same content under any name), what is too big
or broken is refused before any preview, with the reason. Each preview has exactly one final
state, and its message says what happened to the data:

    pending ──导入/替换──▶ importing ──▶ imported | failed
    pending ──取消──────▶ cancelled

A state changes by one compare-and-set in SQLite (bot/previews.py), so 导入 and 取消 tapped
together cannot both win: 取消 during an import is told the import is running, and the import's
own final edit states the result. Buttons act only on the preview message they were sent with.
The previewed file waits under uploads/pending/ and its state in SQLite, so a preview's buttons
still work after a restart (for an hour; then the file is deleted).
"""

from __future__ import annotations

import logging

import httpx
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot import naming, uploads
from bot.previews import CANCELLED, FAILED, IMPORTED, IMPORTING, PENDING, Preview, PreviewBook
from bot.render import admin as texts
from bot.render.admin import EXPIRED, LATE, TOO_BIG, preview
from bot.report.genre import NotAReport
from bot.report.model import ParseError
from bot.uploads import Plan
from handlers.binding import Origin, misplaced
from handlers.common import Services, engine, services, uploads_dir
from handlers.download import TooLarge, download
from handlers.guard import admin_only
from handlers.progress import StatusMessage

log = logging.getLogger(__name__)

MAX_UPLOAD = 20 * 1024 * 1024  # the Bot API does not let bots download bigger files
SUFFIXES = (".txt", ".html", ".htm", ".docx")
__all__ = ["EXPIRED", "LATE", "TOO_BIG", "attach", "preview", "register"]


def previews(context: ContextTypes.DEFAULT_TYPE) -> PreviewBook:
    """The previews of this bot's engine, under <data>/uploads/pending/."""
    return attach(services(context))


def attach(svc: Services) -> PreviewBook:
    """The previews of the services' engine; made once per engine, which then prunes the
    expired ones with its journal's housekeeping (from start-up on: bot/app.py calls this)."""
    eng = svc.engine
    if eng is None:
        raise RuntimeError("the engine is not open (post_init has not run)")
    book = svc.previews
    if book is None or book.store is not eng.store:
        book = PreviewBook(eng.store, uploads_dir(svc.settings) / "pending")
        svc.previews = book
        eng.journal.housekeeping.append(book.prune)  # expired previews go with old states
    return book


def where(preview: Preview) -> Origin | None:
    if preview.chat_id is None or preview.message_id is None:
        return None
    return Origin(preview.chat_id, preview.message_id)


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
    book = previews(context)
    key = await book.create(plan)
    services(context).uploads.put_at(key, plan)  # parsed already: 导入 need not parse again
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
    await book.bind(key, sent.chat.id, sent.message_id)


async def _plan(context: ContextTypes.DEFAULT_TYPE, pv: Preview) -> Plan:
    """The previewed plan: still in memory, or (after a restart) from the kept file."""
    plan = services(context).uploads.get(pv.key)
    if isinstance(plan, Plan):
        return plan
    data = await previews(context).data(pv)
    action: uploads.Action = "replace" if pv.action == "replace" else "add"
    return await uploads.restore(data, pv.name, pv.report_id, action, pv.expect_sha256)


async def _preview_here(query: CallbackQuery, book: PreviewBook, key: str) -> Preview | None:
    """The preview behind this tap, when it is still kept and the tap is on its own message;
    else None, the tap answered with why."""
    pv = await book.get(key) if key else None
    if pv is None:
        await query.answer(EXPIRED, show_alert=True)
        return None
    if why := misplaced(query, where(pv)):
        await query.answer(why, show_alert=True)
        return None
    return pv


async def _late(context: ContextTypes.DEFAULT_TYPE, key: str) -> str:
    """What a tap that lost the race for a preview is told."""
    now = await previews(context).get(key)
    return LATE.get(now.state, EXPIRED) if now else EXPIRED


@admin_only
async def on_import(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[导入] / [替换]: import the previewed file, file and database as one step."""
    query = update.callback_query
    assert query is not None and query.data is not None
    verb, _, key = query.data.partition(":")
    book = previews(context)
    pv = await _preview_here(query, book, key)
    if pv is None:
        return
    if pv.state != PENDING:
        await query.answer(LATE.get(pv.state, EXPIRED), show_alert=True)
        return
    if verb != ("rep" if pv.action == "replace" else "imp"):
        # Only a forged tap gets here: the preview shows one of the two.
        await query.answer(texts.FORGED, show_alert=True)
        return
    if not await book.advance(key, PENDING, IMPORTING):  # a 取消 from now on sees this
        await query.answer(await _late(context, key), show_alert=True)
        return
    svc = services(context)
    assert query.message is not None
    name = pv.name
    replace = pv.action == "replace"
    status = StatusMessage(context.bot, query.message.chat.id, query.message.message_id, "")
    text, final = "", IMPORTING
    try:
        try:
            await query.answer(texts.import_toast(replace))
            await status.show(texts.importing(replace, name))  # the buttons go

            def stage(what: str) -> None:
                status.update(texts.importing(replace, name, what))

            plan = await _plan(context, pv)
            result = await uploads.commit(
                engine(context), plan, uploads_dir(svc.settings), stage=stage
            )
        except Exception as exc:
            log.warning("import of %s failed", name, exc_info=True)
            final = FAILED
            text = texts.import_failed(replace, name, uploads.failure_reason(exc))
        else:
            final = IMPORTED
            title = plan.report.meta.title or plan.report_id
            text = texts.imported(result == "updated", title, plan.report_id)
    finally:
        if final == IMPORTING:  # cancelled from outside: say so rather than ⏳ forever
            final = FAILED
            text = texts.import_interrupted(replace)
        svc.uploads.pop(key)  # free the file's bytes
        await book.advance(key, IMPORTING, final)  # and delete the kept file
        await status.finish(text)


@admin_only
async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[取消]: forget the previewed file, unless its import has begun."""
    query = update.callback_query
    assert query is not None and query.data is not None
    key = query.data.partition(":")[2]
    book = previews(context)
    pv = await _preview_here(query, book, key)
    if pv is None:
        return
    if pv.state != PENDING or not await book.advance(key, PENDING, CANCELLED):
        late = await _late(context, key)
        await query.answer(late, show_alert=late != LATE[CANCELLED])
        return
    services(context).uploads.pop(key)
    await query.answer(texts.CANCELLED_TOAST)
    await query.edit_message_text(texts.upload_cancelled(pv.name))


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

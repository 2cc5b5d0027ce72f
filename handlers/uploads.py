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
from html import escape

import httpx
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot import naming, uploads
from bot.previews import CANCELLED, FAILED, IMPORTED, IMPORTING, PENDING, Preview, PreviewBook
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
MAX_SHOWN = 80  # characters of a file name, id or title echoed in a reply
MAX_WARNINGS = 5
KIND_NAMES = {"target": "目标", "actual": "完成", "other": "其他"}
LEVEL_NAMES = {"national": "国家", "provincial": "省级", "city": "市级", "county": "县级"}

TOO_BIG = "文件超过 20 MB，Telegram 不允许机器人下载这么大的文件。请压缩或拆分后再发送。"
EXPIRED = "这个预览已过期，请重新发送文件。"

# What a tap on a preview that is no longer pending is told.
LATE = {
    IMPORTING: "导入已经开始，无法取消；结果会显示在这条消息里。",
    IMPORTED: "这份报告已经导入。如需删除，请用 /delete。",
    FAILED: "导入失败，数据库没有改变。请重新发送文件。",
    CANCELLED: "已取消，文件没有导入。",
}


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


def short(text: str, limit: int = MAX_SHOWN) -> str:
    """Cut before escaping, so an entity is never cut in half."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(text: str, limit: int = MAX_SHOWN) -> str:
    return escape(short(text, limit))


@admin_only
async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file in a private chat: refused with the reason, recognised as loaded, or previewed."""
    message = update.effective_message
    assert message is not None and message.document is not None
    doc = message.document
    raw = doc.file_name or "upload.txt"
    name = naming.safe_file_name(raw)
    if naming.split_suffix(naming.base_name(raw))[1] not in SUFFIXES:
        await message.reply_text("只能导入 .txt、.html 或 .docx 格式的报告文件。")
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
        await message.reply_text(f"❌ 下载 {shown(name)} 失败，请重新发送。")
        return
    try:
        plan = await uploads.plan(engine(context), data, name)
    except NotAReport as exc:
        await message.reply_text(
            f"❌ 没有导入 {shown(name)}：{escape(short(exc.reason, 300))}。\n"
            "只能导入政府工作报告（…政府工作报告，各位代表：…）。"
        )
        return
    except ParseError as exc:
        await message.reply_text(f"❌ 无法解析 {shown(name)}：{escape(short(exc.reason, 300))}")
        return
    if plan.action == "same":
        info = plan.existing
        title = info.title if info else plan.report_id
        await message.reply_text(
            f"这份报告已经载入：《{shown(title)}》（<code>{shown(plan.report_id)}</code>），"
            "不再重复导入。"
        )
        return
    book = previews(context)
    key = await book.create(plan)
    services(context).uploads.put_at(key, plan)  # parsed already: 导入 need not parse again
    verb, label = ("rep", "替换") if plan.action == "replace" else ("imp", "导入")
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=f"{verb}:{key}"),
                InlineKeyboardButton("取消", callback_data=f"can:{key}"),
            ]
        ]
    )
    sent = await message.reply_text(preview(plan), reply_markup=markup)
    await book.bind(key, sent.chat.id, sent.message_id)


def preview(plan: Plan) -> str:
    """Title, region, years, sections, figure counts and warnings; for a replacement, the old
    and the new title side by side."""
    report, meta = plan.report, plan.report.meta
    kinds = {k: 0 for k in KIND_NAMES}
    for figure in report.figures:
        kinds[figure.kind] = kinds.get(figure.kind, 0) + 1
    counts = " · ".join(f"{KIND_NAMES[k]} {kinds[k]}" for k in KIND_NAMES)
    years = " · ".join(
        part
        for part in (
            f"目标年份 {meta.target_year}" if meta.target_year else "",
            f"回顾年份 {meta.review_year}" if meta.review_year else "",
        )
        if part
    )
    lines = [
        f"📄 <b>预览</b>：{shown(plan.name)}",
        f"标题：{shown(meta.title or '（未识别）')}",
        f"地区：{shown(meta.region or '（未识别）')}（{LEVEL_NAMES.get(meta.level, '级别未知')}）",
        f"年份：{years or '（未识别）'}",
        f"章节 {len(report.sections)} 个 · 段落 {len(report.passages)} 个",
        f"数字 {len(report.figures)} 项：{counts}",
        f"报告ID：<code>{shown(plan.report_id)}</code>",
    ]
    if report.warnings:
        lines.append(f"⚠️ 提示（{len(report.warnings)}）：")
        lines.extend(f"• {shown(w, 150)}" for w in report.warnings[:MAX_WARNINGS])
    if plan.action == "replace" and plan.existing is not None:
        old = plan.existing
        lines += [
            "",
            f"⚠️ <b>报告ID <code>{shown(plan.report_id)}</code> 已被占用</b>，导入会整体替换它：",
            f"旧：《{shown(old.title or old.id)}》"
            f"（{old.figures} 项数字，{shown(old.loaded_at)} 载入）",
            f"新：《{shown(meta.title or plan.name)}》（{len(report.figures)} 项数字）",
            "确认替换请点“替换”；保留旧报告请点“取消”。",
        ]
    else:
        lines.append("\n点“导入”后即可查询。")
    return "\n".join(lines)


async def _plan(context: ContextTypes.DEFAULT_TYPE, pv: Preview) -> Plan:
    """The previewed plan: still in memory, or (after a restart) from the kept file."""
    plan = services(context).uploads.get(pv.key)
    if isinstance(plan, Plan):
        return plan
    data = await previews(context).data(pv)
    action: uploads.Action = "replace" if pv.action == "replace" else "add"
    return await uploads.restore(data, pv.name, pv.report_id, action, pv.expect_sha256)


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
    pv = await book.get(key) if key else None
    if pv is None:
        await query.answer(EXPIRED, show_alert=True)
        return
    if why := misplaced(query, where(pv)):
        await query.answer(why, show_alert=True)
        return
    if pv.state != PENDING:
        await query.answer(LATE.get(pv.state, EXPIRED), show_alert=True)
        return
    if verb != ("rep" if pv.action == "replace" else "imp"):
        # Only a forged tap gets here: the preview shows one of the two.
        await query.answer("请使用预览消息上的按钮。", show_alert=True)
        return
    if not await book.advance(key, PENDING, IMPORTING):  # a 取消 from now on sees this
        await query.answer(await _late(context, key), show_alert=True)
        return
    svc = services(context)
    assert query.message is not None
    name = pv.name
    doing = "替换" if pv.action == "replace" else "导入"
    status = StatusMessage(context.bot, query.message.chat.id, query.message.message_id, "")
    text, final = "", IMPORTING
    try:
        try:
            await query.answer(f"正在{doing}…")
            await status.show(f"⏳ 正在{doing} {shown(name)}…")  # the buttons go

            def stage(what: str) -> None:
                status.update(f"⏳ 正在{doing} {shown(name)}：{what}…")

            plan = await _plan(context, pv)
            result = await uploads.commit(
                engine(context), plan, uploads_dir(svc.settings), stage=stage
            )
        except Exception as exc:
            log.warning("import of %s failed", name, exc_info=True)
            final = FAILED
            text = (
                f"❌ {doing}失败：{escape(short(uploads.failure_reason(exc), 300))}。\n"
                f"数据库和已保存的文件都没有改变。{shown(name)} 没有{doing}。"
            )
        else:
            final = IMPORTED
            title = plan.report.meta.title or plan.report_id
            label = "已替换" if result == "updated" else "已导入"
            text = (
                f"✅ {label}《{shown(title)}》（<code>{shown(plan.report_id)}</code>）。\n"
                "现在可以查询了，例如 <code>/q 就业目标</code>；"
                "用 /reports 把它设为本聊天的默认报告。"
            )
    finally:
        if final == IMPORTING:  # cancelled from outside: say so rather than ⏳ forever
            final = FAILED
            text = f"❌ {doing}被中断，请查看 /reports 并重新发送文件。"
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
    pv = await book.get(key) if key else None
    if pv is None:
        await query.answer(EXPIRED, show_alert=True)
        return
    if why := misplaced(query, where(pv)):
        await query.answer(why, show_alert=True)
        return
    if pv.state != PENDING or not await book.advance(key, PENDING, CANCELLED):
        late = await _late(context, key)
        await query.answer(late, show_alert=late != LATE[CANCELLED])
        return
    services(context).uploads.pop(key)
    await query.answer("已取消")
    await query.edit_message_text(f"已取消，{shown(pv.name)} 没有导入，数据库没有改变。")


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

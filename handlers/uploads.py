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
from html import escape

import httpx
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot import naming, uploads
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
MAX_SHOWN = 80  # characters of a file name, id or title echoed in a reply
MAX_WARNINGS = 5
KIND_NAMES = {"target": "目标", "actual": "完成", "other": "其他"}
LEVEL_NAMES = {"national": "国家", "provincial": "省级", "city": "市级", "county": "县级"}

TOO_BIG = "文件超过 20 MB，Telegram 不允许机器人下载这么大的文件。请压缩或拆分后再发送。"
EXPIRED = "这个预览已过期，请重新发送文件。"

PENDING, IMPORTING, IMPORTED, FAILED, CANCELLED = (
    "pending", "importing", "imported", "failed", "cancelled",
)  # fmt: skip
# What a tap on a preview that is no longer pending is told.
LATE = {
    IMPORTING: "导入已经开始，无法取消；结果会显示在这条消息里。",
    IMPORTED: "这份报告已经导入。如需删除，请用 /delete。",
    FAILED: "导入失败，数据库没有改变。请重新发送文件。",
    CANCELLED: "已取消，文件没有导入。",
}


@dataclass(slots=True)
class UploadState:
    """One preview. `plan` (the file and its parse) is dropped once a final state is reached."""

    plan: Plan | None
    name: str  # the sanitised file name, for messages
    state: str = PENDING
    origin: Origin | None = None  # the preview message, once sent


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
    state = UploadState(plan, name)
    key = services(context).uploads.put(state)
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
    state.origin = origin(sent)


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
        await query.answer("请使用预览消息上的按钮。", show_alert=True)
        return
    state.state = IMPORTING  # no await since the check: a 取消 from now on sees this
    svc = services(context)
    assert query.message is not None
    doing = "替换" if plan.action == "replace" else "导入"
    status = StatusMessage(context.bot, query.message.chat.id, query.message.message_id, "")
    text = ""
    try:
        try:
            await query.answer(f"正在{doing}…")
            await status.show(f"⏳ 正在{doing} {shown(plan.name)}…")  # the buttons go

            def stage(what: str) -> None:
                status.update(f"⏳ 正在{doing} {shown(plan.name)}：{what}…")

            result = await uploads.commit(
                engine(context), plan, uploads_dir(svc.settings), stage=stage
            )
        except Exception as exc:
            log.warning("import of %s failed", plan.name, exc_info=True)
            state.state = FAILED
            text = (
                f"❌ {doing}失败：{escape(short(uploads.failure_reason(exc), 300))}。\n"
                f"数据库和已保存的文件都没有改变。{shown(plan.name)} 没有{doing}。"
            )
        else:
            state.state = IMPORTED
            title = plan.report.meta.title or plan.report_id
            label = "已替换" if result == "updated" else "已导入"
            text = (
                f"✅ {label}《{shown(title)}》（<code>{shown(plan.report_id)}</code>）。\n"
                "现在可以查询了，例如 <code>/q 就业目标</code>；"
                "用 /reports 把它设为本聊天的默认报告。"
            )
    finally:
        if state.state == IMPORTING:  # cancelled from outside: say so rather than ⏳ forever
            state.state = FAILED
            text = f"❌ {doing}被中断，请查看 /reports 并重新发送文件。"
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
    await query.answer("已取消")
    await query.edit_message_text(f"已取消，{shown(state.name)} 没有导入，数据库没有改变。")


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

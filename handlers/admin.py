"""Admin-only: /reload, /delete, and uploading a report file (preview, then [导入] or [取消]).

Everyone else gets a polite refusal and nothing changes. Parsing and loading run in worker
threads (the preview here, ingest inside the engine), so queries keep being answered meanwhile.
"""

from __future__ import annotations

import asyncio
import functools
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

import bot.report
from bot.engine import IngestSummary
from bot.report.model import ParseError, Report
from handlers.common import engine, is_admin, services, uploads_dir

REFUSAL = "抱歉，只有管理员可以这样做。"
MAX_UPLOAD = 20 * 1024 * 1024  # the Bot API does not let bots download bigger files
SUFFIXES = (".txt", ".html", ".htm", ".docx")
MAX_WARNINGS = 5
MAX_LISTED = 15  # ids per line of a /reload summary; the rest are counted
TEXT_BUDGET = 3800  # characters of one reply, safely under Telegram's 4096
MAX_NAME = 80  # characters of one file name or id in a /reload summary
KIND_NAMES = {"target": "目标", "actual": "完成", "other": "其他"}
LEVEL_NAMES = {"national": "国家", "provincial": "省级", "city": "市级", "county": "县级"}
STATUS_NAMES = {"added": "新增", "updated": "更新", "unchanged": "未变"}


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


@dataclass(slots=True)
class PendingUpload:
    """A previewed file waiting for [导入]; kept in memory, never on disk until imported."""

    name: str
    data: bytes
    user_id: int
    title: str


def admin_only(handler: Handler) -> Handler:
    """Non-admins get a polite refusal and the handler never runs, so nothing changes."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not is_admin(context, update.effective_user):
            await _refuse(update)
            return
        await handler(update, context)

    return guarded


async def _refuse(update: Update) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(REFUSAL, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(REFUSAL)


@admin_only
async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: rescan SEEDS_DIR and report added, updated, unchanged and failed files."""
    message = update.effective_message
    assert message is not None
    svc = services(context)
    seeds = svc.settings.seeds_dir
    if not seeds.is_dir():
        await message.reply_text(f"报告文件夹不存在：<code>{escape(str(seeds))}</code>")
        return
    summary = await engine(context).ingest_paths([seeds])
    if summary.added or summary.updated:
        svc.generation += 1
    await message.reply_text(reload_summary(summary, str(seeds)))


def reload_summary(summary: IngestSummary, folder: str) -> str:
    lines = [f"🔄 已重新扫描 <code>{escape(_short(folder, 200))}</code>："]
    for attr, label in (("added", "新增"), ("updated", "更新"), ("unchanged", "未变")):
        ids = list(getattr(summary, attr))
        shown = "、".join(escape(_short(str(i))) for i in ids[:MAX_LISTED])
        more = f" 等{len(ids)}份" if len(ids) > MAX_LISTED else ""
        lines.append(f"• {label} {len(ids)}" + (f"：{shown}{more}" if ids else ""))
    failed = list(summary.failed)
    lines.append(f"• 失败 {len(failed)}" + ("：" if failed else ""))
    details = [
        f"  – {escape(_short(str(name)))}：{escape(str(reason)[:200])}"
        for name, reason in failed[:MAX_LISTED]
    ]
    head = "\n".join(lines)
    kept, left = fit(details, TEXT_BUDGET - _units(head) - 1, "\n")
    left += max(0, len(failed) - MAX_LISTED)
    tail = [f"  …还有{left}项"] if left else []
    return "\n".join([head, *kept, *tail])


def _short(text: str, limit: int = MAX_NAME) -> str:
    """Cut before escaping, so an entity is never cut in half."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units); the HTML source is never shorter."""
    return len(text.encode("utf-16-le")) // 2


def fit(items: list[str], budget: int, sep: str) -> tuple[list[str], int]:
    """The leading whole items whose joined length stays within `budget` (leaving room for a
    "…还有N" note), and how many were left out."""
    budget -= 20  # room for the note about the rest
    kept: list[str] = []
    used = 0
    for item in items:
        cost = _units(item) + (_units(sep) if kept else 0)
        if used + cost > budget:
            break
        kept.append(item)
        used += cost
    return kept, len(items) - len(kept)


@admin_only
async def delete(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/delete REPORT: remove one report."""
    message = update.effective_message
    assert message is not None
    eng = engine(context)
    if not context.args:
        head = "用法：/delete 报告ID\n现有报告："
        items = [f"<code>{escape(i.id)}</code>" for i in await eng.reports()]
        kept, left = fit(items, TEXT_BUDGET - _units(head), "、")
        listed = "、".join(kept) + (f"…还有{left}份，发送 /reports 查看" if left else "")
        await message.reply_text(head + (listed or "（无）"))
        return
    report_id = context.args[0]
    if await eng.delete_report(report_id):
        services(context).generation += 1
        await message.reply_text(f"🗑 已删除报告 <code>{escape(report_id)}</code>。")
    else:
        await message.reply_text(
            f"没有找到报告 <code>{escape(report_id)}</code>，发送 /reports 查看现有报告。"
        )


@admin_only
async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file sent in a private chat: admins get a parse preview with [导入] [取消]."""
    message = update.effective_message
    assert message is not None and message.document is not None
    doc = message.document
    name = doc.file_name or "upload.txt"
    if not name.lower().endswith(SUFFIXES):
        await message.reply_text("只能导入 .txt、.html 或 .docx 格式的报告文件。")
        return
    if doc.file_size and doc.file_size > MAX_UPLOAD:
        await message.reply_text("文件超过 20 MB，Telegram 不允许机器人下载这么大的文件。")
        return
    file = await doc.get_file()
    data = bytes(await file.download_as_bytearray())
    try:
        report = await asyncio.to_thread(bot.report.parse_bytes, data, name)
    except ParseError as exc:
        await message.reply_text(f"❌ 无法解析 {escape(name)}：{escape(exc.reason)}")
        return
    assert update.effective_user is not None
    key = services(context).uploads.put(
        PendingUpload(name, data, update.effective_user.id, report.meta.title)
    )
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("导入", callback_data=f"imp:{key}"),
                InlineKeyboardButton("取消", callback_data=f"can:{key}"),
            ]
        ]
    )
    await message.reply_text(preview(report, name), reply_markup=markup)


def preview(report: Report, name: str) -> str:
    """Title, region, years, sections, figure counts by kind and warnings, for a decision."""
    meta = report.meta
    kinds = Counter(f.kind for f in report.figures)
    counts = " · ".join(f"{KIND_NAMES[k]} {kinds.get(k, 0)}" for k in KIND_NAMES)
    years = " · ".join(
        part
        for part in (
            f"目标年份 {meta.target_year}" if meta.target_year else "",
            f"回顾年份 {meta.review_year}" if meta.review_year else "",
        )
        if part
    )
    lines = [
        f"📄 <b>预览</b>：{escape(name)}",
        f"标题：{escape(meta.title or '（未识别）')}",
        f"地区：{escape(meta.region or '（未识别）')}（{LEVEL_NAMES.get(meta.level, '级别未知')}）",
        f"年份：{years or '（未识别）'}",
        f"章节 {len(report.sections)} 个 · 段落 {len(report.passages)} 个",
        f"数字 {len(report.figures)} 项：{counts}",
    ]
    if report.warnings:
        lines.append(f"⚠️ 提示（{len(report.warnings)}）：")
        lines.extend(f"• {escape(w[:150])}" for w in report.warnings[:MAX_WARNINGS])
    lines.append("\n导入后即可查询。同一报告已存在时会整体替换。")
    return "\n".join(lines)


@admin_only
async def on_import(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[导入]: load the previewed file atomically and keep it under the data folder."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    pending = svc.uploads.pop(query.data.split(":", 1)[1])  # popped: a double tap imports once
    if not isinstance(pending, PendingUpload):
        await query.answer("这个预览已过期，请重新发送文件。", show_alert=True)
        return
    await query.answer("正在导入…")
    await query.edit_message_text(f"⏳ 正在导入 {escape(pending.name)}…")
    try:
        status, report_id = await engine(context).ingest_bytes(
            pending.data, pending.name, keep_dir=uploads_dir(svc.settings)
        )
    except ParseError as exc:
        await query.edit_message_text(f"❌ 导入失败：{escape(exc.reason)}")
        return
    if status != "unchanged":
        svc.generation += 1
    label = STATUS_NAMES.get(status, status)
    title = pending.title or report_id
    await query.edit_message_text(
        f"✅ 已导入《{escape(title)}》（<code>{escape(report_id)}</code>，{escape(label)}）。\n"
        f"现在可以查询了，例如 <code>/q 就业目标</code>；"
        "用 /reports 把它设为本聊天的默认报告。"
    )


@admin_only
async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[取消]: forget the previewed file."""
    query = update.callback_query
    assert query is not None and query.data is not None
    pending = services(context).uploads.pop(query.data.split(":", 1)[1])
    await query.answer()
    name = pending.name if isinstance(pending, PendingUpload) else "文件"
    await query.edit_message_text(f"已取消，{escape(name)} 没有导入。")


def register(app: Application) -> None:
    # Edited commands are not run again: editing `/delete a` into `/delete b` deletes nothing.
    only_new = filters.UpdateType.MESSAGE
    # block=False: a reload or import may take seconds; other updates must not wait for it.
    app.add_handler(CommandHandler("reload", reload, filters=only_new, block=False))
    app.add_handler(CommandHandler("delete", delete, filters=only_new))
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.Document.ALL,
            document,
            block=False,
        )
    )
    app.add_handler(CallbackQueryHandler(on_import, pattern=r"^imp:", block=False))
    app.add_handler(CallbackQueryHandler(on_cancel, pattern=r"^can:"))

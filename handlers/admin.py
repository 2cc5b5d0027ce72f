"""Admin-only: /reload and /delete (uploading a report file is handlers/uploads.py).

Everyone else gets a polite refusal, at most one per chat per minute (handlers/guard.py), and
nothing changes. Loading runs in worker threads inside the engine, so queries keep being
answered meanwhile; /reload shows its progress in a status message edited every ~2 s.
"""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.engine import IngestSummary
from handlers.common import engine, services
from handlers.guard import REFUSAL, admin_only
from handlers.progress import StatusMessage

__all__ = ["REFUSAL", "fit", "register", "reload_summary"]

log = logging.getLogger(__name__)

MAX_LISTED = 15  # ids per line of a /reload summary; the rest are counted
TEXT_BUDGET = 3800  # characters of one reply, safely under Telegram's 4096
MAX_NAME = 80  # characters of one file name or id in a /reload summary


@admin_only
async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: rescan SEEDS_DIR; a status message shows "⏳ 12/76 …" while it runs and then
    becomes the summary: added, updated, unchanged, duplicate and failed files."""
    message = update.effective_message
    assert message is not None
    svc = services(context)
    seeds = svc.settings.seeds_dir
    folder = escape(_short(str(seeds), 200))
    if not seeds.is_dir():
        await message.reply_text(f"报告文件夹不存在：<code>{folder}</code>")
        return
    status = await StatusMessage.send(message, f"⏳ 正在重新扫描 <code>{folder}</code>…")

    def progress(done: int, total: int, name: str) -> None:
        current = f" {escape(_short(name, 60))}…" if name else ""
        status.update(f"⏳ 正在重新扫描 <code>{folder}</code>：{done}/{total}{current}")

    try:
        summary = await engine(context).ingest_paths([seeds], progress=progress)
    except Exception as exc:
        log.exception("reload of %s failed", seeds)
        await status.finish(f"❌ 重新扫描失败（{escape(type(exc).__name__)}），请查看日志。")
        return
    await status.finish(reload_summary(summary, str(seeds)))


def reload_summary(summary: IngestSummary, folder: str) -> str:
    lines = [f"🔄 已重新扫描 <code>{escape(_short(folder, 200))}</code>："]
    for attr, label in (("added", "新增"), ("updated", "更新"), ("unchanged", "未变")):
        ids = list(getattr(summary, attr))
        shown = "、".join(escape(_short(str(i))) for i in ids[:MAX_LISTED])
        more = f" 等{len(ids)}份" if len(ids) > MAX_LISTED else ""
        lines.append(f"• {label} {len(ids)}" + (f"：{shown}{more}" if ids else ""))
    if summary.duplicates:  # same content as a loaded report under another id: not loaded
        dupes = "、".join(
            f"{escape(_short(name))}＝{escape(_short(rid))}"
            for name, rid in summary.duplicates[:MAX_LISTED]
        )
        more = f" 等{len(summary.duplicates)}份" if len(summary.duplicates) > MAX_LISTED else ""
        lines.append(f"• 重复 {len(summary.duplicates)}：{dupes}{more}")
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
    shown = escape(_short(report_id))  # an id is echoed bounded: it may be 4,000 characters
    if await eng.delete_report(report_id):
        await message.reply_text(f"🗑 已删除报告 <code>{shown}</code>。")
    else:
        await message.reply_text(f"没有找到报告 <code>{shown}</code>，发送 /reports 查看现有报告。")


def register(app: Application) -> None:
    # Edited commands are not run again: editing `/delete a` into `/delete b` deletes nothing.
    only_new = filters.UpdateType.MESSAGE
    # block=False: a reload or import may take seconds; other updates must not wait for it.
    app.add_handler(CommandHandler("reload", reload, filters=only_new, block=False))
    app.add_handler(CommandHandler("delete", delete, filters=only_new))

"""Admin-only: /reload and /delete (uploading a report file is handlers/uploads.py).

Everyone else gets a polite refusal, at most one per chat per minute (handlers/guard.py), and
nothing changes. Loading runs in worker threads inside the engine, so queries keep being
answered meanwhile; /reload shows its progress in a status message edited every ~2 s.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.render import admin as texts
from bot.render.admin import fit, reload_summary
from handlers.common import engine, services
from handlers.guard import REFUSAL, admin_only
from handlers.progress import StatusMessage

__all__ = ["REFUSAL", "fit", "register", "reload_summary"]

log = logging.getLogger(__name__)


@admin_only
async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: rescan SEEDS_DIR; a status message shows "⏳ 12/76 …" while it runs and then
    becomes the summary: added, updated, unchanged, duplicate and failed files."""
    message = update.effective_message
    assert message is not None
    svc = services(context)
    seeds = svc.settings.seeds_dir
    folder = str(seeds)
    if not seeds.is_dir():
        await message.reply_text(texts.no_seeds_folder(folder))
        return
    status = await StatusMessage.send(message, texts.reload_started(folder))

    def progress(done: int, total: int, name: str) -> None:
        status.update(texts.reload_progress(folder, done, total, name))

    try:
        summary = await engine(context).ingest_paths([seeds], progress=progress)
    except Exception as exc:
        log.exception("reload of %s failed", seeds)
        await status.finish(texts.reload_failed(type(exc).__name__))
        return
    await status.finish(reload_summary(summary, folder))


@admin_only
async def delete(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/delete REPORT: remove one report."""
    message = update.effective_message
    assert message is not None
    eng = engine(context)
    if not context.args:
        await message.reply_text(texts.delete_usage([i.id for i in await eng.reports()]))
        return
    report_id = context.args[0]
    if await eng.delete_report(report_id):
        await message.reply_text(texts.deleted(report_id))
    else:
        await message.reply_text(texts.not_deleted(report_id))


def register(app: Application) -> None:
    # Edited commands are not run again: editing `/delete a` into `/delete b` deletes nothing.
    only_new = filters.UpdateType.MESSAGE
    # block=False: a reload or import may take seconds; other updates must not wait for it.
    app.add_handler(CommandHandler("reload", reload, filters=only_new, block=False))
    app.add_handler(CommandHandler("delete", delete, filters=only_new))

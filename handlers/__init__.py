"""Telegram handlers, one module per feature. They read the update, call the engine and send
the rendered reply; the work happens in bot/ (engine, render), which never imports telegram."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:
    """Add every handler. Order matters within PTB's group 0: the first match wins, so
    specific commands and buttons come before the catch-alls."""
    from handlers import admin, buttons, commands, errors, inline, query, stats, tables, uploads

    commands.register(app)
    admin.register(app)
    stats.register(app)
    uploads.register(app)
    query.register(app)
    buttons.register(app)
    tables.register(app)
    inline.register(app)
    commands.register_fallback(app)
    buttons.register_fallback(app)
    errors.register(app)

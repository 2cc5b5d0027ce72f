"""Everything the bot and the console show, as text: pure functions, no I/O, no telegram import.

    limits   Telegram's limits and the bot's budgets, in one place
    text     measuring (UTF-16 units), escaping and cutting: the pieces the rest is built from
    answer   answers: figures, excerpts, pages, empty and not-loaded answers
    table    comparison, series and tracking tables (monospace, paged)
    files    chart captions and CSV file names for the table buttons
    reports  the list of loaded reports
    inline   inline-mode cards
    help     /start, /help, /about, usage notes, the command menu
    notices  refusals, rate-limit notices, stale buttons, errors
    admin    /reload and /delete replies, upload previews and their outcomes

`from bot.render import render_answer, Page, width, …` keeps working for older imports.
"""

from bot.render.answer import (
    EXAMPLES,
    render_answer,
    render_empty,
    render_excerpt,
    render_figure,
    render_not_loaded,
    render_passage,
)
from bot.render.limits import MIN_BUDGET, TELEGRAM_LIMIT
from bot.render.reports import render_reports
from bot.render.text import ELLIPSIS, Page, width

__all__ = [
    "ELLIPSIS",
    "EXAMPLES",
    "MIN_BUDGET",
    "TELEGRAM_LIMIT",
    "Page",
    "render_answer",
    "render_empty",
    "render_excerpt",
    "render_figure",
    "render_not_loaded",
    "render_passage",
    "render_reports",
    "width",
]

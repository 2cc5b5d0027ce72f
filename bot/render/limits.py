"""Telegram's limits and the budgets this bot keeps inside them: the one place that says how
long a text, caption, button or list of inline results may be.

Telegram counts text in UTF-16 code units after entity parsing; render measures the raw HTML
(tags and entities included), which is never shorter, so anything within a budget here is
within Telegram's limit there.
"""

from __future__ import annotations

# ── Telegram's own limits (Bot API) ──────────────────────────────────────────────────────────
TELEGRAM_LIMIT = 4096  # text of one message
CAPTION_LIMIT = 1024  # caption of a photo or document
CALLBACK_DATA = 64  # bytes of a button's callback_data
INLINE_RESULTS = 50  # results in one answerInlineQuery
ALERT_LIMIT = 200  # text of answerCallbackQuery (a toast or an alert)
BUTTON_TEXT = 64  # what a button label can usefully hold (Telegram cuts longer ones)

# ── the bot's budgets ────────────────────────────────────────────────────────────────────────
GROUP_BUDGET = 1500  # one phone screen: answers in groups must not push the conversation away
PRIVATE_BUDGET = 3000  # a private chat can take more, still well inside Telegram's 4096
PASSAGE_BUDGET = 3500  # [原文]: the whole passage, asked for explicitly
CARD_BUDGET = 1200  # an inline excerpt card lands in someone else's chat: keep it short
# An inline table card cannot page (a message sent via inline mode has no buttons of ours that
# work), so it may take most of a message.
INLINE_TABLE_BUDGET = 3500
ADMIN_BUDGET = 3800  # admin replies (/reload summary, /delete usage): under 4096 with room
MIN_BUDGET = 200  # below this an answer cannot hold a header, one item and a source line
INLINE_CARDS = 20  # results offered for one inline query (Telegram allows INLINE_RESULTS)

# ── the phone ────────────────────────────────────────────────────────────────────────────────
# Display cells of one line of Telegram's monospace font on a phone in portrait.
PHONE_COLUMNS = 32
# Rows of a table on one page: with its title, header and footer about 22 lines, what a phone
# shows without scrolling.
TABLE_ROWS_PER_PAGE = 15


def fits_callback(data: str) -> bool:
    """Telegram refuses callback data that is empty or over 64 bytes (BUTTON_DATA_INVALID)."""
    return 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA

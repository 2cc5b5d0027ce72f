"""Buttons work only on the message they were sent with.

Callback data comes from the client and can be forged: data from a button in chat A can arrive
on a message in chat B. So every button's server-side state records the chat and message its
reply went to (once it has been sent), and every callback is checked against both. A callback
from an inline message carries no message at all; it is answered, never acted on.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import CallbackQuery, MaybeInaccessibleMessage

NOT_HERE = "这个按钮不属于这条消息，无法在这里使用。"
NO_MESSAGE = "这个按钮在这里不可用，请在与机器人的聊天中使用。"


@dataclass(slots=True, frozen=True)
class Origin:
    chat_id: int
    message_id: int


def origin(message: MaybeInaccessibleMessage) -> Origin:
    return Origin(message.chat.id, message.message_id)


def misplaced(query: CallbackQuery, bound: Origin | None) -> str | None:
    """Why this callback must not act on state bound to `bound`; None when it may."""
    if query.message is None:
        return NO_MESSAGE
    if bound is None or bound != origin(query.message):
        return NOT_HERE
    return None

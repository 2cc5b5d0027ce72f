"""Buttons work only on the message they were sent with.

Callback data comes from the client and can be forged: data from a button in chat A can arrive
on a message in chat B. So every button's server-side state records the chat and message its
reply went to (once it has been sent), and every callback is checked against both. A callback
from an inline message carries no message at all; it is answered, never acted on.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from telegram import CallbackQuery, MaybeInaccessibleMessage

from bot.render.notices import NO_MESSAGE, NOT_HERE

__all__ = ["NOT_HERE", "NO_MESSAGE", "MessageIndex", "Origin", "misplaced", "origin"]


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


class MessageIndex:
    """The other way round: which state key a message of the bot's shows (an answer, or the
    chart or CSV sent for it), so that a reply to that message can be asked in the answer's
    scope. Bounded: the oldest messages are forgotten first."""

    def __init__(self, capacity: int = 4000) -> None:
        self.capacity = capacity
        self._keys: OrderedDict[Origin, str] = OrderedDict()

    def put(self, message: MaybeInaccessibleMessage, key: str) -> None:
        where = origin(message)
        self._keys[where] = key
        self._keys.move_to_end(where)
        while len(self._keys) > self.capacity:
            self._keys.popitem(last=False)

    def get(self, chat_id: int, message_id: int) -> str | None:
        return self._keys.get(Origin(chat_id, message_id))

    def __len__(self) -> int:
        return len(self._keys)

"""A status message edited while long work runs (/reload, large imports): "⏳ 12/76 …".

The work only records its latest state (`update`, cheap and synchronous, so engine progress
callbacks can call it); a background task edits the message when the text has changed, at most
every `interval` seconds, which keeps well inside Telegram's limits on edits. `finish` always
shows the final text: if the edit fails, it is sent as a new message, so a "⏳" never stays.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from telegram import Bot, Message
from telegram.error import TelegramError

from handlers.common import not_modified_ok

log = logging.getLogger(__name__)

INTERVAL = 2.0  # seconds between edits


class StatusMessage:
    def __init__(
        self, bot: Bot, chat_id: int, message_id: int, text: str, *, interval: float | None = None
    ) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.message_id = message_id
        self.interval = INTERVAL if interval is None else interval
        self.edits: list[float] = []  # when each edit was made (monotonic), for tests
        self._shown = text
        self._latest = text
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def send(
        cls, message: Message, text: str, *, interval: float | None = None
    ) -> StatusMessage:
        """Reply to `message` with `text` and keep it up to date from now on."""
        sent = await message.reply_text(text)
        status = cls(message.get_bot(), sent.chat.id, sent.message_id, text, interval=interval)
        status.start()
        return status

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._tick(), name="status-message")

    def update(self, text: str) -> None:
        self._latest = text

    async def show(self, text: str) -> None:
        """Edit now (the first state of the work), then keep updating."""
        self._latest = text
        await self._edit(text)
        self.start()

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            if self._latest != self._shown:
                await self._edit(self._latest)

    async def _edit(self, text: str) -> bool:
        try:
            with not_modified_ok():
                await self.bot.edit_message_text(
                    text, chat_id=self.chat_id, message_id=self.message_id
                )
        except TelegramError as exc:
            log.warning("status message not updated: %s", exc)
            return False
        self._shown = text
        self.edits.append(time.monotonic())
        return True

    async def finish(self, text: str) -> None:
        """Stop the updates and show `text`, editing the message or, failing that, anew."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if await self._edit(text):
            return
        try:
            await self.bot.send_message(self.chat_id, text)
        except TelegramError as exc:
            log.error("final status not shown in chat %s: %s", self.chat_id, exc)

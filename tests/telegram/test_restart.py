"""Buttons survive a restart: the bot as `reportbot run` runs it (long polling over HTTP
against the local Bot API server) is stopped, and a new Application with a new Engine on the
same database serves the taps on messages the old one sent."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.app import build_application
from bot.previews import PREVIEW_TTL
from tests.telegram.botapi_server import BotAPIServer
from tests.telegram.conftest import ADMIN, UPLOAD, USER, buttons, make_settings, polling

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.usefixtures("no_telegram_errors"),
]


@contextlib.asynccontextmanager
async def running(server: BotAPIServer, data_dir: Path) -> AsyncIterator[Application]:
    """The steps of Application.run_polling, and of its shutdown, in this loop."""
    async with polling(build_application(make_settings(server, data_dir))) as app:
        yield app  # it opens its own engine, and closing it writes what is waiting


async def test_more_works_after_a_restart(server: BotAPIServer, data_dir: Path) -> None:
    async with running(server, data_dir) as first:
        mark = server.mark()
        server.private_text(USER, "增长")
        answer = await server.wait_for("sendMessage", after=mark, chat_id=USER)
        assert "更多 ▸" in buttons(answer)
        page_one = answer.result["text"]
        engine = first.bot_data["services"].engine
    assert engine is not None and first.bot_data["services"].engine is None  # closed
    message = server.messages[USER][answer.result["message_id"]]

    async with running(server, data_dir) as second:
        assert second.bot_data["services"].engine is not engine  # a new engine
        assert len(second.bot_data["services"].answers) == 0  # nothing in memory
        mark = server.mark()
        server.press(message, "更多", USER)
        edit = await server.wait_for("editMessageText", after=mark, chat_id=USER)
        assert edit.params["message_id"] == answer.result["message_id"]
        assert "第2页" in edit.params["text"] and edit.params["text"] != page_one
        assert "◂ 上一页" in buttons(edit)
        # [原文] too, as a reply to the old answer.
        mark = server.mark()
        server.press(message, "原文", USER)
        passage = await server.wait_for("sendMessage", after=mark, chat_id=USER)
        assert passage.result["text"].startswith("📄")
        # Still bound to its message: the same data on another message does nothing.
        mark = server.mark()
        other = server.private_text(USER, "就业目标")
        reply = await server.wait_for("sendMessage", after=mark, chat_id=USER)
        data = message["reply_markup"]["inline_keyboard"][0][-1]["callback_data"]
        mark = server.mark()
        server.press_data(server.messages[USER][reply.result["message_id"]], data, USER)
        refused = await server.wait_for("answerCallbackQuery", after=mark)
        assert "不属于这条消息" in refused.params["text"]
        assert other is not None


async def test_an_upload_preview_imports_after_a_restart(
    server: BotAPIServer, data_dir: Path
) -> None:
    pending = data_dir / "uploads" / "pending"
    async with running(server, data_dir):
        mark = server.mark()
        server.upload_document(ADMIN, "baoding-2025.txt", UPLOAD.read_bytes())
        preview = await server.wait_for("sendMessage", after=mark, chat_id=ADMIN)
        assert buttons(preview) == ["导入", "取消"]
        assert len(list(pending.iterdir())) == 1  # the file waits on disk, not in memory only
    message = server.messages[ADMIN][preview.result["message_id"]]

    async with running(server, data_dir) as second:
        mark = server.mark()
        server.press(message, "导入", ADMIN)
        done = await server.wait_for(
            "editMessageText", after=mark, chat_id=ADMIN, where=lambda c: "✅" in c.params["text"]
        )
        assert "已导入" in done.params["text"] and "baoding-2025" in done.params["text"]
        engine = second.bot_data["services"].engine
        assert (await engine.get_report("baoding-2025")) is not None
        assert (data_dir / "uploads" / "baoding-2025.txt").read_bytes() == UPLOAD.read_bytes()
        assert list(pending.iterdir()) == []  # the previewed file is gone
        # A late tap hears what happened.
        mark = server.mark()
        server.press_data(message, preview.params["reply_markup"]["inline_keyboard"][0][0][
            "callback_data"], ADMIN)  # fmt: skip
        late = await server.wait_for("answerCallbackQuery", after=mark)
        assert "已经导入" in late.params["text"]


async def test_expired_previews_are_pruned_with_their_files(
    server: BotAPIServer, data_dir: Path
) -> None:
    pending = data_dir / "uploads" / "pending"
    async with running(server, data_dir):
        mark = server.mark()
        server.upload_document(ADMIN, "fuping-2021.txt", (UPLOAD.parent / "fuping-2021.txt")
                               .read_bytes())  # fmt: skip
        preview = await server.wait_for("sendMessage", after=mark, chat_id=ADMIN)
        assert buttons(preview) == ["导入", "取消"]
    (file,) = pending.iterdir()
    orphan = pending / "orphan.txt"  # as a crash between the file and its row would leave
    orphan.write_bytes(b"x")
    old = time.time() - PREVIEW_TTL - 120
    os.utime(orphan, (old, old))
    with sqlite3.connect(data_dir / "reports.db") as conn:
        conn.execute("UPDATE upload_previews SET expires_at = 1 WHERE state = 'pending'")
    conn.close()
    async with running(server, data_dir) as second:
        await second.bot_data["services"].engine.journal.flush(housekeeping=True)
        assert not file.exists() and not orphan.exists()
        mark = server.mark()
        server.press(server.messages[ADMIN][preview.result["message_id"]], "导入", ADMIN)
        expired = await server.wait_for("answerCallbackQuery", after=mark)
        assert "过期" in expired.params["text"]

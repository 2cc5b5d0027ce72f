"""End to end: the real bot, long polling over HTTP against the local Bot API server.

One bot instance serves the whole module (starting it costs the engine's warm-up once). The
server answers as Telegram does, so an unescaped `<`, a text over 4096 characters, callback data
over 64 bytes or an edit that changes nothing fails these tests. Every log record, at DEBUG and
including httpx, is captured to prove the token never reaches a log.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from telegram.ext import Application

from bot.app import build_application
from tests.telegram.botapi_server import BotAPIServer
from tests.telegram.conftest import (
    ADMIN,
    ROOT,
    SEEDS,
    UPLOAD,
    USER,
    buttons,
    make_settings,
    polling,
)

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.usefixtures("no_telegram_errors"),
]


class Capture(logging.Handler):
    """Every log line, formatted as a log file would show it (tracebacks included)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []
        self.loggers: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        self.loggers.add(record.name)


@pytest.fixture(scope="module")
def logs() -> Iterator[Capture]:
    capture = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    yield capture
    root.removeHandler(capture)
    root.setLevel(old_level)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(logs: Capture, server: BotAPIServer, data_dir: Path) -> AsyncIterator[Application]:
    """The bot as `reportbot run` runs it: the steps of Application.run_polling, in this loop."""
    settings = make_settings(server, data_dir, log_level="DEBUG")
    # No engine given: post_init opens it from settings.
    async with polling(build_application(settings)) as app:
        yield app


def replying_to(update: dict[str, Any] | None) -> Any:
    """A wait_for filter: the bot's message quoting this update's message."""
    assert update is not None
    message_id = update["message"]["message_id"]
    return lambda c: (c.params.get("reply_parameters") or {}).get("message_id") == message_id


async def test_startup_registers_commands_and_polls(bot: Application, server: BotAPIServer) -> None:
    assert {"q", "help", "reports", "about", "start"} <= {c["command"] for c in server.commands}
    assert server.calls_to("deleteWebhook")  # polling makes sure no webhook is set
    await server.wait_polling()


async def test_private_query(bot: Application, server: BotAPIServer) -> None:
    mark = server.mark()
    server.private_text(USER, "就业目标")
    call = await server.wait_for("sendMessage", after=mark, chat_id=USER)
    assert "700人" in call.result["text"]
    assert "原文" in buttons(call)


async def test_group_command(bot: Application, server: BotAPIServer, group: int) -> None:
    mark = server.mark()
    update = server.group_text(group, USER, "/q 就业目标")
    call = await server.wait_for(
        "sendMessage", after=mark, chat_id=group, where=replying_to(update)
    )
    assert "700人" in call.result["text"]
    assert len(call.params["text"]) <= 1500


async def test_group_mention(bot: Application, server: BotAPIServer, group: int) -> None:
    mark = server.mark()
    update = server.group_text(group, USER, "@ReportTestBot 财政收入")
    call = await server.wait_for(
        "sendMessage", after=mark, chat_id=group, where=replying_to(update)
    )
    assert "财政收入" in call.result["text"]


async def test_group_chatter_is_ignored(bot: Application, server: BotAPIServer, group: int) -> None:
    mark = server.mark()
    for text in ("就业目标是多少来着", "午饭吃什么", "@someone_else 就业目标"):
        server.group_text(group, USER, text)
    addressed = server.group_text(group, USER, "/q GDP")
    await server.wait_for("sendMessage", after=mark, chat_id=group, where=replying_to(addressed))
    await asyncio.sleep(0.3)  # give any wrong answer to the chatter time to show up
    assert len(server.calls_to("sendMessage", chat_id=group)) == 1
    assert server.pending_updates() == 0  # all of it was fetched, and confirmed


async def test_reply_to_the_bot(bot: Application, server: BotAPIServer, group: int) -> None:
    mark = server.mark()
    server.group_text(group, USER, "/q GDP")
    first = await server.wait_for("sendMessage", after=mark, chat_id=group)
    mark = server.mark()
    reply = server.reply_to(first.result, USER, "粮食")
    call = await server.wait_for("sendMessage", after=mark, chat_id=group, where=replying_to(reply))
    assert "粮食" in call.result["text"]


async def test_inline_query(bot: Application, server: BotAPIServer) -> None:
    mark = server.mark()
    server.inline_query(USER, "就业目标")
    call = await server.wait_for("answerInlineQuery", after=mark)
    assert call.ok and 1 < len(call.params["results"]) <= 20
    assert call.params["cache_time"] == 300


async def test_more_button_pages_in_place(
    bot: Application, server: BotAPIServer, group: int
) -> None:
    mark = server.mark()
    server.group_text(group, USER, "/q 增长")
    answer = await server.wait_for("sendMessage", after=mark, chat_id=group)
    assert "更多 ▸" in buttons(answer)
    message = server.messages[group][answer.result["message_id"]]
    mark = server.mark()
    server.press(message, "更多", USER)
    edit = await server.wait_for("editMessageText", after=mark, chat_id=group)
    await server.wait_for("answerCallbackQuery", after=mark)
    assert edit.params["message_id"] == answer.result["message_id"]
    assert "第2页" in message["text"]


async def test_admin_upload_preview_import_then_query(
    bot: Application, server: BotAPIServer, data_dir: Path
) -> None:
    mark = server.mark()
    server.upload_document(ADMIN, "baoding-2025.txt", UPLOAD.read_bytes())
    await server.wait_for("getFile", after=mark)
    preview = await server.wait_for("sendMessage", after=mark, chat_id=ADMIN)
    assert "2025年保定市政府工作报告" in preview.result["text"]
    assert buttons(preview) == ["导入", "取消"]

    mark = server.mark()
    server.press(server.messages[ADMIN][preview.result["message_id"]], "导入", ADMIN)
    await server.wait_for(
        "editMessageText", after=mark, where=lambda c: "已导入" in c.params["text"]
    )
    assert (data_dir / "uploads" / "baoding-2025.txt").exists()

    mark = server.mark()
    server.private_text(USER, "保定 地区生产总值目标")
    answer = await server.wait_for("sendMessage", after=mark, chat_id=USER)
    assert "保定" in answer.result["text"] and "6%左右" in answer.result["text"]


async def test_queries_are_answered_while_an_import_runs(
    bot: Application, server: BotAPIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import uploads as upload_steps  # not `import bot…`: the fixture is called bot

    release = asyncio.Event()
    original = upload_steps.commit

    async def slow_commit(*args: Any, **kwargs: Any) -> str:
        await release.wait()  # a big report still loading
        return await original(*args, **kwargs)

    monkeypatch.setattr(upload_steps, "commit", slow_commit)
    laiyuan = ROOT / "tests" / "data" / "reports" / "laiyuan-2025.txt"
    mark = server.mark()
    server.upload_document(ADMIN, "laiyuan-2025.txt", laiyuan.read_bytes())
    preview = await server.wait_for("sendMessage", after=mark, chat_id=ADMIN)
    mark = server.mark()
    server.press(server.messages[ADMIN][preview.result["message_id"]], "导入", ADMIN)
    await server.wait_for(
        "editMessageText", after=mark, where=lambda c: "正在导入" in c.params["text"]
    )
    server.private_text(USER, "就业目标")
    answer = await server.wait_for("sendMessage", after=mark, chat_id=USER, timeout=5)
    assert "700人" in answer.result["text"]
    edits = [c.params["text"] for c in server.calls[mark:] if c.method == "editMessageText"]
    assert not any("已导入" in text for text in edits)  # answered while the import waits
    release.set()
    await server.wait_for(
        "editMessageText", after=mark, where=lambda c: "已导入" in c.params["text"]
    )


async def test_upload_refuse_replace_cancel_and_forged_taps(
    bot: Application, server: BotAPIServer, group: int
) -> None:
    """Over real polling: a novel named like the seed is refused; another report under a taken
    id needs 替换 (取消 keeps the old one); a preview's button carried elsewhere does nothing."""
    reports = ROOT / "tests" / "data" / "reports"
    novel = ROOT / "tests" / "data" / "nonreports" / "fiction-modern.txt"
    engine = bot.bot_data["services"].engine

    async def reply_to_upload(name: str, data: bytes) -> Any:
        mark = server.mark()
        server.upload_document(ADMIN, name, data)
        return await server.wait_for("sendMessage", after=mark, chat_id=ADMIN)

    refused = await reply_to_upload("wuqia-2022.txt", novel.read_bytes())
    assert "没有导入" in refused.result["text"] and buttons(refused) == []

    preview = await reply_to_upload("wuqia-2022.txt", (reports / "fuping-2021.txt").read_bytes())
    assert buttons(preview) == ["替换", "取消"] and "旧：《2022年乌恰县" in preview.result["text"]
    message = server.messages[ADMIN][preview.result["message_id"]]
    data = message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]

    # The 替换 button's data, tapped on a message in a group: refused, nothing replaced.
    mark = server.mark()
    server.group_text(group, USER, "/q GDP")
    elsewhere = await server.wait_for("sendMessage", after=mark, chat_id=group)
    mark = server.mark()
    server.press_data(server.messages[group][elsewhere.result["message_id"]], data, ADMIN)
    alert = await server.wait_for("answerCallbackQuery", after=mark)
    assert "不属于这条消息" in alert.params["text"]
    assert "乌恰" in (await engine.get_report("wuqia-2022")).title

    mark = server.mark()
    server.press(message, "取消", ADMIN)
    await server.wait_for(
        "editMessageText", after=mark, where=lambda c: "已取消" in c.params["text"]
    )
    assert "乌恰" in (await engine.get_report("wuqia-2022")).title

    preview = await reply_to_upload(
        "baoding-2025.txt", (reports / "national-1997.txt").read_bytes()
    )
    assert buttons(preview) == ["替换", "取消"]
    mark = server.mark()
    server.press(server.messages[ADMIN][preview.result["message_id"]], "替换", ADMIN)
    await server.wait_for(
        "editMessageText", after=mark, where=lambda c: "已替换" in c.params["text"]
    )
    assert "1997" in (await engine.get_report("baoding-2025")).title


async def test_non_admin_is_refused(bot: Application, server: BotAPIServer) -> None:
    mark = server.mark()
    server.upload_document(USER, "baoding-2025.txt", UPLOAD.read_bytes())
    refusal = await server.wait_for("sendMessage", after=mark, chat_id=USER)
    assert "只有管理员" in refusal.result["text"]
    assert not [c for c in server.calls[mark:] if c.method == "getFile"]  # not even downloaded
    # Refusals are rate-limited per chat: the same chat hears nothing more for a minute...
    mark = server.mark()
    server.private_text(USER, "/reload")
    assert [c for c in await server.quiet(0.5, after=mark) if c.method == "sendMessage"] == []
    # ...while another chat gets its own refusal.
    mark = server.mark()
    server.private_text(3003, "/reload")
    refusal = await server.wait_for("sendMessage", after=mark, chat_id=3003)
    assert "只有管理员" in refusal.result["text"]


async def test_a_flood_from_one_person_does_not_delay_others(
    bot: Application, server: BotAPIServer
) -> None:
    """60 costly queries at once from one person, then someone else asks: that answer comes at
    once, not after the flood; the flooder gets 20 answers and then one notice."""
    flooder, other = 9100, 9101
    mark = server.mark()
    for n in range(60):  # the adversarial run's query; the number defeats the caches
        server.private_text(flooder, " ".join(['"招商引姿"', f"-就叶{n}"] * 14)[:200])
    loop = asyncio.get_running_loop()
    asked = loop.time()
    server.private_text(other, "就业目标")
    answer = await server.wait_for("sendMessage", after=mark, chat_id=other, timeout=30)
    latency = loop.time() - asked
    before = server.calls[mark : server.calls.index(answer)]
    flood_first = [c for c in before
                   if c.method == "sendMessage" and c.params["chat_id"] == flooder]  # fmt: skip
    assert "700人" in answer.result["text"]
    assert len(flood_first) <= 5, len(flood_first)  # not queued behind the flood
    assert latency < 2.0, f"{latency:.2f} s"  # ~0.05 s measured; the old code took seconds
    deadline = loop.time() + 30
    while len(server.calls_to("sendMessage", chat_id=flooder)) < 21 and loop.time() < deadline:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # nothing more is coming
    texts = [c.result["text"] for c in server.calls_to("sendMessage", chat_id=flooder)]
    assert len(texts) == 21 and "频繁" in texts[-1]


async def test_token_is_absent_from_every_log_line(
    bot: Application, server: BotAPIServer, logs: Capture
) -> None:
    assert len(logs.lines) > 50
    assert any(name.startswith("telegram") for name in logs.loggers)  # DEBUG really captured
    leaks = [line for line in logs.lines if server.token in line]
    assert leaks == []
    # PTB does log the API URL at DEBUG: it is there, with the token masked.
    assert any(f"{server.base_url}<token>" in line for line in logs.lines)
    # The secret half alone must not leak either (e.g. a URL-encoded or split token).
    assert not any(server.token.split(":", 1)[1] in line for line in logs.lines)
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING


# ── `reportbot run` as a process ──


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(
        DATABASE_PATH=str(tmp / "reports.db"), SEEDS_DIR=str(SEEDS), LOG_LEVEL="DEBUG", **extra
    )
    return env


async def test_run_without_token_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run",
        cwd=tmp_path, env={**_env(tmp_path), "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    assert b"TELEGRAM_BOT_TOKEN" in err and b"Traceback" not in err


async def test_reportbot_run_polls_answers_and_stops(tmp_path: Path) -> None:
    async with BotAPIServer(token="7000002:BBB-another-SECRET-token-xyz") as srv:
        env = _env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=srv.token,
            TELEGRAM_BASE_URL=srv.base_url,
            TELEGRAM_BASE_FILE_URL=srv.base_file_url,
            PYTHONPATH=str(ROOT),
        )
        log_file = tmp_path / "bot.log"
        with log_file.open("wb") as sink:  # a file, not a pipe: DEBUG output would fill a pipe
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
                stdout=sink, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
            try:
                await srv.wait_polling(timeout=40)
                assert srv.commands  # registered at start-up
                mark = srv.mark()
                srv.private_text(USER, "就业目标")
                call = await srv.wait_for("sendMessage", after=mark, chat_id=USER)
                assert "700人" in call.result["text"]
            finally:
                proc.send_signal(signal.SIGINT)
                await asyncio.wait_for(proc.wait(), 30)
        log = log_file.read_text(encoding="utf-8", errors="replace")
        assert proc.returncode == 0, log[-2000:]
        assert "Calling Bot API endpoint" in log  # DEBUG logging was on
        assert srv.token not in log and srv.token.split(":")[1] not in log
        assert "Traceback" not in log


async def _wait_listening(port: int, timeout: float = 20) -> None:
    """PTB calls setWebhook before its web server listens; wait for the socket."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.05)
        else:
            writer.close()
            await writer.wait_closed()
            return


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_reportbot_run_with_webhook(tmp_path: Path) -> None:
    async with BotAPIServer(token="7000003:CCC-webhook-SECRET-token-xyz") as srv:
        port = _free_port()
        env = _env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=srv.token,
            TELEGRAM_BASE_URL=srv.base_url,  # the file URL is derived from it
            WEBHOOK_URL="https://bot.example.org/tg/hook",
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            PYTHONPATH=str(ROOT),
        )
        log_file = tmp_path / "bot.log"
        with log_file.open("wb") as sink:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
                stdout=sink, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
            try:
                await srv.wait_for("setWebhook", timeout=40)
                assert srv.webhook_url == "https://bot.example.org/tg/hook"
                assert srv.webhook_secret and srv.token not in srv.webhook_secret
                await _wait_listening(port)
                update = srv.private_text(USER, "就业目标")
                url = f"http://127.0.0.1:{port}/tg/hook"
                async with aiohttp.ClientSession() as http:
                    # Without Telegram's secret header the update is refused.
                    async with http.post(url, json=update) as resp:
                        assert resp.status == 403
                    mark = srv.mark()
                    headers = {"X-Telegram-Bot-Api-Secret-Token": srv.webhook_secret}
                    async with http.post(url, json=update, headers=headers) as resp:
                        assert resp.status == 200
                    # A body over the limit is refused by its Content-Length, unread.
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.write(
                        b"POST /tg/hook HTTP/1.1\r\nHost: x\r\nContent-Length: 94371840\r\n\r\n{"
                    )
                    answer = await asyncio.wait_for(reader.read(100), 5)
                    writer.close()
                    assert answer.startswith(b"HTTP/1.1 400")
                call = await srv.wait_for("sendMessage", after=mark, chat_id=USER)
                assert "700人" in call.result["text"]
                assert not srv.calls_to("getUpdates")
            finally:
                proc.send_signal(signal.SIGINT)
                await asyncio.wait_for(proc.wait(), 30)
        log = log_file.read_text(encoding="utf-8", errors="replace")
        assert proc.returncode == 0, log[-2000:]
        assert srv.token.split(":")[1] not in log
        # The secret: random, kept next to the database with mode 0600, never logged.
        kept = tmp_path / "webhook-secret"
        assert kept.read_text().strip() == srv.webhook_secret
        assert kept.stat().st_mode & 0o777 == 0o600
        assert "setWebhook" in log and srv.webhook_secret not in log


# ── start-up errors and stopping, as a process ──

REJECTED = "7000009:ZZZ-rejected-SECRET-token-xyz-0123"


@pytest.mark.parametrize("where", ["rejected", "typo", "unreachable", "scheme"])
async def test_startup_errors_never_print_the_token(tmp_path: Path, where: str) -> None:
    """Telegram refusing the token (401), a base URL typo (404), no server, a bad scheme: one
    clear line on stderr, exit 1, and the token nowhere in the output."""
    async with BotAPIServer() as srv:  # its token differs: it answers REJECTED with 401
        base = {
            "rejected": srv.base_url,
            "typo": srv.base_url.removesuffix("/bot") + "/bto",
            "unreachable": "http://127.0.0.1:1/bot",
            "scheme": "htp://127.0.0.1:1/bot",
        }[where]
        env = _env(tmp_path, TELEGRAM_BOT_TOKEN=REJECTED, TELEGRAM_BASE_URL=base,
                   PYTHONPATH=str(ROOT))  # fmt: skip
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(), 60)
    text = (out + err).decode("utf-8", "replace")
    assert proc.returncode == 1, text[-2000:]
    assert REJECTED not in text and REJECTED.split(":")[1] not in text
    last = err.decode().strip().splitlines()[-1]
    assert last.startswith("reportbot: ") and base in last
    if where in ("rejected", "typo"):
        assert "refused the token" in last


async def test_sigterm_stops_at_once_with_updates_queued(tmp_path: Path) -> None:
    """SIGTERM while a flood is queued: polling stops, running handlers get a few seconds,
    the rest is dropped, and the process is gone well within 5 s."""
    async with BotAPIServer(token="7000004:DDD-sigterm-SECRET-token-xyz") as srv:
        env = _env(tmp_path, TELEGRAM_BOT_TOKEN=srv.token, TELEGRAM_BASE_URL=srv.base_url,
                   PYTHONPATH=str(ROOT))  # fmt: skip
        log_file = tmp_path / "bot.log"
        with log_file.open("wb") as sink:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
                stdout=sink, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
            try:
                await srv.wait_polling(timeout=40)
                # The adversarial run's costly query (370 ms each before it was bounded; the
                # number defeats the caches), from many people at once.
                for n in range(90):
                    crafted = " ".join(['"招商引姿"', f"-就叶{n}"] * 14)[:200]
                    srv.private_text(9000 + n % 30, crafted)
                deadline = asyncio.get_running_loop().time() + 20
                while srv.pending_updates() and asyncio.get_running_loop().time() < deadline:
                    await asyncio.sleep(0.02)  # until the bot has fetched (and confirmed) them
                await asyncio.sleep(0.2)  # the handlers are running
                started = asyncio.get_running_loop().time()
                proc.send_signal(signal.SIGTERM)
                await asyncio.wait_for(proc.wait(), 10)
                took = asyncio.get_running_loop().time() - started
            finally:
                if proc.returncode is None:
                    proc.kill()
                    await proc.wait()
        log = log_file.read_text(encoding="utf-8", errors="replace")
        assert proc.returncode == 0, log[-2000:]
        assert took < 5.0, f"{took:.1f} s"
        assert len(srv.calls_to("sendMessage")) < 90  # the queue was dropped, not worked off
        assert "Traceback" not in log and srv.token not in log

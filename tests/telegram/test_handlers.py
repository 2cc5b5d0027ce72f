"""Handlers through Application.process_update; the bot's requests go over HTTP to the local
Bot API server, which refuses what Telegram would refuse."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import pytest_asyncio
from telegram import Update
from telegram.ext import Application

from bot.app import api_urls, build_application, register_commands
from bot.config import Settings
from bot.engine import Engine, IngestSummary
from handlers.admin import reload_summary
from handlers.buttons import STALE
from handlers.common import GROUP_BUDGET
from handlers.ratelimit import GROUP_CHAT_LIMIT, PRIVATE_LIMIT, QueryLimiter
from tests.telegram.botapi_server import NOT_MODIFIED, BotAPIServer, Call, auto_entities
from tests.telegram.conftest import ADMIN, UPLOAD, USER, buttons, make_settings, started

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.usefixtures("no_telegram_errors"),
]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def app(server: BotAPIServer, engine: Engine, data_dir: Path) -> AsyncIterator[Application]:
    application = build_application(make_settings(server, data_dir), engine=engine)
    # USER asks far more than 20 questions a minute across this module; the budget has tests
    # of its own, which put the real one back.
    application.bot_data["services"].private_limiter = QueryLimiter(limit=10_000)
    async with started(application) as a:
        yield a


async def feed(app: Application, server: BotAPIServer, update: dict[str, Any] | None) -> list[Call]:
    """Process one update, including handlers that run as tasks (block=False); the requests it
    made (polling aside)."""
    assert update is not None
    mark = server.mark()
    before = asyncio.all_tasks()
    await app.process_update(Update.de_json(update, app.bot))
    spawned = [t for t in asyncio.all_tasks() - before if t.get_name().startswith("Application:")]
    await asyncio.wait_for(asyncio.gather(*spawned), 30)
    return [c for c in server.calls[mark:] if c.method != "getUpdates"]


def sent(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "sendMessage"]


def message_of(server: BotAPIServer, call: Call) -> dict[str, Any]:
    return server.messages[call.params["chat_id"]][call.result["message_id"]]


# ── queries ──


async def test_private_query_answers_with_figures(app: Application, server: BotAPIServer) -> None:
    calls = sent(await feed(app, server, server.private_text(USER, "就业目标")))
    assert len(calls) == 1
    answer = calls[0]
    assert "700人" in answer.result["text"]
    assert answer.params["parse_mode"] == "HTML"
    assert "更多 ▸" in buttons(answer) and "原文" in buttons(answer)
    assert "reply_parameters" not in answer.params  # no need to quote in a private chat


async def test_unsafe_text_is_escaped(app: Application, server: BotAPIServer) -> None:
    for text in ("a < b & <b>c</b>", "<script>alert(1)</script>", "&lt;就业", "x" * 500):
        calls = sent(await feed(app, server, server.private_text(USER, text)))
        assert len(calls) == 1 and calls[0].ok


async def test_group_command_answers_within_one_screen(
    app: Application, server: BotAPIServer, group: int
) -> None:
    update = server.group_text(group, USER, "/q 就业目标")
    calls = sent(await feed(app, server, update))
    assert len(calls) == 1
    assert "700人" in calls[0].result["text"]
    assert len(calls[0].params["text"]) <= GROUP_BUDGET
    assert calls[0].params["reply_parameters"]["message_id"] == update["message"]["message_id"]


async def test_group_command_with_bot_name(
    app: Application, server: BotAPIServer, group: int
) -> None:
    calls = sent(await feed(app, server, server.group_text(group, USER, "/q@ReportTestBot GDP")))
    assert len(calls) == 1 and "GDP" in calls[0].result["text"]
    # The same command for another bot is none of our business.
    assert await feed(app, server, server.group_text(group, USER, "/q@OtherBot GDP")) == []


async def test_group_mention_is_a_query(app: Application, server: BotAPIServer, group: int) -> None:
    calls = sent(await feed(app, server, server.group_text(group, USER, "@ReportTestBot 就业目标")))
    assert len(calls) == 1
    header = calls[0].result["text"].splitlines()[0]
    assert "就业目标" in header and "@" not in header  # the mention is not part of the query


async def test_group_chatter_is_ignored(app: Application, server: BotAPIServer, group: int) -> None:
    for text in ("今天的就业目标是多少？", "大家好", "@someone 看看这个"):
        assert await feed(app, server, server.group_text(group, USER, text)) == []


async def test_reply_to_the_bot_is_a_query(
    app: Application, server: BotAPIServer, group: int
) -> None:
    first = sent(await feed(app, server, server.group_text(group, USER, "/q GDP")))[0]
    calls = sent(await feed(app, server, server.reply_to(first.result, USER, "财政收入")))
    assert len(calls) == 1 and "财政收入" in calls[0].result["text"]
    # A reply to another person is chatter.
    other = server.group_text(group, 3003, "随便说说")
    assert other is not None
    assert await feed(app, server, server.reply_to(other["message"], USER, "同意")) == []


async def test_bare_command_gets_usage(app: Application, server: BotAPIServer, group: int) -> None:
    calls = sent(await feed(app, server, server.group_text(group, USER, "/q")))
    assert "/q 就业目标" in calls[0].result["text"]


async def test_group_flood_gets_one_notice(
    app: Application, server: BotAPIServer, group: int
) -> None:
    texts = []
    for _ in range(12):
        calls = sent(await feed(app, server, server.group_text(group, 4004, "/q GDP")))
        texts.extend(c.result["text"] for c in calls)
    assert len(texts) == 11
    assert "频繁" in texts[-1]
    # Another member is not affected.
    assert len(sent(await feed(app, server, server.group_text(group, 4005, "/q GDP")))) == 1


async def feed_burst(
    app: Application, server: BotAPIServer, updates: list[dict[str, Any] | None]
) -> list[Call]:
    """Process updates concurrently, as the running bot does (concurrent_updates)."""
    mark = server.mark()
    await asyncio.wait_for(
        asyncio.gather(*(app.process_update(Update.de_json(u, app.bot)) for u in updates)), 60
    )
    return sent(server.calls[mark:])


async def test_private_flood_is_budgeted_and_one_at_a_time(
    app: Application, server: BotAPIServer, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """60 messages at once from one person: 20 answers, worked on one at a time, then one
    notice, after the answers."""
    flooder = 6006
    running, most = 0, 0
    ask = engine.ask

    async def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal running, most
        running += 1
        most = max(most, running)
        try:
            return await ask(*args, **kwargs)
        finally:
            running -= 1

    monkeypatch.setattr(engine, "ask", counting)
    monkeypatch.setattr(app.bot_data["services"], "private_limiter", QueryLimiter(PRIVATE_LIMIT))
    updates = [server.private_text(flooder, f"就业目标 {n}") for n in range(60)]
    texts = [c.result["text"] for c in await feed_burst(app, server, updates)]
    assert len(texts) == PRIVATE_LIMIT + 1
    assert all("700人" in t for t in texts[:-1]) and "频繁" in texts[-1]
    assert most == 1  # never two of one user's queries at once
    assert app.bot_data["services"].turns.waiting(flooder) == 0  # nothing left behind


async def test_group_burst_notice_comes_after_the_answers(
    app: Application, server: BotAPIServer, group: int
) -> None:
    """30 messages at once in one group from one person: 10 answers, then one notice."""
    updates = [server.group_text(group, 7007, f"/q 就业目标 {n}") for n in range(30)]
    texts = [c.result["text"] for c in await feed_burst(app, server, updates)]
    assert len(texts) == 11
    assert all("700人" in t for t in texts[:10]) and "频繁" in texts[-1]


async def test_group_notices_are_one_per_chat_per_window(
    app: Application, server: BotAPIServer, group: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three people flooding one group at once: their answers, and a single notice."""
    # A budget of 3 keeps the answers under Telegram's 20 messages a minute per group, which
    # AIORateLimiter would otherwise enforce by waiting.
    monkeypatch.setattr(app.bot_data["services"], "limiter", QueryLimiter(limit=3))
    updates = [server.group_text(group, user, "/q GDP") for user in (8001, 8002, 8003)
               for _ in range(5)]  # fmt: skip
    texts = [c.result["text"] for c in await feed_burst(app, server, updates)]
    assert sum("频繁" in t for t in texts) == 1
    assert len(texts) == 3 * 3 + 1


async def test_busy_group_is_told_instead_of_answered_late(
    app: Application, server: BotAPIServer, group: int
) -> None:
    """30 questions at once from three people in one group, each within their own budget: the
    group gets as many answers as Telegram lets a bot post at once, then one notice, instead
    of answers held back 3, 6, 9 … seconds by the rate limiter."""
    updates = [server.group_text(group, user, f"/q 就业目标 {n}") for n in range(10)
               for user in (8101, 8102, 8103)]  # fmt: skip
    started = asyncio.get_running_loop().time()
    calls = await feed_burst(app, server, updates)
    took = asyncio.get_running_loop().time() - started
    texts = [c.result["text"] for c in calls]
    assert len(texts) == GROUP_CHAT_LIMIT + 1
    assert all("700人" in t for t in texts[:-1]) and "私聊" in texts[-1]
    assert took < 2.5, f"{took:.1f} s"  # nothing waited for the group's rate limit


async def test_text_with_nothing_to_search_gets_a_hint(
    app: Application, server: BotAPIServer
) -> None:
    for text in ("\u200b\u202e", "\ud800", "\ufe0f", "\x07"):
        (call,) = sent(await feed(app, server, server.private_text(USER, text)))
        assert call.ok and "没有可查询的文字" in call.result["text"]
    (call,) = sent(await feed(app, server, server.private_text(USER, "就业\ud800\u200b目标")))
    assert "700人" in call.result["text"] and "\ud800" not in call.params["text"]


async def test_empty_answer_offers_suggestions(app: Application, server: BotAPIServer) -> None:
    calls = sent(await feed(app, server, server.private_text(USER, "量子计算机")))
    assert "没有找到" in calls[0].result["text"]
    assert buttons(calls[0]) == []


# ── buttons ──


async def test_more_pages_in_place_and_back(
    app: Application, server: BotAPIServer, group: int
) -> None:
    answer = sent(await feed(app, server, server.group_text(group, USER, "/q 增长")))[0]
    message = message_of(server, answer)
    first_text = message["text"]
    calls = await feed(app, server, server.press(message, "更多", USER))
    edit = next(c for c in calls if c.method == "editMessageText")
    assert edit.params["message_id"] == answer.result["message_id"]
    assert "第2页" in message["text"] and message["text"] != first_text
    assert len(edit.params["text"]) <= GROUP_BUDGET
    assert "◂ 上一页" in buttons(edit)
    assert [c.method for c in calls].count("answerCallbackQuery") == 1
    await feed(app, server, server.press(message, "◂", USER))
    assert message["text"] == first_text


async def test_original_sends_the_whole_passage(app: Application, server: BotAPIServer) -> None:
    answer = sent(await feed(app, server, server.private_text(USER, "就业目标")))[0]
    calls = sent(await feed(app, server, server.press(message_of(server, answer), "原文", USER)))
    assert len(calls) == 1
    text = calls[0].result["text"]
    assert text.startswith("📄") and "700人以上" in text
    assert calls[0].params["reply_parameters"]["message_id"] == answer.result["message_id"]


async def test_callback_data_stays_within_64_bytes(app: Application, server: BotAPIServer) -> None:
    await feed(app, server, server.private_text(USER, "增长" * 40))
    for call in server.calls:
        for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                assert len(button.get("callback_data", "").encode()) <= 64


def bump_generation(engine: Engine) -> None:
    """What any change of the reports does to the store (another process could do it)."""
    with sqlite3.connect(engine.store.path) as conn:
        conn.execute("UPDATE counters SET value = value + 1 WHERE name='generation'")
    conn.close()


async def test_stale_buttons_get_a_polite_answer(
    app: Application, server: BotAPIServer, engine: Engine
) -> None:
    answer = sent(await feed(app, server, server.private_text(USER, "就业目标")))[0]
    message = message_of(server, answer)
    for data in ("m:zzzzzzzz:1", "o:zzzzzzzz", "legacy-button"):
        calls = await feed(app, server, server.press_data(message, data, USER))
        assert [c.method for c in calls] == ["answerCallbackQuery"]
        assert "重新" in calls[0].params["text"]
    # After reports change, the old answer's buttons are stale too.
    bump_generation(engine)
    calls = await feed(app, server, server.press(message, "更多", USER))
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert "过期" in calls[0].params["text"]


# ── inline mode ──


async def test_inline_query_offers_cards(app: Application, server: BotAPIServer) -> None:
    calls = await feed(app, server, server.inline_query(USER, "就业目标"))
    (call,) = calls
    results = call.params["results"]
    assert 1 < len(results) <= 20
    assert call.params["cache_time"] == 300
    assert any("700人" in r["title"] for r in results)
    assert any(r["id"].startswith("p") for r in results)  # the excerpts follow the figures


async def test_inline_hostile_query_is_cleaned(app: Application, server: BotAPIServer) -> None:
    (call,) = await feed(app, server, server.inline_query(USER, "\ud800就业\u200b目标\x00"))
    assert call.ok and any("700人" in r["title"] for r in call.params["results"])


async def test_inline_empty_query_shows_examples(app: Application, server: BotAPIServer) -> None:
    (call,) = await feed(app, server, server.inline_query(USER, ""))
    assert call.params["results"]
    assert all(r["title"].startswith("示例") for r in call.params["results"])
    assert call.params["button"]["start_parameter"] == "help"


# ── commands ──


async def test_help_explains_groups(app: Application, server: BotAPIServer) -> None:
    (call,) = sent(await feed(app, server, server.private_text(USER, "/help")))
    text = call.result["text"]
    assert "/q@ReportTestBot" in text and "@ReportTestBot 就业目标" in text and "回复" in text
    assert "/reload" not in text  # admin help is for admins
    (call,) = sent(await feed(app, server, server.private_text(ADMIN, "/start")))
    assert "/reload" in call.result["text"]


async def test_reports_buttons_set_the_chat_default(
    app: Application, server: BotAPIServer, engine: Engine, group: int
) -> None:
    (listing,) = sent(await feed(app, server, server.group_text(group, USER, "/reports")))
    assert "wuqia-2022" in listing.result["text"]
    assert "✓ 全部报告" in buttons(listing)
    message = message_of(server, listing)
    calls = await feed(app, server, server.press(message, "2022年乌恰县", USER))
    assert await engine.chat_report(group) == "wuqia-2022"
    edit = next(c for c in calls if c.method == "editMessageReplyMarkup")
    assert any(b.startswith("✓ 2022年乌恰县") for b in buttons(edit))
    # Choosing it again changes nothing, and says so without an edit.
    calls = await feed(app, server, server.press(message, "✓ 2022年乌恰县", USER))
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    (answer,) = sent(await feed(app, server, server.group_text(group, USER, "/q GDP")))
    assert "乌恰县政府工作报告" in answer.result["text"].splitlines()[0]
    await feed(app, server, server.press(message, "全部报告", USER))
    assert await engine.chat_report(group) is None


async def test_about_shows_version_and_counts(app: Application, server: BotAPIServer) -> None:
    (call,) = sent(await feed(app, server, server.private_text(USER, "/about")))
    assert "0.1.0" in call.result["text"] and "份报告" in call.result["text"]


async def test_command_list_is_registered(app: Application, server: BotAPIServer) -> None:
    server.private_text(ADMIN, "hi")  # admins' chats must be known for their scoped menu
    await register_commands(app)
    names = [c["command"] for c in server.commands]
    assert {"q", "help", "reports", "about", "start"} <= set(names)
    scoped = [c for c in server.calls_to("setMyCommands") if c.params.get("scope")]
    assert scoped and "reload" in [c["command"] for c in scoped[-1].params["commands"]]


# ── admin ──


async def test_non_admin_is_refused_and_nothing_changes(
    app: Application, server: BotAPIServer, engine: Engine
) -> None:
    before = await engine.reports()
    refusals = []
    mark = server.mark()  # other tests (an admin's upload) may have downloaded files before
    for update in (
        server.private_text(USER, "/reload"),
        server.private_text(USER, "/delete wuqia-2022"),
        server.upload_document(USER, "baoding-2025.txt", UPLOAD.read_bytes()),
    ):
        refusals += [c.result["text"] for c in sent(await feed(app, server, update))]
    # One polite refusal per chat and minute; then silence (handlers/guard.py).
    assert len(refusals) == 1 and "只有管理员" in refusals[0]
    assert await engine.reports() == before
    assert [c for c in server.calls[mark:] if c.method == "getFile"] == []  # not downloaded


async def test_admin_reload_reports_each_file(app: Application, server: BotAPIServer) -> None:
    mark = server.mark()
    await feed(app, server, server.private_text(ADMIN, "/reload"))
    status = await server.wait_for("sendMessage", after=mark, chat_id=ADMIN)  # block=False
    assert "正在重新扫描" in status.result["text"]
    # The status message becomes the summary.
    call = await server.wait_for("editMessageText", after=mark, chat_id=ADMIN)
    assert call.params["message_id"] == status.result["message_id"]
    text = call.result["text"]
    assert "未变 1：wuqia-2022" in text and "失败 0" in text


async def test_admin_upload_preview_import_and_query(
    app: Application, server: BotAPIServer, engine: Engine, data_dir: Path
) -> None:
    mark = server.mark()
    await feed(app, server, server.upload_document(ADMIN, "baoding-2025.txt", UPLOAD.read_bytes()))
    preview = await server.wait_for("sendMessage", after=mark, chat_id=ADMIN)
    text = preview.result["text"]
    assert "2025年保定市政府工作报告" in text and "保定市" in text and "目标" in text
    assert buttons(preview) == ["导入", "取消"]
    mark = server.mark()
    await feed(app, server, server.press(message_of(server, preview), "导入", ADMIN))
    done = await server.wait_for(
        "editMessageText", after=mark, where=lambda c: "已导入" in c.params["text"]
    )
    assert "baoding-2025" in done.result["text"]
    assert (data_dir / "uploads" / "baoding-2025.txt").read_bytes() == UPLOAD.read_bytes()
    assert any(r.id == "baoding-2025" for r in await engine.reports())
    (answer,) = sent(await feed(app, server, server.private_text(USER, "保定 地区生产总值")))
    assert "6%左右" in answer.result["text"] and "保定" in answer.result["text"]
    # The same file again: recognised, no preview, nothing imported twice.
    mark = server.mark()
    await feed(app, server, server.upload_document(ADMIN, "baoding-2025.txt", UPLOAD.read_bytes()))
    again = await server.wait_for("sendMessage", after=mark, chat_id=ADMIN)
    assert "已经载入" in again.result["text"] and buttons(again) == []


async def test_upload_of_wrong_type_or_unparsable_file(
    app: Application, server: BotAPIServer
) -> None:
    (call,) = sent(await feed(app, server, server.upload_document(ADMIN, "a.pdf", b"%PDF")))
    assert ".docx" in call.result["text"]
    mark = server.mark()
    await feed(app, server, server.upload_document(ADMIN, "empty.txt", b"   "))
    call = await server.wait_for("sendMessage", after=mark, chat_id=ADMIN)
    assert "无法解析" in call.result["text"]


async def test_admin_delete(app: Application, server: BotAPIServer, engine: Engine) -> None:
    (call,) = sent(await feed(app, server, server.private_text(ADMIN, "/delete no-such-report")))
    assert "没有找到" in call.result["text"]
    (call,) = sent(await feed(app, server, server.private_text(ADMIN, "/delete")))
    assert "wuqia-2022" in call.result["text"]


# ── errors ──


async def test_errors_are_logged_and_the_user_gets_an_apology(
    app: Application,
    server: BotAPIServer,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire <b>")

    monkeypatch.setattr(engine, "ask", broken)
    with caplog.at_level(logging.ERROR):
        (call,) = sent(await feed(app, server, server.private_text(USER, "就业目标")))
    assert call.result["text"] == "出错了，请稍后再试。"
    record = next(r for r in caplog.records if r.name == "handlers.errors")
    assert f"user {USER}" in record.getMessage() and record.exc_info is not None


@pytest.mark.parametrize(
    ("text", "error"),
    [("增长 < 5%", "can't parse entities"), ("字" * 4097, "message is too long")],
)
async def test_a_rendering_bug_is_refused_like_telegram_would(
    app: Application,
    server: BotAPIServer,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    error: str,
) -> None:
    """The server is what makes escaping and length bugs fail these tests."""
    import handlers.query
    from bot.render import Page

    monkeypatch.setattr(handlers.query, "render_answer", lambda *a, **k: Page(text, False, 0))
    mark = server.mark()
    calls = sent(await feed(app, server, server.private_text(USER, "就业目标")))
    assert not calls[0].ok and error in calls[0].error
    assert calls[-1].result["text"] == "出错了，请稍后再试。"
    server.calls[mark:] = [c for c in server.calls[mark:] if c.ok]  # expected here, not a bug


async def test_bare_mention_gets_usage(app: Application, server: BotAPIServer, group: int) -> None:
    (call,) = sent(await feed(app, server, server.group_text(group, USER, "@ReportTestBot")))
    assert "@ReportTestBot 就业目标" in call.result["text"]


async def test_query_limiter_sliding_window() -> None:
    limiter = QueryLimiter(limit=3, period=60)
    verdicts = [limiter.hit(-1, 7, now=t) for t in (0, 1, 2, 3, 4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False, False]
    assert [v.notify for v in verdicts] == [False, False, False, True, False]
    assert verdicts[3].retry_after == 58
    assert limiter.hit(-1, 7, now=60.5).allowed  # the first query left the window
    assert limiter.hit(-1, 8, now=4).allowed  # per user
    assert limiter.hit(-2, 7, now=4).allowed  # per chat


async def test_query_limiter_group_budget_and_one_notice_per_chat() -> None:
    limiter = QueryLimiter(limit=2, period=60, chat_limit=3)
    verdicts = [limiter.hit(-1, user, now=t) for t, user in enumerate((1, 1, 1, 2, 3, 4))]
    assert [v.allowed for v in verdicts] == [True, True, False, True, False, False]
    assert [v.notify for v in verdicts] == [False, False, True, False, False, False]
    assert verdicts[4].busy_chat and not verdicts[2].busy_chat
    assert limiter.hit(-2, 1, now=5).allowed  # another group has its own budget


async def test_file_url_follows_a_self_hosted_base_url() -> None:
    def urls(**kw: str) -> tuple[str, str]:
        return api_urls(Settings(_env_file=None, telegram_bot_token="1:x", **kw))

    assert urls() == ("", "")
    assert urls(telegram_base_url="http://api:8081/bot") == (
        "http://api:8081/bot",
        "http://api:8081/file/bot",
    )
    assert urls(telegram_base_url="http://a/bot", telegram_base_file_url="http://f/x") == (
        "http://a/bot",
        "http://f/x",
    )


async def test_works_with_privacy_mode_on(
    app: Application, server: BotAPIServer, group: int
) -> None:
    """With privacy mode Telegram delivers only what is addressed to the bot: that is enough."""
    server.privacy_mode = True
    try:
        assert server.group_text(group, USER, "就业目标是多少") is None  # never delivered
        first = sent(await feed(app, server, server.group_text(group, USER, "/q GDP")))[0]
        assert first.ok
        mention = server.group_text(group, USER, "@ReportTestBot 财政收入")
        assert sent(await feed(app, server, mention))[0].ok
        reply = server.reply_to(first.result, USER, "就业目标")
        assert "700人" in sent(await feed(app, server, reply))[0].result["text"]
    finally:
        server.privacy_mode = False


async def test_double_tap_on_more_is_quietly_ignored(
    app: Application, server: BotAPIServer, group: int
) -> None:
    answer = sent(await feed(app, server, server.group_text(group, USER, "/q 增长")))[0]
    message = message_of(server, answer)
    stale_data = next(
        b["callback_data"]
        for row in message["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"].startswith("更多")
    )
    await feed(app, server, server.press(message, "更多", USER))
    mark = server.mark()
    # The second tap of a double tap carries the old data: page 2 is already showing.
    calls = await feed(app, server, server.press_data(message, stale_data, USER))
    assert [c.error for c in calls if not c.ok] == [NOT_MODIFIED]
    assert sent(calls) == []  # no 出错了 in the chat
    server.calls[mark:] = [c for c in server.calls[mark:] if c.ok]  # expected: Telegram says so


async def test_send_document_is_stored(server: BotAPIServer, app: Application) -> None:
    chat = server.private_text(USER, "hi")["message"]["chat"]["id"]
    sent_doc = await app.bot.send_document(
        chat, document=b"abc", filename="x.txt", caption="<b>c</b>"
    )
    assert sent_doc.document.file_name == "x.txt" and sent_doc.caption == "c"


# ── review fixes: edited commands, malformed buttons, long admin replies, odd updates ──


def edited(server: BotAPIServer, update: dict[str, Any], text: str) -> dict[str, Any]:
    """The message of `update`, edited by its author to read `text`."""
    message = {**update["message"], "text": text, "edit_date": update["message"]["date"] + 5}
    message["entities"] = auto_entities(text)
    return server.push_update({"edited_message": message})


async def test_edited_commands_do_not_run_again(
    app: Application, server: BotAPIServer, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    touched: list[str] = []

    async def record(*args: object, **kwargs: object) -> None:
        touched.append(repr(args))

    monkeypatch.setattr(engine, "delete_report", record)
    monkeypatch.setattr(engine, "ingest_paths", record)
    help_update = server.private_text(USER, "/help")
    assert len(sent(await feed(app, server, help_update))) == 1
    assert await feed(app, server, edited(server, help_update, "/help")) == []
    delete_update = server.private_text(ADMIN, "/delete")
    await feed(app, server, delete_update)
    for text in ("/delete wuqia-2022", "/reload", "/about", "/reports", "/start", "/q GDP"):
        assert await feed(app, server, edited(server, delete_update, text)) == [], text
    assert touched == []


async def test_malformed_button_data_gets_the_stale_answer(
    app: Application, server: BotAPIServer
) -> None:
    answer = sent(await feed(app, server, server.private_text(USER, "就业目标")))[0]
    message = message_of(server, answer)
    malformed = ["m:abc", "m:", "m", "m::1", "m:a:b:c", "m:k:²", "m:k:-1", "m:k:" + "9" * 60]
    for data in [*malformed, "o:", "o", "x:y:z", "🙂"]:
        calls = await feed(app, server, server.press_data(message, data, USER))
        assert [c.method for c in calls] == ["answerCallbackQuery"], data
        assert calls[0].params["text"] == STALE, data


async def test_delete_without_id_lists_within_the_limit(
    app: Application, server: BotAPIServer, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = [SimpleNamespace(id=f"city-report-{n:04d}") for n in range(1000)]

    async def many() -> list[SimpleNamespace]:
        return fake

    monkeypatch.setattr(engine, "reports", many)
    (call,) = sent(await feed(app, server, server.private_text(ADMIN, "/delete")))
    assert call.ok
    text = call.result["text"]
    assert len(text) <= 4096 and "city-report-0000" in text
    shown = text.count("city-report-")
    assert 50 < shown < 1000 and f"还有{1000 - shown}份" in text


async def test_reload_summary_stays_within_the_limit(
    app: Application, server: BotAPIServer, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = IngestSummary(
        added=[f"{'a' * 300}-{n}" for n in range(40)],
        updated=["<b>x</b>"],
        failed=[(f"{'长' * 300}-{n}.txt", "原因<&>" * 100) for n in range(40)],
    )
    text = reload_summary(summary, "/seeds")
    assert len(text.encode("utf-16-le")) // 2 <= 3800
    assert "还有" in text and "项" in text.splitlines()[-1]

    async def fake_ingest(paths: object, **kwargs: object) -> IngestSummary:
        return summary

    monkeypatch.setattr(engine, "ingest_paths", fake_ingest)
    mark = server.mark()
    await feed(app, server, server.private_text(ADMIN, "/reload"))
    call = await server.wait_for("editMessageText", after=mark, chat_id=ADMIN)
    assert call.ok and "失败 40" in call.result["text"]


async def test_channel_posts_are_ignored(
    app: Application, server: BotAPIServer, caplog: pytest.LogCaptureFixture
) -> None:
    channel = {"id": -1009999999999, "type": "channel", "title": "频道"}
    server.chats[channel["id"]] = channel
    with caplog.at_level(logging.ERROR):
        for n, text in enumerate(("就业目标", "/help", "/q GDP", "@ReportTestBot GDP")):
            post = {"message_id": 100 + n, "sender_chat": channel, "chat": channel, "date": 1}
            post["text"] = text
            if entities := auto_entities(text):
                post["entities"] = entities
            assert await feed(app, server, server.push_update({"channel_post": post})) == []
            edit = {**post, "edit_date": 2}
            assert await feed(app, server, server.push_update({"edited_channel_post": edit})) == []
    assert not [r for r in caplog.records if r.name == "handlers.errors"]


async def test_sticker_in_private_is_ignored_without_error(
    app: Application, server: BotAPIServer, caplog: pytest.LogCaptureFixture
) -> None:
    update = server.private_text(USER, "placeholder")
    message = {k: v for k, v in update["message"].items() if k not in ("text", "entities")}
    message["sticker"] = {
        "file_id": "CAACAgIAAxk-sticker",
        "file_unique_id": "AgADsticker",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }
    with caplog.at_level(logging.ERROR):
        calls = await feed(app, server, server.push_update({"message": message}))
    assert sent(calls) == [] or "出错了" not in sent(calls)[0].result["text"]
    assert not [r for r in caplog.records if r.name == "handlers.errors"]


async def test_forwarded_text_in_private_is_answered(
    app: Application, server: BotAPIServer
) -> None:
    update = server.private_text(USER, "就业目标")
    update["message"]["forward_origin"] = {
        "type": "user",
        "date": 1,
        "sender_user": server.user(3003, "Someone"),
    }
    (call,) = sent(await feed(app, server, update))
    assert "700人" in call.result["text"]


async def test_user_without_username_is_answered(
    app: Application, server: BotAPIServer, group: int
) -> None:
    update = server.private_text(USER, "就业目标", first_name="无名")
    assert "username" not in update["message"]["from"]
    (call,) = sent(await feed(app, server, update))
    assert "700人" in call.result["text"]
    update = server.group_text(group, 5005, "/q 就业目标", first_name="无名")
    assert update is not None and "username" not in update["message"]["from"]
    (call,) = sent(await feed(app, server, update))
    assert "700人" in call.result["text"]


async def test_very_long_private_query_is_answered(app: Application, server: BotAPIServer) -> None:
    for text in ("就业目标" * 1250, "<就业&" * 1000):
        (call,) = sent(await feed(app, server, server.private_text(USER, text)))
        assert call.ok and len(call.params["text"]) <= 4096
        assert "出错了" not in call.result["text"]

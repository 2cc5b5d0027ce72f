"""/stats and learned synonyms through Application.process_update against the local Bot API
server: admins only and in private, per-day/top/miss figures in one message, and a missed query
that finds figures once the admin taps the meaning offered for it."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from telegram.ext import Application

from bot.app import build_application
from bot.engine import Engine
from handlers.binding import NOT_HERE
from handlers.guard import REFUSAL
from tests.telegram.botapi_server import BotAPIServer, Call
from tests.telegram.conftest import ADMIN, USER, buttons, make_settings, started
from tests.telegram.test_handlers import feed, message_of, sent

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.usefixtures("no_telegram_errors"),
]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def app(server: BotAPIServer, engine: Engine, data_dir: Path) -> AsyncIterator[Application]:
    async with started(build_application(make_settings(server, data_dir), engine=engine)) as a:
        yield a


def logged(engine: Engine) -> list[tuple]:
    with sqlite3.connect(engine.store.path) as conn:
        rows = conn.execute("SELECT query, answered, kind FROM query_log ORDER BY id").fetchall()
    conn.close()
    return rows


async def ask(app: Application, server: BotAPIServer, text: str, user: int = USER) -> Call:
    (call,) = sent(await feed(app, server, server.private_text(user, text)))
    return call


async def test_queries_are_logged_without_who_asked(
    app: Application, server: BotAPIServer, engine: Engine, group: int
) -> None:
    await ask(app, server, "就业目标")
    await feed(app, server, server.group_text(group, USER, "/q 经济盘子"))
    await engine.journal.flush()
    rows = logged(engine)
    assert rows[-2:] == [("就业目标", 1, "figures"), ("经济盘子", 0, "none")]
    columns = {row[1] for row in sqlite3.connect(engine.store.path).execute(
        "PRAGMA table_info(query_log)")}  # fmt: skip
    assert not {"user_id", "chat_id", "user", "chat"} & columns


async def test_inline_queries_are_logged_once_typing_settles(
    app: Application, server: BotAPIServer, engine: Engine
) -> None:
    before = len(logged(engine))
    for text in ("就", "就业", "就业目", "就业目标"):  # one update per keystroke
        await feed(app, server, server.inline_query(USER, text))
    app.bot_data["services"].inline_log.flush()  # as if the person stopped typing
    await engine.journal.flush()
    assert logged(engine)[before:] == [("就业目标", 1, "figures")]


async def test_stats_is_for_admins_in_private(
    app: Application, server: BotAPIServer, group: int
) -> None:
    calls = sent(await feed(app, server, server.private_text(USER, "/stats")))
    assert [c.result["text"] for c in calls] == [REFUSAL]
    # Refusals are limited: the second in a minute is silence.
    assert sent(await feed(app, server, server.private_text(USER, "/stats"))) == []
    calls = sent(await feed(app, server, server.group_text(group, ADMIN, "/stats")))
    assert "私聊" in calls[0].result["text"]


async def test_stats_shows_days_top_and_misses(
    app: Application, server: BotAPIServer, engine: Engine
) -> None:
    for text in ("GDP", "GDP", "GDP", "量子计算机", "量子计算机", "火星基地"):
        await ask(app, server, text)
    (call,) = sent(await feed(app, server, server.private_text(ADMIN, "/stats")))
    text = call.result["text"]
    assert "最近14天" in text and "每日查询" in text and "█" in text
    top = text.split("热门查询")[1].split("没有结果的查询")[0]
    assert "1. GDP — 3" in top
    misses = text.split("没有结果的查询")[1]
    assert "量子计算机 — 2" in misses and "GDP" not in misses and "经济盘子" in misses
    assert len(call.params["text"]) <= 4096
    labels = buttons(call)
    assert 1 <= len(labels) <= 5 and all(b.startswith("➕ 作为同义词") for b in labels)


async def test_a_missed_query_finds_figures_after_the_admin_taps_a_meaning(
    app: Application, server: BotAPIServer, engine: Engine
) -> None:
    assert "没有找到" in (await ask(app, server, "经济盘子")).result["text"]
    (stats,) = sent(await feed(app, server, server.private_text(ADMIN, "/stats")))
    label = next(b for b in buttons(stats) if "经济盘子" in b)
    # Someone else's tap on the admin's message: refused, nothing learned.
    calls = await feed(app, server, server.press(message_of(server, stats), label, USER))
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert calls[0].params["text"] == REFUSAL
    (prompt,) = sent(await feed(app, server, server.press(message_of(server, stats), label,
                                                          ADMIN)))  # fmt: skip
    assert "经济盘子" in prompt.result["text"]
    choices = buttons(prompt)
    assert "→ 地区生产总值" in choices and "取消" in choices and len(choices) <= 4
    await feed(app, server, server.press(message_of(server, prompt), "→ 地区生产总值", ADMIN))
    assert "已学会" in message_of(server, prompt)["text"]
    answer = (await ask(app, server, "经济盘子")).result["text"]
    assert "没有找到" not in answer and "生产总值" in answer
    # A second tap on the answered question changes nothing.
    calls = await feed(app, server, server.press_data(
        message_of(server, prompt), prompt.params["reply_markup"]["inline_keyboard"][1][0][
            "callback_data"], ADMIN))  # fmt: skip
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    with sqlite3.connect(engine.store.path) as conn:
        learned = conn.execute("SELECT term, meaning FROM synonyms").fetchall()
    conn.close()
    assert learned == [("经济盘子", "地区生产总值")]


async def test_stats_buttons_act_only_on_their_message(
    app: Application, server: BotAPIServer
) -> None:
    (stats,) = sent(await feed(app, server, server.private_text(ADMIN, "/stats")))
    data = stats.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    other = (await ask(app, server, "就业目标", user=ADMIN)).result
    calls = await feed(app, server, server.press_data(other, data, ADMIN))
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert calls[0].params["text"] == NOT_HERE
    for forged in ("sy:zzzzzzzz:0", "sy::0", data[:-1] + "9", "sm:zzzzzzzz:x"):
        calls = await feed(app, server, server.press_data(message_of(server, stats), forged,
                                                          ADMIN))  # fmt: skip
        assert [c.method for c in calls] == ["answerCallbackQuery"]
        assert "过期" in calls[0].params["text"]

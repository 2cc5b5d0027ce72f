"""End to end: table answers in Telegram. The real bot, long polling over HTTP against the local
Bot API server, on a small library of real reports: five provincial reports for 2026 and the
national reports 2004–2025 (enough for a comparison, a two-page series and a tracking table).

Covered: the [📈 图表] button (a PNG that opens, 1200×800, sent once per answer, drawn off the
event loop one at a time), the [📄 CSV] button (a file Excel and the csv module read, BOM and
all), paging a table, the inline table card, and replies that keep an answer's scope.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from PIL import Image
from telegram.ext import Application

from bot.app import build_application
from bot.chart import PIXELS
from bot.export import COLUMNS
from bot.render import notices
from handlers.ratelimit import QueryLimiter
from tests.telegram.botapi_server import BotAPIServer, Call, Upload
from tests.telegram.conftest import ROOT, USER, buttons, make_settings, polling

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.usefixtures("no_telegram_errors"),
]

CORPUS = ROOT / "tests" / "data" / "corpus"
PROVINCES = ("guangdong", "beijing", "zhejiang", "jiangsu", "shanghai")
NATIONAL_YEARS = (*range(2004, 2012), *range(2013, 2020), 2023, 2024, 2025)
COMPARE = "2026年各省GDP目标"
SERIES = "历年全国GDP增长目标"
TRACK = "2024年GDP目标完成了吗"


def make_library(root: Path) -> Path:
    """A seeds folder of links to the chosen corpus files, named as in the corpus so that the
    ids are the usual ones (guangdong-2026, national-2024)."""
    seeds = root / "library"
    (seeds / "provincial-2026").mkdir(parents=True)
    (seeds / "national").mkdir()
    for name in PROVINCES:
        source = CORPUS / "provincial-2026" / f"{name}.txt"
        (seeds / "provincial-2026" / source.name).symlink_to(source)
    for year in NATIONAL_YEARS:
        source = CORPUS / "national" / f"{year}.txt"
        (seeds / "national" / source.name).symlink_to(source)
    return seeds


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(server: BotAPIServer, data_dir: Path) -> AsyncIterator[Application]:
    """The bot as `reportbot run` runs it (the steps of run_polling), on the small library."""
    settings = make_settings(server, data_dir, seeds_dir=make_library(data_dir))
    app = build_application(settings)  # post_init opens the engine and loads the library
    # USER asks more than 20 questions a minute across this module.
    app.bot_data["services"].private_limiter = QueryLimiter(limit=10_000)
    async with polling(app):
        yield app


async def ask(server: BotAPIServer, text: str, chat: int = USER) -> Call:
    """Ask in a private chat (chat == USER) or a group (/q); the bot's answer."""
    mark = server.mark()
    update = server.private_text(USER, text) if chat == USER else server.group_text(
        chat, USER, f"/q {text}"
    )
    assert update is not None
    return await server.wait_for(
        "sendMessage",
        after=mark,
        chat_id=chat,
        where=lambda c: chat == USER
        or (c.params.get("reply_parameters") or {}).get("message_id")
        == update["message"]["message_id"],
    )


def current(server: BotAPIServer, call: Call) -> dict[str, Any]:
    """The bot's message as it is now (after edits)."""
    return server.messages[call.params["chat_id"]][call.result["message_id"]]


def uploads_for(server: BotAPIServer, answer: Call, method: str) -> list[Upload]:
    return [
        u
        for u in server.uploads
        if u.method == method and u.reply_to == answer.result["message_id"]
        and u.chat_id == answer.params["chat_id"]
    ]


def pre_rows(html: str) -> list[str]:
    """The table rows of a rendered page (the <pre> block without its header line)."""
    block = html.split("<pre>", 1)[1].split("</pre>", 1)[0]
    return block.split("\n")[1:]


# ── chart ──


async def test_table_answer_offers_chart_and_csv(bot: Application, server: BotAPIServer) -> None:
    answer = await ask(server, COMPARE)
    assert "<pre>" in answer.params["text"]
    assert {"📈 图表", "📄 CSV"} <= set(buttons(answer))
    plain = await ask(server, "广东就业目标")
    assert not {"📈 图表", "📄 CSV"} & set(buttons(plain))  # no table, no table buttons


async def test_chart_button_sends_a_png_reply(bot: Application, server: BotAPIServer) -> None:
    answer = await ask(server, COMPARE)
    mark = server.mark()
    server.press(current(server, answer), "📈", USER)
    photo = await server.wait_for("sendPhoto", after=mark, chat_id=USER, timeout=20)
    toast = await server.wait_for("answerCallbackQuery", after=mark)
    assert toast.params.get("text") == notices.CHART_DRAWING and not toast.params.get("show_alert")
    [upload] = uploads_for(server, answer, "sendPhoto")
    assert upload.data.startswith(b"\x89PNG\r\n\x1a\n") and upload.size > 10_000
    with Image.open(io.BytesIO(upload.data)) as image:
        image.verify()  # a whole, valid PNG
    with Image.open(io.BytesIO(upload.data)) as image:
        assert image.size == PIXELS == (1200, 800)
    assert upload.file_name == "2026年各地地区生产总值增速目标.png"
    assert upload.caption == "📈 2026年 各地 地区生产总值增速 目标"
    assert photo.result["caption"] == upload.caption  # plain after parsing: nothing to escape
    assert photo.params["reply_parameters"]["message_id"] == answer.result["message_id"]


async def test_repeated_chart_taps_send_once(bot: Application, server: BotAPIServer) -> None:
    answer = await ask(server, SERIES)
    message = current(server, answer)
    mark = server.mark()
    for _ in range(3):  # a double (triple) tap before the first chart is out
        server.press(message, "📈", USER)
    await server.wait_for("sendPhoto", after=mark, timeout=20)
    server.press(message, "📈", USER)  # and once more after it was sent
    calls = await server.quiet(0.5, after=mark)
    assert len(uploads_for(server, answer, "sendPhoto")) == 1
    alerts = [c.params.get("text") for c in calls
              if c.method == "answerCallbackQuery" and c.params.get("show_alert")]  # fmt: skip
    assert len(alerts) == 3
    assert set(alerts) <= {notices.CHART_BUSY, notices.CHART_SENT}
    assert alerts[-1] == notices.CHART_SENT


async def test_charts_are_drawn_off_the_loop_one_at_a_time(
    bot: Application, server: BotAPIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taps on three tables at once: each chart is drawn in a worker thread, never two at a
    time, and the event loop keeps answering queries meanwhile."""
    import handlers.tables

    real = handlers.tables.render_chart
    running = 0
    most = 0
    threads: set[str] = set()
    lock = threading.Lock()

    def slow_chart(table: Any) -> bytes:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        threads.add(threading.current_thread().name)
        try:
            time.sleep(0.3)  # a slow drawing: would overlap the others without the cap
            return real(table)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(handlers.tables, "render_chart", slow_chart)
    answers = [await ask(server, q) for q in (COMPARE, SERIES, TRACK)]
    mark = server.mark()
    for answer in answers:
        server.press(current(server, answer), "📈", USER)
    other = await ask(server, "北京就业目标")  # asked while the charts are being drawn
    assert len([c for c in server.calls[mark:] if c.method == "sendPhoto"]) < 3
    for answer in answers:
        await server.wait_for(
            "sendPhoto", after=mark, timeout=20,
            where=lambda c, a=answer: c.params["reply_parameters"]["message_id"]
            == a.result["message_id"],
        )  # fmt: skip
    assert most == 1
    assert threading.main_thread().name not in threads
    assert "北京" in other.result["text"]


# ── CSV ──


async def test_csv_button_sends_a_csv_excel_reads(bot: Application, server: BotAPIServer) -> None:
    answer = await ask(server, COMPARE)
    mark = server.mark()
    server.press(current(server, answer), "📄", USER)
    document = await server.wait_for("sendDocument", after=mark, chat_id=USER)
    [upload] = uploads_for(server, answer, "sendDocument")
    assert upload.file_name == "2026年各地地区生产总值增速目标.csv"
    assert document.result["document"]["file_name"] == upload.file_name
    assert upload.data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(upload.data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    by_region = {r[0]: r for r in rows[1:]}
    assert set(by_region) == {"广东省", "北京市", "浙江省", "江苏省", "上海市"}
    assert by_region["广东省"][5] == "4.5%—5%" and by_region["广东省"][10] == "guangdong-2026"
    assert float(by_region["北京市"][6]) == 5.0  # 5%左右: percent figures are kept in %
    server.press(current(server, answer), "📄", USER)  # once per answer
    calls = await server.quiet(0.3, after=mark)
    assert len(uploads_for(server, answer, "sendDocument")) == 1
    assert any(c.params.get("text") == notices.CSV_SENT for c in calls)


# ── paging ──


async def test_a_table_pages_in_place(bot: Application, server: BotAPIServer, group: int) -> None:
    answer = await ask(server, SERIES, chat=group)
    first = answer.params["text"]
    assert "（1/2）" in first and buttons(answer)[0] == "更多 ▸"
    message = current(server, answer)
    mark = server.mark()
    server.press(message, "更多", USER)
    edit = await server.wait_for("editMessageText", after=mark, chat_id=group)
    second = edit.params["text"]
    assert "（2/2）" in second
    assert buttons(edit)[:1] == ["◂ 上一页"] and {"📈 图表", "📄 CSV"} <= set(buttons(edit))
    years = [row.split()[0] for row in pre_rows(first) + pre_rows(second)]
    assert years == [str(y) for y in NATIONAL_YEARS]  # every row once, in order
    assert all(len(pre_rows(p)) <= 15 for p in (first, second))  # one phone screen each
    mark = server.mark()
    server.press(message, "◂", USER)
    back = await server.wait_for("editMessageText", after=mark, chat_id=group)
    assert back.params["text"] == first


# ── inline ──


async def test_inline_query_offers_the_table_first(bot: Application, server: BotAPIServer) -> None:
    mark = server.mark()
    server.inline_query(USER, COMPARE)
    call = await server.wait_for("answerInlineQuery", after=mark)
    results = call.params["results"]
    table, *rest = results
    assert table["id"] == "t0" and table["type"] == "article"
    assert table["title"].startswith("📊 2026年")
    text = table["input_message_content"]["message_text"]
    assert table["input_message_content"]["parse_mode"] == "HTML" and "<pre>" in text
    assert len(pre_rows(text)) == 5 and all(p in text for p in ("广东", "北京", "上海"))
    assert rest and all(r["id"].startswith(("f", "p")) for r in rest)
    assert len(results) <= 20


# ── replies keep the scope ──


async def test_reply_keeps_the_answers_scope(
    bot: Application, server: BotAPIServer, group: int
) -> None:
    first = await ask(server, "广东GDP目标", chat=group)
    assert "广东省" in first.result["text"].split("\n")[0]
    mark = server.mark()
    reply = server.reply_to(first.result, USER, "那就业呢")
    assert reply is not None
    answer = await server.wait_for("sendMessage", after=mark, chat_id=group)
    text = answer.result["text"]
    assert "就业" in text.split("\n")[0] and "2026年广东省政府工作报告" in text.split("\n")[0]
    assert not any(other in text for other in ("北京", "上海", "浙江", "江苏", "国务院"))
    # Without the reply the same words ask the whole library.
    loose = await ask(server, "那就业呢", chat=group)
    assert "2026年广东省政府工作报告" not in loose.result["text"].split("\n")[0]


async def test_reply_in_a_private_chat_keeps_the_scope(
    bot: Application, server: BotAPIServer
) -> None:
    first = await ask(server, "浙江GDP目标")
    mark = server.mark()
    server.reply_to(first.result, USER, "那就业呢")
    answer = await server.wait_for("sendMessage", after=mark, chat_id=USER)
    assert "2026年浙江省政府工作报告" in answer.result["text"].split("\n")[0]


async def test_reply_to_a_not_loaded_answer_is_not_loaded(
    bot: Application, server: BotAPIServer, group: int
) -> None:
    first = await ask(server, "四川GDP目标", chat=group)
    assert "还没有载入四川省" in first.result["text"]
    mark = server.mark()
    server.reply_to(first.result, USER, "那就业呢")
    answer = await server.wait_for("sendMessage", after=mark, chat_id=group)
    assert "还没有载入四川省" in answer.result["text"]


"""Uploads, buttons and refusals through Application.process_update against the local Bot API
server: every bad upload is refused or confirmed with a clear message, the database changes only
on 导入/替换, each preview ends in one final state, and buttons act only where they were sent."""

from __future__ import annotations

import asyncio
import codecs
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from telegram import Update
from telegram.ext import Application

import handlers.uploads
from bot import uploads as upload_steps
from bot.app import build_application
from bot.engine import Engine, IngestSummary
from handlers.binding import NO_MESSAGE, NOT_HERE
from tests.telegram.botapi_server import BotAPIServer, Call
from tests.telegram.conftest import ADMIN, ROOT, USER, buttons, make_settings, started
from tests.telegram.test_handlers import feed, message_of, sent

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.usefixtures("no_telegram_errors"),
]

REPORTS = ROOT / "tests" / "data" / "reports"
NON = ROOT / "tests" / "data" / "nonreports"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def app(server: BotAPIServer, engine: Engine, data_dir: Path) -> AsyncIterator[Application]:
    async with started(build_application(make_settings(server, data_dir), engine=engine)) as a:
        yield a


async def state(engine: Engine) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """What must not change when an upload is refused: the reports and the row counts."""
    return [(r.id, r.sha256) for r in await engine.reports()], await engine.stats()


async def upload(app: Application, server: BotAPIServer, name: str, data: bytes, **kw: Any) -> Call:
    """The admin sends a file; the bot's one reply to it."""
    calls = sent(await feed(app, server, server.upload_document(ADMIN, name, data, **kw)))
    assert len(calls) == 1, [c.params.get("text") for c in calls]
    return calls[0]


def text_of(server: BotAPIServer, call: Call) -> str:
    return message_of(server, call)["text"]


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# ── refused before any preview ──


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        ("wuqia-2022.txt", NON / "fiction-modern.txt", "不像政府工作报告|各位代表"),
        ("report.txt", NON / "lorem-ipsum.txt", "中文"),
        ("news.txt", NON / "news-gwr-interpretation.txt", "各位代表"),
        ("gongbao.txt", NON / "stats-bulletin.txt", "统计公报"),
    ],
)
async def test_non_reports_are_refused_with_the_reason(
    app: Application, server: BotAPIServer, engine: Engine, name: str, source: Path, expected: str
) -> None:
    before = await state(engine)
    reply = await upload(app, server, name, source.read_bytes())
    text = reply.result["text"]
    assert text.startswith("❌ 没有导入") and buttons(reply) == []
    assert any(word in text for word in expected.split("|")), text
    assert await state(engine) == before


async def test_zip_bomb_and_huge_page_are_refused_quickly(
    app: Application, server: BotAPIServer, engine: Engine
) -> None:
    from tests.test_read_limits import docx_with, paragraphs

    before = await state(engine)
    loop = asyncio.get_running_loop()
    for name, data, why in (
        ("report.docx", docx_with(paragraphs("垃圾段落", 20 * 2**20 // 60)), "zip bomb"),
        ("page.html", b"<html><body>" + b"<p>x</p>" * 1_200_000, "page too large"),
    ):
        started = loop.time()
        reply = await upload(app, server, name, data)
        assert loop.time() - started < 3
        assert "无法解析" in reply.result["text"] and why in reply.result["text"]
    assert await state(engine) == before


# ── preview, then 导入 / 替换 / 取消 ──


async def test_upload_preview_import(
    app: Application, server: BotAPIServer, engine: Engine, data_dir: Path
) -> None:
    data = (REPORTS / "laiyuan-2025.txt").read_bytes()
    preview = await upload(app, server, "laiyuan-2025.txt", data)
    assert buttons(preview) == ["导入", "取消"] and "涞源" in preview.result["text"]
    calls = await feed(app, server, server.press(message_of(server, preview), "导入", ADMIN))
    edits = [c for c in calls if c.method == "editMessageText"]
    assert "正在导入" in edits[0].params["text"] and "已导入" in edits[-1].params["text"]
    assert "已导入" in text_of(server, preview) and buttons(preview) == ["导入", "取消"]
    assert "reply_markup" not in message_of(server, preview)  # the buttons are gone
    assert (data_dir / "uploads" / "laiyuan-2025.txt").read_bytes() == data
    assert await engine.get_report("laiyuan-2025") is not None


async def test_same_content_under_another_name_is_not_imported_again(
    app: Application, server: BotAPIServer, engine: Engine
) -> None:
    text = (ROOT / "seeds" / "wuqia-2022.txt").read_text(encoding="utf-8")
    before = await state(engine)
    for name, data in (
        ("乌恰县报告.txt", text.encode("gb18030")),
        ("copy (2).txt", codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode()),
    ):
        reply = await upload(app, server, name, data)
        assert "这份报告已经载入：《2022年乌恰县政府工作报告》" in reply.result["text"]
        assert "wuqia-2022" in reply.result["text"] and buttons(reply) == []
    assert await state(engine) == before


async def test_another_report_under_a_taken_id_needs_replace(
    app: Application, server: BotAPIServer, engine: Engine, data_dir: Path
) -> None:
    """A NUL in the name no longer hides that the id is taken: the preview says so, shows both
    titles and offers 替换, not 导入; 取消 keeps the old report."""
    before = await state(engine)
    data = (REPORTS / "fuping-2021.txt").read_bytes()
    preview = await upload(app, server, "wuqia-2022\x00.txt", data)
    text = preview.result["text"]
    assert buttons(preview) == ["替换", "取消"]
    assert "已被占用" in text and "旧：《2022年乌恰县政府工作报告》" in text
    assert "新：《2021年阜平县政府工作报告》" in text and "\x00" not in text
    # A forged 导入 on a replacement preview does nothing.
    key = message_of(server, preview)["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    calls = await feed(
        app, server, server.press_data(message_of(server, preview), "imp:" + key[4:], ADMIN)
    )
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    await feed(app, server, server.press(message_of(server, preview), "取消", ADMIN))
    assert "已取消" in text_of(server, preview) and "数据库没有改变" in text_of(server, preview)
    assert await state(engine) == before

    # 替换 on another preview: the report under the id is the new one, and so is the file.
    laiyuan = await engine.get_report("laiyuan-2025")
    assert laiyuan is not None
    new = (REPORTS / "national-1997.txt").read_bytes()
    preview = await upload(app, server, "laiyuan-2025.txt", new)
    assert buttons(preview) == ["替换", "取消"] and "《涞源县2025年政府工作报告》" in text_of(
        server, preview
    )
    await feed(app, server, server.press(message_of(server, preview), "替换", ADMIN))
    assert "已替换" in text_of(server, preview)
    replaced = await engine.get_report("laiyuan-2025")
    assert replaced is not None and "1997" in replaced.title
    assert (data_dir / "uploads" / "laiyuan-2025.txt").read_bytes() == new


async def test_path_names_never_leave_the_uploads_folder(
    app: Application, server: BotAPIServer, engine: Engine, data_dir: Path
) -> None:
    data = (REPORTS / "national-2023.txt").read_bytes()
    for name in ("../../../tmp/national-2023.txt", "/etc/national-2023.txt",
                 "..\\..\\national-2023.txt"):  # fmt: skip
        preview = await upload(app, server, name, data)
        text = preview.result["text"]
        assert "预览</b>：national-2023.txt" in preview.params["text"], text
        assert "报告ID：national-2023" in text and ".." not in text and "/etc" not in text
        await feed(app, server, server.press(message_of(server, preview), "取消", ADMIN))
    preview = await upload(app, server, "../../national-2023.txt", data)
    await feed(app, server, server.press(message_of(server, preview), "导入", ADMIN))
    assert "已导入" in text_of(server, preview)
    assert (data_dir / "uploads" / "national-2023.txt").exists()
    assert sorted(p.name for p in data_dir.iterdir()) == sorted(
        ["reports.db", "reports.db-shm", "reports.db-wal", "uploads"]
    )


async def test_a_300_character_name_is_bounded_everywhere(
    app: Application, server: BotAPIServer, engine: Engine, data_dir: Path
) -> None:
    name = "政府工作报告" * 50 + "-2025.txt"
    preview = await upload(app, server, name, (REPORTS / "national-2025.txt").read_bytes())
    assert preview.ok and units(preview.params["text"]) <= 4096
    assert name[:100] not in preview.result["text"]  # echoed cut short (80 characters)
    await feed(app, server, server.press(message_of(server, preview), "导入", ADMIN))
    done = text_of(server, preview)
    assert "已导入" in done
    kept = [p.name for p in (data_dir / "uploads").iterdir() if p.name.startswith("政府")]
    assert len(kept) == 1 and len(kept[0]) <= 100 and len(kept[0].encode()) <= 255
    rid = kept[0].removesuffix(".txt")
    # Cut to 60 characters, then the report's year appended (the cut took the name's).
    assert await engine.get_report(rid) is not None and len(rid) <= 60 + len("-2025")


# ── too big, with and without file_size ──


async def test_oversized_file_without_file_size(
    app: Application, server: BotAPIServer, engine: Engine
) -> None:
    before = await state(engine)
    mark = server.mark()
    big = b"a" * (20 * 1024 * 1024 + 1)
    reply = await upload(app, server, "big.txt", big, declare_size=False)
    assert "超过 20 MB" in reply.result["text"]
    # Telegram refuses getFile over 20 MB; that refusal is expected here, not a bug.
    assert [c.error for c in server.calls[mark:] if not c.ok] == ["Bad Request: file is too big"]
    server.calls[mark:] = [c for c in server.calls[mark:] if c.ok]
    assert await state(engine) == before


async def test_download_stops_at_the_limit(
    app: Application, server: BotAPIServer, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file Telegram does serve (a self-hosted server serves up to 2 GB) is counted as it
    arrives and dropped at the limit."""
    monkeypatch.setattr(handlers.uploads, "MAX_UPLOAD", 100_000)
    before = await state(engine)
    reply = await upload(app, server, "big.txt", b"b" * 300_000, declare_size=False)
    assert "超过 20 MB" in reply.result["text"]
    assert await state(engine) == before


async def test_empty_and_binary_files(app: Application, server: BotAPIServer) -> None:
    for name, data, why in (
        ("empty.txt", b"", "empty file"),
        ("blob.txt", bytes(range(256)) * 200, "binary"),
        ("report.txt", b"%PDF-1.7\n" + b"x" * 5000, "PDF"),
    ):
        reply = await upload(app, server, name, data)
        assert "无法解析" in reply.result["text"] and why in reply.result["text"], name


# ── one final state per preview ──


async def press_together(
    app: Application, server: BotAPIServer, first: dict[str, Any], second: dict[str, Any]
) -> list[Call]:
    """Two taps processed concurrently, the second 0.15 s after the first."""
    mark = server.mark()
    before = asyncio.all_tasks()
    await app.process_update(Update.de_json(first, app.bot))
    await asyncio.sleep(0.15)
    await app.process_update(Update.de_json(second, app.bot))
    spawned = [t for t in asyncio.all_tasks() - before if t.get_name().startswith("Application:")]
    await asyncio.wait_for(asyncio.gather(*spawned), 30)
    return server.calls[mark:]


async def test_cancel_during_import_says_the_import_runs_and_it_completes(
    app: Application, server: BotAPIServer, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = upload_steps.commit

    async def slow_commit(*args: Any, **kwargs: Any) -> str:
        await asyncio.sleep(0.5)  # a big report still loading when 取消 arrives
        return await original(*args, **kwargs)

    monkeypatch.setattr(upload_steps, "commit", slow_commit)
    preview = await upload(
        app, server, "baoding-2025.txt", (REPORTS / "baoding-2025.txt").read_bytes()
    )
    message = message_of(server, preview)
    calls = await press_together(
        app, server, server.press(message, "导入", ADMIN), server.press(message, "取消", ADMIN)
    )
    answers = [c.params.get("text") or "" for c in calls if c.method == "answerCallbackQuery"]
    assert any("导入已经开始" in a for a in answers), answers
    final = text_of(server, preview)
    assert "已导入" in final and "已取消" not in final
    assert await engine.get_report("baoding-2025") is not None


async def test_import_after_cancel_imports_nothing(
    app: Application, server: BotAPIServer, engine: Engine
) -> None:
    before = await state(engine)
    data = (REPORTS / "guangdong-2026.txt").read_bytes()
    preview = await upload(app, server, "guangdong-2026.txt", data)
    message = message_of(server, preview)
    calls = await press_together(
        app, server, server.press(message, "取消", ADMIN), server.press(message, "导入", ADMIN)
    )
    answers = [c.params.get("text") or "" for c in calls if c.method == "answerCallbackQuery"]
    assert any("已取消" in a for a in answers)
    assert "已取消" in text_of(server, preview)
    assert await state(engine) == before


async def test_a_failed_import_says_so_and_changes_nothing(
    app: Application,
    server: BotAPIServer,
    engine: Engine,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = await state(engine)
    files = sorted(p.name for p in (data_dir / "uploads").iterdir())
    preview = await upload(
        app, server, "fuping-2021.txt", (REPORTS / "fuping-2021.txt").read_bytes()
    )

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(upload_steps.os, "replace", disk_full)
    with caplog_off():
        await feed(app, server, server.press(message_of(server, preview), "导入", ADMIN))
    monkeypatch.undo()
    final = text_of(server, preview)
    assert final.startswith("❌ 导入失败") and "No space left on device" in final
    assert "数据库和已保存的文件都没有改变" in final and "⏳" not in final
    assert await state(engine) == before
    assert sorted(p.name for p in (data_dir / "uploads").iterdir()) == files
    # A late tap hears what happened.
    calls = await feed(app, server, server.press_data(message_of(server, preview), "can:x", ADMIN))
    assert [c.method for c in calls] == ["answerCallbackQuery"]


def caplog_off() -> Any:
    """The failed import logs a warning with its traceback: expected, and kept quiet here."""
    import contextlib

    @contextlib.contextmanager
    def quiet() -> Any:
        logger = logging.getLogger("handlers.uploads")
        level = logger.level
        logger.setLevel(logging.ERROR)
        try:
            yield
        finally:
            logger.setLevel(level)

    return quiet()


# ── buttons act only where they were sent ──


async def test_forged_callbacks_from_another_chat_are_refused(
    app: Application, server: BotAPIServer, engine: Engine, group: int
) -> None:
    answer_a = sent(await feed(app, server, server.group_text(group, USER, "/q 增长")))[0]
    listing_a = sent(await feed(app, server, server.group_text(group, USER, "/reports")))[0]
    other = group - 1000
    answer_b = sent(await feed(app, server, server.group_text(other, USER, "/q GDP")))[0]
    target = message_of(server, answer_b)
    before_text = target["text"]
    forged = [
        b["callback_data"]
        for source in (answer_a, listing_a)
        for row in message_of(server, source)["reply_markup"]["inline_keyboard"]
        for b in row
    ]
    assert any(d.startswith("m:") for d in forged) and any(d.startswith("r:") for d in forged)
    for data in forged:
        calls = await feed(app, server, server.press_data(target, data, USER))
        assert [c.method for c in calls] == ["answerCallbackQuery"], data
        assert calls[0].params["text"] == NOT_HERE and calls[0].params["show_alert"]
    assert target["text"] == before_text
    assert await engine.chat_report(other) is None
    # An upload preview's buttons, carried to another of the bot's messages, do nothing either.
    preview = await upload(app, server, "x.txt", (REPORTS / "guangdong-2026.txt").read_bytes())
    data = message_of(server, preview)["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    before = await state(engine)
    calls = await feed(app, server, server.press_data(target, data, ADMIN))
    assert [c.params.get("text") for c in calls] == [NOT_HERE]
    assert await state(engine) == before
    # On its own message, the same data works.
    await feed(app, server, server.press(message_of(server, preview), "取消", ADMIN))
    assert "已取消" in text_of(server, preview)


async def test_callbacks_without_a_message_are_answered_not_crashed(
    app: Application, server: BotAPIServer, caplog: pytest.LogCaptureFixture, group: int
) -> None:
    answer = sent(await feed(app, server, server.group_text(group, USER, "/q 增长")))[0]
    listing = sent(await feed(app, server, server.group_text(group, USER, "/reports")))[0]
    real = [
        b["callback_data"]
        for source in (answer, listing)
        for row in message_of(server, source)["reply_markup"]["inline_keyboard"]
        for b in row
    ]
    with caplog.at_level(logging.ERROR):
        for data in [*real, "imp:abc", "rep:abc", "can:abc", "r:wuqia-2022", "zzz"]:
            user = ADMIN if data[:4] in ("imp:", "rep:", "can:") else USER
            calls = await feed(app, server, server.press_inline(data, user))
            assert [c.method for c in calls] == ["answerCallbackQuery"], data
            assert "出错了" not in (calls[0].params.get("text") or ""), data
    assert not [r for r in caplog.records if r.name == "handlers.errors"]
    calls = await feed(app, server, server.press_inline(real[0], USER))
    assert calls[0].params["text"] == NO_MESSAGE


# ── replies that echo input stay within Telegram's limit ──


async def test_delete_with_a_4085_character_id(app: Application, server: BotAPIServer) -> None:
    (call,) = sent(await feed(app, server, server.private_text(ADMIN, "/delete " + "x" * 4085)))
    assert call.ok and "没有找到报告" in call.result["text"] and units(call.params["text"]) < 300


async def test_a_very_long_query_in_a_group(
    app: Application, server: BotAPIServer, group: int
) -> None:
    (call,) = sent(await feed(app, server, server.group_text(group, USER, "/q " + "就业<&>" * 900)))
    assert call.ok and units(call.params["text"]) <= 4096


# ── refusals in groups ──


async def test_non_admin_refusals_are_rate_limited_per_chat(
    app: Application, server: BotAPIServer, engine: Engine, group: int
) -> None:
    before = await state(engine)
    texts = []
    for n in range(30):
        command = ("/reload", "/delete wuqia-2022")[n % 2]
        calls = sent(await feed(app, server, server.group_text(group, USER + n, command)))
        texts += [c.result["text"] for c in calls]
    assert texts == ["抱歉，只有管理员可以这样做。"]
    assert await state(engine) == before
    # A minute later the group may hear one more.
    limiter = app.bot_data["services"].refusals
    limiter._last[group] -= 61
    assert len(sent(await feed(app, server, server.group_text(group, USER, "/reload")))) == 1
    # Another group is not affected by this one.
    assert len(sent(await feed(app, server, server.group_text(group - 7, USER, "/reload")))) == 1


# ── progress ──


async def test_reload_shows_progress_in_an_edited_status_message(
    app: Application,
    server: BotAPIServer,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import handlers.progress

    monkeypatch.setattr(handlers.progress, "INTERVAL", 0.1)

    async def slow_ingest(paths: object, *, progress: Any = None, **kw: Any) -> IngestSummary:
        for done in range(12):
            progress(done, 12, f"report-{done}.txt")
            await asyncio.sleep(0.05)
        progress(12, 12, "")
        return IngestSummary(unchanged=[f"report-{n}" for n in range(12)])

    monkeypatch.setattr(engine, "ingest_paths", slow_ingest)
    mark = server.mark()
    await feed(app, server, server.private_text(ADMIN, "/reload"))
    status = await server.wait_for("sendMessage", after=mark, chat_id=ADMIN)
    await server.wait_for(
        "editMessageText", after=mark, where=lambda c: "未变 12" in c.params["text"]
    )
    edits = [c for c in server.calls[mark:] if c.method == "editMessageText"]
    assert all(c.params["message_id"] == status.result["message_id"] for c in edits)
    progress_texts = [c.params["text"] for c in edits[:-1]]
    assert progress_texts and all("/12" in t for t in progress_texts)
    # At most one edit per interval: 0.6 s of work at 0.1 s gives about 6, never 12.
    assert 1 <= len(progress_texts) <= 8


async def test_a_slow_import_shows_its_stages(
    app: Application, server: BotAPIServer, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import handlers.progress

    monkeypatch.setattr(handlers.progress, "INTERVAL", 0.05)
    original = upload_steps.prepare

    def slow_prepare(report: Any) -> Any:
        import time

        time.sleep(0.4)  # jieba over a very large report
        return original(report)

    monkeypatch.setattr(upload_steps, "prepare", slow_prepare)
    preview = await upload(
        app,
        server,
        "hebei.txt",
        (ROOT / "tests" / "data" / "corpus" / "provincial-2026" / "hebei.txt").read_bytes(),
    )
    mark = server.mark()
    await feed(app, server, server.press(message_of(server, preview), "导入", ADMIN))
    edits = [c.params["text"] for c in server.calls[mark:] if c.method == "editMessageText"]
    assert edits[0].startswith("⏳ 正在导入") and any("建立索引" in t for t in edits)
    assert "已导入" in edits[-1] and "⏳" not in text_of(server, preview)

"""Bad uploads benchmark: a script that prints its figures, not a timed test.

Each kind of bad upload is sent to the real bot (python-telegram-bot, the handlers, the engine)
through the local Bot API server of the tests, as an admin in a private chat. For each it prints
what the bot answered, whether that is a refusal or a preview asking for confirmation (which is
then cancelled), whether the database is unchanged (the reports with their hashes, and the row
counts, before and after), and how long the answer took.

    .venv/bin/python bench/harden_uploads.py
    .venv/bin/python bench/harden_uploads.py --json     # one JSON object per case

The database is a temporary one holding the seed report and baoding-2025.
"""

from __future__ import annotations

import argparse
import asyncio
import codecs
import io
import json
import logging
import platform
import sys
import tempfile
import time
import zipfile
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/harden_uploads.py`
    sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402  (needs the path set above)
from telegram.ext import Application  # noqa: E402

from bot.app import build_application  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.engine import Engine  # noqa: E402
from tests.telegram.botapi_server import BotAPIServer  # noqa: E402

ADMIN = 1001
DATA = ROOT / "tests" / "data"
SEED = ROOT / "seeds" / "wuqia-2022.txt"


@dataclass
class Case:
    kind: str
    name: str
    make: Callable[[], bytes]
    expect: str  # "refused" or "confirm" (a preview whose button is not the plain 导入)
    declare_size: bool = True


@dataclass
class Result:
    kind: str
    outcome: str  # refused | confirm | imported?!
    ok: bool  # the expected outcome, a clear message, and the database unchanged
    unchanged: bool
    seconds: float
    size: int
    message: str


def zip_bomb() -> bytes:
    """100 MB of paragraphs in about 300 KB: the run's 70 KB bomb, larger."""
    para = "<w:p><w:r><w:t>垃圾段落垃圾段落</w:t></w:r></w:p>"
    body = para * (100 * 2**20 // len(para.encode()))
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = (
        f'<?xml version="1.0"?><w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def huge_page() -> bytes:
    text = (DATA / "reports" / "guangdong-2026.txt").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    page = "<html><body><div class='content'>" + paragraphs * 200 + "</div></body></html>"
    return page.encode()  # about 19 MB


def read(path: Path) -> Callable[[], bytes]:
    return path.read_bytes


def cases() -> list[Case]:
    nonreports = DATA / "nonreports"
    fuping = read(DATA / "reports" / "fuping-2021.txt")
    national = read(DATA / "reports" / "national-2023.txt")
    seed_text = SEED.read_text(encoding="utf-8")
    return [
        Case("zip bomb (.docx)", "report.docx", zip_bomb, "refused"),
        Case("huge HTML page (19 MB)", "report.html", huge_page, "refused"),
        Case("novel named like the seed", "wuqia-2022.txt", read(nonreports / "fiction-modern.txt"),
             "refused"),
        Case("classical fiction", "xiaoshuo.txt", read(nonreports / "fiction-classical.txt"),
             "refused"),
        Case("lorem ipsum", "report-2024.txt", read(nonreports / "lorem-ipsum.txt"), "refused"),
        Case("news about a work report", "2025.txt",
             read(nonreports / "news-gwr-interpretation.txt"), "refused"),
        Case("statistical bulletin", "gongbao.txt", read(nonreports / "stats-bulletin.txt"),
             "refused"),
        Case("speech (not a work report)", "jianghua.txt",
             read(nonreports / "speech-economic-work.txt"), "refused"),
        Case("English text", "report.txt", read(nonreports / "english-work-report.txt"),
             "refused"),
        Case("same content, other name (GB18030, CRLF)", "乌恰县报告-副本.txt",
             lambda: seed_text.replace("\n", "\r\n").encode("gb18030"), "refused"),
        Case("same content, BOM", "copy.txt", lambda: codecs.BOM_UTF8 + SEED.read_bytes(),
             "refused"),
        Case("other report under an existing id", "wuqia-2022.txt", fuping, "confirm"),
        Case("NUL in the name", "wuqia-2022\x00.txt", fuping, "confirm"),
        Case("../ in the name", "../../../etc/baoding-2025.txt", fuping, "confirm"),
        Case("absolute path name", "/etc/cron.d/national-2023.txt", national, "confirm"),
        Case("300-character name", "报" * 296 + ".txt", national, "confirm"),
        Case("over 20 MB, no file_size", "big.txt", lambda: b"a" * (20 * 2**20 + 1), "refused",
             declare_size=False),
        Case("empty file", "empty.txt", lambda: b"", "refused"),
        Case("binary data", "data.txt", lambda: bytes(range(256)) * 400, "refused"),
        Case("PDF renamed .txt", "report.txt", lambda: b"%PDF-1.7\n" + b"\x00\x01" * 5000,
             "refused"),
        Case("wrong extension (.pdf)", "report.pdf", lambda: b"%PDF-1.7", "refused"),
        Case("text too long (700,000 characters)", "long.txt",
             lambda: ("各位代表：" + "今年地区生产总值增长6%。" * 50_000).encode(), "refused"),
    ]  # fmt: skip


async def snapshot(engine: Engine) -> tuple[list[tuple[str, str]], dict[str, int]]:
    return [(r.id, r.sha256) for r in await engine.reports()], await engine.stats()


async def process(app: Application, server: BotAPIServer, update: dict[str, Any]) -> None:
    before = asyncio.all_tasks()
    await app.process_update(Update.de_json(update, app.bot))
    spawned = [t for t in asyncio.all_tasks() - before if t.get_name().startswith("Application:")]
    await asyncio.wait_for(asyncio.gather(*spawned), 120)


async def run_case(app: Application, server: BotAPIServer, engine: Engine, case: Case) -> Result:
    data = case.make()
    before = await snapshot(engine)
    mark = server.mark()
    started = time.perf_counter()
    await process(app, server, server.upload_document(ADMIN, case.name, data,
                                                      declare_size=case.declare_size))  # fmt: skip
    seconds = time.perf_counter() - started
    replies = [c for c in server.calls[mark:] if c.method == "sendMessage" and c.ok]
    reply = replies[-1].result if replies else {"text": "(no reply)"}
    rows = (reply.get("reply_markup") or {}).get("inline_keyboard", [])
    labels = [b["text"] for row in rows for b in row]
    if not labels:
        outcome = "refused"
    elif "替换" in labels or case.expect == "confirm":
        outcome = "confirm"
        message = server.messages[ADMIN][reply["message_id"]]
        cancel = next(
            b for b in message["reply_markup"]["inline_keyboard"][0] if b["text"] == "取消"
        )
        await process(app, server, server.press(message, cancel["text"], ADMIN))
    else:
        outcome = "preview"
    # Expected refusals from Telegram (getFile over 20 MB) are part of the case, not errors.
    unchanged = await snapshot(engine) == before
    text = " ".join(reply["text"].split())
    if labels:
        text = f"[{' | '.join(labels)}] " + text
    clear = bool(text) and "出错了" not in text
    ok = unchanged and clear and outcome == case.expect
    return Result(case.kind, outcome, ok, unchanged, seconds, len(data), text)


@asynccontextmanager
async def running_bot(
    tmp: Path, extra: Sequence[Path] = ()
) -> AsyncIterator[tuple[Application, BotAPIServer, Engine]]:
    """The real bot (seeds and `extra` loaded, ADMIN an admin) against a fresh local Bot API
    server, its database in `tmp`; shut down afterwards."""
    async with BotAPIServer() as server:
        engine = await Engine.open(tmp / "reports.db", ROOT / "seeds")
        if extra:
            await engine.ingest_paths(list(extra))
        settings = Settings(
            _env_file=None, telegram_bot_token=server.token, admin_ids=frozenset({ADMIN}),
            database_path=tmp / "reports.db", seeds_dir=ROOT / "seeds",
            telegram_base_url=server.base_url, telegram_base_file_url=server.base_file_url,
        )  # fmt: skip
        app = build_application(settings, engine=engine)
        await app.initialize()
        await app.start()
        try:
            yield app, server, engine
        finally:
            await app.stop()
            await app.shutdown()
            await engine.close()


async def measure() -> list[Result]:
    """Every bad upload through the real bot; one Result per kind."""
    with tempfile.TemporaryDirectory() as tmp:
        async with running_bot(Path(tmp), [DATA / "reports" / "baoding-2025.txt"]) as bot:
            return [await run_case(*bot, case) for case in cases()]


async def main(as_json: bool) -> int:
    logging.basicConfig(level=logging.ERROR)
    results = await measure()
    if as_json:
        for result in results:
            print(json.dumps(asdict(result), ensure_ascii=False))
    else:
        print_table(results)
    return 0 if all(r.ok for r in results) else 1


def print_table(results: list[Result]) -> None:
    print(f"Bad uploads: {len(results)} kinds, Python {platform.python_version()}, "
          f"{platform.machine()}\n")  # fmt: skip
    print("| kind | size | outcome | database unchanged | time | the bot's answer |")
    print("|---|---|---|---|---|---|")
    for r in results:
        size = f"{r.size / 2**20:.1f} MB" if r.size >= 2**20 else f"{r.size / 1024:.1f} KB"
        answer = r.message if len(r.message) <= 90 else r.message[:89] + "…"
        mark = "✅" if r.ok else "❌"
        print(f"| {r.kind} | {size} | {mark} {r.outcome} | {'yes' if r.unchanged else 'NO'} "
              f"| {r.seconds * 1000:.0f} ms | {answer.replace('|', '¦')} |")  # fmt: skip
    slowest = max(results, key=lambda r: r.seconds)
    print(f"\n{sum(r.ok for r in results)}/{len(results)} as expected; "
          f"slowest: {slowest.kind}, {slowest.seconds * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object per case")
    sys.exit(asyncio.run(main(parser.parse_args().json)))

"""Imports and buttons benchmark: a script that prints its figures, not a timed test.

The cases of the adversarial run on imports and buttons, each sent to the real bot
(python-telegram-bot, the handlers, the engine) through the local Bot API server of the tests:

- imports under a name with a NUL byte and under a 300-character name, confirmed: the final
  message states what happened, and the database and the kept files agree with it;
- 导入 then 取消 0.15 s later, and 取消 then 导入: one final state, which the database agrees with;
- a forged callback (chat A's button data on chat B's message): refused, nothing changes;
- callbacks without a message (from an inline card): answered, no error;
- /delete with a 4,085-character id: a bounded reply.

    .venv/bin/python bench/harden_buttons.py
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/harden_buttons.py`
    sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402  (needs the path set above)
from telegram.ext import Application  # noqa: E402

from bench.harden_uploads import ADMIN, DATA, process, running_bot  # noqa: E402
from bot.engine import Engine  # noqa: E402
from tests.telegram.botapi_server import BotAPIServer  # noqa: E402

USER = 2002
GROUP_A = -1001000000001
GROUP_B = -1001000000002
REPORTS = DATA / "reports"
PROVINCES = DATA / "corpus" / "provincial-2026"


@dataclass
class Result:
    case: str
    ok: bool
    seconds: float
    detail: str


@dataclass
class Bot:
    app: Application
    server: BotAPIServer
    engine: Engine
    uploads: Path

    async def send(self, update: dict[str, Any]) -> list[Any]:
        """Processes one update to the end; the bot's calls it caused."""
        mark = self.server.mark()
        await process(self.app, self.server, update)
        return self.server.calls[mark:]

    async def together(self, first: dict[str, Any], second: dict[str, Any]) -> list[Any]:
        """Two taps processed concurrently, the second 0.15 s after the first."""
        mark = self.server.mark()
        before = asyncio.all_tasks()
        await self.app.process_update(Update.de_json(first, self.app.bot))
        await asyncio.sleep(0.15)
        await self.app.process_update(Update.de_json(second, self.app.bot))
        spawned = [
            t for t in asyncio.all_tasks() - before if t.get_name().startswith("Application:")
        ]
        await asyncio.wait_for(asyncio.gather(*spawned), 120)
        return self.server.calls[mark:]

    async def preview(self, name: str, data: bytes) -> dict[str, Any]:
        calls = await self.send(self.server.upload_document(ADMIN, name, data))
        reply = [c for c in calls if c.method == "sendMessage" and c.ok][-1]
        return self.server.messages[ADMIN][reply.result["message_id"]]

    def final(self, message: dict[str, Any]) -> str:
        return " ".join(self.server.messages[ADMIN][message["message_id"]]["text"].split())

    async def loaded(self) -> dict[str, str]:
        return {r.id: r.title for r in await self.engine.reports()}

    def kept(self) -> set[str]:
        """Report files kept beside the database (not the pending previews)."""
        return {p.name for p in self.uploads.glob("*") if p.is_file()}


def labels(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


def callback_data(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def answers(calls: list[Any]) -> list[str]:
    return [c.params.get("text") or "" for c in calls if c.method == "answerCallbackQuery"]


async def import_named(bot: Bot, name: str, source: Path) -> str:
    """Upload `source` as `name` and confirm it; the final message must say it was imported,
    and the report and its kept file must both be there (or both not)."""
    before_reports, before_files = await bot.loaded(), bot.kept()
    message = await bot.preview(name, source.read_bytes())
    button = "替换" if "替换" in labels(message) else "导入"
    await bot.send(bot.server.press(message, button, ADMIN))
    final = bot.final(message)
    added = set(await bot.loaded()) - set(before_reports)
    replaced = {i for i, t in (await bot.loaded()).items() if before_reports.get(i, t) != t}
    files = bot.kept() - before_files
    changed = added | replaced
    ok = "已导入" in final or "已替换" in final
    ok = (
        ok
        and len(changed) == 1
        and all(any(f.startswith(i + ".") for f in bot.kept()) for i in changed)
    )
    ok = ok and all(len(f.encode()) <= 255 and "\x00" not in f for f in files)
    ok = ok and not list(bot.uploads.glob("*.tmp*"))
    if not ok:
        raise AssertionError(f"{final!r}: changed {changed}, new files {files}")
    return f"[{button}] → {final[:60]}…; report {sorted(changed)[0][:24]}, its file kept"


async def import_then_cancel(bot: Bot) -> str:
    message = await bot.preview("henan-2026.txt", (PROVINCES / "henan.txt").read_bytes())
    calls = await bot.together(bot.server.press(message, "导入", ADMIN),
                               bot.server.press(message, "取消", ADMIN))  # fmt: skip
    final = bot.final(message)
    loaded = "henan-2026" in await bot.loaded()
    imported = "已导入" in final and "已取消" not in final
    cancelled = "已取消" in final and "已导入" not in final
    if not ((imported and loaded) or (cancelled and not loaded)):
        raise AssertionError(f"{final!r} but loaded={loaded}")
    told = next((a for a in answers(calls) if "导入" in a), "")
    return f"final: {final[:40]}…; 取消 answered: {told[:30]}; database agrees"


async def cancel_then_import(bot: Bot) -> str:
    before = await bot.loaded()
    message = await bot.preview("hunan-2026.txt", (PROVINCES / "hunan.txt").read_bytes())
    await bot.together(bot.server.press(message, "取消", ADMIN),
                       bot.server.press(message, "导入", ADMIN))  # fmt: skip
    final = bot.final(message)
    if "已取消" not in final or await bot.loaded() != before:
        raise AssertionError(f"{final!r}, loaded changed: {await bot.loaded() != before}")
    return f"final: {final[:40]}; database unchanged"


async def forged_callback(bot: Bot) -> str:
    server = bot.server
    calls_a = await bot.send(server.group_text(GROUP_A, USER, "/q 增长"))
    listing = await bot.send(server.group_text(GROUP_A, USER, "/reports"))
    calls_b = await bot.send(server.group_text(GROUP_B, USER, "/q GDP"))

    def message(calls: list[Any], chat: int) -> dict[str, Any]:
        sent = next(c for c in calls if c.method == "sendMessage" and c.ok)
        return server.messages[chat][sent.result["message_id"]]

    sources = [message(calls_a, GROUP_A), message(listing, GROUP_A)]
    target = message(calls_b, GROUP_B)
    text_before = target["text"]
    forged = [d for source in sources for d in callback_data(source)]
    refused = 0
    for data in forged:
        calls = await bot.send(server.press_data(target, data, USER))
        only_alert = [c.method for c in calls] == ["answerCallbackQuery"]
        refused += only_alert and bool(calls[0].params.get("show_alert"))
    unchanged = target["text"] == text_before and await bot.engine.chat_report(GROUP_B) is None
    if refused != len(forged) or not unchanged:
        raise AssertionError(f"{refused}/{len(forged)} refused, unchanged={unchanged}")
    return f"{refused}/{len(forged)} forged taps refused with an alert; chat B unchanged"


async def callbacks_without_message(bot: Bot) -> str:
    server = bot.server
    calls = await bot.send(server.group_text(GROUP_A, USER, "/q 就业"))
    sent = next(c for c in calls if c.method == "sendMessage" and c.ok)
    real = callback_data(server.messages[GROUP_A][sent.result["message_id"]])
    datas = [*real, "imp:abc", "rep:abc", "can:abc", "r:wuqia-2022", "zzz"]
    answered = 0
    for data in datas:
        user = ADMIN if data[:4] in ("imp:", "rep:", "can:") else USER
        calls = await bot.send(server.press_inline(data, user))
        answered += [c.method for c in calls] == ["answerCallbackQuery"] and all(
            "出错了" not in a for a in answers(calls)
        )
    if answered != len(datas):
        raise AssertionError(f"{answered}/{len(datas)} answered")
    return f"{answered}/{len(datas)} answered with a notice, no error"


async def long_delete(bot: Bot) -> str:
    calls = await bot.send(bot.server.private_text(ADMIN, "/delete " + "x" * 4085))
    sent = [c for c in calls if c.method == "sendMessage"]
    units = len(sent[0].params["text"].encode("utf-16-le")) // 2 if sent else 0
    if len(sent) != 1 or not sent[0].ok or units > 4096:
        raise AssertionError(f"{len(sent)} replies, {units} UTF-16 units")
    return f"one reply of {units} UTF-16 units"


CASES: list[tuple[str, Callable[[Bot], Awaitable[str]]]] = [
    ("import under a name with a NUL byte", lambda b: import_named(
        b, "wuqia-2022\x00.txt", REPORTS / "fuping-2021.txt")),
    ("import under a 300-character name", lambda b: import_named(
        b, "政府工作报告" * 50 + "-2025.txt", REPORTS / "national-2025.txt")),
    ("导入, then 取消 0.15 s later", import_then_cancel),
    ("取消, then 导入 0.15 s later", cancel_then_import),
    ("forged callbacks: chat A's buttons on chat B's message", forged_callback),
    ("callbacks without a message (inline)", callbacks_without_message),
    ("/delete with a 4,085-character id", long_delete),
]  # fmt: skip


async def measure() -> list[Result]:
    """Every case through the real bot; one Result each."""
    results = []
    with tempfile.TemporaryDirectory() as name:
        async with running_bot(Path(name)) as (app, server, engine):
            bot = Bot(app, server, engine, Path(name) / "uploads")
            for case, run in CASES:
                started = time.perf_counter()
                try:
                    detail, ok = await run(bot), True
                except AssertionError as exc:
                    detail, ok = f"FAILED: {exc}", False
                results.append(Result(case, ok, time.perf_counter() - started, detail))
            errors = [c for c in bot.server.calls if not c.ok]
            if errors:
                results.append(Result("Bot API errors", False, 0.0, str(errors[:3])))
    return results


async def main() -> int:
    logging.basicConfig(level=logging.CRITICAL)
    results = await measure()
    print("| case | outcome | time | detail |")
    print("|---|---|---|---|")
    for r in results:
        print(f"| {r.case} | {'✅' if r.ok else '❌'} | {r.seconds * 1000:.0f} ms "
              f"| {r.detail.replace('|', '¦')} |")  # fmt: skip
    print(f"\n{sum(r.ok for r in results)}/{len(results)} as expected")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    sys.exit(asyncio.run(main()))

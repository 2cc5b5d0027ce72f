"""Table buttons benchmark: a script that prints its figures, not a timed test.

The real bot (python-telegram-bot over long polling, the handlers, the engine) against the local
Bot API server of the tests, on the whole corpus (75 reports). It measures, from the tap to the
bot's sendPhoto / sendDocument:

- the first [📈 图表] in a fresh process (matplotlib imported, font registered) and warm ones;
- [📄 CSV];
- a burst: BURST people each tap the chart of their own table answer at once, while another
  person asks a question: how long the burst takes, and how long that person waits.

    .venv/bin/python bench/table_buttons.py
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/table_buttons.py`
    sys.path.insert(0, str(ROOT))


from bot.app import build_application  # noqa: E402
from bot.config import Settings  # noqa: E402
from handlers.ratelimit import QueryLimiter  # noqa: E402
from tests.telegram.botapi_server import BotAPIServer, Call  # noqa: E402
from tests.telegram.conftest import polling  # noqa: E402

QUERIES = (
    "2026年各省GDP目标",
    "历年全国GDP增长目标",
    "2024年GDP目标完成了吗",
    "2026年各省城镇新增就业目标",
    "历年全国CPI目标",
    "2026年各省一般公共预算收入目标",
)
BURST = 8
USER0 = 5000


async def ask(server: BotAPIServer, user: int, text: str) -> tuple[Call, float]:
    mark = server.mark()
    start = time.perf_counter()
    server.private_text(user, text)
    call = await server.wait_for("sendMessage", after=mark, chat_id=user, timeout=30)
    return call, time.perf_counter() - start


async def tap(server: BotAPIServer, answer: Call, button: str, method: str) -> float:
    message = server.messages[answer.params["chat_id"]][answer.result["message_id"]]
    mark = server.mark()
    start = time.perf_counter()
    server.press(message, button, answer.params["chat_id"])
    await server.wait_for(method, after=mark, chat_id=answer.params["chat_id"], timeout=60)
    return time.perf_counter() - start


async def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        async with BotAPIServer() as server:
            settings = Settings(
                _env_file=None, telegram_bot_token=server.token,
                database_path=Path(tmp) / "reports.db",
                seeds_dir=ROOT / "tests" / "data" / "corpus",
                telegram_base_url=server.base_url, telegram_base_file_url=server.base_file_url,
            )  # fmt: skip
            app = build_application(settings)
            app.bot_data["services"].private_limiter = QueryLimiter(limit=10_000)
            async with polling(app):
                await run(server)


async def run(server: BotAPIServer) -> None:
    answers = [(await ask(server, USER0 + i, q))[0] for i, q in enumerate(QUERIES)]
    cold = await tap(server, answers[0], "📈", "sendPhoto")
    warm = [await tap(server, a, "📈", "sendPhoto") for a in answers[1:]]
    csv_times = [await tap(server, a, "📄", "sendDocument") for a in answers]
    sizes = sorted(u.size for u in server.uploads if u.method == "sendPhoto")
    print(f"chart, first in the process: {cold * 1000:.0f} ms")
    print(f"chart, warm: median {statistics.median(warm) * 1000:.0f} ms, "
          f"worst {max(warm) * 1000:.0f} ms ({len(warm)} charts)")  # fmt: skip
    print(f"PNG size: {sizes[0] // 1000}–{sizes[-1] // 1000} kB")
    print(f"CSV: median {statistics.median(csv_times) * 1000:.0f} ms")

    # The burst: BURST people ask a table question each, then all tap 📈 at once.
    people = [USER0 + 100 + i for i in range(BURST)]
    fresh = [(await ask(server, p, QUERIES[i % len(QUERIES)]))[0] for i, p in enumerate(people)]
    _alone, quiet_wait = await ask(server, USER0 + 999, "北京就业目标")
    start = time.perf_counter()
    taps = [tap(server, a, "📈", "sendPhoto") for a in fresh]
    asking = ask(server, USER0 + 998, "上海就业目标")
    results = await asyncio.gather(*taps, asking)
    total = time.perf_counter() - start
    _call, during = results[-1]
    print(f"burst of {BURST} chart taps: all sent in {total * 1000:.0f} ms; "
          f"last chart {max(results[:-1]) * 1000:.0f} ms after its tap")  # fmt: skip
    print(f"another person's query: {quiet_wait * 1000:.0f} ms alone, "
          f"{during * 1000:.0f} ms during the burst")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())

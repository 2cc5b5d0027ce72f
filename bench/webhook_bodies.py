"""Webhook bodies benchmark: what unauthenticated 90 MB requests cost `reportbot run`.

Starts the bot in webhook mode (a subprocess, against the tests' local Bot API server), sends
four 90 MB POSTs at once without the secret header, as the adversarial run did, and prints the
bot's resident memory before and after and how each request was answered.

    .venv/bin/python bench/webhook_bodies.py
    .venv/bin/python bench/webhook_bodies.py --uncapped   # without bot/webhook.py's cap
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.telegram.botapi_server import BotAPIServer  # noqa: E402

BODY = 90 * 1024 * 1024
CONCURRENT = 4


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def post(port: int) -> tuple[str, float, int]:
    """A 90 MB body, sent as fast as the server takes it; its answer, time, bytes sent."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {BODY}\r\n\r\n"
    ).encode()
    writer.write(head)
    chunk = b"x" * (1 << 20)
    sent = 0
    answer = b""
    try:
        while sent < BODY:
            writer.write(chunk)
            await writer.drain()
            sent += len(chunk)
            if reader.at_eof() or reader._buffer:  # type: ignore[attr-defined]  # answered early
                break
        answer = await asyncio.wait_for(reader.read(200), 60)
    except (ConnectionError, TimeoutError):
        # The server answered and closed while the body was still coming: read what it said.
        with contextlib.suppress(ConnectionError, TimeoutError):
            answer = await asyncio.wait_for(reader.read(200), 1)
    finally:
        writer.close()
    status = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    status = status or "refused after the headers (connection closed)"
    return status, time.perf_counter() - started, sent


async def measure(uncapped: bool = False) -> dict[str, Any]:
    """RSS of `reportbot run` (webhook) before, at the peak and after the oversized POSTs, and
    how each POST ended."""
    async with BotAPIServer() as srv:
        port = free_port()
        with tempfile.TemporaryDirectory() as tmp:
            env = {
                k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))
            }
            env.update(
                TELEGRAM_BOT_TOKEN=srv.token, TELEGRAM_BASE_URL=srv.base_url,
                WEBHOOK_URL="https://bot.example.org/hook", WEBHOOK_PORT=str(port),
                DATABASE_PATH=str(Path(tmp) / "reports.db"), SEEDS_DIR=str(ROOT / "seeds"),
                LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT),
            )  # fmt: skip
            code = "import sys; from bot.cli import main; sys.exit(main(['run']))"
            if uncapped:
                code = (
                    "import bot.webhook as w; w.cap_request_bodies = lambda *a, **k: None; " + code
                )
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-c", code, env=env, cwd=tmp,
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            try:
                await srv.wait_for("setWebhook", timeout=60)
                for _ in range(200):
                    try:
                        _, w = await asyncio.open_connection("127.0.0.1", port)
                        w.close()
                        break
                    except OSError:
                        await asyncio.sleep(0.05)
                await asyncio.sleep(0.5)
                before = rss_mb(proc.pid)
                peak = before
                tasks = [asyncio.create_task(post(port)) for _ in range(CONCURRENT)]
                while not all(t.done() for t in tasks):
                    peak = max(peak, rss_mb(proc.pid))
                    await asyncio.sleep(0.05)
                results = [t.result() for t in tasks]
                after = rss_mb(proc.pid)
            finally:
                proc.send_signal(signal.SIGINT)
                await asyncio.wait_for(proc.wait(), 30)
    return {"before": before, "peak": peak, "after": after, "results": results}


async def main(uncapped: bool) -> int:
    m = await measure(uncapped)
    before, peak, after, results = m["before"], m["peak"], m["after"], m["results"]
    label = "without the cap" if uncapped else "with bot/webhook.py's cap"
    print(f"{CONCURRENT} × {BODY // 2**20} MB unauthenticated POSTs, {label}:")
    print(f"  bot RSS before {before:.0f} MB, peak {peak:.0f} MB, after {after:.0f} MB")
    for status, seconds, sent in results:
        print(f"  {status}: after {seconds:.2f} s, {sent / 2**20:.0f} MB sent")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uncapped", action="store_true", help="without the body cap")
    sys.exit(asyncio.run(main(parser.parse_args().uncapped)))

"""Webhook bodies benchmark: what unauthenticated 90 MB requests cost `reportbot run`.

Starts the bot in webhook mode (a subprocess, against the tests' local Bot API server), sends
four 90 MB POSTs at once without the secret header, as the adversarial run did, and prints the
bot's resident memory before and after and how each request was answered. The bot runs at
LOG_LEVEL=DEBUG, and then once more with --rotate-webhook-secret: the secret it registers must
be the one in `webhook-secret`, must never appear in its output, must change on rotation, and an
update sent with it must be accepted (so the refusals are not a server that refuses everything).

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
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.webhook import SECRET_FILE  # noqa: E402
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


async def post_update(port: int, secret: str) -> str:
    """A small, valid update with the given secret header: the status line of the answer."""
    body = b'{"update_id": 1}'
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(200), 30)
    writer.close()
    return answer.split(b"\r\n", 1)[0].decode(errors="replace")


@contextlib.asynccontextmanager
async def running_bot(
    srv: BotAPIServer, tmp: Path, port: int, *, uncapped: bool = False, rotate: bool = False
) -> AsyncIterator[tuple[asyncio.subprocess.Process, Path]]:
    """`reportbot run` in webhook mode at LOG_LEVEL=DEBUG, its output going to a file; yields
    once it listens, and stops it with SIGINT."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=srv.token, TELEGRAM_BASE_URL=srv.base_url,
        WEBHOOK_URL="https://bot.example.org/hook", WEBHOOK_PORT=str(port),
        DATABASE_PATH=str(tmp / "reports.db"), SEEDS_DIR=str(ROOT / "seeds"),
        LOG_LEVEL="DEBUG", PYTHONPATH=str(ROOT),
    )  # fmt: skip
    args = ["run", "--rotate-webhook-secret"] if rotate else ["run"]
    code = f"import sys; from bot.cli import main; sys.exit(main({args!r}))"
    if uncapped:
        code = "import bot.webhook as w; w.cap_request_bodies = lambda *a, **k: None; " + code
    output = tmp / f"bot-output-{len(list(tmp.glob('bot-output-*')))}.log"
    mark = srv.mark()
    with output.open("wb") as sink:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, env=env, cwd=tmp, stdout=sink, stderr=sink
        )
        try:
            await srv.wait_for("setWebhook", timeout=60, after=mark)
            for _ in range(200):
                try:
                    _, w = await asyncio.open_connection("127.0.0.1", port)
                    w.close()
                    break
                except OSError:
                    await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)
            yield proc, output
        finally:
            proc.send_signal(signal.SIGINT)
            await asyncio.wait_for(proc.wait(), 30)


async def measure(uncapped: bool = False) -> dict[str, Any]:
    """RSS of `reportbot run` (webhook) before, at the peak and after the oversized POSTs, how
    each POST ended, and what became of the webhook secret (registered, logged, rotated)."""
    async with BotAPIServer() as srv:
        port = free_port()
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            async with running_bot(srv, tmp, port, uncapped=uncapped) as (proc, _output):
                before = rss_mb(proc.pid)
                peak = before
                tasks = [asyncio.create_task(post(port)) for _ in range(CONCURRENT)]
                while not all(t.done() for t in tasks):
                    peak = max(peak, rss_mb(proc.pid))
                    await asyncio.sleep(0.05)
                results = [t.result() for t in tasks]
                after = rss_mb(proc.pid)
                secret = (tmp / SECRET_FILE).read_text().strip()
                accepted = await post_update(port, secret)
            registered = srv.calls_to("setWebhook")[-1].params.get("secret_token")
            async with running_bot(srv, tmp, port, rotate=True):
                rotated = (tmp / SECRET_FILE).read_text().strip()
            rotated_registered = srv.calls_to("setWebhook")[-1].params.get("secret_token")
            logs = [p.read_text(errors="replace") for p in sorted(tmp.glob("bot-output-*"))]
            secrets = {
                "registered": registered == secret and rotated_registered == rotated,
                "rotated": rotated != secret,
                "in_output": sum(log.count(s) for log in logs for s in (secret, rotated)),
                "output_lines": sum(log.count("\n") for log in logs),
                # Where the secret would have been: PTB logs setWebhook's parameters at DEBUG.
                "redacted": sum(log.count("<webhook-secret>") for log in logs),
                "mode": oct((tmp / SECRET_FILE).stat().st_mode & 0o777),
                "accepted": accepted,
            }
    return {"before": before, "peak": peak, "after": after, "results": results,
            "secret": secrets}  # fmt: skip


async def main(uncapped: bool) -> int:
    m = await measure(uncapped)
    before, peak, after, results = m["before"], m["peak"], m["after"], m["results"]
    label = "without the cap" if uncapped else "with bot/webhook.py's cap"
    print(f"{CONCURRENT} × {BODY // 2**20} MB unauthenticated POSTs, {label}:")
    print(f"  bot RSS before {before:.0f} MB, peak {peak:.0f} MB, after {after:.0f} MB")
    for status, seconds, sent in results:
        print(f"  {status}: after {seconds:.2f} s, {sent / 2**20:.0f} MB sent")
    s = m["secret"]
    print(
        f"  secret registered with setWebhook as stored: {s['registered']}, file mode "
        f"{s['mode']}, rotated by --rotate-webhook-secret: {s['rotated']}"
    )
    print(
        f"  secret in {s['output_lines']} lines of DEBUG output: {s['in_output']} times "
        f"({s['redacted']} places redacted); "
        f"an update with the secret: {s['accepted']}"
    )
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uncapped", action="store_true", help="without the body cap")
    sys.exit(asyncio.run(main(parser.parse_args().uncapped)))

"""The webhook: a random secret kept next to the database with mode 0600, rotatable, never in a
log at any level; request bodies refused by size before they are read."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import stat
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from telegram.ext import Application

from bot import webhook
from bot.app import build_application
from bot.config import Settings
from tests.telegram.botapi_server import BotAPIServer
from tests.telegram.conftest import USER, make_settings

in_module_loop = pytest.mark.asyncio(loop_scope="module")

URL = "https://bot.example.org/tg/hook"


def test_the_secret_is_random_private_and_kept(tmp_path: Path) -> None:
    path = webhook.secret_path(tmp_path / "data" / "reports.db")
    assert path == tmp_path / "data" / "webhook-secret"
    secret = webhook.load_secret(path)
    assert len(secret) >= 32 and secret.replace("-", "").replace("_", "").isalnum()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert webhook.load_secret(path) == secret  # kept across restarts
    other = webhook.load_secret(tmp_path / "elsewhere" / "webhook-secret")
    assert other != secret  # random, not derived from anything the two share (the token)


def test_the_secret_rotates(tmp_path: Path) -> None:
    path = tmp_path / "webhook-secret"
    first = webhook.load_secret(path)
    second = webhook.load_secret(path, rotate=True)
    assert second != first and path.read_text().strip() == second
    path.unlink()  # deleting the file is the other way to rotate
    assert webhook.load_secret(path) not in (first, second)


def test_a_readable_or_broken_secret_file_is_fixed(tmp_path: Path) -> None:
    path = tmp_path / "webhook-secret"
    secret = webhook.load_secret(path)
    path.chmod(0o644)
    assert webhook.load_secret(path) == secret
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("not a secret: spaces!\n")
    fresh = webhook.load_secret(path)
    assert fresh != secret and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_webhook_listen_defaults_to_localhost() -> None:
    assert Settings(_env_file=None).webhook_listen == "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def capped() -> Iterator[None]:
    """cap_request_bodies() configures tornado for the process; undone after this module."""
    from tornado.httpserver import HTTPServer

    saved = HTTPServer._save_configuration()
    webhook.cap_request_bodies()
    yield
    HTTPServer._restore_configuration(saved)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hooked(
    server: BotAPIServer, data_dir: Path, capped: None
) -> AsyncIterator[tuple[Application, int, str, list[logging.LogRecord]]]:
    """The bot's webhook server as `reportbot run` starts it (PTB's Updater.start_webhook),
    with every log record at DEBUG collected from before the secret exists."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Collect(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        app = build_application(make_settings(server, data_dir, webhook_url=URL))
        secret = webhook.load_secret(webhook.secret_path(data_dir / "reports.db"))
        port = _free_port()
        await app.initialize()
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1", port=port, url_path="tg/hook", webhook_url=URL,
            secret_token=secret,
        )  # fmt: skip
        yield app, port, secret, records
        await app.updater.stop()
        await app.shutdown()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


@in_module_loop
async def test_the_secret_is_registered_and_never_logged(
    hooked: tuple[Application, int, str, list[logging.LogRecord]],
    server: BotAPIServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app, _, secret, records = hooked
    assert server.webhook_url == URL and server.webhook_secret == secret
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    lines = [formatter.format(r) for r in records]
    # DEBUG really was on, including PTB's line with setWebhook's parameters...
    assert any("setWebhook" in line and "<webhook-secret>" in line for line in lines)
    # ...and the secret is in none of them.
    assert not [line for line in lines if secret in line]
    with caplog.at_level(logging.DEBUG):
        await app.bot.set_webhook(URL, secret_token=secret)
        logging.getLogger("anything").debug("secret is %s", secret)
    assert secret not in caplog.text and "<webhook-secret>" in caplog.text


async def _raw(port: int, head: bytes, body: bytes = b"", timeout: float = 5) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head + body)
        await writer.drain()
        return await asyncio.wait_for(reader.read(65536), timeout)
    finally:
        writer.close()


def _post(port: int, length: int, secret: str | None = None, extra: str = "") -> bytes:
    lines = [
        "POST /tg/hook HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json",
        f"Content-Length: {length}",
    ]
    if secret is not None:
        lines.append(f"X-Telegram-Bot-Api-Secret-Token: {secret}")
    return ("\r\n".join(lines) + extra + "\r\n\r\n").encode()


@in_module_loop
async def test_an_oversized_body_is_refused_before_it_is_read(
    hooked: tuple[Application, int, str, list[logging.LogRecord]],
) -> None:
    _, port, secret, _ = hooked
    loop = asyncio.get_running_loop()
    started = loop.time()
    # 90 MB announced, 1 KB sent: the answer comes at once, without waiting for the rest.
    answer = await _raw(port, _post(port, 90 * 1024 * 1024), b"x" * 1024)
    assert answer.startswith(b"HTTP/1.1 400") and loop.time() - started < 2
    # Four at once, as in the run: all refused, none read.
    answers = await asyncio.gather(
        *(_raw(port, _post(port, 90 * 1024 * 1024, secret), b"{") for _ in range(4))
    )
    assert all(a.startswith(b"HTTP/1.1 400") for a in answers)
    # A chunked body is cut off at the limit too.
    chunk = b"x" * 65536
    head = (
        f"POST /tg/hook HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    body = (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") * 20  # 1.3 MB
    answer = await _raw(port, head, body)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400")


@in_module_loop
async def test_a_normal_update_still_gets_through(
    hooked: tuple[Application, int, str, list[logging.LogRecord]], server: BotAPIServer
) -> None:
    _, port, secret, _ = hooked
    update = json.dumps(server.private_text(USER, "hi")).encode()
    assert (await _raw(port, _post(port, len(update)), update)).startswith(b"HTTP/1.1 403")
    ok = await _raw(port, _post(port, len(update), secret), update)
    assert ok.startswith(b"HTTP/1.1 200")


def test_run_takes_the_rotate_flag() -> None:
    from bot.cli import build_parser

    assert build_parser().parse_args(["run", "--rotate-webhook-secret"]).rotate_webhook_secret
    assert not build_parser().parse_args(["run"]).rotate_webhook_secret

"""Downloading an uploaded file without trusting its declared size.

Telegram's Document.file_size is optional, and a self-hosted Bot API server serves files far
over 20 MB, so the bytes are counted as they arrive and the download stops at the limit.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from telegram import Bot
from telegram.error import BadRequest

CHUNK = 64 * 1024
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class TooLarge(Exception):
    """The file is over the limit; nothing beyond the limit was read."""


async def download(bot: Bot, file_id: str, limit: int) -> bytes:
    """The file's bytes, at most `limit` of them; TooLarge when there are more."""
    try:
        file = await bot.get_file(file_id)
    except BadRequest as exc:
        if "too big" in str(exc).lower():  # Telegram's own answer for files over 20 MB
            raise TooLarge from exc
        raise
    if file.file_size and file.file_size > limit:
        raise TooLarge
    path = file.file_path or ""
    if not path.startswith(("http://", "https://")):  # a local Bot API server in --local mode
        return _read_local(Path(path), limit)
    parts = urlsplit(path)
    url = urlunsplit(parts._replace(path=quote(parts.path)))
    received = bytearray()
    # A client of its own: PTB's request object reads whole responses into memory.
    async with (
        httpx.AsyncClient(timeout=TIMEOUT) as client,
        client.stream("GET", url) as response,
    ):
        response.raise_for_status()
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge
        async for chunk in response.aiter_bytes(CHUNK):
            received += chunk
            if len(received) > limit:
                raise TooLarge
    return bytes(received)


def _read_local(path: Path, limit: int) -> bytes:
    with path.open("rb") as source:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise TooLarge
    return data

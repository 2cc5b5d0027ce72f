"""The webhook's defences: a random secret that never reaches a log, and request bodies capped
before they are read.

**Secret.** Telegram sends the secret given to setWebhook in a header with every update, and
python-telegram-bot refuses requests without it. It is random (not derived from the token, so
it can be changed without changing the token), kept in `webhook-secret` next to the database
with mode 0600, and rotated by `reportbot run --rotate-webhook-secret` or by deleting the file:
the next start makes a new one and registers it with setWebhook. PTB logs every Bot API call's
parameters at DEBUG (telegram/_bot.py, "Calling Bot API endpoint `setWebhook` with parameters"),
so the secret is redacted from every log record, at any level, from the moment it is loaded.

**Bodies.** PTB's webhook server is tornado's HTTPServer, which by default accepts bodies of up
to 100 MB and reads them before PTB's handler checks the secret. HTTPServer is a tornado
Configurable: `HTTPServer.configure(None, max_body_size=…)` sets the limit for the server PTB
creates, so a request whose Content-Length is over MAX_BODY gets "400 Bad Request" after its
headers, and a chunked body is cut off at MAX_BODY, before anything more is read.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SECRET_FILE = "webhook-secret"
# Updates are small: a 4,096-character message quoting another, with entities, is under 100 KB.
MAX_BODY = 1024 * 1024
BODY_TIMEOUT = 30.0  # seconds to send a body: slow senders do not hold connections forever
IDLE_TIMEOUT = 120.0  # seconds a kept-alive connection may wait for its next request
_VALID = re.compile(r"[A-Za-z0-9_-]{16,256}")  # what Telegram accepts as secret_token


def secret_path(database_path: Path) -> Path:
    return Path(database_path).parent / SECRET_FILE


def load_secret(path: Path, *, rotate: bool = False) -> str:
    """The webhook secret in `path`, made (random, mode 0600) when missing, invalid or when
    `rotate`; from now on it is redacted from every log record."""
    if rotate:
        path.unlink(missing_ok=True)
    secret = _read(path)
    if secret is None:
        secret = _create(path)
    hide_in_logs(secret)
    return secret


def _read(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except FileNotFoundError:
        return None
    if not _VALID.fullmatch(text):
        log.warning("%s does not hold a valid secret; making a new one", path)
        path.unlink(missing_ok=True)
        return None
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # readable by others: the secret is as good as public
        log.warning("%s was readable by other users; now 0600", path)
    return text


def _create(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)  # 43 characters of A-Z a-z 0-9 _ -
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it just now: use theirs
        existing = _read(path)
        if existing is not None:
            return existing
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secret + "\n")
    log.info("made a new webhook secret in %s", path)
    return secret


def cap_request_bodies(max_body: int = MAX_BODY) -> None:
    """Make every tornado HTTPServer created from now on (PTB's webhook server) refuse bodies
    over `max_body` before reading them."""
    from tornado.httpserver import HTTPServer

    HTTPServer.configure(
        None,
        max_body_size=max_body,
        # The read buffer holds at most a body plus headers: no 100 MB default per connection.
        max_buffer_size=max_body + 64 * 1024,
        body_timeout=BODY_TIMEOUT,
        idle_connection_timeout=IDLE_TIMEOUT,
    )


class _SecretRedactor:
    """Wraps the log record factory so that no record carries a secret: the message, its
    arguments and a traceback's text are all checked when the record is made (so handlers added
    later, such as pytest's caplog, see the redacted record too)."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()
        self._previous = logging.getLogRecordFactory()

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self._previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's problem
            return record
        if any(s in message for s in self.secrets):
            record.msg, record.args = self._redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if any(s in text for s in self.secrets):
                record.exc_text = self._redact(text)
        return record

    def _redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<webhook-secret>")
        return text


_redactor: _SecretRedactor | None = None


def hide_in_logs(secret: str) -> None:
    global _redactor
    if _redactor is None:
        _redactor = _SecretRedactor()
        logging.setLogRecordFactory(_redactor)
    _redactor.secrets.add(secret)

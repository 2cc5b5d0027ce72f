"""Keep a secret (the bot token) out of everything the process prints.

Log records are redacted where they are made (bot/app.py, _TokenRedactor). This covers the
rest: print(), tracebacks from the interpreter's excepthook, warnings, and any library that
writes to sys.stdout or sys.stderr directly, by wrapping both streams for the lifetime of
`reportbot run`. python-telegram-bot puts the token into exception messages
("The token `123:ABC` was rejected by the server."), and httpx errors can quote the request
URL, which holds it.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

MASK = "<token>"
MIN_SECRET = 16  # the part after ':' of a token; shorter strings would mangle ordinary output


def secrets_of(token: str) -> list[str]:
    """The token, and its secret half on its own (URL-encoded or split tokens), longest first."""
    out = [token]
    secret_half = token.partition(":")[2]
    if len(secret_half) >= MIN_SECRET:
        out.append(secret_half)
    return sorted(set(out), key=len, reverse=True)


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text


class RedactingStream(io.TextIOBase):
    """A text stream that masks `secrets` in everything written through it.

    Writes are passed on whole: print() and the traceback printer write each message (and each
    traceback line) in one call, and a secret is never split across writes by them.
    """

    def __init__(self, target: TextIO, secrets: Iterable[str]) -> None:
        super().__init__()
        self._target = target
        self.secrets = list(secrets)

    def write(self, text: str) -> int:
        self._target.write(redact(text, self.secrets))
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._target.isatty()

    def fileno(self) -> int:
        return self._target.fileno()

    # typeshed declares TextIOBase.encoding and .errors as plain attributes; these follow the
    # wrapped stream instead, read-only, as a real text stream's do.
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._target, "encoding", "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._target, "errors", None)


@contextlib.contextmanager
def redacted_output(secrets: Iterable[str]) -> Iterator[None]:
    """sys.stdout and sys.stderr mask `secrets` until the block ends."""
    secrets = list(secrets)
    old_out, old_err = sys.stdout, sys.stderr
    sys.stdout = RedactingStream(old_out, secrets)
    sys.stderr = RedactingStream(old_err, secrets)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = old_out, old_err

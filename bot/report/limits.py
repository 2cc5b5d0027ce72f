"""How much a file may make the parser do. An upload is untrusted: a 70 KB .docx can inflate to
gigabytes and a 20 MB page can hold millions of paragraphs, so every reader checks sizes before
it does the work, and parsing as a whole runs against a clock.

The bounds sit far above real reports (the longest of the 83 in the repository has 56,244
characters) and far below what would hurt the bot (memory, minutes of CPU, 100,000s of rows).
"""

from __future__ import annotations

import time

from bot.report.model import ParseError

MAX_TEXT_CHARS = 500_000  # decoded text of one report; the longest real one has 56,244
MAX_MARKUP_CHARS = 4_000_000  # HTML source; report pages are well under 1 MB
# .docx, checked in the zip's directory before anything is inflated:
MAX_DOCX_MEMBERS = 2_000
MAX_DOCX_TOTAL = 64 * 1024 * 1024  # all members, uncompressed
MAX_DOCX_DOCUMENT = 16 * 1024 * 1024  # word/document.xml, uncompressed
MAX_DOCX_RATIO = 100  # uncompressed ÷ compressed size of one member; XML reaches about 10–20
RATIO_FLOOR = 1024 * 1024  # members smaller than this may compress as well as they like
PARSE_SECONDS = 20.0  # all stages of one file; real reports take under 0.1 s


class Deadline:
    """A time budget checked between steps: parsing cannot be interrupted from outside a
    thread, so the work asks the clock itself."""

    def __init__(self, name: str, seconds: float | None = PARSE_SECONDS) -> None:
        self.name = name
        self.seconds = seconds
        self._end = None if seconds is None else time.monotonic() + seconds

    def check(self) -> None:
        if self._end is not None and time.monotonic() > self._end:
            raise ParseError(
                self.name, f"parsing took longer than {self.seconds:g} s; the file is too complex"
            )


def check_text(text: str, name: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise ParseError(
            name,
            f"too much text ({len(text):,} characters; a report has at most {MAX_TEXT_CHARS:,})",
        )
    return text

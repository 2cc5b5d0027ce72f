"""Same report, other bytes: a content digest of the normalized text, so a copy saved with
another encoding, other line endings, a BOM, or under another file name is recognised.

The digest is computed from a report's passages (the normalized text, whitespace removed) and
kept in the reports table (`text_sha256`), so finding a loaded report with the same content is
one indexed lookup.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

_SPACE = re.compile(r"\s+")


def content_digest(passages: Iterable[str]) -> str:
    """sha256 of the passages in order, whitespace removed: layout is not content."""
    digest = hashlib.sha256()
    for text in passages:
        digest.update(_SPACE.sub("", text).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()

"""Same report, other bytes: a content digest of the normalized text, so a copy saved with
another encoding, other line endings, a BOM, or under another file name is recognised.

The digest is computed from a report's passages (the normalized text, whitespace removed), which
the database already holds; nothing new is stored. ContentIndex keeps the digests of loaded
reports in memory, keyed by each row's raw-bytes sha256, so only new or replaced reports are
hashed again. (The lead may fold a digest column into a migration; the function stays the same.)
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Iterable
from typing import Protocol

_SPACE = re.compile(r"\s+")


def content_digest(passages: Iterable[str]) -> str:
    """sha256 of the passages in order, whitespace removed: layout is not content."""
    digest = hashlib.sha256()
    for text in passages:
        digest.update(_SPACE.sub("", text).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


class _Store(Protocol):
    async def report_hashes(self) -> list[tuple[str, str]]: ...
    async def passage_texts(self, report_id: str) -> list[str]: ...


class ContentIndex:
    """report id → content digest of every loaded report, refreshed lazily from the store."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[str, str]] = {}  # id → (raw sha256, content digest)

    async def find(self, store: _Store, digest: str) -> str | None:
        """The id of a loaded report with this content digest, if any."""
        for report_id, (_, known) in (await self._refresh(store)).items():
            if known == digest:
                return report_id
        return None

    async def _refresh(self, store: _Store) -> dict[str, tuple[str, str]]:
        current = dict(await store.report_hashes())
        known = {rid: v for rid, v in self._known.items() if current.get(rid) == v[0]}
        for report_id, raw in current.items():
            if report_id not in known:
                texts = await store.passage_texts(report_id)
                known[report_id] = (raw, await asyncio.to_thread(content_digest, texts))
        self._known = known
        return known

"""Upload previews that survive a restart: the file under uploads/pending/, the rest in SQLite.

A preview is what an admin is asked about ([导入]/[替换]/[取消]): the uploaded file (kept on
disk, never in the database: up to 20 MB), the id it would go to, whether it replaces a report
and which one (its sha256 as previewed), its state and the message it was sent as. The states
move as handlers/uploads.py describes; each move is one compare-and-set in SQLite
(Store.advance_preview), so two taps racing for one preview cannot both win, in one process or
across a restart. A pending preview expires after PREVIEW_TTL; a final one is remembered
(without its file) for FINAL_TTL, so a late tap still hears what happened. The file is deleted
as soon as the preview is final, and expired ones are pruned with the journal's housekeeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot import naming
from bot.store import Store, reads
from bot.uploads import KEPT_SUFFIXES, Plan

log = logging.getLogger(__name__)

PREVIEW_TTL = 3600  # an hour to decide
FINAL_TTL = 7 * 86400
PENDING, IMPORTING, IMPORTED, FAILED, CANCELLED = (
    "pending", "importing", "imported", "failed", "cancelled",
)  # fmt: skip


@dataclass(slots=True, frozen=True)
class Preview:
    key: str
    name: str  # the sanitised file name, for messages
    file: Path | None  # the uploaded bytes; None once final
    report_id: str
    action: str  # add / replace
    expect_sha256: str | None
    state: str
    chat_id: int | None  # the preview message, once sent
    message_id: int | None


class PreviewBook:
    def __init__(self, store: Store, folder: Path, clock: Callable[[], float] = time.time):
        self.store = store
        self.folder = folder  # <data>/uploads/pending
        self.clock = clock
        # The message of each preview sent by this process, known before its row is updated:
        # a tap that comes at once must not find the preview unbound.
        self._bound: dict[str, tuple[int, int]] = {}

    def _now(self) -> int:
        return int(self.clock())

    async def create(self, plan: Plan) -> str:
        """Keep a planned upload (file and row); its key for the buttons."""
        key = secrets.token_urlsafe(6)
        suffix = naming.split_suffix(plan.name)[1]
        path = self.folder / f"{key}{suffix if suffix in KEPT_SUFFIXES else '.txt'}"
        await asyncio.to_thread(_write, path, plan.data)
        try:
            await self.store.put_preview(
                key, name=plan.name, file=path.name, report_id=plan.report_id,
                action=plan.action, expect_sha256=plan.expect_sha256,
                expires_at=self._now() + PREVIEW_TTL,
            )  # fmt: skip
        except BaseException:
            await asyncio.to_thread(_remove, path)
            raise
        return key

    async def bind(self, key: str, chat_id: int, message_id: int) -> None:
        self._bound[key] = (chat_id, message_id)  # before any await
        while len(self._bound) > 1000:
            del self._bound[next(iter(self._bound))]
        await self.store.bind_preview(key, chat_id, message_id)

    async def get(self, key: str) -> Preview | None:
        row = await self.store.read(reads.upload_preview, key, self._now())
        if row is None:
            return None
        name, file, report_id, action, expect, state, chat_id, message_id = row
        if chat_id is None and key in self._bound:
            chat_id, message_id = self._bound[key]
        path = self.folder / file if file else None
        return Preview(key, name, path, report_id, action, expect, state, chat_id, message_id)

    async def advance(self, key: str, before: str, after: str) -> bool:
        """Move from `before` to `after`; False when the preview was not in `before` (another
        tap won). A final state deletes the file."""
        final = after in (IMPORTED, FAILED, CANCELLED)
        file = None
        if final:
            preview = await self.get(key)
            file = preview.file if preview else None
        expires = self._now() + FINAL_TTL if final else None
        moved = await self.store.advance_preview(key, before, after, expires_at=expires)
        if moved and file is not None:
            await asyncio.to_thread(_remove, file)
        return moved

    async def data(self, preview: Preview) -> bytes:
        """The previewed file's bytes (OSError when it is gone)."""
        if preview.file is None:
            raise FileNotFoundError(preview.name)
        return await asyncio.to_thread(preview.file.read_bytes)

    async def prune(self, now: int) -> None:
        """Forget expired previews and delete their files; delete files no preview owns
        (left by a crash between writing the file and its row)."""
        expired = await self.store.read(reads.expired_previews, now)
        if expired:
            await self.store.drop_previews([key for key, _ in expired])
            for _key, file in expired:
                if file:
                    await asyncio.to_thread(_remove, self.folder / file)
        await asyncio.to_thread(self._orphans, now)

    def _orphans(self, now: int) -> None:
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            with contextlib.suppress(OSError):
                # Older than any pending preview can be: a row would have expired by now.
                if path.is_file() and now - path.stat().st_mtime > PREVIEW_TTL + 60:
                    path.unlink()
                    log.info("removed orphaned preview file %s", path.name)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()

"""Loading reports: files and uploads in, reports in the store out.

Parsing and jieba run in worker threads; each report is written in one transaction on the
store's writer. A report already loaded from the same bytes by the same parser version is
skipped without parsing; a file that fails to parse, or does not look like a work report
(bot/report/genre.py), changes nothing; the same content under another name (another encoding,
a BOM, another file name: bot/fingerprint.py) is recognised and not loaded twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot import naming
from bot.fingerprint import content_digest
from bot.report import ParseError, parse_bytes
from bot.report.genre import check as check_genre
from bot.store import PARSER_VERSION, Prepared, Store, prepare, reads

SUFFIXES = (".txt", ".html", ".htm", ".docx")
_HAS_YEAR = re.compile(r"(?<!\d)(1[89]|20)\d\d(?!\d)")

# ingest_paths(progress=…) is told (files done, files in all, the file now loading).
Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class IngestSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    # Files whose content is already loaded under another id: (file name, that id).
    duplicates: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def report_id_for(path: Path | str) -> str:
    """A stable slug from the file name: wuqia-2022.txt → wuqia-2022; national/2023.txt →
    national-2023 (a bare year says too little, so the folder is kept). Sanitised by
    bot/naming.py: no directories or `..`, no control characters, bounded, never empty."""
    return naming.report_id(str(path))


def with_year(report_id: str, year: int | None) -> str:
    """beijing + 2026 → beijing-2026: next year's beijing.txt must not replace this year's."""
    if year is None or _HAS_YEAR.search(report_id):
        return report_id
    return f"{report_id}-{year}"


def collect(paths: Iterable[Path | str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            )
        else:
            out.append(path)
    return out


class Loader:
    """Writes reports into the store. One load at a time: two admins reloading at once would
    otherwise parse the same files twice and race on the same ids."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = asyncio.Lock()

    async def ingest_paths(
        self,
        paths: Iterable[Path | str],
        *,
        progress: Progress | None = None,
        force: bool = False,
    ) -> IngestSummary:
        """Load files and folders. `progress` hears of each file before it loads and once at
        the end; `force` loads files that do not look like work reports, which otherwise fail
        with the reason."""
        summary = IngestSummary()
        # Report id → the file loaded under it in this run: two files with one id (reports/
        # national-2023.txt and corpus/national/2023.txt) would replace each other every run.
        loaded: dict[str, str] = {}
        files = collect(paths)
        for done, path in enumerate(files):
            if progress is not None:
                progress(done, len(files), path.name)
            try:
                data = await asyncio.to_thread(path.read_bytes)
            except OSError as exc:
                summary.failed.append((path.name, f"cannot read file ({exc.strerror or exc})"))
                continue
            try:
                status, rid = await self._ingest(data, path.name, report_id_for(path), loaded,
                                                 force=force)  # fmt: skip
            except ParseError as exc:
                summary.failed.append((path.name, exc.reason))
                continue
            if status == "duplicate":
                summary.duplicates.append((path.name, rid))
                continue
            loaded[rid] = path.name
            getattr(summary, status).append(rid)
        if progress is not None and files:
            progress(len(files), len(files), "")
        return summary

    async def _ingest(
        self,
        data: bytes,
        name: str,
        rid: str,
        loaded: dict[str, str] | None = None,
        *,
        force: bool = False,
    ) -> tuple[str, str]:
        """`loaded`: ids already loaded in this run (id → file name); a second file with one of
        them fails (ParseError) and changes nothing. ("duplicate", id) when the same content is
        already loaded under another id."""

        def check(rid: str) -> None:
            if loaded is not None and rid in loaded:
                raise ParseError(name, f"same report id as {loaded[rid]}; rename one of them")

        digest = hashlib.sha256(data).hexdigest()
        async with self._lock:
            # Same bytes, same parser: skip parsing altogether.
            if await self._store.read(reads.fresh, rid, digest, PARSER_VERSION):
                check(rid)
                return "unchanged", rid
            report = await asyncio.to_thread(parse_bytes, data, name)
            dated = with_year(rid, report.meta.target_year)
            if dated != rid:
                rid = dated
                if await self._store.read(reads.fresh, rid, digest, PARSER_VERSION):
                    check(rid)
                    return "unchanged", rid
            check(rid)
            if not force:
                check_genre(report)  # NotAReport is a ParseError: the file fails with the reason
            content = content_digest(p.text for p in report.passages)
            owner = await self._store.read(reads.by_content, content)
            if owner is not None:
                same_id, version = owner
                if same_id != rid:
                    return "duplicate", same_id
                if version >= PARSER_VERSION:
                    return "unchanged", rid  # other bytes (a BOM, CRLF), the same report
            prepared = await asyncio.to_thread(prepare, report)
            status = await self._store.replace(rid, prepared)
        return status, rid

    async def replace(
        self,
        report_id: str,
        prepared: Prepared,
        *,
        expect_sha256: str | None,
        before_commit: Callable[[], Awaitable[None]] | None = None,
    ) -> str:
        """Write one parsed report under `report_id`, only if the report there is still the one
        the admin saw (`expect_sha256`: its raw sha256, None for no report); else ParseError.
        `before_commit` runs inside the write transaction (Store.replace)."""
        async with self._lock:
            if await self._store.sha256(report_id) != expect_sha256:
                raise ParseError(
                    prepared.report.source,
                    f"report {report_id} changed since the preview; send the file again",
                )
            return await self._store.replace(report_id, prepared, before_commit=before_commit)

    async def delete(self, report_id: str) -> bool:
        async with self._lock:
            return await self._store.delete(report_id)

"""Loading reports: files and uploads in, reports in the store out.

Parsing and jieba run in worker threads; each report is written in one transaction on the
store's writer. A report already loaded from the same bytes by the same parser version is
skipped without parsing; a file that fails to parse changes nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.report import ParseError, parse_bytes
from bot.store import PARSER_VERSION, Store, prepare, reads

SUFFIXES = (".txt", ".html", ".htm", ".docx")
_HAS_YEAR = re.compile(r"(?<!\d)(1[89]|20)\d\d(?!\d)")


@dataclass(slots=True)
class IngestSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def report_id_for(path: Path | str) -> str:
    """A stable slug from the file name: wuqia-2022.txt → wuqia-2022; national/2023.txt →
    national-2023 (a bare year says too little, so the folder is kept)."""
    path = Path(path)
    stem = _slug(path.stem)
    if stem.isdigit() and path.parent.name:
        stem = f"{_slug(path.parent.name)}-{stem}"
    return stem or "report"


def with_year(report_id: str, year: int | None) -> str:
    """beijing + 2026 → beijing-2026: next year's beijing.txt must not replace this year's."""
    if year is None or _HAS_YEAR.search(report_id):
        return report_id
    return f"{report_id}-{year}"


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[^\w]+", "-", text).strip("-_")


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

    async def ingest_paths(self, paths: Iterable[Path | str]) -> IngestSummary:
        summary = IngestSummary()
        # Report id → the file loaded under it in this run: two files with one id (reports/
        # national-2023.txt and corpus/national/2023.txt) would replace each other every run.
        loaded: dict[str, str] = {}
        for path in collect(paths):
            try:
                data = await asyncio.to_thread(path.read_bytes)
            except OSError as exc:
                summary.failed.append((path.name, f"cannot read file ({exc.strerror or exc})"))
                continue
            try:
                status, rid = await self._ingest(data, path.name, report_id_for(path), loaded)
            except ParseError as exc:
                summary.failed.append((path.name, exc.reason))
                continue
            loaded[rid] = path.name
            getattr(summary, status).append(rid)
        return summary

    async def ingest_bytes(
        self, data: bytes, name: str, *, keep_dir: Path | None = None
    ) -> tuple[str, str]:
        """Load one uploaded file. Raises ParseError; the database is then unchanged."""
        status, rid = await self._ingest(data, name, report_id_for(Path(name).name))
        if keep_dir is not None and status != "unchanged":
            target = Path(keep_dir) / Path(name).name
            await asyncio.to_thread(_write_file, target, data)
        return status, rid

    async def _ingest(
        self, data: bytes, name: str, rid: str, loaded: dict[str, str] | None = None
    ) -> tuple[str, str]:
        """`loaded`: ids already loaded in this run (id → file name); a second file with one of
        them fails (ParseError) and changes nothing."""

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
            prepared = await asyncio.to_thread(prepare, report)
            status = await self._store.replace(rid, prepared)
        return status, rid

    async def delete(self, report_id: str) -> bool:
        async with self._lock:
            return await self._store.delete(report_id)


def _write_file(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(target)

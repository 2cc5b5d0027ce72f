"""The facade the bot, the CLI and the benchmark use: load reports, answer queries.

CPU work (parsing, jieba) runs in a thread; per-query work is a few indexed SQL statements and
a ranking pass over a bounded candidate set. Derived data (report scopes, the query dictionary,
the typo vocabulary) is cached and reloaded when the database changes, including changes
committed by another process (PRAGMA data_version).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.answer import Answer, Excerpt
from bot.report import ParseError, parse_bytes
from bot.search import fuzzy, retrieve
from bot.search.analyze import Analyzer, Phrase, Query
from bot.search.clean import clean_query
from bot.search.fuzzy import Vocabulary
from bot.search.rank import rank, ref
from bot.store import ReportInfo, ReportScope, Store, prepare

__all__ = ["Engine", "IngestSummary", "ReportInfo"]

log = logging.getLogger(__name__)

N_EXAMPLES = 5  # example questions offered when a query matches nothing
SUFFIXES = (".txt", ".html", ".htm", ".docx")
_REGION_SUFFIX = re.compile(
    r"(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|自治县|地区|省|市|县|区|旗|盟)$"
)


@dataclass(slots=True)
class IngestSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)


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


_HAS_YEAR = re.compile(r"(?<!\d)(1[89]|20)\d\d(?!\d)")


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[^\w]+", "-", text).strip("-_")


def region_names(region: str) -> list[str]:
    """乌恰县 → [乌恰县, 乌恰]: the forms a user may type."""
    names = [region]
    short = _REGION_SUFFIX.sub("", region)
    if short != region and len(short) >= 2:
        names.append(short)
    return [n for n in names if len(n) >= 2]


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


class Engine:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._analyzer = Analyzer()
        self._scopes: dict[str, ReportScope] = {}
        self._indicators: list[tuple[str, int]] = []
        self._vocab: asyncio.Task[Vocabulary] | None = None
        self._example_cache: dict[tuple[str, ...] | None, list[str]] = {}
        self._suggest_cache: dict[tuple[str, ...] | None, Vocabulary] = {}
        self._version: int | None = None
        self._dirty = True
        self._write_lock = asyncio.Lock()
        self._refresh_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task] = set()

    # ---- lifecycle --------------------------------------------------------------------------

    @classmethod
    async def open(cls, db_path: Path | str, seeds_dir: Path | str | None = None) -> Engine:
        store = await Store.open(db_path)
        engine = cls(store)
        try:
            # Load jieba's dictionaries off the event loop, once.
            await asyncio.to_thread(engine._analyzer.cut, "预热")
            if store.created and seeds_dir is not None and Path(seeds_dir).is_dir():
                summary = await engine.ingest_paths([seeds_dir])
                for name, reason in summary.failed:
                    log.warning("seed %s not loaded: %s", name, reason)
            await engine._refresh()
            engine._vocabulary()  # start building the typo vocabulary in the background
        except BaseException:
            await store.close()
            raise
        return engine

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self._store.close()

    # ---- loading ----------------------------------------------------------------------------

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
        # Same bytes as loaded: skip parsing altogether.
        if await self._store.sha256(rid) == digest:
            check(rid)
            return "unchanged", rid
        report = await asyncio.to_thread(parse_bytes, data, name)
        dated = with_year(rid, report.meta.target_year)
        if dated != rid:
            rid = dated
            if await self._store.sha256(rid) == digest:
                check(rid)
                return "unchanged", rid
        check(rid)
        prepared = await asyncio.to_thread(prepare, report)
        async with self._write_lock:
            status = await self._store.replace(rid, prepared)
        self._dirty = True
        return status, rid

    async def delete_report(self, report_id: str) -> bool:
        async with self._write_lock:
            found = await self._store.delete(report_id)
        self._dirty = True
        return found

    # ---- reports and chats ------------------------------------------------------------------

    async def reports(self) -> list[ReportInfo]:
        return await self._store.reports()

    async def get_report(self, report_id: str) -> ReportInfo | None:
        return await self._store.report(report_id)

    async def chat_report(self, chat_id: int) -> str | None:
        return await self._store.chat_report(chat_id)

    async def set_chat_report(self, chat_id: int, report_id: str | None) -> None:
        async with self._write_lock:
            await self._store.set_chat_report(chat_id, report_id)

    async def stats(self) -> dict[str, int]:
        return await self._store.stats()

    async def passage(self, passage_id: int) -> Excerpt | None:
        rows = await self._store.passages_by_id([passage_id])
        if not rows:
            return None
        await self._refresh()
        row = rows[0]
        scope = self._scopes.get(row.report_id)
        if scope is None:
            return None
        return Excerpt(text=row.text, section=row.path, report=ref(scope), passage_id=row.id,
                       score=0.0)  # fmt: skip

    # ---- search -----------------------------------------------------------------------------

    async def ask(self, query: str, *, report_id: str | None = None, limit: int = 20) -> Answer:
        # First of all: hostile text (lone surrogates, controls, endless repeats) never reaches
        # the analyzer, SQLite or an echo, and the work a query can cause is capped.
        query = clean_query(query)
        for _ in range(3):
            answer, version = await self._ask(query, report_id, limit)
            # Each statement reads the latest committed snapshot: when a write committed while
            # this query ran, the cached scopes (rowid ranges) may not match what the searches
            # saw. Then once more, on the new snapshot (writes are rare; this is one PRAGMA).
            if await self._store.data_version() == version:
                break
        return answer

    async def _ask(
        self, query: str, report_id: str | None, limit: int
    ) -> tuple[Answer, int | None]:
        await self._refresh()
        version = self._version
        # Analysis, typo correction and ranking are the CPU work of a query: in a worker
        # thread, so one user's query never holds the event loop that serves everyone else.
        q = await asyncio.to_thread(self._analyzer.analyze, query)
        scopes, everything = self._scope(q, report_id)
        single = scopes[0] if len(scopes) == 1 else None
        answer = Answer(query=query, report=ref(single) if single else None, terms=q.terms)
        if not scopes:
            return answer, version
        scope_map = {s.id: s for s in scopes}
        if not q.phrases:
            if q.intent and len(scopes) <= retrieve.SCAN_REPORTS:
                # 今年的目标: no topic, so list the figures of that kind in report order.
                rows = await self._store.figures_of([s.id for s in scopes], q.intent, limit)
                answer.figures, _ = await asyncio.to_thread(
                    rank, q, rows, [], {}, scope_map, limit=limit, browse=True
                )
            if answer.empty:
                answer.suggestions = await self._examples(scopes, everything)
            return answer, version

        answer.figures, answer.excerpts = await self._search(q, q.phrases, scopes, everything,
                                                             limit)  # fmt: skip
        if answer.empty:
            fixed = await self._corrections(q)
            if fixed:
                answer.figures, answer.excerpts = await self._search(
                    q, fixed, scopes, everything, limit
                )
                answer.terms = [p.text for p in fixed]
        if answer.empty:
            answer.suggestions = await self._suggest(q, scopes, everything)
        return answer, version

    async def _search(
        self,
        q: Query,
        phrases: Sequence[Phrase],
        scopes: Sequence[ReportScope],
        everything: bool,
        limit: int,
    ) -> tuple[list, list]:
        cand = await retrieve.gather(self._store, phrases, scopes, everything=everything)
        if cand.empty:
            return [], []
        ranked_q = Query(
            raw=q.raw, text=q.text, core=q.core, phrases=list(phrases), intent=q.intent,
            years=q.years, relative=q.relative, regions=q.regions,
        )  # fmt: skip
        return await asyncio.to_thread(rank, ranked_q, cand.figures, cand.passages, cand.bm25,
                                       {s.id: s for s in scopes}, limit=limit)  # fmt: skip

    def _scope(self, q: Query, report_id: str | None) -> tuple[list[ReportScope], bool]:
        """Reports to search, and whether that is every report (no range filter needed)."""
        all_scopes = list(self._scopes.values())
        if q.regions:
            wanted = {rid for name in q.regions for rid in self._analyzer.regions.get(name, ())}
            scopes = [s for s in all_scopes if s.id in wanted]
        elif report_id is not None:
            scope = self._scopes.get(report_id)
            return ([scope] if scope else []), False
        else:
            scopes = all_scopes
        if q.years and len(scopes) > 1:
            # 2023年…: reports about that year, if any; otherwise the year only weighs figures.
            years = set(q.years)
            dated = [s for s in scopes if s.target_year in years or s.review_year in years]
            scopes = dated or scopes
        return scopes, len(scopes) == len(all_scopes)

    async def _corrections(self, q: Query) -> list[Phrase]:
        """Typo-corrected phrases for a query whose words found nothing."""
        vocab = await self._vocabulary()
        return await asyncio.to_thread(fuzzy.corrections, vocab, q.core)

    async def _suggest(
        self, q: Query, scopes: Sequence[ReportScope], everything: bool
    ) -> list[str]:
        """您是不是要找…: indicator names near the query, from the reports in scope; when none is
        near, questions that do have answers there (地区生产总值目标, …).

        Indicator names rather than index words: they are what people ask about, and taking them
        from the scope means every suggestion has an answer, without searching for each.
        """
        wide = everything or len(scopes) > retrieve.SCAN_REPORTS
        key = None if wide else tuple(sorted(s.id for s in scopes))
        vocab = self._suggest_cache.get(key)  # built once per scope until the data changes
        if vocab is None:
            names = self._indicators if key is None else await self._store.indicators_of(key)
            vocab = await asyncio.to_thread(
                Vocabulary.build, [(name, float(n)) for name, n in names if len(name) <= 16]
            )
            if len(self._suggest_cache) > 256:
                self._suggest_cache.clear()
            self._suggest_cache[key] = vocab
        found = await asyncio.to_thread(vocab.suggest, q.core.replace(" ", ""), 5)
        return found or await self._examples(scopes, everything)

    async def _examples(self, scopes: Sequence[ReportScope], everything: bool) -> list[str]:
        """Example questions with answers in scope: the targets of its headline indicators
        (set as a target and reported as an actual), in the order the reports list them."""
        key = None if everything else tuple(sorted(s.id for s in scopes))
        cached = self._example_cache.get(key)
        if cached is not None:
            return cached
        rows = await self._store.key_indicators(None if key is None else list(key), N_EXAMPLES)
        out = [f"{name}目标" for name, _ in rows]
        if not out:  # no headline indicators: the scope's most common ones
            names = self._indicators if key is None else await self._store.indicators_of(key)
            out = [n for n, _ in sorted(names, key=lambda t: (-t[1], t[0])) if len(n) >= 3]
        out = out[:N_EXAMPLES]
        if len(self._example_cache) > 256:
            self._example_cache.clear()
        self._example_cache[key] = out
        return out

    # ---- caches -----------------------------------------------------------------------------

    async def _refresh(self) -> None:
        version = await self._store.data_version()
        if version == self._version and not self._dirty:
            return
        # One reload at a time; a query arriving meanwhile waits for it rather than searching
        # with the old scopes (whose rowid ranges a replacement has just made stale).
        async with self._refresh_lock:
            version = await self._store.data_version()
            if version == self._version and not self._dirty:
                return
            self._dirty = False  # a write during the reload sets it again
            await self._reload()
            self._version = version

    async def _reload(self) -> None:
        self._scopes = {s.id: s for s in await self._store.scopes()}
        self._indicators = await self._store.indicator_names()
        regions: dict[str, set[str]] = defaultdict(set)
        for s in self._scopes.values():
            for name in region_names(s.region):
                regions[name].add(s.id)
            if s.level == "national":
                regions["全国"].add(s.id)
        # OpenCC over every new indicator name: off the event loop.
        await asyncio.to_thread(
            self._analyzer.learn, [name for name, _ in self._indicators], regions
        )
        self._vocab = None  # a build still running finishes for whoever awaits it
        self._example_cache.clear()
        self._suggest_cache.clear()

    def _vocabulary(self) -> asyncio.Task[Vocabulary]:
        """The typo vocabulary, built once per database change in the background."""
        if self._vocab is None:
            task = asyncio.create_task(self._build_vocabulary())
            self._tasks.add(task)  # keep a reference until done (the loop holds only a weak one)
            task.add_done_callback(self._tasks.discard)
            self._vocab = task
        return self._vocab

    async def _build_vocabulary(self) -> Vocabulary:
        try:
            words = [(w, float(n)) for w, n in await self._store.vocabulary()]
        except (sqlite3.Error, ValueError) as exc:  # e.g. closed while building
            log.warning("typo vocabulary without index words: %s", exc)
            words = []
        # Indicator names weigh more: they are what people ask about.
        words.extend((name, 5.0 * n) for name, n in self._indicators)
        return await asyncio.to_thread(_build_vocabulary, words)


def _build_vocabulary(words: list[tuple[str, float]]) -> Vocabulary:
    # Load pypinyin's character table here, in the thread, not on the first typo query.
    fuzzy.readings("一")
    return Vocabulary.build(words)


def _write_file(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(target)

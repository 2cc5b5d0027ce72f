"""The facade the bot, the CLI and the benchmark use: load reports, answer queries.

Loading lives in bot/loading.py, the library snapshot in bot/catalogue.py, the reads in
bot/store/reads.py. A query is analysed in a worker thread (jieba, OpenCC), then searched and
ranked as one function in one read transaction (Store.read), so what it sees is one committed
state of the library and none of that work runs on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from bot.answer import Answer, Context, Excerpt, FigureHit, NotLoaded
from bot.catalogue import Catalogue, cached, read_snapshot, scoped_key
from bot.facts.regions import gazetteer
from bot.journal import Journal
from bot.loading import IngestSummary, Loader, Progress, collect, report_id_for, with_year
from bot.search import fuzzy, retrieve, segment
from bot.search.analyze import Analyzer, Lexicon, Phrase, Query, expand
from bot.search.clean import clean_query
from bot.search.fuzzy import Vocabulary
from bot.search.mentions import usual_measure
from bot.search.rank import rank, ref
from bot.search.scope import Ask, Scope, by_region, loaded_summary, resolve
from bot.search.tables import Built, TablePlan, build
from bot.store import Prepared, ReportInfo, ReportScope, Store, reads
from bot.usage import UsageStats, answer_kind, read_stats

__all__ = [
    "Engine",
    "IngestSummary",
    "Progress",
    "ReportInfo",
    "collect",
    "report_id_for",
    "with_year",
]

log = logging.getLogger(__name__)

N_EXAMPLES = 5  # example questions offered when a query matches nothing
TABLE_FIGURES = 100  # a table's rows are all answers: every province, every year
AUTO_COMPARE_REGIONS = 60  # a question naming no region is answered as a table up to this


class Engine:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._loader = Loader(store)
        self._analyzer = Analyzer()
        self._catalogue: Catalogue | None = None
        self._synonyms_generation = -1  # of the learned synonyms the analyzer has
        self._refresh_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task] = set()
        # The query log and button states, batched (started by open, written by close).
        self.journal = Journal(store)

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
            catalogue = await engine._current()
            catalogue.vocabulary(store, engine._tasks)  # start building it in the background
            engine.journal.start()
        except BaseException:
            await store.close()
            raise
        return engine

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        try:
            await self.journal.close()
        except Exception:  # the reports are safe; a lost second of the log is not worth a hang
            log.exception("the query log could not be written at close")
        await self._store.close()

    @property
    def store(self) -> Store:
        return self._store

    # ---- loading ----------------------------------------------------------------------------

    async def ingest_paths(
        self,
        paths: Iterable[Path | str],
        *,
        progress: Progress | None = None,
        force: bool = False,
    ) -> IngestSummary:
        """Load files and folders (bot/loading.py): `progress` hears of each file, `force`
        loads files that do not look like work reports."""
        return await self._loader.ingest_paths(paths, progress=progress, force=force)

    async def ingest_bytes(
        self, data: bytes, name: str, *, keep_dir: Path | None = None
    ) -> tuple[str, str]:
        """Load one uploaded file without asking (bot/uploads.py: the same checks as an upload
        in the bot). Raises ParseError; the database is then unchanged. Returns ("unchanged",
        id) when the content is already loaded, under that id or another."""
        from bot import uploads  # it builds on Engine

        plan = await uploads.plan(self, data, name)
        if plan.action == "same":
            return "unchanged", plan.report_id
        return await uploads.commit(self, plan, keep_dir), plan.report_id

    async def find_same_content(self, digest: str) -> str | None:
        """The id of a loaded report whose content digest (bot/fingerprint.py) is `digest`."""
        owner = await self._store.read(reads.by_content, digest)
        return owner[0] if owner else None

    async def replace_report(
        self,
        report_id: str,
        prepared: Prepared,
        *,
        expect_sha256: str | None,
        before_commit: Callable[[], Awaitable[None]] | None = None,
    ) -> str:
        """Write a previewed upload, if the report it replaces is still the one the admin saw
        (bot/loading.py Loader.replace); `before_commit` runs inside the write transaction."""
        return await self._loader.replace(report_id, prepared, expect_sha256=expect_sha256,
                                          before_commit=before_commit)  # fmt: skip

    async def delete_report(self, report_id: str) -> bool:
        return await self._loader.delete(report_id)

    # ---- reports and chats ------------------------------------------------------------------

    async def reports(self) -> list[ReportInfo]:
        return await self._store.reports()

    async def get_report(self, report_id: str) -> ReportInfo | None:
        return await self._store.report(report_id)

    async def chat_report(self, chat_id: int) -> str | None:
        return await self._store.chat_report(chat_id)

    async def set_chat_report(self, chat_id: int, report_id: str | None) -> None:
        await self._store.set_chat_report(chat_id, report_id)

    async def stats(self) -> dict[str, int]:
        return await self._store.stats()

    async def passage(self, passage_id: int) -> Excerpt | None:
        def read(db: sqlite3.Connection) -> Excerpt | None:
            rows = reads.passages_by_id(db, [passage_id])
            scope = next((s for s in reads.scopes(db) if rows and s.id == rows[0].report_id), None)
            if not rows or scope is None:
                return None
            row = rows[0]
            return Excerpt(text=row.text, section=row.path, report=ref(scope), passage_id=row.id,
                           score=0.0)  # fmt: skip

        return await self._store.read(read)

    # ---- usage and learned synonyms ---------------------------------------------------------

    def log_query(self, query: str, answer: Answer) -> None:
        """Count a query a person asked (batched: bot/journal.py). The CLI and benchmarks do
        not call this, so the log holds what people asked the bot."""
        answered, kind = answer_kind(answer)
        self.journal.log_query(query, answered, kind)

    async def usage(self, now: float | None = None) -> UsageStats:
        """Queries per day, top queries and top misses (bot/usage.py)."""
        await self.journal.flush()  # what was asked a moment ago counts too
        return await self._store.read(read_stats, self.journal.now() if now is None else now)

    async def learn_synonym(self, query: str, meaning: str) -> tuple[str, str, bool]:
        """Teach that `query` means `meaning` (an indicator or word the reports use).

        Both are reduced to their topic the way a query is (question, intent, year and region
        words dropped), so 娃娃上学目标 → 教育 also serves 乌恰娃娃上学. Returns (term,
        meaning, added); ValueError when either has no topic or they are the same.
        """
        term = await self.topic(query)
        what = await self.topic(meaning)
        if not term or not what or term == what:
            raise ValueError(f"nothing to learn from {query!r} → {meaning!r}")
        added = await self._store.add_synonym(term, what)
        await self._current()  # this engine answers with it from the next query on
        return term, what, added

    async def topic(self, text: str) -> str:
        """What `text` asks about, as the analyzer reads it (spaces between its parts)."""
        q = await asyncio.to_thread(self._analyzer.analyze, clean_query(text))
        return q.core

    async def load_state(self, key: str) -> tuple[str, str, int | None, int | None, int] | None:
        """A button state (kind, payload, chat_id, message_id, expires_at) that has not
        expired: one still waiting in the journal, else the stored one."""
        now = self.journal.now()
        waiting = self.journal.pending_state(key)
        if waiting is not None:
            kind, encode, expires = waiting
            payload, chat_id, message_id = await asyncio.to_thread(encode)
            return kind, payload, chat_id, message_id, expires
        return await self._store.read(reads.button_state, key, now)

    async def generation(self) -> int:
        """The store's generation: bumped by every change of the reports."""
        return await self._store.generation()

    @property
    def generation_seen(self) -> int:
        """The generation the latest answers were computed from (no database read)."""
        return self._catalogue.generation if self._catalogue is not None else 0

    # ---- search -----------------------------------------------------------------------------

    async def ask(
        self,
        query: str,
        *,
        report_id: str | None = None,
        limit: int = 20,
        context: Context | None = None,
    ) -> Answer:
        """Answer `query`. `report_id`: the chat's chosen report; `context`: the scope of the
        answer this query replies to (a follow-up keeps its regions and years)."""
        # First of all: hostile text (lone surrogates, controls, endless repeats) never reaches
        # the analyzer, SQLite or an echo, and the work a query can cause is capped.
        query = clean_query(query)
        catalogue = await self._current()
        # Analysis (OpenCC, jieba) is CPU work: in a worker thread, like the search itself, so
        # one user's query never holds the event loop that serves everyone else.
        q = await asyncio.to_thread(self._analyzer.analyze, query)
        if context is not None:
            q = _follow(q, context, self._analyzer.lexicon)
        where = (report_id, context)
        answer = await self._store.read(_answer, q, catalogue, where, limit, None)
        if answer.empty and q.phrases and answer.not_loaded is None:
            fixed = await self._corrections(q, catalogue)
            if fixed:
                corrected = await self._store.read(_answer, q, catalogue, where, limit, fixed)
                if not corrected.empty:
                    answer = corrected
        if answer.empty and answer.not_loaded is None and _unknown_place(q):
            # 火星GDP目标: an indicator after a word that names nothing loaded is read as a
            # place the library does not have, rather than as "no match".
            answer.not_loaded = NotLoaded(
                regions=[q.unexplained],
                loaded=loaded_summary(by_region(catalogue.scopes.values()), gazetteer()),
            )
        if answer.empty and not answer.suggestions and answer.not_loaded is None:
            answer.suggestions = await self._suggest(q, catalogue, answer)
        answer.query = query
        return answer

    async def vocabulary(self) -> Vocabulary:
        """The typo vocabulary of the current library (built in the background at open)."""
        catalogue = await self._current()
        return await catalogue.vocabulary(self._store, self._tasks)

    async def _corrections(self, q: Query, catalogue: Catalogue) -> list[Phrase]:
        """Typo-corrected phrases for a query whose words found nothing."""
        vocab = await catalogue.vocabulary(self._store, self._tasks)
        return await asyncio.to_thread(fuzzy.corrections, vocab, q.core)

    async def _suggest(self, q: Query, catalogue: Catalogue, answer: Answer) -> list[str]:
        """您是不是要找…: indicator names near the query, from the reports in scope; when none is
        near, questions that do have answers there (地区生产总值目标, …).

        Indicator names rather than index words: they are what people ask about, and taking them
        from the scope means every suggestion has an answer, without searching for each.
        """
        ids = answer.scope.report_ids if answer.scope else ()
        scopes = [catalogue.scopes[i] for i in ids if i in catalogue.scopes]
        if not scopes:
            return []
        everything = len(scopes) == len(catalogue.scopes)
        wide = everything or len(scopes) > retrieve.SCAN_REPORTS
        key = scoped_key(scopes, wide)
        vocab = catalogue.suggestions.get(key)  # built once per scope until the data changes
        if vocab is None:
            names = (
                catalogue.indicators
                if key is None
                else await self._store.read(reads.indicators_of, list(key))
            )
            vocab = await asyncio.to_thread(
                Vocabulary.build, [(name, float(n)) for name, n in names if len(name) <= 16]
            )
            cached(catalogue.suggestions, key, vocab)
        found = await asyncio.to_thread(vocab.suggest, q.core.replace(" ", ""), 5) if q.core else []
        return found or await self._examples(catalogue, scopes, everything)

    async def _examples(
        self, catalogue: Catalogue, scopes: Sequence[ReportScope], everything: bool
    ) -> list[str]:
        """Example questions with answers in scope: the targets of its headline indicators
        (set as a target and reported as an actual), in the order the reports list them."""
        key = scoped_key(scopes, everything)
        found = catalogue.examples.get(key)
        if found is None:
            found = await self._store.read(_examples, key, catalogue.indicators)
            cached(catalogue.examples, key, found)
        return found

    # ---- the library snapshot ---------------------------------------------------------------

    async def _current(self) -> Catalogue:
        """The catalogue of the store's current generation, rebuilt when it has changed
        (a load, a delete, or another process writing to the same database); the learned
        synonyms too, when they have changed."""
        generation, synonyms = await self._store.read(reads.generations)
        if synonyms != self._synonyms_generation:
            await self._learn(synonyms)
        catalogue = self._catalogue
        if catalogue is not None and catalogue.generation == generation:
            return catalogue
        async with self._refresh_lock:  # one rebuild at a time; the others wait for it
            catalogue = self._catalogue
            if catalogue is not None and catalogue.generation >= generation:
                return catalogue
            snap = await self._store.read(read_snapshot)
            catalogue = Catalogue.from_snapshot(snap)
            # OpenCC over every new indicator name: off the event loop.
            await asyncio.to_thread(
                self._analyzer.learn, [name for name, _ in snap.indicators], catalogue.regions
            )
            self._catalogue = catalogue
            return catalogue

    async def _learn(self, generation: int) -> None:
        async with self._refresh_lock:
            if generation == self._synonyms_generation:
                return
            # 0: nothing was ever learned (or the counter is not there yet).
            pairs = await self._store.read(reads.learned_synonyms) if generation else []
            await asyncio.to_thread(self._analyzer.set_learned, pairs)
            self._synonyms_generation = generation


def _answer(
    db: sqlite3.Connection,
    q: Query,
    catalogue: Catalogue,
    where: tuple[str | None, Context | None],
    limit: int,
    phrases: list[Phrase] | None,
) -> Answer:
    """The answer to an analysed query, read in one transaction (runs in a worker thread).

    The catalogue's scopes are used when it is of this snapshot's generation; otherwise (a
    write landed since it was built) the scopes are read here, so the id ranges that bound the
    searches always match the rows they bound.
    """
    report_id, context = where
    scopes = catalogue.scopes
    if reads.generation(db) != catalogue.generation:
        scopes = {s.id: s for s in reads.scopes(db)}
    ask = Ask(
        region_ids=q.region_ids, region_names=q.regions, group=q.group, every=q.form.every,
        years=q.years, span=q.form.span, last=q.form.last, relative=q.relative,
        intent=q.intent, many_years=q.form.kind in ("series", "track"),
    )  # fmt: skip
    scope = resolve(ask, scopes, report_id=report_id, context=context, learned=catalogue.regions)
    single = scope.reports[0] if len(scope.reports) == 1 else None
    answer = Answer(query=q.raw, report=ref(single) if single else None, terms=q.terms,
                    not_loaded=scope.not_loaded)  # fmt: skip
    answer.scope = scope.context(topic=q.core, indicator_id=q.indicator_id, intent=q.intent,
                                 form=q.form.kind)  # fmt: skip
    if not scope.reports:
        return answer
    built = _table(db, q, scope)
    if built is not None:
        answer.table = built.table
        answer.scope = scope.context(topic=q.core, indicator_id=q.indicator_id,
                                     intent=q.intent, form=built.table.kind)  # fmt: skip
        by_id = {s.id: s for s in scope.reports}
        sources = built.sources
        if built.table.kind == "series" and not q.form.order:
            # The table runs in year order; as answers, the newest figures come first.
            sources = sorted(sources, key=lambda f: -(f.figure.year or 0))
        answer.figures = [
            FigureHit(figure=f.figure, report=ref(by_id[f.report_id]), figure_id=f.id,
                      passage_id=f.passage_id, score=0.0, match="exact")
            for f in sources[: max(limit, TABLE_FIGURES)]
        ]  # fmt: skip
        return answer
    scope_map = {s.id: s for s in scope.reports}
    if not q.phrases:
        if q.intent and len(scope.reports) <= retrieve.SCAN_REPORTS:
            # 今年的目标: no topic, so list the figures of that kind in report order.
            rows = reads.figures_of(db, list(scope_map), q.intent, limit)
            answer.figures, _ = rank(q, rows, [], {}, scope_map, limit=limit, browse=True)
        if answer.empty:
            key = scoped_key(scope.reports, scope.everything)
            answer.suggestions = catalogue.examples.get(key) or _examples(
                db, key, catalogue.indicators
            )
        return answer
    answer.figures, answer.excerpts = _search(db, q, phrases or q.phrases, scope.reports,
                                              scope.everything, limit)  # fmt: skip
    if phrases:
        answer.terms = [p.text for p in phrases]
    return answer


def _table(db: sqlite3.Connection, q: Query, scope: Scope) -> Built | None:
    """A comparison, series or tracking table, when the question asks for one (or names an
    indicator across several regions' reports without naming a region)."""
    kind = q.form.kind
    if q.unexplained and kind != "track":
        return None  # 火星GDP: a table of GDP alone would answer another question
    if kind == "lookup":
        known = {s.region_id for s in scope.reports if s.region_id}
        if not q.indicator_id or scope.named or not 3 <= len(known) <= AUTO_COMPARE_REGIONS:
            return None
        # 今年GDP目标 across the library: each region's figure side by side, when the regions
        # are places (not reports of unknown origin) and few enough to read as a table.
        kind = "compare"
    if kind != "track" and not q.indicator_id:
        return None
    plan = TablePlan(kind=kind, indicator_id=q.indicator_id, measure=q.form.measure,
                     intent=q.intent if kind != "track" else None, order=q.form.order,
                     top=q.form.top, threshold=q.form.threshold)  # fmt: skip
    built = build(db, plan, scope)
    return built if built is not None and built.table.rows else None


def _search(
    db: sqlite3.Connection,
    q: Query,
    phrases: Sequence[Phrase],
    scopes: Sequence[ReportScope],
    everything: bool,
    limit: int,
) -> tuple[list[FigureHit], list[Excerpt]]:
    identified = bool(q.indicator_id and not q.unexplained)
    if identified and len(scopes) > retrieve.SCAN_REPORTS:
        # Many reports and a catalogue indicator: its figures come from the figure table and
        # its excerpts from their passages. A full-text search would have to walk the common
        # words (经济, 增长) through every passage of the library for nothing more.
        cand = retrieve.by_indicator(db, q.indicator_id, scopes, everything=everything)
    else:
        cand = retrieve.gather(db, phrases, scopes, everything=everything)
        if identified:
            # The indicator's figures whatever their wording (全省生产总值, 经济增长 for GDP).
            have = {row.id for row in cand.figures}
            ids = None if everything else [s.id for s in scopes]
            cand.figures.extend(
                row for row in reads.figures_identified(db, q.indicator_id, report_ids=ids,
                                                        limit=retrieve.FIGURE_LIMIT)
                if row.id not in have
            )  # fmt: skip
    if cand.empty:
        return [], []
    ranked_q = replace(q, phrases=list(phrases))
    return rank(ranked_q, cand.figures, cand.passages, cand.bm25,
                {s.id: s for s in scopes}, limit=limit)  # fmt: skip


def _examples(
    db: sqlite3.Connection, key: tuple[str, ...] | None, indicators: list[tuple[str, int]]
) -> list[str]:
    rows = reads.key_indicators(db, None if key is None else list(key), N_EXAMPLES)
    out = [f"{name}目标" for name, _ in rows]
    if not out:  # no headline indicators: the scope's most common ones
        names = indicators if key is None else reads.indicators_of(db, list(key))
        out = [n for n, _ in sorted(names, key=lambda t: (-t[1], t[0])) if len(n) >= 3]
    return out[:N_EXAMPLES]


def _unknown_place(q: Query) -> bool:
    """The query opens with words the indicator does not explain, and names no region."""
    return bool(
        q.indicator_id and q.unexplained and not (q.region_ids or q.regions or q.group)
        and 2 <= len(q.unexplained) <= 6 and q.core.startswith(q.unexplained[:2])
    )


def _follow(q: Query, context: Context, lex: Lexicon) -> Query:
    """A reply to an answer: what it leaves out comes from the answer it replies to.

    去年呢 keeps the topic, 扶贫呢 after 2019年GDP目标 keeps targets, CPI呢 after a series is a
    series; the regions and years are kept by scope.resolve.
    """
    named = q.region_ids or q.group or q.form.every or q.regions
    # 那去年实际增长了多少: a topic of change words alone (增长) names nothing new.
    bare = not q.core or all(word in lex.generic for word in segment.match_words(q.core))
    if bare and not q.indicator_id and context.topic:
        q.core, q.phrases = context.topic, expand(context.topic, lex)
        q.indicator_id = context.indicator_id
        q.measure = q.form.measure or usual_measure(q.indicator_id)
    if q.intent is None and context.intent is not None:
        q.intent = context.intent
    if q.form.kind == "lookup" and not named and context.form in ("compare", "series", "track"):
        q.form = replace(q.form, kind=context.form)
    return q

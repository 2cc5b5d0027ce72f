"""What the engine knows about the library as a whole, as one snapshot per database generation.

Scopes (each report's id ranges, region and years), the indicator names and the region names
are read in one read transaction and replaced together when the store's generation changes,
so a query never combines one generation's scopes with another's region index. The typo
vocabulary (all index words, ~0.3 s to read at 1,000 reports) is built in the background the
first time a query needs it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.search import fuzzy
from bot.search.fuzzy import Vocabulary
from bot.store import ReportScope, Store, reads

log = logging.getLogger(__name__)

_REGION_SUFFIX = re.compile(
    r"(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|自治县|地区|省|市|县|区|旗|盟)$"
)


def region_names(region: str) -> list[str]:
    """乌恰县 → [乌恰县, 乌恰]: the forms a user may type."""
    names = [region]
    short = _REGION_SUFFIX.sub("", region)
    if short != region and len(short) >= 2:
        names.append(short)
    return [n for n in names if len(n) >= 2]


@dataclass(slots=True)
class Snapshot:
    """Rows read in one transaction."""

    generation: int
    scopes: dict[str, ReportScope]
    indicators: list[tuple[str, int]]  # distinct indicator names with their figure counts


def read_snapshot(db: sqlite3.Connection) -> Snapshot:
    return Snapshot(
        generation=reads.generation(db),
        scopes={s.id: s for s in reads.scopes(db)},
        indicators=reads.indicator_names(db),
    )


@dataclass(slots=True)
class Catalogue:
    generation: int
    scopes: dict[str, ReportScope]
    indicators: list[tuple[str, int]]
    regions: dict[str, set[str]]  # a name users type → ids of reports about that region
    # Caches of answers that depend only on this snapshot (example questions, suggestions).
    examples: dict[tuple[str, ...] | None, list[str]] = field(default_factory=dict)
    suggestions: dict[tuple[str, ...] | None, Vocabulary] = field(default_factory=dict)
    _vocab: asyncio.Task[Vocabulary] | None = None

    @classmethod
    def from_snapshot(cls, snap: Snapshot) -> Catalogue:
        regions: dict[str, set[str]] = defaultdict(set)
        for s in snap.scopes.values():
            for name in region_names(s.region):
                regions[name].add(s.id)
            if s.level == "national":
                regions["全国"].add(s.id)
        return cls(snap.generation, snap.scopes, snap.indicators, dict(regions))

    def vocabulary(self, store: Store, tasks: set[asyncio.Task]) -> asyncio.Task[Vocabulary]:
        """The typo vocabulary of this snapshot, built once, in the background."""
        if self._vocab is None:
            task = asyncio.create_task(_build_vocabulary(store, self.indicators))
            tasks.add(task)  # keep a reference until done (the loop holds only a weak one)
            task.add_done_callback(tasks.discard)
            self._vocab = task
        return self._vocab


async def _build_vocabulary(store: Store, indicators: list[tuple[str, int]]) -> Vocabulary:
    try:
        words = [(w, float(n)) for w, n in await store.read(reads.vocabulary)]
    except (sqlite3.Error, ValueError, RuntimeError) as exc:  # e.g. closed while building
        log.warning("typo vocabulary without index words: %s", exc)
        words = []
    # Indicator names weigh more: they are what people ask about.
    words.extend((name, 5.0 * n) for name, n in indicators)
    return await asyncio.to_thread(_vocabulary_from, words)


def _vocabulary_from(words: list[tuple[str, float]]) -> Vocabulary:
    # Load pypinyin's character table here, in the thread, not on the first typo query.
    fuzzy.readings("一")
    return Vocabulary.build(words)


def cached(cache: dict, key: object, value: object, limit: int = 256) -> None:
    if len(cache) > limit:
        cache.clear()
    cache[key] = value


def scoped_key(scopes: Mapping[str, ReportScope] | Sequence[ReportScope], everything: bool
               ) -> tuple[str, ...] | None:  # fmt: skip
    ids = scopes.keys() if isinstance(scopes, Mapping) else [s.id for s in scopes]
    return None if everything else tuple(sorted(ids))

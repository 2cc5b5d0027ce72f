"""Query text → Query: what to look for, in which words, and whether targets or actuals.

Steps: NFKC + case folding, Traditional → Simplified (OpenCC t2s), years and relative years,
jieba with a domain dictionary (indicator names of the loaded reports and the synonym table),
question words dropped, intent words read, region words read, synonyms expanded.
"""

from __future__ import annotations

import logging
import re
import threading
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

import jieba
import opencc

from bot.search import segment

Intent = Literal["target", "actual"]
Source = Literal["exact", "synonym", "fuzzy"]

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
_PUNCT = re.compile(r"[\s\W_]+")


@dataclass(slots=True, frozen=True)
class Phrase:
    """One way of writing what the user asks about."""

    text: str  # e.g. 地区生产总值
    words: tuple[str, ...]  # its words as the index cuts them: 地区, 生产总值
    source: Source  # exact: as typed; synonym: from the table; fuzzy: a typo corrected
    # The finest words (地区, 生产, 总值): what "all its words are there" checks.
    pieces: tuple[str, ...] = ()


@dataclass(slots=True)
class Query:
    raw: str
    text: str  # folded and simplified
    core: str  # what is asked about, with question, intent, year and region words removed
    phrases: list[Phrase] = field(default_factory=list)
    intent: Intent | None = None
    years: list[int] = field(default_factory=list)  # explicit years, e.g. 2023
    relative: Literal["this", "last"] | None = None  # 今年 / 去年, resolved per report
    regions: list[str] = field(default_factory=list)  # region names found, e.g. 乌恰

    @property
    def terms(self) -> list[str]:
        return [p.text for p in self.phrases]


@dataclass(slots=True, frozen=True)
class Lexicon:
    synonyms: Mapping[str, tuple[str, ...]]
    question: frozenset[str]
    measure: frozenset[str]
    target: frozenset[str]
    actual: frozenset[str]
    this_year: frozenset[str]
    last_year: frozenset[str]
    generic: frozenset[str]


@cache
def lexicon() -> Lexicon:
    data = tomllib.loads(
        resources.files("bot.search").joinpath("synonyms.toml").read_text(encoding="utf-8")
    )
    words = data["words"]
    syn = {
        segment.fold(k): tuple(segment.fold(v) for v in vs if segment.fold(v) != segment.fold(k))
        for k, vs in data["synonyms"].items()
    }
    return Lexicon(
        synonyms=syn,
        question=frozenset(words["question"]),
        measure=frozenset(words["measure"]),
        target=frozenset(words["target"]),
        actual=frozenset(words["actual"]),
        this_year=frozenset(words["this_year"]),
        last_year=frozenset(words["last_year"]),
        generic=frozenset(words["generic"]),
    )


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    """NFKC, case folding and Traditional → Simplified: the form every query is compared in."""
    return _t2s().convert(segment.fold(text))


class Analyzer:
    """Holds the query-side jieba Tokenizer and its domain dictionary.

    jieba's dictionary is global state: the module-level functions share one dictionary with
    every other user in the process. This analyzer owns a separate Tokenizer (a copy of the
    stock dictionary), adds domain words to it only, and only when the set of loaded indicator
    names changes (`learn`), so indexing (segment.py) is never affected.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tok: jieba.Tokenizer | None = None
        self._known: set[str] = set()
        self.regions: dict[str, frozenset[str]] = {}  # short region name → report ids

    def _tokenizer(self) -> jieba.Tokenizer:
        if self._tok is None:
            with self._lock:
                if self._tok is None:
                    base = segment.index_tokenizer()
                    tok = jieba.Tokenizer()
                    jieba.setLogLevel(logging.WARNING)
                    # Copy the loaded dictionary instead of reading it from disk a second time.
                    tok.FREQ, tok.total, tok.initialized = dict(base.FREQ), base.total, True
                    for key, values in lexicon().synonyms.items():
                        for word in (key, *values):
                            if _is_han(word):
                                tok.add_word(word, freq=None)
                    self._tok = tok
        return self._tok

    def learn(self, indicators: Iterable[str], regions: Mapping[str, Iterable[str]]) -> None:
        """Add indicator names of loaded reports to the dictionary; set the known regions."""
        tok = self._tokenizer()
        with self._lock:
            for name in indicators:
                word = simplify(name)
                if word not in self._known and 2 <= len(word) <= 12 and _is_han(word):
                    self._known.add(word)
                    tok.add_word(word, freq=None)
            self.regions = {simplify(k): frozenset(v) for k, v in regions.items() if len(k) >= 2}

    def cut(self, text: str) -> list[str]:
        return [w for w in self._tokenizer().cut(text, HMM=True) if w.strip()]

    def analyze(self, raw: str) -> Query:
        lex = lexicon()
        text = simplify(raw)
        query = Query(raw=raw, text=text, core="")
        rest = text
        for m in _YEAR.finditer(text):
            query.years.append(int(m.group(1)))
        rest = _YEAR.sub(" ", rest)
        # Region names first, longest first, so 乌恰县 is not read as a topic.
        for name in sorted(self.regions, key=len, reverse=True):
            if name in rest:
                query.regions.append(name)
                rest = rest.replace(name, " ")
        kept: list[str] = []
        after_question = False
        for word in self.cut(rest):
            if _PUNCT.fullmatch(word) or (after_question and word in lex.measure):
                kept.append(" ")  # keep a boundary so words across it are not glued
                after_question = False
                continue
            after_question = word in lex.question
            if word in lex.this_year:
                query.relative = "this"
            elif word in lex.last_year:
                query.relative = "last"
            if word in lex.target:
                query.intent = query.intent or "target"
            elif word in lex.actual:
                query.intent = query.intent or "actual"
            elif word not in lex.question:
                kept.append(word)
                continue
            kept.append(" ")
        topic = [w for w in kept if w != " "]
        if len(topic) > 1:
            # 增长, 提高 … say how a figure moved, not what it measures.
            specific = [w for w in topic if w not in lex.generic]
            if specific:
                kept = [w if w == " " or w not in lex.generic else " " for w in kept]
        query.core = " ".join("".join(kept).split())
        if not query.core and query.regions and not query.intent:
            pass  # a bare region name: nothing to search for
        query.phrases = expand(query.core) if query.core else []
        return query


def expand(core: str) -> list[Phrase]:
    """The phrase as typed, then the synonym table's rewrites of it."""
    out: dict[str, Phrase] = {}
    parts = core.split(" ")
    out[core] = _phrase(core, "exact")
    for text in _rewrites(core, lexicon().synonyms):
        out.setdefault(text, _phrase(text, "synonym"))
    if len(parts) > 1:  # a gap (punctuation, a dropped word) between topic words
        for part in parts:
            for text in _rewrites(part, lexicon().synonyms):
                out.setdefault(text, _phrase(text, "synonym"))
    return list(out.values())[:12]


def _phrase(text: str, source: Source) -> Phrase:
    words = tuple(dict.fromkeys(segment.match_words(text)))
    pieces = tuple(dict.fromkeys(p for w in words for p in segment.pieces(w)))
    return Phrase(text=text, words=words, source=source, pieces=pieces)


def _rewrites(text: str, synonyms: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Replace synonym keys found in `text`, longest keys first and without overlaps."""
    taken: list[tuple[int, int, str]] = []
    for key in sorted(synonyms, key=len, reverse=True):
        start = text.find(key)
        while start >= 0:
            end = start + len(key)
            if all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, key))
            start = text.find(key, end)
    if not taken:
        return []
    taken.sort()
    results = [""]
    pos = 0
    for start, end, key in taken:
        between = text[pos:start]
        # Skip an expansion already written around the key (投资 inside 固定资产投资).
        window = text[max(0, start - 12) : end + 12]
        options = [key, *(v for v in synonyms[key] if v not in window)]
        results = [r + between + o for r in results for o in options][:64]
        pos = end
    results = [r + text[pos:] for r in results]
    return [r for r in results if r != text]


def _is_han(word: str) -> bool:
    return bool(word) and all("\u3400" <= c <= "\u9fff" for c in word)

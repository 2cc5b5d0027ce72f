"""Query text → Query: what to look for, in which words, and whether targets or actuals.

Steps: NFKC + case folding, Traditional → Simplified (OpenCC t2s), years and relative years,
jieba with a domain dictionary (indicator names of the loaded reports and the synonym table),
question words dropped, intent words read, region words read, synonyms expanded.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import tomllib
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

import jieba
import opencc

from bot.search import mentions, segment
from bot.search.forms import Form, read_form

Intent = Literal["target", "actual"]
Source = Literal["exact", "synonym", "fuzzy"]

MEMO_SIZE = 4096  # analyzed queries kept per Analyzer
MAX_PHRASES = 12  # ways of writing one query (as typed, synonyms): each is searched and ranked
MAX_PARTS = 8  # words of a query whose own synonyms are tried (clean.MAX_WORDS keeps as many)
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
    relative: Literal["this", "last", "next"] | None = None  # 今年 / 去年 / 明年
    regions: list[str] = field(default_factory=list)  # learned names of reports' regions (乌恰)
    region_ids: list[str] = field(default_factory=list)  # gazetteer ids of regions named
    group: str = ""  # a region group named (东部, 长三角): its id
    form: Form = field(default_factory=Form)  # compare / series / track / lookup, and details
    indicator_id: str = ""  # the catalogue indicator the query names, if exactly one
    measure: str = ""  # the measure asked for (增速 → growth), else the indicator's usual one
    # Topic words beside the indicator that it does not explain (火星 in 火星GDP目标): a table
    # of the indicator alone would ignore them.
    unexplained: str = ""

    @property
    def terms(self) -> list[str]:
        return [p.text for p in self.phrases]


# eq=False: a lexicon hashes by identity, so expansions can be memoized per lexicon (the
# learned synonyms make a new one whenever they change).
@dataclass(slots=True, frozen=True, eq=False)
class Lexicon:
    synonyms: Mapping[str, tuple[str, ...]]
    keys: tuple[str, ...]  # synonym keys, longest first (the order rewrites try them in)
    question: frozenset[str]
    measure: frozenset[str]
    target: frozenset[str]
    actual: frozenset[str]
    this_year: frozenset[str]
    last_year: frozenset[str]
    next_year: frozenset[str]
    latin: Mapping[str, str]
    generic: frozenset[str]
    lead: re.Pattern[str]  # filler at the start of a query (那, 说说, 帮我查一下)
    tail: re.Pattern[str]  # and at its end (呢, 怎么样, 多少了)


def _affix(words: Iterable[str], *, start: bool) -> re.Pattern[str]:
    alt = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    sep = r"[\s\W_]*"
    return re.compile(f"^(?:{sep}(?:{alt}))+" if start else f"(?:(?:{alt}){sep})+$")


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
        keys=tuple(sorted(syn, key=len, reverse=True)),
        question=frozenset(words["question"]),
        measure=frozenset(words["measure"]),
        target=frozenset(words["target"]),
        actual=frozenset(words["actual"]),
        this_year=frozenset(words["this_year"]),
        last_year=frozenset(words["last_year"]),
        next_year=frozenset(words["next_year"]),
        latin=dict(data["latin"]),
        generic=frozenset(words["generic"]),
        lead=_affix(words["lead"], start=True),
        tail=_affix(words["tail"], start=False),
    )


@cache
def with_learned(base: Lexicon, learned: Iterable[tuple[str, str]]) -> Lexicon:
    """`base` with the synonyms admins taught (term → meaning, from SQLite) added: a learned
    meaning of a known key is tried after the table's own."""
    merged = {k: list(v) for k, v in base.synonyms.items()}
    for term, meaning in learned:
        key, value = segment.fold(term), segment.fold(meaning)
        if key and value and key != value and value not in merged.setdefault(key, []):
            merged[key].append(value)
    synonyms = {k: tuple(v) for k, v in merged.items()}
    return dataclasses.replace(
        base, synonyms=synonyms, keys=tuple(sorted(synonyms, key=len, reverse=True))
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
        self._seen: set[str] = set()  # indicator names as given, already simplified and added
        self._generation = 0  # bumped when the memo is cleared: stale analyses stay out
        self.regions: dict[str, frozenset[str]] = {}  # short region name → report ids
        self.lexicon = lexicon()  # the synonym table, with what admins taught (set_learned)
        self._learned: tuple[tuple[str, str], ...] = ()
        # raw query → its analysis, until the dictionary or the regions change. People repeat
        # questions (就业目标, GDP), and analysis (OpenCC, jieba, synonyms) is most of the CPU
        # time of a scoped query.
        self._memo: OrderedDict[str, Query] = OrderedDict()

    def _tokenizer(self) -> jieba.Tokenizer:
        if self._tok is None:
            with self._lock:
                if self._tok is None:
                    base = segment.index_tokenizer()
                    tok = jieba.Tokenizer()
                    jieba.setLogLevel(logging.WARNING)
                    # The loaded dictionary under an overlay for our words: not read from disk a
                    # second time, and not copied (a copy of its 350,000 entries is ~20 MB).
                    tok.FREQ = Overlay(base.FREQ)
                    tok.total, tok.initialized = base.total, True
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
            # Only names not seen before (OpenCC per name is the cost: ~1 ms per 1,000).
            new = [name for name in dict.fromkeys(indicators) if name not in self._seen]
        words = [(name, simplify(name)) for name in new]
        known = {simplify(k): frozenset(v) for k, v in regions.items() if len(k) >= 2}
        with self._lock:
            changed = False
            for name, word in words:
                self._seen.add(name)
                if word not in self._known and 2 <= len(word) <= 12 and _is_han(word):
                    self._known.add(word)
                    tok.add_word(word, freq=None)
                    changed = True
            if changed or known != self.regions:
                self.regions = known
                self._memo.clear()
                self._generation += 1

    def set_learned(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Use the learned synonyms `pairs` (term, meaning) from now on, on top of the table."""
        pairs = tuple(pairs)
        tok = self._tokenizer()
        lex = with_learned(lexicon(), pairs)
        with self._lock:
            if pairs == self._learned:
                return
            for term, meaning in pairs:
                for word in (segment.fold(term), segment.fold(meaning)):
                    if _is_han(word) and word not in self._known:
                        self._known.add(word)
                        tok.add_word(word, freq=None)
            self._learned, self.lexicon = pairs, lex
            self._memo.clear()
            self._generation += 1

    def expand(self, core: str) -> list[Phrase]:
        """`expand` with this analyzer's synonyms (the table and the learned ones)."""
        return list(_expand(core, self.lexicon))

    def clear_memo(self) -> None:
        """Forget analysed queries (the benchmark times analysis, not the memo)."""
        with self._lock:
            self._memo.clear()
            self._generation += 1

    def cut(self, text: str) -> list[str]:
        return [w for w in self._tokenizer().cut(text, HMM=True) if w.strip()]

    def analyze(self, raw: str) -> Query:
        with self._lock:
            hit = self._memo.get(raw)
            if hit is not None:
                self._memo.move_to_end(raw)
            generation = self._generation
        if hit is None:
            hit = self._analyze(raw)
            with self._lock:
                if generation == self._generation:  # learn() ran meanwhile: do not keep it
                    self._memo[raw] = hit
                    if len(self._memo) > MEMO_SIZE:
                        self._memo.popitem(last=False)
        # A copy: callers may change their Query without touching the memo.
        return Query(raw=hit.raw, text=hit.text, core=hit.core, phrases=list(hit.phrases),
                     intent=hit.intent, years=list(hit.years), relative=hit.relative,
                     regions=list(hit.regions), region_ids=list(hit.region_ids),
                     group=hit.group, form=hit.form, indicator_id=hit.indicator_id,
                     measure=hit.measure, unexplained=hit.unexplained)  # fmt: skip

    def _analyze(self, raw: str) -> Query:
        lex = self.lexicon
        text = simplify(raw)
        query = Query(raw=raw, text=text, core="")
        # The form words first (各省, 最高, 2019到2025年, 近五年): they name no topic.
        query.form = read_form(text)
        rest = text
        for start, end in query.form.spans:
            rest = rest[:start] + " " * (end - start) + rest[end:]
        for m in _YEAR.finditer(rest):
            query.years.append(int(m.group(1)))
        rest = _YEAR.sub(" ", rest)
        # Region names next, so 乌恰县 is not read as a topic: the gazetteer's, then the names
        # of loaded reports' regions that it does not know.
        found = mentions.find(rest, lex.latin)
        query.region_ids = [r.id for r in found.regions]
        query.group, query.indicator_id = found.group, found.indicator_id
        query.measure = query.form.measure or mentions.usual_measure(query.indicator_id)
        rest = found.text
        for name in sorted(self.regions, key=len, reverse=True):
            if name in rest:
                query.regions.append(name)
                rest = rest.replace(name, " ")
        if query.form.kind == "lookup" and (query.group or len(query.region_ids) > 1):
            query.form.kind = "compare"
        rest = strip_filler(rest)
        kept: list[str] = []
        after_question = False
        for word in self.cut(rest):
            if _PUNCT.fullmatch(word) or (after_question and word in lex.measure):
                kept.append(" ")  # keep a boundary so words across it are not glued
                after_question = False
                continue
            after_question = word in lex.question
            if word in lex.next_year:
                query.relative = "next"
            elif word in lex.this_year:
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
        if query.indicator_id:
            query.unexplained = mentions.unexplained(query.core, query.indicator_id)
        if not query.core and query.regions and not query.intent:
            pass  # a bare region name: nothing to search for
        query.phrases = list(_expand(query.core, lex)) if query.core else []
        return query


def strip_filler(text: str) -> str:
    """那居民收入呢 → 居民收入: conversational words around the question (never all of it)."""
    lex = lexicon()
    stripped = lex.tail.sub("", lex.lead.sub("", text.strip()))
    return stripped if stripped.strip(" ?？!！。.,，") else text


def expand(core: str, lex: Lexicon | None = None) -> list[Phrase]:
    """The phrase as typed, then the synonym table's rewrites of it."""
    return list(_expand(core, lex or lexicon()))


@lru_cache(maxsize=4096)
def _expand(core: str, lex: Lexicon) -> tuple[Phrase, ...]:
    # Pure in `core` and `lex` (a lexicon never changes; learning makes a new one).
    # Each phrase costs a jieba cut here and a scan of every candidate in rank.py, so the
    # rewrites stop at MAX_PHRASES instead of being made and then cut.
    out: dict[str, Phrase] = {}
    parts = core.split(" ")
    out[core] = _phrase(core, "exact")
    texts = _rewrites(core, lex)
    if len(parts) > 1:  # a gap (punctuation, a dropped word) between topic words
        texts += [t for part in parts[:MAX_PARTS] for t in _rewrites(part, lex)]
    for text in texts:
        if len(out) >= MAX_PHRASES:
            break
        if text not in out:
            out[text] = _phrase(text, "synonym")
    return tuple(out.values())


@lru_cache(maxsize=8192)
def _phrase(text: str, source: Source) -> Phrase:
    words = tuple(dict.fromkeys(segment.match_words(text)))
    pieces = tuple(dict.fromkeys(p for w in words for p in segment.pieces(w)))
    return Phrase(text=text, words=words, source=source, pieces=pieces)


def _rewrites(text: str, lex: Lexicon) -> list[str]:
    """Replace synonym keys found in `text`, longest keys first and without overlaps."""
    synonyms = lex.synonyms
    taken: list[tuple[int, int, str]] = []
    for key in lex.keys:
        if key not in text:
            continue
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
        # Nor one that repeats the rewrite of the key just before it (规上 + 工业增加值 must not
        # become 规上规模以上工业增加值: 规模以上 is 规上's own rewrite).
        before = {text[s:e] for s, e, _ in taken if e == start}
        before |= {v for k in before for v in synonyms[k]}
        options = [key, *(v for v in synonyms[key] if v not in window
                          and not any(v != key and v.startswith(b) for b in before))]  # fmt: skip
        results = [r + between + o for r in results for o in options][:MAX_PHRASES + 1]
        pos = end
    results = [r + text[pos:] for r in results]
    return [r for r in results if r != text]


class Overlay(dict[str, int]):
    """A dictionary that reads through to `base` for keys it does not hold itself.

    jieba's Tokenizer only uses `in`, `[]`, `.get` and item assignment on its FREQ table, so
    the analyzer's tokenizer can add domain words here while the index tokenizer's table,
    shared underneath, stays as it is.
    """

    def __init__(self, base: dict[str, int]) -> None:
        super().__init__()
        self.base = base

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.base

    def __getitem__(self, key: str) -> int:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.base[key]

    # One signature for dict.get's overloads: all jieba calls (`.get(word)`, `.get(word, 0)`).
    def get(self, key: str, default: int | None = None) -> int | None:  # type: ignore[override]
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.base.get(key, default)


def _is_han(word: str) -> bool:
    return bool(word) and all("\u3400" <= c <= "\u9fff" for c in word)

"""Typo correction against the words the reports actually contain.

Chinese typos are mostly homophones picked from the input method's list (招商引姿 for 招商引资),
so a character-level ratio alone cannot tell a typo from a different topic: 火星探测 vs 月球探测
scores exactly what 招商引姿 vs 招商引资 scores (75). The rule here:
- a candidate of the same length whose differing characters (at most a quarter of them, at
  least one allowed) each share a reading with the typed character is accepted: a homophone typo;
- any other candidate needs fuzz.ratio ≥ 88 (one slip in a long indicator name).
Readings come from pypinyin's character table only (loaded on first use, ~20 MB), not its
phrase dictionary.

All rapidfuzz calls pass processor=None. Since rapidfuzz 3.0 that is already the default of
process.extract/extractOne and of every fuzz scorer (no preprocessing; 2.x applied
utils.default_process in process.* by default). It is written out so the scores cannot change
with a version or a refactor: utils.default_process lower-cases, turns punctuation into spaces
and trims (Han characters are kept), so the scores would no longer be those of the strings the
analyzer produced. tests/test_segment.py checks the scorers on Chinese.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.search.analyze import Phrase, expand

RATIO_CUTOFF = 88.0  # any edit, long words
HOMOPHONE_FLOOR = 50.0  # same-length homophone substitutions still need this ratio
SUGGEST_CUTOFF = 50.0  # looser: suggestions offered when nothing matched
MAX_TYPO_WORDS = 4  # words of a query looked up one by one (each lookup scans a vocabulary)
MAX_FIXED = 12  # corrected phrases searched

# Character → its toneless readings as a tuple of interned strings: 41,000 frozensets cost
# about 10 MB more than tuples, and a homophone test compares a few characters at a time.
_readings: dict[str, tuple[str, ...]] | None = None
_lock = threading.Lock()


def readings(char: str) -> tuple[str, ...]:
    """Toneless pinyin readings of one character (empty for non-Han)."""
    global _readings
    if _readings is None:
        with _lock:
            if _readings is None:
                _readings = _load_readings()
    return _readings.get(char, ())


def _load_readings() -> dict[str, tuple[str, ...]]:
    # Import only pypinyin/pinyin_dict.py: `import pypinyin` loads its phrase dictionary too
    # (~55 MB), which a per-character homophone test does not need.
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / "pinyin_dict.py"
    mod_spec = importlib.util.spec_from_file_location("_reportbot_pinyin_dict", path)
    if mod_spec is None or mod_spec.loader is None:
        return {}
    module = importlib.util.module_from_spec(mod_spec)
    mod_spec.loader.exec_module(module)
    table: dict[str, tuple[str, ...]] = {}
    for code, value in module.pinyin_dict.items():
        toneless = dict.fromkeys(sys.intern(_toneless(v)) for v in value.split(","))
        table[chr(code)] = tuple(toneless)
    return table


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ü", "v")


def homophone_typo(typed: str, word: str) -> bool:
    """Same length, few differing characters, each one sounding like the one it replaces."""
    if len(typed) != len(word) or typed == word:
        return False
    diffs = [(a, b) for a, b in zip(typed, word, strict=True) if a != b]
    if len(diffs) > max(1, len(typed) // 4):
        return False
    return all(not set(readings(a)).isdisjoint(readings(b)) for a, b in diffs)


@dataclass(slots=True)
class Vocabulary:
    """Words to correct towards, bucketed by length so a lookup scans only near lengths."""

    weights: dict[str, float] = field(default_factory=dict)  # word → how common
    _by_len: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, words: Iterable[tuple[str, float]]) -> Vocabulary:
        vocab = cls()
        for word, weight in words:
            if len(word) < 2:
                continue
            if word not in vocab.weights:
                vocab._by_len[len(word)].append(word)
            vocab.weights[word] = vocab.weights.get(word, 0.0) + weight
        return vocab

    def __len__(self) -> int:
        return len(self.weights)

    def _near(self, typed: str, spread: int) -> list[str]:
        out: list[str] = []
        for n in range(len(typed) - spread, len(typed) + spread + 1):
            out.extend(self._by_len.get(n, ()))
        return out

    def correct(self, typed: str, limit: int = 3) -> list[str]:
        """Words `typed` is probably a typo of, best first; [] when none is close enough."""
        if len(typed) < 2 or typed in self.weights:
            return []
        choices = self._near(typed, 1)
        hits = process.extract(
            typed,
            choices,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=HOMOPHONE_FLOOR,
            limit=200,
        )
        accepted: list[tuple[float, float, str]] = []
        for word, score, _ in hits:
            if score >= RATIO_CUTOFF or (score >= HOMOPHONE_FLOOR and homophone_typo(typed, word)):
                accepted.append((score, self.weights[word], word))
        accepted.sort(key=lambda t: (-t[0], -t[1], t[2]))
        return [w for _, _, w in accepted[:limit]]

    def suggest(self, typed: str, limit: int = 5) -> list[str]:
        """Looser neighbours for 您是不是要找…: containment first, then ratio."""
        if not typed:
            return []
        scored: dict[str, float] = {}
        for word, score, _ in process.extract(
            typed,
            self._near(typed, 3),
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=SUGGEST_CUTOFF,
            limit=50,
        ):
            scored[word] = score
        ranked = sorted(scored, key=lambda w: (-scored[w], -self.weights[w], w))
        return ranked[:limit]


def corrections(vocab: Vocabulary, core: str) -> list[Phrase]:
    """The query with typos corrected: the whole of it as one word, else one word at a time.

    Bounded: each lookup scans the vocabulary words of about its length, so only the first
    MAX_TYPO_WORDS words are looked up and at most MAX_FIXED phrases come back (a query of
    28 typo words once cost 700 ms here).
    """
    fixed: list[Phrase] = []
    for word in vocab.correct(core.replace(" ", "")):
        fixed.extend(_as_fuzzy(expand(word)))
    if not fixed and " " in core:
        parts = core.split()
        for i, part in enumerate(parts[:MAX_TYPO_WORDS]):
            for word in vocab.correct(part, limit=1):
                text = " ".join([*parts[:i], word, *parts[i + 1 :]])
                fixed.extend(_as_fuzzy(expand(text)))
            if len(fixed) >= MAX_FIXED:
                break
    return fixed[:MAX_FIXED]


def _as_fuzzy(phrases: Iterable[Phrase]) -> list[Phrase]:
    return [Phrase(text=p.text, words=p.words, source="fuzzy", pieces=p.pieces) for p in phrases]

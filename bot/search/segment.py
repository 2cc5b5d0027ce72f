"""How text is cut into words. The ONE place that states it; the index and the queries both use it.

Index side (`index_text`): the text is NFKC-normalized and case-folded, then split into runs:
- numbers (``23.4``, ``2.56``): one token each, never handed to jieba, because jieba glues or
  splits digits depending on their neighbours (``GDP23.4%`` vs ``增长23.4%``);
- Latin words (``gdp``, ``cpi``): one token each;
- Han runs: jieba *search mode* (``cut_for_search``), which emits each word and its dictionary
  sub-words (招商引资 → 招商, 引资, 招商引资), plus every two-character slice of a word of three or
  more characters (林果业 → 林果, 果业), so a two-character query finds the word it sits in.
The tokens are joined by spaces and stored in FTS5 tables whose tokenizer is
``unicode61 tokenchars '.'`` (the '.' keeps 23.4 one token).

Query side (`match_words`): the same runs, but Han runs are cut in precise mode (HMM on, as in
the index); every word precise mode yields for a string is also emitted by search mode for
that string, so a query word cut the same way in the text is always a token of the index.
Han words of three or more characters are matched as prefixes (``"示范村"*``); shorter ones need
no prefix, since the slices already put 就业 beside 就业率. A query word that jieba keeps whole
while the text splits it (教育经费 in 教育保障经费) also matches by all of its pieces (`pieces`).

Indexing uses its own jieba Tokenizer with the stock dictionary only. The query analyzer adds the
loaded reports' indicator names to a *different* Tokenizer (see analyze.py); if those words
reached this one, text indexed before and after a load would be cut differently.

Measured with bench/segmentation.py on the 83 reports in tests/data and seeds (9,659 passages,
76 short and long queries), as recall of the passages that contain the query string:
search mode alone 0.970, with prefix queries 0.983, with the two-character slices 0.984, slices
plus prefix for words of three or more characters (ours) 0.984 — and the slices make the
two-character prefix unnecessary, which matters: a two-character prefix merges hundreds of
terms (4.6 ms against 0.6 ms for 生产 over 1,000 reports). Most remaining misses are not
matches at all (国企 inside 中国企业, 外贸 inside 国内外贸易); a few are jieba errors (座户/厕).
For a query scoped to a few reports the store adds an exact substring scan of those reports
(~0.1 ms per report), which closes the gap; across 1,000 reports the same scan costs ~76 ms
(bench/search.py), over the 50 ms budget, so there the word index stands alone.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator

import jieba

FTS_TOKENIZE = "unicode61 tokenchars '.'"

# Numbers (with an optional decimal part), Latin words, Han runs. Everything else separates.
_RUN = re.compile(r"(\d+(?:\.\d+)?)|([a-z]+)|([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def index_tokenizer() -> jieba.Tokenizer:
    """The stock-dictionary tokenizer used for the index; loaded once per process."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                _tokenizer = tok
    return _tokenizer


def fold(text: str) -> str:
    """NFKC + case folding: ＧＤＰ, GDP and gdp become one word."""
    return unicodedata.normalize("NFKC", text).casefold()


def _tokens(text: str, cut_han: Callable[[str], Iterable[str]]) -> list[str]:
    """Numbers and Latin words whole; Han runs through `cut_han`. Index and queries share this."""
    out: list[str] = []
    for m in _RUN.finditer(fold(text)):
        number, latin, han = m.groups()
        if han is None:
            out.append(number or latin)
        else:
            out.extend(cut_han(han))
    return out


def _index_cut(han: str) -> Iterator[str]:
    for word in index_tokenizer().cut_for_search(han, HMM=True):
        yield word
        if len(word) >= 3:
            yield from (word[i : i + 2] for i in range(len(word) - 1))


def _query_cut(han: str) -> Iterator[str]:
    return (w for w in index_tokenizer().cut(han, HMM=True) if w.strip())


def index_tokens(text: str) -> list[str]:
    return _tokens(text, _index_cut)


def index_text(text: str) -> str:
    """The string stored in an FTS5 column for `text`."""
    return " ".join(index_tokens(text))


def match_words(text: str) -> list[str]:
    """Words of a query string as the index knows them (precise mode, stock dictionary)."""
    return _tokens(text, _query_cut)


def is_number(word: str) -> bool:
    return word[:1].isdigit()


def pieces(word: str) -> tuple[str, ...]:
    """The dictionary sub-words that spell out `word` (教育经费 → 教育, 经费), or (word,).

    A query word may be one jieba word (教育经费) where the text has it split by another word
    (教育保障经费); the pieces let the match and the ranking see the parts.
    """
    if len(word) < 3 or is_number(word):
        return (word,)
    subs = {w for w in index_tokenizer().cut_for_search(word) if 2 <= len(w) < len(word)}
    out: list[str] = []
    i = 0
    while i < len(word):
        for n in range(len(word) - i - (1 if i == 0 else 0), 1, -1):
            if word[i : i + n] in subs:
                out.append(word[i : i + n])
                i += n
                break
        else:
            return (word,)
    return tuple(out)


def fts_phrase(word: str) -> str:
    """One FTS5 term, quoted so user text can never be read as FTS syntax.

    Words of three or more characters match as prefixes (示范村 → 示范村镇). Shorter words match
    whole: every longer token already comes with its two-character slices (就业率 → 就业), and
    a two-character prefix merges hundreds of terms (4.6 ms against 0.6 ms for 生产 over
    1,000 reports). Numbers always match whole (8 must not find 80).
    """
    quoted = '"' + word.replace('"', '""') + '"'
    return quoted if is_number(word) or len(word) < 3 else quoted + "*"


def fts_word(word: str) -> str:
    """The word itself, or all of its pieces (教育经费 also finds 教育保障经费).

    Pieces are ANDed, not NEARed: position lists of common pieces are the expensive part of a
    query, and rank.py decides later whether the phrase is written out or only its words are.
    """
    parts = pieces(word)
    if len(parts) == 1:
        return fts_phrase(word)
    return f"({fts_phrase(word)} OR (" + " AND ".join(fts_phrase(p) for p in parts) + "))"


def fts_all(words: list[str]) -> str | None:
    """An FTS5 expression requiring every word; None when there are none."""
    if not words:
        return None
    return " AND ".join(fts_word(w) for w in dict.fromkeys(words))

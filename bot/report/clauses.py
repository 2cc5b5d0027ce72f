"""Sentence and clause splitting that returns offsets, so callers can quote text verbatim.

A span is a half-open ``(start, end)`` pair into the text given, with surrounding whitespace
trimmed and separators left out. Sentences end at 。！？!? and line breaks; clauses also end
at ，；：、 and their half-width forms. Separators that sit *inside* a number are kept:
``1,234`` (thousands), ``10:30`` (a time), ``3、4月`` (a list of numbers). A decimal point is
never a separator.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_SENTENCE_END = frozenset("。！？!?\n")
_CLAUSE_END = frozenset("，。；：、！？,;:!?\n")
# Closing quotes and brackets right after a sentence end belong to that sentence: 。” stays whole.
_TRAILING_CLOSERS = frozenset("”’」』）)】》\"'")
_DIGITS = frozenset("0123456789")
_CN_DIGITS = frozenset("零〇一二两三四五六七八九十")
# Half-width forms that are separators between words but not between digits.
_NUMERIC_JOINERS = frozenset(",:")
_SPACE = re.compile(r"\s")


def _is_numeric_joiner(text: str, i: int) -> bool:
    """True when the separator at ``i`` joins two parts of one number, time or number list."""
    if i == 0 or i + 1 >= len(text):
        return False
    before, ch, after = text[i - 1], text[i], text[i + 1]
    if ch in _NUMERIC_JOINERS:
        # 1,234 and 10:30 — a half-width comma or colon between digits is part of the number.
        return before in _DIGITS and after in _DIGITS
    if ch == "、":
        # 3、4月 or 一、二季度: a list of numbers reads as one quantity. A heading such as
        # "一、2022年" mixes the two scripts, so it still splits.
        return (before in _DIGITS and after in _DIGITS) or (
            before in _CN_DIGITS and after in _CN_DIGITS and not _starts_line(text, i - 1)
        )
    return False


def _starts_line(text: str, i: int) -> bool:
    """True when ``text[i]`` opens a line, ignoring indentation (a heading marker like 一、)."""
    j = i - 1
    while j >= 0 and text[j] in " \t\u3000":
        j -= 1
    return j < 0 or text[j] == "\n"


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and _SPACE.match(text[start]):
        start += 1
    while end > start and _SPACE.match(text[end - 1]):
        end -= 1
    return (start, end) if start < end else None


def _only_closers(text: str, span: Span) -> bool:
    """A lone 」 or ” left between two separators is not a clause of its own."""
    return all(c in _TRAILING_CLOSERS for c in text[span[0] : span[1]])


def _split(text: str, stops: frozenset[str], start: int, end: int, keep_stop: bool) -> list[Span]:
    spans: list[Span] = []
    piece = start
    i = start
    while i < end:
        ch = text[i]
        if ch in stops and not _is_numeric_joiner(text, i):
            stop = i
            if keep_stop and ch != "\n":
                # Keep the terminator (and any closing quote after it) with its sentence.
                stop = i + 1
                while stop < end and text[stop] in stops and text[stop] != "\n":
                    stop += 1
                while stop < end and text[stop] in _TRAILING_CLOSERS:
                    stop += 1
            span = _trim(text, piece, stop)
            if span and not _only_closers(text, span):
                spans.append(span)
            i = max(stop, i + 1)
            piece = i
            continue
        i += 1
    span = _trim(text, piece, end)
    if span:
        spans.append(span)
    return spans


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of ``text[start:end]``, each including its end mark (。 or ！ …)."""
    return _split(text, _SENTENCE_END, start, len(text) if end is None else end, keep_stop=True)


def clauses(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Clauses of ``text[start:end]``, without the separators between them."""
    return _split(text, _CLAUSE_END, start, len(text) if end is None else end, keep_stop=False)

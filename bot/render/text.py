"""The pieces every renderer is built from: measuring in Telegram's unit, escaping, cutting.

Every renderer builds its output from plain-text pieces and escapes each piece as it is placed,
so a cut never falls inside a tag or an entity such as ``&amp;``. Lengths are measured in UTF-16
code units of the *raw* output, tags included: that is stricter than Telegram's own count (which
ignores tags), so anything that passes here passes there, and ``len(text)`` (code points) is
never larger than the measured width.
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable
from dataclasses import dataclass

ELLIPSIS = "…"
PLAIN_BOLD = ("【", "】")  # how matched words stand out without markup
HTML_BOLD = ("<b>", "</b>")


@dataclass(slots=True, frozen=True)
class Page:
    """One page of a paged text: an answer or a table."""

    text: str
    has_more: bool
    page: int


def width(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts in (an emoji counts twice)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def esc(text: str, html: bool = True) -> str:
    """`text` escaped for Telegram HTML (`html`), or as it is for plain text."""
    return _html.escape(text, quote=False) if html else text


def bold_tags(html: bool) -> tuple[str, str]:
    return HTML_BOLD if html else PLAIN_BOLD


def wrap(text: str, tag: str, html: bool) -> str:
    """Escape `text` and wrap it in `tag` (HTML) or leave it bare (plain)."""
    if not text:
        return ""
    return f"<{tag}>{esc(text, True)}</{tag}>" if html else text


def clip(text: str, n: int) -> str:
    """Shorten plain text to at most n characters, marking the cut with an ellipsis."""
    text = " ".join(text.split())  # line breaks inside a label would break the layout
    return text if len(text) <= n else text[: max(n - 1, 0)] + ELLIPSIS


Spans = list[tuple[str, bool]]  # (plain text, bold?)


def fit_spans(spans: Spans, limit: int, html: bool, *, cut_after: bool = False) -> str:
    """Render spans in at most `limit` width, ending with … when anything was left out.

    `cut_after` says the spans are already a slice of a longer text, so … is due in any case.
    Bold runs are opened only when there is room to close them again.
    """
    opener, closer = bold_tags(html)
    full = "".join((opener + esc(t, html) + closer) if b else esc(t, html) for t, b in spans)
    if not cut_after and width(full) <= limit:
        return full
    room = limit - width(ELLIPSIS)
    if room < 0:
        return ""
    out: list[str] = []
    used = 0
    for text, bold in spans:
        overhead = width(opener) + width(closer) if bold else 0
        piece: list[str] = []
        for ch in text:
            cost = width(esc(ch, html))
            if used + overhead + cost > room:
                break
            piece.append(esc(ch, html))
            used += cost
        if piece:
            out.append(opener + "".join(piece) + closer if bold else "".join(piece))
            used += overhead
        if len(piece) < len(text):
            return "".join(out) + ELLIPSIS
    return "".join(out) + ELLIPSIS


def fit(text: str, limit: int, html: bool) -> str:
    """Escape plain text and fit it in `limit` width."""
    return fit_spans([(text, False)], limit, html)


def normal_marks(marks: Iterable[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Sorted, merged spans clipped to the text: search may hand over overlaps or strays."""
    spans = sorted((max(0, a), min(size, b)) for a, b in marks if b > a)
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def marked_spans(text: str, marks: Iterable[tuple[int, int]], start: int, end: int) -> Spans:
    """text[start:end] as spans, with the marked parts bold."""
    spans: Spans = []
    pos = start
    for a, b in normal_marks(marks, len(text)):
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        if a > pos:
            spans.append((text[pos:a], False))
        spans.append((text[a:b], True))
        pos = b
    if pos < end:
        spans.append((text[pos:end], False))
    return spans

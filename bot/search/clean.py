"""Query text → text that is safe to analyse, store, log and echo, and cheap to answer.

Every query passes through `clean_query` before any other work (Engine.ask calls it first; the
handlers call it too, so what they echo is what was searched). It removes what no report
contains and what breaks encoders or layouts:
- lone surrogates (a UTF-16 half without its partner: JSON may carry them, undecodable argv
  bytes become them; encoding to UTF-8 raises UnicodeEncodeError);
- control characters (tabs and line breaks become spaces), format characters (zero-width
  joiners, bidi overrides, BOM, soft hyphens), private-use and unassigned code points;
- combining marks beyond MAX_MARKS on one base character ("Zalgo" text), and marks with no base.
Whitespace is collapsed.

Then the work a query may cause is capped, not its characters alone: analysis, synonym
rewrites, typo correction and ranking all grow with the number of distinct words (runs of
letters, digits and Han characters between punctuation or spaces). Quotes, `-`, `*`, `:` and
brackets carry no syntax here (FTS terms are always quoted, see segment.fts_phrase); they only
separate words. So a word repeated (`"招商引姿" -就叶 "招商引姿" -就叶 …`) is kept once, and words
after the MAX_WORDS-th distinct one are dropped, as is text past MAX_CHARS.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 200  # characters kept: a lookup, not a pasted page
MAX_WORDS = 16  # distinct words kept: an English question runs to a dozen (typo work is capped
# separately, in fuzzy.corrections and analyze.MAX_PHRASES)
MAX_WORD = 64  # characters of one word: a long question without punctuation still fits
MAX_MARKS = 2  # combining marks kept on one base character (Vietnamese needs two)

# Categories removed outright: controls are handled first (some are whitespace).
_DROP = frozenset({"Cc", "Cf", "Co", "Cn", "Cs"})
_SPACES = frozenset({"Zs", "Zl", "Zp"})
# A word: letters, digits, Han (\w), with a decimal point kept inside numbers (5.5).
_WORD = re.compile(r"\w+(?:\.\w+)*")


def clean_query(raw: str) -> str:
    """The query as it will be searched, echoed and logged; "" when nothing searchable is left."""
    return cap_work(strip_unsafe(raw[: MAX_CHARS * 8]))  # a pasted book: look at its start only


def strip_unsafe(text: str) -> str:
    """Remove what no report holds and what encoders refuse; collapse whitespace."""
    text = _join_surrogate_pairs(text)
    out: list[str] = []
    marks = 0
    has_base = False
    for ch in text:
        category = unicodedata.category(ch)
        if category in _SPACES or (category == "Cc" and ch.isspace()):
            out.append(" ")
            marks, has_base = 0, False
        elif category in _DROP:
            continue
        elif category[0] == "M":
            if has_base and marks < MAX_MARKS:
                out.append(ch)
                marks += 1
        else:
            out.append(ch)
            marks, has_base = 0, True
    return " ".join("".join(out).split())


def _join_surrogate_pairs(text: str) -> str:
    """A high and low surrogate side by side are one character written in two halves (as
    JSON's \\ud83d\\ude00 may decode): join them, so only lone halves are dropped later."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace").replace(
        "\ufffd", ""
    )


def cap_work(text: str) -> str:
    """Keep each distinct word once, at most MAX_WORDS of them, within MAX_CHARS."""
    out: list[str] = []
    seen: set[str] = set()
    pos = 0
    for m in _WORD.finditer(text):
        word = m.group()
        key = word.casefold()
        gap = text[pos : m.start()]
        pos = m.end()
        if key in seen:
            continue  # a repeat adds no meaning, only work
        if len(seen) >= MAX_WORDS:
            pos = m.start()
            break
        seen.add(key)
        out.append(gap)
        out.append(word[:MAX_WORD])
    else:
        out.append(text[pos:])
        pos = len(text)
    kept = "".join(out)
    return " ".join(kept[:MAX_CHARS].split())

"""Regions, region groups and indicators named in a query, in any script people type.

Chinese names and short forms come from the gazetteer and the indicator catalogue (data in
bot/facts/); a mistyped region name at the start of a query (新彊, 广洲) is forgiven by the
gazetteer's typo rule. Latin words are read as pinyin or English: region names (sichuan,
Inner Mongolia), indicators (GDP, unemployment, jiuye) and the few question words that say
what is asked (target, mubiao, last year), which the `[latin]` table of synonyms.toml turns
into the Chinese words the rest of the analysis understands.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from bot.facts.indicators import catalogue, fold
from bot.facts.regions import Region, gazetteer

_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_RUN = re.compile(r"[a-z][a-z0-9&.'\-]*(?:\s+[a-z][a-z0-9&.'\-]*)*")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9&.'\-]*")
MAX_LATIN_WORDS = 4  # the longest indicator name people type in English (fixed asset investment)


@dataclass(slots=True)
class Mentions:
    regions: list[Region] = field(default_factory=list)
    group: str = ""  # a region group's id
    indicator_id: str = ""
    text: str = ""  # the query with region and group words blanked and Latin words translated


@cache
def _groups() -> tuple[tuple[str, str], ...]:
    """(word, group id) for every Chinese name and alias of a group, longest first."""
    places = gazetteer()
    words = [
        (word, group.id)
        for group in places.groups.values()
        for word in (group.name, *group.aliases)
        if not word.isascii()
    ]
    return tuple(sorted(words, key=lambda w: len(w[0]), reverse=True))


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def find(text: str, latin: Mapping[str, str]) -> Mentions:
    """What `text` (simplified, case-folded) names. `latin`: Latin word → Chinese word."""
    places = gazetteer()
    out = Mentions()
    for word, group_id in _groups():
        at = text.find(word)
        if at >= 0:
            out.group = group_id
            text = _blank(text, at, at + len(word))
            break
    text = _translate_latin(text, latin, out)
    for start, end, region in places.find(text):
        if region not in out.regions:
            out.regions.append(region)
        text = _blank(text, start, end)
    if not out.regions and not out.group:
        text = _typo_region(text, out)
    out.indicator_id = out.indicator_id or _indicator(text)
    out.text = text
    return out


def _typo_region(text: str, out: Mentions) -> str:
    """A region name mistyped at the start of the question (新彊GDP, 广洲的就业).

    Not where the question opens with its own words (那去年… is not 那曲): the opening is
    taken after the filler words (那, 请问), and a window holding a word the analysis knows
    (去年, 目标, 多少) is no place name."""
    from bot.search.analyze import lexicon, strip_filler

    places = gazetteer()
    lex = lexicon()
    known = lex.question | lex.target | lex.actual | lex.this_year | lex.last_year | lex.next_year
    stripped = strip_filler(text)
    offset = text.find(stripped.strip()) if stripped.strip() else 0
    first = _HAN_RUN.search(text, max(offset, 0))
    if first is None or first.start() > 6:
        return text
    for size in (4, 3, 2):
        word = first.group(0)[:size]
        if len(word) < size or any(w in word for w in known if len(w) >= 2):
            continue
        region = places.fuzzy(word)
        if region is not None:
            out.regions.append(region)
            return _blank(text, first.start(), first.start() + size)
    return text


def _translate_latin(text: str, latin: Mapping[str, str], out: Mentions) -> str:
    """Region names are left for the gazetteer; question words and indicators become Chinese."""
    places = gazetteer()
    indicators = catalogue()
    pieces: list[str] = []
    pos = 0
    for run in _LATIN_RUN.finditer(text):
        words = [(m.start() + run.start(), m.end() + run.start(), m.group(0).strip(".'-"))
                 for m in _LATIN_WORD.finditer(run.group(0))]  # fmt: skip
        i = 0
        while i < len(words):
            for j in range(min(len(words), i + MAX_LATIN_WORDS), i, -1):
                phrase = " ".join(w for _, _, w in words[i:j])
                start, end = words[i][0], words[j - 1][1]
                if phrase in latin:
                    replacement = f" {latin[phrase]} "
                elif places.lookup(phrase) is not None:
                    replacement = None  # a region: the gazetteer reads it below
                else:
                    found = indicators.lookup(phrase)
                    if found is None:
                        continue
                    out.indicator_id = out.indicator_id or found.id
                    # Synonym keys such as gdp and cpi stay: the synonym table expands them.
                    replacement = phrase if phrase in _kept() else f" {found.zh} "
                if replacement is not None:
                    pieces.append(text[pos:start])
                    pieces.append(replacement)
                    pos = end
                i = j
                break
            else:
                i += 1
    pieces.append(text[pos:])
    return "".join(pieces)


@cache
def _kept() -> frozenset[str]:
    from bot.search.analyze import lexicon

    return frozenset(k for k in lexicon().synonyms if k.isascii())


def unexplained(core: str, indicator_id: str) -> str:
    """The Chinese words of `core` outside the mentions of `indicator_id` (or its synonym keys)."""
    from bot.search.analyze import lexicon

    rest = fold(core)  # find() gives offsets into the folded text
    for start, end, ind in sorted(catalogue().find(rest), reverse=True):
        if ind.id == indicator_id:
            rest = rest[:start] + " " + rest[end:]
    for key in lexicon().keys:  # gdp, cpi, 社零: typed forms the catalogue may not list
        found = catalogue().lookup(key) if key in rest else None
        if found is not None and found.id == indicator_id:
            rest = rest.replace(key, " ")
    return "".join(_HAN_RUN.findall(rest))


def usual_measure(indicator_id: str) -> str:
    """The measure an indicator is usually stated in (GDP: growth), "" when unknown."""
    entry = catalogue().get(indicator_id) if indicator_id else None
    return entry.measures[0] if entry is not None and entry.measures else ""


def _indicator(text: str) -> str:
    """The catalogue indicator the Chinese words of `text` name (one only, else "")."""
    found = catalogue().find(text)
    ids = list(dict.fromkeys(ind.id for _, _, ind in found))
    if len(ids) > 1:
        # 社零增长目标: 增长目标 alone would mean GDP, but beside another indicator it only
        # says a target is asked for.
        folded = fold(text)
        ids = list(dict.fromkeys(
            ind.id for start, end, ind in found if not folded[start:end].endswith("目标")
        ))  # fmt: skip
    return ids[0] if len(ids) == 1 else ""

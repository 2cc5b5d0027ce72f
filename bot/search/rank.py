"""The one ranking function: candidates from retrieve.py in, ordered figures and excerpts out.

A figure is scored by where the query's phrase appears in it — its indicator name beats the
clause, which beats the section heading (the rest of the sentence does not count) — weighted by
how the phrase was obtained (as typed > synonym > typo correction); then by agreement with the
intent (target or actual) and the year asked for; its passage's BM25 only breaks near-ties.
Nothing else gets in: a figure whose fields do not hold the phrase is not an answer, however
good its passage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from bot.answer import Excerpt, FigureHit, ReportRef
from bot.search.analyze import Intent, Phrase, Query
from bot.search.segment import fold
from bot.store import FigureRow, PassageRow, ReportScope

SOURCE_WEIGHT = {"exact": 1.0, "synonym": 0.9, "fuzzy": 0.8}
# (phrase written out, all its words present) per field, best field first.
# A section heading naming the topic (激发稳岗就业新活力) says more than a long sentence that
# lists it among others (全年国内生产总值增长3%，城镇新增就业1206万人…).
# The rest of the sentence is not a field: figures that only share a sentence with a matching
# one (规模以上工业增加值 beside 地区生产总值) are other topics. The one exception is "lead":
# a figure with a bare indicator (销售额, 床位) continuing the clause before it, which names its
# topic (林果产量达到1567吨，实现销售额1840.5万元; 建成养老服务机构1596个、床位23.1万张).
FIELD_LEVELS = (("indicator", 10.0, 8.0), ("text", 7.0, 6.0), ("section", 4.0, 3.5),
                ("lead", 2.5, 2.0))  # fmt: skip
BARE_INDICATOR = 3  # at most this many characters: an indicator that names no topic of its own
_CLAUSE_STOPS = "，,、；;：:。！？"
INTENT_AGREE, INTENT_OTHER, INTENT_OPPOSITE = 5.0, -3.0, -4.0
YEAR_AGREE, YEAR_OTHER = 2.0, -2.0
# With 目标/完成 but no year: the report's own year (2026's target, not a 十五五 goal for 2030).
OWN_YEAR_AGREE, OWN_YEAR_OTHER = 1.5, -1.5
# The catalogue indicator the query names (its id, whatever the wording) against another one
# whose wording merely contains the query's words (单位GDP能耗 for GDP).
ID_AGREE, ID_OTHER = 3.0, -2.5
ID_LEVEL = 8.0  # an indicator-id match that the wording did not show: as good as "all words"
MEASURE_AGREE = 1.0  # the measure asked for, or the indicator's usual one (GDP: growth)
OUTCOME_FIRST = 0.5  # a past year named without 目标/完成: what happened comes first
BM25_WEIGHT = 1.0
EXCERPT_CHARS = 220


@dataclass(slots=True, frozen=True)
class Want:
    """What a report's figures should be, once relative words are resolved for that report."""

    intent: Intent | None
    years: frozenset[int]
    own_year: int | None = None  # soft: the report's target or review year, for an intent


def want_for(query: Query, scope: ReportScope) -> Want:
    years = set(query.years)
    if query.relative == "this" and scope.target_year:
        years.add(scope.target_year)
    if query.relative == "last" and scope.review_year:
        years.add(scope.review_year)
    intent = query.intent
    if intent is None and years:
        if scope.target_year in years:
            intent = "target"
        elif scope.review_year in years:
            intent = "actual"
    own = None
    if not years and query.intent:
        own = scope.target_year if query.intent == "target" else scope.review_year
    return Want(intent=intent, years=frozenset(years), own_year=own)


def ref(scope: ReportScope) -> ReportRef:
    return ReportRef(id=scope.id, title=scope.title, region=scope.region, year=scope.target_year)


def phrase_in(phrase: Phrase, folded: str) -> tuple[bool, bool]:
    """(the phrase is written in `folded`, all of its words are)."""
    written = all(part in folded for part in phrase.text.split())
    if written:
        return True, True
    return False, bool(phrase.pieces) and all(w in folded for w in phrase.pieces)


# Figures of one sentence or section share these strings; fold each once across queries.
_fold = lru_cache(maxsize=8192)(fold)


@lru_cache(maxsize=8192)
def lead_in(sentence: str, text: str) -> str:
    """The clause before `text` in `sentence` joined to it ("" when `text` opens the sentence)."""
    i = sentence.find(text)
    if i <= 0:
        return ""
    before = sentence[:i].rstrip(_CLAUSE_STOPS + " ")
    j = max(before.rfind(c) for c in _CLAUSE_STOPS)
    return before[j + 1 :] + text if before[j + 1 :] else ""


def match_level(phrases: Iterable[Phrase], row: FigureRow) -> tuple[float, str]:
    """Best (level, source) over the phrases; (0, "") when none is in the figure's fields."""
    f = row.figure
    fields = {
        "indicator": _fold(f.indicator),
        "text": _fold(f.text),
        "section": _fold(f.section),
        "lead": _fold(lead_in(f.sentence, f.text)) if len(f.indicator) <= BARE_INDICATOR else "",
    }
    best, source = 0.0, ""
    for phrase in phrases:
        weight = SOURCE_WEIGHT[phrase.source]
        if FIELD_LEVELS[0][1] * weight <= best:
            continue  # even an indicator match of this phrase could not do better
        for name, written_level, words_level in FIELD_LEVELS:
            if written_level * weight <= best:
                break
            if not fields[name]:
                continue
            written, words = phrase_in(phrase, fields[name])
            level = written_level if written else words_level if words else 0.0
            if level * weight > best:
                best, source = level * weight, phrase.source
            if written:
                break  # lower fields cannot beat this one for this phrase
    return best, source


def intent_score(want: Want, kind: str) -> float:
    if want.intent is None:
        return -1.0 if kind == "other" else 0.0
    if kind == want.intent:
        return INTENT_AGREE
    return INTENT_OTHER if kind == "other" else INTENT_OPPOSITE


def rank(
    query: Query,
    figures: Iterable[FigureRow],
    passages: Iterable[tuple[PassageRow, float | None]],
    bm25: Mapping[int, float],
    scopes: Mapping[str, ReportScope],
    *,
    limit: int = 20,
    excerpts: int = 5,
    browse: bool = False,
) -> tuple[list[FigureHit], list[Excerpt]]:
    """Order candidates. `passages` are excerpt candidates with their bm25 (None when found only
    by substring scan); `bm25` holds the score of every passage the index matched.

    `browse` is for a query with an intent but no topic (今年的目标): every figure of that kind
    qualifies, in report order.
    """
    strength = _normalized_bm25(bm25)
    wanted_id, wanted_measure = query.indicator_id, query.measure
    wants: dict[str, Want] = {}  # per report, computed for the reports that have candidates
    scored: list[tuple[float, str, int, FigureHit]] = []
    seen: set[int] = set()
    for row in figures:
        if row.id in seen or row.report_id not in scopes:
            continue
        seen.add(row.id)
        want = wants.get(row.report_id)
        if want is None:
            want = wants[row.report_id] = want_for(query, scopes[row.report_id])
        if browse:
            if want.intent and row.figure.kind != want.intent:
                continue
            level, source = 1.0, "exact"
        else:
            level, source = match_level(query.phrases, row)
            if (level <= 0 and wanted_id and row.figure.indicator_id == wanted_id
                    and not query.unexplained):  # fmt: skip
                level, source = ID_LEVEL, "exact"
            if level <= 0:
                continue
        score = level + intent_score(want, row.figure.kind)
        if want.years and row.figure.year is not None:
            score += YEAR_AGREE if row.figure.year in want.years else YEAR_OTHER
        elif want.own_year and row.figure.year is not None:
            score += OWN_YEAR_AGREE if row.figure.year == want.own_year else OWN_YEAR_OTHER
        if wanted_id and row.figure.indicator_id:
            score += ID_AGREE if row.figure.indicator_id == wanted_id else ID_OTHER
            if row.figure.indicator_id == wanted_id and row.figure.measure == wanted_measure:
                score += MEASURE_AGREE
        if query.years and query.intent is None and row.figure.kind == "actual":
            score += OUTCOME_FIRST
        score += BM25_WEIGHT * strength.get(row.passage_id, 0.0)
        hit = FigureHit(
            figure=row.figure,
            report=ref(scopes[row.report_id]),
            figure_id=row.id,
            passage_id=row.passage_id,
            score=score,
            match=source,
        )
        scored.append((-score, row.report_id, row.id, hit))
    if query.years:
        # 2023年就业目标 asks about 2023: a year named outright narrows the figures, not just
        # orders them, unless no figure of that year matched at all.
        named = set(query.years)
        scored = [t for t in scored if t[3].figure.year in named] or scored
    scored.sort(key=lambda t: t[:3])
    hits = [t[3] for t in scored[:limit]]

    # Excerpts follow the figures (the passage of the best figure first), then BM25: for
    # 就业目标 the plans for next year come before last year's review.
    first_hit: dict[int, int] = {}
    for i, hit in enumerate(hits):
        first_hit.setdefault(hit.passage_id, i)
    ordered = sorted(
        (p for p in passages if p[0].report_id in scopes),
        key=lambda p: (first_hit.get(p[0].id, len(hits)), p[1] is None,
                       p[1] if p[1] is not None else 0.0, p[0].id),
    )  # fmt: skip
    out: list[Excerpt] = []
    for prow, bm in ordered:
        marks = find_marks(query.phrases, prow.text)
        if not marks:
            continue  # the index matched words that are not really there (e.g. prefix only)
        text, marks = snippet(prow.text, marks)
        out.append(
            Excerpt(
                text=text,
                section=prow.path,
                report=ref(scopes[prow.report_id]),
                passage_id=prow.id,
                score=-bm if bm is not None else 0.0,
                marks=marks,
            )
        )
        if len(out) >= excerpts:
            break
    return hits, out


def _normalized_bm25(bm25: Mapping[int, float]) -> dict[int, float]:
    # bm25() is negative, lower is better; map each candidate passage to (0, 1], best = 1.
    values = {pid: -score for pid, score in bm25.items()}
    top = max(values.values(), default=0.0)
    if top <= 0:
        return {}
    return {pid: max(v, 0.0) / top for pid, v in values.items()}


def find_marks(phrases: Iterable[Phrase], text: str) -> list[tuple[int, int]]:
    """Spans of `text` to highlight: each phrase as written, else each of its words."""
    folded = fold(text)
    if len(folded) != len(text):  # folding changed lengths (rare ligatures): offsets unusable
        folded = text.casefold() if len(text.casefold()) == len(text) else text
    spans: set[tuple[int, int]] = set()
    for phrase in phrases:
        needles = phrase.text.split()
        if not all(n in folded for n in needles):
            needles = [w for w in phrase.pieces if len(w) >= 2 or not w.isascii()]
            if not needles or not all(n in folded for n in needles):
                continue
        for needle in needles:
            start = folded.find(needle)
            while start >= 0:
                spans.add((start, start + len(needle)))
                start = folded.find(needle, start + len(needle))
    return _merge(sorted(spans))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def snippet(text: str, marks: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """A window of the passage around its first marks, cut at a sentence start when near."""
    if len(text) <= EXCERPT_CHARS:
        return text, marks
    first = marks[0][0]
    start = max(0, first - 60)
    for stop in "。；！？":
        cut = text.rfind(stop, start, first)
        if cut >= 0:
            start = max(start, cut + 1)
    end = min(len(text), start + EXCERPT_CHARS)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    kept = [(s + shift, min(e, end) + shift) for s, e in marks if start <= s < end]
    return prefix + text[start:end] + suffix, kept

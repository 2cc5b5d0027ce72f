"""Whether a figure is a target, a result or background, and the year it is for.

The section a figure sits in gives a default (a review section holds results, a plan section
targets), but the clause has the last word: a clause that names its own year (2020年…,
到2030年…), a five-year-plan horizon (“十五五”时期…), a past period (五年来, 累计, 年均, 比2015年…)
or 去年/今年 decides over the section. The nearest such cue before a value wins, so
“今年是“十五五”开局之年，…增长5%左右” is this year's target, not the plan's.

Years: a target's year is the year it is for (the coming year, a plan's end, 到2027年 → 2027); a
result's is the year under review; background (``other``) takes the single year it refers to,
or the last year of the period it sums up (五年累计 in a 2023 report → 2022, 十三五 → 2020).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.report.model import Kind, ReportMeta, Section

__all__ = ["Context", "Years", "infer_years", "kind_and_year", "pair_start", "start_year"]

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
# 十四五, and the older plans in quotes: “八五” (1991–1995).
_PLAN = re.compile(r"十([一二三四五]?)五|“([六七八九])五\s*”")
# A year, not the year of a date (2023年1月10日 dates a speech, it is not what a figure is for).
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
_DELIVERED = re.compile(r"((?:19|20)\d{2})年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*在")
_REVIEW_TITLE = re.compile(r"回顾|过去|工作总结|成绩|成就|工作情况")
_TARGET_TITLE = re.compile(r"安排|目标|任务|要求|建议|计划|部署|取向|重点工作|今年|预期")
# A passage that opens on a multi-year period is background until a passage returns to the year.
_PERIOD_CUE = re.compile(
    r"过去(?:的)?五年|五年来|近五年|这五年|五年间|历年|“?十[一二三四]?五”?(?:时期|期间|以来)|经过五年"
)
_REVIEW_CUE_BASE = r"去年|过去一年|过去的一年|一年来|今年以来|刚刚过去"
_TARGET_CUE = re.compile(r"今年|目标|预期|力争|确保|计划|争取|将|拟|要|明年")
_CN_DIGITS = "〇一二三四五六七八九"

# --- cues inside a sentence ------------------------------------------------------------------
# Each names what the text after it is about. Sentence-wide cues hold to the sentence's end;
# clause cues (累计, 年均, 比2015年) only for the rest of their clause.
_YEAR_CUE = re.compile(
    r"(?P<horizon>到|至|在|于)?\s*(?P<year>(?:19|20)\d{2}|[一二][九〇○零][〇○零一二三四五六七八九]{2})"
    r"\s*年(?P<tail>(?:底|末|年底|前|以前)?)(?!\s*\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|度)"
)
_PLAN_CUE = re.compile(
    r"(?P<horizon>到|至)?\s*(?:“?十(?P<n>[一二三四五]?)五”?|“[六七八九]五\s*”)"
    r"(?P<what>时期|期间|以来|末|期末|规划期|规划目标|目标|计划)"
)
_THIS_YEAR = re.compile(r"今年(?!以来)|新的一年")
_NEXT_YEAR = re.compile(r"明年")
_HISTORY = re.compile(r"历史上")
# 全年, 年内: the year the section is about, whichever it is; they end the reach of earlier cues.
_SECTION_YEAR = re.compile(r"全年|年内|当年")
_LAST_YEAR = re.compile(r"去年|过去一年|过去的一年|刚刚过去的(?:一年|\d{4}年)|一年来")
_PERIOD = re.compile(
    r"过去(?:的)?(?:五|十)年|[五十]年来|近[五十]年|这五年|五年间|经过五年|多年来|长期以来"
)
# 累计 alone may sum one year's work (累计受理…2.98万余件 in a year's review); with a span of
# years it sums a period.
_CLAUSE_PERIOD = re.compile(
    r"年均|平均每年|每年平均|每年都|连年|接连|相继|(?:[五十多几两三四]|\d+)年(?:来)?累计|累计\d+年"
)
# 比2015年增长, 比“十二五”末增加, 较五年前下降: a change over several years.
_COMPARED = re.compile(
    r"(?:(?:比|较|与|同)\s*(?:(?P<year>(?:19|20)\d{2})\s*年|“?十[一二三四五]?五”?末)"
    r"|(?<![\d〇一二三四五六七八九])(?:[二三四五六七八九十]|\d{1,2})年前)"
)
# 2005年与2000年相比，…: the whole sentence is a change over the years between.
_COMPARE_FRAME = re.compile(
    r"(?:与|同|和|比)\s*(?:(?:19|20)\d{2}\s*年|“?十[一二三四五]?五”?末)\s*(?:相比|比较)"
)
# 2003年到2007年, 2021—2025年: a span of years, summed up at its end.
_YEAR_SPAN = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:到|至|—|－|-|~)\s*((?:19|20)\d{2})\s*年")
# 三年落实岗位24万个, 4年10次: a count over a span of years (not 2024年, 第三年, 近三年…).
_SPAN_OF_YEARS = re.compile(
    r"(?<![\d.A-Za-z〇○零一二三四五六七八九十第近每今明去前后上下同当])"
    r"(?:[两二三四五六七八九十]|\d{1,2})年"
    r"(?![级期制度前后底末初内中以来])(?=[\u4e00-\u9fff\d])"
)
_YEARLY = re.compile(r"同比|比上年|较上年|比去年|较去年")
# (年度目标6%以上): the review year's own goal, quoted beside its result.
_QUOTED_TARGET = re.compile(r"(?:年度|全年)?(?:预期)?目标(?:任务)?(?:为|是)?$")
_BASE_YEAR_AFTER = re.compile(r"\s*(?:的)?(?:基础上|基数上|同期|相比|水平上)")
_COMPARE_BEFORE = re.compile(r"(?:比|较|与|同|相比于?|对比)\s*$")
_SINCE_BEFORE = re.compile(r"(?:自|自从|从)\s*$")
_BASE_BEFORE = re.compile(r"(?:比|较|与|同|相比于?|对比|从|由|和|于)\s*$")


@dataclass(slots=True)
class Years:
    review: int | None
    target: int | None


def plan_end(title: str) -> int | None:
    """十四五 → 2025, 十五五 → 2030, “八五” → 1995."""
    m = _PLAN.search(title)
    if not m:
        return None
    if m.group(2):
        n = "六七八九".index(m.group(2)) + 6
    else:
        n = 10 + ("一二三四五".index(m.group(1)) + 1 if m.group(1) else 0)
    return 1955 + 5 * n


def _year_number(written: str) -> int:
    if written[0].isdigit():
        return int(written)
    return int("".join(str(_CN_DIGITS.index(c)) if c in _CN_DIGITS else "0" for c in written))


def section_year(title: str, years: Years) -> int | None:
    """The year a plan section is for: a five-year plan's end, or a year named in its title
    that is later than the target year (1981年国民经济计划的任务, in a report of 1980).

    A title that names the plan and the coming year too (“十五五”时期目标任务和2026年工作
    安排) gives None: its passages say which of the two they are about (`plan_period`)."""
    end = plan_end(title)
    if end and not (years.target and f"{years.target}年" in title.translate(_FULLWIDTH)):
        return end
    if end:
        return None
    named = [int(y) for y in _YEAR.findall(title.translate(_FULLWIDTH))]
    later = [y for y in named if years.target and y > years.target]
    return max(later) if later else None


def infer_years(text: str, sections: Sequence[Section], meta: ReportMeta) -> Years:
    """Review and target years: from meta, else section titles, else the delivery date."""
    review, target = meta.review_year, meta.target_year
    if review and target:
        return Years(review, target)
    for s in sections:
        if s.parent is not None:
            continue
        found = [int(y) for y in _YEAR.findall(s.title.translate(_FULLWIDTH))]
        if not found:
            continue
        if _REVIEW_TITLE.search(s.title) and not review:
            review = max(found)
        elif _TARGET_TITLE.search(s.title) and not target:
            target = max(found)
    if not review and not target:
        m = _DELIVERED.search(text[:3000].translate(_FULLWIDTH))
        if m:
            target = int(m.group(1))
    if review and not target:
        target = review + 1
    if target and not review:
        review = target - 1
    return Years(review, target)


def top_kinds(sections: Sequence[Section], text: str, years: Years) -> dict[int, Kind | None]:
    """Kind of each top-level section; ``None`` where only the sentences can tell.

    A review title (回顾, 2022年工作) makes a section ``actual``, a plan title (安排, 目标, 任务)
    ``target``, and every section after the review is a plan. Where no title says "review",
    a first section that opens on the past year (过去一年, 2025年…) is taken as the review, as
    in reports whose headings are slogans. Topical reports with neither read each sentence.
    """
    tops = [s for s in sections if s.parent is None]
    review_year = f"{years.review}年" if years.review else None
    target_year = f"{years.target}年" if years.target else None

    def is_review(s: Section) -> bool:
        lead_in = _PERIOD_CUE.match(s.title) and not _TARGET_TITLE.search(s.title)
        if _REVIEW_TITLE.search(s.title) or lead_in:
            return True  # 工作回顾, and ——这五年… lead-ins of a five-year review
        named = bool(review_year and review_year in s.title)
        return named and not (target_year and target_year in s.title)

    reviews = {s.index for s in tops if is_review(s)}
    if not reviews and tops:
        opening = text[tops[0].start : tops[0].start + 200]
        # 比去年增加… compares with the past year; it does not review it.
        back = re.compile(rf"(?<![比较同与])(?:{review_cue(years).pattern})")
        if back.search(opening) or _PERIOD_CUE.search(opening):
            reviews.add(tops[0].index)
    kinds: dict[int, Kind | None] = {}
    seen_review = False
    for s in tops:
        if s.index in reviews:
            kinds[s.index] = "actual"
            seen_review = True
        elif _TARGET_TITLE.search(s.title) or seen_review:
            kinds[s.index] = "target"
        else:
            kinds[s.index] = None
    return kinds


def review_cue(years: Years) -> re.Pattern[str]:
    if not years.review:
        return re.compile(_REVIEW_CUE_BASE)
    # Older reports write the year in Chinese digits: 一九八二年 (with 〇, ○ or 零 for 0).
    spelled = "".join(
        "[〇○零]" if d == "0" else "一二三四五六七八九"[int(d) - 1] for d in str(years.review)
    )
    return re.compile(f"{_REVIEW_CUE_BASE}|{years.review}年|{spelled}年")


_PLAN_OPENING = re.compile(
    r"主要(?:预期)?目标|重点工作|工作安排|今年是|今年经济社会发展|“?十五五”?时期"
)


def loose_kind(passage: str, current: Kind | None, cue: re.Pattern[str]) -> Kind | None:
    """The kind of a passage outside any section, from its opening, else the one before it:
    刚刚过去的2025年… is a review, 今年经济社会发展的主要预期目标… a plan."""
    opening = passage[:40]
    plan = _PLAN_OPENING.search(opening)
    back = cue.search(opening) or _PERIOD_CUE.search(opening)
    if plan and (not back or plan.start() < back.start()):
        return "target"
    if back:
        return "actual"
    return current


_PLAN_PERIOD = re.compile(r"十[一二三四五]?五|未来五年|今后五年|规划纲要|纲要（草案）|《纲要")
_YEAR_OPENING = re.compile(r"^.{0,12}?(?:今年|明年|本年)")


def plan_period(passage: str, plan_year: int | None, title: str, years: Years) -> int | None:
    """In a section on the five-year plan and the coming year, the plan's end year while the
    passages describe the plan (《纲要（草案）》明确了…主要指标), and None again from the passage
    that turns to the year (今年是“十五五”开局之年…, 2026年工作…)."""
    end = plan_end(title)
    if end is None:
        return plan_year
    opening = passage[:60].translate(_FULLWIDTH)
    if _YEAR_OPENING.search(opening) or (years.target and opening.find(f"{years.target}年") >= 0
                                      and opening.find(f"{years.target}年") < 12):  # fmt: skip
        return None
    if _PLAN_PERIOD.search(opening):
        return end
    return plan_year


def next_period(passage: str, period_other: bool, cue: re.Pattern[str]) -> bool:
    """Whether a passage is still about a past period (过去五年 …), judged by its opening."""
    opening = passage[:60]
    if _PERIOD_CUE.search(opening):
        return True
    if cue.search(opening):
        return False
    return period_other


@dataclass(slots=True)
class Context:
    """What the walk knows at a sentence: the section's kind and the period being described."""

    base: Kind | None  # from the top-level section; None when there are no sections to go by
    period_other: bool  # inside a passage run about 过去五年 / 十三五
    plan_year: int | None  # end year of a five-year plan the section is about
    review_cue: re.Pattern[str]  # words that point back at the year under review
    # The sentence before said 过去一年/去年 and this one names no time of its own: it goes on
    # about the year under review (过去一年…取得了很大成绩。国内生产总值增长10.3%，…).
    follows_review: bool = False


def _period_end(years: Years, end: int | None = None) -> int | None:
    """The last year of a past period: a plan's end if it is over, else the year under review."""
    if end and years.review and end <= years.review:
        return end
    return years.review


@dataclass(slots=True, frozen=True)
class _Cue:
    at: int  # offset in the sentence
    kind: Kind | None  # None (全年, 年内): the section decides
    year: int | None
    period: bool = False  # names a past period (五年来, 十三五时期): its end state is a result


def _sentence_cue(head: str, years: Years) -> _Cue | None:
    """The cue nearest the value among those that hold for a whole sentence."""
    found: list[_Cue] = []
    spans = [(m.start(), m.end()) for m in _YEAR_SPAN.finditer(head)]
    for m in _YEAR_CUE.finditer(head):
        if any(a <= m.start("year") < b for a, b in spans):
            continue
        if _COMPARE_BEFORE.search(head, 0, m.start("year")) or _BASE_YEAR_AFTER.match(
            head, m.end()
        ):
            continue  # 比2020年, 在2025年基础上: a base, not what the figure is for
        if head.startswith(("以来", "来", "起"), m.end()) or _SINCE_BEFORE.search(
            head, 0, m.start("year")
        ):
            # 2021年以来, 自1993年定点帮扶以来: a period up to now.
            found.append(_Cue(m.start(), "other", _period_end(years), True))
            continue
        kind, year = _kind_of_year(_year_number(m.group("year")), years)
        found.append(_Cue(m.start(), kind, year))
    for m in _YEAR_SPAN.finditer(head):
        end = int(m.group(2))
        if years.review and end > years.review:
            found.append(_Cue(m.start(), "target", end))
        else:
            found.append(_Cue(m.start(), "other", end, True))
    for m in _COMPARE_FRAME.finditer(head):
        # 2005年与2000年相比: the change is for the year named first, else the period's end.
        named = [c.year for c in found if c.at < m.start() and c.kind is not None]
        found.append(_Cue(m.start(), "other", named[-1] if named else _period_end(years)))
    for m in _PLAN_CUE.finditer(head):
        plan_to = plan_end(m.group(0))
        if plan_to is None or (m.group("what") in {"末", "期末"} and not m.group("horizon")):
            continue  # 十三五末 alone is a base (由“十三五”末的…)
        if years.review and plan_to > years.review:
            found.append(_Cue(m.start(), "target", plan_to))
        else:
            found.append(_Cue(m.start(), "other", _period_end(years, plan_to), True))
    for m in _THIS_YEAR.finditer(head):
        found.append(_Cue(m.start(), "target", years.target))
    for m in _NEXT_YEAR.finditer(head):
        found.append(_Cue(m.start(), "target", years.target + 1 if years.target else None))
    for m in _LAST_YEAR.finditer(head):
        if _BASE_BEFORE.search(head, 0, m.start()) or _BASE_YEAR_AFTER.match(head, m.end()):
            continue  # 比去年增加, 由去年的…增加到: last year is the base
        found.append(_Cue(m.start(), "actual", years.review))
    for m in _PERIOD.finditer(head):
        found.append(_Cue(m.start(), "other", _period_end(years), True))
    for m in _HISTORY.finditer(head):
        found.append(_Cue(m.start(), "other", None))
    for m in _SECTION_YEAR.finditer(head):
        found.append(_Cue(m.start(), None, None))
    return max(found, key=lambda c: c.at) if found else None


_TARGET_WORDS = re.compile(r"要|将|力争|确保|目标|预期|计划|争取|拟|今年|明年")
_LOOK_BACK = re.compile(r"过去(?:的)?一年|去年|一年来")


def reviews_the_year(sentence: str, years: Years) -> bool:
    """The sentence turns to the year under review as a whole (过去一年，我们的各项工作取得了
    很大成绩), naming no figure of its own: the next sentence may list them."""
    cue = _sentence_cue(sentence, years)
    return bool(
        _LOOK_BACK.search(sentence) and cue is not None and cue.kind == "actual"
        and not re.search(r"\d", sentence)
    )


def _kind_of_year(year: int, years: Years) -> tuple[Kind, int]:
    if years.target and year >= years.target:
        return "target", year
    if years.review and year == years.review:
        return "actual", year
    return "other", year


def kind_and_year(
    sentence: str, at: int, clause_at: int, ctx: Context, years: Years, stock: bool = False
) -> tuple[Kind, int | None]:
    """Kind and year of the value at offset ``at`` of ``sentence``, whose clause starts at
    ``clause_at``. ``stock`` says the value is a level held (生产总值6.66万亿元, 达到…,
    增长到…, a rate) rather than a flow (新建, 完成, 投资, 增长5%): in a review of a past period
    a level is the state at its end, a result for its last year; a flow is background."""
    kind, year, period = _frame(sentence, at, ctx, years)
    if kind not in ("actual", "other") or (kind == "other" and not period):
        return kind, year
    clause_head = sentence[clause_at:at]
    if (
        _CLAUSE_PERIOD.search(clause_head)
        or _SPAN_OF_YEARS.search(sentence, clause_at, at + 1)  # 4年10次: the value follows
        or _over_years(clause_head if stock else sentence[:at], years)
        or _QUOTED_TARGET.search(clause_head)
    ):
        # 年均, 五年累计, 三年落实, 比2015年: a total or change over several years; 年度目标6%:
        # the year's own goal quoted beside its result. Neither is the year's result.
        return "other", year
    if period:
        return ("actual" if stock else "other"), year
    return kind, year


def _frame(sentence: str, at: int, ctx: Context, years: Years) -> tuple[Kind, int | None, bool]:
    """Kind and year from the sentence's cues or else the section; the flag says the value is
    in a review of a past period (五年来, 十三五时期, a passage run about them)."""
    cue = _sentence_cue(sentence[:at], years)
    if cue is not None and cue.kind is not None:
        return cue.kind, cue.year, cue.period
    if ctx.follows_review and not _TARGET_WORDS.search(sentence) and years.review:
        return "actual", years.review, False
    kind, year = _from_section(sentence, ctx, years)
    return kind, year, kind == "other" and ctx.base == "actual" and ctx.period_other


def pair_start_year(
    sentence: str, at: int, before: str, ctx: Context, years: Years, carried: int | None
) -> int | None:
    """Year of the start value of a 从X到Y pair. The text's own base year (从2012年的…,
    由“十二五”末的… → 2015, 从去年的…) comes first, then the one a pair before it in the
    sentence named; else the frame tells: a past period starts the year before it (2018—2022
    → 2017), a plan starts from the year under review, a year's result from the year before."""
    named = start_year(before, years)
    if named or carried:
        return named or carried
    kind, year, period = _frame(sentence, at, ctx, years)
    if period and year:
        return year - 5
    if kind == "target":
        return years.review
    if kind == "actual" and years.review:
        return years.review - 1
    return None


def _over_years(head: str, years: Years) -> bool:
    """A comparison with a year before last (比2015年增长, 较五年前) that still holds at the
    value: it reaches the clauses after it until a 同比/比上年 starts a yearly comparison."""
    last = None
    for last in _COMPARED.finditer(head):  # noqa: B007 - the last one is wanted
        pass
    if last is None or _YEARLY.search(head, last.end()):
        return False
    year = last.group("year")
    return not year or not years.review or int(year) < years.review - 1


def _from_section(sentence: str, ctx: Context, years: Years) -> tuple[Kind, int | None]:
    """Kind and year from the section and the passage's period, when the sentence names none."""
    base = ctx.base
    if base is None:  # no headings to go by: read the sentence itself
        looks_back = bool(ctx.review_cue.search(sentence))
        if _TARGET_CUE.search(sentence) and not looks_back:
            base = "target"
        elif looks_back or "全年" in sentence:
            base = "actual"
        else:
            return "other", None
    if base == "actual":
        if ctx.period_other and "全年" not in sentence:
            return "other", _period_end(years)
        return "actual", years.review
    if ctx.plan_year:
        return "target", ctx.plan_year
    return "target", years.target


# --- 从X增长到Y --------------------------------------------------------------------------------
_FROM_MARK = re.compile(r"[从由]")
_TO_MARK = re.compile(r"(?:到|至)")
_BASE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _last_from(text: str) -> int:
    """Offset just after the last 从/由, or -1."""
    return max(text.rfind("从"), text.rfind("由")) + 1 or -1


def pair_start(clause_before: str, clause_after: str) -> bool:
    """Whether a value is the start of a 从X到Y pair: a 从/由 before it, with no 到/至 between,
    and a 到/至 after it (当地最低生活保障标准由…提高到…)."""
    at = _last_from(clause_before)
    if at < 0 or _TO_MARK.search(clause_before, at):
        return False
    return bool(_TO_MARK.search(clause_after))


def start_year(clause_before: str, years: Years) -> int | None:
    """The base year of a pair's start value when the text gives one: 从2012年的…, 由“十二五”末
    的… (2015), 从去年的…; ``None`` otherwise."""
    between = clause_before[max(0, _last_from(clause_before)) :]
    year = _BASE_YEAR.search(between)
    if year:
        return int(year.group(1))
    end = plan_end(between) if re.search(r"十[一二三四五]?五”?末", between) else None
    if end:
        return end
    if "去年" in between:
        return years.review
    return None

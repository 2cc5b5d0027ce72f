"""The form of a question about a library of reports, read from its words.

- compare: across regions (各省, 各地, 哪个省, 对比, two named regions, a region group);
- series: across years (历年, 近五年, 2019到2025年, 变化, 趋势);
- track: a target against its outcome (完成了吗, 完成情况, 实现了吗, 达标);
- lookup: everything else.

Ranking (最高, 最低, 排名, 前五) and thresholds (低于5%的省份) refine a comparison. The words
found are reported as spans so the analyzer can remove them before it looks for the topic.
Pure: regular expressions over the simplified query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from bot.report.figures import read_quantity

Kind = Literal["lookup", "compare", "series", "track"]
Order = Literal["desc", "asc", ""]

_CN_NUMBER = {c: i for i, c in enumerate("零一二三四五六七八九十", start=0)} | {"两": 2}
_N = r"(\d{1,2}|[一二两三四五六七八九十]{1,2})"

# 各省 / 全国各省 / 哪个省 … → every loaded region of that level.
_EVERY = re.compile(
    r"(?:全国)?各(?P<a>省份?|省区市|省市区?|地区?|地方|市|城市|区县|县区?)"
    r"|哪(?:个|些|一个)(?P<b>省份?|地区|地方|城市|市|县)"
    r"|(?:所有|全部)(?:的)?(?P<c>省份?|地区|地方|城市|市|县)"
    r"|(?:31|三十一)个省(?:份|区市)?"
    r"|(?P<d>省份|省区市|\bprovinces\b|\bregions\b|\bcities\b)"
    r"|的(?P<e>省|市|县|地区|城市)(?=$|有|是|排)"
)
_LEVELS = {
    "省": "provincial", "省份": "provincial", "省区市": "provincial", "省市": "provincial",
    "省市区": "provincial", "市": "city", "城市": "city", "县": "county", "区县": "county",
    "县区": "county", "地区": "any", "地方": "any", "地": "any", "provinces": "provincial",
    "regions": "any", "cities": "city",
}  # fmt: skip
_COMPARE = re.compile(r"对比|比较|相比|比一比|横向|\bvs\.?\b|\bpk\b|\bcompare\b|\bversus\b")
_DESC = re.compile(r"最高|最大|最多|最快|最好|第一|\bhighest\b|\btop\b|\bmost\b")
_ASC = re.compile(r"最低|最小|最少|最慢|最差|倒数|\blowest\b|\bleast\b")
_RANK = re.compile(r"排名|排行|排序|名次|\brank(?:ing)?\b")
_TOP = re.compile(rf"前{_N}(?:名|位|个|强)?|top\s*(\d{{1,2}})")
_BOTTOM = re.compile(rf"后{_N}(?:名|位|个)|倒数{_N}(?:名|位|个)?")
_THRESHOLD = re.compile(
    r"(?P<op>低于|小于|不到|不足|少于|高于|大于|超过|多于|不低于|不少于|至少|不高于|不超过"
    r"|below|under|above|over|less than|more than)\s*(?P<q>\d+(?:\.\d+)?[^\s，。？?的]{0,6})"
    r"|(?P<q2>\d+(?:\.\d+)?[^\s，。？?的]{0,5}?)(?P<op2>及以上|及以下|以上|以下)"
)
_OPS = {
    "低于": "<", "小于": "<", "不到": "<", "不足": "<", "少于": "<", "below": "<", "under": "<",
    "less than": "<", "高于": ">", "大于": ">", "超过": ">", "多于": ">", "above": ">",
    "over": ">", "more than": ">", "不低于": ">=", "不少于": ">=", "至少": ">=",
    "不高于": "<=", "不超过": "<=", "以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=",
}  # fmt: skip
# 九十年代, 上世纪90年代: a decade of the twentieth century.
_DECADE = re.compile(r"(?:上世纪|上个世纪|20世纪|二十世纪)?(?P<d>[五六七八九]十|[5-9]0)年代")
_SPAN = re.compile(
    r"((?:19|20)\d{2})\s*年?\s*(?:到|至|—|–|-|~|～|through|to)\s*((?:19|20)\d{2})\s*年?"
)
_LAST = re.compile(rf"(?:近|最近|过去|前){_N}年|last\s+(\d{{1,2}})\s+years?")
_SERIES = re.compile(
    r"历年|历届|每年|逐年|这些年|多年来|各年|变化|趋势|走势|演变|变动|走向|历史|年份|哪些年|哪一?年"
    r"|\bover the years\b|\btrend\b|\bhistory\b|\bseries\b|\bby year\b"
)
_TRACK = re.compile(
    r"完成了?(?:吗|没有?|了没|与否|得怎么样|得如何)|实现了?(?:吗|没有?|了没|与否)"
    r"|达到了?(?:吗|没有?)|达标了?吗?|兑现了?吗?|是否(?:完成|实现|达到|达标)"
    r"|(?:目标|任务)(?:的)?(?:完成|实现|达成)(?:情况|了吗|了没有?|没有?)"
    r"|\bmet\b|\bachieved\b|\bdid .{1,20} meet\b|\bon track\b"
)
_MEASURES = (
    ("share", re.compile(r"占比|比重|占.{0,10}的?比例|\bshare\b")),
    ("level", re.compile(r"总量|规模|绝对值|多少亿|多少万|\blevel\b|\btotal\b|\bamount\b")),
    ("growth", re.compile(r"增速|增长率|增幅|增长速度|增长多少|\bgrowth\b|\bgrowth rate\b")),
)


@dataclass(slots=True)
class Form:
    kind: Kind = "lookup"
    every: str = ""  # 各省 → "provincial"; 各地 → "any"
    order: Order = ""
    top: int | None = None
    # (operator, number in base units, unit) e.g. ("<", 5.0, "%"), (">", 1e11, "亿斤")
    threshold: tuple[str, float, str] | None = None
    span: tuple[int, int] | None = None  # 2019到2025年
    last: int | None = None  # 近五年 → 5
    measure: str = ""  # growth / level / share, when the words ask for one
    spans: list[tuple[int, int]] = field(default_factory=list)  # words to remove from the topic


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_NUMBER[text[1]]
    if text.endswith("十"):
        return _CN_NUMBER[text[0]] * 10
    return _CN_NUMBER.get(text[0], 0) if len(text) == 1 else 0


def read_form(text: str) -> Form:
    """The form of the simplified, case-folded question `text`."""
    form = Form()
    spans = form.spans

    m = _EVERY.search(text)
    if m:
        word = m.group("a") or m.group("b") or m.group("c") or m.group("d") or m.group("e") or "省"
        form.every = _LEVELS.get(word, "any")
        spans.append(m.span())
    m = _SPAN.search(text)
    if m:
        lo, hi = sorted((int(m.group(1)), int(m.group(2))))
        form.span = (lo, hi)
        spans.append(m.span())
    m = _DECADE.search(text)
    if m and form.span is None:
        tens = m.group("d")
        start = 1900 + (int(tens) if tens.isdigit() else 10 * "零一二三四五六七八九".index(tens[0]))
        form.span = (start, start + 9)
        spans.append(m.span())
    m = _LAST.search(text)
    if m:
        form.last = _number(m.group(1) or m.group(2))
        spans.append(m.span())
    m = _THRESHOLD.search(text)
    quantity = read_quantity(m.group("q") or m.group("q2")) if m else None
    if m and quantity is not None:
        op = m.group("op") or m.group("op2")
        form.threshold = (_OPS[op], quantity[0], quantity[1])
        spans.append(m.span())
    m = _TOP.search(text)
    if m:
        form.top = _number(m.group(1) or m.group(2))
        form.order = "desc"
        spans.append(m.span())
    m = _BOTTOM.search(text)
    if m:
        form.top = _number(m.group(1) or m.group(2))
        form.order = "asc"
        spans.append(m.span())
    ways: tuple[tuple[re.Pattern[str], Order], ...] = ((_ASC, "asc"), (_DESC, "desc"))
    for pattern, order in ways:
        m = pattern.search(text)
        if m and not form.order:
            form.order = order
            spans.append(m.span())
    for m in _RANK.finditer(text):
        form.order = form.order or "desc"
        spans.append(m.span())
    compare_word = _COMPARE.search(text)
    if compare_word:
        spans.append(compare_word.span())
    track = _TRACK.search(text)
    series = _SERIES.search(text)
    for measure, pattern in _MEASURES:
        m = pattern.search(text)
        if m:
            form.measure = measure
            break
    if track:
        form.kind = "track"  # its words stay: they also say targets and results are meant
    elif form.span or form.last or (series and not form.every):
        form.kind = "series"
        if series:
            spans.append(series.span())
    elif form.every or form.order or form.threshold or compare_word:
        form.kind = "compare"
    return form

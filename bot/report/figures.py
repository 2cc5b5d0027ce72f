"""Quantities stated by a report, as Figure rows.

Conventions (also summarised on ``Figure`` in model.py):

- ``value``: the quantity as written, with any range and trailing 以上/以内/左右/上下/以下,
  e.g. ``700人以上``, ``5.5%—6%``, ``840余万元``.
- ``number``: the value in base units: the multipliers 万/亿/千/万亿 are applied, so
  ``30.47亿元`` → 3.047e9 and ``2.56万亩`` → 25600.0. A range gives its low end. Percentages
  and 百分点 stay as written (``5.5%`` → 5.5). Units that carry a metric prefix as part of
  their name (千米, 千瓦, 千克, 兆瓦) are not multiplied.
- ``unit``: the unit word as written after an Arabic number, multiplier included (``亿元``,
  ``万亩``, ``%``); for Chinese numerals the multiplier is part of the numeral, so
  ``一百万亩`` has unit ``亩``. ``0.5个百分点`` has unit ``百分点``, never ``%``. Ratios,
  indices and fractions have no unit: ``收入比降至2以内`` → ``""``.
- ``qualifier``: the words that bound or direct the value, as written. Words before the
  value (同比增长, 控制在, 达到, 超过, 约 …) and after it (以上, 以内, 左右, 余 …) are
  joined with ``…``: ``增长…以上``, ``控制在…以内``, ``同比增长``, ``余``; ``""`` when none.
- ``kind`` and ``year``: decided clause by clause (bot/report/kinds.py). ``target`` for the
  coming year and later years (到2030年, 十五五 → 2030), ``actual`` for the year under review
  and levels held at its end, ``other`` for background: totals and averages over several years
  (五年累计, 年均, 比2015年), start values of 从X到Y (with their base year), other regions'
  or earlier years' values. The section gives the default; a clause's own cue wins.
- Not figures: dates, ordinals, codes, numbers inside names (国电投300兆瓦光伏制氢, 十件民生
  实事), thresholds (10万元以上的项目, 65岁以上老年人), ranks, counts of the plan's own
  structure (13个预期性指标), figures of speech, and anything in a glossary annex (名词解释).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from bot.report import kinds
from bot.report.clauses import Span, clauses, sentences
from bot.report.model import Figure, Kind, Passage, ReportMeta, Section
from bot.report.structure import is_glossary

# ---------------------------------------------------------------------------------------------
# Numbers

_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNIT = {"万": 10_000, "亿": 100_000_000}
_MULTIPLIER = {
    "万亿": Decimal(10**12),
    "千亿": Decimal(10**11),
    "千万": Decimal(10**7),
    "亿": Decimal(10**8),
    "万": Decimal(10**4),
    "千": Decimal(1000),
}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")


def parse_chinese_number(s: str) -> float | None:
    """一百万 → 1000000, 两千 → 2000, 二〇三五 → 2035, 三点五 → 3.5; None if not a numeral."""
    if not s:
        return None
    if "点" in s:
        whole, _, frac = s.partition("点")
        base = parse_chinese_number(whole) if whole else 0.0
        if base is None or not frac or any(c not in _CN_DIGIT for c in frac):
            return None
        return base + float("0." + "".join(str(_CN_DIGIT[c]) for c in frac))
    if all(c in _CN_DIGIT for c in s):
        # Digit by digit, as in 二〇三五 or a lone 五.
        return float("".join(str(_CN_DIGIT[c]) for c in s))
    total = 0.0  # everything already closed by 亿
    section = 0.0  # the part below the current 万/亿
    digit = 0.0
    for c in s:
        if c in _CN_DIGIT:
            digit = _CN_DIGIT[c]
        elif c in _CN_SMALL_UNIT:
            section += (digit or 1) * _CN_SMALL_UNIT[c]
            digit = 0
        elif c in _CN_BIG_UNIT:
            section = ((section + digit) or 1) * _CN_BIG_UNIT[c]  # a bare 万亿 is 1万亿
            if c == "亿":
                total += section
                section = 0
            # after 万 the section stays open: a later 亿 scales it too (一万亿)
            digit = 0
        else:
            return None
    return total + section + digit


def parse_number(s: str) -> float | None:
    """Arabic (with thousands commas, full-width digits) or Chinese numeral → float."""
    s = s.translate(_FULLWIDTH).replace(",", "")
    try:
        return float(s)
    except ValueError:
        return parse_chinese_number(s)


# ---------------------------------------------------------------------------------------------
# The value pattern

_AR = r"\d+(?:,\d{3})*(?:[.．]\d+)?"
# A Chinese numeral must open with a digit or 十: a lone 万/千/百 starts words (万村, 千方百计).
_CN = (
    r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
    r"(?:点[零〇一二三四五六七八九]+)?"
)
# 百万, 千余场, 千万人次, 百亿元: a round number without a leading digit, taken only after a
# verb of reaching or with 余 (see _is_figure): elsewhere 千/百 open words (千方百计, 千家万户).
_CN_ROUND = r"(?:[百千](?![百千])|万(?=亿))"
_NUM = rf"(?:{_AR}|{_CN}|{_CN_ROUND})"
# 千 is a multiplier only where it is not the prefix of a unit name (千米, 千瓦, 千克, 千伏).
_MULT = r"(?:万亿|千亿|亿|千万|万|千(?![米瓦克伏]))"


def _words(text: str) -> list[str]:
    return text.split()


_UNITS = sorted(
    _words("""
    元 美元 欧元 港元 % ％ ‰ 个百分点 百分点
    吨 公斤 千克 斤 克 公里 千米 延米 米 平方公里 平方千米 平方米 公顷 亩 立方米 升
    千瓦时 兆瓦时 吉瓦时 千瓦 兆瓦 吉瓦 个工作日 工作日 标准箱 标箱 微克/立方米 毫克/立方米
    微克每立方米 毫克每立方米 毫米 海里 年
    人次 户次 件次 艘次 车次 辆次 剂次 剂 列 趟 班次 期 成 人 名 位 户 个月 个 家 所 座 项 套 间 张
    辆 台 件
    批次 批 条 处 栋 幢 株 棵 头 只
    匹 羽 场次 场 次 倍 天 小时 分钟 艘 架次 架 对 部 份 册 篇 门 类 种 床 宗 起 例 支 块 片 根 眼
    孔 盏 岁 所 校 层 平米
    """),
    key=len,
    reverse=True,
)
# A rate per time or per head belongs to its unit: 4318元/年, 16.9万吨/日.
_PER = r"(?:/(?:年|月|日|天|人|亩|吨|户))?"
_UNIT = "(?:(?:" + "|".join(re.escape(u) for u in dict.fromkeys(_UNITS)) + f"){_PER})"
_APPROX = r"(?:余|多)"
_CORE = rf"{_NUM}{_APPROX}?(?:{_MULT}{_APPROX}?)?{_UNIT}?(?:(?<=倍){_APPROX})?"
# 翻一番, 翻两番: doubling (×2), quadrupling (×4).
_DOUBLING = r"翻[一两二三]番"
_RANGE_SEP = r"(?:——|[—–\-－~～至到])"
_POST = r"(?:以上|以下|以内|之内|左右|上下)"
# 百分之八, and a range of them: 百分之八至九, 百分之八到百分之九.
_PCT_CN = (
    r"百分之[零〇一二两三四五六七八九十百点]+"
    r"(?:[至到](?:百分之)?[零〇一二两三四五六七八九十百点]+)?"
)
# Not preceded by a Latin letter, digit, point or slash: G315, PM2.5, K4589/2023-00501.
_VALUE = re.compile(
    rf"(?<![A-Za-z0-9０-９.．/\-_])(?:{_PCT_CN}|{_DOUBLING}|{_CORE}(?:{_RANGE_SEP}{_CORE})?){_POST}?"
)
_CORE_PARTS = re.compile(
    rf"(?P<num>{_NUM})(?P<a1>{_APPROX})?(?:(?P<mult>{_MULT})(?P<a2>{_APPROX})?)?(?P<unit>{_UNIT})?"
    rf"(?P<a3>(?<=倍){_APPROX})?"
)
_COUNT_UNITS = frozenset(
    _words(
        "个 家 所 座 项 套 间 张 辆 台 件 批 条 处 栋 幢 株 棵 头 只 匹 艘 架次 架 对 部 份 册 篇 "
        "门 类 种 宗 起 例 支 块 片 根 眼 孔 盏 校 名 位 户 场 场次 次 批次"
    )
)


@dataclass(slots=True)
class _Value:
    start: int
    end: int
    value: str
    number: float | None
    unit: str
    post: str  # 余/多 and 以上/左右 … in text order
    numeral: str  # the first number as written


def _parse_value(text: str, start: int, end: int) -> _Value | None:
    raw = text[start:end]
    post = ""
    m_post = re.search(_POST + "$", raw)
    body = raw[: m_post.start()] if m_post else raw
    if raw.startswith("翻"):
        times = 2 ** "一两二三".index(raw[1]) if raw[1] in "一两二三" else None
        times = {"一": 2, "两": 4, "二": 4, "三": 8}.get(raw[1], times)
        return _Value(start, end, raw, float(times or 2), "倍", "", raw[1])
    if raw.startswith("百分之"):
        low = re.split(r"[至到]", body[3:])[0]  # a range gives its low end
        number = parse_chinese_number(low)
        return _Value(start, end, raw, number, "%", m_post.group() if m_post else "", low)
    first = _CORE_PARTS.match(body)
    if not first:
        return None
    rest = body[first.end() :]
    second = None
    if rest:
        sep = re.match(_RANGE_SEP, rest)
        second = _CORE_PARTS.fullmatch(rest[sep.end() :]) if sep else None
        if second is None:
            return None
    mult = first.group("mult") or (second.group("mult") if second else None)
    unit_word = first.group("unit") or (second.group("unit") if second else None)
    if not unit_word and mult not in {"万", "亿", "万亿"}:
        return None  # a bare number: a year, a code, a hotline, a count without a unit
    if not unit_word and re.fullmatch(_CN, first.group("num")):
        return None  # 万 alone after a Chinese numeral is part of the numeral, not a unit
    number = parse_number(first.group("num"))
    if number is not None and mult:
        # Decimal keeps 1.1亿 at 110000000.0 rather than 110000000.00000001.
        number = float(Decimal(repr(number)) * _MULTIPLIER[mult])
    # A Chinese numeral holds its multiplier (一百万亩 → 亩), a round 百万 or a digit does not.
    numeral = first.group("num")
    spelled = not _is_arabic(numeral) and numeral not in ("百", "千", "万")
    unit = unit_word or "" if spelled else (mult or "") + (unit_word or "")
    if numeral == "万":
        unit = "万" + unit  # 超万亿元: the round 万 is part of the unit as written
    if unit.endswith("个百分点"):
        unit = unit.removeprefix("个")
    unit = unit.replace("％", "%")
    for part in (first.group("a1"), first.group("a2"), first.group("a3")):
        if part:
            post += part
    if m_post:
        post += m_post.group()
    return _Value(start, end, raw, number, unit, post, first.group("num"))


def read_quantity(text: str) -> tuple[float, str] | None:
    """(number in base units, unit) of the quantity `text` starts with: 1000亿斤 → (1e11, 亿斤),
    5% → (5.0, %); None when it starts with none. For thresholds in questions (超过1000亿斤)."""
    m = _VALUE.match(text)
    v = _parse_value(text, m.start(), m.end()) if m else None
    return (v.number, v.unit) if v is not None and v.number is not None else None


def _is_arabic(numeral: str) -> bool:
    return numeral[:1].isdigit()


# ---------------------------------------------------------------------------------------------
# What is not a figure

_ORDINAL_BEFORE = re.compile(r"(?:第|前|届|序号|编号|No\.?)\s*$")
_MEETING_AFTER = re.compile(r"(?:全会|会议|全体会议|代表大会|党代会|人代会)")
_POLICY_AFTER = re.compile(
    r"(?:[\u4e00-\u9fff]{0,3}?(?:硬措施|措施|意见|举措|规定|政策|要求|原则|禁令|条例|制度)|”)"
)
_RHETORICAL_UNITS = frozenset(_words("个 批 次 项 条 种 类 位 件 大 方面"))
_OPEN_QUOTE = '“‘「『《"'
_CLOSE_QUOTE = '”’」』》"'
_NUMERAL_START = re.compile(rf"^(?:{_AR}|{_CN})")


def _quoted_name(text: str, start: int, end: int) -> bool:
    """True for a number inside a short quoted name: “四个不摘”, “8个好32项指标”, “十五条”.

    A quantity quoted inside a phrase (“粮食作物一百万亩”目标) is still a figure.
    """
    lo = max(0, start - 12)
    before = text[lo:start]
    opened = max(before.rfind(q) for q in _OPEN_QUOTE)
    if opened < 0 or any(q in before[opened + 1 :] for q in _CLOSE_QUOTE):
        return False
    content_start = lo + opened + 1
    after = text[end : end + 12]
    closed = min((i for i in (after.find(q) for q in _CLOSE_QUOTE) if i >= 0), default=-1)
    if closed < 0:
        return False
    return bool(_NUMERAL_START.match(text[content_start:end]))


_DURATION_UNITS = frozenset(_words("小时 分钟 天 个工作日 工作日"))
# After a duration: more durations of a list (圈内1小时、济青1.5小时”), closing quotes, 内.
_DURATION_TAIL = re.compile(
    rf"(?:[、和及][\u4e00-\u9fff]{{0,4}}?{_NUM}(?:小时|分钟|天|个工作日|工作日))*"
    rf"[{_CLOSE_QUOTE}]*(?:以内|之内|内)?"
)
# Qualifiers that bind a duration as the value an indicator reaches: 压缩至, 控制在, 不超过.
_BINDING = re.compile(r"(?:至|到|为|在|于|不低于|不超过|不少于|不多于|低于|高于|超过)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _duration_modifier(text: str, v: _Value) -> bool:
    """True for a duration that qualifies what follows rather than measuring an indicator.

    A service promise or a name (实现…24小时动态清零, 24小时在线监控, 1小时通勤圈, 五天工作制,
    240小时过境免签政策) runs straight into a word; a measured time is followed by a stop
    (优良天数增加25天，) or bound to an indicator before it (审批时间压缩至3个工作日办结).
    """
    tail = _DURATION_TAIL.match(text, v.end)
    following = text[tail.end() : tail.end() + 1] if tail else ""
    if not _CJK.match(following) or following in "了":
        return False
    _, qualifier = _split_qualifier(text[max(0, v.start - 12) : v.start])
    return not _BINDING.search(qualifier)


_SHARE_BEFORE = re.compile(r"(?:占|达|超|超过|近|约|下降|增长|提高|减少|降低|全国|全省)$")
_NAMED_SET = re.compile(r"“?(?:民生实事|民心工程|重大工程|重点工程|重点任务|行动)")
_STREAK_BEFORE = re.compile(r"连续$")
_RECORD_BEFORE = re.compile(
    r"(?:最高|最大|最长|最深|最宽|最快|首台|首套|首个|首款|首座)(?:量产级)?$"
)
_ROUND_BEFORE = re.compile(r"(?:突破|超过|超|达到|达|近|逾|上|跨越|迈上|过|至|到|约)$")
_YEARS_NOUN = re.compile(r"(?:年限|寿命|年龄|工龄|学制)[^，。；]{0,12}$")


def _years_measured(text: str, v: _Value) -> bool:
    """受教育年限11.3年, 平均受教育年限达到9年以上: years as a measured quantity."""
    return (v.number or 0) < 100 and bool(_YEARS_NOUN.search(text, max(0, v.start - 18), v.start))


def _is_figure(text: str, v: _Value) -> bool:
    before = text[max(0, v.start - 4) : v.start]
    after = text[v.end : v.end + 6]
    cn = not _is_arabic(v.numeral)
    if _ORDINAL_BEFORE.search(before):
        return False
    if cn and len(v.numeral) > 1 and all(c in _CN_DIGIT for c in v.numeral):
        return False  # 一二三次产业, 二〇三五年: a list or a year, not a count
    if cn and v.numeral == "一" and not v.post and not v.value.startswith("翻"):
        return False  # 一个, 一次, 一批: an article, not a count
    if v.numeral in ("百", "千", "万") and not ("余" in v.post or _ROUND_BEFORE.search(before)):
        return False  # 千家万户, 百姓: words, not numbers
    if v.unit == "年" and not _years_measured(text, v):
        return False  # 2023年, 连续10年: a date or a span, not a measured number of years
    if v.unit in {"次", "届"} and (_MEETING_AFTER.match(after) or before.endswith("届")):
        return False  # 十届六次全会, 二十届三中全会
    if v.unit in {"条", "项"} and _POLICY_AFTER.match(after):
        return False  # 十五条硬措施, 八项规定, 新“十条”: policy names
    if cn and v.unit in _COUNT_UNITS and after[:1] in _OPEN_QUOTE:
        return False  # 两个“统筹”
    if _quoted_name(text, v.start, v.end) and not v.value.startswith("翻"):
        return False
    if v.unit == "期" and (cn or after[:1] not in ("，", "。", "；", "、", "")):
        return False  # 四期工程, 醇油坊二期: a phase's name; 举办培训班超10期 counts sessions
    if v.unit == "门" and cn:
        return False  # 三门峡: a place; 1.1亿门 counts telephone lines
    if v.unit == "成" and not (_SHARE_BEFORE.search(before) or v.post or after[:1] in "，。；、"):
        return False  # 做到三成说清现状: a manner of speech; 占全国9成, 下降超过五成 are shares
    if cn and v.unit in ("件", "项") and _NAMED_SET.match(after):
        return False  # 十件民生实事, 十项重大工程: a programme's name
    if _STREAK_BEFORE.search(before) or _RECORD_BEFORE.search(text, max(0, v.start - 6), v.start):
        return False  # 连续10次获评, 全球最高10米液压支架: a streak, a record-holder's name
    if after[:1] in "#号级期数" or re.match(r"[卡吨瓦伏米]级", after):
        return False  # 3号线, 四期工程, 两位数: names and idioms
    if after[:1] == "线" and not v.unit.endswith(("公里", "米")):
        return False  # 3号线, 四期工程, 两位数: names and idioms
    if v.unit in _DURATION_UNITS and _duration_modifier(text, v):
        return False  # 24小时动态清零, 15分钟生活圈, 240小时过境免签政策
    # 两个大局, 三个方面, 分三批: small spelled-out counts are figures of speech, unless the
    # count closes its clause after the noun it counts (建成精品线路两条).
    closes = (
        v.unit in ("条", "个", "座", "所", "家", "处")
        and text[v.end : v.end + 1] in ("，", "。", "；", "、", "")
        and bool(_CJK.match(text[v.start - 1 : v.start]))
    )
    return not (
        cn and v.unit in _RHETORICAL_UNITS and (v.number or 0) < 10 and not v.post and not closes
    )


# Units of power and voltage: a value of them running straight into a noun names a plant
# (国电投300兆瓦光伏制氢, 蠡县10万千瓦风电项目, 保西500千伏变电站).
_POWER_UNITS = re.compile(r"(?:千瓦|兆瓦|吉瓦|瓦|瓦时|千伏|伏|吨级|万吨级)$")
# Other sizes name a project when a project noun follows (300万套父母代肉鸡育种等项目建设,
# 400万吨煤制油, 110米口径射电望远镜).
_SIZE_UNITS = re.compile(r"(?:吨|套|头|只|羽|立方米|米|平方米|标箱|千瓦时)$")
_PROJECT_NOUN = re.compile(
    r"^[\u4e00-\u9fff“”]{0,12}?(?:项目|工程|电站|电厂|基地|生产线|装置|机组|示范线|煤制油|炼化|"
    r"望远镜)|^(?:口径|级)"
)
# What may follow a measured value in the same clause (a figure goes on), as opposed to a noun
# that the value is part of the name of.
_FIGURE_GOES_ON = re.compile(
    r"(?:的|和|及|与|或|以上|以下|以内|左右|上下|增|减|下降|提高|同比|比|较|占|居|位居|为|是|其中|"
    r"等|分别|大关|关口|台阶|规模|能力|容量|后|时|/|、|，|。|；|）|\)|”)"
)
# 对10万元以上的项目, 空置率30%以下“空心村”, 65岁及以上老年人: thresholds that qualify what
# is counted.
_QUALIFIED_NOUN = re.compile(
    r"(?:及?以[上下])?(?:的)?[“”\u4e00-\u9fff]{0,10}?(?:项目|企业|工程|单位|行政村|自然村|村|城市|"
    r"县|园区|账款|公司|商户|家庭|农户|居民户|人员|人口|工业|产业项目|机组|设备|车辆|锅炉|机场|"
    r"省份|国家|地区|集群|基地|景区|学校|医院)"
)
_RATE_NOUN = re.compile(r"(?:率|比例|比重)$")
_THRESHOLD_PLACE = re.compile(
    r"(?:的)?[\u4e00-\u9fff]{0,4}?(?:机场|省份|县|市|城市|企业|国家|地区|园区)(?![域级区])"
)
_AGE_GROUP = re.compile(
    r"(?:及?以[上下])?(?:的)?(?:儿童|老年人|老人|婴幼儿|幼儿|人口|学生|青少年|妇女|人群|患者|居民|"
    r"职工|群体|孩子|青年|男性|女性|失能|高龄)"
)
# Plan structure and policy items: 13个预期性指标, 分为5个部分, 重点抓好14个方面的工作,
# 优化营商环境创新行动96条.
_STRUCTURE_AFTER = re.compile(r"(?:主要|预期性|约束性|核心|重点)?(?:指标|方面|部分)")
# Sectors a plan lists by an example (有色等10个传统产业): categories, not things built or done.
_SECTOR_LIST = re.compile(
    r"[\u4e00-\u9fff]{0,6}?(?:产业|行业|领域|板块)(?![集园基区带链群体项工化])"
)
_POLICY_BEFORE = re.compile(r"(?:措施|行动|意见|政策|举措|办法|规定|细则|条例|清单)$")
# A rank (排名倒26名, 位居全国第3位) and the field it is taken in (在168个重点城市…排名).
_RANK_CLAUSE = re.compile(
    r"排名|排位|位次|位居|名列|居全国|居全省|居全市|[前后][十二三四五六七八九\d]+位"
)
_LIST_NAME = re.compile(r"(?:案例|名单|榜单|目录|典型)$")
_ENTERED_LIST = re.compile(r"入选|列入|纳入|评为|命名为")


def _is_name_or_threshold(text: str, v: _Value, c_start: int, c_end: int) -> bool:
    """Numbers inside names, thresholds, ranks and counts of a plan's own structure."""
    after = text[v.end : c_end]
    head = text[c_start : v.start]
    unit = v.unit
    runs_into_noun = bool(_CJK.match(after[:1])) and not _FIGURE_GOES_ON.match(after)
    if _POWER_UNITS.search(unit) and runs_into_noun:
        return True
    if _SIZE_UNITS.search(unit) and runs_into_noun and _PROJECT_NOUN.match(after):
        return True
    counted_people = unit.endswith(("户", "人", "名"))
    if after.startswith("的有"):
        return True  # 占比超过10%的有44种: the share qualifies what is counted
    if re.search(r"(?:超|超过|过|突破)$", head) and _THRESHOLD_PLACE.match(after):
        return True  # 吞吐量超千万人次的机场, 生产总值超千亿元县: what qualifies a place
    bounded = v.post.endswith(("以上", "以下")) or bool(re.match(r"及?以[上下]", after))
    counted = unit in _COUNT_UNITS or unit.endswith(tuple(_COUNT_UNITS)) or unit in ("万", "亿")
    if bounded and not counted and unit != "%" and _QUALIFIED_NOUN.match(after):
        return True  # 10万元以上的项目, 2000万元以上的技改项目
    if bounded and unit == "%" and _RATE_NOUN.search(head) and re.match(r"[“\u4e00-\u9fff]", after):
        return True  # 空置率30%以下“空心村”: a rate that qualifies the villages
    if bounded and counted_people and _QUALIFIED_NOUN.match(after):
        return True  # 20户以上自然村, 100人以上企业
    if unit.endswith("岁") and (_AGE_GROUP.match(after) or "—" in v.value):
        return True  # 0—6岁儿童, 65岁及以上老年人
    if _STRUCTURE_AFTER.match(after) and (unit.endswith(("个", "项", "类")) or not unit):
        return True
    if head.endswith("等") and unit.endswith("个") and _SECTOR_LIST.match(after):
        return True  # 推动有色等10个传统产业提质升级: the plan's list of sectors, not a count
    if re.search(r"(?:\d+|[二三四五六七八九十])大[\u4e00-\u9fff]{2,12}[和、及]$", head):
        return True  # 壮大6大特色产业集群和18条乡村富民产业链: the plan's named sets
    if unit.endswith("条") and _POLICY_BEFORE.search(head):
        return True
    if _RANK_CLAUSE.search(text, c_start, c_end) and (
        unit.endswith(("名", "位")) or head.endswith("在")
    ):
        return True
    if _ENTERED_LIST.search(head):
        noun = _suffix_noun(text, v.end, c_end)
        if _LIST_NAME.search(noun):
            return True  # 入选农业农村部30个帮扶产业高质量发展典型案例: the list's size
    return False


# ---------------------------------------------------------------------------------------------
# Indicators and qualifiers

# Words between an indicator and its value that say how the value relates: 同比增长, 控制在 …
_CHANGE = (
    r"(?:增长|下降|提高|提升|降低|减少|增加|上涨|上升|回落|扩大|缩小|压减|压缩|净减少|净增加|净增|"
    r"增速|增幅|涨幅|降幅|增至|降至|升至|增|降|升|减)"
)
_PRE_QUAL = re.compile(
    r"(?:(?:同比|比上年同期|比上年|比去年|较上年|较去年|(?:比|较)(?![重例率])[^，。；、]{0,8}?|"
    r"年均|平均|分别|累计|每年|实际|名义|再|均)*"
    rf"{_CHANGE}了?(?:到|至|为)?(?:目前的)?(?:平均)?"
    r"|控制在|保持在|保持|稳定在|达到了?|均达|达|接近|超过|超|逾|突破|约|近|为|是|在|占|不低于|不少于|不超过|"
    r"高于|低于|均|共|总计|合计|累计|分别|至|到|从|由|拟按|按|年均|平均)$"
)
_QUAL_FILLER = frozenset(_words("均 共 为 是 在 分别 累计 总计 合计 至 到 从 由 按 拟按 年均 平均"))
# Verbs and fillers before the noun: the indicator starts after the last of them.
# A verb followed by one of these heads is part of a noun: 研发经费投入强度, 研发投入增长率.
_NOUN_HEAD = r"(?!强度|增长率|增速|总量|占比|比重|规模|力度|产出|资金|投资)"
_CUT_BEFORE = re.compile(
    rf".*(实现{_NOUN_HEAD}|完成{_NOUN_HEAD}|开展|投入{_NOUN_HEAD}|投放|实施|打造|围绕|力争|预计|"
    r"计划(?!投资)|确保|安排|带动|坚持把|等方面|等领域|等地区|等地(?!方)|(?<![高平均对同])等(?![级待候])|"
    r"其中|共有|累计)"
)
# Verbs whose object (the thing measured) comes after the value: 设立100亿元南疆发展专项资金,
# 整理出7.6万亩荒山, 高标准打造了16.64平方公里的阜东产业园区.
_OBJECT_VERB = re.compile(
    r"(?:设立|设置|安排|下达|争取|发放|拨付|筹集|筹措|整合|撬动|带动|推出|出台|建成|新建|改建|"
    r"扩建|改造|打造|培育|引进|引育|开展|组织|举办|实施|推进|推动|严守|守住|坚守|整理|种植|栽植|"
    r"建设|创建|认定|选派|派驻|派出|落实|发行|谋划|储备|招引|吸纳|吸引|惠及|覆盖|帮助|支持|"
    r"资助|救助|培训|培养|招录|表彰|奖励|关停|取缔|淘汰|处置|化解|建立|形成|新增|完成|实现|"
    r"投入|安置|搬迁|新设|命名|获批|入选|确保|力争|争创|打通|新开|开通|提供|解决|带领|"
    r"确定|聚焦|围绕|年度|全年|当年|年内|年底前|其中|其余)(?:了|出|成)?$"
)
# Words that name no indicator by themselves: the clause's subject comes from the clause before.
_GENERIC = re.compile(
    r"^(?:总量|总数|总额|总规模|规模|其余|其中|余下|剩余|总计|合计|累计|(?:年度|全年)?(?:预期)?目标)$"
)
_LEAD_FILLER = re.compile(
    r"^(?:\d{1,2}[.．、](?!\d)|稳步|持续|不断|逐步|[到至](?:19|20)\d\d年|[一二三四五六七八九十]+是|(?:19|20)\d\d年|[一二][九〇○零][〇○零一二三四五六七八九]{2}年|一次性|首先|的|其次|同时|此外|另外|其中|全年|今年|去年底|去年|年底|年末|"
    r"[十五多近]年来|近年来|我国|(?:全县|全市|全省|全区|全州|全镇|全国)(?![和、与及])|各类|各项|累计|"
    r"共(?![建享同治])|均|并|和|及|与|以|在|从|由|对|把|将|[、“”‘’《》（）()\s])+"
)
# Verbs of expectation and completion that open a clause (预计全年地区生产总值, 力争实现…): cut
# only when a noun of two or more characters stays, so 完成率 keeps its 完成.
_LEAD_VERB = re.compile(r"^(?:预计|力争|确保|实现|完成(?!投资))")
_TRAIL_FILLER = re.compile(
    r"(?:的|之|拟|将|(?<![纲需主重必只])要|都|分别|继续|每年|(?<![面相绝针])对|[、“”‘’《》（）()\s])+$"
)
_SUFFIX_CHANGE = (
    _CHANGE.replace("|增|降|升|减)", "|[增降升减](?=\\d|[一二两三四五六七八九十]))")[:-1]
    + ")(?![村区园点站])"  # 28个改造提升村: a kind of village, not a change
)
_SUFFIX_CUT = re.compile(
    r"(?:建立|建成|实现|开工|投产|获得|通过|完成|落地|签约|入选|参与|覆盖|达到|被|"
    r"(?<![纵横方导取意动志倾])向|(?<![自理经缘来])由|"
    r"用于|投入|均|全部|全面|并|开展|进行|年生?产|加快|稳步|超(?=\d|[一二两三四五六七八九十])|"
    r"(?<=.)(?:建设|改造)$|淘汰|如期|按期|得以|加速|"
    rf"已|都|{_SUFFIX_CHANGE}|到|至(?!上)|(?:和|及)(?=\d|[一二两三四五六七八九十])|"
    r"[，。；：、！？,;:!?\s（）()〔0-9])"
)
_MAX_INDICATOR = 24
# Nouns that a verb may open (签约项目, 建成区): the verb is then part of the noun.
_COMPOUND_HEAD = re.compile(r"项目|企业|工程|资金|区|园区|面积|规模|人员|主体")
# Where the noun after a value certainly ends: a stop, a digit, or another value.
_SUFFIX_STOP = re.compile(r"[，。；：、！？,;:!?\s（(〔]")
# Words after a value that mark a threshold, not what is measured: 突破40亿元大关.
_MILESTONE = frozenset(_words("大关 关口 台阶 新台阶 新高 新高度 层级 水平 量级 目标 任务"))
_INPUT_NOUN = re.compile(r"(?:研发|科技|财政|资金|教育|总)投入$")
_FROM = re.compile(r"[从由]")
_FROM_BASE = re.compile(
    r"[从由](?=“|十|上年|年初|去年|过去|目前|原来|每|月|\d|[一二][九〇○零][〇○零一二三四五六七八九]{2}年)"
)
# Asides and footnote marks: （含定州）, 〔24〕.
_ASIDE = re.compile(r"[（(][^）)]*[）)]|〔\d*〕?")


_BOUND_IN_NAME = re.compile(r"(?:不低于|不高于|不少于|不超过|(?:远远|明显)?(?:低于|高于))(?=.{2,})")


def _clean_indicator(raw: str) -> str:
    bound = _BOUND_IN_NAME.search(raw)
    if bound and bound.start() >= 2:
        raw = raw[: bound.start()]  # 保障标准不低于当地最低生活保障标准的1.6倍: the first standard
    m = _CUT_BEFORE.match(raw)
    if m:
        after = _tidy(raw[m.end() :])
        if _BARE_VERB.fullmatch(after) or after in ("开行", "发放", "投放", "受理"):
            return _tidy(raw)  # 中欧班列累计开行1.7万列: the verb alone names nothing
        subject = _tidy(raw[: m.start(1)])
        if len(after) == 2 and m.group(1) in ("实现", "完成") and len(subject) >= 2:
            return _tidy(raw)  # 就业困难人员实现就业267人: the people are the subject
        if len(after) >= 2 or m.start(1) == 0:
            return after
        # 中央预算内投资拟安排7350亿元: nothing after the verb, so the noun is before it.
        # 投入 closing a compound noun is its head: 全社会研发投入5350亿元, 项目总投入.
        end = m.end(1) if _INPUT_NOUN.search(raw, 0, m.end(1)) else m.start(1)
        return _tidy(raw[:end])
    return _tidy(raw)


_CIRCUMSTANCE = re.compile(r"在[^，。；]{2,24}?(?:的情况下|的背景下|背景下)|除[^，。；]{1,16}?外")


def _tidy(raw: str) -> str:
    opened = max(raw.rfind(q) for q in _OPEN_QUOTE)
    if opened >= 0 and not any(q in raw[opened:] for q in _CLOSE_QUOTE):
        raw = raw[opened + 1 :]  # the value is inside a quote: “粮食作物一百万亩”
    paren = max(raw.rfind("（"), raw.rfind("("))
    if paren >= 0 and not any(c in raw[paren:] for c in "）)") and len(raw) - paren > 2:
        raw = raw[paren + 1 :]  # the value is inside an aside: 小镇（总建筑面积约为32000平米）
    raw = _CIRCUMSTANCE.sub("", _ASIDE.sub("", raw))  # 外贸进出口在对美贸易下降的情况下增长
    cut = _FROM_BASE.search(raw)
    if cut and cut.start() >= 2:
        raw = raw[: cut.start()]  # 地区生产总值由“十二五”末的…: the base period is not the name
    raw = _strip_lead(raw)
    raw = _TRAIL_FILLER.sub("", raw)
    if len(raw) > _MAX_INDICATOR:
        raw = _shorten(raw)
    return _balance_quotes(raw.strip())


def _strip_lead(raw: str) -> str:
    """Drop fillers and opening verbs in any order: 预计全年地区生产总值 → 地区生产总值."""
    while True:
        stripped = _LEAD_FILLER.sub("", raw)
        m = _LEAD_VERB.match(stripped)
        if m and len(stripped) - m.end() >= 2:
            stripped = stripped[m.end() :]
        if stripped == raw:
            return raw
        raw = stripped


_QUOTE_PAIRS = (("“", "”"), ("‘", "’"), ("《", "》"))


def _balance_quotes(raw: str) -> str:
    """Put back a quote mark the fillers took from a quoted name: 两重”项目 → “两重”项目."""
    for open_q, close_q in _QUOTE_PAIRS:
        first_close, first_open = raw.find(close_q), raw.find(open_q)
        if first_close >= 0 and (first_open < 0 or first_close < first_open):
            raw = open_q + raw
        if raw.rfind(open_q) > raw.rfind(close_q):
            raw += close_q
    return raw


# Where a long indicator may be cut: after a 的, a list mark or a conjunction, so that the
# rest starts on a word (not 产安全事故起数 out of 生产安全事故起数).
_WORD_START = re.compile(r"(?<=[的、，,和及与中])|(?<=[把将对在])(?=[\u4e00-\u9fff])")


def _shorten(raw: str) -> str:
    """The end of an over-long indicator, cut where a word starts; the noun is at the end."""
    for m in _WORD_START.finditer(raw):
        rest = _strip_lead(raw[m.start() :])
        if 2 <= len(rest) <= _MAX_INDICATOR:
            return rest
    return raw[-_MAX_INDICATOR:]


def _split_qualifier(prefix: str) -> tuple[str, str]:
    """Peel qualifier words off the end of ``prefix``: (rest, qualifier as written)."""
    words: list[str] = []
    while prefix:
        m = _PRE_QUAL.search(prefix)
        if not m or not m.group():
            break
        words.append(m.group())
        prefix = prefix[: m.start()]
    words.reverse()
    kept = [w for w in words if w not in _QUAL_FILLER]
    return prefix, "".join(kept)


_LEADING_VALUE = re.compile(
    r"^(?:\d+(?:\.\d+)?(?:[—\-~至]\d+)?(?:岁|周岁)(?:及)?(?:以上|以下)?(?:的)?|"
    r"\d+(?:\.\d+)?(?:余|多)?(?:万|亿)?(?:个|家|所|项|名|人|户|条|座|批|千瓦|兆瓦|吨)"
    r"(?=[\u4e00-\u9fff“]))"
)
_NAMED_AS = re.compile(
    r"^[\u4e00-\u9fff]{1,4}?被?(?:认定|评为|命名|列为|确定)为([\u4e00-\u9fff“”]{2,20})"
)


_VALUE_AHEAD = re.compile(r"(?:超过?|达到?|突破|近|约|为)?\d")
_MEASURE_TAIL = re.compile(r"(?:年?营收|营业收入|产值|总产值|收入|规模|总额|产量|销售额)$")


def _first_digit(text: str) -> int:
    m = re.search(r"\d", text)
    return m.start() if m else len(text)


def _suffix_noun(text: str, end: int, stop: int) -> str:
    """The noun after a count: 等8个项目 → 项目, 5家三级甲等医院建立… → 三级甲等医院."""
    tail = text[end:stop]
    if tail.startswith("的"):
        tail = tail[1:]  # 80%以上的援疆援助资金
    tail = re.sub(rf"^[（(][^）)]{{0,6}}[）)]{_POST}?", "", tail)  # 超100条（个）幸福河湖
    # 7批170个“微改革”项目, 50万名3岁以下婴幼儿: a second value or an age before the noun
    tail = _LEADING_VALUE.sub("", tail).lstrip("”’")
    named = _NAMED_AS.match(tail)
    if named:
        return named.group(1)  # 11个县被认定为国家义务教育优质均衡发展县
    stop_at = _SUFFIX_STOP.search(tail)
    if stop_at:
        tail = tail[: stop_at.start()]
    # 2个已纳入省级规划的集中开采区: the noun closes a relative clause.
    relative = tail.rfind("的", 0, _first_digit(tail))
    if 0 < relative < len(tail) - 2 and _SUFFIX_CUT.match(tail):
        tail = tail[relative + 1 :]
    m = _SUFFIX_CUT.match(tail)
    if m and _COMPOUND_HEAD.match(tail, m.end()):
        m = _SUFFIX_CUT.search(tail, m.end())  # 4个签约项目落地: 签约 opens the noun
    else:
        m = _SUFFIX_CUT.search(tail)
    noun = tail[: m.start()] if m else tail
    if noun.startswith("“") and "”" in noun:
        noun = noun[1 : noun.index("”")]  # 10个“二线口岸”正式启用: the quoted name
    noun = _TRAIL_FILLER.sub("", noun)[:_MAX_INDICATOR]
    if m and _VALUE_AHEAD.match(tail, m.start()):
        # 37个县域特色产业集群营收超4500亿元: the count is of the clusters, not their revenue
        noun = _MEASURE_TAIL.sub("", noun) if len(_MEASURE_TAIL.sub("", noun)) >= 2 else noun
    return "" if noun in _MILESTONE else noun


# ---------------------------------------------------------------------------------------------
# The walk


def _group_start(text: str, clause_spans: list[Span], i: int, valued: set[int]) -> int:
    """Start of the 、-joined run ending at clause ``i`` (表彰优秀教师、优秀教育工作者112名).

    Only clauses without figures of their own are pulled in.
    """
    start = clause_spans[i][0]
    j = i
    while j > 0:
        prev_end = clause_spans[j - 1][1]
        between = text[prev_end : clause_spans[j][0]]
        if "、" not in between or (j - 1) in valued:
            break
        j -= 1
        start = clause_spans[j][0]
    return start


def _values_in(text: str, start: int, end: int) -> list[_Value]:
    found = []
    for m in _VALUE.finditer(text, start, end):
        stop = m.end()
        if text.startswith(("家庭", "家族", "家属"), stop - 1):
            stop -= 1  # 惠及2900多万家庭: 家 opens the noun, it is no unit here
        v = _parse_value(text, m.start(), stop)
        if v and _is_figure(text, v) and not _is_name_or_threshold(text, v, start, end):
            found.append(v)
    unitless = _unitless(text, start, end)
    if unitless:
        taken = [(v.start, v.end) for v in found]
        found += [u for u in unitless if not any(a < u.end and u.start < b for a, b in taken)]
        found.sort(key=lambda v: v.start)
    return found


# Values without a unit, taken only where the noun before them says what they are: ratios
# (城乡居民收入比降至2以内, 2.50:1, 三次产业比重为4.0∶37.7∶58.3), indices (空气质量综合指数
# 4.463) and fractions (约占全国1/10).
_RATIO_NOUN = re.compile(r"(?:比|比重|比例|结构|指数|系数|比值)")
_RATIO_HEAD = re.compile(
    r"(?:收入比|比重|比例|结构|指数|系数|比值|倍差)(?:为|是|达到?|降至|降到|缩小到|缩小至|扩大到|"
    r"下降到|下降至|保持在|控制在|从|由)?$"
)
_BARE = re.compile(
    rf"(?<![\d.．A-Za-z/])\d+(?:\.\d+)?(?:[:∶]\d+(?:\.\d+)?)*{_POST}?(?![\d.．%％/])"
)
_FRACTION = re.compile(r"(?<=[占为])(?:全国|全省|全市|全球)?(?:的)?(\d+/\d+)(?![\d/])")
_AFTER_BARE = re.compile(
    r"[，。；、,;）)]|$|和|及|的|左右|以内|以下|以上|(?:缩小|扩大|下降|降|提高|上升|增)(?:到|至)"
)


def _unitless(text: str, start: int, end: int) -> list[_Value]:
    if not _RATIO_NOUN.search(text, start, end) and "/" not in text[start:end]:
        return []
    out: list[_Value] = []
    for m in _FRACTION.finditer(text, start, end):
        top, _, bottom = m.group(1).partition("/")
        if int(bottom):
            ratio = int(top) / int(bottom)
            out.append(_Value(m.start(1), m.end(1), m.group(1), ratio, "", "", top))
    for m in _BARE.finditer(text, start, end):
        head = text[start : m.start()]
        pair_end = bool(out) and re.search(r"(?:到|至)$", head)  # 从2.50:1缩小至2.27:1
        if not (_RATIO_HEAD.search(head) or pair_end) or not _AFTER_BARE.match(text, m.end(), end):
            continue
        post = re.search(_POST + "$", m.group())
        body = m.group()[: post.start()] if post else m.group()
        parts = re.split(r"[:∶]", body)
        if len(parts) == 1 or (len(parts) == 2 and parts[1] == "1"):
            # 2以内 is one value, and so is the ratio 2.50:1
            after = post.group() if post else ""
            number = parse_number(parts[0])
            out.append(_Value(m.start(), m.end(), m.group(), number, "", after, body))
            continue
        at = m.start()
        for part in parts:  # 4.0∶37.7∶58.3: one share each
            out.append(_Value(at, at + len(part), part, parse_number(part), "", "", part))
            at += len(part) + 1
    return out


def _figures_in_sentence(
    text: str,
    sent: Span,
    passage: Passage,
    ctx: kinds.Context,
    years: kinds.Years,
    last_subject: str = "",
) -> list[Figure]:
    """The figures of one sentence; ``last_subject`` is the last indicator of the sentences
    before it in the passage (年底前达到45条 counts what the sentence before named)."""
    out: list[Figure] = []
    sentence = text[sent[0] : sent[1]]
    spans = clauses(text, sent[0], sent[1])
    per_clause = [_values_in(text, a, b) for a, b in spans]
    valued = {i for i, vs in enumerate(per_clause) if vs}
    last_indicator = last_subject
    start_year: int | None = None  # base year of the last 从…到… pair, for the pairs after it
    last_stock = True
    section = " > ".join(passage.path)
    for i, (c_start, c_end) in enumerate(spans):
        clause = text[c_start:c_end]
        prev = _group_start(text, spans, i, valued)
        first = per_clause[i][0].start if per_clause[i] else c_start
        from_to = bool(_FROM.search(text[c_start:first]))
        for n, v in enumerate(per_clause[i]):
            own = text[prev : v.start]  # this value's own words, since the value before
            prefix, pre_q = _split_qualifier(own)
            # The clause before, when it holds no value: 今年经济增长速度的宏观调控目标，定为…
            lead = text[spans[i - 1][0] : spans[i - 1][1]] if i and (i - 1) not in valued else ""
            indicator = _indicator(text, own, prefix, v, c_end, last_indicator,
                                   n > 0 and from_to, lead)  # fmt: skip
            if len(indicator) >= 2:
                last_indicator = indicator
            seg_start, seg_end = _segment(text, sent, c_start, c_end)
            before, after = text[seg_start : v.start], text[v.end : seg_end]
            at, clause_at = v.start - sent[0], c_start - sent[0]
            stock: bool | None
            if kinds.pair_start(before, after):
                kind: Kind = "other"
                year = kinds.pair_start_year(sentence, at, before, ctx, years, start_year)
                start_year = year
                stock = True
            elif _population(text, v):
                # 28万人民, 1.1亿人口的庞大消费体量: the population as context, not a result.
                kind, year, stock = "other", None, True
                if not re.search("(?:人口|人民)$", indicator):
                    indicator = "人口"
            elif re.search(r"占地(?:面积)?$", own) and text.startswith("的", v.end):
                # 占地1268亩的农副产品加工园区: the size of a place, background.
                kind, year, stock = "other", None, True
            else:
                stock = _is_stock(text, own, indicator, v, c_end)
                if n > 0 and from_to:
                    stock = True  # the end of 从X到Y
                elif stock is None:  # nothing of its own: as the value before it, if any
                    stock = last_stock if out else True
                last_stock = stock
                kind, year = kinds.kind_and_year(sentence, at, clause_at, ctx, years, stock)
            out.append(
                Figure(
                    indicator=indicator,
                    value=v.value,
                    number=v.number,
                    unit=v.unit,
                    qualifier="…".join(q for q in (pre_q, v.post) if q),
                    kind=kind,
                    year=year,
                    text=clause,
                    sentence=sentence,
                    section=section,
                    start=v.start,
                    end=v.end,
                    passage=passage.index,
                )
            )
            prev = v.end
    _split_respectively(text, sent[0], out)
    return out


# A level reached or held, not a flow over a period: 达到…, 增长到…, 突破…, 已设…, 覆盖…
_REACHED = re.compile(
    r"达到|^达|达$|均达|突破|(?:发展|增长|增加|提高|提升|上升|下降|降低|扩大|缩小|回落|减少|压缩|"
    r"压减|扩容)(?:到|至)|[增升降]至|降到|保持在|控制在|已[设有建达]|覆盖|拥有"
)
# Verbs of doing over a period (新建, 完成, 投资, 惠及): what they count is a flow, not a level
# held at the period's end. Strong ones are verbs wherever they stand.
_FLOW = re.compile(
    r"新增|新建|新设|新开|新签|新培育|改建|扩建|建成(?!区)|完成|累计|实施|投资(?!额)|投入|植树|造林|"
    r"开行|开挖|疏浚|引进|引育|发放|培训|救助|资助|搬迁|安置|拆除|关停|取缔|淘汰|整治|签约|"
    r"扩招|减税|降费|下放|取消|办理|化解|查处|处置|举办|惠及|受益|帮扶|派驻|选派|派出|补充|"
    r"表彰|奖励|审议|提请|制定|修订|筹集|筹措|争取|吸纳|带动|撬动|净增|净减少|增长(?!率)|"
    r"下降|减少|增加(?!值)|压减|压缩|降低|上涨|稳定在|用于|增产|整理|种植|建立|调整|参加|"
    r"打造|创建|设立|设置|升级|拘留"
)
# Weak ones also make nouns (生态文明建设示范区): verbs only where the phrase starts or ends.
_WEAK_FLOW = re.compile(r"^(?:建设|改造|治理|修复|提升|支持|确定|培育|开展|组织)|(?:建设|改造)$")
# Verbs after the value that make it a flow: 164个贫困村…全部脱贫摘帽, 超过5.2亿人次参与.
_FLOW_AFTER = re.compile(
    r"[^，。；]{0,20}?(?<!已)(?:脱贫|摘帽|搬迁|入驻|落户|落地|参与|用于|重组|建设|改造|整治|开工|"
    r"投产|竣工|签约|受益|入选|推广|消除|帮扶|开展)"
)
# A rate or share is a level at a point in time (城镇化率60%).
_STATE_NOUN = re.compile(r"(?:率|比重|占比|比例)$|占")


def _is_stock(text: str, own: str, indicator: str, v: _Value, c_end: int) -> bool | None:
    """Whether a value is a level held rather than a flow, from the words of its own (the text
    since the value before it in the clause, qualifier included); ``None`` when they say nothing
    either way (a bare name and value continuing a list takes the kind of the value before)."""
    if _REACHED.search(own):
        return True
    if _FLOW.search(own) or _WEAK_FLOW.search(own) or v.unit == "百分点":
        return False
    if _FLOW_AFTER.match(text, v.end, c_end):
        return False
    if _STATE_NOUN.search(indicator):
        return True
    return None


_PEOPLE_AFTER = re.compile(r"[\u4e00-\u9fff]{0,3}?人民(?!币)|人口")


def _segment(text: str, sent: Span, c_start: int, c_end: int) -> Span:
    """The clause widened over 、: 分别从每人每月209元、280元提高到217元、290元 is one pair run."""
    lo, hi = c_start, c_end
    while lo > sent[0] and text[lo - 1] == "、":
        lo = max(text.rfind(c, sent[0], lo - 1) for c in "，；：。,;:") + 1 or sent[0]
        lo = max(lo, sent[0])
    while hi < sent[1] and text[hi] == "、":
        nxt = [i for i in (text.find(c, hi + 1, sent[1]) for c in "，；：。、,;:") if i >= 0]
        hi = min(nxt) if nxt else sent[1]
    return lo, hi


def _population(text: str, v: _Value) -> bool:
    """28万人民, 23万老区人民, 1.1亿人口: a population said as context."""
    if v.unit.endswith("人"):
        return text.startswith(("民", "口"), v.end)
    return v.unit in ("", "万", "亿") and bool(_PEOPLE_AFTER.match(text, v.end))


_USED_FOR = re.compile(r"用于([\u4e00-\u9fff]{2,10}?)(?:[，。；、]|$|的|和)")


def _indicator(
    text: str,
    own: str,
    prefix: str,
    v: _Value,
    c_end: int,
    last: str,
    shares_name: bool,
    lead: str = "",
) -> str:
    """The noun phrase a value measures.

    The noun before the value, unless the value is a count (等8个项目), a verb's object
    (设立100亿元南疆发展专项资金), or the words before it name nothing (总量, 其余, 年度): then the
    noun after it, or the subject of the clause before (总量达到4773.3亿元 → 地区生产总值).
    """
    if shares_name:
        return last  # 从60.2%提高到65.2%: the second value shares the first's name
    if v.value.startswith("翻") and "“" in prefix:
        prefix = prefix[: prefix.rfind("“")]  # 城乡居民人均可支配收入实现“两个翻一番”
    if not v.unit:
        ratio = _RATIO_NAME.search(own)
        if ratio:
            return _clean_indicator(ratio.group(1))  # 城乡居民收入比降至2以内
    indicator = _clean_indicator(prefix)
    if v.unit.endswith("人") and text.startswith("口", v.end):
        # 14亿多人口大国: the 人 opens 人口, the noun the count is of.
        return indicator if indicator.endswith("人口") else "人口"
    counted = v.unit in _COUNT_UNITS or v.unit.endswith(tuple(_COUNT_UNITS))
    object_first = bool(_OBJECT_VERB.search(prefix.rstrip("“”"))) or bool(
        _OBJECT_VERB.fullmatch(indicator) or _PLACE_ONLY.match(indicator)
    )
    sized = _SIZE_OF.search(prefix) if text.startswith("的", v.end) else None
    if counted or v.unit in _MULTIPLIER or not indicator or object_first or sized:
        noun = _suffix_noun(text, v.end, c_end)
        weak = object_first or len(indicator) < 2 or bool(re.search(r"[对在向为给]$", prefix))
        if len(noun) >= 2 or (counted and weak and noun in _ONE_CHAR_NOUNS):
            # 总投资10亿元的钼尾矿综合利用项目 → 钼尾矿综合利用项目总投资; 占地…的园区 → 园区
            size = sized.group() if sized and sized.group() != "占地" else ""
            return noun + size if len(noun) + len(size) <= _MAX_INDICATOR else noun
    if (
        _SPAN_NAME.match(indicator)
        or indicator.startswith(("是", "为", "连续"))
        or indicator.endswith("的有")
    ):
        return last or indicator  # 五年年均增长5.2%, 是十年前的3倍: the subject before
    if _CHANGE_ONLY.match(indicator) and last:
        return last + indicator  # 粮食产量1.37万亿斤，增产74亿斤 → 粮食产量增产
    if len(indicator) < 2 or _GENERIC.match(indicator) or _BARE_VERB.fullmatch(indicator):
        if last and _GENERIC.match(indicator) and indicator not in ("其余", "其中", "余下", "剩余"):
            # 地区生产总值…，总量达到… → 地区生产总值总量; 新增经营主体…，总量… → 经营主体总量
            return _FLOW_LEAD.sub("", last) + indicator
        if not last and len(indicator) < 2 and lead:
            named = _clean_indicator(lead)  # …的宏观调控目标，定为百分之八至九: what is set
            return named if len(named) >= 2 else indicator
        return last or indicator
    if _HEAD_ONLY.match(indicator) and last and not last.endswith(indicator):
        # 省级绿色建材行业产业集群企业达到75家，年营收26.64亿元: whose revenue it is
        return _FLOW_LEAD.sub("", last) + indicator
    if indicator.startswith(("来自", "高于", "低于", "快于", "慢于")) and last:
        return last + indicator  # 就医购药直接结算390万人次，其中来自京津106.6万人次
    if indicator.startswith(("占", "约占")) and not indicator.startswith("占地") and last:
        return last + indicator  # 民生支出1041亿元，占一般公共预算支出的87.2%
    used = _USED_FOR.match(text, v.end)
    if used and len(indicator) + len(used.group(1)) <= _MAX_INDICATOR:
        return f"{indicator}用于{used.group(1)}"  # 一般预算支出的89.1%用于民生事业
    return indicator


# 城乡居民收入比, 空气质量综合指数: what a unitless value measures.
_RATIO_NAME = re.compile(
    r"([\u4e00-\u9fff“”]*?(?:收入比|比重|比例|结构|指数|系数|比值|倍差))[^比]*$"
)
# Counted places that are one character long: 对14个村开展定点帮扶.
_ONE_CHAR_NOUNS = frozenset("村县市镇乡区省户")
_HEAD_ONLY = re.compile(r"^(?:总投资|年营收|营收|年营业收入|交易额|成交额|销售额|年产值|产值)$")
_FLOW_LEAD = re.compile(r"^(?:新增|新设|新培育|新建|新登记)")
_SPAN_NAME = re.compile(r"^(?:[两二三四五六七八九十]|\d{1,2})年$")
_CHANGE_ONLY = re.compile(r"^(?:增产|减产|增加|增长|减少|下降|提高|净增|新增)$")
# Verbs that alone name nothing: the subject of the clause before is what they count.
_BARE_VERB = re.compile(
    r"(?:设立|安排|下达|争取|推出|出台|建成|新建|改造|打造|开展|组织|举办|实施|推进|推动|严守|"
    r"守住|整理|种植|创建|认定|选派|派出|落实|发行|谋划|储备|招引|吸引|覆盖|帮助|支持|带动|撬动|"
    r"关停|取缔|淘汰|处置|化解|建立|形成|完成|实现|投入|确保|力争|年度|全年|当年|年内|年底前|"
    r"其中|其余)(?:了|出|成)?"
)
# Words of place or time before a value that leave the noun to come after it (省内4.27万公里线路).
_PLACE_ONLY = re.compile(r"^(?:省内|区内|县内|市内|域内|境内|国内|全省|全市|全县|全区|年度|全年)$")
_SIZE_OF = re.compile(r"(?:总规模|规模|总投资|总面积|占地)$")


# Values joined by a list mark inside one 分别 run: 37812元、14236元 / 9%和10%以上.
_LIST_GAP = re.compile(r"[、和及与,，]?")
_LIST_IN_NAME = re.compile(r"[、和及与]")
_URBAN_RURAL = ("城镇", "农村")


def _split_respectively(text: str, start: int, figures: list[Figure]) -> None:
    """Give each value of a list the item it belongs to, where the items can be told.

    水果、蔬菜、茶叶产量分别达2050万吨、4200万吨、19万吨以上: three items share the head 产量,
    so 水果产量, 蔬菜产量, 茶叶产量. 城乡居民人均可支配收入分别… names two items by 城乡. Items
    that are whole names (刑事发案率、治安受案率) or counted in different units (国际友城和外国驻穗
    总领馆分别增至214对和69家) are taken as they are. 分别从A、B提高到C、D maps two values to
    each item. Where the head cannot be told the shared name stays.
    """
    runs: list[list[Figure]] = []
    pos = start
    for f in figures:
        gap = text[pos : f.start]
        joined = runs and runs[-1] and _LIST_GAP.fullmatch(gap)
        if "分别" in gap:
            runs.append([f])
        elif joined and f.indicator == runs[-1][0].indicator:
            runs[-1].append(f)
        elif _LIST_IN_NAME.search(f.indicator) and "，" not in gap:
            runs.append([f])  # 刑事发案率、治安受案率同比下降39.41%、23.38%: a list without 分别
        else:
            runs.append([])  # closes the run before
        pos = f.end
    for run in runs:
        if len(run) < 2:
            continue
        name = run[0].indicator
        if name.count("城乡") == 1 and not _LIST_IN_NAME.search(name) and len(run) == 2:
            for f, item in zip(run, _URBAN_RURAL, strict=True):
                f.indicator = name.replace("城乡", item)
            continue
        units = {f.unit.lstrip("万亿千") for f in run} - {""}
        items = _list_items(name, len(units) > 1)
        if not items:
            continue
        if len(run) == len(items):
            for f, item in zip(run, items, strict=True):
                f.indicator = item
        elif len(run) == 2 * len(items) and "从" in text[start : run[0].start] + name:
            for i, f in enumerate(run):  # 分别从209元、280元提高到217元、290元
                f.indicator = items[i % len(items)]


_LIST_SPLIT = re.compile(r"[、和及与]")
# Heads that items of a list share: 水果、蔬菜、茶叶产量 → 产量.
_HEADS = sorted(
    _words("""
    产量 出栏量 年出栏量 存栏量 增加值 产值 总产值 收入 可支配收入 人均可支配收入
    居民人均可支配收入 投资 余额 贷款余额 面积 土地面积 播种面积 比重 占比 比例 指数 浓度
    平均浓度 时间 通关时间 警情 人数 数量 金额 营收 销量 销售额 客运量 吞吐量 货运量 里程
    价格 能耗 排放 强度 标准 补贴标准 条数 总额 总量 规模 参保率 覆盖率 增速 增幅 利润 支出
    进出口额 出口额 进口额 发生率 死亡率 合格率 抽检合格率 毛入学率 入学率 巩固率 满意率 解决率
    产业增加值 产业产值 建成区面积 合同额 零售额 排放量 进出口 用水量
    """),
    key=len,
    reverse=True,
)
_WHOLE_NAME = re.compile(
    r"(?:率|比重|占比|比例|指数|浓度|产量|增加值|收入|总额|余额|规模|数|人次|花费|损失|额|量|值|"
    r"价格|时间|支出|标准|投资|游客|客流)$"
)


def _list_items(name: str, whole: bool) -> list[str]:
    """The full name of each item of a list name, or [] where they cannot be told."""
    if any(c in name for c in "“”（）()《》"):
        return []
    parts = _LIST_SPLIT.split(name)
    if len(parts) < 2 or not all(parts):
        return []
    *firsts, last = parts
    if any(len(p) < 2 for p in parts):
        return []  # 存、贷款余额: a shared syllable, not items
    if whole or all(_WHOLE_NAME.search(p) for p in firsts):
        return parts
    avg = sum(len(p) for p in firsts) / len(firsts)
    best: tuple[float, int, str] | None = None
    for head in _HEADS:
        if last.endswith(head) and len(last) > len(head):
            item = len(last) - len(head)
            key = (abs(item - avg), -len(head), head)
            if best is None or key < best:
                best = key
    if best is None or best[0] > 2:
        return []
    head = best[2]
    return [p + head for p in firsts] + [last]


def _top_section(sections: list[Section], index: int | None) -> Section | None:
    if index is None or not 0 <= index < len(sections):
        return None
    s = sections[index]
    while s.parent is not None and 0 <= s.parent < len(sections):
        s = sections[s.parent]
    return s


def _fallback_passages(text: str) -> list[Passage]:
    """One passage per non-empty line, for callers that have no structure."""
    out: list[Passage] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append(Passage(len(out), line, pos, pos + len(line), None, ()))
        pos += len(line) + 1
    return out


def extract(
    text: str, sections: list[Section], passages: list[Passage], meta: ReportMeta
) -> list[Figure]:
    """Every quantity stated in ``passages``, in text order."""
    years = kinds.infer_years(text, sections, meta)
    section_kinds = kinds.top_kinds(sections, text, years)
    heading_starts = {s.start for s in sections}
    figures: list[Figure] = []
    period_other = False
    review_cue = kinds.review_cue(years)
    current_top: int | None = -1
    loose: Kind | None = None  # the kind the passages outside any section are in
    plan_run: int | None = None  # a mixed plan section's passages about the five-year plan
    for passage in passages or _fallback_passages(text):
        top = _top_section(sections, passage.section)
        top_index = top.index if top else None
        if top_index != current_top:
            current_top, period_other, plan_run = top_index, False, None
        if top and is_glossary(top):
            continue
        base = section_kinds.get(top.index) if top else None
        if top is None and sections:
            # Before the first heading (or where headings are run into paragraphs) a passage's
            # opening says what it reviews or plans, and the passages after it follow.
            loose = kinds.loose_kind(text[passage.start : passage.end], loose, review_cue)
            base = loose
        plan_year = kinds.section_year(top.title, years) if top and base == "target" else None
        if top and base == "target" and plan_year is None:
            plan_run = kinds.plan_period(text[passage.start : passage.end], plan_run, top.title,
                                         years)  # fmt: skip
            plan_year = plan_run
        heading_only = (
            top is not None and passage.start == top.start and passage.start in heading_starts
        )
        if top is None or not heading_only or (
            len(passage.text) > len(top.number) + len(top.title) + 2
        ):
            # A top-level title such as 2025年和“十四五”时期工作回顾 names both periods, so
            # only the passages under it say which one they are about.
            period_other = kinds.next_period(
                text[passage.start : passage.end], period_other, review_cue
            )
        subject = ""
        follows_review = False
        for sent in sentences(text, passage.start, passage.end):
            ctx = kinds.Context(base, period_other, plan_year, review_cue, follows_review)
            found = _figures_in_sentence(text, sent, passage, ctx, years, subject)
            subject = found[-1].indicator if found else subject
            figures.extend(found)
            follows_review = kinds.reviews_the_year(text[sent[0] : sent[1]], years)
    return figures

"""The indicator catalogue (data in indicators.toml): which indicator a figure measures, and how.

`catalogue()` loads the data once per process (a few ms). Two uses:

- `lookup(word)`: a query word → an indicator, by Chinese name or alias (Traditional
  characters simplified), query-only word (就业, 失业率), English ("GDP", "unemployment rate",
  "retail sales") or pinyin ("jiuye", "guding zichan touzi"; spaces and case ignored).
- `classify(indicator, unit, qualifier, clause, value, sentence)`: the catalogue id and the
  measure of one extracted figure, from the indicator text the extractor wrote (全县地区生产总值,
  规上工业增加值, 城镇新增就业 …). The clause, the value as written and the sentence are
  optional context: they locate the value in its clause and complete a bare head noun.

How `classify` picks the id (a wrong id is worse than none, so every doubt gives ""):
1. The text is folded (NFKC, lower case, quotes, spaces and footnote marks ［2］ removed).
2. Share phrases: in "A占B(的)比重/比例", "A与B之比", "A相当于B的比例", "A占比", "A比重" and a
   bare "A占B" the subject is A, never B (and with no A there is nothing to name):
   研发经费投入占地区生产总值比重 is about 研发经费, not GDP. An alias that itself spells the
   share (财政赤字占国内生产总值) is tried first; a subject whose share of GDP is its own
   indicator (`of_gdp`: 研发经费 → rd_intensity, 财政赤字 → deficit_ratio) becomes that
   indicator; a subject of a share of value added is its value added (战略性新兴产业占规上工业
   增加值比重 → 战略性新兴产业增加值). A share word inside a modifier of a rate is no share
   (增值税收入占比最高、涉及行业广泛的税率 is a 税率).
3. Aliases are found at every position; where two overlap, the one ending later wins (the head
   of a Chinese noun phrase is its end: 全社会研发经费投入强度 is 研发经费投入强度, not
   全社会研发经费), and of two ending together the longer (人均地区生产总值 over 地区生产总值).
   Latin aliases must stand as words (the m2 inside pm2.5 is not M2).
4. A match is dropped when the text holds one of its indicator's `exclude` words (人均 or 单位
   for gdp; 城乡居民 for the income of all residents), when a noun after the last alias makes
   the figure about something else (棚改项目总投资, 职业培训机构: 项目, 投资, 企业, 机构 …), and
   when the text names a part or a neighbour of the region (自贸试验区, 园区, 大湾区, 都市圈 …).
   For a value that leads its clause (960多万贫困人口实现易地搬迁) the words after the value
   veto like the text.
5. Lists give "": when the text is a list (A、B、C) some item of which names no indicator (a
   verb alone, 新建、改造农村公路, is no item), or when the matches name more than one
   indicator (社会消费品零售总额、固定资产投资). But in a 分别 clause the n-th value is the
   n-th item's, an item borrowing the last item's head or the first item's modifier
   (城乡居民基本养老保险和基本医疗保险参保率分别达到98%和96% → pension, medical insurance), and
   三次产业比重为4.0∶37.7∶58.3 gives the three industries' shares in turn.
6. A text that names nothing: a bare head noun first completes itself from its own clause
   (强度 in 研发投入强度达3.6%), then, opening its clause, borrows the modifier of the list item
   before it in the sentence (粮食播种面积3320万亩、产量1285万吨 → 粮食产量). A `whole` word of
   the catalogue names its indicator when it is the whole text and the figure is in that
   indicator's usual measure (投资 growing 5% is fixed-asset investment, 投资44.5亿元 is not).
7. The measure must be one the indicator comes in (its `measures`; growth and 倍 fit any
   amount, 百分点 any rate or share): 民生支出1041亿元 is no 民生支出占比, 新增普惠性托位9万个 no
   每千人口托位数, 高速公路15条 no 高速公路通车里程. A share of money spent on something
   (财政支出八成以上投向民生领域) is that spending's share (民生领域支出 → 民生支出占比).

How the measure is told, first rule that applies:
- unit 百分点 → points;
- a share phrase (rule 2) with %, 成 or no unit → share;
- % (or 成, 4成 = 40%): with a change word in the qualifier outside a level marker (增长, 下降,
  年均增长保持在, 涨幅控制在 …, but not 提高到/达到/控制在) or the indicator (增速, 增长率 …) →
  growth; else the indicator's usual measure when it is a rate or a share (失业率 5.5% →
  rate); else share when the qualifier says 占比 or the value is followed by 的 + the whole
  (60%的乡镇…) or by 用于 (89.1%用于民生事业); else rate for a text ending in 率/比例/比率/
  覆盖率; else growth for an indicator that comes as growth (GDP 5%左右); else rate for a text
  ending in 水平/强度/满意度/盖度 or a level marker (达到, 降至, 保持 …); else share for 成;
  else growth (a bare % closing a list whose verb stayed with the first value);
- count units (个 项 家 所 座 条 处 批 宗 件 列 艘 架 台 套 部 户 张 场 期 篇 栋 例 起 类 种 对 次,
  场次 班次 件次 车次, with 万/千 or 余) → count; but level for things per head (每千人口托位数
  4.5个) and for 件/户 of a volume or of people (快递业务量22.3亿件, 移动互联网用户14.5亿户);
- 倍 or 比 (收入比 2.2, 2.2:1) → ratio, unless it is a change (增长2倍 → growth);
- no unit → ratio for an indicator that comes as a ratio, level for an index (综合指数4.463),
  else "";
- any other unit (亿元, 人, 吨, 万亩, 公里, 岁 …) → level.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.report.model import Measure

MEASURES: tuple[Measure, ...] = ("growth", "level", "share", "rate", "points", "count", "ratio")

_QUOTES = re.compile(r"[“”‘’\"'《》〈〉「」『』\s]|[［\[]\d+[］\]]")
# Share phrases, tried in order: A占B比重, A相当于B的比例, A与B之比 (the last 与: 研究与试验发展
# 经费支出与国内生产总值之比), A占比/A比重, and a bare A占B.
_SHARES = (
    re.compile(r"^(?P<subject>.*?)占(?P<base>.+?)(?:的)?(?:比重|比例|比率|份额)"),
    re.compile(r"^(?P<subject>.*?)相当于(?P<base>.+?)(?:的)?(?:比重|比例|比率)"),
    re.compile(r"^(?P<subject>.*)与(?P<base>.+?)(?:的)?(?:之比|比率|的比)"),
    re.compile(r"^(?P<subject>.*?)(?:所占比重|所占比例|占比|比重)"),
    re.compile(r"^(?P<subject>.*?)占(?P<base>.+)$"),
)
_GDP_BASE = ("国内生产总值", "地区生产总值", "生产总值", "gdp", "经济总量")
_CHANGE = ("增长", "下降", "降低", "减少", "增速", "增幅", "涨幅", "上涨", "上升", "回落", "精简",
           "减产", "递增", "增加", "提高", "提升", "降幅", "减幅", "缩减", "压减", "增产", "翻番",
           "翻一番")  # fmt: skip
_LEVEL_MARKERS = ("提高到", "提升到", "提高至", "提升至", "达到", "控制在", "保持在", "稳定在",
                  "降到", "降至", "下降到", "下降至", "增加到", "增长到", "增至", "上升到",
                  "上升至")  # fmt: skip
_PER_CAPITA = re.compile(r"每(?:[十百千万]|十万)?人|[千万]人口|人均")
# Places that are part of the region or beside it: their figures are not the region's.
_SCOPES = ("自贸试验区", "自贸区", "大湾区", "粤港澳", "长三角", "京津冀", "开发区", "经开区",
           "高新区", "园区", "新区", "示范区", "经济圈", "都市圈", "城市群")  # fmt: skip
# Nouns that, after an alias, make the figure about something else (棚改项目总投资, 科技型企业…
# 贷款, 职业培训机构).
_OTHER_HEADS = ("项目", "投资", "基金", "贷款", "机构", "企业", "园区", "基地", "集群", "平台",
                "中心")  # fmt: skip
_SECTOR_MIX = ("三次产业比重", "三次产业结构", "三次产业比例", "三产结构", "三产比重")
_SECTORS = ("primary_industry", "secondary_industry", "tertiary_industry")
_STARTERS = re.compile(r"^(?:力争|全年|实现|其中|年度|累计|\d{4}年)")
_CLAUSE_BREAK = re.compile(r"[、,，;；:：。]")
_LIST_SPLIT = re.compile(r"[、和]")  # not 及 (普及率, 地级及以上) nor 与 (研究与试验发展)
_WHOLE_PREFIX = re.compile(r"^(?:全县|全市|全省|全区|全州|全国|全年|全社会)+")
_RATE_MARKERS = (*_LEVEL_MARKERS, "达", "保持")
_LEVEL_RE = re.compile("|".join(sorted(_LEVEL_MARKERS, key=len, reverse=True)))
_CHANGE_RE = re.compile("|".join(_CHANGE))
# Nouns of a rate of change: 涨幅稳定在2%左右 is a change held at a level, still growth.
_CHANGE_NOUNS = ("涨幅", "增速", "增幅", "降幅", "增长率")
_COUNT_UNITS = frozenset("个项家所座条处批宗件列艘架台套部户张场期篇栋例起类种对次")
_COUNT_WORDS = frozenset(("场次", "班次", "件次", "车次"))
_VOLUME_OR_PEOPLE = frozenset("件户")
_RATE_TAIL = ("率", "比例", "比率", "覆盖率", "普及率", "占比")
# Rate words that an indicator coming as growth may also end with (居民消费价格总水平 is CPI).
_RATE_HEAD = ("满意度", "强度", "水平", "覆盖面", "盖度")
_SHARE_WORDS = ("占比", "比重", "所占")
_LIST_VERBS = frozenset(("新建", "改建", "扩建", "续建", "改造", "新改建", "改扩建", "建设",
                         "建成", "开工", "开行", "开通", "提升", "升级", "新增", "完成", "实施",
                         "整治"))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    zh: str
    en: str
    aliases: tuple[str, ...]
    measures: tuple[Measure, ...]
    exclude: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    whole: tuple[str, ...] = ()
    of_gdp: str = ""
    pinyin: str = ""
    stands_in: tuple[str, ...] = ()  # ids whose figures stand in where this one has none


def fold(text: str) -> str:
    """NFKC, lower case, no quotes, spaces or footnote marks: the form aliases are compared in."""
    return _QUOTES.sub("", unicodedata.normalize("NFKC", text).lower())


def _latin_key(word: str) -> str:
    return re.sub(r"[^a-z0-9]", "", word.lower().replace("ü", "v"))


class Catalogue:
    def __init__(self, indicators: Iterable[Indicator]) -> None:
        self._pinyin: dict[str, list[Indicator]] | None = None  # built on first use
        self.indicators: dict[str, Indicator] = {i.id: i for i in indicators}
        # Report-text aliases, folded, indexed by first character for a leftmost-longest scan.
        self._alias: dict[str, Indicator] = {}
        self._ambiguous: set[str] = set()
        self._query: dict[str, list[Indicator]] = {}  # whole query words
        self._latin: dict[str, list[Indicator]] = {}
        self._exclude: dict[str, tuple[str, ...]] = {}
        self._whole: dict[str, Indicator] = {}  # whole indicator texts, in the usual measure
        for ind in self.indicators.values():
            self._whole.update((fold(word), ind) for word in ind.whole)
            self._exclude[ind.id] = tuple(fold(w) for w in ind.exclude)
            for alias in (ind.zh, *ind.aliases):
                key = fold(alias)
                if not key:
                    continue
                if key in self._alias and self._alias[key].id != ind.id:
                    self._ambiguous.add(key)
                self._alias.setdefault(key, ind)
            for word in (ind.zh, *ind.aliases, *ind.words):
                if word.isascii():
                    self._latin.setdefault(_latin_key(word), []).append(ind)
                else:
                    self._query.setdefault(fold(word), []).append(ind)
            for word in (ind.en, ind.pinyin):
                if word:
                    self._latin.setdefault(_latin_key(word), []).append(ind)
        # Keyed by the first two characters: classify scans every position of the text.
        self._first: dict[str, list[str]] = {}
        for key in sorted(self._alias, key=len, reverse=True):
            if key not in self._ambiguous:
                self._first.setdefault(key[:2], []).append(key)
        # Query words in running text: report aliases and query-only words, unambiguous ones.
        self._word: dict[str, Indicator] = {
            key: ind for key, ind in self._alias.items() if key not in self._ambiguous
        }
        for key, inds in self._query.items():
            if len({ind.id for ind in inds}) == 1:
                self._word.setdefault(key, inds[0])
        self._words_first: dict[str, list[str]] = {}
        for key in sorted(self._word, key=len, reverse=True):
            self._words_first.setdefault(key[0], []).append(key)

    def get(self, indicator_id: str) -> Indicator | None:
        return self.indicators.get(indicator_id)

    # --- query words ---------------------------------------------------------------------------

    def lookup(self, word: str) -> Indicator | None:
        """The indicator a query word names; None when none or ambiguous."""
        word = word.strip()
        if not word:
            return None
        if word.isascii():
            key = _latin_key(word)
            return _only(self._latin.get(key, []) or self._spoken().get(key, []))
        key = fold(word)
        found = _only(self._query.get(key, []))
        if found is None:
            from bot.search.analyze import simplify  # OpenCC only for words the table lacks

            key = fold(simplify(word))
            found = _only(self._query.get(key, []))
        if found is None:
            ids = {ind.id for ind in self._matches(key)}
            found = self.indicators[ids.pop()] if len(ids) == 1 else None
        return found

    def _spoken(self) -> dict[str, list[Indicator]]:
        """Pinyin of every Chinese name, alias and query word (liangshi → 粮食 → grain output),
        built from the character readings the first time someone types pinyin the data does
        not list. Polyphones give each reading: 行 is both xing and hang."""
        if self._pinyin is None:
            from bot.search.fuzzy import readings  # loaded off the hot path, once

            table: dict[str, list[Indicator]] = {}
            for ind in self.indicators.values():
                for word in (ind.zh, *ind.aliases, *ind.words):
                    if word.isascii() or len(word) > 8 or "目标" in word:
                        continue  # 增长目标: "mubiao" says a target is asked, a word of its own
                    for spelled in _spellings(fold(word), readings):
                        bucket = table.setdefault(spelled, [])
                        if ind not in bucket:
                            bucket.append(ind)
            self._pinyin = table
        return self._pinyin

    def find(self, text: str) -> list[tuple[int, int, Indicator]]:
        """Indicators a query names in running text, leftmost-longest: report aliases and
        query-only words (就业, 失业率). A word that names several indicators is skipped."""
        folded = fold(text)  # offsets are into the folded text
        out: list[tuple[int, int, Indicator]] = []
        i = 0
        while i < len(folded):
            for key in self._words_first.get(folded[i], ()):
                if folded.startswith(key, i) and _stands_alone(folded, i, key):
                    ind = self._word[key]
                    # 海洋经济 is not 经济: the exclude words veto a match, as in classify.
                    if not any(word in folded for word in self._exclude[ind.id]):
                        out.append((i, i + len(key), ind))
                    i += len(key)
                    break
            else:
                i += 1
        return out

    # --- figures -------------------------------------------------------------------------------

    def classify(
        self,
        indicator: str,
        unit: str = "",
        qualifier: str = "",
        clause: str = "",
        value: str = "",
        sentence: str = "",
    ) -> tuple[str, Measure]:
        """(catalogue id or "", measure) of one figure (rules in the module docstring).

        `clause` helps only when the indicator text is a bare head noun that names nothing by
        itself (强度 in 研发投入强度达3.6%): the noun phrase of the clause that ends with it is
        tried, and its alias must end where the indicator ends. `value` (as written, 60%以上)
        locates the figure in its clause: what follows it there can make it a share
        (60%的乡镇…, 89.1%用于民生事业) or pick an item of a ratio (三次产业比重为4.0∶37.7∶58.3).
        """
        text = fold(indicator)
        clause, value = fold(clause), fold(value)
        found, share = self._identify(text)
        items = _LIST_SPLIT.split(text)
        if len(items) > 1 and "分别" in clause:
            # 农村自来水、卫生户厕普及率分别达到90%和95%: each value is its own item's.
            found = self._respectively(items, clause, value) or found
        if found is None and text.endswith(_SECTOR_MIX) and value:
            # 三次产业比重为4.0∶37.7∶58.3: the n-th term is the n-th industry's share.
            terms = re.findall(r"[\d.]+", clause.split(text, 1)[-1])
            if len(terms) == 3 and value in terms:
                found = self.indicators[_SECTORS[terms.index(value)]]
        if found is None and text and clause:
            found = self._from_clause(text, clause)
        if found is None and 1 < len(text) <= 6 and sentence:
            found = self._borrow(text, clause, fold(sentence))
        if found is None and text in self._query and _is_change(qualifier):
            # 经济增长5%左右 is read as 经济 + 增长…: a query word that names one indicator
            # (经济 → gdp), with the change word beside it, is that indicator's growth.
            found = _only(self._query[text])
        whole = None
        if found is None:
            found = whole = self._whole.get(_WHOLE_PREFIX.sub("", text))
        after = _after_value(clause, value)
        measure = measure_of(found, unit, qualifier, text, share, after)
        if whole is not None and (
            measure != whole.measures[0]
            or (measure == "growth" and not _is_change(qualifier))
            or after.startswith(("以上", "口以上"))  # 20万以上人口县: a threshold
            or _bare_unit(unit) in _COUNT_UNITS  # 两亿多户: households, not people
            or _before_value(clause, value).endswith("每")  # 每10万人口
        ):
            # 全年投资增长5%左右 is fixed-asset investment, 投资44.5亿元 a project's
            found = None
            measure = measure_of(None, unit, qualifier, text, share, after)
        if measure == "share" and (spent := _SPENT_ON.match(after)):
            # 财政支出八成以上投向民生领域: the share names what the money goes to (民生领域支出).
            found = self._single(spent.group(1) + "支出") or found
        if found is not None and (
            not fits(found, measure)
            or any(word in text for word in _SCOPES)
            or (after.startswith(text[:2]) and any(w in after for w in self._exclude[found.id]))
        ):
            # 自贸试验区新设企业: a part or a neighbour of the region; 960多万贫困人口实现易地搬迁:
            # the words after a leading value say what is counted, and they veto like the text.
            found = None
        return (found.id if found else ""), measure

    def _respectively(self, items: list[str], clause: str, value: str) -> Indicator | None:
        """The indicator of the item of a 分别 list that `value` belongs to: the n-th value after
        分别 is the n-th item's. An item without the head noun the last item has borrows it
        (城乡居民基本养老保险 + 参保率), one without the first item's modifier borrows that
        (单位国内生产总值 + 二氧化碳排放); an item that still names nothing gives None."""
        at = clause.find("分别")
        values = [v for v in _LIST_SPLIT.split(clause[at + 2 :]) if v]
        if not value or len(values) != len(items):
            return None
        index = next((i for i, v in enumerate(values) if value in v), None)
        if index is None:
            return None
        item, first, last = items[index], items[0], items[-1]
        if (found := self._single(item)) is not None:
            return found
        tries = []
        if index < len(items) - 1:
            tries += [item + last[-k:] for k in range(1, len(last))]
        if index > 0:
            tries += [first[:k] + item for k in range(1, len(first))]
        for attempt in tries:
            pairs = self._pairs(attempt)
            if pairs and attempt.endswith(pairs[-1][0]) and len({i.id for _, i in pairs}) == 1:
                return pairs[-1][1]
        return None

    def _borrow(self, text: str, clause: str, sentence: str) -> Indicator | None:
        """A head noun that names nothing borrows the modifier of the item before it in the
        sentence: 粮食播种面积3320万亩、产量1285万吨 → 粮食产量; 单位国内生产总值能耗下降8.1%、
        二氧化碳排放下降14.1% → 单位国内生产总值二氧化碳排放. The borrowed words stop at the
        first number of the item before."""
        at = sentence.find(clause)
        if at <= 0 or not _STARTERS.sub("", clause).startswith(text):
            return None  # only a clause that opens with its head noun continues a list
        before = _CLAUSE_BREAK.split(sentence[:at].rstrip("、,，;；:："))[-1]
        before = re.split(r"[\d０-９一二三四五六七八九十百千万亿两]+(?:\.\d+)?", before)[0]
        for k in range(1, len(before) + 1):
            attempt = before[:k] + text
            pairs = self._pairs(attempt)
            key = pairs[-1][0] if pairs else ""
            # the alias spans both parts and opens the item (after a verb like 实现, 推动)
            spans = key and attempt.endswith(key) and len(key) > len(text)
            if spans and len(attempt) - len(key) <= 2:
                return pairs[-1][1] if len({i.id for _, i in pairs}) == 1 else None
        return None

    def _from_clause(self, text: str, clause: str) -> Indicator | None:
        at = clause.find(text)
        if at < 0:
            return None
        end = at + len(text)
        start = at
        while start > 0 and "\u4e00" <= clause[start - 1] <= "\u9fff" and end - start < 16:
            start -= 1
        phrase = clause[start:end]
        if phrase == text:
            return None
        pairs = [(k, ind) for k, ind in self._pairs(phrase) if phrase.endswith(k)]
        return pairs[-1][1] if len(pairs) == 1 else None

    def _identify(self, text: str) -> tuple[Indicator | None, bool]:
        share = next((m for p in _SHARES if (m := p.match(text))), None)
        if share is not None and text[share.end() :].endswith("率"):
            share = None  # 增值税收入占比最高、涉及行业广泛的税率: the head is 税率
        if share is None:
            return self._single(text), False
        # An alias that spells the whole share (财政赤字占国内生产总值) wins over the subject's.
        spelled = {ind.id for key, ind in self._pairs(text) if "占" in key}
        if len(spelled) == 1:
            return self.indicators[spelled.pop()], True
        subject = share.group("subject")
        base = share.groupdict().get("base") or ""
        found = self._single(subject)
        if found is None and subject and base.endswith(("增加值", *_GDP_BASE)):
            # 战略性新兴产业占规上工业增加值比重: a share of value added is the subject's.
            found = self._single(subject + "增加值")
        if found is not None and found.of_gdp and any(g in base for g in _GDP_BASE):
            found = self.indicators.get(found.of_gdp, found)
        return found, True

    def _single(self, text: str) -> Indicator | None:
        """The one indicator `text` names, or None (rules 3–5 of the module docstring)."""
        if not text:
            return None
        # 新建、改造农村公路: a verb alone between 、 is no list item, the noun is shared.
        segments = [s for s in text.split("、") if s and s not in _LIST_VERBS]
        parts = segments if len(segments) > 1 else [text]
        found: set[str] = set()
        pairs: list[tuple[str, Indicator]] = []
        for part in parts:
            pairs = self._pairs(part)
            if not pairs:
                if len(parts) > 1:
                    return None  # an item of the list names nothing: the value is shared
                continue
            found |= {ind.id for _, ind in pairs}
        if len(found) != 1:
            return None
        if pairs:
            tail = text[text.rfind(pairs[-1][0]) + len(pairs[-1][0]) :]
            if any(word in tail for word in _OTHER_HEADS):
                return None  # 民间投资产业项目总投资: the head after the alias is something else
        return self.indicators[found.pop()]

    def _matches(self, text: str) -> list[Indicator]:
        return [ind for _, ind in self._pairs(text)]

    def _pairs(self, text: str) -> list[tuple[str, Indicator]]:
        """(alias, indicator) occurring in `text`, after the exclude guard.

        Where two aliases overlap, the one that ends later wins (the head of a Chinese noun
        phrase is at its end: 全社会研发经费投入强度 is 研发经费投入强度, not 全社会研发经费),
        and of two that end together the longer one (人均地区生产总值 over 地区生产总值).
        """
        spans: list[tuple[int, int, str]] = []
        first = self._first
        for i in range(len(text) - 1):
            for key in first.get(text[i : i + 2], ()):
                if text.startswith(key, i) and _stands_alone(text, i, key):
                    spans.append((i, i + len(key), key))
                    break  # the longest alias starting here
        chosen: list[tuple[int, int, str]] = []
        for span in sorted(spans, key=lambda s: (-s[1], s[0])):
            if not chosen or span[1] <= chosen[-1][0]:
                chosen.append(span)
        out: list[tuple[str, Indicator]] = []
        for _, _, key in reversed(chosen):
            ind = self._alias[key]
            if not any(word in text for word in self._exclude[ind.id]):
                out.append((key, ind))
        return out


def _stands_alone(text: str, start: int, key: str) -> bool:
    """A Latin alias must not be part of a longer Latin word or number (m2 in pm2.5)."""
    if not key[0].isascii() and not key[-1].isascii():
        return True
    before = text[start - 1] if start else ""
    after = text[start + len(key)] if start + len(key) < len(text) else ""
    latin = re.compile(r"[a-z0-9.]")
    if key[0].isascii() and before and latin.match(before):
        return False
    return not (key[-1].isascii() and after and latin.match(after) and not key[-1].isdigit())


def measure_of(
    found: Indicator | None,
    unit: str,
    qualifier: str,
    text: str,
    share: bool = False,
    after: str = "",
) -> Measure:
    """The measure of a figure (rules in the module docstring)."""
    unit = unicodedata.normalize("NFKC", unit).strip()
    usual: Measure = found.measures[0] if found else ""
    changes = _is_change(qualifier) or _is_change_text(text)
    bare = _bare_unit(unit)
    if "百分点" in unit:
        return "points"
    percent = unit.endswith("%") or unit == "‰" or bare == "成"  # 4成 is 40%
    if share and (percent or not unit):
        return "share"
    if percent:
        if changes:
            return "growth"
        if usual in ("rate", "share"):
            return usual
        if any(word in qualifier for word in _SHARE_WORDS) or _is_share_after(after):
            return "share"
        if text.endswith(_RATE_TAIL) or "比例" in text or "比率" in text:
            return "rate"
        if found is not None and "growth" in found.measures:
            return "growth"
        if text.endswith(_RATE_HEAD) or any(w in qualifier for w in _RATE_MARKERS):
            return "rate"  # 关税总水平, 项目区农民满意度; 配比达到20%
        if bare == "成":
            return "share"  # 覆盖九成以上城乡社区, 贡献约7成: a part of a whole
        # A bare % with no rate word is a change whose verb the extractor left with the value
        # before it (分别增长8%、7.9%; 下降12.3%、68%): that is how reports write them.
        return "growth"
    if bare and (bare in _COUNT_UNITS or bare in _COUNT_WORDS):
        if _PER_CAPITA.search(text):
            return "level"  # 每千人口托位数4.5个: things per head are a level, not a count
        # 件 and 户 count things, except where the indicator is a volume or people
        # (快递业务量22.3亿件, 每万人口发明专利拥有量28件, 移动互联网用户14.5亿户).
        if bare in _VOLUME_OR_PEOPLE and (
            (found is not None and "count" not in found.measures and "level" in found.measures)
            or text.endswith(("用户", "用户数", "来电", "业务量"))
        ):
            return "level"
        return "count"
    if bare == "倍" or bare == "比" or ":" in unit:
        return "growth" if changes and bare == "倍" else "ratio"
    if not unit:
        if usual == "ratio" or text.endswith(("比", "倍差")):
            return "ratio"
        if text.endswith("指数"):
            return "level"  # 空气质量综合指数4.463: an index value
        return ""
    return "level"


def _bare_unit(unit: str) -> str:
    """The unit without 余/多 and multipliers: 万余户 → 户, 亿人次 → 人次."""
    return re.sub(r"^(?:万|千|百|亿)+", "", unit.strip().strip("余多"))


def fits(found: Indicator, measure: Measure) -> bool:
    """Whether an indicator comes in this measure: 民生支出1041亿元 is no 民生支出占比, and
    新增普惠性托位9万个 no 每千人口托位数. Any amount may grow or be a multiple; a change in 百分点
    fits any rate or share."""
    if not measure or measure in found.measures:
        return True
    if measure in ("growth", "ratio"):  # any amount can grow, or be 是十年前的3倍
        return any(m in ("level", "growth") for m in found.measures)
    return measure == "points" and any(m in ("rate", "share") for m in found.measures)


_SPENT_ON = re.compile(r"(?:用于|投向|投入)([\u4e00-\u9fff]{2,6}?)(?:事业|领域)?$")
# Nouns after "N%的" that are no whole the value is a share of (8%左右的增长目标, 16%的税率).
_NOT_A_WHOLE = ("增长", "增速", "速度", "预期", "目标", "幅度", "情况", "基础", "水平", "较低水平",
                "税率", "总要求", "比例", "比重", "国内生产总值增长", "增幅", "涨幅")  # fmt: skip


def _after_value(clause: str, value: str) -> str:
    """What the clause says right after the value (folded), "" when the value is not found."""
    if not clause or not value:
        return ""
    at = clause.find(value)
    return clause[at + len(value) : at + len(value) + 12] if at >= 0 else ""


def _before_value(clause: str, value: str) -> str:
    at = clause.find(value) if clause and value else -1
    return clause[max(0, at - 4) : at] if at >= 0 else ""


def _is_share_after(after: str) -> bool:
    """A % followed by 的 + the whole it is a share of (60%的乡镇有养老服务中心, 惠及90%的在校生)
    or by what the money is spent on (一般预算支出的89.1%用于民生事业)."""
    if after.startswith(("用于", "投向")):
        return True
    return after.startswith("的") and not after[1:].startswith(_NOT_A_WHOLE)


def _is_change(qualifier: str) -> bool:
    """A change word in the qualifier outside a level marker: 增长, 比年初增长, 年均增长保持在,
    涨幅控制在 are changes; 提高到, 达到, 占比提高到 are levels."""
    if not qualifier:
        return False
    if any(noun in qualifier for noun in _CHANGE_NOUNS):
        return True
    return (
        any(word in qualifier for word in _CHANGE)
        and _CHANGE_RE.search(_LEVEL_RE.sub("…", qualifier)) is not None
    )


def _is_change_text(text: str) -> bool:
    """增速, 涨幅, 增长 written as part of the indicator (经济增长, 居民消费价格涨幅)."""
    if text.endswith("增长率"):
        return not text.endswith("自然增长率")  # 研发投入增长率, but 人口自然增长率 is a rate
    return text.endswith(("增速", "增幅", "涨幅", "增长", "增长速度", "上涨幅度", "降幅"))


def _spellings(word: str, readings: Callable[[str], tuple[str, ...]]) -> list[str]:
    """Toneless pinyin spellings of `word`, one per combination of its characters' readings
    (at most 3 readings a character, 16 spellings a word)."""
    spelled = [""]
    for char in word:
        options = readings(char)[:3]
        if not options:
            return []
        spelled = [s + o for s in spelled for o in options][:16]
    return spelled


def _only(found: list[Indicator]) -> Indicator | None:
    ids = {ind.id for ind in found}
    return found[0] if len(ids) == 1 else None


def load(path: str | None = None) -> Catalogue:
    if path is None:
        raw = resources.files("bot.facts").joinpath("indicators.toml").read_text()
        data = tomllib.loads(raw)
    else:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    return Catalogue(
        Indicator(
            id=item["id"],
            zh=item["zh"],
            en=item.get("en", ""),
            aliases=tuple(item.get("aliases", ())),
            measures=tuple(item.get("measures", ())),
            exclude=tuple(item.get("exclude", ())),
            words=tuple(item.get("words", ())),
            whole=tuple(item.get("whole", ())),
            of_gdp=item.get("of_gdp", ""),
            pinyin=item.get("pinyin", ""),
            stands_in=tuple(item.get("stands_in", ())),
        )
        for item in data["indicator"]
    )


@cache
def catalogue() -> Catalogue:
    """The catalogue, loaded once per process."""
    return load()


def classify(
    indicator: str,
    unit: str = "",
    qualifier: str = "",
    clause: str = "",
    value: str = "",
    sentence: str = "",
) -> tuple[str, Measure]:
    """Module-level shortcut for catalogue().classify (see the module docstring)."""
    return catalogue().classify(indicator, unit, qualifier, clause, value, sentence)

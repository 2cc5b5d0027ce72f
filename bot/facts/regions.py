"""The region gazetteer (data in regions.toml): what a place name in a report or a query means.

`gazetteer()` loads the data once per process (about 10 ms; no pypinyin at run time: the pinyin
is in the data). Words are compared after NFKC, case folding and Traditional → Simplified
(OpenCC t2s), so 廣東, ＧＵＡＮＧＤＯＮＧ and guangdong all mean 广东省.

Matching rules
- `lookup(word)`: the whole word is a region's full name, a short form (two characters or more),
  an alias, its pinyin (spaces, apostrophes and case ignored: "Sichuan", "si chuan",
  "nei menggu", "xi'an") or its English name ("Inner Mongolia", "Guangdong Province"); also a
  chain of nested names (河北省保定市顺平县). When a word names several regions, the most
  senior wins (吉林 is the province; the city is 吉林市); a tie at the same level is ambiguous
  and gives None (yichun is 伊春 and 宜春). One-character abbreviations (川, 粤, 苏) count only
  when asked for with `single=True`: as a query word they are ordinary characters.
- `fuzzy(word)`: a typo of a name. A word that is itself valid is returned as it is and never
  "corrected" (河南 and 湖南 are both real). Otherwise the candidate must have the same length
  and differ in exactly one character, and that character must share a reading with the typed
  one (新彊 → 新疆, 广洲 → 广州; bot.search.fuzzy.homophone_typo) or be a known variant form;
  when two regions fit equally the word is ambiguous and gives None.
- `find(text)`: region mentions in running text, leftmost-longest, never overlapping, so 湖南省
  is one mention and 山西 never matches inside 陕西. In running text some forms are left out:
  one-character abbreviations; short forms that are ordinary words (大同 in 世界大同, 长治 in
  长治久安, 安康 in 幸福安康: `common_words` in the data; their full name 大同市 still counts);
  county short forms unless flagged `find_short` (顺平 and 乌恰 are safe; 满城, 安新 and 安国
  occur inside ordinary words). Latin words count as pinyin or English, joined across spaces.
- `resolve_report(title, text, file_name)`: the region a report is about, from its title, then
  the head of its text (the delivery line 在…第X届人民代表大会, 我代表…人民政府, title-like
  lines), then pinyin in the file name. A place that the title or delivery line names but that
  the gazetteer does not know (上海市奉贤区) is not replaced by a guess from a weaker source.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import PurePath
from typing import Literal

RegionLevel = Literal["national", "provincial", "city", "county"]
_SENIORITY = {"national": 0, "provincial": 1, "city": 2, "county": 3}

# Variant characters that OpenCC's t2s leaves alone but people type for a region name.
_VARIANTS = str.maketrans({"彊": "疆", "甯": "宁", "邨": "村", "陜": "陕", "滙": "汇"})
# English and pinyin words that only say what kind of division a name is.
_LATIN_SUFFIXES = (
    "special administrative region", "autonomous prefecture", "autonomous region",
    "autonomous county", "province", "prefecture", "municipality", "district", "county",
    "region", "league", "city", "sar", "zizhiqu", "zizhizhou", "sheng", "shi", "xian", "diqu",
    "meng",
)  # fmt: skip
_ETHNIC_ADJECTIVES = ("zhuang", "hui", "uygur", "uyghur", "uighur", "kirghiz", "kyrgyz")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ \t]+[A-Za-z][A-Za-z'’\-]*)*")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_MAX_LATIN_WORDS = 5


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    name: str  # full official name; the nation is 全国
    short: tuple[str, ...]
    pinyin: str
    en: str
    level: RegionLevel
    parent: str | None
    aliases: tuple[str, ...] = ()
    common_words: frozenset[str] = frozenset()
    find_short: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class RegionGroup:
    id: str
    name: str
    en: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]  # province-level region ids


@dataclass(frozen=True, slots=True)
class _Key:
    region: Region
    rank: int  # 0 full name, 1 alias, 2 short form: a full name beats a short form


def latin_key(word: str) -> str:
    """'Si Chuan', "Xi'an", 'Lüliang' → 'sichuan', 'xian', 'lvliang'."""
    word = word.lower().replace("ü", "v").replace("’", "'")
    return re.sub(r"[^a-z0-9]", "", word)


def _latin_variants(word: str) -> list[str]:
    """The word, then the word without trailing division words (Guangdong Province → guangdong)."""
    words = [w for w in re.split(r"[\s\-_]+", word.lower().strip()) if w]
    out = [latin_key(word)]
    while len(words) > 1:
        for suffix in (*_LATIN_SUFFIXES, *_ETHNIC_ADJECTIVES):
            parts = suffix.split()
            if len(words) > len(parts) and words[-len(parts) :] == parts:
                words = words[: -len(parts)]
                out.append(latin_key(" ".join(words)))
                break
        else:
            break
    return out


class Gazetteer:
    """Regions and region groups, indexed for lookup by id, name, short form, pinyin and English."""

    def __init__(self, regions: Iterable[Region], groups: Iterable[RegionGroup]) -> None:
        self.regions: dict[str, Region] = {r.id: r for r in regions}
        self.groups: dict[str, RegionGroup] = {g.id: g for g in groups}
        self._children: dict[str, list[Region]] = {}
        for region in self.regions.values():
            if region.parent is not None:
                self._children.setdefault(region.parent, []).append(region)
        self._han: dict[str, list[_Key]] = {}  # whole-word Chinese keys
        self._single: dict[str, list[_Key]] = {}  # one-character abbreviations
        self._latin: dict[str, list[_Key]] = {}  # pinyin, English, Latin aliases
        self._find_han: dict[str, Region] = {}  # keys safe inside running text
        self._find_latin: dict[str, Region] = {}
        for region in self.regions.values():
            self._index(region)
        self._find_first: dict[str, list[str]] = {}
        for key in sorted(self._find_han, key=len, reverse=True):
            self._find_first.setdefault(key[0], []).append(key)
        self._groups: dict[str, RegionGroup] = {}
        for group in self.groups.values():
            for word in (group.name, group.en, *group.aliases):
                self._groups[word if not word.isascii() else latin_key(word)] = group

    # --- index ---------------------------------------------------------------------------------

    def _index(self, region: Region) -> None:
        han: list[tuple[str, int]] = [(region.name, 0)]
        latin: list[str] = [region.pinyin, region.en]
        for alias in region.aliases:
            if alias.isascii():
                latin.append(alias)
            else:
                han.append((alias, 1))
        for short in region.short:
            if len(short) == 1:
                self._single.setdefault(short, []).append(_Key(region, 2))
            else:
                han.append((short, 2))
        for word, rank in han:
            self._han.setdefault(word, []).append(_Key(region, rank))
        for word in latin:
            for key in {latin_key(word), *_latin_variants(word)}:
                if key:
                    self._latin.setdefault(key, []).append(_Key(region, 0))
        # Running text: the full name always; other forms only when they are not ordinary words.
        for word, rank in han:
            if rank == 0 or self._safe_in_text(region, word):
                self._add_find(self._find_han, word, region)
        if region.level != "county" or region.find_short:
            # The pinyin of a short form that is an ordinary word (datong) is left out too.
            skip = {latin_key(region.pinyin)} if region.common_words else set()
            for word in latin:
                key = latin_key(word)
                if len(key) >= 4 and key not in skip:
                    self._add_find(self._find_latin, key, region)

    @staticmethod
    def _safe_in_text(region: Region, word: str) -> bool:
        if word in region.common_words:
            return False
        return region.level != "county" or region.find_short

    def _add_find(self, table: dict[str, Region], key: str, region: Region) -> None:
        other = table.get(key)
        if other is None or _SENIORITY[region.level] < _SENIORITY[other.level]:
            table[key] = region

    # --- hierarchy -----------------------------------------------------------------------------

    def get(self, region_id: str) -> Region | None:
        return self.regions.get(region_id)

    def parent(self, region_id: str) -> Region | None:
        region = self.regions.get(region_id)
        return self.regions.get(region.parent) if region and region.parent else None

    def ancestors(self, region_id: str) -> list[Region]:
        """Enclosing regions, nearest first: 顺平县 → [保定市, 河北省, 全国]."""
        out: list[Region] = []
        region = self.parent(region_id)
        while region is not None:
            out.append(region)
            region = self.parent(region.id)
        return out

    def within(self, region_id: str, ancestor_id: str) -> bool:
        """True when `region_id` is `ancestor_id` or lies inside it."""
        if region_id not in self.regions:
            return False
        if region_id == ancestor_id:
            return True
        return any(a.id == ancestor_id for a in self.ancestors(region_id))

    def children(self, region_id: str) -> list[Region]:
        return list(self._children.get(region_id, ()))

    def level(self, region_id: str) -> RegionLevel | None:
        region = self.regions.get(region_id)
        return region.level if region else None

    # --- words ---------------------------------------------------------------------------------

    def lookup(self, word: str, *, single: bool = False) -> Region | None:
        """The region `word` names as a whole; None when none or when it is ambiguous."""
        word = word.strip()
        if not word:
            return None
        if word.isascii():
            return self._latin_lookup(word)
        found = self._han_lookup(word, single)
        if found is None:
            simple = _simplify(word)
            if simple != word:
                found = self._han_lookup(simple, single)
                word = simple
        return found if found is not None else self._chain(word)

    def _han_lookup(self, word: str, single: bool) -> Region | None:
        word = re.sub(r"\s+", "", word)
        if word in self._han:
            return _best(self._han[word])
        if single and word in self._single:
            return _best(self._single[word])
        return None

    def _latin_lookup(self, word: str) -> Region | None:
        for key in _latin_variants(word):
            if key in self._latin:
                return _best(self._latin[key])
        return None

    def _chain(self, phrase: str) -> Region | None:
        """河北省保定市顺平县: nested names one after another, each inside the one before."""
        region: Region | None = None
        i = 0
        while i < len(phrase):
            for j in range(len(phrase), i + 1, -1):
                keys = self._han.get(phrase[i:j])
                if not keys:
                    continue
                nxt = _best(keys, inside=region.id if region else None, gazetteer=self)
                if nxt is not None and (region is None or self.within(nxt.id, region.id)):
                    region, i = nxt, j
                    break
            else:
                return None
        return region

    def fuzzy(self, word: str) -> Region | None:
        """The region `word` names, forgiving one mistyped character (see the module docstring)."""
        exact = self.lookup(word)
        if exact is not None or word.isascii():
            return exact
        typed = _simplify(word).translate(_VARIANTS)
        exact = self.lookup(typed)
        if exact is not None:
            return exact
        from bot.search.fuzzy import homophone_typo  # readings load on first use (~20 MB)

        found: set[str] = set()
        best: list[Region] = []
        for key, entries in self._han.items():
            if len(key) != len(typed) or len(typed) < 2:
                continue
            if all(e.region.level == "county" for e in entries):
                continue  # too few counties are known: 富平 is a real county, not a typo of 阜平
            diffs = sum(a != b for a, b in zip(key, typed, strict=True))
            if diffs == 1 and homophone_typo(typed, key):
                region = _best(entries)
                if region is not None and region.id not in found:
                    found.add(region.id)
                    best.append(region)
        if not best:
            return None
        top = min(_SENIORITY[r.level] for r in best)
        best = [r for r in best if _SENIORITY[r.level] == top]
        return best[0] if len(best) == 1 else None

    def find(self, text: str) -> list[tuple[int, int, Region]]:
        """Region mentions in `text` as (start, end, region), in order (module docstring)."""
        out: list[tuple[int, int, Region]] = []
        i = 0
        while i < len(text):
            for key in self._find_first.get(text[i], ()):
                if text.startswith(key, i):
                    out.append((i, i + len(key), self._find_han[key]))
                    i += len(key)
                    break
            else:
                i += 1
        for run in _LATIN_RUN.finditer(text):
            out.extend(self._find_in_latin(run.group(0), run.start()))
        out.sort(key=lambda m: m[0])
        return out

    def _find_in_latin(self, run: str, offset: int) -> list[tuple[int, int, Region]]:
        words = [(m.start(), m.end(), m.group(0)) for m in _LATIN_WORD.finditer(run)]
        out: list[tuple[int, int, Region]] = []
        i = 0
        while i < len(words):
            for j in range(min(len(words), i + _MAX_LATIN_WORDS), i, -1):
                key = latin_key("".join(w for _, _, w in words[i:j]))
                region = self._find_latin.get(key)
                if region is None:
                    continue
                # Take a following division word with it: Guangdong Province is one mention.
                while j < len(words) and words[j][2].lower() in _LATIN_SUFFIXES:
                    j += 1
                out.append((offset + words[i][0], offset + words[j - 1][1], region))
                i = j
                break
            else:
                i += 1
        return out

    # --- groups --------------------------------------------------------------------------------

    def group(self, word: str) -> RegionGroup | None:
        """东部, 长三角, 大湾区, Yangtze River Delta … → the group."""
        word = word.strip()
        if word.isascii():
            return self._groups.get(latin_key(word))
        return self._groups.get(word) or self._groups.get(_simplify(word))

    def members(self, group: RegionGroup | str) -> list[Region]:
        found = self.groups.get(group) if isinstance(group, str) else group
        if found is None:
            return []
        return [self.regions[m] for m in found.members if m in self.regions]

    # --- reports -------------------------------------------------------------------------------

    def resolve_report(self, title: str, text: str, file_name: str) -> tuple[Region | None, str]:
        """The region a report is about and where that was read: "title", "text", "file name"."""
        nation = self.regions["cn"]
        if _NATIONAL_TITLE.search(title):
            return nation, "title"
        place = _title_place(title)
        if place:
            region = self._place(place)
            if region is not None:
                return region, "title"
            if _names_a_division(place):
                return None, ""  # named, but not in the gazetteer: no weaker guess
        head = _head(text)
        # A delivery line may be broken across lines (在广东省第十四届 / 人民代表大会…).
        for delivery in _DELIVERY.finditer("".join(head)):
            if delivery.group("national"):
                return nation, "text"
            where = delivery.group("where")
            region = self._place(where) if where else None
            if region is not None:
                return region, "text"
            if where and _names_a_division(where):
                return None, ""
        for line in head:
            if _NATIONAL_LINE.search(line):
                return nation, "text"
            for found in _PLACE_BEFORE.finditer(line):
                region = self._longest_suffix_place(found.group("run"))
                if region is not None:
                    return region, "text"
        region = self._file_name_region(file_name)
        return (region, "file name") if region is not None else (None, "")

    def _place(self, phrase: str) -> Region | None:
        phrase = re.sub(r"^(?:\d{4}|[〇零一二三四五六七八九]{4})年", "", phrase.strip())
        phrase = re.sub(r"(?:\d{4}|[〇零一二三四五六七八九]{4})年$", "", phrase)
        if len(phrase) < 2:
            return None
        return self.lookup(phrase)

    def _longest_suffix_place(self, run: str) -> Region | None:
        """'现在我代表保定市' → 保定市: the longest tail of a Han run that names a region."""
        for start in range(len(run) - 1):
            tail = run[start:]
            if not _names_a_division(tail) and self._han.get(tail) is None:
                continue
            region = self.lookup(tail)
            if region is not None:
                return region
        return None

    def _file_name_region(self, file_name: str) -> Region | None:
        words = [w for w in re.split(r"[-_./\\\s]+", PurePath(file_name).as_posix().lower()) if w]
        if any(w in ("national", "guowuyuan", "quanguo") for w in words):
            return self.regions["cn"]
        for word in reversed(words):
            if len(word) < 4 or word.isdigit():
                continue
            region = self._latin_lookup(word)
            if region is not None:
                return region
        return None


_NATIONAL_TITLE = re.compile(r"国务院|中华人民共和国政府工作报告|全国人民代表大会")
_TITLE_PLACE = re.compile(
    r"(?P<place>[\u4e00-\u9fff\d]{2,40}?)(?:\d{4}年)?(?:人民)?政府工作报告"
)
_DELIVERY = re.compile(
    r"在(?P<where>[\u4e00-\u9fff]{0,40}?)第?[一二三四五六七八九十\d]+届(?P<national>全国)?人民代表大会"
)
_NATIONAL_LINE = re.compile(r"我代表国务院|国务院总理")
_PLACE_BEFORE = re.compile(
    r"(?P<run>[\u4e00-\u9fff]{2,40}?)(?:\d{4}年)?"
    r"(?:人民政府|政府工作报告|省长|市长|县长|区长|州长|旗长|盟长|自治区主席)"
)
_DIVISION_SUFFIX = ("省", "自治区", "特别行政区", "市", "州", "盟", "地区", "县", "区", "旗")


def _title_place(title: str) -> str:
    found = _TITLE_PLACE.search(title.replace(" ", ""))
    return found.group("place") if found else ""


def _names_a_division(phrase: str) -> bool:
    """某某县, 上海市奉贤区: a place name by its suffix (县/区 is not a place by itself)."""
    phrase = re.sub(r"^(?:\d{4}年)", "", phrase)
    return len(phrase) >= 2 and phrase.endswith(_DIVISION_SUFFIX) and phrase not in ("地区",)


def _head(text: str) -> list[str]:
    """The lines before the speech proper (page header, title, delivery line, speaker) and the
    opening sentence after 各位代表 (我代表…人民政府向大会报告工作)."""
    lines: list[str] = []
    opening = 0
    for line in text.split("\n")[:80]:
        line = line.strip()
        if re.match(r"^[一二三四五六七八九十]、", line):
            break
        if line.startswith("各位代表"):
            opening = 3
        elif opening:
            opening -= 1
            if not opening:
                break
        if line:
            lines.append(line)
    return lines


def _best(
    keys: list[_Key], inside: str | None = None, gazetteer: Gazetteer | None = None
) -> Region | None:
    """The most senior region among `keys` (full names before short forms); None on a tie."""
    if inside is not None and gazetteer is not None:
        nested = [k for k in keys if gazetteer.within(k.region.id, inside)]
        keys = nested or keys
    ranked = sorted({(_SENIORITY[k.region.level], k.rank, k.region.id) for k in keys})
    if not ranked:
        return None
    first = ranked[0]
    ties = [r for r in ranked if r[:2] == first[:2] and r[2] != first[2]]
    if ties:
        return None
    return keys[[k.region.id for k in keys].index(first[2])].region


def _simplify(word: str) -> str:
    from bot.search.analyze import simplify  # OpenCC, only for words the tables do not hold

    return simplify(word).translate(_VARIANTS)


def load(path: str | None = None) -> Gazetteer:
    if path is None:
        data = tomllib.loads(resources.files("bot.facts").joinpath("regions.toml").read_text())
    else:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    regions = [
        Region(
            id=r["id"],
            name=r["name"],
            short=tuple(r.get("short", ())),
            pinyin=r.get("pinyin", ""),
            en=r.get("en", ""),
            level=r["level"],
            parent=r.get("parent"),
            aliases=tuple(r.get("aliases", ())),
            common_words=frozenset(r.get("common_words", ())),
            find_short=bool(r.get("find_short", False)),
            note=r.get("note", ""),
        )
        for r in data["region"]
    ]
    groups = [
        RegionGroup(
            id=g["id"],
            name=g["name"],
            en=g.get("en", ""),
            aliases=tuple(g.get("aliases", ())),
            members=tuple(g["members"]),
        )
        for g in data.get("group", ())
    ]
    return Gazetteer(regions, groups)


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process."""
    return load()


def resolve_report(title: str, text: str, file_name: str) -> tuple[Region | None, str]:
    """Module-level shortcut for gazetteer().resolve_report (see the module docstring)."""
    return gazetteer().resolve_report(title, text, file_name)

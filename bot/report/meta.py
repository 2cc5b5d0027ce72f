"""Report metadata from the page header, the delivery line and the headings; the file name is
the last resort, and every guess taken from it is reported as a warning."""

from __future__ import annotations

import re
from pathlib import PurePath

from bot.facts.regions import gazetteer
from bot.report.model import Level, ReportMeta, Section

_MUNICIPALITIES = ("北京", "上海", "天津", "重庆")

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_YEAR = r"(\d{4}|[〇零一二三四五六七八九]{4})"
_SMALL = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_DELIVERY = re.compile(
    rf"{_YEAR}\s*年\s*{_SMALL}\s*月\s*{_SMALL}\s*日\s*在(?P<where>[^\n]{{0,60}}?)会[议議]上"
)
_REGION_SUFFIX = r"(?:省|自治区|特别行政区|市|县|区|旗|州|盟)"
_WHERE = re.compile(
    rf"^(?P<region>[\u4e00-\u9fff]{{2,20}}?{_REGION_SUFFIX})第?[一二三四五六七八九十\d]+届"
)
_TITLE_REGION = re.compile(
    rf"(?:{_YEAR}年)?(?P<region>[\u4e00-\u9fff]{{2,20}}?{_REGION_SUFFIX})"
    rf"(?:{_YEAR}年)?(?:人民)?政府工作报告"
)
_OFFICE = re.compile(
    r"(?P<office>代?(?:国务院总理|总理|省长|市长|县长|区长|旗长|州长|盟长|自治区主席|主席))"
    r"\s*(?P<name>[\u4e00-\u9fff·•](?: ?[\u4e00-\u9fff·•]){1,11})?$"
)
_NAME_LINE = re.compile(r"^[\u4e00-\u9fff·•]{2,4}$")
_FIELD = re.compile(r"^(?P<key>[\u4e00-\u9fff ]{2,12}?|来源URL)\s*[：:]?\s*(?P<value>.*)$")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_URL = re.compile(r"https?://[^\s，。；]+")
_REVIEW_HEADING = re.compile(rf"{_YEAR}年.{{0,12}}(回顾|总结)")
_PLAN_HEADING = re.compile(rf"{_YEAR}年.{{0,8}}(工作|任务|安排|部署|建议)")


def extract(text: str, name: str, sections: list[Section]) -> tuple[ReportMeta, list[str]]:
    """Metadata of the report in `text`, plus warnings for what had to be guessed."""
    head = _preamble(text)
    meta = ReportMeta()
    warnings: list[str] = []
    _page_fields(head, meta)
    delivered_where = _delivery(head, meta)
    _speaker(head, meta)
    title_line = _title_line(head)
    meta.region = _region(title_line, delivered_where, head)
    _years(meta, sections, title_line)
    _file_name_fallbacks(meta, name, warnings)
    meta.level = _level(meta.region)
    if meta.level == "national":
        meta.region = "全国"
    meta.title = _title(title_line, meta)
    return meta, warnings


def _preamble(text: str) -> list[str]:
    """Lines before the speech proper: page header, title, delivery line, speaker."""
    lines: list[str] = []
    for line in text.split("\n")[:60]:
        if line.startswith("各位代表") or re.match(r"^[一二三四五六七八九十]、", line):
            break
        lines.append(line.strip())
    return [line for line in lines if line]


# --- page header ---------------------------------------------------------------------------------


_PUBLISHER_KEYS = ("发布机构", "发文单位", "发文机关", "发布单位", "来源", "信息来源")
_DATE_KEYS = ("发布日期", "发文时间", "发布时间", "发表时间", "时间", "日期", "成文日期")


def _page_fields(head: list[str], meta: ReportMeta) -> None:
    for i, line in enumerate(head):
        for key, found_value in _fields(line):
            value = found_value
            if not value and i + 1 < len(head) and not _fields(head[i + 1]):
                value = head[i + 1]  # 发表时间： / 2026-02-09 09:45:30
            compact = key.replace(" ", "")
            if compact in _PUBLISHER_KEYS and value and not meta.publisher:
                meta.publisher = value
            elif compact in _DATE_KEYS:
                date = _DATE.search(value)
                if date and not meta.published:
                    meta.published = _iso(*date.groups())
            elif compact == "来源URL" and not meta.source_url:
                url = _URL.search(value)
                meta.source_url = url.group(0) if url else ""
        if not meta.source_url:
            url = _URL.search(line)
            if url:
                meta.source_url = url.group(0)


_KEYS = (
    r"(发布机构|发文单位|发文机关|发布单位|发布日期|发文时间|发布时间|发表时间|成文日期|信息来源|"
    r"来源URL|来\s*源|时间|日期)"
)


def _fields(line: str) -> list[tuple[str, str]]:
    """'发布机构 乌恰县人民政府 发布日期 2023-01-31 18:42' holds two fields on one line."""
    parts = re.split(rf"(?:^|\s){_KEYS}\s*[：:]?\s*", line)
    if len(parts) < 3:
        return []
    return [(parts[i], parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2)]


# --- delivery line and speaker -------------------------------------------------------------------


def _delivery(head: list[str], meta: ReportMeta) -> str:
    for line in head:
        found = _DELIVERY.search(line)
        if found:
            year, month, day = (_number(found.group(i)) for i in (1, 2, 3))
            if year and month and day:
                meta.delivered = f"{year:04d}-{month:02d}-{day:02d}"
            return found.group("where")
    return ""


def _speaker(head: list[str], meta: ReportMeta) -> None:
    for i, line in enumerate(head):
        tail = re.split("会[议議]上", line)[-1].strip()
        found = _OFFICE.search(tail)
        if not found or len(tail) > 40 or "报告" in tail:
            continue
        meta.office = found.group("office").replace("自治区主席", "主席")
        name = found.group("name")
        if not name and i + 1 < len(head) and _NAME_LINE.match(head[i + 1].replace(" ", "")):
            name = head[i + 1]
        meta.speaker = _clean_name(name or "")
        return
    # A bare name shortly after the delivery line (——2025年1月21日…会议上 / 闫继红).
    for i, line in enumerate(head):
        if not _DELIVERY.search(line):
            continue
        for following in head[i + 1 : i + 4]:
            if _NAME_LINE.match(following.replace(" ", "")):
                meta.speaker = _clean_name(following)
                return


def _clean_name(name: str) -> str:
    # 韦 韬: a space inside a two-character name is layout.
    return name.replace(" ", "") if len(name.replace(" ", "")) <= 4 else name.strip()


# --- title, region, level ------------------------------------------------------------------------


def _title_line(head: list[str]) -> str:
    for line in head:
        found = _fields(line)
        for key, value in found:
            if key.replace(" ", "") in ("标题", "名称") and "报告" in value:
                return value
        labelled = re.match(r"^(标题|名\s*称)\s*[：:]?\s*(.+报告)$", line)
        if labelled:
            return labelled.group(2)
    candidates = [line for line in head if "政府工作报告" in line and len(line) <= 40]
    # Prefer a title that names a place or a year over the bare 政府工作报告.
    for line in candidates:
        if line != "政府工作报告":
            return line
    return candidates[0] if candidates else ""


def _region(title: str, where: str, head: list[str]) -> str:
    if "全国" in where or "国务院" in title or "中华人民共和国" in title:
        return "全国"
    found = _WHERE.match(where.strip())
    if found:
        return found.group("region")
    found = _TITLE_REGION.search(title)
    if found:
        return found.group("region")
    for line in head:
        found = _TITLE_REGION.search(line)
        if found:
            return found.group("region")
    return ""


def _province_named(word: str) -> str:
    """The province-level division a file-name word names (beijing, shaanxi), or ""."""
    region = gazetteer().lookup(word)
    return region.name if region is not None and region.level == "provincial" else ""


def _level(region: str) -> Level:
    if not region:
        return "unknown"
    if region in ("全国", "国务院", "中华人民共和国"):
        return "national"
    if _province_named(region) == region:  # 北京市 is a province-level city
        return "provincial"
    if region.startswith(_MUNICIPALITIES) and region.endswith(("区", "县")):
        return "county"  # 上海市奉贤区
    if region.endswith(("省", "自治区", "特别行政区")):
        return "provincial"
    if region.endswith(("县", "区", "旗")):
        return "county"
    if region.endswith(("市", "州", "盟")):
        return "city"
    return "unknown"


def _title(title_line: str, meta: ReportMeta) -> str:
    """The title as the text gives it, or one built from the year and the place it lacks."""
    place = "国务院" if meta.level == "national" else meta.region
    has_place = meta.level == "national" and "国务院" in title_line
    has_place = has_place or bool(meta.region and meta.region[:2] in title_line)
    if title_line and re.search(r"\d{4}年", title_line) and has_place:
        return title_line
    year = f"{meta.target_year}年" if meta.target_year else ""
    return f"{year}{place}政府工作报告"


# --- canonical region (the gazetteer) -----------------------------------------------------------

_FILE_NAME_GUESS = "guessed from the file name"
_NOT_FOUND = "region not found in the text or the file name"


def _guess_suffix(name: str) -> str:
    return f"{_FILE_NAME_GUESS} {PurePath(name).name}"


def _region_guess(warning: str, name: str) -> bool:
    return warning.startswith("region ") and warning.endswith(_guess_suffix(name))


def canonical_region(meta: ReportMeta, text: str, name: str, warnings: list[str]) -> None:
    """Replace the region read from the text by the gazetteer's canonical one.

    Sets meta.region (the full official name, e.g. 广东省; the nation stays 全国), region_id and
    level. A region the gazetteer cannot place keeps the name read from the text (or none) and
    gets a warning saying so; a region the text names makes a file-name guess stale, so that
    warning goes.
    """
    from bot.facts.regions import resolve_report  # the gazetteer loads on first use

    region, source = resolve_report(_title_line(_preamble(text)), text, name)
    if region is None:
        if meta.region:
            warnings.append(f"region {meta.region} is not in the gazetteer")
        elif _NOT_FOUND not in warnings:
            warnings.append(_NOT_FOUND)
        return
    # The gazetteer read the region (again): the fallback's warnings no longer hold.
    warnings[:] = [w for w in warnings if w != _NOT_FOUND and not _region_guess(w, name)]
    changed = meta.region != region.name
    meta.region = region.name
    meta.region_id = region.id
    meta.level = region.level
    if source == "file name":
        warnings.append(f"region {region.name} {_guess_suffix(name)}")
    if changed and not (meta.title and region.name in meta.title):
        meta.title = _title(_title_line(_preamble(text)), meta)


# --- years ---------------------------------------------------------------------------------------


# A State Council report is titled by the year it was delivered (1980年…国务院政府工作报告);
# a local page title may name the year under review instead (2022年乌恰县政府工作报告).
_NATIONAL_TITLE = re.compile(rf"^{_YEAR}年(?:中华人民共和国)?国务院政府工作报告")


def _years(meta: ReportMeta, sections: list[Section], title: str) -> None:
    """The target year is the delivery year; the year under review the one before it.

    The delivery year comes from the delivery line, else a national title. Only without
    either do the headings decide: a plan heading can name a later year than the delivery
    (the 1980 report, delivered in August, sets out 1981年国民经济计划).
    """
    if meta.delivered:
        meta.target_year = int(meta.delivered[:4])
    else:
        national = _NATIONAL_TITLE.match(title)
        if national:
            meta.target_year = _number(national.group(1))
    for section in sections:
        if section.level != 1:
            continue
        review = _REVIEW_HEADING.search(section.title)
        if review and meta.review_year is None:
            meta.review_year = _number(review.group(1))
        plan = _PLAN_HEADING.search(section.title)
        if plan and not review and meta.target_year is None:
            meta.target_year = _number(plan.group(1))
    if meta.target_year is None and meta.review_year is not None:
        meta.target_year = meta.review_year + 1
    if meta.target_year is None:
        found = re.search(_YEAR + "年", title)
        if found:
            meta.target_year = _number(found.group(1))
    if meta.review_year is None and meta.target_year is not None:
        meta.review_year = meta.target_year - 1


def _file_name_fallbacks(meta: ReportMeta, name: str, warnings: list[str]) -> None:
    path = PurePath(name)
    words = [part.lower() for part in re.split(r"[-_./\\\s]+", str(path)) if part]
    if meta.target_year is None:
        year = next((int(w) for w in reversed(words) if re.fullmatch(r"(19|20)\d\d", w)), None)
        if year:
            meta.target_year, meta.review_year = year, year - 1
            warnings.append(f"year {year} guessed from the file name {path.name}")
    if not meta.region:
        if "national" in words or "guowuyuan" in words:
            meta.region = "全国"
        else:
            meta.region = next(filter(None, map(_province_named, words)), "")
        if meta.region:
            warnings.append(f"region {meta.region} guessed from the file name {path.name}")
    if not meta.region:
        warnings.append("region not found in the text or the file name")
    if meta.target_year is None:
        warnings.append("year not found in the text or the file name")


# --- numbers -------------------------------------------------------------------------------------


def _number(text: str) -> int | None:
    """2023, 二〇二三, 十二, 二十七 → int."""
    if text.isdigit():
        return int(text)
    if all(c in _CN_DIGIT for c in text):
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    digits = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}
    tens, sep, ones = text.partition("十")
    if not sep:
        return None
    if (tens and tens not in digits) or (ones and ones not in digits):
        return None
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def _iso(year: str, month: str, day: str) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"

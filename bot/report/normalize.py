"""Faithful clean-up of a report's text.

Only presentation is changed: character widths, invisible spaces, web-page furniture, line
breaks that cut sentences, and duplicated copies. The words of the report are never rewritten,
so every figure found later can point back into this text.
"""

from __future__ import annotations

import re

# --- characters -------------------------------------------------------------------------------

# Full-width digits and Latin letters and ％ become ASCII; Chinese punctuation stays as it is.
_WIDTH: dict[int, int | None] = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_WIDTH[0xFF05] = ord("%")
# Spaces that are only layout become ordinary spaces; zero-width ones vanish.
for _code in (0x00A0, 0x1680, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B)):
    _WIDTH[_code] = ord(" ")
for _code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
    _WIDTH[_code] = None
_WIDTH[0x2028] = ord("\n")
_WIDTH[0x2029] = ord("\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_FINAL = "。！？!?；;：:…"
_CLOSERS = "”’\"'）)】》」』"

# --- junk lines -------------------------------------------------------------------------------

# Menu items and buttons scraped with the page, matched as whole lines.
_MENU = re.compile(
    r"^(下载|打印|全屏|收藏|分享|关闭|加大|还原|减小|默认|大|中|小|】|【|【?字号[：:]?|"
    r"打印本页|关闭窗口|【打印本页】|【关闭窗口】|返回顶部|扫一扫在手机打开当前页|"
    r"【字号：?\s*(加大|大)?\s*(还原|中)?\s*(减小|小)?\s*】|"
    r"[\[【]?\s*字体[：:]?\s*(大|中|小|\s)*[\]】]?|解读文章|相关解读|图片解读|内容摘要[：:]?|"
    r"\(此文有删减\)|（此文有删减）|标签[：:]?|正文[：:]?|> ?正文|\d+\.\s*>?\s*正文|"
    r"['\"]+|粗体文字|.{0,6}点击图片.{0,12}|首页|主页|返回首页|分享[：:]?|政务信息|.{2,6}要闻)$"
)
_CRUMB = re.compile(
    r"当前位置|您的位置|现在的位置|^\s*(\d+\.\s*)?(首页|主页)\s*[>＞»›]|^\s*[>＞»›]"
)
_COUNTER = re.compile(r"^(阅读|评论|浏览|点击|访问)(次数|量|数)?[：:]\s*\d*$")
_CAPTION = re.compile(
    r"(本报|新华社)?记者\s*[\u4e00-\u9fff·]{2,8}(\s*[\u4e00-\u9fff·]{2,4})?\s*摄[。]?$"
)
_EDITOR = re.compile(r"^[（(\[【]?\s*(责任编辑|责编|编辑|审核|校对)[：:]")
# Everything from one of these lines on is page furniture (or a licence), never the report.
_TAIL = re.compile(
    r"^(分享到|相关报道|相关文章|相关链接|相关新闻|相关阅读|上一篇|下一篇|免责声明|本栏最新|"
    r"本栏推荐|阅读排行|标签云|热点推荐|延伸阅读|扫一扫|本作品是中华人民共和国的|"
    r"[（(\[【]?\s*责任编辑[：:])"
)
_TEASER_END = re.compile(r"(\.{3,}|…+)$")

# --- headings used when splitting one-line files and deciding what may be joined -------------

_CN_NUM = "一二三四五六七八九十"
_HEADING_START = re.compile(
    rf"^([{_CN_NUM}]{{1,3}}、|[（(][{_CN_NUM}]{{1,3}}[）)]|\d{{1,2}}[.．、](?!\d)|—{{2,3}}|"
    rf"〔\d+〕|第[{_CN_NUM}]+[，、部分章节]|附件\s*\d*$|名\s*词\s*解\s*释$)"
)
_KEY_VALUE = re.compile(r"^[\u4e00-\u9fff\s]{2,12}[：:]")
_DATE_LINE = re.compile(r"^[（(]?—*\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年.{0,30}(在|于)")
_OPENERS = "《“（(‘「『"
_CONNECT_END = set("，、的和与及是在对把将为从以了着之《“（(—-")
_CONNECT_START = set("，。、；：）)》”的是和与及了着之%")


def normalize(text: str) -> str:
    """Clean `text` without rewording it; the result has one paragraph per line."""
    entries = _entries(_characters(text))
    entries = _drop_junk(entries)
    lines = _join_broken(entries)
    lines = _drop_category_line(lines)
    lines = _split_long(lines)
    lines = _drop_duplicates(lines)
    return "\n".join(lines) + ("\n" if lines else "")


def _characters(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Scrapers leave escaped line breaks and entities behind as literal text.
    text = text.replace("\\r\\n", "\n").replace("\\n", "\n")
    text = re.sub(r"&nbsp;?", " ", text, flags=re.IGNORECASE)
    text = _drop_teasers(text)
    # ???? runs stand where the page had line breaks or icons.
    text = re.sub(r"[?？]{3,}|\uFFFD{2,}", "\n", text)
    # A line of nothing but zero-width spaces is a hyperlink seam, not a paragraph break.
    text = re.sub(r"\n[\u200b\u200c\u200d\u2060\ufeff]+(?=\n)", "", text)
    text = text.translate(_WIDTH)
    text = _CONTROL.sub("", text.replace("\t", " "))
    text = _close_spaced_digits(text)
    # ． between digits is a decimal point once the digits are half-width.
    text = re.sub(r"(?<=\d)．(?=\d)", ".", text)
    # Old reports group thousands with a full-width comma: 33，212万吨, 1，000万吨.
    text = _CN_THOUSANDS.sub(lambda m: m.group().replace("，", ","), text)
    return re.sub(r" {2,}", " ", text)


_CN_THOUSANDS = re.compile(r"(?<![\d.,，])\d{1,3}(?:，\d{3})+(?![\d，])")
# One digit at a time, spaced apart: 1 9 9 3, 4 ．5, 1 1 % (a converter's full-width layout).
_SPACED_RUN = re.compile(
    r"(?<![\d.．])\d(?:[ ]{1,2}(?:[.．][ ]{0,2})?\d(?!\d))+(?:[ ]{1,2}(?=[%‰]))?"
)
_NUMBER_END = re.compile(r"\d(?![\d.．])")
_SPACE_AFTER_NUMBER = re.compile(r"(?<=\d)[ ]{1,2}(?=[\u4e00-\u9fff%‰])")


def _close_spaced_digits(text: str) -> str:
    """Close up the layout spaces inside numbers written one spaced digit at a time.

    Only whitespace inside a number goes: between its digits, around its decimal point and
    before its % (10 % → 10%). Where the whole text is laid out that way (most numbers are
    followed by a space), the space after a number's last digit (1 9 9 7 年, 5 亿元) is layout
    as well and goes too.
    """
    if " " not in text:
        return text
    text = re.sub(r"(?<=\d)[ ]{1,2}(?=[%‰])", "", text)
    runs = 0

    def close(match: re.Match[str]) -> str:
        nonlocal runs
        runs += 1
        return match.group().replace(" ", "")

    text = _SPACED_RUN.sub(close, text)
    if runs >= 5:
        numbers = len(_NUMBER_END.findall(text))
        spaced = len(_SPACE_AFTER_NUMBER.findall(text))
        if spaced * 2 >= numbers:
            text = _SPACE_AFTER_NUMBER.sub("", text)
    return text


def _drop_teasers(text: str) -> str:
    """A page's summary (政府工作报告????—— 2025年1月14日…的......) repeats the body's opening."""
    lines = text.split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if _TEASER_END.search(stripped):
            probe = re.sub(r"[\s?？]", "", _TEASER_END.sub("", stripped))[-12:]
            rest = re.sub(r"[\s?？]", "", "".join(lines[i + 1 : i + 60]))
            if len(probe) >= 6 and probe in rest:
                continue
        kept.append(line)
    return "\n".join(kept)


class _Line:
    """A non-empty line, and whether a blank line came before it (paragraph-break evidence)."""

    __slots__ = ("gap", "text")

    def __init__(self, text: str, gap: bool) -> None:
        self.text = text
        self.gap = gap


def _entries(text: str) -> list[_Line]:
    entries: list[_Line] = []
    gap = False
    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            entries.append(_Line(line, gap))
            gap = False
        else:
            gap = True
    return entries


# --- junk ---------------------------------------------------------------------------------------


def _body_start(lines: list[str]) -> int:
    """Index of the first line of the speech itself (各位代表 or the first 一、 heading)."""
    for i, line in enumerate(lines):
        if line.startswith("各位代表") or re.match(rf"^[{_CN_NUM}]、", line):
            return i
    return 0


def _drop_junk(entries: list[_Line]) -> list[_Line]:
    lines = [entry.text for entry in entries]
    start = _body_start(lines)
    kept: list[_Line] = []
    gap = False
    for i, entry in enumerate(entries):
        if i > start and _TAIL.match(entry.text):
            break
        if _is_junk(entry.text, lines, i):
            gap = gap or entry.gap
            continue
        kept.append(_Line(entry.text, entry.gap or gap))
        gap = False
    return kept


def _is_junk(line: str, lines: list[str], i: int) -> bool:
    if _MENU.match(line) or _COUNTER.match(line) or _EDITOR.match(line) or _TAIL.match(line):
        return True
    if len(line) < 80 and (_CRUMB.search(line) or _CAPTION.search(line)):
        return True
    if line.isdigit():  # view/comment counts scraped next to their labels
        near = lines[max(0, i - 1) : i + 2]
        return any(_COUNTER.match(other) for other in near) or len(line) <= 2
    return False


def _drop_category_line(lines: list[str]) -> list[str]:
    """A leading section name like 工作报告 above the real title 2021年阜平县政府工作报告."""
    if len(lines) >= 2 and lines[0] != lines[1] and lines[0] in lines[1] and len(lines[0]) <= 8:
        return lines[1:]
    return lines


# --- broken lines -------------------------------------------------------------------------------

_MARKER_ONLY = re.compile(
    rf"[{_CN_NUM}]{{1,3}}、|[（(][{_CN_NUM}]{{1,3}}[）)]|第[{_CN_NUM}]+[，、]|—{{2,3}}"
)


def _is_heading(line: str) -> bool:
    if _HEADING_START.match(line):
        return True
    bare = re.match(rf"^([{_CN_NUM}]{{1,3}})( |$)", line)  # 一 or 一 总任务
    return bare is not None and chinese_number(bare.group(1)) is not None


def _title_only(line: str) -> bool:
    """A heading line with no body after it; body text may continue on the next line."""
    return _is_heading(line) and "。" not in line and not _marker_only(line)


def _marker_only(line: str) -> bool:
    """'一、' on a line of its own, its item text on the next line (wikisource layout)."""
    return bool(_MARKER_ONLY.fullmatch(line))


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(_CLOSERS)
    if stripped and stripped[-1] in _FINAL:
        return True
    # A closing quote can end a complete line (“……”); a closing 》 ends only a name.
    return line[-1] in '”’"'


def _join_broken(entries: list[_Line]) -> list[str]:
    """Rejoin a sentence split across lines (by hyperlinks, bold runs or a narrow page).

    Where paragraphs are separated by blank lines (wikisource, many official sites), adjacent
    lines belong to one paragraph. Elsewhere a line is joined to the next only when it stops
    mid-sentence.
    """
    lines = [entry.text for entry in entries]
    body = _body_start(lines)
    gaps = sum(entry.gap for entry in entries[1:])
    blank_mode = len(entries) > 1 and gaps / (len(entries) - 1) >= 0.5
    out: list[str] = []
    for i, entry in enumerate(entries):
        line = entry.text
        if not out or (blank_mode and entry.gap):
            out.append(line)
        elif (blank_mode and i > body and _same_paragraph(out[-1], line)) or _continues(
            out[-1], line, i > body
        ):
            out[-1] += line
        else:
            out.append(line)
    return out


def _same_paragraph(prev: str, line: str) -> bool:
    if _is_heading(line) or prev.endswith("会议上"):
        return False
    return not _title_only(prev) or prev[-1] in _OPENERS


def _continues(prev: str, line: str, in_body: bool) -> bool:
    # The delivery line is sometimes wrapped: ——2026年1月26日在广东省第十四届 / 人民代表大会…
    if _DATE_LINE.match(prev) and "会议" not in prev and not prev.endswith(("）", ")")):
        return not _is_heading(line) and len(line) < 40
    if len(line) <= 2 and not _ends_sentence(prev) and not _is_heading(line):
        return True  # a title wrapped before its last character: 政府工作报 / 告
    if not in_body or _ends_sentence(prev) or _is_heading(line) or prev.endswith("会议上"):
        return False
    if _title_only(prev) and prev[-1] not in _OPENERS:
        return False
    if _KEY_VALUE.match(line) and len(line) < 40 and not _KEY_VALUE.match(prev):
        return prev[-1] in _CONNECT_END
    if _marker_only(prev) or prev[-1] in _CONNECT_END or line[0] in _CONNECT_START:
        return True
    return len(prev) >= 20


# --- one-line files -----------------------------------------------------------------------------

_INLINE_HEADING = re.compile(
    rf"(?<=[。！？!?])\s*(?=([{_CN_NUM}]{{1,3}})、|[（(]([{_CN_NUM}]{{1,3}})[）)]|各位代表[：:！!，,])"
)


def _split_long(lines: list[str]) -> list[str]:
    """Give headings their own line when a whole report (or a large part) came as one line."""
    out: list[str] = []
    for line in lines:
        if len(line) < 400:
            out.append(line)
            continue
        out.extend(_split_line(line))
    return out


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    last = 0
    expected = {"top": 1, "sub": 1}
    for match in _INLINE_HEADING.finditer(line):
        kind, number = _inline_kind(match)
        if re.match(rf"[{_CN_NUM}]{{1,3}}、[{_CN_NUM}]", line[match.end() :]):
            continue  # 一、二、三产业: an enumeration inside the sentence
        if kind and number is not None:
            # Only the next number in sequence starts a heading; a stray 二、 is an enumeration.
            if number == 1 and kind == "top":
                expected["sub"] = 1
            shaped = kind == "top" or _heading_shape(line, match.end())
            if number not in (1, expected[kind]) or not shaped:
                continue
            expected[kind] = number + 1
            if kind == "top":
                expected["sub"] = 1
        pieces.append(line[last : match.start()])
        last = match.end()
    pieces.append(line[last:])
    return [piece.strip() for piece in pieces if piece.strip()]


def _inline_kind(match: re.Match[str]) -> tuple[str, int | None]:
    if match.group(1):
        return "top", chinese_number(match.group(1))
    if match.group(2):
        return "sub", chinese_number(match.group(2))
    return "", None


def _heading_shape(line: str, at: int) -> bool:
    """A heading's title is short: a full stop or a line's worth of text must come soon."""
    window = line[at : at + 80]
    stop = re.search(r"[。！？]", window)
    return (stop is not None and stop.start() <= 60) or "。" not in line[at : at + 200]


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23; None for anything that is not a number up to 99."""
    digits = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}
    if not text or any(c not in digits and c != "十" for c in text):
        return None
    if text == "十":
        return 10
    if "十" not in text:
        return digits[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


# --- duplicates ---------------------------------------------------------------------------------


def _drop_duplicates(lines: list[str]) -> list[str]:
    """Keep one copy of a report pasted twice, and of any long paragraph repeated verbatim."""
    lines = _drop_repeated_block(lines)
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        key = line.replace(" ", "")
        if len(key) >= 12 and key in seen and not _is_heading(line):
            continue
        seen.add(key)
        kept.append(line)
    return kept


def _drop_repeated_block(lines: list[str]) -> list[str]:
    first: dict[str, int] = {}
    for j, line in enumerate(lines):
        if len(line) < 40:
            continue
        i = first.setdefault(line, j)
        if i == j:
            continue
        # The copy runs as long as it matches the original line by line.
        length = 0
        while j + length < len(lines) and i + length < j and lines[i + length] == lines[j + length]:
            length += 1
        back = 0
        while back < i and lines[i - back - 1] == lines[j - back - 1]:
            back += 1
        if length >= 3:
            return _drop_repeated_block(lines[: j - back] + lines[j + length :])
    return lines

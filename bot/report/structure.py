"""Section tree and passages of a normalized report (one paragraph per line)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.report.model import Passage, Section
from bot.report.normalize import chinese_number

_CN = "一二三四五六七八九十"
_TOP = re.compile(rf"^([{_CN}]{{1,3}})、\s*(.*)$")
_BARE = re.compile(rf"^([{_CN}]{{1,3}})(?:[ ]+(.*))?$")
_SUB = re.compile(rf"^([（(])([{_CN}]{{1,3}})([）)])\s*(.*)$")
_ITEM = re.compile(r"^(\d{1,2})([.．、])(?!\d)\s*(.*)$")
_LEAD = re.compile(r"^(—{2,3})\s*(.*)$")
_ANNEX = re.compile(r"^(附件\s*\d*|名\s*词\s*(?:解\s*释|注\s*释)|注\s*释|注\s*解|附\s*注)[：:]?$")
_DATE_LEAD = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年")
_ENUM_START = re.compile(rf"^[{_CN}]{{1,3}}、")
# 第一，全国动员，大办农业 / 第二、关于工业生产 / 第一部分 ….
_ORDINAL = re.compile(rf"^第([{_CN}]{{1,3}})(部分|[、，,])\s*(.*)$")
_ORDINAL_MAX = 30
# An unnumbered heading: a short standalone line without sentence punctuation (结束语,
# 过去五年的回顾, “十五五”时期的主要目标任务) between two paragraphs.
_PLAIN_MAX = 24
_PLAIN_BAD = re.compile(
    r"[。，；：！？,;:!?…、]|^各位|^[（(—\-]|\d{1,2}月\d{1,2}日|记者|来源|报告$"
)
_SENTENCE_END = '。！？!?；;…”’"）)'
_ANNEX_MARKS = ("附件", "名", "注", "附注")  # how an annex marker starts (_ANNEX)
_CLOSER = re.compile(r"^(结束语|结语|结束语)$")

_TITLE_MAX = 60


@dataclass(slots=True)
class _Heading:
    rank: int  # 0 annex, 1 一、, 2 （一）, 3 1., 4 ——
    number: str  # the marker as written
    value: int | None  # the marker's number, for sequence checks
    title: str
    lead_in: bool  # a —— heading whose paragraph carries its own body
    weak: bool = False  # 一、 followed by a whole sentence: a heading only if it is next in line
    item: bool = False  # 一、…； an enumeration item: never a heading, but it numbers a list


_GLOSSARY = re.compile(r"名\s*词\s*(?:解\s*释|注\s*释)|^注\s*释|术语解释")


def is_glossary(section: Section) -> bool:
    """An annex that explains terms (名词解释, 有关内容名词注释): its numbers describe the terms
    (a park's area, a programme's founding grant), they are not figures the report states."""
    return bool(_GLOSSARY.search(section.number) or _GLOSSARY.search(section.title))


def build(text: str) -> tuple[list[Section], list[Passage]]:
    """Sections from the heading markers and one passage per non-empty line.

    Ranks: 1 for 一、 (and 附件/名词解释 annexes, 第一部分 and unnumbered headings such as
    结束语), 2 for （一）, 3 for 1. and 第一，, 4 for ——. A section's level is its depth: the
    outermost sections are level 1 whatever their marker (a report without 一、 parts has its
    （一） parts at the top), and a child sits at least one level below its parent.
    """
    lines = _lines(text)
    candidates = [_heading(text[start:end]) for start, end in lines]
    _drop_list_runs(candidates)
    _name_annexes(text, lines, candidates)
    sections, passages = _walk(text, lines, candidates)
    plain = _plain_headings(text, lines, candidates, sections)
    if plain:
        for i, heading in plain.items():
            candidates[i] = heading
        sections, passages = _walk(text, lines, candidates)
    _lift_roots(sections)
    return sections, passages


def _walk(
    text: str, lines: list[tuple[int, int]], candidates: list[_Heading | None]
) -> tuple[list[Section], list[Passage]]:
    sections: list[Section] = []
    passages: list[Passage] = []
    stack: list[int] = []  # open sections, outermost first
    last_number: dict[tuple[int | None, int], int] = {}  # (parent, rank) → last number seen
    closes_after: dict[int, int] = {}  # lead-in section → passage index it ends with
    ordinal = [0]  # the last 第N， heading taken
    shadow: list[int] = [0]  # numbering of a 一、二、 list nested in a part, which is no heading
    for (start, end), heading in zip(lines, candidates, strict=True):
        line = text[start:end]
        if heading is not None and not _in_sequence(
            heading, stack, sections, last_number, shadow, ordinal
        ):
            heading = None
        if heading is not None:
            _close(stack, sections, heading, start)
            parent = stack[-1] if stack else None
            level = _level(heading.rank, parent, sections)
            above = sections[parent].path if parent is not None else ()
            path = (*above, heading.title)
            index = len(sections)
            sections.append(
                Section(index, parent, level, heading.number, heading.title, start, len(text), path)
            )
            stack.append(index)
            if heading.value is not None and _style(heading.number) != "第":
                last_number[(parent, heading.rank)] = heading.value
            if heading.lead_in:
                closes_after[index] = len(passages)
        elif line.startswith("各位代表") and stack:
            # An address to the deputies returns to the level of the part it closes.
            _close_rank(stack, sections, 2, start)
        current = stack[-1] if stack else None
        path = sections[current].path if current is not None else ()
        passages.append(Passage(len(passages), line, start, end, current, path))
        if current is not None and closes_after.get(current) == len(passages) - 1:
            sections[current].end = end
            stack.pop()
    return sections, passages


def _lines(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = offset + raw.index(stripped[0])
            spans.append((start, start + len(stripped)))
        offset += len(raw) + 1
    return spans


def _close(stack: list[int], sections: list[Section], heading: _Heading, at: int) -> None:
    """Close the open sections a new heading ends: those of its rank and below.

    A 第一， list sits wherever the report puts it (above or below （一）), so while one is open
    a heading closes back to an open section of its own style, and otherwise stops at it.
    """
    style = _style(heading.number)
    ordinal_open = any(_style(sections[i].number) == "第" for i in stack)
    if style == "第" or ordinal_open:
        for pos in range(len(stack) - 1, -1, -1):
            if _style(sections[stack[pos]].number) == style:
                while len(stack) > pos:
                    sections[stack.pop()].end = at
                return
        while stack and _rank_of(sections[stack[-1]]) >= heading.rank:
            if _style(sections[stack[-1]].number) == "第":
                return
            sections[stack.pop()].end = at
        return
    _close_rank(stack, sections, heading.rank, at)


def _close_rank(stack: list[int], sections: list[Section], rank: int, at: int) -> None:
    """Close every open section at or below `rank`."""
    while stack and _rank_of(sections[stack[-1]]) >= rank:
        sections[stack.pop()].end = at


def _style(number: str) -> str:
    """The kind of marker: 一、 and （一） and 1. and 第一， are different styles."""
    if number.startswith("第"):
        return "第部分" if number.endswith("部分") else "第"
    if number.startswith(("（", "(")):
        return "（"
    if number[:1].isdigit():
        return "1"
    if number.startswith("—"):
        return "—"
    if number.startswith(_ANNEX_MARKS):
        return "附件"
    return "一" if number else ""


def _rank_of(section: Section) -> int:
    if section.number.startswith(_ANNEX_MARKS):
        return 0
    if section.number.startswith(("（", "(")):
        return 2
    if section.number[:1].isdigit():
        return 3
    if section.number.startswith("第"):
        return 1 if section.number.endswith("部分") else 3
    if section.number.startswith("—"):
        return 4
    return 1


def _level(rank: int, parent: int | None, sections: list[Section]) -> int:
    level = max(rank, 1)
    if parent is not None:
        level = max(level, sections[parent].level + 1)
    return level


def _name_annexes(
    text: str, lines: list[tuple[int, int]], candidates: list[_Heading | None]
) -> None:
    """附件1 is usually followed by its real title on the next line (2026年省十件民生实事)."""
    for i, heading in enumerate(candidates[:-1]):
        if heading is None or heading.rank != 0:
            continue
        following_heading = candidates[i + 1]
        if following_heading is not None:
            if following_heading.rank == 0 and heading.number.startswith("附件"):
                heading.title = following_heading.title  # 附件2 / 名词解释 is one annex
                candidates[i + 1] = None
            continue
        start, end = lines[i + 1]
        following = text[start:end]
        if len(following) <= 30 and not re.search(r"[。：:；]", following):
            heading.title = following


def _drop_list_runs(candidates: list[_Heading | None]) -> None:
    """Consecutive 一、 lines with no text between them are an enumeration, not parts."""
    i = 0
    while i < len(candidates):
        j = i
        while j < len(candidates) and _is_top(candidates[j]):
            j += 1
        if j - i >= 2:
            for k in range(i, j):
                heading = candidates[k]
                if heading is not None:  # always: _is_top is False for None
                    heading.item = True
        i = max(j, i + 1)


def _is_top(heading: _Heading | None) -> bool:
    # Parts whose first paragraph shares their line (one-line files) are not list items.
    return heading is not None and heading.rank == 1 and not heading.weak


def _in_sequence(
    heading: _Heading,
    stack: list[int],
    sections: list[Section],
    last_number: dict[tuple[int | None, int], int],
    shadow: list[int],
    ordinal: list[int],
) -> bool:
    """A numbered heading must be 1 or follow the previous number; otherwise it is a list item."""
    if heading.value is None:
        return True
    if _style(heading.number) == "第":
        if heading.value in (1, ordinal[0] + 1):
            ordinal[0] = heading.value
            return True
        return False
    if heading.rank == 1:
        return _top_in_sequence(heading, stack, sections, last_number, shadow)
    # The parent it would get once deeper or equal sections are closed.
    parent = None
    for index in reversed(stack):
        if _rank_of(sections[index]) < heading.rank:
            parent = index
            break
    previous = last_number.get((parent, heading.rank))
    if heading.value == 1:
        return True
    if previous is not None and heading.value == previous + 1:
        return True
    # Some reports number （一）… straight through several parts.
    siblings = [n for (_, rank), n in last_number.items() if rank == heading.rank]
    return bool(siblings) and heading.value == max(siblings) + 1


def _top_in_sequence(
    heading: _Heading,
    stack: list[int],
    sections: list[Section],
    last_number: dict[tuple[int | None, int], int],
    shadow: list[int],
) -> bool:
    value = heading.value or 0
    if heading.item:
        if value == 1 or value == shadow[0] + 1:
            shadow[0] = value
        return False
    in_annex = bool(stack) and _rank_of(sections[stack[0]]) == 0
    previous = last_number.get((stack[0] if in_annex else None, 1))
    if previous is None or (in_annex and value == 1):
        shadow[0] = 0
        return value == 1 or (previous is None and not sections and not heading.weak)
    # 一、 again inside part 二 starts a nested list; its items continue that list.
    if value == 1 or (shadow[0] and value == shadow[0] + 1):
        shadow[0] = value
        return False
    return value == previous + 1


def _heading(line: str) -> _Heading | None:
    match = _ANNEX.match(line)
    if match:
        return _Heading(0, match.group(1), None, re.sub(r"\s", "", line), False)
    match = _TOP.match(line)
    if match:
        return _top(match.group(1), match.group(2), f"{match.group(1)}、")
    match = _BARE.match(line)
    if match and chinese_number(match.group(1)) is not None:
        return _top(match.group(1), match.group(2) or "", match.group(1))
    match = _SUB.match(line)
    if match:
        value = chinese_number(match.group(2))
        title = _first_sentence(match.group(4))
        if value is None or title is None:
            return None
        number = match.group(1) + match.group(2) + match.group(3)
        return _Heading(2, number, value, title, False)
    match = _ITEM.match(line)
    if match:
        title = _first_sentence(match.group(3), stops="。：:")
        if title is None or not title or title[0] in "%‰万亿千百":
            return None
        return _Heading(3, match.group(1) + match.group(2), int(match.group(1)), title, False)
    match = _LEAD.match(line)
    if match:
        return _lead(match.group(1), match.group(2))
    match = _ORDINAL.match(line)
    if match:
        return _ordinal(match.group(1), match.group(2), match.group(3))
    return None


def _ordinal(numeral: str, mark: str, rest: str) -> _Heading | None:
    """第一，基本建设规模的大小问题。 on a line of its own; a long 第一，… paragraph is a list."""
    value = chinese_number(numeral)
    title = rest.strip().removesuffix("。")
    if value is None or not title or len(title) > _ORDINAL_MAX or re.search(r"[。；;：:]", title):
        return None
    number = f"第{numeral}{mark}"
    return _Heading(1 if mark == "部分" else 3, number, value, title, False)


def _plain_headings(
    text: str,
    lines: list[tuple[int, int]],
    candidates: list[_Heading | None],
    sections: list[Section],
) -> dict[int, _Heading]:
    """Unnumbered headings, taken only where they cannot be a list or a subheading.

    A report with 一、 parts gets only its 结束语. Elsewhere a short standalone line counts when
    it does not sit between two sibling sections of one numbered series (there it is a subheading of
    the first of them).
    """
    body = next((i for i, (a, b) in enumerate(lines) if text[a:b].startswith("各位代表")), 0)
    has_top = any(s.level == 1 for s in sections)
    roots = [s for s in sections if s.parent is None]
    found: dict[int, _Heading] = {}
    for i in range(max(body, 1), len(lines) - 1):
        if candidates[i] is not None:
            continue
        line = text[lines[i][0] : lines[i][1]]
        if not 2 <= len(line) <= _PLAIN_MAX or _PLAIN_BAD.search(line):
            continue
        previous = text[lines[i - 1][0] : lines[i - 1][1]]
        following = text[lines[i + 1][0] : lines[i + 1][1]]
        if previous[-1] not in _SENTENCE_END and candidates[i - 1] is None:
            continue
        if len(following) < 20 and following[-1] not in _SENTENCE_END:
            continue
        if has_top and not _CLOSER.match(line):
            continue
        start = lines[i][0]
        before = [s for s in roots if s.start < start]
        after = [s for s in roots if s.start > start]
        if before and after and _style(before[-1].number) == _style(after[0].number):
            continue
        found[i] = _Heading(1, "", None, line, False)
    return found


def _lift_roots(sections: list[Section]) -> None:
    """Outermost sections are level 1: （一） parts of a report without 一、 move up, children too.

    ——这五年… lead-ins ahead of the 一、 parts stay where they are: they belong to an opening
    that has no heading, so they are lifted only in a report with no other top level.
    """
    roots = [s for s in sections if s.parent is None]
    leads_too = all(s.number.startswith("—") for s in roots if s.level > 1) and not any(
        s.level == 1 for s in roots
    )
    shift_of: dict[int, int] = {}
    for s in sections:  # parents come before their children
        if s.parent is None:
            shift = s.level - 1 if leads_too or not s.number.startswith("—") else 0
        else:
            shift = shift_of[s.parent]
        shift_of[s.index] = shift
        s.level -= shift


def _top(numeral: str, rest: str, number: str) -> _Heading | None:
    value = chinese_number(numeral)
    # 一、二、三产业… is an enumeration; a long sentence after the marker is a list item.
    if value is None or _ENUM_START.match(rest) or rest[:1] in "、，":
        return None
    body = rest.rstrip("。")
    if not body:
        return None
    if body.endswith(("；", ";", "：", ":")):
        return _Heading(1, number, value, body[:30], False, item=True)
    if "。" in body or len(body) > _TITLE_MAX:
        # Either a list item or a heading run into its first paragraph by the source.
        title = re.split(r"[，。；,;]", body, maxsplit=1)[0][:30]
        ending = re.search(
            r"^.{4,}?(回顾|取向|任务|安排|目标|要求|建设|总结|开放|方针|局面)", title
        )
        title = ending.group(0) if ending else title
        return _Heading(1, number, value, title, False, weak=True)
    return _Heading(1, number, value, body, False)


def _lead(marker: str, rest: str) -> _Heading | None:
    """——农牧产业持续增效。… (a lead-in paragraph) or ——经济稳中有进、发展质效向好 (subheading)."""
    if not rest or _DATE_LEAD.match(rest) or "会议上" in rest[:60]:
        return None
    head, stop, body = rest.partition("。")
    if not stop:
        return _Heading(4, marker, None, rest, False) if len(rest) <= 40 else None
    if len(head) > 40:
        return None
    return _Heading(4, marker, None, head, bool(body.strip()))


def _first_sentence(rest: str, stops: str = "。") -> str | None:
    """The heading part of 'heading。body…', kept short; None when there is no text."""
    if not rest:
        return None
    cut = min((i for i in (rest.find(ch) for ch in stops) if i >= 0), default=len(rest))
    title = rest[:cut].strip()
    if len(title) > _TITLE_MAX:
        # A very long first sentence: its first clause is the heading.
        clause = re.split(r"[，；,;]", title, maxsplit=1)[0]
        title = clause if len(clause) <= _TITLE_MAX else clause[:_TITLE_MAX]
    return title or None

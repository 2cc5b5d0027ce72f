"""Is a parsed file a government work report (政府工作报告)? Pure: a Report in, a Genre out.

The parser reads any Chinese prose and finds figures in most of it, so without this check a
novel, a news story or a 统计公报 would be loaded and its sentences shown as a report's targets.
A work report presents itself as one and is built like one; the rules below ask for both.

Rules, in order (the first that fails gives the reason):

1. **Chinese text**: at least 50% of the characters are CJK ideographs.
2. **Length**: at least 2,000 characters of text.
3. **Not another genre by its title**: the title lines (first lines of the text) do not end in
   统计公报, 通知/通告/公告, 讲话/致辞, and the address line is not 同志们 without 各位代表.
4. **Figure density** (figures the parser extracts per 1,000 characters) is at most 40: denser
   text is a statistical bulletin or a table, which gives results but no targets.
5. **Self-presentation**: a title line naming a 政府工作报告 (with the year or place before it,
   e.g. 2026年北京市政府工作报告, 1964年…政府工作报告（摘要）), or an address line 各位代表：.
6. **Score** of at least 5 points, from:
   title line 3 · 各位代表 address 3 · delivery formula (报告政府工作, 请予审议, 向大会报告,
   政协委员提出意见) 1 each, at most 2 · top-level headings with review/plan vocabulary
   (回顾 / 目标·总体要求 / 任务·工作安排 / 自身建设) 1 each, at most 3 · figure density in
   0.5–40 per 1,000 characters 1 · policy verbs (推进, 加强, 深化, 落实…) at least 6 per 1,000
   characters 1.

Measured (`tests/test_genre.py` recomputes all of it) on the 83 real reports (`seeds/`,
`tests/data/reports`, `tests/data/corpus`) and the 12 texts of `tests/data/nonreports/`:

| measure | real reports (min … max) | non-reports | bound |
|---|---|---|---|
| CJK share | 0.74 (national 1956) … 0.92 | lorem, English, table ≤ 0.13; others ≥ 0.62 | ≥ 0.50 |
| characters | 5,236 (national 1975) … 56,244 | 779–4,620 | ≥ 2,000 |
| figures per 1,000 characters | 0.85 (national 1984) … 24.7 (1956) | 统计公报 59.4 | ≤ 40 |
| score | 6 (national 1964, an abstract) … 13; 81 of 83 ≥ 8 | 4 at most (the speech) | ≥ 5 |

So every real report clears the score bar by at least 1 point and every non-report misses it
by at least 1, and each non-report is refused by the score alone (tested with the other rules
off); rules 1–5 add margin: all 12 are refused by at least two rules. The statistical bulletin
is refused on purpose: it has no targets, is not delivered to a congress, and the bot would
present its numbers as a report's targets and results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.report.model import ParseError, Report

MIN_CJK_SHARE = 0.5
MIN_CHARS = 2000
MAX_FIGURE_DENSITY = 40.0  # per 1,000 characters
MIN_FIGURE_DENSITY = 0.5
MIN_SCORE = 5
MIN_POLICY_DENSITY = 6.0  # policy verbs (推进, 加强, 深化…) per 1,000 characters
HEAD_LINES = 12  # where a title and a delivery line are looked for

# A title naming the report: something (year, place) before 政府工作报告, then at most a note
# such as （摘要）/（全文）/——… A bare 政府工作报告 is an encyclopedia's headword.
_TITLE = re.compile(r"^.{2,40}?政府工作报告\s*(?:[（(][^）)]{1,10}[）)])?\s*(?:[—-]{1,2}.*)?$")
_ADDRESS = re.compile(r"(?m)^\s*各位代表\s*[：:！!，,]")
_COMRADES = re.compile(r"(?m)^\s*同志们\s*[：:！!，,]")
_FORMULAS = ("报告政府工作", "请予审议", "向大会报告", "政协委员提出意见")
_OTHER_GENRES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"统计公报$"), "统计公报"),
    (re.compile(r"(?:通知|通告|公告)$"), "通知"),
    (re.compile(r"(?:讲话|致辞|发言)$"), "讲话"),
)
# Top-level headings of a work report: the review, the year's targets, the tasks, the
# government's own conduct.
_HEADING_WORDS: tuple[tuple[str, ...], ...] = (
    ("回顾", "过去一年", "过去五年"),
    ("目标", "总体要求", "预期"),
    ("任务", "工作安排", "重点工作", "主要工作"),
    ("自身建设",),
)
# The verbs a government uses to say what it will do; fiction has almost none of them.
_POLICY_WORDS = (
    "推进", "加快", "加强", "完善", "深化", "坚持", "实施", "建设", "发展", "改革", "提高",
    "推动", "促进", "健全", "落实", "扩大", "巩固", "保障",
)  # fmt: skip
_GENRE_NAMES = {"统计公报": "统计公报", "通知": "通知或公告", "讲话": "讲话稿"}


class NotAReport(ParseError):
    """A file that parses but is not a government work report; `reason` says why."""


@dataclass(slots=True)
class Genre:
    ok: bool
    reason: str  # why not, in Chinese for the admin: the first rule that failed; "" when ok
    score: int
    evidence: list[str] = field(default_factory=list)  # what counted, e.g. "title", "address"
    failed: list[str] = field(default_factory=list)  # every rule that failed, in order
    cjk_share: float = 0.0
    chars: int = 0
    figure_density: float = 0.0  # figures per 1,000 characters


def judge(report: Report, *, min_chars: int = MIN_CHARS) -> Genre:
    """Whether `report` looks like a work report; `min_chars=0` judges by content alone."""
    text = report.text
    chars = len(text)
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") / chars if chars else 0.0
    density = 1000 * len(report.figures) / chars if chars else 0.0
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    head = lines[:HEAD_LINES]
    score, evidence = _score(report, head, density)
    other = _other_genre(head, text)
    rules: list[tuple[str, bool, str]] = [
        ("chinese", cjk >= MIN_CJK_SHARE,
         f"几乎没有中文（汉字只占{cjk:.0%}），不像中文的政府工作报告"),
        ("genre", other is None,
         f"看起来是{_GENRE_NAMES.get(other or '', '')}，不是政府工作报告"),
        ("density", density <= MAX_FIGURE_DENSITY,
         f"数字过于密集（每千字{density:.0f}个），像统计公报或数据表，不是政府工作报告"),
        ("presents", "title" in evidence or "address" in evidence,
         "没有“…政府工作报告”标题，也没有“各位代表：”称呼"),
        ("length", chars >= min_chars,
         f"正文只有{chars}字，太短，不像一份政府工作报告（至少{min_chars}字）"),
        ("score", score >= MIN_SCORE,
         f"不像政府工作报告（得分{score}，至少{MIN_SCORE}）：{_missing(evidence)}"),
    ]  # fmt: skip
    failed = [(name, why) for name, passed, why in rules if not passed]
    return Genre(
        ok=not failed,
        reason=failed[0][1] if failed else "",
        score=score,
        evidence=evidence,
        failed=[name for name, _ in failed],
        cjk_share=round(cjk, 3),
        chars=chars,
        figure_density=round(density, 2),
    )


def check(report: Report) -> Genre:
    """judge(), raising NotAReport (a ParseError) when it is not one."""
    genre = judge(report)
    if not genre.ok:
        raise NotAReport(report.source, genre.reason)
    return genre


def _score(report: Report, head: list[str], density: float) -> tuple[int, list[str]]:
    score, evidence = 0, []
    if any(_TITLE.match(line) for line in head):
        score += 3
        evidence.append("title")
    if _ADDRESS.search(report.text):
        score += 3
        evidence.append("address")
    formulas = sum(1 for f in _FORMULAS if f in report.text)
    if formulas:
        score += min(formulas, 2)
        evidence.append(f"formula×{formulas}")
    top = " ".join(s.title for s in report.sections if s.level == 1)
    found = sum(1 for words in _HEADING_WORDS if any(w in top for w in words))
    if found:
        score += min(found, 3)
        evidence.append(f"headings×{found}")
    if MIN_FIGURE_DENSITY <= density <= MAX_FIGURE_DENSITY:
        score += 1
        evidence.append("figures")
    text = report.text
    policy = 1000 * sum(text.count(w) for w in _POLICY_WORDS) / len(text) if text else 0.0
    if policy >= MIN_POLICY_DENSITY:
        score += 1
        evidence.append("policy")
    return score, evidence


def _other_genre(head: list[str], text: str) -> str | None:
    for line in head[:3]:  # the title and, on a page, a line or two of furniture before it
        for pattern, name in _OTHER_GENRES:
            if pattern.search(line):
                return name
    if _COMRADES.search(text) and not _ADDRESS.search(text):
        return "讲话"
    return None


def _missing(evidence: list[str]) -> str:
    lacks = []
    if "title" not in evidence:
        lacks.append("没有报告标题")
    if "address" not in evidence:
        lacks.append("没有“各位代表”称呼")
    if not any(e.startswith("headings") for e in evidence):
        lacks.append("没有回顾、目标、任务等章节")
    if "figures" not in evidence:
        lacks.append("几乎没有数字")
    return "，".join(lacks) or "特征不足"

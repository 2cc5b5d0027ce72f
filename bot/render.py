"""Answer → text for the console (plain) and for Telegram (HTML). Pure: no I/O, no telegram import.

Every function here builds its output from plain-text pieces and escapes each piece as it is
placed, so a cut never falls inside a tag or an entity such as ``&amp;``. Lengths are measured
in UTF-16 code units of the *raw* output, tags included: that is stricter than Telegram's own
count (which ignores tags), so anything that passes here passes there, and ``len(text)`` (code
points) is never larger than the measured width.
"""

from __future__ import annotations

import html as _html
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.answer import Answer, Excerpt, FigureHit, ReportRef

TELEGRAM_LIMIT = 4096  # characters per message
MIN_BUDGET = 200  # below this an answer cannot hold a header, one item and a source line
ELLIPSIS = "…"
PLAIN_BOLD = ("【", "】")  # how matched words stand out without markup
HTML_BOLD = ("<b>", "</b>")
EXCERPTS_PER_PAGE = 2  # "one or two excerpts": more would crowd out the figures on a phone
KIND_ORDER = ("target", "actual", "other")
SECTION_SEP = " > "  # Figure.section joins the path with this


@dataclass(slots=True, frozen=True)
class Page:
    text: str
    has_more: bool
    page: int


# ── measuring and fitting ────────────────────────────────────────────────────────────────────


def width(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts in (an emoji counts twice)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _esc(text: str, html: bool) -> str:
    return _html.escape(text, quote=False) if html else text


def _bold_tags(html: bool) -> tuple[str, str]:
    return HTML_BOLD if html else PLAIN_BOLD


def _wrap(text: str, tag: str, html: bool) -> str:
    """Escape `text` and wrap it in `tag` (HTML) or leave it bare (plain)."""
    if not text:
        return ""
    return f"<{tag}>{_esc(text, True)}</{tag}>" if html else text


def _clip(text: str, n: int) -> str:
    """Shorten plain text to at most n characters, marking the cut with an ellipsis."""
    text = " ".join(text.split())  # line breaks inside a label would break the layout
    return text if len(text) <= n else text[: max(n - 1, 0)] + ELLIPSIS


Spans = list[tuple[str, bool]]  # (plain text, bold?)


def _fit_spans(spans: Spans, limit: int, html: bool, *, cut_after: bool = False) -> str:
    """Render spans in at most `limit` width, ending with … when anything was left out.

    `cut_after` says the spans are already a slice of a longer text, so … is due in any case.
    Bold runs are opened only when there is room to close them again.
    """
    opener, closer = _bold_tags(html)
    full = "".join((opener + _esc(t, html) + closer) if b else _esc(t, html) for t, b in spans)
    if not cut_after and width(full) <= limit:
        return full
    room = limit - width(ELLIPSIS)
    if room < 0:
        return ""
    out: list[str] = []
    used = 0
    for text, bold in spans:
        overhead = width(opener) + width(closer) if bold else 0
        piece: list[str] = []
        for ch in text:
            cost = width(_esc(ch, html))
            if used + overhead + cost > room:
                break
            piece.append(_esc(ch, html))
            used += cost
        if piece:
            out.append(opener + "".join(piece) + closer if bold else "".join(piece))
            used += overhead
        if len(piece) < len(text):
            return "".join(out) + ELLIPSIS
    return "".join(out) + ELLIPSIS


def _fit(text: str, limit: int, html: bool) -> str:
    """Escape plain text and fit it in `limit` width."""
    return _fit_spans([(text, False)], limit, html)


def _normal_marks(marks: Iterable[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Sorted, merged spans clipped to the text: search may hand over overlaps or strays."""
    spans = sorted((max(0, a), min(size, b)) for a, b in marks if b > a)
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _marked_spans(text: str, marks: Iterable[tuple[int, int]], start: int, end: int) -> Spans:
    """text[start:end] as spans, with the marked parts bold."""
    spans: Spans = []
    pos = start
    for a, b in _normal_marks(marks, len(text)):
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        if a > pos:
            spans.append((text[pos:a], False))
        spans.append((text[a:b], True))
        pos = b
    if pos < end:
        spans.append((text[pos:end], False))
    return spans


# ── excerpts and passages ────────────────────────────────────────────────────────────────────


def render_excerpt(ex: Excerpt, *, html: bool = False, limit: int = 300) -> str:
    """The excerpt around its first matched word, matched words bold, at most `limit` wide.

    Passages can run to thousands of characters with the match near the end, so the window
    starts a little before the first mark instead of at the start of the text.
    """
    text = ex.text.replace("\n", " ")  # same length, so the marks stay valid
    marks = _normal_marks(ex.marks, len(text))
    start = max(0, marks[0][0] - limit // 4) if marks else 0
    # Each character costs at least one unit, so `limit` characters are always enough.
    end = min(len(text), start + limit)
    spans = _marked_spans(text, marks, start, end)
    if start > 0:
        spans.insert(0, (ELLIPSIS, False))
    return _fit_spans(spans, limit, html, cut_after=end < len(text))


def _source_line(ref: ReportRef, section: str, html: bool, limit: int) -> str:
    """📄 《title》 · section path, fitted to `limit`."""
    prefix = "📄 "
    title = f"《{_clip(ref.title or ref.id, 60)}》"
    head = prefix + _wrap(title, "b", html)
    if width(head) > limit:
        return _fit(prefix + title, limit, html)
    if not section:
        return head
    rest = limit - width(head) - width(" · ")
    return head + " · " + _fit(section, rest, html) if rest > 4 else head


def render_passage(ex: Excerpt, *, html: bool = False, budget: int = 3500) -> str:
    """The [原文] view: report title, section path, then the whole passage with matches bold."""
    budget = min(budget, TELEGRAM_LIMIT)
    head = _source_line(ex.report, ex.section, html, min(budget // 3, 300))
    room = budget - width(head) - width("\n\n")
    if room <= width(ELLIPSIS):
        return _fit(ex.text, budget, html)
    text = ex.text
    # The passage is cut at `room` characters first: no need to walk a huge text char by char.
    end = min(len(text), room)
    body = _fit_spans(_marked_spans(text, ex.marks, 0, end), room, html, cut_after=end < len(text))
    return f"{head}\n\n{body}"


# ── figures ──────────────────────────────────────────────────────────────────────────────────


def _kind_label(kind: str, year: int | None) -> str:
    if kind == "target":
        return f"🎯 {year}年目标" if year else "🎯 目标"
    if kind == "actual":
        return f"✅ {year}年完成" if year else "✅ 完成"
    return "📌 其他"


def _value_text(hit: FigureHit) -> str:
    """value（qualifier）, leaving out the parts of the qualifier the value already spells out:
    700人以上 with 以上 stays 700人以上; 4%左右 with 增长…左右 becomes 4%左右（增长）."""
    fig = hit.figure
    value = _clip(fig.value, 30)
    parts = [p.strip() for p in fig.qualifier.split("…")]
    rest = [p for p in parts if p and p not in fig.value]
    if rest:
        value += f"（{_clip('…'.join(rest), 12)}）"
    return value


def _short_section(section: str) -> str:
    """The innermost heading: the whole path is in the source line, a figure gets a hint."""
    leaf = section.split(SECTION_SEP)[-1].strip() if section else ""
    return _clip(leaf, 16)


def _report_tag(ref: ReportRef) -> str:
    """乌恰县 2023: tells reports apart in answers across all reports."""
    region = ref.region or ref.title or ref.id
    return _clip(f"{region} {ref.year}" if ref.year else region, 16)


def _figure_note(hit: FigureHit, scoped: bool) -> str:
    """〔report · innermost section〕: where a figure comes from, in a few characters."""
    parts = [] if scoped else [_report_tag(hit.report)]
    if leaf := _short_section(hit.figure.section):
        parts.append(leaf)
    return f"〔{' · '.join(parts)}〕" if parts else ""


def _figure_line(hit: FigureHit, html: bool, note: str) -> str:
    """• indicator — value（qualifier） 〔note〕"""
    indicator = _clip(hit.figure.indicator or "（未名指标）", 30)
    main = f"• {_esc(indicator, html)} — {_wrap(_value_text(hit), 'b', html)}"
    return f"{main} {_wrap(note, 'i', html)}" if note else main


def render_figure(hit: FigureHit, *, html: bool = False) -> str:
    """One figure as a self-contained card, for inline results: what, how much, where from."""
    fig = hit.figure
    label = _kind_label(fig.kind, fig.year)
    indicator = _clip(fig.indicator or "（未名指标）", 40)
    first = f"{_esc(indicator, html)} — {_wrap(_value_text(hit), 'b', html)}"
    second = _esc(f"{label} · {_clip(hit.report.title or hit.report.id, 40)}", html)
    lines = [first, second]
    if fig.section:
        lines.append(_wrap(_clip(fig.section, 60), "i", html))
    if fig.text:
        lines.append(_esc(f"「{_clip(fig.text, 120)}」", html))
    return "\n".join(lines)


# ── answers ──────────────────────────────────────────────────────────────────────────────────


def _ordered_figures(hits: Sequence[FigureHit]) -> list[FigureHit]:
    """Targets, then actuals, then the rest; by year within a kind, search order within a year.

    Years keep the order in which they first appear, so the best-ranked year leads.
    """
    out: list[FigureHit] = []
    for kind in KIND_ORDER:
        same = [h for h in hits if _kind_of(h) == kind]
        years = list(dict.fromkeys(h.figure.year for h in same))
        for year in years:
            out.extend(h for h in same if h.figure.year == year)
    return out


def _kind_of(hit: FigureHit) -> str:
    return hit.figure.kind if hit.figure.kind in KIND_ORDER else "other"


def _header(answer: Answer, page: int, html: bool, limit: int) -> str:
    """🔎 query · report（第k页）; the query is bold in HTML only, 【】 would read as a match."""
    scope = _clip(answer.report.title or answer.report.id, 40) if answer.report else "全部报告"
    tail = f" · {scope}" + (f"（第{page + 1}页）" if page else "")
    spans: Spans = [("🔎 ", False), (_clip(answer.query, 40), html), (tail, False)]
    return _fit_spans(spans, limit, html)


@dataclass(slots=True)
class _Cursor:
    figure: int = 0
    excerpt: int = 0


@dataclass(slots=True)
class _Layout:
    """What one page needs to know besides the items: fixed while paging."""

    html: bool
    budget: int
    scoped: bool
    figures: list[FigureHit]
    excerpts: list[Excerpt]
    default_ref: ReportRef | None


def _footer_for(lay: _Layout, figs: list[FigureHit], exs: list[Excerpt], limit: int) -> str:
    """The page's source: the report and section of its first excerpt, else its first figure."""
    if exs:
        ref, section = exs[0].report, exs[0].section
    elif figs:
        ref, section = figs[0].report, figs[0].figure.section
    elif lay.default_ref is not None:
        ref, section = lay.default_ref, ""
    else:
        return ""
    return _source_line(ref, section, lay.html, limit)


def _excerpt_block(ex: Excerpt, lay: _Layout, limit: int, show_section: bool) -> str:
    """📝 excerpt, plus its section when the source line will not name it."""
    body = "📝 " + render_excerpt(ex, html=lay.html, limit=limit - width("📝 "))
    if not show_section or not ex.section:
        return body
    note = "〔" + _clip(ex.section, 40) + "〕"
    return f"{body}\n{_wrap(note, 'i', lay.html)}"


def _compose(lay: _Layout, cur: _Cursor, page: int, answer: Answer) -> tuple[str, _Cursor]:
    """Fill one page from the cursor; returns the text and the cursor for the next page."""
    header = _header(answer, page, lay.html, lay.budget // 4)
    footer_max = min(220, lay.budget // 5)
    avail = lay.budget - width(header) - footer_max - 2 * width("\n\n")
    excerpts_left = cur.excerpt < len(lay.excerpts)
    # One excerpt keeps its place on every page, so a long list of figures cannot push it away.
    ex_limit = max(80, min(300, avail // 3))
    reserve = ex_limit + 50 if excerpts_left else 0

    lines: list[str] = []
    figs: list[FigureHit] = []
    used = 0
    group: tuple[str, int | None] | None = None
    last_note = ""
    i = cur.figure
    while i < len(lay.figures):
        hit = lay.figures[i]
        key = (_kind_of(hit), hit.figure.year)
        new = [] if key == group else [_esc(_kind_label(*key), lay.html)]
        # A run of figures from one section names it once, on its first line of the group.
        note = _figure_note(hit, lay.scoped)
        shown = "" if note == last_note and key == group else note
        add = [*new, _figure_line(hit, lay.html, shown)]
        cost = sum(width(x) + 1 for x in add)
        if not figs and used + cost > avail:
            # A freak line (a huge indicator full of &) still has to move the pages on.
            room = avail - sum(width(x) + 1 for x in new) - 1
            add = [*new, _fit(_figure_line(hit, False, shown), room, lay.html)]
            cost = sum(width(x) + 1 for x in add)
        elif used + cost > avail - reserve and figs:
            break
        lines.extend(add)
        figs.append(hit)
        used += cost
        group, last_note = key, note
        i += 1

    exs: list[Excerpt] = []
    blocks: list[str] = []
    j = cur.excerpt
    while j < len(lay.excerpts) and len(exs) < EXCERPTS_PER_PAGE:
        room = avail - used - 2
        if room < (150 if exs else 80) and (figs or exs):
            break  # a stump of an excerpt helps nobody; it leads the next page instead
        ex = lay.excerpts[j]
        block = _excerpt_block(ex, lay, max(30, min(ex_limit, room - 50)), show_section=bool(exs))
        if width(block) + 2 > avail - used:
            block = _excerpt_block(ex, lay, max(room - 2, 10), show_section=False)
        exs.append(ex)
        blocks.append(block)
        used += width(block) + 2
        j += 1

    body = "\n".join(lines)
    if blocks:
        body = (body + "\n\n" if body else "") + "\n\n".join(blocks)
    footer = _footer_for(lay, figs, exs, footer_max)
    text = "\n\n".join(p for p in (header, body, footer) if p)
    return text, _Cursor(i, j)


# Where each page of an answer starts, per answer and layout: page k starts where page k-1
# ended, so without these, drawing page k would compose the k pages before it again. Held by
# the answer's id with a weak reference (answers compare by value, so they cannot be dict keys):
# the cursors go when the answer does (the bot keeps answers as long as their buttons work).
_PageStarts = dict[tuple[bool, int, int, int], list[_Cursor]]
_page_starts: dict[int, tuple[weakref.ref[Answer], _PageStarts]] = {}


def _starts_of(answer: Answer) -> _PageStarts:
    key = id(answer)
    entry = _page_starts.get(key)
    if entry is None or entry[0]() is not answer:
        ref = weakref.ref(answer, lambda _ref: _page_starts.pop(key, None))
        entry = _page_starts[key] = (ref, {})
    return entry[1]


def render_answer(answer: Answer, *, html: bool = False, page: int = 0, budget: int = 1500) -> Page:
    """Page `page` (from 0) of an answer, at most `budget` wide (never over Telegram's 4096).

    Pages are cut greedily from the first one, so page k is the same every time it is asked
    for: the bot needs only (answer, k) to redraw it, no stored offsets. The start of every
    page composed so far is remembered with the answer, so turning to the next or previous page
    composes one page, whatever its number; only a first jump straight to page k composes the
    pages before it (once).
    """
    budget = min(budget, TELEGRAM_LIMIT)
    if budget < MIN_BUDGET:
        raise ValueError(f"budget {budget} is below the minimum of {MIN_BUDGET}")
    if answer.table is not None and answer.table.rows:
        from bot.render_table import MIN_TABLE_BUDGET, render_table

        return render_table(answer.table, html=html, page=page,
                            budget=max(budget, MIN_TABLE_BUDGET))  # fmt: skip
    if answer.empty:
        return Page(_fit_text_block(render_empty(answer, html=html), budget, html), False, 0)
    lay = _Layout(
        html=html,
        budget=budget,
        scoped=answer.report is not None,
        figures=_ordered_figures(answer.figures),
        excerpts=list(answer.excerpts),
        default_ref=answer.report,
    )
    # The item counts are part of the key: an answer changed after rendering starts afresh.
    key = (html, budget, len(answer.figures), len(answer.excerpts))
    starts = _starts_of(answer).setdefault(key, [_Cursor()])
    first = min(page, len(starts) - 1)
    cur = starts[first]
    for k in range(first, page + 1):
        if k > 0 and _done(lay, cur):
            # A stale [更多] button: say so instead of failing or repeating the last page.
            note = _header(answer, k, html, budget // 2) + "\n\n" + _esc("没有更多结果了。", html)
            return Page(note, False, page)
        text, cur = _compose(lay, cur, k, answer)
        if k + 1 == len(starts):
            starts.append(cur)
    return Page(text, not _done(lay, cur), page)


def _done(lay: _Layout, cur: _Cursor) -> bool:
    return cur.figure >= len(lay.figures) and cur.excerpt >= len(lay.excerpts)


def _fit_text_block(text: str, budget: int, html: bool) -> str:
    """Keep whole lines of an already rendered text while they fit (safe for HTML: tags
    never span lines here)."""
    if width(text) <= budget:
        return text
    kept: list[str] = []
    used = width(ELLIPSIS)
    for line in text.split("\n"):
        if used + width(line) + 1 > budget:
            break
        kept.append(line)
        used += width(line) + 1
    return "\n".join([*kept, ELLIPSIS])


# ── empty answers and report lists ───────────────────────────────────────────────────────────

EXAMPLES = ("就业目标", "GDP", "招商引资", "去年财政收入")  # each answers on the seed


def render_not_loaded(answer: Answer, *, html: bool = False) -> str:
    """📭 the region or year asked for is not loaded, and what is."""
    missing = answer.not_loaded
    assert missing is not None
    what = "、".join(_clip(r, 12) for r in missing.regions[:5])
    years = "、".join(f"{y}年" for y in missing.years[:6])
    asked = what + years or _clip(answer.query, 40)
    lines = [_esc(f"📭 还没有载入{asked}的政府工作报告。", html)]
    if missing.within:
        inside = "、".join(_clip(w, 16) for w in missing.within[:6])
        lines.append(_esc(f"其下已载入：{inside}", html))
    if missing.loaded:
        lines.append(_esc("已载入的报告：", html))
        lines.extend(_esc(f"• {_clip(line, 30)}", html) for line in missing.loaded[:13])
    lines.append(_esc("管理员可以发送报告文件来添加。", html))
    return "\n".join(lines)


def render_empty(answer: Answer, *, html: bool = False) -> str:
    """没有找到… with the suggestions search offered, or examples when it offered none."""
    if answer.not_loaded is not None:
        return render_not_loaded(answer, html=html)
    query = _clip(answer.query, 40)
    scope = f"在《{_clip(answer.report.title, 40)}》中" if answer.report else ""
    lines = [_esc(f"🤷 {scope}没有找到“{query}”的相关内容。", html)]
    suggestions = [_clip(s, 20) for s in answer.suggestions if s.strip()][:8]
    if suggestions:
        lines.append(
            _esc("您是不是要找：", html) + "、".join(_wrap(s, "b", html) for s in suggestions)
        )
    else:
        lines.append(_esc("可以试试：" + "、".join(EXAMPLES), html))
    return "\n".join(lines)


def _report_line(info: Any, html: bool) -> str:
    title = _clip(str(getattr(info, "title", "") or info.id), 50)
    bits = [str(info.id)]
    if getattr(info, "region", ""):
        bits.append(_clip(str(info.region), 16))
    if getattr(info, "year", None):
        bits.append(f"{info.year}年")
    counts = (
        f"目标{getattr(info, 'targets', 0)} · 完成{getattr(info, 'actuals', 0)}"
        f" · 共{getattr(info, 'figures', 0)}项"
    )
    return f"• {_wrap(title, 'b', html)}\n  {_esc(' · '.join(bits) + ' · ' + counts, html)}"


def render_reports(infos: Sequence[Any], *, html: bool = False, budget: int = 4000) -> str:
    """The loaded reports, one entry each, cut with a count of the rest when over budget."""
    budget = min(budget, TELEGRAM_LIMIT)
    if not infos:
        return _esc("还没有载入任何报告。", html)
    out = [_esc(f"📚 已载入{len(infos)}份报告：", html)]
    used = width(out[0])
    for n, info in enumerate(infos):
        line = _report_line(info, html)
        rest = _esc(f"…还有{len(infos) - n}份", html)
        # Keep room for the "还有" line unless this is the last entry.
        need = width(line) + 1 + (0 if n == len(infos) - 1 else width(rest) + 1)
        if used + need > budget:
            out.append(rest)
            break
        out.append(line)
        used += width(line) + 1
    return "\n".join(out)

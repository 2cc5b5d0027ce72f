"""Answer → text for the console (plain) and for Telegram (HTML). Pure: no I/O, no telegram import.

Built from the pieces in bot/render/text.py: every piece is escaped as it is placed and lengths
are measured in UTF-16 units of the raw output (see there).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answer import Answer, Excerpt, FigureHit, ReportRef
from bot.render.limits import MIN_BUDGET, TELEGRAM_LIMIT
from bot.render.text import (
    ELLIPSIS,
    Page,
    Spans,
    clip,
    esc,
    fit,
    fit_spans,
    marked_spans,
    normal_marks,
    width,
    wrap,
)

EXCERPTS_PER_PAGE = 2  # "one or two excerpts": more would crowd out the figures on a phone
KIND_ORDER = ("target", "actual", "other")
MIN_EXCERPT = 20  # units of excerpt text worth showing beside its report tag
SECTION_SEP = " > "  # Figure.section joins the path with this
# ── excerpts and passages ────────────────────────────────────────────────────────────────────


def render_excerpt(ex: Excerpt, *, html: bool = False, limit: int = 300) -> str:
    """The excerpt around its first matched word, matched words bold, at most `limit` wide.

    Passages can run to thousands of characters with the match near the end, so the window
    starts a little before the first mark instead of at the start of the text.
    """
    text = ex.text.replace("\n", " ")  # same length, so the marks stay valid
    marks = normal_marks(ex.marks, len(text))
    start = max(0, marks[0][0] - limit // 4) if marks else 0
    # Each character costs at least one unit, so `limit` characters are always enough.
    end = min(len(text), start + limit)
    spans = marked_spans(text, marks, start, end)
    if start > 0:
        spans.insert(0, (ELLIPSIS, False))
    return fit_spans(spans, limit, html, cut_after=end < len(text))


def _source_line(ref: ReportRef, section: str, html: bool, limit: int) -> str:
    """📄 《title》 · section path, fitted to `limit`."""
    prefix = "📄 "
    title = f"《{clip(ref.title or ref.id, 60)}》"
    head = prefix + wrap(title, "b", html)
    if width(head) > limit:
        return fit(prefix + title, limit, html)
    if not section:
        return head
    rest = limit - width(head) - width(" · ")
    return head + " · " + fit(section, rest, html) if rest > 4 else head


def render_passage(ex: Excerpt, *, html: bool = False, budget: int = 3500) -> str:
    """The [原文] view: report title, section path, then the whole passage with matches bold."""
    budget = min(budget, TELEGRAM_LIMIT)
    head = _source_line(ex.report, ex.section, html, min(budget // 3, 300))
    room = budget - width(head) - width("\n\n")
    if room <= width(ELLIPSIS):
        return fit(ex.text, budget, html)
    text = ex.text
    # The passage is cut at `room` characters first: no need to walk a huge text char by char.
    end = min(len(text), room)
    body = fit_spans(marked_spans(text, ex.marks, 0, end), room, html, cut_after=end < len(text))
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
    value = clip(fig.value, 30)
    parts = [p.strip() for p in fig.qualifier.split("…")]
    rest = [p for p in parts if p and p not in fig.value]
    if rest:
        value += f"（{clip('…'.join(rest), 12)}）"
    return value


def _short_section(section: str) -> str:
    """The innermost heading: the whole path is in the source line, a figure gets a hint."""
    leaf = section.split(SECTION_SEP)[-1].strip() if section else ""
    return clip(leaf, 16)


def _report_tag(ref: ReportRef) -> str:
    """乌恰县 2023: tells reports apart in answers across all reports."""
    region = ref.region or ref.title or ref.id
    return clip(f"{region} {ref.year}" if ref.year else region, 16)


def _figure_note(hit: FigureHit, scoped: bool) -> str:
    """〔report · innermost section〕: where a figure comes from, in a few characters."""
    parts = [] if scoped else [_report_tag(hit.report)]
    if leaf := _short_section(hit.figure.section):
        parts.append(leaf)
    return f"〔{' · '.join(parts)}〕" if parts else ""


def _figure_line(hit: FigureHit, html: bool, note: str) -> str:
    """• indicator — value（qualifier） 〔note〕"""
    indicator = clip(hit.figure.indicator or "（未名指标）", 30)
    main = f"• {esc(indicator, html)} — {wrap(_value_text(hit), 'b', html)}"
    return f"{main} {wrap(note, 'i', html)}" if note else main


def render_figure(hit: FigureHit, *, html: bool = False) -> str:
    """One figure as a self-contained card, for inline results: what, how much, where from."""
    fig = hit.figure
    label = _kind_label(fig.kind, fig.year)
    indicator = clip(fig.indicator or "（未名指标）", 40)
    first = f"{esc(indicator, html)} — {wrap(_value_text(hit), 'b', html)}"
    second = esc(f"{label} · {clip(hit.report.title or hit.report.id, 40)}", html)
    lines = [first, second]
    if fig.section:
        lines.append(wrap(clip(fig.section, 60), "i", html))
    if fig.text:
        lines.append(esc(f"「{clip(fig.text, 120)}」", html))
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
    scope = clip(answer.report.title or answer.report.id, 40) if answer.report else "全部报告"
    tail = f" · {scope}" + (f"（第{page + 1}页）" if page else "")
    spans: Spans = [("🔎 ", False), (clip(answer.query, 40), html), (tail, False)]
    return fit_spans(spans, limit, html)


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
    """📝 〔report〕 excerpt, plus its section when the source line will not name it.

    The footer names one report, so an excerpt from any other (and every excerpt of an answer
    across reports) names its own: 〔广东省 2026〕."""
    lead = "📝 "
    if lay.default_ref is None or ex.report.id != lay.default_ref.id:
        tagged = lead + wrap(f"〔{_report_tag(ex.report)}〕", "i", lay.html) + " "
        if limit - width(tagged) >= MIN_EXCERPT:  # a squeezed excerpt keeps its words instead
            lead = tagged
    body = lead + render_excerpt(ex, html=lay.html, limit=limit - width(lead))
    if not show_section or not ex.section:
        return body
    note = "〔" + clip(ex.section, 40) + "〕"
    return f"{body}\n{wrap(note, 'i', lay.html)}"


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
        new = [] if key == group else [esc(_kind_label(*key), lay.html)]
        # A run of figures from one section names it once, on its first line of the group.
        note = _figure_note(hit, lay.scoped)
        shown = "" if note == last_note and key == group else note
        add = [*new, _figure_line(hit, lay.html, shown)]
        cost = sum(width(x) + 1 for x in add)
        if not figs and used + cost > avail:
            # A freak line (a huge indicator full of &) still has to move the pages on.
            room = avail - sum(width(x) + 1 for x in new) - 1
            add = [*new, fit(_figure_line(hit, False, shown), room, lay.html)]
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
        from bot.render.table import MIN_TABLE_BUDGET, render_table

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
            note = _header(answer, k, html, budget // 2) + "\n\n" + esc("没有更多结果了。", html)
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


# ── empty answers ────────────────────────────────────────────────────────────────────────────

EXAMPLES = ("就业目标", "GDP", "招商引资", "去年财政收入")  # each answers on the seed


def render_not_loaded(answer: Answer, *, html: bool = False) -> str:
    """📭 the region or year asked for is not loaded, and what is."""
    missing = answer.not_loaded
    assert missing is not None
    what = "、".join(clip(r, 12) for r in missing.regions[:5])
    years = "、".join(f"{y}年" for y in missing.years[:6])
    asked = what + years or clip(answer.query, 40)
    lines = [esc(f"📭 还没有载入{asked}的政府工作报告。", html)]
    if missing.within:
        inside = "、".join(clip(w, 16) for w in missing.within[:6])
        lines.append(esc(f"其下已载入：{inside}", html))
    if missing.loaded:
        lines.append(esc("已载入的报告：", html))
        lines.extend(esc(f"• {clip(line, 30)}", html) for line in missing.loaded[:13])
    lines.append(esc("管理员可以发送报告文件来添加。", html))
    return "\n".join(lines)


def render_empty(answer: Answer, *, html: bool = False) -> str:
    """没有找到… with the suggestions search offered, or examples when it offered none."""
    if answer.not_loaded is not None:
        return render_not_loaded(answer, html=html)
    query = clip(answer.query, 40)
    scope = f"在《{clip(answer.report.title, 40)}》中" if answer.report else ""
    lines = [esc(f"🤷 {scope}没有找到“{query}”的相关内容。", html)]
    suggestions = [clip(s, 20) for s in answer.suggestions if s.strip()][:8]
    if suggestions:
        lines.append(
            esc("您是不是要找：", html) + "、".join(wrap(s, "b", html) for s in suggestions)
        )
    else:
        lines.append(esc("可以试试：" + "、".join(EXAMPLES), html))
    return "\n".join(lines)

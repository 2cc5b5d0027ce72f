"""Table answers (a comparison across regions, a series across years, targets against outcomes)
as monospace text that stays aligned on a phone. Pure: no I/O, no telegram import.

Layout: a title line, then the table (inside ``<pre>`` in HTML), then a footer with what is
missing and where the rows come from. Columns are padded by *display* width, counting East
Asian wide characters as two cells, and a line never takes more than ``MAX_COLUMNS`` cells, so
a phone in portrait shows each row on one line. Lengths against the budget are measured like
``bot.render``: UTF-16 units of the raw output, tags and entities included.

Paging: every page holds the same number of rows, fixed by the costliest row, so page k is the
slice ``rows[k*n:(k+1)*n]`` and rendering it formats only those rows: nothing before it is laid
out again. Column widths come from one pass over the cell texts of all rows, so that columns
line up the same on every page.
"""

from __future__ import annotations

import html as _html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.answer import Table, TableRow
from bot.region_short import short_region
from bot.render.limits import PHONE_COLUMNS, TABLE_ROWS_PER_PAGE, TELEGRAM_LIMIT
from bot.render.text import Page, width

MAX_COLUMNS = PHONE_COLUMNS  # display cells: what a phone in portrait shows in monospace
# The worst row (32 cells of "&", 5 units each) must fit beside a title, a header and a footer.
MIN_TABLE_BUDGET = 400
KIND_LABEL = {"target": "目标", "actual": "完成", "other": "其他"}
VERDICT_MARK = {"met": "✅", "roughly": "≈", "missed": "❌", "": "–"}
# The missing and sources lines are proportional text under the table: each about two lines on
# a phone at most (the CSV has every row's report id).
SOURCES_CELLS = 80
VERDICT_LEGEND = "✅达成 ≈基本达成 ❌未达成 –暂无结果"
ELLIPSIS = "…"
NO_VALUE = "—"
# Qualifier words that only restate what the table already says (it is about growth, the value
# is a figure): 增长5%左右 with 增长…左右 needs no note; 年均增长 or 控制在 does.
_RESTATED = frozenset({"增长", "比上年增长", "同比增长", "增速", "达到", "为", "是", "按", "安排"})


# ── display width ────────────────────────────────────────────────────────────────────────────


def char_width(ch: str) -> int:
    """Cells one character takes in a monospace font: wide and fullwidth take two, marks none."""
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def fit_display(text: str, limit: int) -> str:
    """`text` on one line in at most `limit` cells, cut with … when longer."""
    text = " ".join(text.split())
    if display_width(text) <= limit:
        return text
    out: list[str] = []
    used = 0
    for ch in text:
        cw = char_width(ch)
        if used + cw > limit - 1:
            break
        out.append(ch)
        used += cw
    return "".join(out) + ELLIPSIS


def _esc(text: str, html: bool) -> str:
    return _html.escape(text, quote=False) if html else text


def _fit(text: str, limit: int, html: bool) -> str:
    """Escape `text` and keep it within `limit` UTF-16 units (whole characters and entities)."""
    full = _esc(text, html)
    if width(full) <= limit:
        return full
    out: list[str] = []
    used = width(ELLIPSIS)
    for ch in text:
        piece = _esc(ch, html)
        if used + width(piece) > limit:
            break
        out.append(piece)
        used += width(piece)
    return "".join(out) + ELLIPSIS if used <= limit else ""


# ── columns ──────────────────────────────────────────────────────────────────────────────────


@dataclass(slots=True, frozen=True)
class _Column:
    header: str
    cell: Callable[[TableRow], str]
    least: int  # cells it may shrink to when the line is too wide
    most: int  # cells it never grows past
    shrink: int  # order in which columns give up room: lower first


def row_labels(table: Table) -> tuple[str, Callable[[TableRow], str]]:
    """What tells the rows apart, as a column header and a function: the year for one region
    over years; the region for regions; region and year when a region has several rows of
    one kind (a tracking table across provinces and years)."""
    regions = {r.region for r in table.rows}
    if not table.indicator_id and len(regions) <= 1 and len({r.year for r in table.rows}) <= 1:
        # Every target of one report: the indicators tell the rows apart.
        return "指标", lambda r: r.indicator or NO_VALUE
    if len(regions) <= 1 and (table.kind == "series" or len({r.year for r in table.rows}) > 1):
        return "年份", lambda r: str(r.year) if r.year else NO_VALUE
    keys = [(r.region, r.kind) for r in table.rows]
    if len(set(keys)) == len(keys):
        return "地区", lambda r: short_region(r.region) or NO_VALUE
    return "地区", lambda r: f"{short_region(r.region)}{r.year or ''}" or NO_VALUE


def _label_column(table: Table) -> _Column:
    header, label = row_labels(table)
    if header == "年份":
        return _Column(header, label, 4, 6, 3)
    if header == "指标":
        return _Column(header, label, 8, 10, 1)
    return _Column(header, label, 4, 12, 3)


def qualifier_note(row: TableRow) -> str:
    """The part of the qualifier that the value does not already spell out, if it says more
    than the table does: 增长…左右 on 5%左右 → ""; 年均增长…左右 → 年均; 控制在…以内 → 控制在."""
    notes = []
    for part in (p.strip() for p in row.qualifier.split("…")):
        if not part or part in row.value or part in _RESTATED:
            continue
        if part.endswith("增长") and len(part) > 2:
            part = part[: -len("增长")]
        if part not in _RESTATED:
            notes.append(part)
    return "…".join(notes)


def _columns(table: Table) -> list[_Column]:
    cols = [_label_column(table)]
    if table.kind == "track":
        cols += [
            _Column("目标", lambda r: r.target or r.value or NO_VALUE, 4, 10, 2),
            _Column("实际", lambda r: r.actual or NO_VALUE, 4, 10, 2),
            _Column("", lambda r: VERDICT_MARK.get(r.verdict, "?"), 2, 2, 9),
        ]
        return cols
    kinds = {r.kind for r in table.rows}
    header = KIND_LABEL.get(next(iter(kinds)), "数值") if len(kinds) == 1 else "数值"
    cols.append(_Column(header, lambda r: r.value or NO_VALUE, 5, 12, 2))
    if any(qualifier_note(r) for r in table.rows):
        cols.append(_Column("说明", qualifier_note, 2, 8, 1))
    if len(kinds) > 1:
        cols.append(_Column("类别", lambda r: KIND_LABEL.get(r.kind, r.kind), 4, 4, 9))
    return cols


@dataclass(slots=True, frozen=True)
class _Grid:
    columns: list[_Column]
    widths: list[int]
    sep: str
    row_cost: int  # UTF-16 units of the costliest rendered row, newline excluded


def _fit_widths(cols: list[_Column], natural: list[int]) -> tuple[list[int], str]:
    """Widths and separator that keep a line within MAX_COLUMNS: a wider gap when there is room,
    then the most flexible columns give up cells first."""
    widths = list(natural)
    gaps = len(widths) - 1
    for sep in ("  ", " "):
        if sum(widths) + len(sep) * gaps <= MAX_COLUMNS:
            return widths, sep
    over = sum(widths) + gaps - MAX_COLUMNS
    for i in sorted(range(len(cols)), key=lambda i: (cols[i].shrink, -widths[i])):
        take = min(over, widths[i] - cols[i].least)
        if take > 0:
            widths[i] -= take
            over -= take
    return widths, " "


def _cell_cost(text: str, cells: int, html: bool) -> int:
    """UTF-16 units of a cell fitted to `cells` and padded."""
    fitted = fit_display(text, cells)
    return width(_esc(fitted, html)) + cells - display_width(fitted)


def _measure(table: Table, html: bool) -> _Grid:
    """One pass over the cell texts: column widths and the cost of the costliest row."""
    cols = _columns(table)
    texts = [[col.cell(row) for col in cols] for row in table.rows]
    natural = []
    for i, col in enumerate(cols):
        longest = max((display_width(" ".join(t[i].split())) for t in texts), default=0)
        natural.append(min(col.most, max(longest, display_width(col.header), col.least)))
    widths, sep = _fit_widths(cols, natural)
    gaps = len(sep) * (len(cols) - 1)
    row_cost = max(
        (sum(_cell_cost(t[i], widths[i], html) for i in range(len(cols))) + gaps for t in texts),
        default=0,
    )
    return _Grid(cols, widths, sep, row_cost)


def _line(cells: Sequence[str], grid: _Grid, html: bool) -> str:
    parts = []
    for text, cells_wide in zip(cells, grid.widths, strict=True):
        fitted = fit_display(text, cells_wide)
        parts.append(_esc(fitted, html) + " " * (cells_wide - display_width(fitted)))
    return grid.sep.join(parts).rstrip()


def _row_line(row: TableRow, grid: _Grid, html: bool) -> str:
    return _line([col.cell(row) for col in grid.columns], grid, html)


def _header_line(grid: _Grid, html: bool) -> str:
    return _line([col.header for col in grid.columns], grid, html)


# ── footer ───────────────────────────────────────────────────────────────────────────────────

_ID_YEAR = re.compile(r"^(.+)-(\d{4})$")


def _year_ranges(years: list[int]) -> list[str]:
    """2004 2005 2006 2008 → 2004–2006, 2008."""
    out: list[str] = []
    run: list[int] = []
    for y in sorted(set(years)):
        if run and y != run[-1] + 1:
            out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
            run = []
        run.append(y)
    if run:
        out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
    return out


def _source_groups(ids: Sequence[str]) -> list[tuple[str, list[str], str]]:
    """Report ids grouped for a short line, as (prefix, items, suffix).

    A series has one stem over many years (national-2004–2019); a comparison has many stems in
    one year (anhui/beijing-2026). Whichever repeats less is listed, the other said once.
    """
    uniq = list(dict.fromkeys(i for i in ids if i))
    parsed: list[tuple[str, int | None]] = []
    for rid in uniq:
        m = _ID_YEAR.match(rid)
        parsed.append((m.group(1), int(m.group(2))) if m else (rid, None))
    stems = dict.fromkeys(s for s, _ in parsed)
    years = dict.fromkeys(y for _, y in parsed if y is not None)
    groups: list[tuple[str, list[str], str]] = []
    if len(stems) <= len(years):
        for stem in stems:
            ys = [y for s, y in parsed if s == stem and y is not None]
            if ys:
                groups.append((f"{stem}-", _year_ranges(ys), ""))
            if any(s == stem and y is None for s, y in parsed):
                groups.append(("", [stem], ""))
    else:
        for year in years:
            groups.append(("", [s for s, y in parsed if y == year], f"-{year}"))
        bare = [s for s, y in parsed if y is None]
        if bare:
            groups.append(("", bare, ""))
    return groups


def compact_sources(ids: Sequence[str], limit: int) -> str:
    """来源：anhui/beijing/…-2026（共25份）, at most `limit` display cells (plain text)."""
    groups = _source_groups(ids)
    if not groups:
        return ""
    count = len(dict.fromkeys(i for i in ids if i))
    most = max(len(items) for _, items, _ in groups)
    for keep in range(most, 0, -1):
        cut = keep < most
        body = "、".join(
            prefix + "/".join(items[:keep] + ([ELLIPSIS] if len(items) > keep else [])) + suffix
            for prefix, items, suffix in groups
        )
        line = f"来源：{body}" + (f"（共{count}份）" if cut else "")
        if display_width(line) <= limit:
            return line
    return fit_display(f"来源：{count}份报告", limit)


def _missing_line(table: Table, unit: str, limit: int) -> str:
    """3个地区无此项：广西、河南、湖北 — the count always survives a cut."""
    if not table.missing:
        return ""
    head = f"{len(table.missing)}个{unit}无此项"
    names = "、".join(short_region(m) for m in table.missing)
    room = limit - display_width(head) - 1
    return head + "：" + fit_display(names, room) if room >= 4 else fit_display(head, limit)


def _footer(table: Table, rows: Sequence[TableRow], unit: str, html: bool, limit: int) -> str:
    """Missing count, sources of this page's rows, and the legend of verdict marks, as room
    allows (in that order of importance), within `limit` UTF-16 units."""
    lines: list[str] = []
    used = 0
    sources = [r.report for r in rows] + [r.actual_report for r in rows]
    # Each line is composed in display cells (so a cut keeps counts and years whole), then
    # fitted in UTF-16 units, which is what the budget counts. The missing line may take half.
    candidates: list[Callable[[int], str]] = [
        lambda room: _missing_line(table, unit, min(room // 2, SOURCES_CELLS)),
        lambda room: compact_sources(sources, min(room, SOURCES_CELLS)),
        lambda room: VERDICT_LEGEND if table.kind == "track" and rows else "",
    ]
    for make in candidates:
        room = limit - used - 1
        text = make(room) if room > 0 else ""
        piece = _fit(text, room, html) if text else ""
        if not piece or used + width(piece) + 1 > limit:
            continue
        lines.append(piece)
        used += width(piece) + 1
    return "\n".join(lines)


# ── pages ────────────────────────────────────────────────────────────────────────────────────


def _title(table: Table, page: int, pages: int, html: bool, limit: int) -> str:
    tail = f"（{page + 1}/{pages}）" if pages > 1 else ""
    # The title is not in the monospace block: it may wrap to a second line on a phone, no
    # more (cells first: fullwidth （ and emoji take two; then the budget in UTF-16 units).
    head = fit_display("📊 " + (table.title or table.indicator or "数据表"),
                       2 * MAX_COLUMNS - display_width(tail))  # fmt: skip
    text = _fit(head, limit - width(tail), html) + tail
    return f"<b>{text}</b>" if html else text


def _unit_word(table: Table) -> str:
    return row_labels(table)[0]


def render_table(
    table: Table,
    *,
    html: bool,
    page: int = 0,
    budget: int = 1500,
    max_rows: int = TABLE_ROWS_PER_PAGE,
) -> Page:
    """Page `page` (from 0) of a table answer, at most `budget` UTF-16 units (≤ 4096) and
    `max_rows` rows (one phone screen; an inline card, which cannot page, takes more)."""
    budget = min(budget, TELEGRAM_LIMIT)
    if budget < MIN_TABLE_BUDGET:
        raise ValueError(f"budget {budget} is below the minimum of {MIN_TABLE_BUDGET}")
    title_max = min(120, budget // 6) - len("<b></b>")
    footer_max = min(360, budget // 4)
    unit = _unit_word(table)
    if not table.rows:
        title = _title(table, 0, 1, html, title_max)
        note = _esc("没有找到这项数字。", html)
        footer = _footer(table, [], unit, html, footer_max)
        return Page("\n".join(p for p in (title, note, footer) if p), False, 0)

    grid = _measure(table, html)
    header = _header_line(grid, html)
    frame = width("<pre></pre>") if html else 0
    fixed = title_max + 1 + frame + width(header) + 1 + footer_max + 1
    fitting = max(1, (budget - fixed) // (grid.row_cost + 1))
    per_page = min(fitting, max(1, max_rows))  # one phone screen, however large the budget
    pages = -(-len(table.rows) // per_page)
    per_page = -(-len(table.rows) // pages)  # as many pages, evenly filled: 15 + 14, not 20 + 9
    title = _title(table, min(page, pages - 1), pages, html, title_max)
    if page >= pages:
        # A stale [更多] button: say so instead of failing or repeating the last page.
        return Page(title + "\n" + _esc("没有更多了。", html), False, page)

    rows = table.rows[page * per_page : (page + 1) * per_page]
    body = "\n".join([header, *(_row_line(r, grid, html) for r in rows)])
    block = f"<pre>{body}</pre>" if html else body
    footer = _footer(table, rows, unit, html, footer_max)
    text = "\n".join(p for p in (title, block, footer) if p)
    return Page(text, page + 1 < pages, page)

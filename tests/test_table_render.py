"""bot/render/table.py: display-width alignment, phone width, escaping, pages, budgets, paging
cost; bot/region_short.py; and the hand-made fixtures against the reports they come from."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bot.render.table as rt
from bot.answer import Table, TableRow
from bot.region_short import province_short, short_region
from bot.render.limits import TABLE_ROWS_PER_PAGE
from bot.render.table import (
    MAX_COLUMNS,
    MIN_TABLE_BUDGET,
    compact_sources,
    display_width,
    fit_display,
    qualifier_note,
    render_table,
)
from bot.render.text import width
from tests import table_fixtures as tf
from tests.test_render import telegram_visible

FIXTURES = tf.ALL
PRE = re.compile(r"<pre>(.*?)</pre>", re.S)


def all_pages(table: Table, *, html: bool, budget: int) -> list[str]:
    pages = []
    k = 0
    while True:
        page = render_table(table, html=html, page=k, budget=budget)
        assert page.page == k
        pages.append(page.text)
        if not page.has_more:
            return pages
        k += 1
        assert k < 1000, "paging does not end"


def table_lines(text: str, *, html_mode: bool) -> list[str]:
    """The monospace block of a page as the reader sees it: header first, then the rows."""
    if html_mode:
        blocks = PRE.findall(text)
        assert len(blocks) == 1, text
        return html.unescape(blocks[0]).split("\n")
    lines = text.split("\n")
    # Plain pages: title, header, rows, footer; the footer lines start with these.
    body = lines[1:]
    end = next(
        (i for i, line in enumerate(body) if re.match(r"\d+个|来源：|✅达成", line)), len(body)
    )
    return body[:end]


def column_starts(line: str, texts: list[str]) -> list[int]:
    """Display offsets at which each of `texts` starts in `line`, searching left to right."""
    out = []
    pos = 0
    for t in texts:
        i = line.index(t, pos)
        out.append(display_width(line[:i]))
        pos = i + len(t)
    return out


# ── the fixtures are the reports' own words ───────────────────────────────────────────────────


@pytest.mark.parametrize("make", FIXTURES, ids=lambda f: f.__name__)
def test_fixtures_match_the_reports(make):
    for row in make().rows:
        assert row.text in tf.report_text(row.report), (row.report, row.text)
        assert row.value in row.text
        assert row.number == tf._number(row.value)
        if row.actual_report:
            assert row.actual_text in tf.report_text(row.actual_report), row.actual_text
            assert row.actual in row.actual_text


# ── region names ──────────────────────────────────────────────────────────────────────────────


def test_short_region_names():
    assert short_region("广西壮族自治区") == "广西"
    assert short_region("内蒙古自治区") == "内蒙古"
    assert short_region("新疆维吾尔自治区") == "新疆"
    assert short_region("香港特别行政区") == "香港"
    assert short_region("保定市") == "保定"
    assert short_region("乌恰县") == "乌恰县"  # 县 stays: 乌恰 alone is not its name
    assert short_region("阿克苏地区") == "阿克苏"
    assert short_region("全国") == "全国"
    shorts = [v for k, v in province_short().items() if k not in ("全国", "中华人民共和国")]
    assert len(set(shorts)) == len(shorts)
    assert all(display_width(s) <= 6 for s in shorts)  # fit a six-cell column


# ── display width ─────────────────────────────────────────────────────────────────────────────


def test_display_width_counts_wide_characters_twice():
    assert display_width("2026") == 4
    assert display_width("广东") == 4
    assert display_width("5%左右") == 6
    assert display_width("６％") == 4  # fullwidth forms
    assert display_width("✅") == 2
    assert display_width("e\u0301") == 1  # a combining accent takes no cell
    assert fit_display("黑龙江省人民政府", 7) == "黑龙江…"
    assert display_width(fit_display("黑龙江省人民政府", 7)) <= 7


# ── alignment and width ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("html_mode", [False, True], ids=["plain", "html"])
def test_compare_columns_align_by_display_width(html_mode):
    table = tf.provincial_gdp_2026()
    for text in all_pages(table, html=html_mode, budget=1500):
        lines = table_lines(text, html_mode=html_mode)
        header = lines[0]
        value_col = column_starts(header, ["地区", "目标"])[1]
        for line in lines[1:]:
            row = next(r for r in table.rows if line.startswith(short_region(r.region) + " "))
            assert column_starts(line, [short_region(row.region), row.value])[1] == value_col, line
            assert display_width(line) <= MAX_COLUMNS


@pytest.mark.parametrize("html_mode", [False, True], ids=["plain", "html"])
def test_track_columns_align_and_carry_verdict_marks(html_mode):
    table = tf.national_gdp_track()
    seen_marks = set()
    rows = iter(table.rows)
    for text in all_pages(table, html=html_mode, budget=1500):
        lines = table_lines(text, html_mode=html_mode)
        target_col, actual_col = column_starts(lines[0], ["目标", "实际"])
        mark_col = None
        for line in lines[1:]:
            row = next(rows)
            actual = row.actual or rt.NO_VALUE
            mark = rt.VERDICT_MARK[row.verdict]
            starts = column_starts(line, [str(row.year), row.target, actual, mark])
            assert starts[1:3] == [target_col, actual_col], line
            mark_col = starts[3] if mark_col is None else mark_col
            assert starts[3] == mark_col, line
            seen_marks.add(mark)
            assert display_width(line) <= MAX_COLUMNS
    assert seen_marks == {"✅", "≈", "–"}
    missed = render_table(tf.energy_intensity_track(), html=False).text
    assert "❌" in missed and "✅达成" in missed


def test_mixed_kinds_get_a_kind_column_and_one_kind_gets_none():
    mixed = render_table(tf.provincial_actual_and_target(), html=False).text
    assert "类别" in mixed
    assert re.search(r"广东\s+3\.9%\s+完成", mixed)
    assert re.search(r"广东\s+4\.5%—5%\s+目标", mixed)
    single = render_table(tf.provincial_gdp_2026(), html=False).text
    assert "类别" not in single and "地区    目标" in single


def test_qualifier_column_only_where_it_says_something():
    # 增长…左右 on 5%左右 restates the value; 年均增长 and 控制在 do not.
    row = tf.provincial_gdp_2026().rows[1]
    assert qualifier_note(row) == ""
    row.qualifier = "年均增长…左右"
    assert qualifier_note(row) == "年均"
    jiangsu = next(r for r in tf.provincial_gdp_2026().rows if r.report == "jiangsu-2026")
    assert qualifier_note(jiangsu) == ""  # 按增长…安排 says nothing the table does not
    table = tf.provincial_gdp_2026()
    assert "说明" not in render_table(table, html=False).text
    table.rows[0].qualifier = "年均增长"
    text = render_table(table, html=False).text
    assert "说明" in text and re.search(r"安徽\s+5%—5\.5%\s+年均", text)


def test_long_cells_are_cut_to_fit_the_phone():
    table = tf.provincial_gdp_2026()
    table.rows[0].value = "5%—5.5%，在实际工作中努力争取更好结果"
    table.rows[0].region = "克孜勒苏柯尔克孜自治州"
    table.rows[0].qualifier = "力争…在实际工作中努力争取"
    for html_mode in (False, True):
        page = render_table(table, html=html_mode, budget=4096).text
        for line in table_lines(page, html_mode=html_mode):
            assert display_width(line) <= MAX_COLUMNS, line
    assert "…" in render_table(table, html=False).text


# ── escaping ──────────────────────────────────────────────────────────────────────────────────


def nasty_table() -> Table:
    table = tf.provincial_gdp_2026()
    table.title = "<b>各省</b> & 目标"
    table.rows[0].region = "<&>"
    table.rows[0].value = "5<6&7>"
    table.rows[0].report = "a&b-2026"
    table.missing = ["<script>"]
    return table


def test_html_escapes_everything_and_keeps_alignment():
    table = nasty_table()
    pages = all_pages(table, html=True, budget=1500)
    visible = telegram_visible(pages[0])  # fails on bare < > & and unknown tags
    assert "<&>" in visible and "5<6&7>" in visible and "<b>各省</b> & 目标" in visible
    assert "<script>" in visible and "a&b" in visible
    lines = table_lines(pages[0], html_mode=True)
    value_col = column_starts(lines[0], ["地区", "目标"])[1]
    assert column_starts(lines[1], ["<&>", "5<6&7>"])[1] == value_col
    for page in pages:
        telegram_visible(page)


def test_plain_text_is_not_escaped():
    text = render_table(nasty_table(), html=False).text
    assert "<&>" in text and "&amp;" not in text and "<pre>" not in text


# ── pages and budgets ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("make", FIXTURES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("html_mode", [False, True], ids=["plain", "html"])
def test_pages_cover_every_row_once_in_order(make, html_mode):
    table = make()
    label = rt.row_labels(table)[1]
    for budget in (MIN_TABLE_BUDGET, 500, 800, 1500, 4096):
        pages = all_pages(table, html=html_mode, budget=budget)
        shown = []
        for k, text in enumerate(pages):
            assert width(text) <= budget, (budget, k)
            if len(pages) > 1:
                assert f"（{k + 1}/{len(pages)}）" in text.split("\n")[0]
            shown += table_lines(text, html_mode=html_mode)[1:]
        labels = [line.split(" ")[0] for line in shown]
        assert labels == [label(r) for r in table.rows], budget


def test_more_budget_never_means_more_pages():
    table = tf.provincial_gdp_2026()
    counts = [len(all_pages(table, html=True, budget=b)) for b in range(400, 4097, 150)]
    assert counts == sorted(counts, reverse=True)
    # However large the budget, 29 rows take two phone screens (15 and 14 rows).
    assert counts[0] > 1 and counts[-1] == 2


@pytest.mark.parametrize("make", FIXTURES, ids=lambda f: f.__name__)
def test_a_page_fits_one_phone_screen(make):
    """At most TABLE_ROWS_PER_PAGE rows a page, pages evenly filled, and the whole page within
    about 24 lines of a phone (the sources line wraps to two at most)."""
    table = make()
    pages = all_pages(table, html=True, budget=4096)
    rows = [len(table_lines(text, html_mode=True)) - 1 for text in pages]
    assert sum(rows) == len(table.rows)
    assert max(rows) <= TABLE_ROWS_PER_PAGE and max(rows) - min(rows) <= 1
    for text in pages:
        visible = telegram_visible(text)
        wrapped = sum(1 + display_width(line) // 45 for line in visible.split("\n"))
        assert wrapped <= 24, visible


def test_pages_are_filled_not_just_bounded():
    """Where the budget (not the phone's row cap) bounds a page, it stops where the next row
    would not fit, not long before."""
    table = tf.provincial_gdp_2026()
    first = render_table(table, html=True, page=0, budget=MIN_TABLE_BUDGET)
    assert first.has_more
    assert len(table_lines(first.text, html_mode=True)) - 1 < TABLE_ROWS_PER_PAGE
    assert width(first.text) > MIN_TABLE_BUDGET * 0.6


def test_budget_limits():
    table = tf.national_gdp_series()
    with pytest.raises(ValueError):
        render_table(table, html=True, budget=MIN_TABLE_BUDGET - 1)
    huge = render_table(table, html=True, budget=100_000)
    assert width(huge.text) <= 4096


def test_stale_page_says_so():
    table = tf.national_gdp_series()
    last = len(all_pages(table, html=True, budget=400))
    stale = render_table(table, html=True, page=last + 3, budget=400)
    assert not stale.has_more and "没有更多了" in stale.text


def test_empty_table_names_what_is_missing():
    table = tf.provincial_gdp_2026()
    table.rows = []
    table.missing = ["四川省", "新疆维吾尔自治区"]
    page = render_table(table, html=True)
    assert "没有找到这项数字" in page.text and "2个地区无此项：四川、新疆" in page.text
    assert not page.has_more


def test_missing_count_survives_when_names_do_not_fit():
    table = tf.national_gdp_series()
    table.missing = [str(y) for y in range(1950, 2004)]
    page = render_table(table, html=True, budget=MIN_TABLE_BUDGET)
    assert f"{len(table.missing)}个年份无此项" in page.text
    assert width(page.text) <= MIN_TABLE_BUDGET


def test_sources_are_compact():
    series = tf.national_gdp_series()  # two pages: each names its own rows' reports
    pages = all_pages(series, html=False, budget=1500)
    assert "来源：national-2004–2011/2013" in pages[0]
    assert "来源：national-2014–2019/2023–2025" in pages[1]
    whole = compact_sources([r.report for r in series.rows], 80)
    assert whole == "来源：national-2004–2011/2013–2019/2023–2025"
    compare = render_table(tf.provincial_actual_and_target(), html=False).text
    assert "来源：guangdong/heilongjiang/hebei/tianjin/xizang-2026" in compare
    ids = [f"p{i}-2026" for i in range(40)]
    line = compact_sources(ids, 60)
    assert display_width(line) <= 60 and line.endswith("-2026（共40份）") and "…" in line


# ── paging cost ───────────────────────────────────────────────────────────────────────────────


def big_table(n: int) -> Table:
    base = tf.provincial_gdp_2026().rows
    rows = []
    for i in range(n):
        r = base[i % len(base)]
        rows.append(
            TableRow(
                region=f"{r.region[:2]}{i}",
                region_id=f"{r.region_id}.{i}",
                year=2026,
                kind="target",
                value=r.value,
                number=r.number,
                unit="%",
                qualifier=r.qualifier,
                text=r.text,
                report=f"r{i}-2026",
            )
        )
    return Table("compare", "gdp", "地区生产总值", "growth", "测试", rows=rows)


def test_page_k_formats_only_its_own_rows(monkeypatch):
    """Page k costs the same as page 0: no page before it is laid out."""
    table = big_table(3000)
    formatted: list[TableRow] = []
    real = rt._row_line

    def counting(row, grid, html_mode):
        formatted.append(row)
        return real(row, grid, html_mode)

    monkeypatch.setattr(rt, "_row_line", counting)
    first = render_table(table, html=True, page=0, budget=1500)
    per_page = len(formatted)
    assert first.has_more and 0 < per_page < 3000
    formatted.clear()
    k = 3000 // per_page - 1
    page = render_table(table, html=True, page=k, budget=1500)
    assert formatted == table.rows[k * per_page : (k + 1) * per_page]
    assert page.has_more == ((k + 1) * per_page < 3000)


# ── any table at all ──────────────────────────────────────────────────────────────────────────

cell_text = st.text(
    alphabet=st.sampled_from(list("广东黑龙江5%.—左右<>&\"' aZ✅😀𠀀\u0301６")), max_size=20
)


@st.composite
def tables(draw) -> Table:
    kind = draw(st.sampled_from(["compare", "series", "track"]))
    n = draw(st.integers(0, 60))
    rows = []
    for i in range(n):
        rows.append(
            TableRow(
                region=draw(cell_text) if kind != "series" else "全国",
                region_id="x",
                year=2000 + i if kind != "compare" else 2026,
                kind=draw(st.sampled_from(["target", "actual", "other"])),
                value=draw(cell_text),
                number=None,
                unit="%",
                qualifier=draw(cell_text),
                text="",
                report=draw(st.sampled_from(["a-2026", "b-2026", "national-2004", "&<>"])),
                target=draw(cell_text),
                actual=draw(cell_text),
                verdict=draw(st.sampled_from(["met", "roughly", "missed", ""])),
            )
        )
    return Table(
        kind,
        "gdp",
        "地区生产总值",
        "growth",
        draw(st.text(max_size=200)),
        rows=rows,
        missing=draw(st.lists(cell_text, max_size=50)),
    )


@settings(max_examples=150, deadline=None)
@given(table=tables(), budget=st.integers(MIN_TABLE_BUDGET, 4096), html_mode=st.booleans())
def test_any_table_pages_within_budget_and_width(table, budget, html_mode):
    pages = all_pages(table, html=html_mode, budget=budget)
    rows_seen = 0
    for text in pages:
        assert width(text) <= budget
        if html_mode:
            telegram_visible(text)
        if table.rows:
            lines = table_lines(text, html_mode=html_mode)
            rows_seen += len(lines) - 1
            for line in lines:
                assert display_width(line) <= MAX_COLUMNS, line
    if html_mode:  # plain footers cannot be told from rows made of arbitrary text
        assert rows_seen == len(table.rows)

"""bot/render/answer.py: escaping, length budgets, bold marks, paging, empty answers."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answer import Answer, Excerpt, FigureHit, ReportRef
from bot.render import (
    Page,
    render_answer,
    render_empty,
    render_excerpt,
    render_figure,
    render_passage,
    render_reports,
    width,
)
from bot.report.model import Figure

NASTY = "<b>&amp; 5<6 & x>y</b>"  # text that breaks Telegram HTML unless escaped
ALLOWED_TAGS = {"b", "i", "u", "s", "code", "pre", "a", "blockquote", "tg-spoiler"}
TOKEN = re.compile(r"<(/?)([a-z-]+)>|&(lt|gt|amp|quot);|[<>&]")
ENTITY = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def telegram_visible(text: str) -> str:
    """Parse Telegram HTML as strictly as the Bot API does; return the visible text.

    Fails on unknown tags, unbalanced or crossed tags, bare < > & and unknown entities.
    """
    stack: list[str] = []
    out: list[str] = []
    pos = 0
    for m in TOKEN.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        closing, tag, entity = m.group(1), m.group(2), m.group(3)
        if tag:
            assert tag in ALLOWED_TAGS, f"tag <{tag}> not allowed: {text!r}"
            if closing:
                assert stack and stack[-1] == tag, f"unbalanced </{tag}> in {text!r}"
                stack.pop()
            else:
                stack.append(tag)
        elif entity:
            out.append(ENTITY[entity])
        else:
            raise AssertionError(f"bare {m.group(0)!r} at {m.start()} in {text!r}")
    out.append(text[pos:])
    assert not stack, f"unclosed tags {stack} in {text!r}"
    return "".join(out)


# ── builders ──────────────────────────────────────────────────────────────────────────────────

REF = ReportRef("wuqia-2022", "2022年乌恰县政府工作报告", "乌恰县", 2023)


def make_hit(
    indicator: str = "城镇新增就业",
    value: str = "700人以上",
    *,
    kind: str = "target",
    year: int | None = 2023,
    qualifier: str = "以上",
    section: str = "二、2023年工作安排 > （一）稳就业",
    ref: ReportRef = REF,
    figure_id: int = 1,
) -> FigureHit:
    fig = Figure(
        indicator=indicator,
        value=value,
        number=700.0,
        unit="人",
        qualifier=qualifier,
        kind=kind,  # type: ignore[arg-type]
        year=year,
        text=f"{indicator}{value}",
        sentence=f"全年{indicator}{value}。",
        section=section,
        start=0,
        end=len(value),
        passage=0,
    )
    return FigureHit(fig, ref, figure_id, 0, 1.0, "exact")


def make_excerpt(
    text: str = "全年城镇新增就业700人以上，城镇调查失业率控制在5.5%左右。",
    marks: list[tuple[int, int]] | None = None,
    *,
    section: str = "二、2023年工作安排 > （一）稳就业",
    ref: ReportRef = REF,
    passage_id: int = 1,
) -> Excerpt:
    return Excerpt(text, section, ref, passage_id, 1.0, marks if marks is not None else [(6, 8)])


def huge_answer(n_figures: int = 200, n_excerpts: int = 12, excerpt_len: int = 20_000) -> Answer:
    """200 figures with tell-tale ids, and excerpts that are far longer than any message."""
    kinds = ("target", "actual", "other")
    hits = [
        make_hit(
            f"指标F{i:04d}&<x>",
            f"{i}.5%<>&",
            kind=kinds[i % 3],
            year=2023 if i % 3 == 0 else 2022 - (i % 2),
            section=f"章节{i % 7} > 小节&<{i}>",
            figure_id=i,
        )
        for i in range(n_figures)
    ]
    excerpts = [
        make_excerpt(
            f"E{j:03d}#" + ("就业&<>" * (excerpt_len // 5)),
            [(5, 7), (10, 12), (excerpt_len // 2, excerpt_len // 2 + 2)],
            passage_id=j,
            section=f"第{j}节 > <附>&",
        )
        for j in range(n_excerpts)
    ]
    return Answer(f"就业 <目标> & {NASTY}", REF, hits, excerpts, terms=["就业"])


def all_pages(answer: Answer, *, html: bool, budget: int) -> list[Page]:
    pages: list[Page] = []
    while True:
        page = render_answer(answer, html=html, page=len(pages), budget=budget)
        pages.append(page)
        if not page.has_more:
            return pages
        assert len(pages) < 1000, "paging never ends"


# ── escaping ──────────────────────────────────────────────────────────────────────────────────


def test_html_escapes_report_text_section_and_query() -> None:
    ref = ReportRef("x", f"报告{NASTY}", "某县<&>", 2023)
    hit = make_hit(f"收入{NASTY}", "5%<&>", section=f"一、{NASTY} > 二、<i>", ref=ref)
    ex = make_excerpt(f"正文{NASTY}就业", [(len("正文" + NASTY), len("正文" + NASTY) + 2)], ref=ref)
    ex = Excerpt(ex.text, f"节<&>{NASTY}", ref, 1, 1.0, ex.marks)
    answer = Answer(f"问{NASTY}", ref, [hit], [ex])

    text = render_answer(answer, html=True).text
    visible = telegram_visible(text)
    for raw in (f"问{NASTY}", f"收入{NASTY}", "5%<&>", f"正文{NASTY}"):
        assert raw in visible
    assert "&lt;b&gt;&amp;amp;" in text  # the literal "<b>&amp;" arrives as text


def test_plain_mode_keeps_raw_text_and_has_no_tags() -> None:
    answer = Answer(f"问{NASTY}", REF, [make_hit(f"收入{NASTY}")], [make_excerpt()])
    text = render_answer(answer, html=False).text
    assert f"收入{NASTY}" in text
    assert "&lt;" not in text
    assert "<i>" not in text


@pytest.mark.parametrize("html", [True, False])
def test_every_function_escapes(html: bool) -> None:
    ref = ReportRef("r<1>", f"T{NASTY}", f"R{NASTY}", 2023)
    hit = make_hit(f"I{NASTY}", f"V{NASTY}", section=f"S{NASTY}", ref=ref)
    ex = make_excerpt(f"X{NASTY}", [], ref=ref, section=f"S{NASTY}")
    info = Info("r<1>", f"T{NASTY}", f"R{NASTY}", 2023, 3, 1, 2)
    outputs = [
        render_figure(hit, html=html),
        render_excerpt(ex, html=html),
        render_passage(ex, html=html),
        render_reports([info], html=html),
        render_empty(Answer(f"Q{NASTY}", ref, suggestions=[f"G{NASTY}"]), html=html),
    ]
    for out in outputs:
        if html:
            assert NASTY in telegram_visible(out)
        else:
            assert NASTY in out


# ── budgets ───────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("html", [True, False])
@pytest.mark.parametrize("budget", [200, 333, 800, 1500, 4096, 10_000])
def test_every_page_of_a_huge_answer_fits(html: bool, budget: int) -> None:
    for page in all_pages(huge_answer(), html=html, budget=budget):
        assert width(page.text) <= min(budget, 4096)
        assert len(page.text) <= 4096
        if html:
            telegram_visible(page.text)


def test_width_counts_utf16_units() -> None:
    assert width("🎯") == 2
    assert width("就业") == 2
    assert width("a&b") == 3


def test_budget_below_minimum_is_refused() -> None:
    with pytest.raises(ValueError):
        render_answer(huge_answer(3, 1, 100), budget=50)


@pytest.mark.parametrize("limit", range(1, 60))
def test_excerpt_never_cuts_an_entity_or_tag(limit: int) -> None:
    ex = make_excerpt("&<>&就业&&" * 20, [(0, 3), (4, 6), (9, 12)])
    out = render_excerpt(ex, html=True, limit=limit)
    assert width(out) <= limit
    telegram_visible(out)


def test_passage_fits_budget_and_marks_the_cut() -> None:
    ex = make_excerpt("就业&" * 10_000, [(0, 2), (19_998, 20_000)])
    out = render_passage(ex, html=True, budget=3500)
    assert width(out) <= 3500
    assert out.endswith("…")
    visible = telegram_visible(out)
    assert REF.title in visible
    assert "（一）稳就业" in visible


def test_passage_is_whole_when_it_fits() -> None:
    text = "一段完整的原文，含有就业目标和<特殊>字符&。" * 5
    out = render_passage(make_excerpt(text, [(10, 12)]), html=True)
    assert telegram_visible(out).endswith(text)
    assert "…" not in out


def test_report_list_is_cut_with_a_count() -> None:
    infos = [Info(f"r{i}", f"报告{i}<&>", "某地", 2000 + i % 30, 10, 4, 6) for i in range(1000)]
    out = render_reports(infos, html=True)
    assert width(out) <= 4000
    visible = telegram_visible(out)
    assert "1000份" in visible
    assert "…还有" in visible
    assert render_reports([], html=True) == "还没有载入任何报告。"


# ── bold marks ────────────────────────────────────────────────────────────────────────────────


def test_marks_are_bold_in_html_and_bracketed_in_plain() -> None:
    ex = make_excerpt("今年城镇新增就业700人", [(4, 8), (2, 4)])
    assert render_excerpt(ex, html=True) == "今年<b>城镇新增就业</b>700人"
    assert render_excerpt(ex, html=False) == "今年【城镇新增就业】700人"


def test_overlapping_and_stray_marks_are_merged_and_clipped() -> None:
    ex = make_excerpt("abcdef", [(1, 3), (2, 4), (5, 99), (4, 4), (-3, 0)])
    assert render_excerpt(ex, html=True) == "a<b>bcd</b>e<b>f</b>"


def test_excerpt_window_follows_the_first_match() -> None:
    text = "无关内容。" * 2000 + "招商引资到位资金12亿元" + "其他。" * 1000
    at = text.index("招商引资")
    out = render_excerpt(make_excerpt(text, [(at, at + 4)]), html=True, limit=120)
    assert "<b>招商引资</b>" in out
    assert out.startswith("…") and out.endswith("…")
    assert width(out) <= 120


def test_answer_shows_matched_words_in_its_excerpt() -> None:
    answer = Answer("就业", REF, [make_hit()], [make_excerpt()])
    assert "<b>就业</b>" in render_answer(answer, html=True).text
    assert "【就业】" in render_answer(answer, html=False).text


# ── layout ────────────────────────────────────────────────────────────────────────────────────


def test_figures_are_grouped_targets_then_actuals_then_others_with_years() -> None:
    hits = [
        make_hit("GDP增速", "3.8%", kind="actual", year=2022, qualifier=""),
        make_hit("其他指标", "5处", kind="other", year=None, qualifier=""),
        make_hit("城镇新增就业", "700人以上", kind="target", year=2023),
    ]
    text = render_answer(Answer("就业", REF, hits, [make_excerpt()]), html=False).text
    order = [
        text.index(s) for s in ("2023年目标", "700人以上", "2022年完成", "3.8%", "其他", "5处")
    ]
    assert order == sorted(order)
    assert text.index("5处") < text.index("📝")  # excerpts come after the figures
    assert text.rstrip().splitlines()[-1].startswith("📄 《2022年乌恰县政府工作报告》")
    assert "（一）稳就业" in text.splitlines()[-1]


def test_qualifier_shown_once() -> None:
    line = render_figure(make_hit("就业", "700人以上", qualifier="以上"))
    assert "以上（以上）" not in line
    line = render_figure(make_hit("地区生产总值", "6%", qualifier="同比增长"))
    assert "6%（同比增长）" in line
    line = render_figure(make_hit("进出口总额", "6%左右", qualifier="增长…左右"))
    assert "6%左右（增长）" in line


def test_a_run_of_figures_names_its_section_once() -> None:
    hits = [make_hit(f"指标{i}", f"{i}%", section="二、工作安排 > （三）稳就业") for i in range(3)]
    hits.append(make_hit("另一指标", "9%", section="二、工作安排 > （四）促消费"))
    text = render_answer(Answer("就业", REF, hits, []), html=False).text
    assert text.count("〔（三）稳就业〕") == 1
    assert text.count("〔（四）促消费〕") == 1
    assert all(f"指标{i} — {i}%" in text for i in range(3))


def test_figures_across_reports_name_their_report() -> None:
    other = ReportRef("anhui-2026", "2026年安徽省政府工作报告", "安徽省", 2026)
    hits = [make_hit(), make_hit(ref=other, year=2026)]
    text = render_answer(Answer("就业目标", None, hits, []), html=False).text
    assert "全部报告" in text
    assert "乌恰县 2023" in text and "安徽省 2026" in text


def test_excerpts_across_reports_name_their_report() -> None:
    """The footer names one report: every other excerpt says which report it is from."""
    other = ReportRef("guangdong-2026", "2026年广东省政府工作报告", "广东省", 2026)
    excerpts = [make_excerpt(passage_id=1), make_excerpt("广东就业目标：城镇新增就业110万人。",
                                                         [(2, 4)], ref=other, passage_id=2)]
    across = render_answer(Answer("就业", None, [], excerpts), html=True).text
    visible = telegram_visible(across)
    assert "📝 〔乌恰县 2023〕 全年" in visible and "📝 〔广东省 2026〕 广东" in visible
    assert "<i>〔广东省 2026〕</i>" in across
    scoped = render_answer(Answer("就业", REF, [], excerpts), html=False).text
    assert "〔乌恰县 2023〕" not in scoped  # the answer's own report: the footer names it
    assert "📝 〔广东省 2026〕 广东" in scoped


def test_figure_card_has_kind_year_value_and_source() -> None:
    card = render_figure(make_hit(), html=True)
    visible = telegram_visible(card)
    assert "城镇新增就业" in visible and "700人以上" in visible
    assert "2023年目标" in visible and REF.title in visible
    assert "（一）稳就业" in visible


# ── paging ────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("html", [True, False])
@pytest.mark.parametrize("budget", [200, 600, 1500, 4096])
def test_paging_shows_every_item_exactly_once(html: bool, budget: int) -> None:
    answer = huge_answer(n_figures=200, n_excerpts=9, excerpt_len=3000)
    pages = all_pages(answer, html=html, budget=budget)
    joined = "\n".join(telegram_visible(p.text) if html else p.text for p in pages)
    for i in range(200):
        assert joined.count(f"指标F{i:04d}&<x>") == 1, f"figure {i}"
    for j in range(9):
        assert joined.count(f"E{j:03d}#") == 1, f"excerpt {j}"
    assert [p.page for p in pages] == list(range(len(pages)))
    assert all(p.has_more for p in pages[:-1])
    if budget <= 1500:
        assert len(pages) > 1


def test_small_answer_is_one_page() -> None:
    page = render_answer(Answer("就业", REF, [make_hit()], [make_excerpt()]))
    assert page == Page(page.text, False, 0)


def test_first_page_keeps_an_excerpt_despite_many_figures() -> None:
    text = render_answer(huge_answer(), html=True, budget=1500).text
    assert "📝" in text


def test_page_past_the_end_is_polite() -> None:
    answer = Answer("就业", REF, [make_hit()], [make_excerpt()])
    page = render_answer(answer, page=5)
    assert not page.has_more and page.page == 5
    assert "没有更多" in page.text
    assert "700人以上" not in page.text


def test_pages_are_stable() -> None:
    answer = huge_answer(60, 4, 2000)
    assert render_answer(answer, page=2, html=True) == render_answer(answer, page=2, html=True)


def test_turning_to_page_k_composes_one_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """[更多 ▸] on page 50 must not lay out pages 0–49 again: O(1) pages per turn, not O(k)."""
    import bot.render.answer

    composed: list[int] = []
    compose = bot.render.answer._compose

    def counting(lay, cur, page, answer):
        composed.append(page)
        return compose(lay, cur, page, answer)

    monkeypatch.setattr(bot.render.answer, "_compose", counting)
    answer = huge_answer(n_figures=400, n_excerpts=0)
    expected = [p.text for p in all_pages(huge_answer(n_figures=400, n_excerpts=0), html=True,
                                          budget=600)]  # fmt: skip
    assert len(expected) > 50
    composed.clear()
    pages = [render_answer(answer, html=True, page=k, budget=600) for k in range(len(expected))]
    assert [p.text for p in pages] == expected  # the same pages as laid out from the start
    assert composed == list(range(len(expected)))  # each page composed once
    composed.clear()
    render_answer(answer, html=True, page=50, budget=600)  # back from 51: [◂ 上一页]
    render_answer(answer, html=True, page=51, budget=600)
    assert composed == [50, 51]
    composed.clear()
    render_answer(answer, html=False, page=3, budget=600)  # another layout starts afresh
    assert composed == [0, 1, 2, 3]


# ── empty answers ─────────────────────────────────────────────────────────────────────────────


def test_empty_answer_offers_suggestions() -> None:
    answer = Answer("招商引姿<&>", REF, suggestions=["招商引资", "招商<引>智"])
    page = render_answer(answer, html=True)
    assert not page.has_more
    visible = telegram_visible(page.text)
    assert "没有找到“招商引姿<&>”" in visible
    assert "您是不是要找：招商引资、招商<引>智" in visible
    assert "<b>招商引资</b>" in page.text
    assert render_empty(answer) in render_answer(answer).text


def test_empty_answer_without_suggestions_shows_examples() -> None:
    out = render_empty(Answer("火星探测", None))
    assert "没有找到“火星探测”" in out
    assert "您是不是要找" not in out
    assert "就业目标" in out


# ── properties ────────────────────────────────────────────────────────────────────────────────

nasty_text = st.text(
    alphabet=st.sampled_from(list("<>&;amp就业目标 \n🎯a1")), min_size=0, max_size=400
)


@settings(max_examples=60, deadline=None)
@given(
    query=nasty_text,
    texts=st.lists(nasty_text, min_size=0, max_size=6),
    n_figures=st.integers(0, 40),
    budget=st.integers(200, 5000),
    html=st.booleans(),
)
def test_any_answer_renders_valid_and_within_budget(
    query: str, texts: list[str], n_figures: int, budget: int, html: bool
) -> None:
    hits = [
        make_hit(f"{query[:9]}{i}", f"{i}{query[-5:]}", kind=("target", "actual")[i % 2])
        for i in range(n_figures)
    ]
    excerpts = [make_excerpt(t, [(0, 2), (3, 9)], section=query) for t in texts]
    answer = Answer(query, REF if n_figures % 2 else None, hits, excerpts, suggestions=[query])
    pages = all_pages(answer, html=html, budget=budget)
    for page in pages:
        assert width(page.text) <= min(budget, 4096)
        if html:
            telegram_visible(page.text)


@dataclass
class Info:
    id: str
    title: str
    region: str
    year: int | None
    figures: int
    targets: int
    actuals: int

"""Section tree and passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.report.normalize import normalize
from bot.report.structure import build
from tests.report_cases import CASES, IDS, parsed


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_real_reports_sections_and_passages(case: tuple) -> None:
    relative, *_, n_sections, n_passages, top = case
    _text, sections, passages, _, _ = parsed(relative)
    assert tuple(s.title for s in sections if s.level == 1) == top
    assert len(sections) == n_sections
    assert len(passages) == n_passages


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_tree_invariants(case: tuple) -> None:
    text, sections, passages, _, _ = parsed(case[0])
    assert [p.index for p in passages] == list(range(len(passages)))
    assert [s.index for s in sections] == list(range(len(sections)))
    # Every passage is a non-empty line of the text, in order, and covers all of them.
    assert [p.text for p in passages] == [line for line in text.splitlines() if line]
    for p in passages:
        assert text[p.start : p.end] == p.text
        assert p.path == (sections[p.section].path if p.section is not None else ())
        if p.section is not None:
            assert sections[p.section].start <= p.start and p.end <= sections[p.section].end
    for s in sections:
        assert text[s.start :].startswith(s.number)
        assert s.start < s.end <= len(text)
        if s.parent is None:
            assert s.path == (s.title,)
        else:
            parent = sections[s.parent]
            assert parent.level < s.level and s.path == (*parent.path, s.title)
            assert parent.start < s.start and s.end <= parent.end


def test_wuqia_outline() -> None:
    _text, sections, passages, _, _ = parsed("seeds/wuqia-2022.txt")
    first = sections[1]
    assert (first.level, first.number) == (2, "(一)")
    assert first.title == "坚持“动态清零”总方针,瞄准靶向精准施策,疫情防控形势平稳可控"
    assert first.path == ("2022年工作回顾", first.title)
    lead = next(s for s in sections if s.title == "农牧产业持续增效")
    assert (lead.level, lead.number) == (4, "——")
    assert sections[lead.parent].number == "(二)"
    # A lead-in section holds its own paragraph only.
    owned = [p for p in passages if p.section == lead.index]
    assert len(owned) == 1 and owned[0].text.startswith("——农牧产业持续增效。全面落实")
    plans = next(s for s in sections if s.number == "三、")
    assert plans.title == "2023年重点工作安排"
    assert [s.title for s in sections if s.parent == plans.index][:2] == [
        "踔厉奋发勇毅前行,展现法治乌恰新气象",
        "踔厉奋发勇毅前行,绘就民族团结新图景",
    ]


def test_lines_before_the_first_heading_have_no_section() -> None:
    _, sections, passages, _, _ = parsed("tests/data/reports/national-2023.txt")
    head = [p for p in passages if p.start < sections[0].start]
    assert [p.text for p in head][:2] == [
        "政府工作报告",
        "——2023年3月5日在第十四届全国人民代表大会第一次会议上",
    ]
    assert all(p.section is None and p.path == () for p in head)


def test_address_to_deputies_returns_to_the_part() -> None:
    _, _sections, passages, _, _ = parsed("seeds/wuqia-2022.txt")
    address = next(p for p in passages if p.text.startswith("各位代表!看似寻常最奇崛"))
    assert address.path == ("2022年工作回顾",)


def test_baoding_subheading_line_holds_following_paragraphs() -> None:
    _, sections, passages, _, _ = parsed("tests/data/reports/baoding-2025.txt")
    sub = sections[1]
    assert (sub.level, sub.title, sub.parent) == (4, "经济稳中有进、发展质效向好", 0)
    one = next(p for p in passages if p.text.startswith("一是协同发展走深走实"))
    assert one.path == ("2024年工作回顾", "经济稳中有进、发展质效向好")


def test_national_2023_lead_ins_and_subsections() -> None:
    _, sections, _, _, _ = parsed("tests/data/reports/national-2023.txt")
    titles = [(s.level, s.title) for s in sections]
    assert (4, "经济发展再上新台阶") in titles
    assert (2, "创新宏观调控，保持经济运行在合理区间") in titles
    assert not any(s.title.startswith("2023年3月5日") for s in sections)


def test_guangdong_annexes_nest_their_items() -> None:
    _, sections, _, _, _ = parsed("tests/data/reports/guangdong-2026.txt")
    annex = next(s for s in sections if s.number == "附件1")
    assert (annex.level, annex.title) == (1, "2026年省十件民生实事")
    items = [s for s in sections if s.parent == annex.index]
    assert len(items) == 10 and all(s.level == 2 for s in items)
    assert items[0].number == "一、"
    glossary = next(s for s in sections if s.number == "附件2")
    terms = [s for s in sections if s.parent == glossary.index]
    assert terms[0].number == "1." and terms[0].title == "“四上”企业"
    assert len(terms) == 13


def test_inline_enumerations_are_not_parts() -> None:
    for relative in ("tests/data/corpus/national/1955.txt", "tests/data/corpus/national/1987.txt"):
        _, sections, _, _, _ = parsed(relative)
        numbers = [s.number for s in sections if s.level == 1 and s.number]
        assert numbers == ["一、", "二、", "三、", "四、"]


def test_heading_title_is_first_sentence_and_short() -> None:
    text = "一、工作回顾\n（一）" + "坚持稳中求进" * 20 + "，扎实推进。正文内容。\n"
    sections, _ = build(text)
    assert sections[1].title == ("坚持稳中求进" * 20)[:60]
    assert len(sections[1].title) <= 60


def test_half_width_markers_and_bare_numeral_headings() -> None:
    text = "一 总任务\n正文。\n(一)第一项。内容。\n1．细项。内容。\n2、另一项：内容。\n二 结束语\n"
    sections, passages = build(text)
    assert [(s.level, s.number, s.title) for s in sections] == [
        (1, "一", "总任务"),
        (2, "(一)", "第一项"),
        (3, "1．", "细项"),
        (3, "2、", "另一项"),
        (1, "二", "结束语"),
    ]
    assert passages[-1].path == ("结束语",)


def test_numbers_that_are_not_headings() -> None:
    text = "一、回顾\n2.5\n5.5%左右的目标。\n十三五\n——2023年1月10日在县第十七届人民代表大会上\n"
    sections, _ = build(text)
    assert [s.number for s in sections] == ["一、"]


def test_one_line_report_gets_its_parts() -> None:
    raw = (Path(__file__).parent / "data" / "reports" / "national-2025.txt").read_text("utf-8")
    text = normalize("".join(line.strip() for line in raw.splitlines()))
    sections, _passages = build(text)
    assert [s.title for s in sections if s.level == 1] == [
        "2024年工作回顾",
        "2025年经济社会发展总体要求",
        "2025年政府工作任务",
    ]
    assert sum(1 for s in sections if s.level == 2) == 10


def test_empty_text() -> None:
    assert build("") == ([], [])


def test_unnumbered_headings_between_paragraphs() -> None:
    text = (
        "政府工作报告\n各位代表：\n现在作报告。\n过去五年的回顾\n五年来成绩很大。\n"
        "今后五年的主要任务\n今后任务很重。\n（一）关于经济建设\n要搞好经济。\n"
        "（二）关于外交工作\n要搞好外交。\n结束语\n各位代表！\n让我们共同努力。\n"
    )
    sections, passages = build(text)
    assert [(s.level, s.number, s.title) for s in sections] == [
        (1, "", "过去五年的回顾"),
        (1, "", "今后五年的主要任务"),
        (2, "（一）", "关于经济建设"),
        (2, "（二）", "关于外交工作"),
        (1, "", "结束语"),
    ]
    assert passages[-1].path == ("结束语",)


def test_short_lines_that_are_not_unnumbered_headings() -> None:
    # Inside a numbered series, before the speech, with sentence punctuation, or in a report
    # with 一、 parts (only 结束语 is taken there), a short line is no heading.
    text = (
        "某某县政府工作报告\n县长 张三\n各位代表：\n现在作报告。\n（一）工业\n先说工业的情况\n"
        "工业增长很快。\n（二）农业\n农业也好，粮食丰收\n农业增长很快。\n"
    )
    assert [s.title for s in build(text)[0]] == ["工业", "农业"]
    text = "各位代表：\n一、回顾\n成绩很大。\n工业发展的情况\n工业增长。\n结束语\n各位代表！\n"
    assert [(s.level, s.title) for s in build(text)[0]] == [(1, "回顾"), (1, "结束语")]


def test_parts_without_top_markers_are_top_level() -> None:
    _, sections, _, _, _ = parsed("tests/data/corpus/national/1958.txt")
    tops = [s for s in sections if s.level == 1]
    assert [s.number for s in tops] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert all(s.parent is None for s in tops)
    assert not any(s.title == "先说工业战线上的情况" for s in sections)


def test_ordinal_headings_nest_where_the_report_puts_them() -> None:
    _, sections, _, _, _ = parsed("tests/data/corpus/national/1983.txt")
    first = next(s for s in sections if s.number == "第一、")
    assert first.title == "大力提高经济效益，积极扩大财源"
    assert sections[first.parent].title == "关于经济建设"
    # 1978: 第一，全国动员，大办农业 holds （一）…（九）; 第二， closes them again.
    _, sections, _, _, _ = parsed("tests/data/corpus/national/1978.txt")
    farm = next(s for s in sections if s.title == "全国动员，大办农业")
    items = [s for s in sections if s.parent == farm.index]
    assert len(items) == 9 and items[0].number == "（一）"
    second = next(s for s in sections if s.number == "第二，")
    assert second.parent == farm.parent
    # A long 第一，… paragraph and an out-of-sequence 第三 are list items, not headings.
    text = "一、任务\n第一，" + "要做好很多工作" * 6 + "。\n第三，短标题\n正文。\n"
    assert [s.number for s in build(text)[0]] == ["一、"]


def test_opening_lead_ins_stay_below_the_parts() -> None:
    _, sections, _, _, _ = parsed("tests/data/corpus/provincial-2026/neimenggu.txt")
    assert sections[0].number == "——" and sections[0].level == 4
    assert [s.number for s in sections if s.level == 1][:3] == ["一、", "二、", "三、"]


def test_gansu_slogans_and_items_nest_under_unnumbered_parts() -> None:
    _, sections, _, _, _ = parsed("tests/data/corpus/provincial-2026/gansu.txt")
    review, plan, work = (s for s in sections if s.level == 1)
    leads = [s for s in sections if s.parent == review.index]
    assert len(leads) == 5 and leads[0].title == "这是追赶进位、综合实力快速跃升的五年"
    assert next(s.number for s in sections if s.parent == work.index) == "（一）"
    assert not [s for s in sections if s.parent == plan.index]


def test_heading_run_into_its_paragraph_gets_a_short_title() -> None:
    _, sections, _, _, _ = parsed("tests/data/corpus/national/1987.txt")
    three = next(s for s in sections if s.number == "三、")
    assert three.title == "深入改革经济体制和扩大对外开放"

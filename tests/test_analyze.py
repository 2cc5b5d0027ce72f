"""Query understanding: folding, Traditional characters, question words, intent, scope, synonyms."""

from __future__ import annotations

import pytest

from bot.search import segment
from bot.search.analyze import Analyzer, expand, lexicon, simplify


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    a = Analyzer()
    a.learn(["城镇新增就业", "高校毕业生就业去向落实率"], {"乌恰县": {"wuqia-2022"},
                                                      "乌恰": {"wuqia-2022"}})  # fmt: skip
    return a


def test_width_and_case_folding(analyzer):
    assert simplify("ＧＤＰ") == simplify("gdp") == "gdp"
    full, half = analyzer.analyze("ＧＤＰ目标"), analyzer.analyze("GDP目标")
    assert full.core == half.core == "gdp"
    assert "地区生产总值" in full.terms


def test_traditional_characters(analyzer):
    q = analyzer.analyze("就業目標")
    assert q.core == "就业" and q.intent == "target"
    assert analyzer.analyze("國內生產總值").core == "国内生产总值"


@pytest.mark.parametrize(
    "text, core, intent",
    [
        ("今年就业目标是多少？", "就业", "target"),
        ("就业情况怎么样", "就业", None),
        ("去年GDP完成了多少", "gdp", "actual"),
        ("失业率目标是多少", "失业率", "target"),
        ("招商引资完成情况呢", "招商引资", "actual"),
        ("明年计划新增就业多少人", "新增就业", "target"),
        ("外贸增长", "外贸", None),
    ],
)
def test_question_and_intent_words(analyzer, text, core, intent):
    q = analyzer.analyze(text)
    assert (q.core, q.intent) == (core, intent)


def test_years_and_regions_narrow(analyzer):
    q = analyzer.analyze("2023年就业目标")
    assert q.years == [2023] and q.core == "就业" and q.intent == "target"
    q = analyzer.analyze("乌恰 GDP")
    assert q.regions == ["乌恰"] and q.core == "gdp"
    assert analyzer.analyze("去年的就业").relative == "last"
    assert analyzer.analyze("今年的就业").relative == "this"


def test_synonyms():
    syn = lexicon().synonyms
    for key in ("gdp", "cpi", "物价", "财政收入", "农民收入", "规上", "电商", "外贸", "专项债"):
        assert syn[key], key
    assert "一般公共预算收入" in [p.text for p in expand("财政收入")]
    assert "农村居民人均可支配收入" in [p.text for p in expand("农民收入")]
    assert "规模以上工业增加值" in [p.text for p in expand("规上工业增加值")]
    assert "专项债券" in [p.text for p in expand("专项债")]
    phrases = expand("外贸")
    assert phrases[0].source == "exact" and {p.source for p in phrases[1:]} == {"synonym"}
    # An expansion already written around its key is not applied again.
    assert "固定资产固定资产投资" not in [p.text for p in expand("固定资产投资")]


def test_domain_dictionary_stays_out_of_the_index(analyzer):
    # The query side knows 城镇新增就业 as one word; the index tokenizer must not.
    assert "城镇新增就业" in analyzer.cut("城镇新增就业目标")
    assert "城镇新增就业" not in segment.index_tokenizer().lcut("城镇新增就业目标")


def test_empty_and_punctuation_only(analyzer):
    for text in ["", "？？", "是多少", "   "]:
        q = analyzer.analyze(text)
        assert q.core == "" and q.phrases == []


@pytest.mark.parametrize(
    "text, core, intent, relative",
    [
        ("那居民收入呢", "居民收入", None, None),
        ("居民收入怎么样", "居民收入", None, None),
        ("去年财政收入完成得怎么样？", "财政收入", "actual", "last"),
        ("就业情况如何", "就业", None, None),
        ("说说招商引资", "招商引资", None, None),
        ("请问今年GDP目标是多少", "gdp", "target", "this"),
        ("帮我查一下GDP", "gdp", None, None),
        ("那么外贸呢？", "外贸", None, None),
        ("还有财政收入多少了", "财政收入", None, None),
        ("介绍一下林果", "林果", None, None),
        ("招商引资咋样", "招商引资", None, None),
        ("财政收入有啥变化", "财政收入", None, None),
    ],
)
def test_conversational_phrasing(analyzer, text, core, intent, relative):
    q = analyzer.analyze(text)
    assert (q.core, q.intent, q.relative) == (core, intent, relative)


def test_filler_alone_is_kept():
    # Stripping never empties a query that is nothing but filler-like words.
    from bot.search.analyze import strip_filler

    assert strip_filler("呢") == "呢"
    assert strip_filler("那居民收入呢") == "居民收入"


def test_resident_income_reaches_urban_and_rural():
    terms = [p.text for p in expand("居民收入")]
    assert "城镇居民人均可支配收入" in terms and "农村居民人均可支配收入" in terms


def test_rewrites_do_not_stack_expansions():
    # 规上 → 规模以上 and 工业增加值 → 规模以上工业增加值 must not give 规上规模以上工业增加值.
    terms = [p.text for p in expand("规上工业增加值")]
    assert "规模以上工业增加值" in terms
    assert not any("规模以上规模以上" in t or "规上规模以上" in t for t in terms)

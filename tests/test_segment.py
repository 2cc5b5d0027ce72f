"""The Chinese traps of full-text search, each shown failing the naive way and passing ours."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import jieba
import pytest
from rapidfuzz import fuzz, process, utils

from bot.engine import Engine
from bot.search.fuzzy import Vocabulary, homophone_typo
from bot.search.segment import (
    FTS_TOKENIZE,
    fts_all,
    fts_phrase,
    index_text,
    index_tokens,
    match_words,
)

SEED = Path(__file__).resolve().parent.parent / "seeds" / "wuqia-2022.txt"
SENTENCES = [
    "全年完成农村改厕10020个户厕，新增卫生户厕470户",
    "突出抓好林果业提质增效，林果种植面积达到2.56万亩",
    "落实组合式税费支持政策，办理增值税留抵退税7600万元",
    "全年实现地区生产总值同比增长23.4%",
    "GDP23.4%的增幅位居前列",
]


def _fts(tokenize: str, rows: list[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize=\"{tokenize}\")")
    conn.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", enumerate(rows))
    return conn


def _hits(conn: sqlite3.Connection, expr: str) -> set[int]:
    return {row[0] for row in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (expr,))}


def test_default_tokenizer_cannot_search_chinese_ours_can():
    raw = _fts("unicode61", SENTENCES)
    # unicode61 sees a whole run of Han characters as one token: no word inside it is findable.
    assert _hits(raw, '"就业"') == set()
    assert _hits(raw, '"林果"') == set()
    ours = _fts(FTS_TOKENIZE, [index_text(s) for s in SENTENCES])
    assert _hits(ours, fts_all(match_words("林果"))) == {1}
    assert _hits(ours, fts_all(match_words("地区生产总值"))) == {3}


@pytest.mark.parametrize("word, row", [("户厕", 0), ("林果", 1), ("退税", 2)])
def test_two_character_words(word, row):
    trigram = _fts("trigram", SENTENCES)
    # A trigram index has no token shorter than three characters: two-character words are lost.
    assert _hits(trigram, f'"{word}"') == set()
    ours = _fts(FTS_TOKENIZE, [index_text(s) for s in SENTENCES])
    assert row in _hits(ours, fts_all(match_words(word)))


def test_word_inside_a_longer_word_is_found():
    # 林果业 is one jieba word; the two-character slices of long words make 林果 and 果业 findable.
    assert "林果业" in index_tokens("抓好林果业提质增效")
    assert {"林果", "果业"} <= set(index_tokens("抓好林果业提质增效"))


def test_numbers_stay_searchable_however_jieba_cuts_them():
    tok = jieba.Tokenizer()
    glued = list(tok.cut("GDP23.4%的增幅"))
    apart = list(tok.cut("同比增长23.4%"))
    # jieba keeps letters and digits in one block: the same number comes out as different tokens.
    assert "23.4" not in glued and "23.4%" not in glued
    assert "23.4%" in apart
    ours = _fts(FTS_TOKENIZE, [index_text(s) for s in SENTENCES])
    assert "23.4" in index_tokens("GDP23.4%的增幅") and "23.4" in index_tokens("同比增长23.4%")
    assert _hits(ours, fts_all(match_words("23.4%"))) == {3, 4}
    assert _hits(ours, fts_all(match_words("2.56万亩"))) == {1}
    assert _hits(ours, fts_all(match_words("23"))) == set()  # numbers match whole, not as prefix
    assert _hits(ours, fts_all(match_words("GDP"))) == {4}  # case folded


@pytest.mark.parametrize(
    ("hostile", "rows"),
    [
        ('"', None),  # punctuation only: no words, no expression
        ("*", None),
        ("AND", set()),  # a word like any other: no row holds "and"
        ("就业 OR", set()),  # both words required; read as syntax it would be an error
        ("NEAR(", set()),
        ('林果" OR "x', set()),  # read as syntax: 林果 OR x would find row 1
        ("林果*", {1}),  # * is no wildcard here, just a separator
        ("-林果", {1}),  # nor is - a NOT
        ("body:林果", set()),  # nor is : a column filter (no row holds "body")
    ],
)
def test_query_syntax_is_escaped(hostile, rows):
    ours = _fts(FTS_TOKENIZE, [index_text(s) for s in SENTENCES])
    expr = fts_all(match_words(hostile))
    if rows is None:
        assert expr is None
    else:
        assert expr is not None and _hits(ours, expr) == rows


def test_a_quote_inside_a_term_stays_inside_it():
    ours = _fts(FTS_TOKENIZE, [index_text(s) for s in SENTENCES])
    assert _hits(ours, '"林果" OR "x"') == {1}  # what the text would do unquoted
    assert fts_phrase('林果" OR "x') == '"林果"" OR ""x"*'
    assert _hits(ours, fts_phrase('林果" OR "x')) == set()


async def test_short_path_finds_what_jieba_mis_cut(tmp_path):
    """座户厕 is cut 座户/厕: the index cannot find 户厕 there; the scoped substring scan does."""
    assert "户厕" not in index_tokens("改造8000座户厕")
    path = tmp_path / "r.txt"
    text = SEED.read_text(encoding="utf-8") + "\n今年将改造8000座户厕。\n"
    path.write_text(text, encoding="utf-8")
    engine = await Engine.open(tmp_path / "e.db")
    try:
        (rid,) = (await engine.ingest_paths([path])).added
        answer = await engine.ask("户厕", report_id=rid)
        assert any("8000座户厕" in ex.text for ex in answer.excerpts) or any(
            "8000座户厕" in hit.figure.text for hit in answer.figures
        )
    finally:
        await engine.close()


SCORERS = [fuzz.ratio, fuzz.partial_ratio, fuzz.token_sort_ratio, fuzz.token_set_ratio,
           fuzz.WRatio, fuzz.QRatio]  # fmt: skip


@pytest.mark.parametrize("scorer", SCORERS, ids=lambda s: s.__name__)
def test_no_scorer_strips_chinese(scorer):
    # Unrelated Chinese strings must not look alike, identical ones must: if a processor had
    # stripped the Han characters, both pairs would compare two empty strings.
    assert scorer("招商引资", "火星探测", processor=None) < 50
    assert scorer("招商引资", "招商引资", processor=None) == 100
    best = process.extractOne("招商引姿", ["火星探测", "招商引资"], scorer=scorer, processor=None)
    assert best[0] == "招商引资"
    assert utils.default_process("招商引资") == "招商引资"


def test_typos_are_homophones_not_lookalikes():
    vocab = Vocabulary.build([("招商引资", 10.0), ("月球探测", 3.0), ("户厕", 5.0),
                              ("城镇新增就业", 4.0), ("一般公共预算收入", 2.0)])  # fmt: skip
    assert vocab.correct("招商引姿") == ["招商引资"]
    assert vocab.correct("火星探测") == []  # ratio 75, like 招商引姿, but 火/月 do not sound alike
    assert vocab.correct("城镇新增就叶") == ["城镇新增就业"]
    assert vocab.correct("一般公共预算收") == ["一般公共预算收入"]  # one character dropped
    assert homophone_typo("户侧", "户厕")
    assert not homophone_typo("火星", "月球")

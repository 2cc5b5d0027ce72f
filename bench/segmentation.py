"""Which short-query path? Measures passage recall of word-index schemes against substring truth.

For each query, the truth is the set of passages (lines of the reports in tests/data and the
seed) containing it as a substring. Each scheme indexes the passages into an FTS5 table and
answers the query with an FTS5 expression; recall is the share of true passages found. The
substring truth over-counts (国企 inside 中国企业 is not a match), so 100 % is not the goal;
the misses are printed so they can be judged. Also timed: a LIKE scan of one report and of all.

    .venv/bin/python bench/segmentation.py
"""

from __future__ import annotations

import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.search import segment  # noqa: E402

QUERIES = (
    "户厕",
    "林果",
    "退税",
    "就业",
    "外贸",
    "粮食",
    "社保",
    "医保",
    "养老",
    "托育",
    "双减",
    "碳汇",
    "民宿",
    "光伏",
    "风电",
    "芯片",
    "算力",
    "冷链",
    "棚改",
    "低保",
    "引资",
    "电商",
    "果业",
    "旅游",
    "税费",
    "减税",
    "债券",
    "专项",
    "国企",
    "民企",
    "脱贫",
    "扶贫",
    "疫情",
    "航天",
    "高铁",
    "物价",
    "粮价",
    "房价",
    "教育",
    "学前",
    "普惠",
    "老旧",
    "危房",
    "粮仓",
    "草原",
    "口岸",
    "招商引资",
    "高标准农田",
    "新能源汽车",
    "专精特新",
    "留抵退税",
    "城中村",
    "保障房",
    "一刻钟",
    "乡村振兴示范村",
    "营商环境",
    "地区生产总值",
    "失业率",
    "人均可支配收入",
    "财政赤字",
    "赤字率",
    "研发投入",
    "数字经济",
    "市场主体",
    "社会消费品零售总额",
    "规模以上工业增加值",
    "进出口",
    "棚户区改造",
    "义务教育",
    "平安建设",
    "万亩",
    "亿元",
)
HAN = re.compile(r"^[\u3400-\u9fff]+$")


def passages() -> list[tuple[str, str]]:
    files = [ROOT / "seeds" / "wuqia-2022.txt"]
    files += sorted((ROOT / "tests" / "data").rglob("*.txt"))
    out = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line.strip()) > 10:
                out.append((path.stem, line.strip()))
    return out


def search_mode_only(text: str) -> str:
    tok = segment.index_tokenizer()
    return " ".join(w for w in tok.cut_for_search(segment.fold(text)) if re.search(r"\w", w))


def quoted(word: str, prefix: bool) -> str:
    return '"' + word.replace('"', '""') + '"' + ("*" if prefix else "")


SCHEMES = {
    # name: (index function, prefix rule for a query word)
    "search mode": (search_mode_only, lambda w: False),
    "search mode + prefix": (search_mode_only, lambda w: not w[0].isdigit()),
    "search mode + slices": (segment.index_text, lambda w: False),
    "search mode + slices + prefix ≥3 (ours)": (
        segment.index_text,
        lambda w: not w[0].isdigit() and len(w) >= 3,
    ),
}


def main() -> None:
    rows = passages()
    reports = {r for r, _ in rows}
    print(f"{len(reports)} reports, {len(rows)} passages, {sum(len(t) for _, t in rows):,} chars")
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, report TEXT, t TEXT)")
    db.executemany("INSERT INTO p VALUES (?, ?, ?)", [(i, r, t) for i, (r, t) in enumerate(rows)])
    db.execute("CREATE INDEX p_report ON p (report)")
    truth = {
        q: {r[0] for r in db.execute("SELECT id FROM p WHERE instr(t, ?) > 0", (q,))}
        for q in QUERIES
    }
    for name, (index, prefix) in SCHEMES.items():
        db.execute("DROP TABLE IF EXISTS f")
        db.execute(f'CREATE VIRTUAL TABLE f USING fts5(body, tokenize="{segment.FTS_TOKENIZE}")')
        db.executemany(
            "INSERT INTO f (rowid, body) VALUES (?, ?)",
            [(i, index(t)) for i, (_, t) in enumerate(rows)],
        )
        recalls, misses = [], []
        for q, want in truth.items():
            if not want:
                continue
            expr = " AND ".join(quoted(w, prefix(w)) for w in segment.match_words(q))
            got = {r[0] for r in db.execute("SELECT rowid FROM f WHERE f MATCH ?", (expr,))}
            recalls.append(len(got & want) / len(want))
            if want - got:
                misses.append(f"{q}-{len(want - got)}")
        print(f"{name:42s} recall {statistics.mean(recalls):.3f}  misses: {' '.join(misses)}")
    one = next(iter(sorted(reports)))
    for label, sql, args in [
        ("LIKE scan, one report", "SELECT id FROM p WHERE report = ? AND t LIKE ?", (one,)),
        ("LIKE scan, all reports", "SELECT id FROM p WHERE t LIKE ?", ()),
    ]:
        times = []
        for q in QUERIES:
            start = time.perf_counter()
            db.execute(sql, (*args, f"%{q}%")).fetchall()
            times.append((time.perf_counter() - start) * 1000)
        print(f"{label:42s} mean {statistics.mean(times):.2f} ms")


if __name__ == "__main__":
    main()

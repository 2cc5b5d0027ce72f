"""Search benchmark: a script that prints its figures, not a timed test.

For two corpora, the real one (tests/data/corpus plus the seed) and a synthetic scale-up
(bench/synth.py), it measures ingest time per report, database size, warm query latency
(p50/p99, scoped to one report and across all), cold start to first answer, peak RSS, and a
plain LIKE scan over the passages as the baseline, then prints a Markdown table.

    .venv/bin/python bench/search.py               # real corpus + 1,000 synthetic reports
    .venv/bin/python bench/search.py --quick       # real corpus + 100 synthetic reports
    .venv/bin/python bench/search.py --reports 300 --db-dir /tmp/bench

Each measurement that involves the engine runs in its own subprocess, so peak RSS belongs to
that step alone (ingesting 1,000 reports must not inflate the serving figure) and the cold
start really is cold: a fresh interpreter, imports, opening the database, one answer.
Databases live in a temporary directory (or --db-dir), never in data/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/search.py`
    sys.path.insert(0, str(ROOT))

from bench import synth  # noqa: E402  (needs the path set above)

# What users type: keywords, synonyms, years, intent words, typos, Traditional characters,
# whole questions, and topics no report covers.
QUERIES: tuple[str, ...] = (
    "就业目标", "GDP", "财政收入", "粮食产量", "招商引资", "固定资产投资", "居民收入",
    "2023年GDP目标", "去年进出口", "失业率", "污染", "新能源汽车", "乡村振兴", "专项债",
    "招商引姿", "就業目標", "今年就业目标是多少？", "火星探测", "CPI", "物价", "外贸",
    "城镇新增就业", "农民收入", "规上工业增加值", "电商", "社会消费品零售总额", "一般公共预算收入",
    "地区生产总值增长", "单位GDP能耗", "PM2.5", "棚户区改造", "脱贫攻坚", "高速公路",
    "研发投入", "高新技术企业", "教育", "医疗卫生", "养老保险", "保障性住房", "旅游收入",
    "去年完成了多少投资", "今年的经济增长目标", "明年计划", "赤字率", "国防", "粮食",
    "财政赤字", "城镇化率", "森林覆盖率", "耕地", "减税降费", "营商环境", "数字经济",
    "人工智能", "碳达峰", "恐龙化石", "比特币", "ＧＤＰ", "财政收入增长多少", "进出口总额",
)  # fmt: skip
# Comparison, series and tracking questions: answered from the figure table, then drawn.
TABLE_QUERIES: tuple[str, ...] = (
    "各省GDP目标", "哪个省GDP目标最高", "东部省份就业目标", "GDP目标低于5%的省份",
    "各省一般公共预算收入目标", "历年全国GDP增长目标", "广东历年GDP目标", "近五年全国财政收入",
    "全国去年目标完成情况", "2015年GDP目标完成了吗", "长三角居民收入目标", "各地粮食产量目标",
)  # fmt: skip
DEFAULT_REPORTS = 1000
QUICK_REPORTS = 100
DEFAULT_QUERIES = 240  # ≥ 200 timed queries per scope, cycling through QUERIES
COLD_RUNS = 3

TARGETS = {
    "scoped_p99_ms": 10.0,
    "all_p99_ms": 50.0,
    "ingest_s_per_report": 0.5,
    "cold_s": 2.0,
    "rss_mb": 300.0,
    "table_p99_ms": 50.0,
    "chart_p99_s": 1.0,
}


# ── statistics ───────────────────────────────────────────────────────────────────────────────


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: p99 of 240 samples is the 238th smallest, a real sample."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def peak_rss_mb() -> float:
    """ru_maxrss is in KiB on Linux and bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def timed_queries(n: int) -> list[str]:
    return [QUERIES[i % len(QUERIES)] for i in range(n)]


# ── children: each engine step runs in a fresh interpreter ──────────────────────────────────


async def _child_ingest(db: Path, list_file: Path) -> dict[str, Any]:
    from bot.engine import Engine

    paths = [Path(p) for p in list_file.read_text(encoding="utf-8").splitlines() if p]
    engine = await Engine.open(db)
    try:
        start = time.perf_counter()
        summary = await engine.ingest_paths(paths)
        elapsed = time.perf_counter() - start
        reports = await engine.reports()
    finally:
        await engine.close()
    failed = list(getattr(summary, "failed", []) or [])
    return {
        "seconds": elapsed,
        "files": len(paths),
        "added": _count(getattr(summary, "added", 0)),
        "updated": _count(getattr(summary, "updated", 0)),
        "unchanged": _count(getattr(summary, "unchanged", 0)),
        "failed": len(failed),
        "failed_examples": [str(f)[:200] for f in failed[:3]],
        "reports": len(reports),
        "figures": sum(int(getattr(r, "figures", 0) or 0) for r in reports),
        "rss_mb": peak_rss_mb(),
    }


def _count(value: Any) -> int:
    """IngestSummary fields may be counts or lists of names."""
    return value if isinstance(value, int) else len(value)


async def _child_query(db: Path, n: int) -> dict[str, Any]:
    from bot.engine import Engine

    engine = await Engine.open(db)
    try:
        ids = [r.id for r in await engine.reports()]
        for q in QUERIES:  # warm-up: caches, jieba's dictionary, SQLite pages
            await engine.ask(q)
            await engine.ask(q, report_id=ids[0])
        queries = timed_queries(n)
        scoped = await _time_all(engine, queries, lambda i: ids[(i * 7) % len(ids)])
        across = await _time_all(engine, queries, lambda i: None)
        answered = [q for q in QUERIES if not (await engine.ask(q)).empty]
    finally:
        await engine.close()
    return {
        "scoped_ms": scoped,
        "all_ms": across,
        "answered": answered,
        "rss_mb": peak_rss_mb(),
        "scope_ids": [ids[(i * 7) % len(ids)] for i in range(n)],
    }


async def _time_all(engine: Any, queries: list[str], scope: Callable[[int], str | None]) -> list:
    from bot.search import analyze

    out: list[float] = []
    for i, q in enumerate(queries):
        # The warm-up ran these very queries: forget their analysis (memo, phrase caches) so
        # each timed query pays for OpenCC, jieba and synonyms like a new question does.
        engine._analyzer.clear_memo()
        analyze._expand.cache_clear()
        analyze._phrase.cache_clear()
        start = time.perf_counter()
        await engine.ask(q, report_id=scope(i))
        out.append((time.perf_counter() - start) * 1000)
    return out


async def _child_tables(db: Path, n: int) -> dict[str, Any]:
    """Table answers (warm, analysis not memoized) and their charts, timed apart."""
    from bot.chart import has_chart_data, render_chart
    from bot.engine import Engine

    engine = await Engine.open(db)
    try:
        for q in TABLE_QUERIES:  # warm-up
            await engine.ask(q)
        queries = [TABLE_QUERIES[i % len(TABLE_QUERIES)] for i in range(n)]
        table_ms = await _time_all(engine, queries, lambda i: None)
        tables = [(q, (await engine.ask(q)).table) for q in TABLE_QUERIES]
    finally:
        await engine.close()
    drawn = [t for _, t in tables if t is not None and has_chart_data(t)]
    render_chart(drawn[0])  # the first chart loads matplotlib and the font: cold, apart
    chart_s: list[float] = []
    for i in range(max(n // 4, len(drawn))):
        start = time.perf_counter()
        render_chart(drawn[i % len(drawn)])
        chart_s.append(time.perf_counter() - start)
    return {
        "table_ms": table_ms,
        "chart_s": chart_s,
        "rows": {q: (len(t.rows) if t is not None else 0) for q, t in tables},
        "rss_mb": peak_rss_mb(),
    }


async def _child_cold(db: Path, query: str) -> dict[str, Any]:
    from bot.engine import Engine

    engine = await Engine.open(db)
    answer = await engine.ask(query)
    await engine.close()
    return {"figures": len(answer.figures), "rss_mb": peak_rss_mb()}


def run_child(kind: str, *args: str) -> tuple[dict[str, Any], float]:
    """Run one step in a new interpreter; returns its JSON result and the wall time."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, *args]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} step failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall


def child_main(kind: str, args: list[str]) -> int:
    db = Path(args[0])
    if kind == "ingest":
        result = asyncio.run(_child_ingest(db, Path(args[1])))
    elif kind == "query":
        result = asyncio.run(_child_query(db, int(args[1])))
    elif kind == "cold":
        result = asyncio.run(_child_cold(db, args[1]))
    elif kind == "tables":
        result = asyncio.run(_child_tables(db, int(args[1])))
    else:
        raise SystemExit(f"unknown child {kind}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


# ── the LIKE baseline: what a bot without an index would do ─────────────────────────────────


@dataclass(slots=True)
class LikeScan:
    """`text LIKE '%query%'` over the passages table, read-only on the engine's DB file."""

    db: Path
    conn: sqlite3.Connection = field(init=False)
    text_col: str = field(init=False)
    scope_sql: str = field(init=False)  # how a report slug narrows the scan

    def __post_init__(self) -> None:
        self.conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        self.text_col, self.scope_sql = self._discover()

    def _columns(self, table: str) -> list[str]:
        return [row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")]

    def _discover(self) -> tuple[str, str]:
        """Column names from the schema, so the baseline follows bot/store.py as it changes."""
        cols = self._columns("passages")
        text_col = next(c for c in ("text", "body", "content") if c in cols)
        report_col = next(c for c in ("report_id", "report", "report_pk") if c in cols)
        rcols = self._columns("reports")
        slug_col = next((c for c in ("slug", "report_id", "name", "id") if c in rcols), "id")
        key_col = "pk" if "pk" in rcols else ("rowid" if slug_col != "id" else "id")
        if slug_col == "id" and key_col == "id":
            scope = f"{report_col} = ?"  # passages name the report by its slug directly
        else:
            scope = f"{report_col} = (SELECT {key_col} FROM reports WHERE {slug_col} = ?)"
        return text_col, scope

    def search(self, query: str, report_id: str | None) -> int:
        """All matching passages, as a simple bot would fetch them."""
        pattern = f"%{query}%"
        if report_id is None:
            sql = f"SELECT rowid FROM passages WHERE {self.text_col} LIKE ?"
            return len(self.conn.execute(sql, (pattern,)).fetchall())
        sql = f"SELECT rowid FROM passages WHERE {self.scope_sql} AND {self.text_col} LIKE ?"
        return len(self.conn.execute(sql, (report_id, pattern)).fetchall())

    def time_all(self, queries: list[str], scopes: list[str | None]) -> list[float]:
        for q in QUERIES:  # same warm-up as the engine gets: the file in the page cache
            self.search(q, None)
        out: list[float] = []
        for q, rid in zip(queries, scopes, strict=True):
            start = time.perf_counter()
            self.search(q, rid)
            out.append((time.perf_counter() - start) * 1000)
        return out

    def answered(self) -> list[str]:
        return [q for q in QUERIES if self.search(q, None)]


# ── one corpus ───────────────────────────────────────────────────────────────────────────────


@dataclass(slots=True)
class Result:
    name: str
    files: int
    ingest: dict[str, Any]
    db_mb: float
    query: dict[str, Any]
    like_scoped_ms: list[float]
    like_all_ms: list[float]
    like_answered: list[str]
    cold_s: list[float]
    cold_rss_mb: float
    tables: dict[str, Any] | None = None  # table answers and charts, where regions are real


def db_size_mb(db: Path) -> float:
    """The database with its WAL and shared-memory files, as it sits on disk."""
    parts = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    return sum(p.stat().st_size for p in parts if p.exists()) / (1024 * 1024)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def bench_corpus(
    name: str, files: list[Path], work: Path, n_queries: int, *, tables: bool = True
) -> Result:
    slug = name.split()[0]  # "real (76 reports)" → real.db
    db = work / f"{slug}.db"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    list_file = work / f"{slug}.files"
    list_file.write_text("\n".join(str(p) for p in files), encoding="utf-8")

    log(f"[{name}] ingesting {len(files)} reports …")
    ingest, _ = run_child("ingest", str(db), str(list_file))
    took = f"{ingest['seconds']:.1f} s"
    log(f"[{name}] {took}, {ingest['reports']} reports, {ingest['failed']} failed")
    size = db_size_mb(db)

    log(f"[{name}] {n_queries} queries per scope, warm …")
    query, _ = run_child("query", str(db), str(n_queries))

    table_result = None
    if tables:
        log(f"[{name}] {n_queries} table questions and their charts …")
        table_result, _ = run_child("tables", str(db), str(n_queries))

    log(f"[{name}] cold start ×{COLD_RUNS} …")
    cold = [run_child("cold", str(db), "就业目标") for _ in range(COLD_RUNS)]

    log(f"[{name}] LIKE baseline …")
    like = LikeScan(db)
    queries = timed_queries(n_queries)
    like_scoped = like.time_all(queries, list(query["scope_ids"]))
    like_all = like.time_all(queries, [None] * n_queries)
    like_answered = like.answered()
    like.conn.close()
    return Result(
        name=name,
        files=len(files),
        ingest=ingest,
        db_mb=size,
        query=query,
        like_scoped_ms=like_scoped,
        like_all_ms=like_all,
        like_answered=like_answered,
        cold_s=[wall for _, wall in cold],
        cold_rss_mb=max(r["rss_mb"] for r, _ in cold),
        tables=table_result,
    )


# ── the table ────────────────────────────────────────────────────────────────────────────────


def _mark(value: float, target: float) -> str:
    return "✅" if value <= target else "❌"


def _lat(ms: list[float]) -> str:
    return f"{percentile(ms, 50):.2f} / {percentile(ms, 99):.2f} ms"


def _ratio(like_ms: list[float], engine_ms: list[float]) -> str:
    """LIKE time ÷ engine time at p50 and p99: above 1 the engine is faster."""
    p50 = percentile(like_ms, 50) / max(percentile(engine_ms, 50), 1e-9)
    p99 = percentile(like_ms, 99) / max(percentile(engine_ms, 99), 1e-9)
    return f"×{p50:.2g} / ×{p99:.2g}"


def _mb(value: float) -> str:
    return f"{value:.0f} MB {_mark(value, TARGETS['rss_mb'])}"


def rows_for(r: Result) -> dict[str, str]:
    ing, q, T = r.ingest, r.query, TARGETS
    per_report = ing["seconds"] / max(ing["added"] + ing["updated"], 1)
    sp99, ap99 = percentile(q["scoped_ms"], 99), percentile(q["all_ms"], 99)
    cold = sorted(r.cold_s)[len(r.cold_s) // 2]
    answered = f"{len(q['answered'])} / {len(r.like_answered)} of {len(QUERIES)}"
    return {
        "reports loaded (files, failed)": f"{ing['reports']} ({r.files}, {ing['failed']})",
        "figures extracted": f"{ing['figures']:,}",
        "ingest per report": f"{per_report:.3f} s {_mark(per_report, T['ingest_s_per_report'])}",
        "database size": f"{r.db_mb:.1f} MB",
        "query p50 / p99, one report": f"{_lat(q['scoped_ms'])} {_mark(sp99, T['scoped_p99_ms'])}",
        "query p50 / p99, all reports": f"{_lat(q['all_ms'])} {_mark(ap99, T['all_p99_ms'])}",
        "LIKE scan p50 / p99, one report": _lat(r.like_scoped_ms),
        "LIKE scan p50 / p99, all reports": _lat(r.like_all_ms),
        "LIKE ÷ engine (p50 / p99), one report": _ratio(r.like_scoped_ms, q["scoped_ms"]),
        "LIKE ÷ engine (p50 / p99), all reports": _ratio(r.like_all_ms, q["all_ms"]),
        "queries answered, engine / LIKE": answered,
        "cold start to first answer": f"{cold:.2f} s {_mark(cold, TARGETS['cold_s'])}",
        "peak RSS, serving (queries)": _mb(q["rss_mb"]),
        "peak RSS, cold start": _mb(r.cold_rss_mb),
        "peak RSS, ingest": _mb(ing["rss_mb"]),
        **_table_rows(r),
    }


def _table_rows(r: Result) -> dict[str, str]:
    t = r.tables
    if t is None:
        return {"table answer p50 / p99": "–", "chart p50 / p99": "–",
                "peak RSS, tables and charts": "–", "table rows (median)": "–"}  # fmt: skip
    tp99, cp99 = percentile(t["table_ms"], 99), percentile(t["chart_s"], 99)
    rows = sorted(t["rows"].values())
    return {
        "table answer p50 / p99": f"{_lat(t['table_ms'])} {_mark(tp99, TARGETS['table_p99_ms'])}",
        "chart p50 / p99": f"{percentile(t['chart_s'], 50) * 1000:.0f} / {cp99 * 1000:.0f} ms "
        f"{_mark(cp99, TARGETS['chart_p99_s'])}",
        "peak RSS, tables and charts": _mb(t["rss_mb"]),
        "table rows (median)": str(rows[len(rows) // 2]) if rows else "0",
    }


TARGET_TEXT = {
    "ingest per report": "≤ 0.5 s",
    "query p50 / p99, one report": "p99 ≤ 10 ms",
    "query p50 / p99, all reports": "p99 ≤ 50 ms",
    "cold start to first answer": "≤ 2 s",
    "peak RSS, serving (queries)": "≤ 300 MB",
    "peak RSS, cold start": "≤ 300 MB",
    "peak RSS, ingest": "≤ 300 MB",
    "table answer p50 / p99": "p99 ≤ 50 ms",
    "chart p50 / p99": "p99 ≤ 1 s",
}


def slowest(ms: list[float], n_queries: int, k: int = 5) -> str:
    """The k queries with the worst single time: where the p99 comes from."""
    worst: dict[str, float] = {}
    for q, t in zip(timed_queries(n_queries), ms, strict=True):
        worst[q] = max(worst.get(q, 0.0), t)
    top = sorted(worst.items(), key=lambda kv: -kv[1])[:k]
    return ", ".join(f"{q} {t:.1f} ms" for q, t in top)


def details(results: list[Result], n_queries: int) -> str:
    """Below the table: what to look at when a figure misses its target."""
    lines: list[str] = []
    for r in results:
        q = r.query
        silent = [x for x in QUERIES if x not in q["answered"]]
        lines += [
            f"- {r.name}: slowest one-report queries: {slowest(q['scoped_ms'], n_queries)}",
            f"- {r.name}: slowest all-report queries: {slowest(q['all_ms'], n_queries)}",
            f"- {r.name}: queries with no answer: {'、'.join(silent) or '(none)'}",
        ]
        if r.ingest["failed_examples"]:
            lines.append(f"- {r.name}: failed files: {r.ingest['failed_examples']}")
    return "\n".join(lines)


def table(results: list[Result], n_queries: int) -> str:
    cols = [rows_for(r) for r in results]
    head = ["| | target | " + " | ".join(r.name for r in results) + " |"]
    head.append("|---|---|" + "---|" * len(results))
    body = [
        f"| {key} | {TARGET_TEXT.get(key, '')} | " + " | ".join(c[key] for c in cols) + " |"
        for key in cols[0]
    ]
    note = (
        f"\n{n_queries} timed queries per scope, cycling {len(QUERIES)} user queries, warm "
        f"(query analysis not memoized: each timed query is analysed afresh), "
        f"one process; cold start is the wall time of a fresh interpreter that opens the "
        f"database and answers 就业目标 (median of {COLD_RUNS}). "
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}."
    )
    return "\n".join(head + body) + "\n" + note


# ── main ─────────────────────────────────────────────────────────────────────────────────────


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark search on the real and a synthetic corpus."
    )
    parser.add_argument("--reports", type=int, default=DEFAULT_REPORTS, help="synthetic reports")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_REPORTS} synthetic reports")
    parser.add_argument("--db-dir", type=Path, help="where databases go (default: a temp dir)")
    parser.add_argument("--queries", type=int, default=DEFAULT_QUERIES, help="timed per scope")
    parser.add_argument("--seed", type=int, default=7, help="synthetic corpus seed")
    parser.add_argument("--skip-real", action="store_true", help="only the synthetic corpus")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    n_synth = QUICK_REPORTS if args.quick else args.reports
    with tempfile.TemporaryDirectory(prefix="reportbot-bench-") as tmp:
        work = args.db_dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if (ROOT / "data").resolve() in [work.resolve(), *work.resolve().parents]:
            raise SystemExit("--db-dir must not be inside data/: the bench deletes its DBs")
        results: list[Result] = []
        if not args.skip_real:
            real = synth.real_reports()
            results.append(bench_corpus(f"real ({len(real)} reports)", real, work, args.queries))
        log(f"generating {n_synth} synthetic reports …")
        files = synth.generate(Path(tmp) / "synth", n_synth, seed=args.seed)
        results.append(bench_corpus(f"synthetic ({n_synth})", files, work, args.queries,
                                    tables=False))  # fmt: skip
        log(f"generating a library of {n_synth} reports (real regions, many years) …")
        files = synth.generate(Path(tmp) / "library", n_synth, seed=args.seed, keep_regions=True)
        results.append(bench_corpus(f"library ({n_synth})", files, work, args.queries))
        print(table(results, args.queries))
        print()
        print(details(results, args.queries))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        raise SystemExit(child_main(sys.argv[2], sys.argv[3:]))
    raise SystemExit(main())

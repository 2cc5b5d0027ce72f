"""`reportbot` commands that use the engine: console, ingest, reports, ask, eval, stats."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from bot.config import get_settings
from bot.engine import Engine

HELP = """Type a question, e.g. 就业目标, GDP, 今年财政收入目标是多少？
  更多 / more     next page of the last answer
  /reports        list the loaded reports
  /use ID         answer from one report only (/use without ID: all reports)
  /help           this text
End with Ctrl-D."""


def dispatch(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    engine = await Engine.open(settings.database_path, settings.seeds_dir)
    try:
        if args.command == "ingest":
            return await ingest(engine, args.paths, force=args.force)
        if args.command == "reports":
            return await reports(engine, as_json=args.json)
        if args.command == "ask":
            return await ask(engine, args.queries, report=args.report, as_json=args.json,
                             csv_file=args.csv, chart_file=args.chart)  # fmt: skip
        if args.command == "eval":
            return await run_eval(engine, args.cases, report=args.report)
        if args.command == "console":
            return await console(engine)
        if args.command == "stats":
            return await stats(engine, as_json=args.json)
        print(f"unknown command {args.command}", file=sys.stderr)
        return 2
    finally:
        await engine.close()


async def ingest(
    engine: Engine, paths: list[str], *, force: bool = False, stream: TextIO | None = None
) -> int:
    """Load files; a progress bar on stderr when it is a terminal (tqdm: silent otherwise)."""
    from tqdm import tqdm

    stream = stream or sys.stderr
    # disable=None: tqdm draws only when the stream is a TTY, so pipes and logs stay clean.
    with tqdm(total=0, unit="file", file=stream, disable=None, leave=False) as bar:

        def progress(done: int, total: int, name: str) -> None:
            bar.total = total
            bar.n = done
            bar.set_postfix_str(name[:40], refresh=False)
            bar.refresh()

        summary = await engine.ingest_paths(paths, progress=progress, force=force)
    for label in ("added", "updated", "unchanged"):
        ids = getattr(summary, label)
        if ids:
            print(f"{label} ({len(ids)}): {', '.join(ids)}")
    for name, existing in summary.duplicates:
        print(f"duplicate: {name} is already loaded as {existing}")
    for name, reason in summary.failed:
        print(f"failed: {name}: {reason}", file=sys.stderr)
    # Every reason bot/report/genre.py gives names what the file is not.
    if not force and any("政府工作报告" in reason for _, reason in summary.failed):
        print("(to load a file that is not a work report anyway: --force)", file=sys.stderr)
    if not any(
        (summary.added, summary.updated, summary.unchanged, summary.failed, summary.duplicates)
    ):
        print("no report files found (.txt .html .htm .docx)", file=sys.stderr)
        return 1
    return 1 if summary.failed else 0


async def reports(engine: Engine, *, as_json: bool) -> int:
    infos = await engine.reports()
    if as_json:
        print(json.dumps([asdict(i) for i in infos], ensure_ascii=False, indent=2))
        return 0
    if not infos:
        print("no reports loaded")
    for i in infos:
        region = f"{i.region or '?'}\t{i.level}\t{i.region_id or '?'}"
        print(f"{i.id}\t{i.year or '?'}\t{region}\t{i.title}\t"
              f"figures {i.figures} (targets {i.targets}, actuals {i.actuals})")  # fmt: skip
    return 0


async def stats(engine: Engine, *, as_json: bool) -> int:
    """The /stats figures: queries per day, top queries, top queries with no answer."""
    from bot.render.stats import render_stats

    usage = await engine.usage()
    if as_json:
        print(json.dumps({
            "days": [{"day": d.day.isoformat(), "queries": d.queries, "answered": d.answered}
                     for d in usage.days],
            "top": usage.top, "misses": usage.misses,
        }, ensure_ascii=False, indent=2))  # fmt: skip
    else:
        print(render_stats(usage, html=False))
    return 0


async def ask(
    engine: Engine,
    queries: list[str],
    *,
    report: str | None,
    as_json: bool,
    csv_file: str | None = None,
    chart_file: str | None = None,
) -> int:
    from bot.render import render_answer

    if report is not None and await engine.get_report(report) is None:
        print(f"no report with id {report!r}; see `reportbot reports`", file=sys.stderr)
        return 2
    tables = 0
    for query in queries:
        answer = await engine.ask(query, report_id=report)
        if answer.table is not None and (csv_file or chart_file):
            tables += 1
            await _write_table(answer.table, csv_file, chart_file, tables)
        if as_json:
            print(json.dumps(answer.to_json(), ensure_ascii=False))
            continue
        page = 0
        while True:
            rendered = render_answer(answer, html=False, page=page)
            print(rendered.text)
            if not rendered.has_more:
                break
            page += 1
        print()
    if (csv_file or chart_file) and not tables:
        print("no table to write: none of the queries is a comparison, series or tracking"
              " question", file=sys.stderr)  # fmt: skip
        return 1
    return 0


async def _write_table(table, csv_file: str | None, chart_file: str | None, n: int) -> None:
    """The table as CSV and/or PNG; the second and later tables get -2, -3… before the suffix."""
    from bot.chart import render_chart
    from bot.export import table_csv

    def numbered(name: str) -> Path:
        path = Path(name)
        return path if n == 1 else path.with_name(f"{path.stem}-{n}{path.suffix}")

    if csv_file:
        numbered(csv_file).write_bytes(table_csv(table))
    if chart_file:
        numbered(chart_file).write_bytes(await asyncio.to_thread(render_chart, table))


async def run_eval(engine: Engine, cases: str, *, report: str | None) -> int:
    from bot.evaluate import evaluate, report_lines

    result = await evaluate(engine, cases, report)
    for line in report_lines(result):
        print(line)
    return 0 if result.passed else 1


async def console(engine: Engine, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    """A local chat: one query per line, from a terminal or a pipe; ends at end of input."""
    from bot.render import render_answer

    stdin = stdin or sys.stdin
    out = out or sys.stdout
    interactive = stdin.isatty()
    report: str | None = None
    last = None
    page = 0
    more = False
    if interactive:
        print(HELP, file=out)
    while True:
        if interactive:
            print(f"[{report or '全部报告'}] > ", end="", file=out, flush=True)
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text in ("更多", "more", "/more"):
            if last is None or not more:
                print("(没有更多结果了 / no more)", file=out, flush=True)
                continue
            page += 1
            rendered = render_answer(last, html=False, page=page)
            more = rendered.has_more
            print(rendered.text, file=out, flush=True)
            continue
        if text.startswith("/"):
            command, _, arg = text.partition(" ")
            if command == "/help" or command == "/start":
                print(HELP, file=out)
            elif command == "/reports":
                for i in await engine.reports():
                    print(f"{i.id}\t{i.year or '?'}\t{i.title}\tfigures {i.figures}", file=out)
            elif command == "/use":
                arg = arg.strip()
                if not arg:
                    report = None
                    print("answering from all reports", file=out)
                elif await engine.get_report(arg) is None:
                    print(f"no report {arg!r}; try /reports", file=out)
                else:
                    report = arg
                    print(f"answering from {arg}", file=out)
            elif command in ("/quit", "/exit"):
                break
            else:
                print("unknown command; /help lists them", file=out)
            continue
        last = await engine.ask(text, report_id=report)
        page = 0
        rendered = render_answer(last, html=False, page=0)
        more = rendered.has_more
        print(rendered.text, file=out)
        if more:
            print("(更多 / more: next page)", file=out)
        out.flush()
    return 0

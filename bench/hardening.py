"""The hardening benchmarks in one run, and one table of their figures beside the targets.

Runs bench/harden_queries.py (fuzzed queries, a flood, group bursts, SIGTERM),
bench/harden_uploads.py (bad uploads), bench/harden_buttons.py (imports under hostile names,
import/cancel races, forged and message-less callbacks, an oversized /delete) and, unless
--no-webhook, bench/webhook_bodies.py (oversized webhook requests; the webhook secret at DEBUG
and rotated), in this process one after the other, and prints:

| check | target | measured | |

Exit code 0 when every target is met. `make bench-hardening` runs it; it takes a few minutes
(most of it loading the 76 real reports and fuzzing 10,000 queries across them).

    .venv/bin/python bench/hardening.py              # the full run
    .venv/bin/python bench/hardening.py --quick      # the seed only, 2,000 fuzzed queries
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/hardening.py`
    sys.path.insert(0, str(ROOT))

from bench import harden_buttons, harden_queries, harden_uploads, webhook_bodies  # noqa: E402

FUZZ_QUERIES = 10_000
UPLOAD_KINDS = 12
WEBHOOK_GROWTH_MB = 50.0  # four 90 MB POSTs must not grow the bot by more than this


@dataclass(slots=True)
class Row:
    check: str
    target: str
    measured: str
    ok: bool | None  # None: a figure without a target


def query_rows(fuzz: dict[str, Any], bot: dict[str, Any], term: dict[str, Any]) -> list[Row]:
    t = harden_queries.TARGETS
    cpu = fuzz["cpu"]
    worst = max(cpu) if cpu else float("inf")
    flood = bot["flood"]
    base = statistics.median(flood["baseline"])
    added = max(flood["flooded"]) - base
    return [
        Row(f"fuzzed queries through Engine.ask ({fuzz['reports']} reports)",
            f"≥ {FUZZ_QUERIES:,}", f"{fuzz['n']:,}", fuzz["n"] >= FUZZ_QUERIES),
        Row("exceptions", f"{t['exceptions']}", f"{len(fuzz['errors'])}", not fuzz["errors"]),
        Row("CPU per query p50 / p99", "",
            f"{harden_queries.percentile(cpu, 50):.1f} / "
            f"{harden_queries.percentile(cpu, 99):.1f} ms", None),
        Row("CPU per query, worst", f"≤ {t['worst_cpu_ms']:.0f} ms", f"{worst:.1f} ms",
            worst <= t["worst_cpu_ms"]),
        Row("another user's reply during a 60-query flood: added",
            f"≤ {t['flood_added_ms']:.0f} ms",
            f"{added:.0f} ms ({base:.0f} → {max(flood['flooded']):.0f} ms)",
            added <= t["flood_added_ms"]),
        Row("group burst, 30 messages from one person: answers / notices, notice last", "",
            f"{bot['group_one']['answers']} / {bot['group_one']['notices']}, "
            f"{'yes' if bot['group_one']['notice_after_answers'] else 'NO'}",
            bool(bot["group_one"]["notice_after_answers"])),
        Row(f"SIGTERM with {term['queued']} costly updates queued: exit",
            f"≤ {t['sigterm_s']:.0f} s, code 0", f"{term['seconds']:.2f} s, code {term['code']}",
            term["seconds"] <= t["sigterm_s"] and term["code"] == 0),
    ]  # fmt: skip


def upload_rows(results: list[Any]) -> list[Row]:
    refused = sum(r.ok and r.outcome == "refused" for r in results)
    confirmed = sum(r.ok and r.outcome == "confirm" for r in results)
    unchanged = sum(r.unchanged for r in results)
    bad = [r.kind for r in results if not r.ok]
    slowest = max(results, key=lambda r: r.seconds)
    return [
        Row("kinds of bad upload, each refused or confirmed", f"≥ {UPLOAD_KINDS}",
            f"{len(results)} ({refused} refused, {confirmed} asked to confirm)"
            + (f"; not as expected: {', '.join(bad)}" if bad else ""),
            len(results) >= UPLOAD_KINDS and not bad),
        Row("database unchanged after each", "all", f"{unchanged}/{len(results)}",
            unchanged == len(results)),
        Row("slowest bad upload", "", f"{slowest.seconds * 1000:.0f} ms ({slowest.kind})", None),
    ]  # fmt: skip


def button_rows(results: list[Any]) -> list[Row]:
    return [Row(r.case, "one stated outcome, data agrees", r.detail, r.ok) for r in results]


def webhook_rows(m: dict[str, Any]) -> list[Row]:
    growth = m["peak"] - m["before"]
    refused = sum(not status.startswith("HTTP/1.1 200") for status, _s, _n in m["results"])
    n = len(m["results"])
    secret = m["secret"]
    return [
        Row("webhook secret: registered as stored, file mode, rotated by the flag",
            "yes, 0o600, yes", f"{'yes' if secret['registered'] else 'NO'}, {secret['mode']}, "
            f"{'yes' if secret['rotated'] else 'NO'}",
            secret["registered"] and secret["mode"] == "0o600" and secret["rotated"]),
        Row(f"webhook secret in {secret['output_lines']:,} lines of DEBUG output", "0",
            f"{secret['in_output']} ({secret['redacted']} places redacted)",
            secret["in_output"] == 0 and secret["redacted"] > 0),
        Row("an update sent with the secret", "accepted", secret["accepted"],
            secret["accepted"].startswith("HTTP/1.1 200")),
        Row(f"{n} × 90 MB unauthenticated webhook POSTs: refused", f"{n}", f"{refused}",
            refused == n),
        Row("bot RSS growth during them", f"≤ {WEBHOOK_GROWTH_MB:.0f} MB",
            f"{growth:.0f} MB ({m['before']:.0f} → {m['peak']:.0f} MB)",
            growth <= WEBHOOK_GROWTH_MB),
    ]  # fmt: skip


def table(rows: list[Row]) -> str:
    lines = ["| check | target | measured | |", "|---|---|---|---|"]
    for r in rows:
        mark = "" if r.ok is None else ("✅" if r.ok else "❌")
        lines.append(f"| {r.check} | {r.target} | {r.measured} | {mark} |")
    return "\n".join(lines)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


async def amain(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.ERROR)
    started = time.perf_counter()
    n = 2000 if args.quick else args.queries
    paths = [harden_queries.SEEDS] if args.quick else [harden_queries.SEEDS,
                                                      *harden_queries.CORPUS]  # fmt: skip
    rows: list[Row] = []
    slowest: list[str] = []
    with tempfile.TemporaryDirectory(prefix="hardening-") as tmp:
        work = Path(tmp)
        log(f"queries: fuzzing {n:,}")
        fuzz = await harden_queries.bench_fuzz(work / "fuzz.db", n, args.seed, paths)
        log("queries: flood and group bursts over HTTP")
        bot = await harden_queries.bench_bot(work)
        log("queries: SIGTERM")
        term = await harden_queries.bench_sigterm(work)
        rows += query_rows(fuzz, bot, term)
        slowest = [f"  {ms:7.1f}  {ascii(q)[:110]}" for ms, q in fuzz["worst"][:5]]
    log("uploads: bad files through the bot")
    rows += upload_rows(await harden_uploads.measure())
    log("buttons: imports, races, forged callbacks")
    rows += button_rows(await harden_buttons.measure())
    if not args.no_webhook:
        log("webhook: oversized bodies")
        rows += webhook_rows(await webhook_bodies.measure())
    print(table(rows))
    print("\nSlowest fuzzed queries (CPU ms, query as ASCII):", *slowest, sep="\n")
    print(f"\n{sum(r.ok is True for r in rows)}/{sum(r.ok is not None for r in rows)} targets "
          f"met in {time.perf_counter() - started:.0f} s")  # fmt: skip
    return 0 if all(r.ok is not False for r in rows) else 1


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=FUZZ_QUERIES, help="fuzzed queries")
    parser.add_argument("--quick", action="store_true", help="the seed only, 2,000 queries")
    parser.add_argument("--seed", type=int, default=11, help="fuzzing seed")
    parser.add_argument("--no-webhook", action="store_true", help="skip webhook_bodies.py")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    return asyncio.run(amain(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())

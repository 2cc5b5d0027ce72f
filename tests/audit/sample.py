"""Precision audit of the figure parser: a fixed random sample of what it extracts, for judging.

    python -m tests.audit.sample > tests/audit/before.toml       # draw (parser of this checkout)
    python -m tests.audit.sample --out tests/audit/after.toml    # the same draw, another name
    python -m tests.audit.sample --summary tests/audit/before.toml   # shares once judged
    python -m tests.audit.sample --summary tests/audit/after.toml --against tests/audit/before.toml

The sample pools the figures of the six reports of the main gold sets in file order and draws
`--n` of them with a fixed seed, so the same parser always gives the same sample and a changed
parser gives a sample of *its* output (precision before and after is measured the same way).
Each drawn figure becomes one `[[figure]]` with the parser's fields and empty judgement fields
for a human: `value_ok`, `kind_ok`, `year_ok`, `indicator_ok`, `correct` (all four), a `note`
saying what is right when something is not, and `failure`, short tags naming the failure
classes (e.g. "threshold", "start-value") so `--summary` can count them. The judging rules
are the gold-set definitions in tests/goldset.py and the gold-set brief.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.engine import report_id_for, with_year
from bot.report import Figure, parse_file

ROOT = Path(__file__).resolve().parents[2]
REPORTS = (
    "tests/data/reports/national-2023.txt",
    "tests/data/reports/guangdong-2026.txt",
    "tests/data/corpus/provincial-2026/henan.txt",
    "tests/data/reports/baoding-2025.txt",
    "tests/data/reports/laiyuan-2025.txt",
    "tests/data/reports/fuping-2021.txt",
)
SEED = 20261201
SIZE = 150
JUDGED = ("value_ok", "kind_ok", "year_ok", "indicator_ok")


def pool(paths: Iterable[str]) -> list[tuple[str, Figure]]:
    """(report id, figure) for every figure of every report, in file order then text order."""
    out: list[tuple[str, Figure]] = []
    for rel in paths:
        report = parse_file(ROOT / rel)
        rid = with_year(report_id_for(rel), report.meta.target_year)
        out.extend((rid, f) for f in sorted(report.figures, key=lambda f: f.start))
    return out


def draw(figures: Sequence[tuple[str, Figure]], size: int, seed: int) -> list[tuple[str, Figure]]:
    """`size` figures drawn without replacement, listed in pool order to ease judging."""
    picked = random.Random(seed).sample(range(len(figures)), min(size, len(figures)))
    return [figures[i] for i in sorted(picked)]


def entry(rid: str, f: Figure) -> dict:
    return {
        "report": rid,
        "value": f.value,
        "indicator": f.indicator,
        "kind": f.kind,
        "year": f.year or 0,  # TOML has no null: 0 means the parser gave no year
        "unit": f.unit,
        "qualifier": f.qualifier,
        "indicator_id": f.indicator_id,
        "measure": f.measure,
        "text": f.text,
        "section": f.section,
        "start": f.start,
        "value_ok": "",
        "kind_ok": "",
        "year_ok": "",
        "indicator_ok": "",
        "correct": "",
        "note": "",
        "failure": [],
    }


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)  # a JSON string is a valid TOML basic string


def dump(entries: Sequence[dict], header: Sequence[str] = ()) -> str:
    lines = [f"# {h}".rstrip() for h in header]
    for e in entries:
        lines.append("")
        lines.append("[[figure]]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in e.items())
    return "\n".join(lines) + "\n"


def summary(entries: Sequence[dict]) -> list[str]:
    """Shares of judged figures right on each field, and failure classes by count."""
    judged = [e for e in entries if isinstance(e.get("correct"), bool)]
    n = len(judged)
    if not n:
        return [f"{len(entries)} figures, none judged yet"]
    out = [f"{n} of {len(entries)} figures judged"]
    for name in ("correct", *JUDGED):
        ok = sum(1 for e in judged if e[name] is True)
        out.append(f"{name:13} {ok:4}/{n} = {ok / n:.1%}")
    # A number that is not a figure has no right kind, year or indicator; these shares say how
    # the parser does on the real figures alone.
    real = [e for e in judged if e["value_ok"] is True]
    if real:
        out.append(f"of the {len(real)} real figures: " + ", ".join(
            f"{name} {sum(1 for e in real if e[name] is True) / len(real):.1%}"
            for name in ("correct", *JUDGED[1:])))

    per_report = Counter(e["report"] for e in judged)
    right = Counter(e["report"] for e in judged if e["correct"] is True)
    out.append("by report: " + ", ".join(f"{r} {right[r]}/{c}" for r, c in per_report.items()))
    classes = Counter(tag for e in judged for tag in e.get("failure", []))
    out.append("failure classes (a figure may have several):")
    out.extend(f"  {count:3}  {tag}" for tag, count in classes.most_common())
    return out


def comparison(before: Sequence[dict], after: Sequence[dict]) -> list[str]:
    """The shares of two judged samples side by side, field by field and report by report."""
    def share(entries: Sequence[dict], name: str) -> str:
        judged = [e for e in entries if isinstance(e.get("correct"), bool)]
        ok = sum(1 for e in judged if e[name] is True)
        return f"{ok / len(judged):.1%}" if judged else "-"

    def real(entries: Sequence[dict]) -> list[dict]:
        return [e for e in entries if e.get("value_ok") is True]

    def by_report(entries: Sequence[dict], rid: str) -> str:
        mine = [e for e in entries if e["report"] == rid and isinstance(e.get("correct"), bool)]
        return f"{sum(1 for e in mine if e['correct'] is True)}/{len(mine)}"

    out = [f"{'':28}{'before':>9}{'after':>9}"]
    out.extend(f"{name:28}{share(before, name):>9}{share(after, name):>9}"
               for name in ("correct", *JUDGED))
    out.extend(f"{name + ' (real figures)':28}{share(real(before), name):>9}"
               f"{share(real(after), name):>9}" for name in ("correct", *JUDGED[1:]))
    reports = dict.fromkeys(e["report"] for e in (*before, *after))
    out.extend(f"{'correct in ' + rid:28}{by_report(before, rid):>9}{by_report(after, rid):>9}"
               for rid in reports)
    return out


def checkout() -> str:
    """The commit the sample was drawn from, so before and after samples name their parser."""
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                             capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.audit.sample", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reports", nargs="*", default=list(REPORTS), help="report files to pool")
    ap.add_argument("--n", type=int, default=SIZE, help=f"sample size (default {SIZE})")
    ap.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    ap.add_argument("--out", help="write the sample here instead of standard output")
    ap.add_argument("--summary", metavar="FILE", help="print the shares of a judged sample")
    ap.add_argument("--against", metavar="FILE",
                    help="with --summary: also compare with this earlier judged sample")
    args = ap.parse_args(argv)
    if args.summary:
        entries = tomllib.loads(Path(args.summary).read_text(encoding="utf-8"))["figure"]
        print("\n".join(summary(entries)))
        if args.against:
            before = tomllib.loads(Path(args.against).read_text(encoding="utf-8"))["figure"]
            print("\n".join(comparison(before, entries)))
        return 0
    figures = pool(args.reports)
    sample = draw(figures, args.n, args.seed)
    header = [
        "Precision audit sample: python -m tests.audit.sample"
        f" --n {args.n} --seed {args.seed} (parser at {checkout()})",
        f"{len(sample)} of {len(figures)} figures from: " + ", ".join(args.reports),
        "Judge each: value_ok, kind_ok, year_ok, indicator_ok, correct (all four), a note for",
        "every false, failure tags; then python -m tests.audit.sample --summary FILE.",
        "year = 0 means the parser gave no year.",
    ]
    text = dump([entry(rid, f) for rid, f in sample], header)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

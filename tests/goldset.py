"""Scoring of the hand-made figure gold sets in tests/gold/ (and tests/gold/heldout/).

A gold file names one report and lists what a careful reader finds in it:

    report = "national-2023"                       # the report id, for messages
    path = "tests/data/reports/national-2023.txt"  # relative to the repository root

    [[figure]]
    text = "国内生产总值增长5%左右"   # verbatim, inside one clause of the normalized text
    value = "5%左右"                 # the value as written, inside `text`
    kind = "target"                  # target / actual / other
    year = 2023                      # the year the figure is for (0 when no year applies)
    indicator = "国内生产总值"        # a word the extracted indicator must contain
                                     # (or a list of acceptable words)
    indicator_id = "gdp"             # catalogue id, "" when no catalogue entry fits
    measure = "growth"               # growth/level/share/rate/points/count/ratio

    [[none]]
    text = "..."                     # a clause whose numbers are not figures

A gold figure is matched to the extracted figure whose clause holds `text` and whose value
starts inside that occurrence of `text`, preferring the one whose value equals `value`.
Run `python -m tests.goldset [--heldout] [-v]` for the scores and the misses.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bot.report import Figure, Report, parse_file

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = Path(__file__).resolve().parent / "gold"
HELDOUT_DIR = GOLD_DIR / "heldout"
FIELDS = ("found", "kind", "year", "indicator", "indicator_id", "measure")


@dataclass
class GoldScore:
    files: int = 0
    figures: int = 0
    found: int = 0
    kind: int = 0
    year: int = 0
    indicator: int = 0
    with_id: int = 0  # gold figures whose indicator_id is not ""
    indicator_id: int = 0  # ... matched exactly
    spurious_id: int = 0  # gold "" but an id was given
    measure: int = 0
    nones: int = 0
    none_hits: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def rate(self, name: str) -> float:
        if name == "indicator_id":
            return self.indicator_id / self.with_id if self.with_id else 1.0
        return getattr(self, name) / self.figures if self.figures else 1.0

    def __str__(self) -> str:
        rates = ", ".join(f"{name} {self.rate(name):.3f}" for name in FIELDS)
        return (
            f"{self.files} files, {self.figures} figures: {rates} ({self.with_id} with an id,"
            f" {self.spurious_id} spurious ids); {self.nones} none clauses,"
            f" {len(self.none_hits)} figures taken from them"
        )


def gold_files(heldout: bool = False) -> list[Path]:
    folder = HELDOUT_DIR if heldout else GOLD_DIR
    return sorted(folder.glob("*.toml"))


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@cache
def parsed(rel_path: str) -> Report:
    return parse_file(ROOT / rel_path)


def candidates(report: Report, gold_text: str) -> list[Figure]:
    """Figures whose clause holds `gold_text` and whose value starts inside an occurrence."""
    spans = []
    at = report.text.find(gold_text)
    while at >= 0:
        spans.append((at, at + len(gold_text)))
        at = report.text.find(gold_text, at + 1)
    return [
        f for f in report.figures if gold_text in f.text and any(a <= f.start < b for a, b in spans)
    ]


def pick(cands: list[Figure], value: str) -> Figure | None:
    for f in cands:
        if f.value == value:
            return f
    for f in cands:
        if value and (value in f.value or f.value in value):
            return f
    return cands[0] if cands else None


def _words(indicator: str | list[str]) -> list[str]:
    return [indicator] if isinstance(indicator, str) else list(indicator)


def score(paths: Iterable[Path]) -> GoldScore:
    s = GoldScore()
    for path in paths:
        gold = load(path)
        report = parsed(gold["path"])
        s.files += 1
        for g in gold.get("figure", []):
            s.figures += 1
            f = pick(candidates(report, g["text"]), g.get("value", ""))
            want_year = g.get("year") or None
            want_id = g.get("indicator_id", "")
            if want_id:
                s.with_id += 1
            if f is None:
                s.misses.append(f"{gold['report']}: not found: {g['text']} [{g.get('value')}]")
                continue
            ok = {
                "kind": f.kind == g["kind"],
                "year": f.year == want_year,
                "indicator": any(w in f.indicator for w in _words(g["indicator"])),
                "indicator_id": f.indicator_id == want_id,
                "measure": f.measure == g.get("measure", f.measure),
            }
            s.found += 1
            s.kind += ok["kind"]
            s.year += ok["year"]
            s.indicator += ok["indicator"]
            s.measure += ok["measure"]
            if want_id:
                s.indicator_id += ok["indicator_id"]
            elif f.indicator_id:
                s.spurious_id += 1
            bad = [k for k, v in ok.items() if not v and (k != "indicator_id" or want_id)]
            if bad:
                got = (f"{f.indicator}|{f.value}|{f.kind}|{f.year}|{f.indicator_id}|{f.measure}")
                want = (f"{g['indicator']}|{g.get('value')}|{g['kind']}|{want_year}|{want_id}|"
                        f"{g.get('measure')}")  # fmt: skip
                s.misses.append(f"{gold['report']}: {'/'.join(bad)}: {g['text']}: want {want}"
                                f" got {got}")  # fmt: skip
        for n in gold.get("none", []):
            s.nones += 1
            s.none_hits.extend(
                f"{gold['report']}: {n['text']} -> {f.value} in {f.text}"
                for f in report.figures
                if n["text"] in f.text or f.text in n["text"]
            )
    return s


def main(argv: list[str]) -> int:
    heldout = "--heldout" in argv
    verbose = "-v" in argv
    files = gold_files(heldout)
    for path in files:
        print(f"{path.name}: {score([path])}")
    total = score(files)
    print(f"TOTAL: {total}")
    if verbose:
        for line in total.misses + total.none_hits:
            print("  ✗", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

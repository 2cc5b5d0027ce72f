"""A synthetic scale-up of the real corpus, for the benchmark: N reports from the real ones.

Each synthetic report is a real report with its region renamed, its years shifted and the
numbers in front of units perturbed. Everything else (headings, line breaks, section markers
like "1." or "（一）") is left as it was, so the parser sees the same structure and extracts
the same kinds of figures. The output depends only on the inputs and the seed.

    python -m bench.synth OUT_DIR [--reports 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"
SEED_REPORT = ROOT / "seeds" / "wuqia-2022.txt"

# Full name → short name for every region found in the real corpus. The national reports
# have no region to rename; they are turned into a province (see _rename_national).
REGIONS = {
    "安徽省": "安徽", "北京市": "北京", "重庆市": "重庆", "福建省": "福建", "甘肃省": "甘肃",
    "广东省": "广东", "广西壮族自治区": "广西", "贵州省": "贵州", "海南省": "海南",
    "河北省": "河北", "黑龙江省": "黑龙江", "河南省": "河南", "湖北省": "湖北",
    "湖南省": "湖南", "江苏省": "江苏", "江西省": "江西", "吉林省": "吉林", "辽宁省": "辽宁",
    "内蒙古自治区": "内蒙古", "宁夏回族自治区": "宁夏", "青海省": "青海", "陕西省": "陕西",
    "山东省": "山东", "上海市": "上海", "山西省": "山西", "天津市": "天津",
    "西藏自治区": "西藏", "云南省": "云南", "浙江省": "浙江", "乌恰县": "乌恰",
    "新疆维吾尔自治区": "新疆", "四川省": "四川",
}  # fmt: skip

# Rare characters, so an invented name never forms a word the queries look for.
NAME_CHARS = "岚澄岱沅湄汀琨璟邕昀瑜珩琳澜霁玥蔚崧岑漪珉琬滢瀚濉淇泾渭涞沭潍洮滁歙婺黟浔芗邗"
UNITS = (
    "%|％|个百分点|百分点|万|亿|千|个|人|元|吨|公里|千米|平方|户|家|项|所|座|倍|亩|辆|次|张|套|"
    "米|台|千瓦|立方|件|条|公顷|斤|册|床|名"
)
NUMBER = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)(?=\s*(?:{UNITS}))")
YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?=\s*年|-\d)")


def real_reports() -> list[Path]:
    """The real corpus: 75 reports plus the seed report."""
    return [*sorted(CORPUS.rglob("*.txt")), SEED_REPORT]


def _region_of(text: str) -> str | None:
    """The region a report is about: the known name it mentions most, None for national."""
    counts = {full: text.count(full) + text.count(short) for full, short in REGIONS.items()}
    best = max(counts, key=lambda k: counts[k])
    if "中华人民共和国国务院" in text[:300] or counts[best] == 0:
        return None
    return best


def _suffix(full: str) -> str:
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市", "县"):
        if full.endswith(suffix):
            return suffix
    return "省"


def _names(n: int, rng: random.Random) -> list[str]:
    """n distinct two-character names."""
    pairs = ["".join(p) for p in itertools.permutations(NAME_CHARS, 2)]
    rng.shuffle(pairs)
    if n > len(pairs):
        raise ValueError(f"at most {len(pairs)} synthetic names")
    return pairs[:n]


def _shift_years(text: str, delta: int) -> str:
    return YEAR.sub(lambda m: str(int(m.group(1)) + delta), text)


def _perturb_numbers(text: str, rng: random.Random) -> str:
    """Scale each quantity by 0.85–1.15, keeping its number of decimals."""

    def repl(m: re.Match[str]) -> str:
        raw = m.group(1)
        value = float(raw) * rng.uniform(0.85, 1.15)
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        if decimals == 0:
            return str(max(1, round(value))) if float(raw) >= 1 else raw
        return f"{value:.{decimals}f}"

    return NUMBER.sub(repl, text)


def _rename_national(text: str, name: str) -> str:
    """A national report becomes a province's: its heading names the new province."""
    province = f"{name}省"
    text = text.replace("中华人民共和国国务院政府工作报告", f"{province}政府工作报告")
    return text.replace("国务院", f"{province}人民政府")


def synthesize(text: str, name: str, delta: int, rng: random.Random) -> str:
    """One synthetic report from a real one."""
    region = _region_of(text)
    if region is None:
        text = _rename_national(text, name)
    else:
        full = name + _suffix(region)
        text = text.replace(region, full).replace(REGIONS[region], name)
    text = _shift_years(text, delta)
    return _perturb_numbers(text, rng)


def generate(
    out_dir: Path,
    n: int,
    *,
    seed: int = 7,
    sources: Sequence[Path] | None = None,
    keep_regions: bool = False,
) -> list[Path]:
    """Write n synthetic reports into out_dir and return their paths, in order.

    `keep_regions`: a library of many years per real region instead of many regions: copy k
    of a report keeps its region and goes back k+1 years (numbers still perturbed), so
    comparisons across regions and series across years have real regions and many rows.
    """
    sources = list(sources or real_reports())
    texts = [p.read_text(encoding="utf-8") for p in sources]
    rng = random.Random(seed)
    names = _names(n, rng)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for i in range(n):
        base = i % len(sources)
        one = random.Random(f"{seed}-{i}")  # per-report stream: report i never depends on N
        if keep_regions:
            text = _perturb_numbers(_shift_years(texts[base], -(i // len(sources)) - 1), one)
        else:
            delta = one.choice([d for d in range(-6, 7) if d])
            text = synthesize(texts[base], names[i], delta, one)
        path = out_dir / f"synth-{i:04d}-{sources[base].stem}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = generate(args.out_dir, args.reports, seed=args.seed)
    print(f"wrote {len(paths)} reports to {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

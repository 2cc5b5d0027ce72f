"""Chart benchmark: a script that prints its figures, not a timed test.

Measures, on the hand-made tables of tests/table_fixtures.py (29 provinces, 18 years, 18
tracked targets, one missed target, 5 provinces × 2 kinds):

- cold: a fresh interpreter that imports bot.chart and draws one chart, split into importing
  matplotlib, registering the font and the first drawing (median of --cold runs), and once
  more with an empty matplotlib cache, as on a fresh machine;
- warm: --warm charts in one process, cycling the tables, p50 and p99 per chart;
- the size of each PNG, and what importing bot.chart costs the bot's start-up (it must not load
  matplotlib).

    .venv/bin/python bench/chart.py
    .venv/bin/python bench/chart.py --warm 400 --cold 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/chart.py`
    sys.path.insert(0, str(ROOT))

WARM_TARGET_S = 1.0

COLD = r"""
import json, sys, time
t0 = time.perf_counter()
import bot.chart as chart
t1 = time.perf_counter()
assert "matplotlib" not in sys.modules
from tests import table_fixtures as tf
table = tf.provincial_gdp_2026()
t2 = time.perf_counter()
import matplotlib.figure, matplotlib.backends.backend_agg  # what render_chart imports first
t3 = time.perf_counter()
chart.font_families()
t4 = time.perf_counter()
png = chart.render_chart(table)
t5 = time.perf_counter()
print(json.dumps({"import_chart": t1 - t0, "import_mpl": t3 - t2, "font": t4 - t3,
                  "first_draw": t5 - t4, "total": (t1 - t0) + (t5 - t2), "bytes": len(png)}))
"""


def cold_runs(n: int, *, empty_cache: bool = False) -> list[dict[str, float]]:
    """Fresh interpreters; with `empty_cache`, each with a new matplotlib config directory, as
    on a fresh machine, where matplotlib first scans the system's fonts into its cache."""
    out = []
    for _ in range(n):
        with tempfile.TemporaryDirectory() as config:
            env = dict(os.environ, MPLCONFIGDIR=config) if empty_cache else None
            done = subprocess.run(
                [sys.executable, "-c", COLD],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
        out.append(json.loads(done.stdout))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warm", type=int, default=200, help="warm charts to time")
    parser.add_argument("--cold", type=int, default=3, help="fresh interpreters to time")
    args = parser.parse_args()

    from bot.chart import PIXELS, render_chart
    from tests import table_fixtures as tf

    makers = [
        tf.provincial_gdp_2026,
        tf.national_gdp_series,
        tf.national_gdp_track,
        tf.energy_intensity_track,
        tf.provincial_actual_and_target,
    ]
    tables = [make() for make in makers]
    sizes = {make.__name__: len(render_chart(t)) for make, t in zip(makers, tables, strict=True)}
    times: list[float] = []
    per_kind: dict[str, list[float]] = {t.kind: [] for t in tables}
    for i in range(args.warm):
        table = tables[i % len(tables)]
        start = time.perf_counter()
        render_chart(table)
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        per_kind[table.kind].append(elapsed)

    cold = cold_runs(args.cold)
    fresh = cold_runs(1, empty_cache=True)[0]

    def med(key: str) -> float:
        return statistics.median(run[key] for run in cold)

    p50, p99 = percentile(times, 0.5), percentile(times, 0.99)
    ok = "✅" if p99 <= WARM_TARGET_S else "❌"
    print(
        f"Charts: {platform.machine()}, Python {platform.python_version()}, "
        f"{PIXELS[0]}×{PIXELS[1]} px\n"
    )
    print("| | figure |")
    print("|---|---|")
    print(f"| cold: import bot.chart (no matplotlib) | {med('import_chart') * 1000:.1f} ms |")
    print(f"| cold: import matplotlib | {med('import_mpl') * 1000:.0f} ms |")
    print(f"| cold: register Noto Sans SC | {med('font') * 1000:.0f} ms |")
    print(f"| cold: first chart drawn | {med('first_draw') * 1000:.0f} ms |")
    print(f"| cold: first chart in all (median of {len(cold)}) | {med('total'):.2f} s |")
    print(
        f"| first chart on a fresh machine (empty matplotlib cache: font scan) "
        f"| {fresh['total']:.2f} s (import matplotlib {fresh['import_mpl']:.2f} s) |"
    )
    print(
        f"| warm p50 / p99 ({args.warm} charts, target p99 ≤ {WARM_TARGET_S:g} s) "
        f"| {p50 * 1000:.0f} / {p99 * 1000:.0f} ms {ok} |"
    )
    for kind, values in per_kind.items():
        print(f"| warm p50, {kind} | {percentile(values, 0.5) * 1000:.0f} ms |")
    for name, size in sizes.items():
        print(f"| PNG size, {name} | {size / 1024:.0f} kB |")


if __name__ == "__main__":
    main()

"""Table answers as PNG charts sized for a phone: bars across regions, a line across years, and
targets against outcomes as grouped bars with the verdict marked above each pair.

matplotlib is imported inside the functions, never at module level: importing it (and numpy)
costs about 0.4 s, and the bot must start in under 2 s and load it only when a chart is asked
for. Figures use the object-oriented API (``Figure`` + the Agg canvas), not pyplot, so there is
no global figure registry and a chart can be drawn in ``asyncio.to_thread``. Fonts are set on
each text object rather than through rcParams for the same reason: rcParams are process-wide.

The Chinese font is Noto Sans SC from the PyPI package ``pylopdf-fonts-zh-cn`` (OFL-1.1, a
17 MB wheel holding Adobe/Google's subset OTFs from notofonts/noto-cjk with their SHA-256 in its
README, no dependencies), registered with matplotlib's font manager by file path: no system
fonts, no network. It was chosen over ``mplfonts`` (85 MB: several CJK families we do not need)
and ``paperang-p2-fonts-cjk`` (5 MB, but WenQuanYi Micro Hei is unmaintained since 2010 and that
wheel misstates the font's licence as MIT). DejaVu Sans, which ships with matplotlib, follows
it in the family list for the few symbols Noto Sans SC lacks.
"""

from __future__ import annotations

import io
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answer import Table, TableRow
from bot.region_short import short_region
from bot.render.table import display_width, fit_display, row_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# 1200×800 px: a 3:2 landscape image that Telegram shows full-width on a phone without
# cropping, sharp on high-density screens, and still small (tens of kB) to send.
WIDTH_IN, HEIGHT_IN, DPI = 6.0, 4.0, 200
PIXELS = (int(WIDTH_IN * DPI), int(HEIGHT_IN * DPI))
CJK_FAMILY = "Noto Sans SC"
FALLBACK_FAMILY = "DejaVu Sans"
KIND_NAME = {"target": "目标", "actual": "实际", "other": "其他"}
COLOUR = {"target": "#2f6db5", "actual": "#e07b24", "other": "#8c8c8c"}
VERDICT = {  # mark, colour, legend word
    "met": ("✓", "#2e7d32", "达成"),
    "roughly": ("≈", "#b8860b", "基本达成"),
    "missed": ("✗", "#c62828", "未达成"),
    "": ("–", "#9e9e9e", "暂无结果"),
}
MANY_LABELS = 10  # beyond this many categories, region names are set vertically

_font_lock = threading.Lock()
_font_registered = False

_MULTIPLIER = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
_RANGE = re.compile(r"(-?\d+(?:\.\d+)?)[^\d.\-]*?\s*[—－\-~～至到]+\s*(-?\d+(?:\.\d+)?)")


def cjk_font_path() -> str:
    """The bundled Noto Sans SC file."""
    import pylopdf_fonts_zh_cn

    return str(pylopdf_fonts_zh_cn.sans_path())


def font_families() -> list[str]:
    """Register the CJK font with matplotlib once; the families to set text in, in order."""
    global _font_registered
    with _font_lock:
        if not _font_registered:
            from matplotlib import font_manager

            font_manager.fontManager.addfont(cjk_font_path())
            _font_registered = True
    return [CJK_FAMILY, FALLBACK_FAMILY]


# ── numbers ──────────────────────────────────────────────────────────────────────────────────


def _unit_scale(unit: str) -> tuple[float, str]:
    """亿元 → (1e8, 元): numbers are in base units, the axis is in the table's unit."""
    for prefix, mult in _MULTIPLIER.items():
        if unit.startswith(prefix) and len(unit) > len(prefix):
            if prefix == "千" and unit[1] in "米瓦克伏":  # 千米 is a unit, not 1000 米
                break
            return mult, unit[len(prefix) :]
    return 1.0, unit


def _range_high(row_value: str, low: float) -> float | None:
    """The top of a range written in the value (4.5%—5% → 5.0 when low is 4.5), in the units
    of `low`; None when the value is not a range."""
    m = _RANGE.search(row_value)
    if not m:
        return None
    a, b = float(m.group(1)), float(m.group(2))
    if a == 0 or b <= a:
        return None
    return low * b / a


@dataclass(slots=True, frozen=True)
class _Point:
    label: str  # the category on the x axis (region, year, or both)
    region: str  # short name, to draw one line per region in a series across regions
    year: int | None
    kind: str
    low: float
    high: float | None  # top of a range target, else None


def _axis_unit(table: Table) -> str:
    if table.unit:
        return table.unit
    units = [r.unit for r in table.rows if r.unit]
    return max(set(units), key=units.count) if units else ""


def _points(table: Table) -> tuple[list[_Point], str, int]:
    """Plottable values in the axis unit, the unit, and how many rows gave at least one.
    Rows without a number or in another unit are left out: a chart cannot put 亿元 and % on
    one axis."""
    unit = _axis_unit(table)
    scale, base = _unit_scale(unit)
    label_of = row_labels(table)[1]
    out: list[_Point] = []

    def add(row: TableRow, kind: str, number: float | None, value: str) -> bool:
        if number is None or not math.isfinite(number):
            return False
        if row.unit and _unit_scale(row.unit)[1] != base:
            return False
        low = number / scale
        high = _range_high(value, low)
        out.append(_Point(label_of(row), short_region(row.region), row.year, kind, low, high))
        return True

    plotted = 0
    for row in table.rows:
        if table.kind == "track":
            shown = add(row, "target", row.number, row.target or row.value)
            shown = add(row, "actual", row.actual_number, row.actual) or shown
        else:
            shown = add(row, row.kind if row.kind in KIND_NAME else "other", row.number, row.value)
        plotted += shown
    return out, unit, plotted


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


# ── labels ───────────────────────────────────────────────────────────────────────────────────


def _by_year(table: Table) -> bool:
    return row_labels(table)[0] == "年份"


_FALLING = ("降低", "下降", "减少", "降")


def _value_axis_label(table: Table, unit: str) -> str:
    """增长（%）, 降幅（%） for reduction targets (能耗降低4%), else the indicator and unit."""
    if table.measure == "growth":
        falling = table.rows and all(any(w in r.qualifier for w in _FALLING) for r in table.rows)
        name = "降幅" if falling else "增长"
    else:
        name = table.indicator
    return f"{name}（{unit}）" if unit else name


def _footnote(table: Table, plotted: int) -> str:
    bits = []
    left_out = len(table.rows) - plotted
    if table.missing:
        what = "年份" if _by_year(table) else "地区"
        names = "、".join(short_region(m) for m in table.missing)
        bits.append(fit_display(f"{len(table.missing)}个{what}无此项：{names}", 60))
    if left_out > 0:
        bits.append(f"{left_out}行无可比数字未画出")
    bits.append("来源：政府工作报告")
    return " · ".join(bits)


# ── drawing ──────────────────────────────────────────────────────────────────────────────────


def _new_figure() -> tuple[Figure, Axes]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _categories(points: Sequence[_Point]) -> list[str]:
    return list(dict.fromkeys(p.label for p in points))


def _tick_labels(labels: list[str], by_year: bool) -> list[str]:
    if by_year or len(labels) <= MANY_LABELS:
        return labels
    # Many regions: Chinese names read well top to bottom, one character a line.
    return ["\n".join(label) for label in labels]


def _draw_bars(ax: Axes, table: Table, points: Sequence[_Point], fam: list[str]) -> None:
    """Grouped bars: one group per region (or year), one bar per kind; ranges as a paler
    extension; the verdict of a tracked target above its pair."""
    labels = _categories(points)
    kinds = [k for k in KIND_NAME if any(p.kind == k for p in points)]
    slot = 0.8 / len(kinds)
    index = {label: i for i, label in enumerate(labels)}
    annotate = len(labels) * len(kinds) <= 24
    small = 7 if len(labels) <= MANY_LABELS else 5.5
    for j, kind in enumerate(kinds):
        mine = [p for p in points if p.kind == kind]
        xs = [index[p.label] - 0.4 + slot * (j + 0.5) for p in mine]
        ax.bar(xs, [p.low for p in mine], slot * 0.92, color=COLOUR[kind], label=KIND_NAME[kind])
        ranged = [(x, p.low, hi) for x, p in zip(xs, mine, strict=True)
                  if (hi := p.high) is not None]  # fmt: skip
        if ranged:
            ax.bar(
                [x for x, _, _ in ranged],
                [hi - low for _, low, hi in ranged],
                slot * 0.92,
                bottom=[low for _, low, _ in ranged],
                color=COLOUR[kind],
                alpha=0.35,
                label=f"{KIND_NAME[kind]}区间",
            )
        if annotate:
            for x, p in zip(xs, mine, strict=True):
                top = p.high if p.high is not None else p.low
                text = _fmt(p.low) + (f"–{_fmt(p.high)}" if p.high is not None else "")
                ax.annotate(
                    text,
                    (x, top),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=small,
                    fontfamily=fam,
                    color="#333333",
                )
    if table.kind == "track":
        _mark_verdicts(ax, table, points, index, fam)
    ax.set_xticks(
        range(len(labels)),
        _tick_labels(labels, _by_year(table)),
        fontfamily=fam,
        fontsize=7 if len(labels) <= MANY_LABELS else 6,
        rotation=90 if _by_year(table) and len(labels) > 16 else 0,
    )
    ax.margins(y=0.18)
    # Too few categories would make each bar half the image wide.
    spare = max(0.0, (4 - len(labels)) / 2)
    ax.set_xlim(-0.5 - spare, len(labels) - 0.5 + spare)


def _mark_verdicts(
    ax: Axes, table: Table, points: Sequence[_Point], index: dict[str, int], fam: list[str]
) -> None:
    label_of = row_labels(table)[1]
    tops: dict[str, float] = {}
    for p in points:
        top = p.high if p.high is not None else p.low
        tops[p.label] = max(tops.get(p.label, top), top)
    for row in table.rows:
        label = label_of(row)
        if label not in index:
            continue
        mark, colour, _ = VERDICT.get(row.verdict, VERDICT[""])
        ax.annotate(
            mark,
            (index[label], tops.get(label, 0.0)),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=10,
            color=colour,
            fontfamily=fam,
        )


def _draw_lines(ax: Axes, points: Sequence[_Point], fam: list[str]) -> None:
    """A line per kind (and per region, when there are several) across the years; a missing
    year breaks the line instead of bridging it; a range target is a band."""
    from matplotlib.ticker import MaxNLocator

    years = sorted({p.year for p in points if p.year is not None})
    if not years:
        return
    span = list(range(years[0], years[-1] + 1))
    regions = list(dict.fromkeys(p.region for p in points))
    palette = ["#2f6db5", "#e07b24", "#2e7d32", "#8e44ad", "#c62828", "#00838f", "#6d4c41"]
    for r_i, region in enumerate(regions):
        for kind in KIND_NAME:
            mine = {
                p.year: p
                for p in points
                if p.kind == kind and p.region == region and p.year is not None
            }
            if not mine:
                continue
            if len(regions) == 1:
                colour, style, name = COLOUR[kind], "-", KIND_NAME[kind]
            else:  # colour tells regions apart, the line style the kind
                colour = palette[r_i % len(palette)]
                style = "--" if kind == "target" else "-"
                name = f"{region}{KIND_NAME[kind]}"
            low = [mine[y].low if y in mine else math.nan for y in span]
            high = [
                (hi if (hi := mine[y].high) is not None else mine[y].low)
                if y in mine
                else math.nan
                for y in span
            ]
            ax.plot(
                span, low, style, marker="o", markersize=3, linewidth=1.4, color=colour, label=name
            )
            if any(p.high is not None for p in mine.values()):
                ax.fill_between(
                    span, low, high, color=colour, alpha=0.2, linewidth=0, label=f"{name}区间"
                )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
    ax.margins(y=0.15)


def _draw_message(ax: Axes, text: str, fam: list[str]) -> None:
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        text,
        ha="center",
        va="center",
        fontsize=10,
        fontfamily=fam,
        transform=ax.transAxes,
        color="#555555",
    )


def _verdict_legend(table: Table) -> str:
    seen = dict.fromkeys(r.verdict for r in table.rows)
    return "  ".join(f"{VERDICT[v][0]}{VERDICT[v][2]}" for v in VERDICT if v in seen)


def has_chart_data(table: Table) -> bool:
    """Whether a chart would show anything: some row has a number in the table's unit."""
    return bool(_points(table)[0])


def render_chart(table: Table) -> bytes:
    """The table as a PNG of PIXELS size. A table with nothing to plot gives an image that
    says so, so a caller never has to handle a failure here."""
    fam = font_families()
    fig, ax = _new_figure()
    title = fit_display(table.title or table.indicator or "数据图", 56)
    fig.suptitle(title, fontsize=11 if display_width(title) <= 40 else 9, fontfamily=fam)
    points, unit, plotted = _points(table)
    if not points:
        _draw_message(ax, "没有可以画图的数字", fam)
    else:
        if table.kind == "series":
            _draw_lines(ax, points, fam)
        else:
            _draw_bars(ax, table, points, fam)
        ax.set_ylabel(_value_axis_label(table, unit), fontfamily=fam, fontsize=8)
        ax.tick_params(labelsize=7, labelfontfamily=fam)
        # Above the plot's top right corner: inside it would hide bars, and a figure legend
        # would share the title's row.
        ax.legend(
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncols=4,
            frameon=False,
            prop={"family": fam, "size": 7},
        )
        footnote = _footnote(table, plotted)
        if table.kind == "track":
            footnote = _verdict_legend(table) + " · " + footnote
        fig.supxlabel(footnote, fontsize=6, color="#666666", fontfamily=fam)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()

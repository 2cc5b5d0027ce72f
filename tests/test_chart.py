"""bot/chart.py: the PNG opens at the promised size, Chinese text renders (a font without CJK
makes the check fail), series are told apart by colour, verdicts are marked, matplotlib loads
only when a chart is drawn, and charts can be drawn from worker threads."""

from __future__ import annotations

import asyncio
import io
import logging
import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

import bot.chart as chart
from bot.answer import Table, TableRow
from bot.chart import COLOUR, PIXELS, VERDICT, has_chart_data, render_chart
from tests import table_fixtures as tf

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = tf.ALL


def render_strict(table: Table, caplog: pytest.LogCaptureFixture) -> bytes:
    """render_chart, failing on any warning: matplotlib warns "Glyph … missing from font(s)"
    for each character it draws as a blank box, and logs "findfont: …" when it falls back
    from the font it was asked for."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")
        png = render_chart(table)
    fallbacks = [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")]
    assert not fallbacks, fallbacks
    return png


def colours(png: bytes) -> dict[tuple[int, int, int], int]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {rgb: n for n, rgb in image.getcolors(image.width * image.height)}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@pytest.mark.parametrize("make", FIXTURES, ids=lambda f: f.__name__)
def test_png_opens_at_phone_size_with_all_glyphs(make, caplog):
    png = render_strict(make(), caplog)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == PIXELS == (1200, 800)
    assert len(png) < 300_000  # quick to send on a phone connection


def test_glyph_check_fails_with_a_font_without_cjk(monkeypatch, caplog):
    """The check above is real: with DejaVu Sans alone the Chinese title has no glyphs."""
    monkeypatch.setattr(chart, "font_families", lambda: ["DejaVu Sans"])
    with pytest.raises(UserWarning, match="missing from font"):
        render_strict(tf.provincial_gdp_2026(), caplog)


def test_title_characters_are_in_the_bundled_font():
    from matplotlib.ft2font import FT2Font

    font = FT2Font(chart.cjk_font_path())
    assert font.family_name == "Noto Sans SC"
    titles = "".join(make().title for make in FIXTURES) + "目标实际区间增长降幅达成基本未暂无结果"
    absent = [ch for ch in set(titles) if not font.get_char_index(ord(ch))]
    assert absent == []


def test_target_and_actual_are_separate_colours():
    only_targets = colours(render_chart(tf.provincial_gdp_2026()))
    assert only_targets.get(rgb(COLOUR["target"]), 0) > 10_000
    assert only_targets.get(rgb(COLOUR["actual"]), 0) == 0
    both = colours(render_chart(tf.provincial_actual_and_target()))
    assert both.get(rgb(COLOUR["target"]), 0) > 10_000
    assert both.get(rgb(COLOUR["actual"]), 0) > 10_000
    series = colours(render_chart(tf.national_gdp_series()))
    assert series.get(rgb(COLOUR["target"]), 0) > 1_000  # the line and its markers


def test_verdicts_are_marked_in_their_colours():
    track = colours(render_chart(tf.national_gdp_track()))
    assert track.get(rgb(VERDICT["met"][1]), 0) > 50
    assert track.get(rgb(VERDICT["roughly"][1]), 0) > 20
    assert track.get(rgb(VERDICT["missed"][1]), 0) == 0
    missed = colours(render_chart(tf.energy_intensity_track()))
    assert missed.get(rgb(VERDICT["missed"][1]), 0) > 20
    compare = colours(render_chart(tf.provincial_gdp_2026()))
    assert all(compare.get(rgb(VERDICT[v][1]), 0) == 0 for v in ("met", "roughly", "missed"))


def test_ranges_and_scaling():
    assert chart._range_high("4.5%—5%", 4.5) == 5.0
    assert chart._range_high("6.5%－7%", 6.5) == 7.0
    assert chart._range_high("4.5-5%", 4.5) == 5.0
    assert chart._range_high("5%以上", 5.0) is None
    assert chart._unit_scale("亿元") == (1e8, "元")
    assert chart._unit_scale("千米") == (1.0, "千米")
    rows = [
        TableRow(
            "山东省",
            "cn.shandong",
            2025,
            "actual",
            "10.3万亿元",
            1.03e13,
            "万亿元",
            "",
            "",
            "shandong-2026",
        ),
        TableRow(
            "海南省", "cn.hainan", 2025, "actual", "8000亿元", 8e11, "亿元", "", "", "hainan-2026"
        ),
        TableRow("某省", "x", 2025, "actual", "5%", 5.0, "%", "", "", "x-2026"),  # not 亿元
    ]
    table = Table(
        "compare", "gdp", "地区生产总值", "level", "2025年地区生产总值", rows, unit="亿元"
    )
    points, unit, plotted = chart._points(table)
    assert unit == "亿元" and plotted == 2
    assert [p.low for p in points] == pytest.approx([103_000.0, 8_000.0])


def test_a_table_without_numbers_still_gives_an_image(caplog):
    table = tf.provincial_gdp_2026()
    for row in table.rows:
        row.number = None
    assert not has_chart_data(table)
    assert has_chart_data(tf.provincial_gdp_2026())
    png = render_strict(table, caplog)
    assert Image.open(io.BytesIO(png)).size == PIXELS
    table.rows = []
    assert Image.open(io.BytesIO(render_strict(table, caplog))).size == PIXELS


def test_charts_from_worker_threads_match_the_serial_ones():
    tables = [make() for make in FIXTURES]
    serial = [render_chart(t) for t in tables]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(render_chart, tables * 2))
    assert parallel == serial * 2

    async def via_to_thread() -> list[bytes]:
        return await asyncio.gather(*(asyncio.to_thread(render_chart, t) for t in tables))

    assert asyncio.run(via_to_thread()) == serial


def test_matplotlib_loads_only_when_a_chart_is_drawn():
    code = (
        "import sys\n"
        "import bot.app, bot.chart, bot.export, bot.render.table, bot.engine\n"
        "assert 'matplotlib' not in sys.modules, 'imported at start-up'\n"
        "from tests import table_fixtures as tf\n"
        "bot.chart.render_chart(tf.national_gdp_series())\n"
        "assert 'matplotlib' in sys.modules\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot keeps global state'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr

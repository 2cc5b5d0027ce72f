"""A year named in the query narrows the figures across reports, not just their order."""

from __future__ import annotations

from pathlib import Path

from bot.engine import Engine

DATA = Path(__file__).resolve().parent / "data"


async def test_named_year_narrows_figures_across_reports(tmp_path: Path) -> None:
    engine = await Engine.open(tmp_path / "r.db")
    try:
        await engine.ingest_paths(
            [DATA / "reports" / "national-2023.txt", DATA / "corpus" / "national" / "2024.txt"]
        )
        # No year named: the region's newest report (2024: its targets, 2023's results).
        unnamed = await engine.ask("城镇新增就业")
        assert {hit.report.id for hit in unnamed.figures} == {"national-2024"}
        assert {hit.figure.year for hit in unnamed.figures} >= {2023, 2024}
        older = await engine.ask("2022年城镇新增就业")
        assert older.figures and {hit.report.id for hit in older.figures} == {"national-2023"}

        named = await engine.ask("2024年城镇新增就业目标")
        assert named.figures, "the 2024 target must be found"
        assert {hit.figure.year for hit in named.figures} == {2024}
        assert named.figures[0].figure.kind == "target"
        assert "1200万人以上" in named.figures[0].figure.text
    finally:
        await engine.close()

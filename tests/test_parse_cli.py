"""`reportbot parse FILE [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).parent.parent
SEED = ROOT / "seeds" / "wuqia-2022.txt"


def test_parse_prints_meta_outline_figures_and_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED)]) == 0
    out = capsys.readouterr().out
    assert "title:             2022年乌恰县政府工作报告" in out
    assert "target year:       2023" in out
    assert "speaker:           木塔力甫·塞衣皮" in out
    assert "\n一、 2022年工作回顾\n" in out
    assert "\n  (一) 坚持“动态清零”总方针" in out
    assert "\n      —— 农牧产业持续增效\n" in out
    assert "## Figures (" in out and "indicator" in out and "qualifier" in out
    assert "## Warnings (0)" in out


def test_parse_json_is_the_full_structure(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "tests" / "data" / "reports" / "national-2023.txt"
    assert main(["parse", str(path), "--json"]) == 0
    raw = capsys.readouterr().out
    assert "国务院" in raw  # ensure_ascii=False
    data = json.loads(raw)
    assert set(data) >= {"meta", "sections", "passages", "figures", "warnings"}
    assert data["meta"]["title"] == "2023年国务院政府工作报告"
    assert data["meta"]["target_year"] == 2023
    assert data["sections"][0]["title"] == "过去一年和五年工作回顾"
    passage = data["passages"][5]
    assert data["text"][passage["start"] : passage["end"]] == passage["text"]
    assert isinstance(data["figures"], list)


def test_parse_warnings_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # national-2025.txt has no header, but its text says 我代表国务院: no file-name guess there.
    # A text that names no place at all leaves the file name to guess from.
    path = tmp_path / "hebei-2025.txt"
    path.write_text("各位代表：\n一、2024年工作回顾\n地区生产总值增长5.4%。\n", encoding="utf-8")
    assert main(["parse", str(path)]) == 0
    out = capsys.readouterr().out
    assert "- region 河北省 guessed from the file name hebei-2025.txt" in out
    assert "region id:         cn.hebei" in out


def test_parse_shows_region_id_and_figure_identity(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(ROOT / "seeds" / "wuqia-2022.txt")]) == 0
    out = capsys.readouterr().out
    assert "region id:         cn.xinjiang.kezilesu.wuqia" in out
    header = next(line for line in out.splitlines() if line.startswith("indicator "))
    assert header.split()[-3:] == ["indicator", "id", "measure"]
    gdp = next(line for line in out.splitlines() if line.startswith("地区生产总值 "))
    assert gdp.split()[-2:] == ["gdp", "growth"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("scan.pdf", b"%PDF-1.5\n", "looks like PDF"),
        ("empty.txt", b"", "empty file"),
        ("menu.html", "<html><body><nav>首页</nav></body></html>".encode(), "no text found"),
    ],
)
def test_unparseable_file_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["parse", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"reportbot: {name}: ")
    assert reason in captured.err
    assert "Traceback" not in captured.err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(tmp_path / "nope.txt")]) == 2
    assert "reportbot: nope.txt: cannot read file" in capsys.readouterr().err

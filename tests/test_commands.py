"""The CLI commands that use the engine: ask, reports, ingest, eval, console."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli
from bot.config import get_settings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "wuqia-2022.txt"


@pytest.fixture
def env(tmp_path, monkeypatch):
    db = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_PATH", str(db))
    monkeypatch.setenv("SEEDS_DIR", str(ROOT / "seeds"))
    get_settings.cache_clear()
    yield db
    get_settings.cache_clear()


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_shape(env, capsys):
    code, out, _ = _run(capsys, "ask", "--json", "就业目标", "火星探测")
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert set(first) == {"query", "report", "figures", "excerpts", "suggestions"}
    assert first["query"] == "就业目标"
    fig = first["figures"][0]
    assert set(fig) >= {"indicator", "value", "number", "unit", "qualifier", "kind", "year", "text",
                        "sentence", "section", "report", "score", "match"}  # fmt: skip
    assert fig["kind"] == "target" and fig["report"] == "wuqia-2022"
    assert fig["text"] in SEED.read_text(encoding="utf-8")
    assert first["excerpts"][0]["passage_id"] > 0
    assert second["figures"] == [] and second["excerpts"] == []
    assert isinstance(second["suggestions"], list)
    assert "\\u" not in out  # ensure_ascii=False


def test_first_command_loads_seeds_and_reports_json(env, capsys):
    assert not env.exists()
    code, out, _ = _run(capsys, "reports", "--json")
    assert code == 0
    [report] = json.loads(out)
    assert report["id"] == "wuqia-2022" and report["year"] == 2023 and report["figures"] > 0
    code, out, _ = _run(capsys, "reports")
    assert "wuqia-2022" in out


def test_ingest_is_idempotent(env, capsys, tmp_path):
    other = ROOT / "tests" / "data" / "reports" / "laiyuan-2025.txt"
    code, out, _ = _run(capsys, "ingest", str(other))
    assert code == 0 and "added (1): laiyuan-2025" in out
    code, out, _ = _run(capsys, "ingest", str(other), str(SEED))
    assert code == 0 and "unchanged (2)" in out
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    code, _, err = _run(capsys, "ingest", str(bad))
    assert code == 1 and "bad.txt" in err


def test_ask_plain_and_scoped(env, capsys):
    code, out, _ = _run(capsys, "ask", "--report", "wuqia-2022", "退税")
    assert code == 0 and "7600万元" in out
    code, _, err = _run(capsys, "ask", "--report", "nope", "退税")
    assert code == 2 and "nope" in err


def test_eval_command(env, capsys):
    code, out, _ = _run(capsys, "eval", str(ROOT / "tests" / "seed-queries.toml"),
                        "--report", "wuqia-2022")  # fmt: skip
    assert code == 0 and "recall@k 1.000" in out and "PASS" in out


def test_console_from_a_pipe(env):
    lines = "就业目标\n更多\n/reports\n/use wuqia-2022\n退税\n/use nope\n火星探测\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console"],
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "DATABASE_PATH": str(env), "SEEDS_DIR": str(ROOT / "seeds")},
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "> " not in out.splitlines()[0]  # no prompt when stdin is not a terminal
    assert "700人" in out and "7600万元" in out
    assert "answering from wuqia-2022" in out and "no report 'nope'" in out


def test_undecodable_argument_is_a_clear_error(env, capsys):
    # What Python makes of `reportbot ask $'\xff\xfe'` in a UTF-8 locale (surrogateescape).
    code, out, err = _run(capsys, "ask", "就业" + b"\xff\xfe".decode("utf-8", "surrogateescape"))
    assert code == 2 and out == ""
    assert "argument 2 is not valid UTF-8" in err and "\\xff\\xfe" in err


def test_undecodable_argv_bytes_exit_2_without_traceback(env):
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", b"\xff\xfe\xe5\xb0\xb1", "--json"],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "DATABASE_PATH": str(env), "SEEDS_DIR": str(ROOT / "seeds"),
             "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert b"Traceback" not in result.stderr and b"not valid UTF-8" in result.stderr
    assert result.stdout == b""


def test_ask_answers_hostile_text(env, capsys):
    code, out, _ = _run(capsys, "ask", "--json", "就业\u200b目标\x00", "\u202e" * 50)
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["query"] == "就业目标" and first["figures"]
    assert second["query"] == "" and second["figures"] == []


def test_stats_prints_what_the_bot_logged(env, capsys):
    """`reportbot ask` does not count as usage; what the bot logged does."""
    import asyncio

    from bot.engine import Engine

    code, _, _ = _run(capsys, "ask", "就业目标")

    async def bot_asks() -> None:
        engine = await Engine.open(env, ROOT / "seeds")
        try:
            for text in ("就业目标", "就业目标", "火星探测"):
                engine.log_query(text, await engine.ask(text))
        finally:
            await engine.close()  # writes the batch

    asyncio.run(bot_asks())
    code, out, _ = _run(capsys, "stats")
    assert code == 0 and "查询 3 次，有结果 2 次" in out and "1. 就业目标 — 2" in out
    assert "<b>" not in out
    code, out, _ = _run(capsys, "stats", "--json")
    data = json.loads(out)
    assert len(data["days"]) == 14 and data["misses"] == [["火星探测", 1]]

"""Uploads below Telegram: what plan() decides, commit() as one step with its file, and the
same checks in `ingest_paths` and `reportbot ingest`."""

from __future__ import annotations

import codecs
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot import cli, uploads
from bot.config import get_settings
from bot.engine import Engine
from bot.fingerprint import content_digest
from bot.report import parse_bytes
from bot.report.genre import NotAReport
from bot.report.model import ParseError

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "wuqia-2022.txt"
REPORTS = ROOT / "tests" / "data" / "reports"
NON = ROOT / "tests" / "data" / "nonreports"


@pytest_asyncio.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    eng = await Engine.open(tmp_path / "r.db", ROOT / "seeds")
    yield eng
    await eng.close()


async def snapshot(engine: Engine) -> tuple[list[tuple[str, str]], dict[str, int]]:
    return [(r.id, r.sha256) for r in await engine.reports()], await engine.stats()


# ── same content, other bytes ──


def variants(text: str) -> dict[str, bytes]:
    crlf = text.replace("\n", "\r\n")
    return {
        "utf-8 BOM, CRLF": codecs.BOM_UTF8 + crlf.encode(),
        "GB18030": text.encode("gb18030"),
        "UTF-16": text.encode("utf-16"),
        "trailing spaces": "\n".join(line + "  " for line in text.splitlines()).encode(),
    }


def test_the_digest_ignores_encoding_line_endings_and_layout() -> None:
    text = SEED.read_text(encoding="utf-8")
    digest = content_digest(p.text for p in parse_bytes(SEED.read_bytes(), "a.txt").passages)
    for label, data in variants(text).items():
        other = parse_bytes(data, "copy.txt")
        assert content_digest(p.text for p in other.passages) == digest, label
    changed = parse_bytes(
        SEED.read_bytes().replace("就业700人以上".encode(), "就业900人以上".encode()), "b.txt"
    )
    assert content_digest(p.text for p in changed.passages) != digest


async def test_same_content_under_another_name_is_the_loaded_report(engine: Engine) -> None:
    before = await snapshot(engine)
    for label, data in variants(SEED.read_text(encoding="utf-8")).items():
        plan = await uploads.plan(engine, data, "乌恰县报告（副本）.txt")
        assert (plan.action, plan.report_id) == ("same", "wuqia-2022"), label
        assert plan.existing is not None and "乌恰" in plan.existing.title
        with pytest.raises(ParseError, match="already loaded"):
            await uploads.commit(engine, plan, None)
    assert await engine.ingest_bytes(SEED.read_bytes(), "other-name.txt") == (
        "unchanged",
        "wuqia-2022",
    )
    assert await snapshot(engine) == before


async def test_another_report_under_a_taken_id_is_a_replacement(engine: Engine) -> None:
    plan = await uploads.plan(engine, (REPORTS / "fuping-2021.txt").read_bytes(), "wuqia-2022.txt")
    assert plan.action == "replace" and plan.report_id == "wuqia-2022"
    assert plan.existing is not None and "乌恰" in plan.existing.title
    assert "阜平" in plan.report.meta.title
    assert plan.expect_sha256 == plan.existing.sha256


async def test_non_reports_are_refused_before_anything(engine: Engine) -> None:
    before = await snapshot(engine)
    for name in ("fiction-modern.txt", "lorem-ipsum.txt", "stats-bulletin.txt"):
        with pytest.raises(NotAReport):
            await uploads.plan(engine, (NON / name).read_bytes(), "wuqia-2022.txt")
    forced = await uploads.plan(engine, (NON / "fiction-modern.txt").read_bytes(), "x.txt",
                                force=True)  # fmt: skip
    assert forced.action == "add"
    assert await snapshot(engine) == before


# ── commit: the file and the database together ──


async def test_commit_keeps_the_file_under_its_report_id(engine: Engine, tmp_path: Path) -> None:
    keep = tmp_path / "uploads"
    data = (REPORTS / "laiyuan-2025.txt").read_bytes()
    plan = await uploads.plan(engine, data, "../../涞源 2025 final.TXT")
    assert plan.report_id == "涞源-2025-final"
    assert await uploads.commit(engine, plan, keep) == "added"
    assert sorted(p.name for p in keep.iterdir()) == ["涞源-2025-final.txt"]
    assert (keep / "涞源-2025-final.txt").read_bytes() == data
    # A replacement under the same id, as .docx-less .html: the old copy goes with it.
    other = (REPORTS / "national-1997.txt").read_text(encoding="utf-8")
    page = f"<html><body><article>{''.join(f'<p>{x}</p>' for x in other.splitlines())}</article>"
    plan = await uploads.plan(engine, page.encode(), "涞源-2025-final.html")
    assert plan.action == "replace"
    assert await uploads.commit(engine, plan, keep) == "updated"
    assert sorted(p.name for p in keep.iterdir()) == ["涞源-2025-final.html"]


async def test_a_failing_file_write_leaves_the_database_alone(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep = tmp_path / "uploads"
    plan = await uploads.plan(engine, (REPORTS / "fuping-2021.txt").read_bytes(), "wuqia-2022.txt")
    keep.mkdir()
    (keep / "wuqia-2022.txt").write_bytes(SEED.read_bytes())  # the kept copy of the old report
    before = await snapshot(engine)

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(uploads.os, "replace", disk_full)
    with pytest.raises(OSError) as raised:
        await uploads.commit(engine, plan, keep)
    assert "No space left" in uploads.failure_reason(raised.value)
    monkeypatch.undo()
    assert await snapshot(engine) == before
    assert sorted(p.name for p in keep.iterdir()) == ["wuqia-2022.txt"]  # no .part left over
    assert (keep / "wuqia-2022.txt").read_bytes() == SEED.read_bytes()
    answer = await engine.ask("就业目标", report_id="wuqia-2022")
    assert any("700人" in f.figure.value for f in answer.figures)


async def test_a_failing_commit_puts_the_old_file_back(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is renamed inside the transaction; when COMMIT then fails, both roll back."""
    keep = tmp_path / "uploads"
    keep.mkdir()
    (keep / "wuqia-2022.txt").write_bytes(SEED.read_bytes())
    plan = await uploads.plan(engine, (REPORTS / "fuping-2021.txt").read_bytes(), "wuqia-2022.txt")
    before = await snapshot(engine)
    writer = engine._store._w
    execute = writer.execute

    def failing(sql: str, *args: object, **kwargs: object) -> object:
        if sql == "COMMIT":
            assert (keep / "wuqia-2022.txt").read_bytes() != SEED.read_bytes()  # in place now
            raise sqlite3.OperationalError("disk I/O error")
        return execute(sql, *args, **kwargs)

    monkeypatch.setattr(writer, "execute", failing)
    with pytest.raises(sqlite3.OperationalError):
        await uploads.commit(engine, plan, keep)
    monkeypatch.undo()
    assert await snapshot(engine) == before
    assert sorted(p.name for p in keep.iterdir()) == ["wuqia-2022.txt"]
    assert (keep / "wuqia-2022.txt").read_bytes() == SEED.read_bytes()


async def test_a_report_changed_since_the_preview_is_not_replaced(engine: Engine) -> None:
    plan = await uploads.plan(engine, (REPORTS / "fuping-2021.txt").read_bytes(), "wuqia-2022.txt")
    changed = SEED.read_bytes().replace("就业700人以上".encode(), "就业900人以上".encode())
    assert await engine.ingest_bytes(changed, "wuqia-2022.txt") == ("updated", "wuqia-2022")
    before = await snapshot(engine)
    with pytest.raises(ParseError, match="changed since the preview"):
        await uploads.commit(engine, plan, None)
    assert await snapshot(engine) == before


# ── ingest_paths and `reportbot ingest` ──


async def test_ingest_refuses_non_reports_and_skips_duplicates(
    engine: Engine, tmp_path: Path
) -> None:
    copy = tmp_path / "copy-of-wuqia.txt"
    copy.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    seen: list[tuple[int, int, str]] = []
    summary = await engine.ingest_paths(
        [NON / "fiction-modern.txt", copy, REPORTS / "baoding-2025.txt"],
        progress=lambda done, total, name: seen.append((done, total, name)),
    )
    assert summary.added == ["baoding-2025"]
    assert summary.duplicates == [("copy-of-wuqia.txt", "wuqia-2022")]
    assert [name for name, _ in summary.failed] == ["fiction-modern.txt"]
    assert "政府工作报告" in summary.failed[0][1]
    assert seen == [(0, 3, "fiction-modern.txt"), (1, 3, "copy-of-wuqia.txt"),
                    (2, 3, "baoding-2025.txt"), (3, 3, "")]  # fmt: skip
    forced = await engine.ingest_paths([NON / "fiction-modern.txt"], force=True)
    assert forced.added == ["fiction-modern"]


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.db"))
    monkeypatch.setenv("SEEDS_DIR", str(ROOT / "seeds"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_reportbot_ingest_fails_non_reports_with_the_reason(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["ingest", str(NON / "lorem-ipsum.txt"), str(REPORTS / "laiyuan-2025.txt")])
    out, err = capsys.readouterr()
    assert code == 1 and "added (1): laiyuan-2025" in out
    assert "failed: lorem-ipsum.txt: 几乎没有中文" in err and "--force" in err
    assert "\r" not in err and "it/s" not in err and "file/s" not in err  # no bar off a TTY
    code = cli.main(["ingest", "--force", str(NON / "lorem-ipsum.txt")])
    out, _ = capsys.readouterr()
    assert code == 0 and "added (1): lorem-ipsum" in out


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_reportbot_ingest_draws_a_bar_on_a_terminal(cli_env: Path) -> None:
    import asyncio
    import pty

    from bot.commands import ingest

    async def run() -> str:
        leader, follower = pty.openpty()
        with os.fdopen(follower, "w", encoding="utf-8", closefd=True) as tty:
            eng = await Engine.open(cli_env / "tty.db")
            try:
                await ingest(eng, [str(REPORTS / "laiyuan-2025.txt"), str(SEED)], stream=tty)
            finally:
                await eng.close()
        drawn = os.read(leader, 65536).decode("utf-8", "replace")
        os.close(leader)
        return drawn

    drawn = asyncio.run(run())
    assert "2/2" in drawn and "file" in drawn

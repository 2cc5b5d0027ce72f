"""One uploaded file, from bytes to a loaded report, in two steps with a person in between.

`plan()` decides what the file would do without changing anything: parse it within limits,
refuse what is not a work report, recognise content that is already loaded (under any name),
and find the report an import would replace. The bot shows that as a preview.

`commit()` imports it as one step with its file: the file is written under a temporary name,
the database transaction runs, the file is renamed into place just before COMMIT (inside the
transaction), and any failure rolls back both. The caller learns of failures as exceptions;
`failure_reason()` says them in words for the admin.

No telegram here: handlers/uploads.py is the glue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bot import naming
from bot.engine import report_id_for, with_year
from bot.fingerprint import content_digest
from bot.report import ParseError, Report, parse_bytes
from bot.report.genre import check as check_genre
from bot.store import ReportInfo, prepare

if TYPE_CHECKING:
    from bot.engine import Engine

log = logging.getLogger(__name__)

Action = Literal["add", "replace", "same"]
KEPT_SUFFIXES = (".txt", ".html", ".htm", ".docx")


@dataclass(slots=True)
class Plan:
    """What importing a file would do; nothing has been written yet."""

    name: str  # the file name, sanitised (bot/naming.py)
    data: bytes
    report: Report
    report_id: str  # where it would go; for "same", the loaded report with this content
    action: Action  # add a new report, replace `existing`, or nothing: `existing` is the same
    existing: ReportInfo | None
    digest: str  # bot/fingerprint.py content digest
    expected: str | None = None  # a restored plan (`restore`): the sha256 as previewed

    @property
    def expect_sha256(self) -> str | None:
        """The raw sha256 the report under `report_id` must still have at commit time."""
        if self.action != "replace":
            return None
        return self.existing.sha256 if self.existing else self.expected


async def plan(engine: Engine, data: bytes, name: str, *, force: bool = False) -> Plan:
    """Parse and judge `data`. Raises ParseError (NotAReport for a file that is no work report,
    unless `force`); the database is never touched."""
    safe = naming.safe_file_name(name)
    report = await asyncio.to_thread(parse_bytes, data, safe)
    if not force:
        check_genre(report)
    digest = await asyncio.to_thread(content_digest, [p.text for p in report.passages])
    same = await engine.find_same_content(digest)
    if same is not None:
        info = await engine.get_report(same)
        if info is not None:
            return Plan(safe, data, report, same, "same", info, digest)
    rid = with_year(report_id_for(safe), report.meta.target_year)
    existing = await engine.get_report(rid)
    return Plan(safe, data, report, rid, "replace" if existing else "add", existing, digest)


async def restore(
    data: bytes, name: str, report_id: str, action: Action, expect_sha256: str | None
) -> Plan:
    """The plan of a preview made before a restart (bot/previews.py), from its file and what
    was previewed: the same id and action, and a replacement still only of the report the
    admin saw (commit checks its sha256). Raises ParseError."""
    report = await asyncio.to_thread(parse_bytes, data, name)
    digest = await asyncio.to_thread(content_digest, [p.text for p in report.passages])
    return Plan(name, data, report, report_id, action, None, digest, expected=expect_sha256)


async def commit(
    engine: Engine,
    plan: Plan,
    keep_dir: Path | None,
    *,
    stage: Callable[[str], None] | None = None,
) -> str:
    """Import a planned file: "added" or "updated". Any exception means nothing changed: not
    the database, not the kept files. `stage` hears what is happening, for a status message."""
    if plan.action == "same":
        raise ParseError(plan.name, f"already loaded as {plan.report_id}")
    say = stage or (lambda text: None)
    say("建立索引")
    prepared = await asyncio.to_thread(prepare, plan.report)
    say("写入数据库")
    if keep_dir is None:
        return await engine.replace_report(
            plan.report_id, prepared, expect_sha256=plan.expect_sha256
        )
    suffix = naming.split_suffix(plan.name)[1]
    kept = KeptFile(Path(keep_dir), plan.report_id, suffix if suffix in KEPT_SUFFIXES else ".txt")
    await asyncio.to_thread(kept.write_temp, plan.data)
    try:

        async def put_in_place() -> None:
            await asyncio.to_thread(kept.put_in_place)

        status = await engine.replace_report(
            plan.report_id,
            prepared,
            expect_sha256=plan.expect_sha256,
            before_commit=put_in_place,
        )
    except BaseException:
        await asyncio.to_thread(kept.undo)
        raise
    await asyncio.to_thread(kept.finish)
    return status


def failure_reason(exc: BaseException) -> str:
    """An import failure in words for the admin (the database is unchanged in every case)."""
    if isinstance(exc, ParseError):
        return exc.reason
    if isinstance(exc, OSError):
        return f"无法保存文件（{exc.strerror or type(exc).__name__}）"
    return f"内部错误（{type(exc).__name__}）"


@dataclass
class KeptFile:
    """The uploaded file kept as <report id><suffix> in the uploads folder, replaced together
    with the report: older copies of that report (any suffix) are set aside, not lost, until
    the database has committed."""

    folder: Path
    report_id: str
    suffix: str
    token: str = field(default_factory=lambda: secrets.token_hex(4))
    _temp: Path | None = None
    _placed: bool = False
    _aside: list[tuple[Path, Path]] = field(default_factory=list)  # (original, backup)

    @property
    def target(self) -> Path:
        return self.folder / naming.safe_file_name(self.report_id + self.suffix)

    def write_temp(self, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temp = self.folder / f".{self.report_id}.{self.token}.part"
        with open(temp, "wb") as out:
            self._temp = temp
            out.write(data)
            out.flush()
            os.fsync(out.fileno())

    def put_in_place(self) -> None:
        """Runs inside the database transaction: if it raises, the transaction rolls back."""
        assert self._temp is not None
        for suffix in KEPT_SUFFIXES:
            old = self.folder / naming.safe_file_name(self.report_id + suffix)
            if old.exists():
                backup = self.folder / f".{old.name}.{self.token}.old"
                os.replace(old, backup)
                self._aside.append((old, backup))
        os.replace(self._temp, self.target)
        self._placed = True

    def undo(self) -> None:
        """After a failure, before or after put_in_place: the folder as it was."""
        if self._placed:
            with contextlib.suppress(FileNotFoundError):
                self.target.unlink()
        if self._temp is not None:
            with contextlib.suppress(FileNotFoundError):
                self._temp.unlink()
        for original, backup in reversed(self._aside):
            os.replace(backup, original)
        self._aside.clear()

    def finish(self) -> None:
        """After COMMIT: drop the set-aside copies. Best effort: the import has happened."""
        for _, backup in self._aside:
            try:
                backup.unlink()
            except OSError as exc:
                log.warning("could not remove %s: %s", backup.name, exc)
        if not self._placed and self._temp is not None:  # "unchanged": nothing was replaced
            with contextlib.suppress(OSError):
                self._temp.unlink()

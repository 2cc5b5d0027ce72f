"""Report ids and kept file names come from a sanitised base name only."""

from __future__ import annotations

import pytest

from bot import naming
from bot.engine import report_id_for


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("seeds/wuqia-2022.txt", "wuqia-2022"),
        ("corpus/national/2023.txt", "national-2023"),
        ("Beijing.HTML", "beijing"),
        ("../../etc/passwd.txt", "passwd"),
        ("/etc/cron.d/wuqia-2022.txt", "wuqia-2022"),
        ("..\\..\\Windows\\report.txt", "report"),
        ("C:\\Users\\a\\北京市2026.docx", "北京市2026"),
        ("wuqia-2022\x00.txt", "wuqia-2022"),
        ("wuqia\x00-2022\x1b[31m.txt", "wuqia-2022-31m"),
        ("\u202etxt.exe", "txt"),  # the RTL override goes; what is left is plain
        ("..", "report"),
        ("", "report"),
        ("../.txt", "txt"),  # a dot file: its name, as Path(".txt").stem
        ("　。.txt", "report"),
    ],
)
def test_report_ids_are_sanitised(name: str, expected: str) -> None:
    assert report_id_for(name) == expected


def test_ids_are_bounded_and_plain() -> None:
    rid = report_id_for("长" * 300 + ".txt")
    assert rid == "长" * naming.MAX_ID
    for name in ("a/../../b.txt", "x\x00y/z\x01.txt", "a" * 1000, "-_-.txt", "../" * 50):
        rid = report_id_for(name)
        assert rid and len(rid) <= naming.MAX_ID
        assert "/" not in rid and "\\" not in rid and ".." not in rid
        assert all(ch.isprintable() for ch in rid)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/x.txt", "x.txt"),
        ("/abs/path/report.docx", "report.docx"),
        ("a\x00b.txt", "ab.txt"),
        (".hidden.txt", "hidden.txt"),
        ("..", "report.txt"),
        ("noext", "noext.txt"),
        ("REPORT.TXT", "REPORT.txt"),
    ],
)
def test_file_names_are_sanitised(name: str, expected: str) -> None:
    assert naming.safe_file_name(name) == expected


def test_file_names_are_bounded_in_characters_and_bytes() -> None:
    name = naming.safe_file_name("报" * 300 + ".docx")
    assert name.endswith(".docx") and len(name) <= naming.MAX_FILE_NAME
    assert len(name.encode()) <= 255

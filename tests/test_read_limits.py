"""Reading within limits: zip bombs, huge pages and endless text are refused quickly, with a
ParseError that says why, before the work they would cause."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from bot.report import limits, parse_bytes
from bot.report.limits import Deadline
from bot.report.model import ParseError
from bot.report.read import _check_zip, decode, html_text

SEED = Path(__file__).resolve().parent.parent / "seeds" / "wuqia-2022.txt"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_with(body_xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}">'
        f"<w:body>{body_xml}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def paragraphs(text: str, times: int) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" * times


def test_a_zip_bomb_is_refused_from_its_directory_quickly() -> None:
    # 20 MB of identical paragraphs in a ~60 KB file: the shape of the run's 70 KB bomb.
    bomb = docx_with(paragraphs("垃圾段落", 20 * 2**20 // 60))
    assert len(bomb) < 100_000
    started = time.perf_counter()
    with pytest.raises(ParseError, match="zip bomb"):
        parse_bytes(bomb, "report.docx")
    assert time.perf_counter() - started < 0.5


def test_a_member_too_large_is_refused_even_when_it_compresses_modestly() -> None:
    big = zipfile.ZipInfo("word/document.xml")
    big.file_size, big.compress_size = limits.MAX_DOCX_DOCUMENT + 1, limits.MAX_DOCX_DOCUMENT // 4
    with pytest.raises(ParseError, match="document too large"):
        _check_zip([big], "a.docx")
    images = []
    for n in range(5):
        info = zipfile.ZipInfo(f"word/media/image{n}.png")
        info.file_size = info.compress_size = 15 * 2**20  # 75 MB of incompressible images
        images.append(info)
    with pytest.raises(ParseError, match="inflates to 75 MB"):
        _check_zip(images, "a.docx")
    many = [zipfile.ZipInfo(f"x/{n}") for n in range(limits.MAX_DOCX_MEMBERS + 1)]
    with pytest.raises(ParseError, match="zip of 2,001 files"):
        _check_zip(many, "a.docx")


def test_a_lying_directory_is_caught_while_inflating(monkeypatch: pytest.MonkeyPatch) -> None:
    """The directory's sizes are claims: what really inflates is counted too."""
    data = docx_with(paragraphs("正文", 3000))  # about 120 KB of XML, under every claim check
    monkeypatch.setattr("bot.report.read.MAX_DOCX_DOCUMENT", 50_000)
    monkeypatch.setattr("bot.report.read._check_zip", lambda members, name: None)
    with pytest.raises(ParseError, match="beyond the size limits"):
        decode(data, "a.docx")


def test_a_real_docx_is_still_read() -> None:
    import docx

    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    report = parse_bytes(buffer.getvalue(), "wuqia.docx")
    assert "乌恰" in report.meta.title and len(report.figures) > 50


def test_a_huge_page_is_refused_before_it_is_parsed() -> None:
    page = ("<html><body>" + "<div><p>段落</p></div>" * 600_000 + "</body></html>").encode()
    assert len(page) > 14_000_000
    started = time.perf_counter()
    with pytest.raises(ParseError, match="page too large"):
        parse_bytes(page, "page.html")
    assert time.perf_counter() - started < 1.0


def test_endless_text_is_refused() -> None:
    text = ("各位代表：今年全县地区生产总值增长6%。\n" * 40_000).encode()
    with pytest.raises(ParseError, match="too much text"):
        parse_bytes(text, "long.txt")


def test_deeply_nested_html_is_text_not_a_recursion_error() -> None:
    depth = 5000
    page = "<html><body>" + "<div>" * depth + "各位代表：" + "</div>" * depth + "</body></html>"
    assert "各位代表" in html_text(page)


def test_parsing_runs_against_a_clock() -> None:
    with pytest.raises(ParseError, match="longer than 0 s"):
        parse_bytes(SEED.read_bytes(), "wuqia-2022.txt", time_limit=0)
    deadline = Deadline("x", None)
    deadline.check()  # no limit: never raises

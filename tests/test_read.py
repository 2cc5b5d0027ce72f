"""Readers: encodings from the bytes, HTML article text, .docx, and clear errors."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bot.report.model import ParseError
from bot.report.read import decode

REPORTS = Path(__file__).parent / "data" / "reports"
SEED = Path(__file__).parent.parent / "seeds" / "wuqia-2022.txt"


@pytest.fixture(scope="module")
def baoding() -> str:
    return (REPORTS / "baoding-2025.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk"]
)
def test_text_encodings_are_detected_from_the_bytes(baoding: str, encoding: str) -> None:
    # The extension says nothing: the same name is used for every encoding.
    assert decode(baoding.encode(encoding), "report.txt") == baoding


def test_gbk_file_named_html_is_not_taken_for_utf8() -> None:
    text = SEED.read_text(encoding="utf-8")
    data = text.encode("gb18030")
    assert decode(data, "wuqia.dat") == text


def test_short_gbk_text_is_decoded() -> None:
    sentence = "2023年地区生产总值增长8%以上。"
    assert decode(sentence.encode("gbk"), "a.txt") == sentence


def _page(body: str) -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="gbk"><title>2025年保定市政府工作报告</title>
<style>.x {{ color: red }}</style><script>var tracking = "政府工作报告";</script></head>
<body>
<div class="nav">首页 &gt; 政务公开 &gt; 政府工作报告</div>
<div class="breadcrumb">当前位置：首页</div>
<header><a href="/">网站首页</a></header>
<div id="content" class="article">
<h1>2025年保定市政府工作报告</h1>
{body}
</div>
<div class="share">分享到：微信 微博</div>
<footer>版权所有 保定市人民政府 网站标识码</footer>
<script>document.write("广告")</script>
</body></html>"""


def test_html_page_gives_the_article_text_only(baoding: str) -> None:
    paragraphs = [line for line in baoding.splitlines() if line.strip()][6:14]
    body = "\n".join(f"<p>{line}</p>" for line in paragraphs)
    text = decode(_page(body).encode("gbk"), "page.html")
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "2025年保定市政府工作报告"
    assert lines[1:] == paragraphs
    for junk in (
        "tracking",
        "color",
        "版权所有",
        "分享到",
        "当前位置",
        "网站首页",
        "document.write",
    ):
        assert junk not in text


def test_html_inline_links_do_not_break_the_sentence() -> None:
    link = "<a href='#'>区域全面经济伙伴关系协定</a>"
    html = _page(f"<p>推动{link}（RCEP）生效实施，\n建成全球最大自由贸易区。</p>")
    text = decode(html.encode("utf-8"), "page.htm")
    assert "推动区域全面经济伙伴关系协定（RCEP）生效实施，建成全球最大自由贸易区。" in text


def test_html_is_recognised_by_content_without_extension() -> None:
    html = _page("<p>一、2024年工作回顾</p><p>过去一年，经济稳中有进。</p>")
    text = decode(html.encode("utf-16"), "download")
    assert "一、2024年工作回顾\n" in text
    assert "<p>" not in text


def test_docx_paragraphs_and_tables(tmp_path: Path, baoding: str) -> None:
    import docx

    paragraphs = [line for line in baoding.splitlines() if line.strip()][6:12]
    document = docx.Document()
    for line in paragraphs[:3]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "目标"
    table.cell(1, 0).text = "地区生产总值增长"
    table.cell(1, 1).text = "6%左右"
    for line in paragraphs[3:]:
        document.add_paragraph(line)
    path = tmp_path / "report.docx"
    document.save(str(path))
    text = decode(path.read_bytes(), "whatever.bin")
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines == [*paragraphs[:3], "指标 目标", "地区生产总值增长 6%左右", *paragraphs[3:]]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".doc"),
        (b"", "empty file"),
        (b"   \n\n  ", "empty file"),
        (bytes(range(256)) * 20, "not a text, HTML or .docx file"),
        (b"PK\x03\x04 not really a zip", "damaged zip"),
    ],
)
def test_unreadable_input_raises_a_clear_parse_error(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        decode(data, "upload.txt")
    assert reason in caught.value.reason
    assert str(caught.value).startswith("upload.txt: ")


def test_zip_that_is_not_docx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("report.txt", "政府工作报告")
    with pytest.raises(ParseError, match=r"not a valid \.docx file \(a zip archive without"):
        decode(buffer.getvalue(), "report.zip")


def test_damaged_docx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not xml")
    with pytest.raises(
        ParseError, match=r"^report\.docx: not a valid \.docx file \(damaged document"
    ):
        decode(buffer.getvalue(), "report.docx")


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        ("政府工作报告\n各位代表：\n".encode(), "its bytes are not a zip archive"),
        ("政府工作报告\n各位代表：\n".encode("gb18030"), "its bytes are not a zip archive"),
        (b"<html><body><p>\xe6\x8a\xa5\xe5\x91\x8a</p></body></html>", "not a zip archive"),
        (b"%PDF-1.7\n1 0 obj", "looks like PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "looks like an old Word"),
        (b"PK\x03\x04 not really a zip", "damaged zip archive"),
    ],
)
@pytest.mark.parametrize("name", ["report.docx", "REPORT.DOCX", "uploads/2023 报告.docx"])
def test_file_named_docx_must_be_a_docx(name: str, data: bytes, detail: str) -> None:
    with pytest.raises(ParseError) as caught:
        decode(data, name)
    assert str(caught.value).startswith(f"{name}: not a valid .docx file (")
    assert detail in caught.value.reason


def test_text_named_txt_or_html_is_still_read_from_the_bytes() -> None:
    text = "政府工作报告\n各位代表：\n"
    assert decode(text.encode("gb18030"), "report.txt") == text
    page = "<html><body><article><p>" + "各位代表：" * 60 + "</p></article></body></html>"
    assert "各位代表" in decode(page.encode(), "report.html")
    assert "各位代表" in decode(page.encode("utf-16"), "report.htm")

"""Bytes → text. The encoding and the format are detected from the bytes, never the file name,
except that a .htm/.html name is enough to treat text as a page and a .docx name (like bytes
opening with PK) must be a valid .docx: it is never read as text.

Every reader works within bot/report/limits.py: sizes are checked before the work that they
would make expensive (a zip's directory before inflating, a page's length before parsing it),
and a Deadline is checked as the work goes."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.report.limits import (
    MAX_DOCX_DOCUMENT,
    MAX_DOCX_MEMBERS,
    MAX_DOCX_RATIO,
    MAX_DOCX_TOTAL,
    MAX_MARKUP_CHARS,
    RATIO_FLOOR,
    Deadline,
    check_text,
)
from bot.report.model import ParseError

if TYPE_CHECKING:  # bs4 is imported when a page is read, not with this module
    from bs4 import PageElement, Tag

# Magic numbers of formats people are likely to send by mistake, so the error can name them.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF media file"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Excel file (.doc/.xls); save it as .docx"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"{\\rtf", "an RTF document; save it as .docx or .txt"),
    (b"wOFF", "a font"),
    (b"ID3", "an MP3 file"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_GBK_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz", "hz_gb_2312", "euc_cn", "iso2022_cn"}
_HTML_HINT = re.compile(
    r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]|<meta\s|<div[\s>]|<p>", re.IGNORECASE
)


def decode(data: bytes, name: str, deadline: Deadline | None = None) -> str:
    """Return the text of a .txt, .html or .docx file; raise ParseError for anything else,
    including files over the limits of bot/report/limits.py."""
    deadline = deadline or Deadline(name)
    if not data.strip():
        raise ParseError(name, "empty file")
    if data[:2] == b"PK" or name.lower().endswith(".docx"):
        return check_text(_docx_text(data, name, deadline), name)
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise ParseError(name, f"not a text, HTML or .docx file (looks like {what})")
    text = _decode_text(data, name)
    deadline.check()
    if _looks_like_html(text, name):
        if len(text) > MAX_MARKUP_CHARS:
            raise ParseError(
                name,
                f"page too large ({len(text):,} characters of HTML; at most {MAX_MARKUP_CHARS:,})",
            )
        return check_text(html_text(text, deadline), name)
    return check_text(text, name)


def _decode_text(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(encoding), name)
            except UnicodeDecodeError as exc:
                raise ParseError(name, f"broken {encoding.upper()} text ({exc.reason})") from exc
    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    utf16 = _guess_utf16(data)
    if utf16 is not None:
        return utf16
    # GB18030 is a superset of GBK and GB2312, so it is the safe reading of any GBK-family guess.
    try:
        text = data.decode("gb18030")
        if _plausibility(text) >= 0.9:
            return _checked(text, name)
    except UnicodeDecodeError:
        pass
    return _checked(_charset_normalizer(data, name), name)


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: accept only if one byte order yields mostly CJK/ASCII text."""
    if len(data) < 4 or len(data) % 2:
        return None
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text)
    if best and best[0] >= 0.95:
        return best[1]
    return None


def _charset_normalizer(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    match = from_bytes(data[:200_000]).best()
    if match is None:
        raise ParseError(name, "not a text, HTML or .docx file (unknown binary data)")
    encoding = match.encoding.lower().replace("-", "_")
    if encoding in _GBK_FAMILY:
        encoding = "gb18030"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ParseError(name, f"cannot decode the text (guessed {encoding})") from exc
    if _plausibility(text) < 0.8:
        raise ParseError(name, "not a text, HTML or .docx file (unknown binary data)")
    return text


def _plausibility(text: str) -> float:
    """Share of characters a Chinese report plausibly contains."""
    sample = text[:20_000]
    if not sample:
        return 0.0
    good = 0
    for ch in sample:
        code = ord(ch)
        if (
            0x20 <= code < 0x7F
            or ch in "\n\r\t"
            or 0x4E00 <= code <= 0x9FFF
            or 0x3000 <= code <= 0x303F
            or 0xFF00 <= code <= 0xFFEF
            or 0x2000 <= code <= 0x206F
            or code in (0xA0, 0xB7, 0xD7, 0xFEFF)
        ):
            good += 1
    return good / len(sample)


def _checked(text: str, name: str) -> str:
    """Reject decoded 'text' that is really binary (NULs and control characters)."""
    sample = text[:20_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if sample and controls / len(sample) > 0.01:
        raise ParseError(name, "not a text, HTML or .docx file (binary data)")
    return text


def _looks_like_html(text: str, name: str) -> bool:
    if name.lower().endswith((".html", ".htm", ".shtml", ".xhtml")):
        return True
    return bool(_HTML_HINT.search(text[:4000]))


# --- HTML -------------------------------------------------------------------------------------

_DROP_TAGS = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
    "template", "svg", "button", "select", "input", "textarea", "object", "embed", "head",
)  # fmt: skip
# Class/id words that mark page furniture. "header" is left out: article titles often live in one.
_JUNK_WORDS = {
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
    "footer", "sidebar", "share", "toolbar", "comment", "comments", "related", "ads", "advert",
    "banner", "copyright", "pagination", "pager", "position", "location", "topbar", "login",
}  # fmt: skip
_CONTENT_WORDS = ("article", "content", "zoom", "trs_editor", "main", "detail", "text", "body")
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "main", "blockquote", "pre", "dd", "dt", "dl", "hr", "center",
    "figure", "figcaption", "caption", "tbody", "thead",
}  # fmt: skip


def html_text(markup: str, deadline: Deadline | None = None) -> str:
    """The article text of a page, one block element per line."""
    from bs4 import BeautifulSoup

    deadline = deadline or Deadline("page")
    soup = BeautifulSoup(markup, "html.parser")
    deadline.check()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_junk_block):
        tag.decompose()
    root = _main_block(soup)
    title = soup.find("h1")
    parts: list[str] = []
    if title is not None and root is not soup and not _contains(root, title):
        parts.append(title.get_text(" ", strip=True) + "\n")
    deadline.check()
    _walk(root, parts, deadline)
    text = "".join(parts)
    # Source line breaks inside a paragraph are not breaks on the page.
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _is_junk_block(tag: object) -> bool:
    attrs = getattr(tag, "attrs", None)
    if not attrs:
        return False
    words: list[str] = []
    for key in ("class", "id", "role"):
        value = attrs.get(key)
        if isinstance(value, list):
            value = " ".join(value)
        if value:
            words.extend(w for w in re.split(r"[\s_\-]+", str(value).lower()) if w)
    return any(w in _JUNK_WORDS for w in words)


def _main_block(soup: Tag) -> Tag:
    """The element holding the article: <article>/<main>, else the largest content-named block."""
    from bs4 import Tag

    for name in ("article", "main"):
        found = soup.find(name)
        if isinstance(found, Tag) and len(found.get_text(strip=True)) > 200:
            return found
    found = soup.find("body")
    body = found if isinstance(found, Tag) else soup
    total = len(body.get_text(strip=True))
    best: Tag | None = None
    best_len = 0
    for tag in body.find_all(["div", "td", "section"]):
        if not isinstance(tag, Tag):
            continue
        classes = tag.get("class") or ""  # a multi-valued attribute: a list of names
        label = (" ".join(classes) if isinstance(classes, list) else str(classes)) + " " + str(
            tag.get("id", "")
        )
        if not any(word in label.lower() for word in _CONTENT_WORDS):
            continue
        size = len(tag.get_text(strip=True))
        if size > best_len:
            best, best_len = tag, size
    if best is not None and best_len >= 0.5 * total:
        return best
    return body


def _contains(root: Tag, tag: PageElement) -> bool:
    return any(parent is root for parent in tag.parents)


def _walk(root: Tag, parts: list[str], deadline: Deadline) -> None:
    """Text of the tree under `root` in document order. A loop with its own stack, not
    recursion: a page nested ten thousand deep must be text, not a RecursionError."""
    from bs4 import Comment, NavigableString, Tag

    # Items: a node to visit, or a string to emit once its children are done.
    stack: list[str | Iterator[PageElement]] = [iter(root.children)]
    steps = 0
    while stack:
        top = stack[-1]
        if isinstance(top, str):
            stack.pop()
            parts.append(top)
            continue
        child = next(top, None)
        if child is None:
            stack.pop()
            continue
        steps += 1
        if steps % 10_000 == 0:
            deadline.check()
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            parts.append(_collapse(str(child)))
        elif isinstance(child, Tag):
            block = child.name in _BLOCK_TAGS
            if block:
                parts.append("\n")
                stack.append("\n")
            elif child.name in ("td", "th"):
                stack.append(" ")
            stack.append(iter(child.children))


def _collapse(text: str) -> str:
    """HTML whitespace: a source line break between Chinese characters is no space at all."""
    text = re.sub(r"(?<=[^\x00-\x7f])[ \t\r\f]*\n[ \t\r\n\f]*(?=[^\x00-\x7f])", "", text)
    return re.sub(r"[ \t\r\n\f]+", " ", text)


# --- .docx ------------------------------------------------------------------------------------


def _docx_text(data: bytes, name: str, deadline: Deadline) -> str:
    def invalid(detail: str) -> ParseError:
        return ParseError(name, f"not a valid .docx file ({detail})")

    if not data.startswith(b"PK"):
        what = next((what for magic, what in _SIGNATURES if data.startswith(magic)), None)
        raise invalid(f"looks like {what}" if what else "its bytes are not a zip archive")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "word/document.xml" in names:
                _check_zip(members, name)
                _inflate_within_limits(archive, members, name, deadline)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise invalid("damaged zip archive") from exc
    if "word/document.xml" not in names:
        raise invalid("a zip archive without word/document.xml")
    try:
        return _docx_blocks(data, deadline)
    except ParseError:
        raise
    except Exception as exc:  # python-docx raises many kinds of errors on damaged files
        raise invalid(f"damaged document: {type(exc).__name__}") from exc


def _check_zip(members: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a zip bomb from its directory alone, before a byte is inflated."""
    if len(members) > MAX_DOCX_MEMBERS:
        raise ParseError(name, f"not a report .docx (a zip of {len(members):,} files)")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_DOCX_RATIO:
            raise ParseError(
                name,
                f"refused: a zip bomb ({member.filename} would inflate {ratio:,.0f} times, "
                f"to {member.file_size / 2**20:,.0f} MB)",
            )
        if member.filename == "word/document.xml" and member.file_size > MAX_DOCX_DOCUMENT:
            raise ParseError(
                name,
                f"document too large ({member.file_size / 2**20:,.0f} MB of text XML; at most "
                f"{MAX_DOCX_DOCUMENT // 2**20} MB)",
            )
    if total > MAX_DOCX_TOTAL:
        raise ParseError(
            name,
            f"refused: inflates to {total / 2**20:,.0f} MB (at most {MAX_DOCX_TOTAL // 2**20} MB)",
        )


def _inflate_within_limits(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], name: str, deadline: Deadline
) -> None:
    """Inflate every member in chunks, counting real bytes against the limits: the directory's
    sizes are claims, and python-docx will inflate whatever the archive holds."""
    total = 0
    for member in members:
        cap = MAX_DOCX_DOCUMENT if member.filename == "word/document.xml" else MAX_DOCX_TOTAL
        size = 0
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 16):
                size += len(chunk)
                total += len(chunk)
                if size > cap or total > MAX_DOCX_TOTAL:
                    raise ParseError(name, "refused: inflates beyond the size limits")
        deadline.check()


def _docx_blocks(data: bytes, deadline: Deadline) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    # Walk the body in order so tables stay where they were among the paragraphs.
    for n, element in enumerate(document.element.body.iterchildren()):
        if n % 1000 == 0:
            deadline.check()
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(element, document).text)
        elif tag == "tbl":
            for row in Table(element, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.strip()
                    if text and (not cells or cells[-1] != text):  # merged cells repeat
                        cells.append(text)
                lines.append(" ".join(cells))
    return "\n".join(lines) + "\n"

"""Whatever the input, parsing raises nothing but ParseError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.report import ParseError, parse_bytes
from bot.report.normalize import normalize
from bot.report.structure import build

_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Text drawn from the characters that matter to the parser, so the markers really occur.
_PIECES = [
    *"一二三四五六七八九十、（）()——。，；：！？“”《》.．%％０１２1234567890年月日在会议上",
    *"各位代表县长省市区\n\n \u3000\u200b\xa0?附件名词解释下载打印",
    *["政府工作报告", "一、", "（一）", "——", "1.", "\n", "????", "&nbsp;", "\\r\\n"],
    *["本作品是中华人民共和国的", "2023年1月10日在乌恰县第十七届人民代表大会第三次会议上"],
]
_REPORTISH = st.lists(st.sampled_from(_PIECES), max_size=200).map("".join)


def _parse(data: bytes) -> None:
    try:
        report = parse_bytes(data, "random.txt")
    except ParseError:
        return
    for passage in report.passages:
        assert report.text[passage.start : passage.end] == passage.text


@_SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    _parse(data)


@_SETTINGS
@given(st.text(max_size=1000))
def test_random_text_in_any_encoding(text: str) -> None:
    for encoding in ("utf-8", "utf-16"):
        _parse(text.encode(encoding, errors="ignore"))


@_SETTINGS
@given(_REPORTISH)
def test_report_like_text(text: str) -> None:
    _parse(text.encode("utf-8"))
    _parse(text.encode("gb18030", errors="ignore"))


@_SETTINGS
@given(_REPORTISH)
def test_structure_invariants_hold_on_any_text(text: str) -> None:
    clean = normalize(text)
    assert all(line and line == line.strip() for line in clean.splitlines())
    sections, passages = build(clean)
    for passage in passages:
        assert clean[passage.start : passage.end] == passage.text
    for section in sections:
        assert 0 <= section.start < section.end <= len(clean)
        assert section.parent is None or section.parent < section.index

"""Plain data produced by the parser; nothing here does I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["target", "actual", "other"]
# How a figure measures its indicator: growth (增长5%), level (30.47亿元), share (占比/比重),
# rate (失业率, 覆盖率), points (change in 百分点), count (项目38个), ratio (收入比2.2);
# "" when none can be told.
Measure = Literal["growth", "level", "share", "rate", "points", "count", "ratio", ""]
Level = Literal["national", "provincial", "city", "county", "unknown"]


class ParseError(Exception):
    """A file the parser cannot handle. The message names the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(slots=True)
class ReportMeta:
    title: str = ""
    region: str = ""
    level: Level = "unknown"
    review_year: int | None = None  # the year whose work is reviewed (actuals)
    target_year: int | None = None  # the coming year the plans are for (targets)
    delivered: str = ""  # ISO date the report was delivered, e.g. 2023-01-10
    speaker: str = ""  # e.g. 木塔力甫·塞衣皮
    office: str = ""  # e.g. 县长
    publisher: str = ""  # publishing body named by the page
    published: str = ""  # ISO date the page gives for publication
    source_url: str = ""
    region_id: str = ""  # gazetteer id (bot/facts/regions.toml), e.g. cn.hebei.baoding.fuping


@dataclass(slots=True)
class Section:
    index: int  # position in Report.sections
    parent: int | None  # index of the enclosing section
    level: int  # 1 for 一、, 2 for （一）, 3 for 1., 4 for ——heading。
    number: str  # the marker as written: "一、", "（一）", "1.", "——"
    title: str  # heading text without the marker
    start: int  # offset of the heading in Report.text
    end: int  # offset where the section (with its subsections) ends
    path: tuple[str, ...]  # titles from the top level down to this section


@dataclass(slots=True)
class Passage:
    index: int
    text: str  # == Report.text[start:end]
    start: int
    end: int
    section: int | None  # Section.index of the innermost section, None before the first heading
    path: tuple[str, ...]  # that section's path


@dataclass(slots=True)
class Figure:
    indicator: str  # noun phrase measured, e.g. 城镇新增就业
    value: str  # as written, e.g. 700人以上 / 5.5%—6%
    number: float | None  # value in base units after 万/亿/千 multipliers; the low end of a range
    unit: str  # %, 百分点, 亿元, 人, ...
    qualifier: str  # 以上, 以内, 左右, 同比增长, ... ("" when none)
    kind: Kind
    year: int | None
    text: str  # the clause holding the figure, verbatim
    sentence: str
    section: str  # section path joined with " > "
    start: int  # offset of `value` in Report.text
    end: int
    passage: int  # Passage.index
    indicator_id: str = ""  # catalogue id (bot/facts/indicators.toml); "" when nothing fits
    measure: Measure = ""
    region: str = ""  # the report's canonical region, e.g. 广东省, 全国
    region_id: str = ""  # its gazetteer id, e.g. cn.guangdong


@dataclass(slots=True)
class Report:
    source: str  # file name it was read from
    sha256: str  # hash of the raw bytes
    text: str  # normalized text; every offset points into it
    meta: ReportMeta
    sections: list[Section] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

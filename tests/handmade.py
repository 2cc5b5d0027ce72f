"""Hand-made Report objects for store and search tests that must not depend on the parser."""

from __future__ import annotations

import hashlib

from bot.report.model import Figure, Passage, Report, ReportMeta, Section


def make_report(
    passages: list[str],
    *,
    figures: list[tuple[str, str, str, int]] = (),  # (indicator, value, kind, passage index)
    title: str = "2022年测试县政府工作报告",
    region: str = "测试县",
    version: str = "v1",
) -> Report:
    """A report whose passages sit under one section; figure clauses are found in the text."""
    heading = "一、工作回顾"
    text = heading + "\n"
    built: list[Passage] = []
    for i, body in enumerate(passages):
        start = len(text)
        text += body + "\n"
        built.append(
            Passage(
                index=i,
                text=body,
                start=start,
                end=start + len(body),
                section=0,
                path=("工作回顾",),
            )
        )
    section = Section(
        index=0,
        parent=None,
        level=1,
        number="一、",
        title="工作回顾",
        start=0,
        end=len(text),
        path=("工作回顾",),
    )
    figs: list[Figure] = []
    for indicator, value, kind, pi in figures:
        passage = built[pi]
        at = passage.text.find(value)
        clause_start = max(passage.text.rfind("，", 0, at), passage.text.rfind("。", 0, at)) + 1
        clause = passage.text[clause_start : at + len(value)]
        figs.append(
            Figure(
                indicator=indicator,
                value=value,
                number=None,
                unit="",
                qualifier="",
                kind=kind,
                year=2023 if kind == "target" else 2022,
                text=clause,
                sentence=passage.text,
                section="工作回顾",
                start=passage.start + at,
                end=passage.start + at + len(value),
                passage=pi,
            )
        )
    data = (text + version).encode()
    return Report(
        source="test.txt",
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        meta=ReportMeta(
            title=title, region=region, level="county", review_year=2022, target_year=2023
        ),
        sections=[section],
        passages=built,
        figures=figs,
    )

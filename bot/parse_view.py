"""`reportbot parse FILE [--json]`: show what the parser extracts from one file."""

from __future__ import annotations

import json
import sys
import unicodedata
from dataclasses import asdict
from typing import TextIO

from bot.report import ParseError, Report, parse_file

_META_LABELS = (
    ("title", "title"),
    ("region", "region"),
    ("region_id", "region id"),
    ("level", "level"),
    ("review_year", "year under review"),
    ("target_year", "target year"),
    ("delivered", "delivered"),
    ("office", "office"),
    ("speaker", "speaker"),
    ("publisher", "publisher"),
    ("published", "published"),
    ("source_url", "source"),
)


def run_parse(file: str, as_json: bool, out: TextIO | None = None) -> int:
    """Print the parse of `file`; 2 (with a message on stderr) when it cannot be parsed."""
    out = out or sys.stdout
    try:
        report = parse_file(file)
    except ParseError as exc:
        print(f"reportbot: {exc}", file=sys.stderr)
        return 2
    try:
        if as_json:
            json.dump(report_dict(report), out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            out.write(render(report))
        out.flush()
    except BrokenPipeError:  # `reportbot parse … | head` closed the pipe; that is not an error
        sys.stdout = None
    return 0


def report_dict(report: Report) -> dict[str, object]:
    """The full structure, JSON-ready (the normalized text is included so offsets can be used)."""
    return {
        "source": report.source,
        "sha256": report.sha256,
        "meta": asdict(report.meta),
        "sections": [asdict(section) for section in report.sections],
        "passages": [asdict(passage) for passage in report.passages],
        "figures": [asdict(figure) for figure in report.figures],
        "warnings": list(report.warnings),
        "text": report.text,
    }


def render(report: Report) -> str:
    lines = [f"# {report.source}", ""]
    for key, label in _META_LABELS:
        value = getattr(report.meta, key)
        if value not in ("", None):
            lines.append(f"{label + ':':<19}{value}")
    lines += ["", f"## Sections ({len(report.sections)}), passages: {len(report.passages)}"]
    for section in report.sections:
        lines.append(f"{'  ' * (section.level - 1)}{section.number} {section.title}")
    lines += ["", f"## Figures ({len(report.figures)})"]
    if report.figures:
        lines.append(_figure_table(report))
    lines += ["", f"## Warnings ({len(report.warnings)})"]
    lines += [f"- {warning}" for warning in report.warnings] or ["(none)"]
    return "\n".join(lines) + "\n"


def _figure_table(report: Report) -> str:
    header = ("indicator", "value", "unit", "qualifier", "kind", "year", "indicator id", "measure")
    rows = [header] + [
        (
            f.indicator,
            f.value,
            f.unit,
            f.qualifier,
            f.kind,
            str(f.year or ""),
            f.indicator_id,
            f.measure,
        )
        for f in report.figures
    ]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    widths[0] = min(widths[0], 30)
    return "\n".join(
        "  ".join(_pad(_clip(cell, widths[i]), widths[i]) for i, cell in enumerate(row)).rstrip()
        for row in rows
    )


def _width(text: str) -> int:
    """Display width: Chinese characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    while _width(text) > width:
        text = text[:-2] + "…"
    return text


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))

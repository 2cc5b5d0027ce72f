"""Pure parsing: a file's bytes in, a Report out. Nothing here touches the database or Telegram."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bot.report import figures, meta, normalize, read, structure
from bot.report.limits import PARSE_SECONDS, Deadline
from bot.report.model import Figure, ParseError, Passage, Report, ReportMeta, Section

__all__ = [
    "Figure",
    "ParseError",
    "Passage",
    "Report",
    "ReportMeta",
    "Section",
    "parse_bytes",
    "parse_file",
]


def parse_bytes(data: bytes, name: str, *, time_limit: float | None = PARSE_SECONDS) -> Report:
    """Parse one report. Raises ParseError, and only ParseError, for input it cannot handle,
    including input over the limits of bot/report/limits.py or slower than `time_limit`."""
    deadline = Deadline(name, time_limit)
    try:
        raw = read.decode(data, name, deadline)
        text = normalize.normalize(raw)
        if not text.strip():
            raise ParseError(name, "no text found")
        deadline.check()
        sections, passages = structure.build(text)
        report_meta, warnings = meta.extract(text, name, sections)
        meta.canonical_region(report_meta, text, name, warnings)
        deadline.check()
        found = figures.extract(text, sections, passages, report_meta)
        deadline.check()
        _identify(found, report_meta)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug must still reach the user as a clear, named error
        raise ParseError(name, f"could not parse ({type(exc).__name__}: {exc})") from exc
    return Report(
        source=name,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        meta=report_meta,
        sections=sections,
        passages=passages,
        figures=found,
        warnings=warnings,
    )


def _identify(found: list[Figure], report_meta: ReportMeta) -> None:
    """Give each figure its identity: catalogue indicator and measure, the report's region."""
    from bot.facts.indicators import catalogue  # the catalogue loads on first use

    classify = catalogue().classify
    for figure in found:
        figure.indicator_id, figure.measure = classify(
            figure.indicator, figure.unit, figure.qualifier, figure.text, figure.value,
            figure.sentence,
        )
        figure.region = report_meta.region
        figure.region_id = report_meta.region_id


def parse_file(path: str | Path) -> Report:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(path.name, f"cannot read file ({exc.strerror or exc})") from exc
    return parse_bytes(data, path.name)

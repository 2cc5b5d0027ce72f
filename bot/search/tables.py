"""Comparison, series and tracking tables, built from the figure table (not from text search).

A figure's identity (region, indicator id, measure, kind, year) is what joins reports: a
comparison takes one figure per region, a series one per year and kind, a tracking table pairs
the target stated in year Y's report with the outcome stated in year Y+1's. When a report states
a figure more than once (the targets paragraph, then again in a task), the headline one is taken:
the one whose indicator is worded most like the catalogue's name, then the first.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.answer import Table, TableRow
from bot.facts.indicators import catalogue
from bot.facts.regions import gazetteer
from bot.search.mentions import usual_measure
from bot.search.scope import Scope
from bot.store import FigureRow, ReportScope, reads
from bot.track import verdict

KIND_ORDER = {"target": 0, "actual": 1, "other": 2}
MEASURE_NAMES = {"growth": "增速", "level": "总量", "share": "占比", "rate": "", "points": "变化",
                 "count": "数量", "ratio": ""}  # fmt: skip
KIND_NAMES = {"target": "目标", "actual": "完成"}
_WHOLE = re.compile(r"^(?:全省|全市|全县|全区|全州|全国|全盟|全旗|我省|我市|我县|我区|本市|本省)")
MAX_ROWS = 400
_MULTIPLIER = re.compile(r"^(?:万亿|亿|万|千)")


@dataclass(slots=True)
class Built:
    table: Table
    # The figures behind the rows, in row order; a tracking row's target, then its outcome.
    sources: list[FigureRow]


@dataclass(slots=True)
class TablePlan:
    kind: str  # compare, series or track
    indicator_id: str  # "" for a tracking table of every target
    measure: str = ""  # "" = the indicator's usual measure
    intent: str | None = None  # target / actual / None (both)
    order: str = ""  # desc / asc / ""
    top: int | None = None
    threshold: tuple[str, float, str] | None = None


def _names(indicator_id: str) -> set[str]:
    entry = catalogue().get(indicator_id)
    if entry is None:
        return set()
    return {entry.zh, *getattr(entry, "aliases", ())}


def headline(rows: Iterable[FigureRow], names: set[str]) -> FigureRow | None:
    """The figure a reader would quote: worded as the catalogue names it, then the first."""

    def rank(row: FigureRow) -> tuple[int, int]:
        bare = _WHOLE.sub("", row.figure.indicator)
        if bare in names:
            return 0, row.id
        if any(name in bare for name in names):
            return 1, row.id
        return 2, row.id

    return min(rows, key=rank, default=None)


def _row(fig: FigureRow, scope: ReportScope) -> TableRow:
    f = fig.figure
    return TableRow(
        region=scope.region, region_id=scope.region_id, year=f.year, kind=f.kind,
        value=f.value, number=f.number, unit=f.unit, qualifier=f.qualifier, text=f.text,
        report=fig.report_id, indicator=f.indicator,
    )  # fmt: skip


def build(db: sqlite3.Connection, plan: TablePlan, scope: Scope) -> Built | None:
    """The table for `plan` over the reports of `scope` (in a read transaction)."""
    if plan.kind == "track":
        return _track(db, plan, scope)
    if not plan.indicator_id or not scope.reports:
        return None
    measure = plan.measure or usual_measure(plan.indicator_id)
    kinds = [plan.intent] if plan.intent else ["target", "actual"]
    if plan.kind == "compare" and (plan.order or plan.threshold) and not plan.intent:
        # A ranking compares one thing: the year's result when a past year is named (2025年GDP
        #增速最低的省份, from the 2026 reports), else the targets.
        reviewed = bool(scope.years) and all(
            s.review_year in scope.years and s.target_year not in scope.years
            for s in scope.reports
        )
        kinds = ["actual"] if reviewed else ["target"]
    if plan.kind == "series" and (plan.order or plan.threshold) and not plan.intent:
        kinds = ["actual"]  # 增长超过10%的年份, 哪一年增长最快: what happened
    by_id = {s.id: s for s in scope.reports}
    figures = reads.figures_identified(
        db, plan.indicator_id, measure=measure or None, kinds=kinds,
        report_ids=None if scope.everything else list(by_id), own_year=True, light=True,
        limit=MAX_ROWS * 10,
    )  # fmt: skip
    names = _names(plan.indicator_id)
    pairs: list[tuple[TableRow, FigureRow]] = []
    entry = catalogue().get(plan.indicator_id)
    for other in entry.stands_in if entry is not None else ():
        figures += reads.figures_identified(
            db, other, measure=measure or None, kinds=kinds,
            report_ids=None if scope.everything else list(by_id), own_year=True, light=True,
            limit=MAX_ROWS * 10,
        )  # fmt: skip
    if measure == "growth":
        # A growth rate, in %: 比1980年增长1.7倍 is a multiple over many years, not a year's rate.
        figures = [f for f in figures if f.figure.unit in ("%", "‰")]
    grouped: dict[tuple[str, str, int | None], list[FigureRow]] = {}
    for fig in figures:
        s = by_id[fig.report_id]
        wanted_year = s.target_year if fig.figure.kind == "target" else s.review_year
        if fig.figure.year != wanted_year:
            continue  # a 十五五 goal or a five-year total: not this year's figure
        if scope.years and wanted_year not in scope.years:
            continue
        if plan.kind == "series" and plan.threshold and not _passes(
            fig.figure.number, plan.threshold, fig.figure.unit
        ):
            continue  # 增长超过10%的年份
        grouped.setdefault((s.region_id or s.id, fig.figure.kind, wanted_year), []).append(fig)
    for (_region, _kind, _year), group in grouped.items():
        own = [f for f in group if f.figure.indicator_id == plan.indicator_id]
        best = headline(own or group, names)  # GNP only where the year has no GDP
        if best is not None:
            pairs.append((_row(best, by_id[best.report_id]), best))
    table = Table(kind="compare" if plan.kind == "compare" else "series",
                  indicator_id=plan.indicator_id, indicator=_zh(plan.indicator_id),
                  measure=measure, title="", indicator_en=_en(plan.indicator_id))  # fmt: skip
    order = {rid: i for i, rid in enumerate(gazetteer().regions)}
    if plan.kind == "series":
        pairs.sort(key=lambda p: (p[0].year or 0, order.get(p[0].region_id, len(order)),
                                  KIND_ORDER.get(p[0].kind, 3)))  # fmt: skip
        if plan.order:
            sign = -1 if plan.order == "desc" else 1
            pairs.sort(key=lambda p: (p[0].number is None, sign * (p[0].number or 0)))
            pairs = pairs[: plan.top] if plan.top else pairs
        have = {r.year for r, _ in pairs}
        asked = scope.years or sorted({
            year for s in scope.reports for kind in kinds
            if (year := s.target_year if kind == "target" else s.review_year)
        })  # fmt: skip
        table.missing = [str(y) for y in asked if y not in have]
    else:
        pairs.sort(key=lambda p: (order.get(p[0].region_id, len(order)), p[0].region,
                                  KIND_ORDER.get(p[0].kind, 3)))  # fmt: skip
        if plan.threshold:
            pairs = [p for p in pairs if _passes(p[0].number, plan.threshold, p[0].unit)]
        if plan.order:
            sign = -1 if plan.order == "desc" else 1
            pairs.sort(key=lambda p: (p[0].number is None, sign * (p[0].number or 0)))
        if plan.top:
            pairs = pairs[: plan.top]
        have_regions = {r.region_id for r, _ in pairs}
        without = [s.region for s in _newest_per_region(scope.reports)
                   if (s.region_id or s.id) not in have_regions]  # fmt: skip
        table.missing = without if not plan.threshold and not plan.top else []
        table.missing += [n for n in scope.missing_regions if n not in table.missing]
    pairs = pairs[:MAX_ROWS]
    table.rows = [r for r, _ in pairs]
    units = {r.unit for r in table.rows}
    table.unit = units.pop() if len(units) == 1 else ""
    table.title = title(table, plan, scope)
    full = {f.id: f for f in reads.figures_by_id(db, [f.id for _, f in pairs])}  # sentences
    return Built(table, [full.get(f.id, f) for _, f in pairs])


def _track(db: sqlite3.Connection, plan: TablePlan, scope: Scope) -> Built | None:
    """Targets of year Y (report of Y) against outcomes (report of Y+1), per region and year."""
    regions: dict[str, list[ReportScope]] = {}
    for s in scope.reports:
        regions.setdefault(s.region_id or s.id, []).append(s)
    measure = plan.measure or (usual_measure(plan.indicator_id) if plan.indicator_id else "")
    pairs: list[tuple[TableRow, list[FigureRow]]] = []
    missing: list[str] = []
    for reports in regions.values():
        by_target = {s.target_year: s for s in reports if s.target_year}
        by_review = {s.review_year: s for s in reports if s.review_year}
        years = scope.years or sorted(y for y in by_target if y in by_review)
        if not scope.years and not plan.indicator_id:
            # 目标完成得怎么样 with no year nor indicator: the newest year that has both its
            # targets and its outcomes loaded, not every target of every year (272 rows).
            years = years[-1:]
        if not years and by_target:
            years = [max(by_target)]
        for year in years:
            target_report, outcome_report = by_target.get(year), by_review.get(year)
            if target_report is None:
                missing.append(str(year))
                continue
            pairs += _track_year(db, plan.indicator_id, measure, year, target_report,
                                 outcome_report)  # fmt: skip
    pairs = pairs[:MAX_ROWS]
    table = Table(kind="track", indicator_id=plan.indicator_id,
                  indicator=_zh(plan.indicator_id) if plan.indicator_id else "",
                  measure=measure, title="", rows=[r for r, _ in pairs], missing=missing,
                  indicator_en=_en(plan.indicator_id) if plan.indicator_id else "")  # fmt: skip
    table.title = title(table, plan, scope)
    return Built(table, [f for _, figs in pairs for f in figs])


def _track_year(
    db: sqlite3.Connection,
    indicator_id: str,
    measure: str,
    year: int,
    target_report: ReportScope,
    outcome_report: ReportScope | None,
) -> list[tuple[TableRow, list[FigureRow]]]:
    report_ids = [target_report.id] + ([outcome_report.id] if outcome_report else [])
    if indicator_id:
        figures = reads.figures_identified(db, indicator_id, years=[year],
                                           report_ids=report_ids)  # fmt: skip
    else:
        figures = reads.figures_for_year(db, report_ids, year)
    # Targets by (indicator, measure); outcomes by (indicator, kind of unit): a CPI target
    # written 涨幅控制在3% (a rate) is met or missed by 上涨0.2% (a growth), both in %.
    targets: dict[tuple[str, str], list[FigureRow]] = {}
    outcomes: dict[tuple[str, str], list[FigureRow]] = {}
    for fig in figures:
        f = fig.figure
        if fig.report_id == target_report.id and f.kind == "target":
            if not measure or f.measure == measure or not indicator_id:
                targets.setdefault((f.indicator_id, f.measure), []).append(fig)
        elif outcome_report and fig.report_id == outcome_report.id and f.kind == "actual":
            outcomes.setdefault((f.indicator_id, _unit_family(f.unit)), []).append(fig)
    if indicator_id and not targets and measure:
        return _track_year(db, indicator_id, "", year, target_report, outcome_report)
    rows: list[tuple[TableRow, list[FigureRow]]] = []
    for key, group in targets.items():
        names = _names(key[0])
        target = headline(group, names)
        if target is None:
            continue
        same = outcomes.get((key[0], _unit_family(target.figure.unit)), [])
        preferred = [o for o in same if o.figure.measure == key[1]] or same
        outcome = headline(preferred, names)
        row = _row(target, target_report)
        row.target = target.figure.value
        if outcome is not None:
            o = outcome.figure
            row.actual, row.actual_number, row.actual_text = o.value, o.number, o.text
            row.actual_report = outcome.report_id
            row.verdict = verdict(
                indicator_id=key[0], target=target.figure.number,
                target_value=target.figure.value, target_unit=_unit_family(target.figure.unit),
                qualifier=target.figure.qualifier, actual=o.number,
                actual_unit=_unit_family(o.unit),
            )  # fmt: skip
        rows.append((row, [target] if outcome is None else [target, outcome]))
    return rows


def _unit_family(unit: str) -> str:
    """% and ‰ are comparable with each other, 百分点 with itself, amounts by their unit."""
    if unit in ("%", "‰"):
        return "%"
    return _MULTIPLIER.sub("", unit)  # numbers are in base units: 1.4万亿斤 and 13908亿斤 agree


def _newest_per_region(reports: Sequence[ReportScope]) -> list[ReportScope]:
    seen: dict[str, ReportScope] = {}
    for s in reports:
        key = s.region_id or s.id
        if key not in seen or (s.target_year or 0) > (seen[key].target_year or 0):
            seen[key] = s
    return list(seen.values())


def _passes(number: float | None, threshold: tuple[str, float, str], unit: str = "") -> bool:
    """The row's number against a question's threshold, when both are in one kind of unit
    (1000亿斤 is no bar for a target in 万吨)."""
    op, value, wanted = threshold
    if number is None or (wanted and unit and _unit_family(unit) != _unit_family(wanted)):
        return False
    return {
        "<": number < value, "<=": number <= value, ">": number > value, ">=": number >= value,
    }[op]  # fmt: skip


def _zh(indicator_id: str) -> str:
    entry = catalogue().get(indicator_id)
    return entry.zh if entry else indicator_id


def _en(indicator_id: str) -> str:
    entry = catalogue().get(indicator_id)
    return getattr(entry, "en", "") if entry else ""


def title(table: Table, plan: TablePlan, scope: Scope) -> str:
    """A heading such as 2026年 各省 地区生产总值增速 目标."""
    years = sorted(set(scope.years))
    when = ""
    if years and table.kind != "series":
        when = f"{years[0]}年" if len(years) == 1 else f"{years[0]}–{years[-1]}年"
    where = ""
    names = list(dict.fromkeys(r.region for r in table.rows))
    if table.kind == "compare":
        where = "各地" if len(names) > 3 else "、".join(names)
    elif names:
        where = "、".join(names[:3])
    suffix = MEASURE_NAMES.get(table.measure, "")
    if table.indicator.endswith(("增速", "增长", "涨幅", "率", "比重", "占比")) or suffix == "总量":
        suffix = ""  # 居民消费价格涨幅 needs no 增速; 城镇新增就业 is an amount anyway
    what = table.indicator + suffix if table.indicator else "各项指标"
    if table.kind == "track":
        how = "目标完成情况"
    else:
        how = KIND_NAMES.get(plan.intent or "", "目标与完成")
    return " ".join(p for p in (when, where, what, how) if p)

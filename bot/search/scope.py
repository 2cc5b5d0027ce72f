"""Which reports a question is about, knowing the library: regions, years, newest first.

Rules (in this order):
- Regions: those the question names (by any name the gazetteer knows), a region group
  (东部, 长三角: its province-level members), every loaded region of a level (各省, 各地), else the
  regions of the answer it replies to (a follow-up keeps its scope), else the chat's chosen
  report, else every region.
- Years: those named, a span (2019到2025年), the last N years (近五年), and 今年/去年/明年 relative
  to the newest report in scope (its target year is 今年).
- Reports: for each region, the report of each year asked for (a report of year Y holds Y's
  targets and Y−1's results); with no year named, only the region's newest report.
- A named region or year with no loaded report is "not loaded": the answer says so and lists
  what is loaded, rather than showing something else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from bot.answer import Context, FormKind, Intent, NotLoaded
from bot.facts.regions import Gazetteer, Region, gazetteer
from bot.store import ReportScope


@dataclass(slots=True)
class Scope:
    reports: list[ReportScope]  # the reports to answer from, newest first within a region
    region_ids: list[str] = field(default_factory=list)  # the regions asked about (loaded)
    years: list[int] = field(default_factory=list)  # the years asked about, resolved
    everything: bool = False  # every loaded report (no range filter needed)
    named: bool = False  # the question named its regions (or group, or 各省)
    not_loaded: NotLoaded | None = None
    missing_regions: list[str] = field(default_factory=list)  # asked (group/各省), not loaded

    def context(
        self, *, topic: str, indicator_id: str, intent: Intent | None, form: FormKind
    ) -> Context:
        return Context(tuple(self.region_ids), tuple(self.years),
                       tuple(r.id for r in self.reports), topic=topic,
                       indicator_id=indicator_id, intent=intent, form=form)  # fmt: skip


@dataclass(slots=True)
class Ask:
    """What scoping needs from the analysed question."""

    region_ids: Sequence[str] = ()
    region_names: Sequence[str] = ()  # learned names of reports outside the gazetteer
    group: str = ""
    every: str = ""  # "provincial", "city", "county" or "any"
    years: Sequence[int] = ()
    span: tuple[int, int] | None = None
    last: int | None = None
    relative: str | None = None  # "this", "last" or "next"
    intent: str | None = None
    many_years: bool = False  # a series or tracking question: keep every year's report


def by_region(scopes: Iterable[ReportScope]) -> dict[str, list[ReportScope]]:
    """Region id → its reports, newest first (reports without a region are left out)."""
    out: dict[str, list[ReportScope]] = {}
    for s in scopes:
        if s.region_id:
            out.setdefault(s.region_id, []).append(s)
    for reports in out.values():
        reports.sort(key=lambda s: (s.target_year or 0, s.id), reverse=True)
    return out


def loaded_summary(regions: dict[str, list[ReportScope]], places: Gazetteer,
                   limit: int = 12) -> list[str]:  # fmt: skip
    """One line per loaded region, national first, then by the gazetteer's order."""
    order = {rid: i for i, rid in enumerate(places.regions)}
    lines = []
    for rid in sorted(regions, key=lambda r: (order.get(r, len(order)), r)):
        years = sorted({s.target_year for s in regions[rid] if s.target_year})
        name = regions[rid][0].region
        if not years:
            lines.append(name)
        elif len(years) == 1:
            lines.append(f"{name} {years[0]}")
        else:
            lines.append(f"{name} {years[0]}–{years[-1]}（{len(years)}份）")
    if len(lines) > limit:
        lines = [*lines[:limit], f"…等{len(lines)}个地区"]
    return lines


def resolve(
    ask: Ask,
    scopes: dict[str, ReportScope],
    *,
    report_id: str | None = None,
    context: Context | None = None,
    learned: dict[str, set[str]] | None = None,
) -> Scope:
    places = gazetteer()
    regions = by_region(scopes.values())
    follows = not (ask.region_ids or ask.group or ask.every or ask.region_names)
    if follows and context is not None and context.region_ids:
        # A reply to an answer keeps its regions (and its years, unless it names its own).
        keep_years = not (ask.years or ask.span or ask.last or ask.relative)
        ask = replace(ask, region_ids=tuple(context.region_ids),
                      years=tuple(context.years) if keep_years else ask.years)  # fmt: skip
    wanted: list[str] = list(dict.fromkeys(ask.region_ids))
    named = bool(wanted or ask.group or ask.every)
    missing: list[str] = []
    if ask.group:
        members = [m.id for m in places.members(ask.group)]
        missing = [places.regions[m].name for m in members if m not in regions]
        wanted += [m for m in members if m in regions and m not in wanted]
    if ask.every and not ask.group:  # 东部省份: the group says which provinces
        level = ask.every
        everyone = [
            rid for rid in regions
            if (level == "any" and rid != "cn") or (places.regions.get(rid) is not None
            and places.regions[rid].level == level)
        ]  # fmt: skip
        order = {rid: i for i, rid in enumerate(places.regions)}
        wanted += sorted((r for r in everyone if r not in wanted), key=lambda r: order.get(r, 0))
        if level == "provincial":
            provinces = [r.id for r in places.regions.values() if r.level == "provincial"]
            missing += [places.regions[p].name for p in provinces if p not in regions
                        and places.regions[p].name not in missing]  # fmt: skip
    extra: list[ReportScope] = []
    for name in ask.region_names:  # reports whose region the gazetteer does not know
        extra += [scopes[rid] for rid in (learned or {}).get(name, ()) if rid in scopes]
    if not named and not extra:
        if report_id is not None:
            only = scopes.get(report_id)
            if only is None:
                return Scope([])
            return Scope([only], [only.region_id] if only.region_id else [],
                         _years(ask, [only]))  # fmt: skip
        elif ask.many_years and regions:
            # 历年赤字率, 去年目标完成情况: a series needs one region; the nation's if loaded,
            # else the region with the most years.
            wanted = ["cn"] if "cn" in regions else [max(regions, key=lambda r: len(regions[r]))]

    not_loaded = [rid for rid in ask.region_ids if rid not in regions]
    if not_loaded and not (set(ask.region_ids) - set(not_loaded)) and not extra:
        return Scope([], region_ids=list(ask.region_ids), named=True, not_loaded=NotLoaded(
            regions=[places.regions[r].name if r in places.regions else r for r in not_loaded],
            loaded=loaded_summary(regions, places),
            within=_within(not_loaded, regions, places),
        ))  # fmt: skip

    candidates: dict[str, list[ReportScope]]
    if wanted:
        candidates = {rid: regions[rid] for rid in wanted if rid in regions}
    elif extra:
        candidates = {}
    else:
        candidates = dict(regions)
        for s in scopes.values():  # reports outside the gazetteer still count
            if not s.region_id:
                candidates.setdefault(f"report:{s.id}", []).append(s)
    for s in extra:
        candidates.setdefault(f"report:{s.id}", []).append(s)
    pool = [s for reports in candidates.values() for s in reports]
    years = _years(ask, pool)
    chosen: list[ReportScope] = []
    for reports in candidates.values():
        chosen += _pick(reports, years, ask)
    asked_years = bool(ask.years or ask.span or ask.last or ask.relative)
    if asked_years and not chosen and pool:
        have = sorted({y for s in pool for y in (s.target_year, s.review_year) if y})
        names = [reports[0].region for key, reports in candidates.items()
                 if not key.startswith("report:")] if wanted else []  # fmt: skip
        return Scope([], region_ids=list(candidates), years=years, named=named,
                      not_loaded=NotLoaded(regions=names[:5],
                                           years=[y for y in years if y not in have],
                                           loaded=loaded_summary(
                                               {k: v for k, v in candidates.items()
                                                if not k.startswith("report:")} or regions,
                                               places)))  # fmt: skip
    region_ids = [r for r in candidates if not r.startswith("report:")]
    everything = len(chosen) == len(scopes)
    scope = Scope(chosen, region_ids, years, everything, named or bool(extra))
    scope.missing_regions = missing + [
        places.regions[r].name for r in not_loaded if r in places.regions
    ]
    return scope


def _years(ask: Ask, pool: Sequence[ReportScope]) -> list[int]:
    """The years asked for, with relative words resolved against the newest report in `pool`."""
    years = set(ask.years)
    newest = max((s.target_year for s in pool if s.target_year), default=None)
    if ask.span:
        years.update(range(ask.span[0], ask.span[1] + 1))
    if newest is not None:
        if ask.last:
            years.update(range(newest - ask.last + 1, newest + 1))
        if ask.relative == "this":
            years.add(newest)
        elif ask.relative == "last":
            years.add(newest - 1)
        elif ask.relative == "next":
            years.add(newest + 1)
    return sorted(years)


def _pick(reports: list[ReportScope], years: list[int], ask: Ask) -> list[ReportScope]:
    """A region's reports for the years asked; its newest when no year is asked."""
    if not years:
        return reports if ask.many_years else reports[:1]
    wanted = set(years)
    out = []
    for s in reports:
        holds_target = s.target_year in wanted
        holds_result = s.review_year in wanted
        if ask.intent == "target" and not ask.many_years:
            keep = holds_target
        elif ask.intent == "actual" and not ask.many_years:
            keep = holds_result
        else:
            keep = holds_target or holds_result
        if keep:
            out.append(s)
    return out


def _within(asked: Sequence[str], regions: dict[str, list[ReportScope]],
            places: Gazetteer) -> list[str]:  # fmt: skip
    """Loaded reports inside the regions asked for (新疆 → 乌恰县 2023)."""
    out = []
    for rid in regions:
        if any(places.within(rid, a) for a in asked):
            for s in regions[rid][:1]:
                out.append(f"{s.region} {s.target_year}" if s.target_year else s.region)
    return out


def region_of(region_id: str) -> Region | None:
    return gazetteer().regions.get(region_id)

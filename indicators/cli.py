"""``python -m indicators``: progress toward 2575, the Happiness Metropolis Index, and the list of indicators.

One function per subcommand; ``--db``, ``--json`` and exit codes come from :mod:`loaders.cli_common`.
JSON rows carry ``area_code``, ``indicator`` (the id), ``status`` and the numbers; years in JSON are CE, years in
the text for people are BE (CE + 543).
"""

from __future__ import annotations

import argparse
import math

import pandas as pd

from indicators.engine.tables import index_table, progress_table
from indicators.engine.values import LEVELS
from indicators.export_cli import add_export_parser
from indicators.registry import BE_OFFSET, load_index_spec, load_registry
from loaders.cli_common import Outcome, add_common, dispatch


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON values (NaN/NA → null, numpy numbers → Python numbers)."""
    out = []
    for row in frame.to_dict(orient="records"):
        clean = {}
        for k, v in row.items():
            if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
                clean[k] = None
            elif hasattr(v, "item"):
                clean[k] = v.item()
            else:
                clean[k] = v
        out.append(clean)
    return out


def _be(year) -> str:
    return "–" if year is None or pd.isna(year) else str(int(year) + BE_OFFSET)


def _num(x, digits: int = 2) -> str:
    return "–" if x is None or pd.isna(x) else f"{x:,.{digits}f}"


def _range(low, high, projection: str) -> str:
    """The projected year's 80 % range in BE: "2579–2584", "2573–?" (cannot tell yet), "–" without one."""
    if projection in ("interval", "achieved"):
        return f"{_be(low)}–{_be(high)}"
    if projection == "cannot_tell":
        return f"{_be(low)}–?"
    return "–"


def cmd_progress(args: argparse.Namespace) -> Outcome:
    """Progress rows per area and indicator (DESIGN §5)."""
    table = progress_table(args.db, level=args.level, area=args.area, indicator=args.indicator)
    rows = _records(table.rename(columns={"indicator_id": "indicator"}))
    lines = [f"{'area':<8} {'indicator':<24} {'status':<21} {'baseline':>12} {'latest':>12} {'target':>12} "
             f"{'by':>5} {'progress%':>9} {'observed':>10} {'required':>10} {'ratio':>7} {'reach':>5} "
             f"{'80% range':>10} {'sure':<9}"]
    for r in table.itertuples(index=False):
        lines.append(
            f"{r.area_code:<8} {r.indicator_id:<24} {r.status:<21} {_num(r.baseline):>12} {_num(r.latest):>12} "
            f"{_num(r.target):>12} {_be(r.target_year):>5} {_num(r.progress_pct, 1):>9} "
            f"{_num(r.observed_slope, 3):>10} {_num(r.required_slope, 3):>10} {_num(r.ratio):>7} "
            f"{_be(r.projected_year):>5} {_range(r.projected_low, r.projected_high, r.projection):>10} "
            f"{r.confidence:<9}"
        )
    counts = {k: v for k, v in table["status"].value_counts().items() if v}
    lines.append(f"{len(table)} rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return Outcome(rows, "\n".join(lines))


def cmd_index(args: argparse.Namespace) -> Outcome:
    """Domain scores and the Happiness Metropolis Index per area and year."""
    year = None if args.year is None else (args.year - BE_OFFSET if args.year > 2400 else args.year)
    table = index_table(args.db, level=args.level, year=year, method=args.method, area=args.area)
    rows = _records(table)
    wide = table.pivot_table(index=["area_code", "year"], columns="domain", values="score", dropna=False,
                             aggfunc="first", sort=False)
    domains = [d for d in ("poverty", "tourism", "resources", "well-being", "hmi") if d in wide.columns]
    lines = [f"{'area':<8} {'year':>5} " + " ".join(f"{d:>10}" for d in domains)]
    for (area, yr), r in wide.iterrows():
        lines.append(f"{area:<8} {_be(yr):>5} " + " ".join(f"{_num(r[d], 1):>10}" for d in domains))
    spec = load_index_spec()
    lines.append(f"{len(wide)} area-years; target {spec.target:g} by {spec.target_year_be} BE; method {args.method}")
    return Outcome(rows, "\n".join(lines))


def cmd_changes(args: argparse.Namespace) -> Outcome:
    """The statuses the latest upload moved (the store before it rebuilt from its history)."""
    from indicators.engine.changes import latest_council_batch, status_changes

    batch = args.batch if args.batch is not None else latest_council_batch(args.db)
    if batch is None:
        return Outcome([], "no batch has changed the councils' figures yet")
    table = status_changes(args.db, batch)
    rows = _records(table.rename(columns={"indicator_id": "indicator"}))
    lines = [f"batch {batch}", f"{'area':<8} {'indicator':<24} {'before':<21} {'after':<21} {'latest before':>16} "
             f"{'latest after':>16}"]
    for r in table.itertuples(index=False):
        lines.append(
            f"{r.area_code:<8} {r.indicator_id:<24} {r.status_before or '–':<21} {r.status_after or '–':<21} "
            f"{_num(r.latest_before) + ' (' + _be(r.latest_year_before) + ')':>16} "
            f"{_num(r.latest_after) + ' (' + _be(r.latest_year_after) + ')':>16}")
    lines.append(f"{len(table)} statuses moved or started")
    return Outcome(rows, "\n".join(lines))


def cmd_list(args: argparse.Namespace) -> Outcome:
    """Every indicator of the registry."""
    rows = []
    for ind in load_registry().indicators.values():
        rows.append({
            "indicator": ind.id, "name_th": ind.name.th, "name_en": ind.name.en, "domain": ind.domain,
            "unit_th": ind.unit.th, "unit_en": ind.unit.en, "formula": ind.formula.text(), "direction": ind.direction,
            "baseline_year_be": ind.baseline_year_be, "target": ind.target.text(ind.unit.en),
            "target_year_be": ind.target_year_be, "bounds": [ind.bounds.lower, ind.bounds.upper],
            "in_index": ind.in_index,
        })
    lines = [f"{r['indicator']:<24} {r['domain']:<10} {r['direction']:<6} {r['target']:<28} "
             f"{r['target_year_be']}  {'index' if r['in_index'] else '     '}  {r['name_en']} / {r['name_th']}"
             for r in rows]
    return Outcome(rows, "\n".join(lines))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indicators", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("progress", help="progress toward the 2575 targets per area and indicator")
    p.add_argument("--level", choices=LEVELS, help="province, district or subdistrict (default all)")
    p.add_argument("--area", metavar="CODE", help="one area code, e.g. 930307")
    p.add_argument("--indicator", metavar="ID", help="one indicator id (see `list`)")
    add_common(p)
    p.set_defaults(func=cmd_progress)

    p = sub.add_parser("index", help="the Happiness Metropolis Index and its domains per area and year")
    p.add_argument("--level", choices=LEVELS, help="province, district or subdistrict (default all)")
    p.add_argument("--area", metavar="CODE", help="one area code")
    p.add_argument("--year", type=int, help="one year, BE (e.g. 2568) or CE")
    p.add_argument("--method", choices=("arithmetic", "geometric"), default="arithmetic")
    add_common(p)
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("changes", help="the statuses the latest upload moved, with the latest value before and after")
    p.add_argument("--batch", type=int, help="the batch id (default: the latest that changed the councils' figures; "
                                             "no other is accepted)")
    add_common(p)
    p.set_defaults(func=cmd_changes)

    p = sub.add_parser("list", help="the indicators of the registry")
    add_common(p)
    p.set_defaults(func=cmd_list)

    add_export_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    return dispatch(build_parser(), argv)

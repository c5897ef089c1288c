"""``python -m loaders``: build and fill the store (init, demo, boundaries, …).

One function per subcommand; shared options, output and exit codes come from :mod:`loaders.cli_common`.
"""

from __future__ import annotations

import argparse

from loaders.areas import CREDIT, official_areas, upsert_areas
from loaders.cli_common import Outcome, add_common, dispatch
from loaders.store import db_path, get_meta, reader, writer


def cmd_init(args: argparse.Namespace) -> Outcome:
    """Fill ``areas`` with the official province, districts and subdistricts from geothai."""
    provinces = args.province.split(",") if args.province else None
    areas = official_areas(provinces)
    with writer(args.db) as con:
        upsert_areas(con, areas)
    counts = areas.level.value_counts().to_dict()
    data = {"db": str(db_path(args.db)), "areas": len(areas), **{k: int(v) for k, v in counts.items()},
            "credit": CREDIT}
    text = (f"{db_path(args.db)}: {counts.get('province', 0)} province(s), {counts.get('district', 0)} districts, "
            f"{counts.get('subdistrict', 0)} subdistricts ({CREDIT})")
    return Outcome(data, text)


def cmd_demo(args: argparse.Namespace) -> Outcome:
    """Build the complete demo database (areas, schematic shapes, seeded series)."""
    from loaders.demo import build_demo

    summary = build_demo(args.db, seed=args.seed)
    text = (f"demo built in {db_path(args.db)}: {summary['areas']} areas, {summary['shapes']} schematic shapes, "
            f"{summary['observations']} values of {summary['measures']} measures, "
            f"{summary['years_be'][0]}–{summary['years_be'][1]} BE (seed {summary['seed']})")
    return Outcome({"db": str(db_path(args.db)), **summary}, text)


def cmd_info(args: argparse.Namespace) -> Outcome:
    """What the store holds: schema, areas, shapes, observations, batches, demo or not."""
    with reader(args.db) as con:
        levels = dict(con.execute("SELECT level, count(*) FROM areas GROUP BY level").fetchall())
        shapes = dict(con.execute(
            "SELECT level, count(*) FROM areas WHERE geometry IS NOT NULL GROUP BY level").fetchall())
        n_obs, years = con.execute("SELECT count(*), [min(year), max(year)] FROM observations").fetchall()[0]
        n_batches = con.execute("SELECT count(*) FROM batches").fetchall()[0][0]
        version = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
        demo = get_meta(con, "demo")
    data = {"db": str(db_path(args.db)), "schema_version": version, "areas": levels, "shapes": shapes,
            "observations": n_obs, "years_be": [y + 543 if y else None for y in years], "batches": n_batches,
            "demo": demo}
    text = "\n".join(f"{k}: {v}" for k, v in data.items())
    return Outcome(data, text)


def cmd_boundaries(args: argparse.Namespace) -> Outcome:
    """Load district or subdistrict shapes from a GeoJSON, shapefile (.shp/.zip) or GeoPackage."""
    from loaders.boundaries import format_report, load_boundaries

    report = load_boundaries(args.file, args.level, args.db)
    return Outcome(report, format_report(report))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("init", help="fill the official areas from geothai (province 93 by default)")
    p.add_argument("--province", metavar="CODES", help="province codes, comma-separated, or 'all' (default 93)")
    add_common(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="build the complete demo database (replaces its observations)")
    p.add_argument("--seed", type=int, default=2568, help="random seed (default 2568)")
    add_common(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("info", help="what the database holds")
    add_common(p)
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("boundaries", help="load district or subdistrict shapes (GeoJSON, shapefile, GeoPackage)")
    p.add_argument("file", metavar="FILE", help="GeoJSON, .shp, .zip holding a shapefile, or .gpkg; any CRS")
    p.add_argument("--level", required=True, choices=["district", "subdistrict"], help="what the shapes are")
    add_common(p)
    p.set_defaults(func=cmd_boundaries)

    return parser


def main(argv: list[str] | None = None) -> int:
    return dispatch(build_parser(), argv)

"""``python -m loaders``: build and fill the store (init, demo, boundaries, …).

One function per subcommand; shared options, output and exit codes come from :mod:`loaders.cli_common`.
"""

from __future__ import annotations

import argparse

from indicators.registry import AGENCIES, BE_OFFSET
from indicators.words import t
from loaders.accounts import add_user, get_user, list_users, remove_user, set_password
from loaders.area_names import as_code
from loaders.areas import CREDIT, official_areas, upsert_areas
from loaders.cli_common import Outcome, add_common, dispatch
from loaders.errors import InputRejected
from loaders.schema import SCHEMA_VERSION, schema_version
from loaders.store import StoreMissing, db_path, get_meta, reader, writer


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


def cmd_migrate(args: argparse.Namespace) -> Outcome:
    """Upgrade the store to this version's schema (a no-op when it is current)."""

    path = db_path(args.db)
    if not path.exists():

        raise StoreMissing(f"ไม่พบฐานข้อมูล / no database at {path}: run `python -m loaders demo` or `python -m loaders "
                           "init`")
    with writer(args.db) as con:  # the writer migrates
        now = schema_version(con)
    return Outcome({"db": str(path), "schema": now}, f"{path}: schema {now} (current: {SCHEMA_VERSION})")


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
            "observations": n_obs, "years_be": [y + BE_OFFSET if y else None for y in years], "batches": n_batches,
            "demo": demo}
    text = "\n".join(f"{k}: {v}" for k, v in data.items())
    return Outcome(data, text)


def cmd_boundaries(args: argparse.Namespace) -> Outcome:
    """Load district or subdistrict shapes from a GeoJSON, shapefile (.shp/.zip) or GeoPackage."""
    from loaders.boundaries import format_report, load_boundaries

    report = load_boundaries(args.file, args.level, args.db, dry_run=args.dry_run)
    return Outcome(report, format_report(report))


def _records(frame) -> list[dict]:
    """A DataFrame as JSON-ready records (missing values as null, times as text)."""
    import pandas as pd

    out = frame.astype(object).where(frame.notna(), None)
    return [{k: (v.isoformat() if isinstance(v, pd.Timestamp) else v) for k, v in row.items()}
            for row in out.to_dict(orient="records")]


VIA = "command line"  # recorded with every batch the command line makes


def _account(name: str | None, db) -> str | None:
    """``--user NAME``: the name of an existing account (refused otherwise), or None when not given."""

    if name is None:
        return None
    user = get_user(name, db)
    if user is None:
        raise InputRejected(f"ไม่มีบัญชีชื่อ {name} (--user ต้องเป็นบัญชีที่มีอยู่) / no account called {name}: --user "
                            "must name an existing account (python -m loaders user list)")
    return user.name


def cmd_csv(args: argparse.Namespace) -> Outcome:
    """Check and load a council CSV or .xlsx (one batch, atomic); exit 2 when it is rejected.

    ``--source ID`` loads the file's values as that agency's figures (kept apart from the councils'): without
    ``--user`` as any command-line load, with ``--user`` only when it names an admin account.
    """
    import sys
    from pathlib import Path

    from loaders.uploads import load_file

    path = Path(args.file)
    user = _account(args.user, args.db)
    if args.source is not None and user is not None and not get_user(user, args.db).is_admin:
        raise InputRejected(f"ข้อมูลของหน่วยงาน (--source) นำเข้าได้เฉพาะผู้ดูแลระบบ: บัญชี {user} ไม่ใช่ผู้ดูแลระบบ / "
                            f"agency figures (--source) are loaded by administrators only: {user} is not an admin")
    report = load_file(_read_upload(path), path.name, db=args.db, user=user, skip_invalid=args.skip_invalid,
                       dry_run=args.dry_run, sheet=args.sheet, via=VIA, level=args.level, measure=args.measure,
                       source=args.source)
    data = report.to_dict()
    lines = [f"{path.name}: {report.message_en}", f"{path.name}: {report.message_th}"]
    if args.source:
        name = AGENCIES[args.source]
        lines.append(f"source {args.source} ({name.en} / {name.th}): agency figures, kept apart from the councils'")
    if report.form:
        lines.append(f"read as {report.form} form; encoding {report.encoding or '-'}, delimiter "
                     f"{data['delimiter'] or '-'}, header row {report.header_row}"
                     + (f"; areas are {report.level}s" if report.level else ""))
    if report.levels:
        lines.append("rows by level: " + ", ".join(f"{lv} {n:,}" for lv, n in report.levels.items()))
    if report.measure:
        lines.append(f"measure {report.measure} (from the {report.measure_from}) for every year column")
    for p in report.problems:
        where = f"row {p.row}" if p.row else "file"
        if p.column or p.column_number:
            where += f", column {p.column_number} {p.column or ''}".rstrip()
        lines.append(f"  {where}: [{p.code}] {p.message_en} / {p.message_th}")
    if report.partial:
        lines.append(f"  … {report.problem_count - len(report.problems)} more problem(s) not listed")
    if report.preview is not None and report.preview.values:
        pv = report.preview
        lines.append(f"{t('load.replaces', 'en', new=pv.new, replaced=pv.replaced, same=pv.same)} / "
                     f"{t('load.replaces', 'th', new=pv.new, replaced=pv.replaced, same=pv.same)}")
    if report.warning_count:
        lines.append(f"{t('load.warnings', 'en', n=report.warning_count)} / "
                     f"{t('load.warnings', 'th', n=report.warning_count)}")
    for w in report.warnings:
        lines.append(f"  row {w.row}: warning [{w.code}] {w.message_en} / {w.message_th}")
    if report.warning_count > len(report.warnings):
        lines.append(f"  … {report.warning_count - len(report.warnings)} more warning(s) not listed")
    text = "\n".join(lines)
    if not report.ok:
        if not args.json:
            print(text, file=sys.stderr)
        raise InputRejected(report.message_en, data)
    return Outcome(data, text)


def cmd_source(args: argparse.Namespace) -> Outcome:
    """Check and load an agency table (one batch of source figures, kept apart from council figures)."""
    import sys
    from pathlib import Path

    from loaders.sources import adapters, load_source

    path = Path(args.file)
    spec = adapters()[args.adapter]
    user = _account(args.user, args.db)
    report = load_source(spec, _read_upload(path), path.name, db=args.db, user=user, dry_run=args.dry_run,
                         skip_invalid=args.skip_invalid, sheet=args.sheet, via=VIA)
    data = report.to_dict()
    lines = [f"{path.name}: {report.message_en}", f"{path.name}: {report.message_th}",
             f"source {spec.source} ({spec.title_en})"]
    if report.periods:
        lines.append(f"periods {report.periods[0]} to {report.periods[1]}; areas {', '.join(report.areas_loaded)}")
    if report.skipped_rows:
        lines.append(f"skipped {report.skipped_rows} row(s) of areas the store does not hold "
                     f"({', '.join(report.skipped_areas[:10])}{' …' if len(report.skipped_areas) > 10 else ''})")
    for p in report.problems:
        where = f"row {p.row}" if p.row else "file"
        if p.column or p.column_number:
            where += f", column {p.column_number} {p.column or ''}".rstrip()
        lines.append(f"  {where}: [{p.code}] {p.message_en} / {p.message_th}")
    text = "\n".join(lines)
    if not report.ok:
        if not args.json:
            print(text, file=sys.stderr)
        raise InputRejected(report.message_en, data)
    return Outcome(data, text)


def _read_upload(path) -> bytes:
    """The bytes of a file to upload: a regular file within the size limit, read no further than the limit."""
    from loaders.uploads import fmt_mb, max_upload_bytes

    if path.exists() and not path.is_file():  # /dev/zero, a FIFO, a directory: reading could never end
        raise InputRejected(f"ไม่ใช่ไฟล์ปกติ / not a regular file: {path}")
    limit = max_upload_bytes()
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        size, most = fmt_mb(path.stat().st_size), fmt_mb(limit)
        raise InputRejected(f"ไฟล์ใหญ่เกินไป ({size}) เกินขีดจำกัด {most} / the file is too large "
                            f"({size}); the limit is {most} (WELLBEING_MAX_UPLOAD_MB)")
    return data


def cmd_template(args: argparse.Namespace) -> Outcome:
    """Write an upload template for an area and year (CSV or Excel), derived from the registry."""
    from pathlib import Path

    from loaders.templates import make_template

    content = make_template(args.area, args.year, args.format, db=args.db)
    out = Path(args.output)
    out.write_bytes(content)
    return Outcome({"file": str(out), "area": args.area, "year_be": args.year, "format": args.format,
                    "bytes": len(content)}, f"template for {args.area}, {args.year} BE written to {out}")


def cmd_batches(args: argparse.Namespace) -> Outcome:
    """The batches: who, when, file, sha256, rows and status."""
    from loaders.batches import list_batches

    frame = list_batches(args.db)
    lines = [f"{'id':>4}  {'status':<9} {'kind':<7} {'rows':>13}  {'changed':>7}  {'by':<12} {'when':<19}  "
             f"{'sha256':<12}  file"]
    for b in frame.itertuples(index=False):
        rows = f"{_num(b.rows_loaded)}/{_num(b.rows_read)}"
        when = str(b.uploaded_at)[:19]
        lines.append(f"{b.id:>4}  {b.status:<9} {b.kind:<7} {rows:>13}  {_num(b.values_changed):>7}  "
                     f"{(b.uploaded_by or '-') if isinstance(b.uploaded_by, str) else '-':<12} {when:<19}  "
                     f"{(b.sha256 or '')[:12] if isinstance(b.sha256, str) else '':<12}  {b.file_name or ''}")
    return Outcome(_records(frame), "\n".join(lines))


def _num(v) -> str:
    import pandas as pd

    return "-" if v is None or pd.isna(v) else str(int(v))


def cmd_undo(args: argparse.Namespace) -> Outcome:
    """Revert a batch exactly; refused when already undone."""
    from loaders.batches import undo_batch

    result = undo_batch(args.batch_id, user=_account(args.user, args.db), db=args.db, via=VIA)
    return Outcome(result, f"batch {result['batch_id']} undone (as batch {result['undo_batch_id']}): "
                           f"{result['restored']} value(s) restored, {result['removed']} removed")


def cmd_history(args: argparse.Namespace) -> Outcome:
    """Every value a cell ever had, with its batch."""
    from loaders.batches import cell_history

    code = as_code(args.area) or args.area
    frame = cell_history(code, args.measure, args.year, db=args.db)
    lines = [f"{code} {args.measure}" + (f" {args.year} BE" if args.year else "") + f": {len(frame)} value(s)"]
    for h in frame.itertuples(index=False):
        state = "current" if h.current else f"replaced by batch {h.replaced_by} at {str(h.replaced_at)[:19]}"
        extra = "".join(f" {x}" for x in (h.flag, h.note) if isinstance(x, str))
        lines.append(f"  {h.year_be}  {h.value:>14,.2f}{extra}  batch {h.batch_id} ({h.file_name or '-'}, "
                     f"{h.uploaded_by or '-'})  {state}")
    return Outcome(_records(frame), "\n".join(lines))


def _actor() -> str:
    """Who runs the command line (recorded as ``cli:<login>``)."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "cli"


def _read_password(args: argparse.Namespace) -> str | None:
    """The new password: prompted twice on a terminal, else the first line of stdin; never echoed or printed."""
    import getpass
    import sys


    if getattr(args, "no_password", False):
        return None
    if not args.password_stdin and sys.stdin.isatty():
        first = getpass.getpass("รหัสผ่าน / password: ")
        if getpass.getpass("อีกครั้ง / again: ") != first:
            raise InputRejected("รหัสผ่านสองครั้งไม่ตรงกัน / the two passwords differ")
        return first
    line = sys.stdin.readline()
    password = line[:-1] if line.endswith("\n") else line
    if not password:
        raise InputRejected("ไม่ได้รับรหัสผ่านจาก stdin / no password on stdin (or use --no-password for OIDC)")
    return password


def cmd_user_missing(args: argparse.Namespace) -> Outcome:

    raise InputRejected("ใช้ user add|list|remove|passwd / use: user add|list|remove|passwd")


def cmd_user_add(args: argparse.Namespace) -> Outcome:
    """Create an account: role council (with --scope), analyst or admin."""

    password = _read_password(args)
    user = add_user(args.name, args.role, scope=args.scope, email=args.email, password=password, by=_actor(),
                    db=args.db)
    data = {"name": user.name, "role": user.role, "scope": list(user.scope), "email": user.email,
            "password": password is not None}
    scope = f", scope {','.join(user.scope)}" if user.scope else ""
    return Outcome(data, f"account {user.name} added: role {user.role}{scope}")


def cmd_user_list(args: argparse.Namespace) -> Outcome:
    """The accounts (never their password hashes)."""

    frame = list_users(args.db)
    lines = [f"{'name':<20} {'role':<8} {'scope':<24} {'email':<28} {'password':<8} {'locked':<6} last login"]
    for u in frame.itertuples(index=False):
        email = u.email if isinstance(u.email, str) else "-"
        last = str(u.last_login)[:19] if u.last_login is not None and str(u.last_login) != "NaT" else "-"
        lines.append(f"{u.name:<20} {u.role:<8} {u.scope or '-':<24} {email:<28} "
                     f"{'yes' if u.has_password else 'no':<8} {'yes' if u.locked else 'no':<6} {last}")
    if frame.empty:
        lines = ["no accounts yet: python -m loaders user add NAME --role admin"]
    return Outcome(_records(frame), "\n".join(lines))


def cmd_user_remove(args: argparse.Namespace) -> Outcome:
    """Delete an account (its batches keep its name)."""

    if not remove_user(args.name, by=_actor(), db=args.db):
        raise InputRejected(f"ไม่มีบัญชีชื่อ {args.name} / no account called {args.name}")
    return Outcome({"name": args.name, "removed": True}, f"account {args.name} removed")


def cmd_user_passwd(args: argparse.Namespace) -> Outcome:
    """Set an account's password (lifts a lock-out)."""

    password = _read_password(args)
    set_password(args.name, password, by=_actor(), db=args.db)
    return Outcome({"name": args.name, "password": True}, f"password of {args.name} set")


def _add_user_parser(sub) -> None:
    user = sub.add_parser("user", help="accounts for the upload and admin pages: add, list, remove, passwd")
    users = user.add_subparsers(title="user commands", metavar="ACTION")
    user.set_defaults(func=cmd_user_missing)

    p = users.add_parser("add", help="create an account (password prompted, or the first line of stdin)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, choices=["council", "analyst", "admin"])
    p.add_argument("--scope", metavar="CODES", help="council only: district or subdistrict codes, e.g. 9303,930307")
    p.add_argument("--email", metavar="ADDRESS", help="e-mail that an OIDC sign-in is matched on")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin even on a terminal")
    p.add_argument("--no-password", action="store_true", help="no local password: signs in through OIDC only")
    add_common(p)
    p.set_defaults(func=cmd_user_add)

    p = users.add_parser("list", help="the accounts: role, scope, e-mail, locked (never a password)")
    add_common(p)
    p.set_defaults(func=cmd_user_list)

    p = users.add_parser("remove", help="delete an account (refused for the last admin)")
    p.add_argument("name", metavar="NAME")
    add_common(p)
    p.set_defaults(func=cmd_user_remove)

    p = users.add_parser("passwd", help="set a password (prompted, or the first line of stdin); lifts a lock-out")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin even on a terminal")
    add_common(p)
    p.set_defaults(func=cmd_user_passwd)


def _add_load_options(p: argparse.ArgumentParser) -> None:
    """FILE and the options shared by the commands that load a table (csv, source)."""
    p.add_argument("file", metavar="FILE", help="CSV (UTF-8, UTF-8 with BOM or Windows-874) or .xlsx")
    p.add_argument("--user", metavar="NAME", help="the account that loads (must exist; recorded with the batch, "
                                                  "via command line)")
    p.add_argument("--skip-invalid", action="store_true", help="load the valid rows and report the others")
    p.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    p.add_argument("--sheet", metavar="NAME", help="the sheet of an .xlsx (default the first)")
    add_common(p)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("init", help="fill the official areas from geothai (province 93 by default)")
    p.add_argument("--province", metavar="CODES", help="province codes, comma-separated, or 'all' (default 93)")
    add_common(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("migrate", help="upgrade the database to this version's schema (readers never write)")
    add_common(p)
    p.set_defaults(func=cmd_migrate)

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
    p.add_argument("--dry-run", action="store_true",
                   help="check and match the shapes and report what would be stored; write nothing")
    add_common(p)
    p.set_defaults(func=cmd_boundaries)


    p = sub.add_parser("csv", help="check and load a council CSV or .xlsx (one batch; exit 2 when rejected)")
    _add_load_options(p)
    p.add_argument("--level", choices=["subdistrict", "district", "province"],
                   help="the level of the file's area names (default: the headers, a level column or the names' "
                        "prefixes อ./ต./จ. say it; a bare name that fits two levels is a problem)")
    p.add_argument("--measure", metavar="ID", help="the measure of a table with years as columns (area, 2545, "
                                                   "2546, …) that has no measure column")
    p.add_argument("--source", choices=list(AGENCIES), metavar="ID",
                   help="load the values as an agency's figures, kept apart from the councils' (admins only): "
                        + "; ".join(f"{k}: {v.en}" for k, v in AGENCIES.items()))
    p.set_defaults(func=cmd_csv)

    from loaders.sources import adapters

    p = sub.add_parser("source", help="check and load an agency table (e.g. mots-tourism); exit 2 when rejected")
    p.add_argument("adapter", choices=sorted(adapters()), metavar="TABLE",
                   help="which table: " + "; ".join(f"{k}: {v.title_en}" for k, v in sorted(adapters().items())))
    _add_load_options(p)
    p.set_defaults(func=cmd_source)

    p = sub.add_parser("template", help="write an upload template (Thai headers with ids) for an area and year")
    p.add_argument("--area", required=True, metavar="CODE", help="province, district or subdistrict code")
    p.add_argument("--year", required=True, type=int, metavar="BE", help="year in the Buddhist era, e.g. 2568")
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv", help="csv (UTF-8 with BOM) or xlsx")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write the template")
    add_common(p)
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("batches", help="the batches: who, when, file, sha256, rows, status")
    add_common(p)
    p.set_defaults(func=cmd_batches)

    p = sub.add_parser("undo", help="revert a batch exactly (replaced values come back, added values go)")
    p.add_argument("batch_id", type=int, metavar="BATCH_ID")
    p.add_argument("--user", metavar="NAME", help="the account that undoes (must exist; recorded, via command "
                                                  "line)")
    add_common(p)
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser("history", help="every value a cell ever had, with its batch")
    p.add_argument("--area", required=True, metavar="CODE")
    p.add_argument("--measure", required=True, metavar="ID")
    p.add_argument("--year", type=int, metavar="BE", help="one year (BE); default every year")
    add_common(p)
    p.set_defaults(func=cmd_history)

    _add_user_parser(sub)

    return parser


def main(argv: list[str] | None = None) -> int:
    return dispatch(build_parser(), argv)

"""``export chart|table|report|all``: the dashboard's downloads from the command line.

    python -m indicators.export_cli export chart --indicator happiness --area 9301 --format png -o happy.png
    python -m indicators.export_cli export chart --indicator happiness --area 9301 --level subdistrict -o h.pdf
    python -m indicators.export_cli export table --what progress --area 9301 --format xlsx -o progress.xlsx
    python -m indicators.export_cli export report --area 9301 --lang en -o report.pdf
    python -m indicators.export_cli export all -o phatthalung.zip

:func:`add_export_parser` registers the same subcommands on another CLI (``python -m indicators export …``).
The format comes from ``--format`` or else from the output file's suffix.  ``--json`` prints ``{path, bytes,
format}``.  Exit 0 when written; 2 for an unknown indicator, area or format, or a path that cannot be written
(nothing is written: the file appears whole or not at all); 1 for an internal error.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from indicators.engine.values import LEVELS
from indicators.present.bundle import TABLES, everything_zip, table_frame
from indicators.present.exports import FIGURE_FORMATS, TABLE_FORMATS, figure_bytes, table_bytes
from indicators.present.report import REPORT_FORMATS, chart_figure, district_report
from loaders.cli_common import Outcome, add_common, dispatch
from loaders.errors import InputRejected

# ---------------------------------------------------------------------------------------------- helpers


def _format(args: argparse.Namespace, allowed: tuple[str, ...]) -> str:
    """``--format``, else the output's suffix; InputRejected when neither gives a known format."""
    fmt = (args.format or Path(args.output).suffix.lstrip(".")).lower()
    if fmt not in allowed:
        shown = fmt or "(none)"
        raise InputRejected(
            f"รูปแบบไฟล์ไม่รองรับ / unsupported format {shown!r}: use --format or an output ending in "
            + ", ".join("." + f for f in allowed))
    return fmt


def check_writable(path: str | os.PathLike[str]) -> Path:
    """The output path, or InputRejected when it cannot be written (missing folder, a folder, no permission)."""
    p = Path(path)
    if p.is_dir():
        raise InputRejected(f"เป็นโฟลเดอร์ ไม่ใช่ไฟล์ / {p} is a folder, not a file")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise InputRejected(f"ไม่พบโฟลเดอร์ / no such folder {parent} (for {p})")
    if not os.access(parent, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise InputRejected(f"เขียนไฟล์ไม่ได้ / cannot write {p} (permission denied)")
    return p


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and move it into place (whole or not at all)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise InputRejected(f"เขียนไฟล์ไม่ได้ / cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputRejected(f"เขียนไฟล์ไม่ได้ / cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _done(path: Path, data: bytes, fmt: str) -> Outcome:
    write_atomic(path, data)
    return Outcome({"path": str(path), "bytes": len(data), "format": fmt},
                   f"wrote {path} ({len(data):,} bytes, {fmt})")


# ---------------------------------------------------------------------------------------------- subcommands


def cmd_export_chart(args: argparse.Namespace) -> Outcome:
    """One indicator's trajectory for one area (or small multiples of the areas of ``--level`` inside it)."""
    path = check_writable(args.output)
    fmt = _format(args, FIGURE_FORMATS)
    fig = chart_figure(args.area, args.indicator, db=args.db, lang=args.lang, level=args.level)
    data = figure_bytes(fig, fmt, scale=args.scale, width=args.width, height=args.height)
    return _done(path, data, fmt)


def cmd_export_table(args: argparse.Namespace) -> Outcome:
    """A table as CSV (UTF-8 with BOM), Excel or Parquet."""
    path = check_writable(args.output)
    fmt = _format(args, TABLE_FORMATS)
    frame = table_frame(args.what, db=args.db, area=args.area, level=args.level, indicator=args.indicator,
                        lang=args.lang)
    data = table_bytes(frame, fmt, sheet_name=args.what)
    outcome = _done(path, data, fmt)
    outcome.data["rows"] = len(frame)
    return outcome


def cmd_export_all(args: argparse.Namespace) -> Outcome:
    """Every table and the registry's metadata as CSV in one zip (the dashboard's "download everything")."""
    path = check_writable(args.output)
    return _done(path, everything_zip(args.db, args.lang), "zip")


def cmd_export_report(args: argparse.Namespace) -> Outcome:
    """The district (or province, or subdistrict) report as PDF or HTML."""
    path = check_writable(args.output)
    fmt = _format(args, REPORT_FORMATS)
    data = district_report(args.area, db=args.db, lang=args.lang, fmt=fmt)
    return _done(path, data, fmt)


# ---------------------------------------------------------------------------------------------- parsers


def add_export_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``export chart|table|report`` on ``subparsers`` (from ``parser.add_subparsers()``)."""
    export = subparsers.add_parser("export", help="export a chart, a table or a district report to a file",
                                   description="Export a chart (PNG, SVG, PDF, HTML), a table (CSV, Excel, "
                                               "Parquet) or a district report (PDF, HTML).")
    sub = export.add_subparsers(title="what to export", metavar="{chart,table,report}")

    p = sub.add_parser("chart", help="an indicator's trajectory for an area: png, svg, pdf or html")
    p.add_argument("--indicator", required=True, metavar="ID", help="indicator id (see `python -m indicators list`)")
    p.add_argument("--area", required=True, metavar="CODE", help="area code, e.g. 9301 (district) or 930307")
    p.add_argument("--level", choices=LEVELS,
                   help="the area's own level (default): one chart; a lower level: one panel per area inside it")
    p.add_argument("--format", choices=FIGURE_FORMATS, help="default: from the output's suffix")
    p.add_argument("--lang", choices=("th", "en"), default="th")
    p.add_argument("--scale", type=float, default=2, help="PNG scale (default 2)")
    p.add_argument("--width", type=int, help="layout width in pixels")
    p.add_argument("--height", type=int, help="layout height in pixels")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    add_common(p)
    p.set_defaults(func=cmd_export_chart)

    p = sub.add_parser("table", help="progress, values or index table: csv, xlsx or parquet")
    p.add_argument("--what", required=True, choices=TABLES)
    p.add_argument("--area", metavar="CODE", help="this area and every area inside it (default: all)")
    p.add_argument("--level", choices=LEVELS, help="one level only (default: all)")
    p.add_argument("--indicator", metavar="ID", help="one indicator only (progress and values)")
    p.add_argument("--format", choices=TABLE_FORMATS, help="default: from the output's suffix")
    p.add_argument("--lang", choices=("th", "en"), default="th", help="language of the area and indicator names")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    add_common(p)
    p.set_defaults(func=cmd_export_table)

    p = sub.add_parser("all", help="every table (values, progress, index, coverage) and the registry as CSV in a zip")
    p.add_argument("--lang", choices=("th", "en"), default="th", help="language of the area and indicator names")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    add_common(p)
    p.set_defaults(func=cmd_export_all)

    p = sub.add_parser("report", help="the report of a district (or the province): pdf or html")
    p.add_argument("--area", required=True, metavar="CODE", help="district code, e.g. 9301 (or 93, or a subdistrict)")
    p.add_argument("--lang", choices=("th", "en"), default="th")
    p.add_argument("--format", choices=REPORT_FORMATS, help="default: from the output's suffix (.pdf or .html)")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    add_common(p)
    p.set_defaults(func=cmd_export_report)
    return export


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indicators.export_cli", description=__doc__.splitlines()[0])
    add_export_parser(parser.add_subparsers(title="commands", metavar="COMMAND"))
    return parser


def main(argv: list[str] | None = None) -> int:
    return dispatch(build_parser(), argv)


if __name__ == "__main__":
    raise SystemExit(main())

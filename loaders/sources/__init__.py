"""Agency tables (DESIGN §3): one generic loader, and one small module per published table.

An adapter declares its table (:class:`TableSpec`): which column holds the period, which the area code (or, when
there is none, which columns name the area and how a name becomes a code), which columns are values of which
canonical measure (and by what factor they convert to the registry's unit), and optionally the table's long form
(:class:`~loaders.sources.spec.LongLayout`: one row per area, period and variable), which is gathered back into the
wide form's figures and checked the same way: totals equal the sum of their parts, no part exceeds its whole, ranges,
one value per (area, period, variable); a problem in one row of the long form drops that area's period, as a bad wide
row does.  Everything
else is shared with council files: decoding, dialect and ``.xlsx`` reading (:func:`loaders.council_files.read_table`),
strict numbers, the problem report with its stable codes and Thai/English messages, archiving by sha256, duplicate
files, one atomic batch, problems kept in the store.

Agency figures go to ``official_observations`` keyed by (area, measure, **source**, year, month), never into the
council ``observations``: the two are never silently mixed (the registry says which source an indicator prefers;
see :mod:`indicators.engine.official`).  Month 0 is a figure published for a whole year.

Rows for areas the store does not hold (a national table loaded into a one-province store) are skipped and counted;
a code that is no area at all is an ``unknown-area`` problem.

To add a table (e.g. TPMAP poverty exports): write ``loaders/sources/<name>.py`` with a :class:`TableSpec` and add
it to :data:`ADAPTERS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from indicators.registry import BE_OFFSET, Registry, load_registry
from loaders.council_files import YEAR_MAX_BE, YEAR_MIN_BE, Table, _blank, _norm, read_table
from loaders.decoding import FileRefused
from loaders.numbers import THAI_DIGITS, NotANumber, fmt_number, parse_number
from loaders.observations import create_batch, finish_batch, write_official  # noqa: F401 - re-exported
from loaders.problems import Problems, cell_text, problem
from loaders.sources.spec import TableSpec, TotalColumn, ValueColumn
from loaders.store import reader, writer
from loaders.uploads import LoadReport, _store_problems, archive, display_name, fmt_mb, max_upload_bytes

KIND = "source"  # batches.kind of agency tables


@dataclass
class SourceReport(LoadReport):
    """A :class:`LoadReport` with what an agency table adds: the adapter, the source, skipped areas, periods."""

    adapter: str = ""
    source: str = ""
    skipped_rows: int = 0  # rows of areas the store does not hold
    skipped_areas: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)  # first and last period loaded, YYYY-MM
    areas_loaded: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "adapter": self.adapter, "source": self.source,
                "skipped_rows": self.skipped_rows, "skipped_areas": self.skipped_areas, "periods": self.periods,
                "areas_loaded": self.areas_loaded}


# ---------------------------------------------------------------------------------------------- periods

_PERIOD = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ T].*)?")
_PERIOD_MY = re.compile(r"(\d{1,2})[-/.](\d{4})")


def parse_period(raw: Any, period: str) -> tuple[int, int] | None:
    """(year CE, month 1–12, or 0 for a year) from a cell, or None; years above 2400 are BE."""
    if isinstance(raw, dt.datetime | dt.date):
        year, month = raw.year, raw.month
    else:
        text = cell_text(raw)
        if text is None:
            return None
        text = text.strip().translate(THAI_DIGITS)
        if period == "year":
            if not re.fullmatch(r"\d{4}", text):
                return None
            year, month = int(text), 0
        else:
            m = _PERIOD.fullmatch(text)
            if m:
                year, month = int(m.group(1)), int(m.group(2))
            elif m := _PERIOD_MY.fullmatch(text):
                year, month = int(m.group(2)), int(m.group(1))
            else:
                return None
            if not 1 <= month <= 12:
                return None
    if year > 2400:
        year -= BE_OFFSET
    return year, month


def period_label(year: int, month: int) -> str:
    return f"{year:04d}" if month == 0 else f"{year:04d}-{month:02d}"


# ---------------------------------------------------------------------------------------------- checking


@dataclass
class CheckedSource:
    frame: pd.DataFrame  # area_code, measure_id, year, month, value, row
    problems: Problems
    rows_read: int = 0
    header: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    skipped_rows: int = 0
    skipped_areas: list[str] = field(default_factory=list)


@dataclass
class _Layout:
    """Which column plays which part (indices into the header)."""

    period: int | None = None
    area: int | None = None  # codes
    names: list[int] = field(default_factory=list)  # area names, used when there is no code column
    values: list[tuple[int, ValueColumn]] = field(default_factory=list)  # wide
    totals: list[tuple[int, TotalColumn]] = field(default_factory=list)  # wide
    variable: int | None = None  # long
    value: int | None = None  # long

    @property
    def long(self) -> bool:
        return self.variable is not None and self.value is not None


def _layout(header: list[str], spec: TableSpec) -> _Layout:
    norm: dict[str, int] = {}
    for j, name in enumerate(header):
        norm.setdefault(_norm(name), j)

    def find(names: tuple[str, ...]) -> int | None:
        return next((norm[_norm(n)] for n in names if _norm(n) in norm), None)

    lay = _Layout(period=find(spec.period_headers), area=find(spec.area_headers))
    if lay.area is None and spec.area_by_name is not None:
        lay.names = list(dict.fromkeys(norm[_norm(n)] for n in spec.area_name_headers if _norm(n) in norm))
    lay.values = [(j, vc) for vc in spec.values if (j := find(vc.headers)) is not None]
    lay.totals = [(j, tc) for tc in spec.totals if (j := find(tc.headers)) is not None]
    if not lay.values and spec.long is not None:
        lay.variable, lay.value = find(spec.long.variable_headers), find(spec.long.value_headers)
    return lay


def _roles(header: list[str], lay: _Layout) -> dict[str, str]:
    single = ((lay.period, "period"), (lay.area, "area_code"), (lay.variable, "variable"), (lay.value, "value"))
    roles = {j: role for j, role in single if j is not None}
    roles |= {j: "area_name" for j in lay.names} | {j: vc.measure for j, vc in lay.values}
    roles |= {j: f"total of {'+'.join(tc.parts)}" for j, tc in lay.totals}
    return {name: roles.get(j, "ignored") for j, name in enumerate(header)}


@dataclass
class _Group:
    """The figures of one area and period: one row of the wide form, several of the long."""

    code: str | None
    period: tuple[int, int] | None
    rows: list[int] = field(default_factory=list)
    values: dict[str, tuple[float, Any, dict]] = field(default_factory=dict)  # measure → (value, raw cell, location)
    totals: list[tuple[TotalColumn, float, Any, dict]] = field(default_factory=list)


_SKIP = "skip"  # an area the store does not hold


def check_source_table(table: Table, spec: TableSpec, registry: Registry, held: set[str],
                       known: set[str]) -> CheckedSource:
    """Check every row of an agency table, wide (a column per measure) or long (a variable and a value column).

    ``held``: area codes in the store at ``spec.area_level``; ``known``: every valid code at that level (rows of a
    known code the store does not hold are skipped; other codes are ``unknown-area``).
    """
    problems = Problems()
    empty_frame = pd.DataFrame({"area_code": pd.array([], dtype="string"), "measure_id": pd.array([], dtype="string"),
                                "year": pd.array([], dtype="int32"), "month": pd.array([], dtype="int32"),
                                "value": pd.array([], dtype="float64"), "row": pd.array([], dtype="int64")})
    out = CheckedSource(empty_frame, problems)
    rows = table.rows
    h = next((i for i, r in enumerate(rows) if any(not _blank(c) for c in r)), None)
    if h is None:
        problems.add(problem("empty-file"))
        return out
    header = [cell_text(c) or "" for c in rows[h]]
    while header and not header[-1].strip():
        header.pop()
    out.header = header
    lay = _layout(header, spec)
    out.columns = _roles(header, lay)
    missing = []
    if lay.period is None:
        missing.append(("เดือน" if spec.period == "month" else "ปี", "month" if spec.period == "month" else "year",
                        spec.period_text()))
    if lay.area is None and not lay.names:
        if spec.area_by_name is None:
            missing.append(("รหัสพื้นที่", "area code", ", ".join(spec.area_headers[:3])))
        else:
            missing.append((f"รหัสพื้นที่หรือ{spec.area_name_th}", f"area code or {spec.area_name_en}",
                            ", ".join(spec.area_headers[:2] + spec.area_name_headers[:2])))
    if not lay.values and not lay.long:
        examples = ", ".join(vc.headers[0] for vc in spec.values)
        if spec.long is not None:
            examples += f"; {spec.long.variable_headers[0]} + {spec.long.value_headers[0]}"
        missing.append(("ค่าข้อมูล", "value", examples))
    for th, en, examples in missing:
        problems.add(problem("missing-column", what_th=th, what_en=en, examples=examples))
    if missing:
        return out

    header_row = h + 1
    width = len(header)
    skipped: set[str] = set()
    seen: dict[tuple, int] = {}
    groups: dict[tuple, _Group] = {}  # long form: by (area, period)
    done: list[_Group] = []
    periods: dict[Any, tuple[int, int] | None] = {}
    variables = {_norm(n): col for col in (*spec.values, *spec.totals) for n in col.headers}
    why_name = (f" (ไม่ใช่{spec.area_name_th})", f" (not a {spec.area_name_en})")
    by_name = spec.area_by_name or (lambda _text: None)

    def loc(rn: int, j: int) -> dict:
        return {"row": rn, "column": header[j] if j < width else None, "column_number": j + 1}

    def area_of(row: list, rn: int) -> str | None:
        """The row's area code, :data:`_SKIP`, or None (a problem was added)."""
        if lay.area is not None:
            j = lay.area
            text = cell_text(row[j])
            code = spec.area_code(text.translate(THAI_DIGITS)) if text and text.strip() else None
            why = (" (ไม่ใช่รหัสพื้นที่)", " (not an area code)")
        else:
            filled = [k for k in lay.names if not _blank(row[k])]
            j = filled[0] if filled else lay.names[0]
            code = _by_name(row[j]) if filled else None
            why = why_name
            for k in filled[1:] if code is not None else ():
                other = _by_name(row[k])
                if other is not None and other != code:
                    problems.add(problem(
                        "unknown-area", value=row[j],
                        why_th=f" (ไม่ตรงกับ '{cell_text(row[k])}' ในคอลัมน์ {header[k]})",
                        why_en=f" (it disagrees with '{cell_text(row[k])}' in column {header[k]})", **loc(rn, j)))
                    return None
        if code is None:
            blank = _blank(row[j])
            problems.add(problem("unknown-area", value=row[j], why_th=" (ว่าง)" if blank else why[0],
                                 why_en=" (blank)" if blank else why[1], **loc(rn, j)))
            return None
        if code in held:
            return code
        if code in known:
            skipped.add(code)
            return _SKIP
        problems.add(problem("unknown-area", value=row[j], why_th=" (ไม่ใช่รหัสพื้นที่)", why_en=" (not an area code)",
                             **loc(rn, j)))
        return None

    def _by_name(raw: Any) -> str | None:
        return by_name((cell_text(raw) or "").translate(THAI_DIGITS))

    def period_of(row: list, rn: int) -> tuple[int, int] | None:
        raw = row[lay.period]
        key = raw if isinstance(raw, str) else None
        if key is not None and key in periods:
            period = periods[key]
        else:
            period = parse_period(raw, spec.period)
            if period is not None and not YEAR_MIN_BE <= period[0] + BE_OFFSET <= YEAR_MAX_BE:
                period = (-1, -1)
            if key is not None:
                periods[key] = period
        if period is None:
            what = ("เดือน (เช่น 2019-01 หรือ 2562-01)", "a month (e.g. 2019-01 or 2562-01)") if spec.period == "month" \
                else ("ปี (พ.ศ. หรือ ค.ศ.)", "a year (BE or CE)")
            problems.add(problem("type-error", value=raw, what_th=what[0], what_en=what[1], **loc(rn, lay.period)))
        elif period == (-1, -1):
            problems.add(problem("year-out-of-range", value=raw, **loc(rn, lay.period)))
            return None
        return period

    def once(key: tuple, rn: int, raw: Any, j: int) -> None:
        if key in seen:
            problems.add(problem("duplicate-row", value=raw, others=str(seen[key]), **loc(rn, j)))
        else:
            seen[key] = rn

    def total(raw: Any, where: dict) -> float | None:
        try:
            parsed = parse_number(raw)
        except NotANumber:
            problems.add(problem("type-error", value=raw, what_th="ตัวเลข", what_en="a number", **where))
            return None
        return None if parsed is None else parsed.value

    for i, row in enumerate(rows[h + 1:]):
        rn = header_row + 1 + i
        if not any(not _blank(c) for c in row):
            continue
        out.rows_read += 1
        row = [*row, *([None] * (width - len(row)))]
        if any(not _blank(c) for c in row[width:]):
            k = next(k for k in range(width, len(row)) if not _blank(row[k]))
            problems.add(problem("extra-cell", row=rn, column=None, column_number=k + 1, value=row[k],
                                 cells=len(row), width=width))
        code = area_of(row, rn)
        if code == _SKIP:
            out.skipped_rows += 1
            out.rows_read -= 1
            continue
        period = period_of(row, rn)
        if not lay.long:
            if code is not None and period is not None:
                once((code, *period), rn, row[lay.period], lay.period)
            group = _Group(code, period, [rn])
            for j, vc in lay.values:
                v = _value(row[j], vc, registry, problems, loc(rn, j))
                if v is not None:
                    group.values[vc.measure] = (v, row[j], loc(rn, j))
            for j, tc in lay.totals:
                if (t := total(row[j], loc(rn, j))) is not None:
                    group.totals.append((tc, t, row[j], loc(rn, j)))
            done.append(group)
            continue
        # the long form: one variable of one area and period per row
        raw_var, raw = row[lay.variable], row[lay.value]
        col = variables.get(_norm(cell_text(raw_var) or ""))
        v = None
        if col is None:
            problems.add(problem("unknown-measure", value=raw_var, **loc(rn, lay.variable)))
        elif isinstance(col, ValueColumn):
            v = _value(raw, col, registry, problems, loc(rn, lay.value))
        else:
            v = total(raw, loc(rn, lay.value))
        if code is None or period is None:
            continue
        group = groups.get((code, period))
        if group is None:
            group = groups[(code, period)] = _Group(code, period)
        group.rows.append(rn)
        if col is None:
            continue
        name = col.measure if isinstance(col, ValueColumn) else "total of " + "+".join(col.parts)
        once((code, *period, name), rn, raw_var, lay.variable)
        if v is not None and isinstance(col, ValueColumn):
            group.values.setdefault(col.measure, (v, raw, loc(rn, lay.value)))
        elif v is not None:
            group.totals.append((col, v, raw, loc(rn, lay.value)))
    done.extend(groups.values())

    rec: dict[str, list] = {"area_code": [], "measure_id": [], "year": [], "month": [], "value": [], "row": [],
                            "group": []}
    for g, group in enumerate(done):
        _check_group(group, spec, registry, problems)
        if group.code is None or group.period is None:
            continue
        for mid, (v, _raw, where) in group.values.items():
            rec["area_code"].append(group.code)
            rec["measure_id"].append(mid)
            rec["year"].append(group.period[0])
            rec["month"].append(group.period[1])
            rec["value"].append(v)
            rec["row"].append(where["row"])
            rec["group"].append(g)
    bad = {g for g, group in enumerate(done) if any(r in problems.bad_rows for r in group.rows)}
    frame = pd.DataFrame({
        "area_code": pd.array(rec["area_code"], dtype="string"),
        "measure_id": pd.array(rec["measure_id"], dtype="string"),
        "year": pd.array(rec["year"], dtype="int32"), "month": pd.array(rec["month"], dtype="int32"),
        "value": pd.array(rec["value"], dtype="float64"), "row": pd.array(rec["row"], dtype="int64"),
    })
    keep = ~pd.Series(rec["group"], dtype="int64").isin(bad).to_numpy() if rec["group"] else []
    out.frame = frame[keep].reset_index(drop=True) if len(frame) else frame
    out.skipped_areas = sorted(skipped)
    return out


def _check_group(group: _Group, spec: TableSpec, registry: Registry, problems: Problems) -> None:
    """Totals equal the sum of their parts; no part exceeds its whole."""
    values = group.values
    for tc, t, raw, where in group.totals:
        if not all(p in values for p in tc.parts):
            continue
        scale = next(vc.scale for vc in spec.values if vc.measure == tc.parts[0])
        parts = sum(values[p][0] for p in tc.parts)
        if abs(t * scale - parts) > max(1e-6, 1e-9 * abs(parts)) + 0.5 * scale:
            problems.add(problem(
                "out-of-range", value=raw,
                th=f"'{cell_text(raw)}': {tc.what_th} ไม่เท่ากับผลรวมของส่วนย่อย ({fmt_number(parts / scale)})",
                en=f"'{cell_text(raw)}': {tc.what_en} differs from the sum of its parts ({fmt_number(parts / scale)})",
                **where))
    for mid, (v, raw, where) in values.items():
        whole = registry.measures[mid].part_of
        if whole in values and v > values[whole][0] + 1e-9:
            part, w = registry.measures[mid], registry.measures[whole]
            problems.add(problem("part-exceeds-whole", value=raw, part=fmt_number(v),
                                 whole=fmt_number(values[whole][0]), part_th=part.name.th, part_en=part.name.en,
                                 whole_th=w.name.th, whole_en=w.name.en, row_whole=values[whole][2]["row"], **where))


def _value(raw: Any, vc: ValueColumn, registry: Registry, problems: Problems, loc: dict) -> float | None:
    try:
        parsed = parse_number(raw)
    except NotANumber:
        problems.add(problem("type-error", value=raw, what_th="ตัวเลข", what_en="a number", **loc))
        return None
    if parsed is None:
        return None
    v = parsed.value * vc.scale
    m = registry.measures[vc.measure]
    lo, hi = m.valid_range
    if v < 0 and m.kind in ("count", "amount"):
        th, en = f"{m.name.th} ต้องไม่ติดลบ", f"{m.name.en} cannot be negative"
    elif not lo <= v <= hi:
        th = f"{m.name.th} ต้องอยู่ระหว่าง {fmt_number(lo)} ถึง {fmt_number(hi)} {m.unit.th}"
        en = f"{m.name.en} must lie between {fmt_number(lo)} and {fmt_number(hi)} {m.unit.en}"
    else:
        return v
    problems.add(problem("out-of-range", value=raw, th=f"'{cell_text(raw)}': {th}", en=f"'{cell_text(raw)}': {en}",
                         **loc))
    return None


# ---------------------------------------------------------------------------------------------- writing
# (write_official, the upsert of agency values, lives in loaders.observations: council-shaped agency files use it too)


def _loaded_before(con, sha256: str) -> int | None:
    rows = con.execute("""SELECT id FROM batches WHERE sha256 = ? AND kind = ? AND status IN ('loaded', 'partial')
                          ORDER BY id LIMIT 1""", [sha256, KIND]).fetchall()
    return int(rows[0][0]) if rows else None


def _known_codes(level: str) -> set[str]:
    """Every official code at ``level`` (geothai), to tell an area the store does not hold from no area at all."""
    import geothai

    if level == "province":
        return {p.code for p in geothai.provinces()}
    if level == "district":
        return {d.code for p in geothai.provinces() for d in geothai.districts(p.code)}
    return {s.code for p in geothai.provinces() for d in geothai.districts(p.code)
            for s in geothai.subdistricts(d.code)}


def load_source(spec: TableSpec, data: bytes, file_name: str, *, db: str | os.PathLike[str] | None = None,
                user: str | None = None, dry_run: bool = False, skip_invalid: bool = False,
                sheet: str | None = None, registry: Registry | None = None, via: str | None = None) -> SourceReport:
    """Check and load one agency table as one batch (kind ``source``, source ``spec.source``); ``via`` as for
    :func:`loaders.uploads.load_file`."""
    registry = registry or load_registry()
    sha = hashlib.sha256(data).hexdigest()
    report = SourceReport(file_name=display_name(file_name), sha256=sha, size=len(data), dry_run=dry_run,
                          adapter=spec.name, source=spec.source)
    with reader(db) as con:
        held = {r[0] for r in con.execute("SELECT code FROM areas WHERE level = ?", [spec.area_level]).fetchall()}
        report.duplicate_of = _loaded_before(con, sha)
    problems = Problems()
    too_large = len(data) > max_upload_bytes()
    if not too_large and not dry_run:
        report.raw_path = str(archive(data, sha, db))
    if report.duplicate_of is not None:
        report.status = "duplicate"
        return report
    checked = None
    if too_large:
        problems.add(problem("file-too-large", size=fmt_mb(len(data)), limit=fmt_mb(max_upload_bytes())))
    else:
        try:
            table = read_table(data, file_name, sheet=sheet)
        except FileRefused as exc:
            problems.add(exc.problem)
        else:
            report.encoding, report.delimiter, report.sheet = table.encoding, table.delimiter, table.sheet
            checked = check_source_table(table, spec, registry, held, _known_codes(spec.area_level))
            problems = checked.problems
            report.rows_read, report.header, report.columns = checked.rows_read, checked.header, checked.columns
            report.header_row, report.form = 1, spec.period
            report.skipped_rows, report.skipped_areas = checked.skipped_rows, checked.skipped_areas
    frame = checked.frame if checked is not None else None
    has_values = frame is not None and len(frame) > 0
    if not problems and not has_values:
        problems.add(problem("no-values"))
    if problems.fatal or not has_values or (problems and not skip_invalid):
        status = "rejected"
    else:
        status = "partial" if problems else "loaded"
    report.problems, report.problem_count, report.partial = problems.sorted(), problems.total, problems.partial
    if status != "rejected":
        report.values_loaded, report.rows_loaded = len(frame), int(frame["row"].nunique())
        first, last = frame.sort_values(["year", "month"]).iloc[[0, -1]].itertuples()
        report.periods = [period_label(first.year, first.month), period_label(last.year, last.month)]
        report.areas_loaded = sorted(frame["area_code"].unique().tolist())
    if dry_run:
        report.status = "checked" if status != "rejected" else "rejected"
        return report
    with writer(db) as con:
        again = _loaded_before(con, sha)
        if again is not None:
            report.duplicate_of, report.status, report.rows_loaded, report.values_loaded = again, "duplicate", 0, 0
            return report
        batch = create_batch(con, kind=KIND, source=spec.source, status="loading", file_name=report.file_name,
                             sha256=sha, uploaded_by=user, rows_read=report.rows_read, raw_path=report.raw_path,
                             encoding=report.encoding, via=via)
        changed = write_official(con, frame.drop(columns="row"), spec.source, batch) if status != "rejected" else 0
        finish_batch(con, batch, status=status, rows_loaded=report.rows_loaded if status != "rejected" else 0,
                     values_changed=changed)
        con.execute("UPDATE batches SET problem_count = ? WHERE id = ?", [problems.total, batch])
        _store_problems(con, batch, report.problems)
    report.batch_id, report.status, report.values_changed = batch, status, changed
    return report


def adapters() -> dict[str, TableSpec]:
    """Every agency table the loader knows, by command-line name."""
    from loaders.sources import mots_tourism

    return {spec.name: spec for spec in (mots_tourism.SPEC,)}


def later_official_batches(con, batch_id: int) -> list[int]:
    """Batches that since replaced values of agency batch ``batch_id`` (it cannot be undone before them)."""
    rows = con.execute(
        """SELECT DISTINCT o.batch_id FROM official_history h
           JOIN official_observations o USING (area_code, measure_id, source, year, month)
           WHERE h.batch_id = ? AND o.batch_id <> ?
             AND h.replaced_by IN (SELECT id FROM batches WHERE kind <> 'undo') ORDER BY 1""",
        [batch_id, batch_id]).fetchall()
    return [int(r[0]) for r in rows]


def undo_official(con, batch_id: int, undo_id: int) -> tuple[int, int]:
    """Revert the agency values of batch ``batch_id`` exactly (inside the undo's transaction, as batch ``undo_id``):
    replaced values come back, added values go; both go to ``official_history``.  Returns (restored, removed)."""
    key = "area_code, measure_id, source, year, month"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE undo_official_cells AS
            SELECT o.*, prev.value AS prev_value, prev.batch_id AS prev_batch, prev.area_code IS NOT NULL AS had_prev
            FROM official_observations o
            LEFT JOIN (SELECT * FROM official_history WHERE replaced_by = ?
                       QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY replaced_at DESC) = 1) prev
              USING ({key})
            WHERE o.batch_id = ?""", [batch_id, batch_id])
    restored, removed = con.execute("""SELECT count(*) FILTER (WHERE had_prev), count(*) FILTER (WHERE NOT had_prev)
                                       FROM undo_official_cells""").fetchall()[0]
    con.execute(f"""INSERT INTO official_history ({key}, value, batch_id, replaced_by)
                    SELECT {key}, value, batch_id, ? FROM undo_official_cells""", [undo_id])
    match = " AND ".join(f"official_observations.{k} = u.{k}" for k in key.split(", "))
    con.execute(f"DELETE FROM official_observations USING undo_official_cells u WHERE {match} AND NOT u.had_prev")
    con.execute(f"""UPDATE official_observations SET value = u.prev_value, batch_id = u.prev_batch
                    FROM undo_official_cells u WHERE {match} AND u.had_prev""")
    con.execute("DROP TABLE undo_official_cells")
    return int(restored), int(removed)

"""Loading one council file: the single function the upload page and ``python -m loaders csv`` both call.

Order (DESIGN §3, §6): refuse files above the size limit; archive the raw bytes under ``data/uploads/<sha256>`` (kept
once, whoever sends them); decode, read and check every row in Python (:func:`check_file`; the upload page runs it
in a worker process, :mod:`loaders.workers`); then, in one write transaction, record the batch (loaded, partial or
rejected), its values (replaced values go to history), its problems and the file rows it loaded.  A rejected file
writes no value; its batch row and problems are kept so that a council can come back.

Between the check and the write, the values that would load are read against the store (:mod:`loaders.preview`,
here, since the worker has no store): the report's ``preview`` holds the first rows as matched and the values they
would replace, and its ``warnings`` the ``implausible-change`` warnings (:mod:`loaders.plausibility`).  Warnings
are listed apart from the problems (errors) and reject nothing; a dry run carries them so that they are seen before
the load is confirmed.

A known file (same sha256, same sheet) loads only the rows that no batch (not undone) loaded from it yet: the same
rows for the same scope add nothing ("duplicate"), while someone whose scope covers rows that did not load (a
council's "valid rows only" skipped another district's rows) loads those.  Batches from before rows were recorded
count as having loaded the whole file.

Agency figures in a council-shaped file (``source``, an agency of :data:`indicators.registry.AGENCIES`; admins
only, see :func:`loaders.users.load_agency_file_as`): the file is checked exactly as a council file, then its values
go to ``official_observations`` (month 0: figures for whole years) under that source, as one batch of kind
``source`` (the batch list, undo and history treat it as any agency table), never into the councils'
``observations``.  Flags and notes cannot be kept with agency figures: a file carrying any is refused.  The same
file loaded before as the same source's figures is a duplicate.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from indicators.registry import AGENCIES, Registry, load_registry
from indicators.words import t
from loaders.area_names import AreaIndex
from loaders.council_files import MAX_ROWS, Checked, Table, check_table, delimiter_name, read_table
from loaders.decoding import FileRefused
from loaders.errors import InputRejected, env_number
from loaders.observations import create_batch, finish_batch, write_observations, write_official
from loaders.preview import Preview, preview
from loaders.problems import Problem, Problems, file_problem, problem
from loaders.store import reader, store_fault, uploads_dir, writer

# The one upload size limit (the page, the command line and the agency tables): megabytes as browsers count them,
# 1 MB = 1,000,000 bytes.  `.streamlit/config.toml` sets server.maxUploadSize to the same number (Streamlit counts
# that in MiB, 4.9 % more, so its own refusal never comes first and the file gets the `file-too-large` problem).
DEFAULT_MAX_MB = 50
MB = 1_000_000
LOADED_STATUSES = ("loaded", "partial")


MAX_NAME = 255
# control characters (C0, DEL, C1) and bidi overrides/isolates: a file name is only a label, shown in pages and
# terminals, where these would hide or rewrite text (ESC sequences, right-to-left overrides)
_UNSAFE_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def display_name(file_name: str | None) -> str:
    """An uploaded file's name as a label: unsafe characters shown as U+FFFD, at most 255 characters.

    The name is never used as a path: the raw bytes are archived under their sha256.
    """
    name = _UNSAFE_IN_NAME.sub("\ufffd", str(file_name or ""))
    if len(name) <= MAX_NAME:
        return name
    suffix = Path(name).suffix[:10]  # kept: it tells a workbook from a CSV
    return name[: MAX_NAME - 1 - len(suffix)] + "…" + suffix


def max_upload_bytes() -> int:
    """The size limit: ``$WELLBEING_MAX_UPLOAD_MB`` megabytes (1 MB = 1,000,000 bytes), default 50."""
    return int(env_number("WELLBEING_MAX_UPLOAD_MB", DEFAULT_MAX_MB, minimum=0) * MB)


def max_upload_rows() -> int:
    """The row limit: ``$WELLBEING_MAX_UPLOAD_ROWS``, default 1,000,000."""
    return int(env_number("WELLBEING_MAX_UPLOAD_ROWS", MAX_ROWS, minimum=1))


def fmt_mb(n: int) -> str:
    """A size in the unit of the limit: "49.9 MB" (1 MB = 1,000,000 bytes)."""
    return f"{n / MB:,.1f} MB"


@dataclass
class LoadReport:
    """What happened to one file; :meth:`to_dict` is the ``--json`` report and what the page shows."""

    file_name: str
    sha256: str
    size: int
    status: str = "rejected"  # loaded | partial | rejected | duplicate | checked (dry run, no problem)
    batch_id: int | None = None
    duplicate_of: int | None = None
    rows_loaded_before: int = 0  # rows of this file that earlier batches loaded (left out of this one)
    loaded_first_by: int | None = None  # the first batch that loaded rows of this file
    rows_read: int = 0
    rows_loaded: int = 0
    values_loaded: int = 0
    values_changed: int = 0
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    header: list[str] = field(default_factory=list)
    form: str | None = None  # "long" | "wide" | "years" (an agency table: its period, "month" or "year")
    columns: dict[str, str] = field(default_factory=dict)
    level: str | None = None  # the level set for the whole file, None when each row's area says it
    levels: dict[str, int] = field(default_factory=dict)  # rows that load, by the level of their area
    measure: str | None = None  # years form: the measure of every value (None: the file's measure column)
    measure_from: str | None = None  # years form: "column" | "argument" | "sheet"
    source: str | None = None  # an agency's figures (loaded apart from the councils'); None for a council file
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    partial: bool = False
    dry_run: bool = False
    raw_path: str | None = None
    head: list[list[Any]] = field(default_factory=list, repr=False)  # with load_file(head=N): the first rows as
    # read (up to the header and N rows below it), for a preview; not part of to_dict
    # warnings (loaders.problems.WARNING_CODES): listed apart from the problems (errors), never rejecting anything
    warnings: list[Problem] = field(default_factory=list)
    warning_count: int = 0
    preview: Preview | None = field(default=None, repr=False)  # what the values meet in the store (loaders.preview)

    @property
    def ok(self) -> bool:
        """True when the file was loaded (whole or its valid rows), was already loaded, or passed a dry run."""
        return self.status in ("loaded", "partial", "duplicate", "checked")

    def message(self, lang: str) -> str:
        """What happened to the file, in ``lang`` (``load.*`` in :data:`indicators.words.TEXT`)."""
        if self.status == "duplicate":
            return t("load.duplicate", lang, sha=self.sha256[:12], batch=self.duplicate_of)
        before = (t("load.before", lang, rows=self.rows_loaded_before, batch=self.loaded_first_by)
                  if self.rows_loaded_before else "")
        n = t("load.n_problems", lang, n=self.problem_count)
        if self.status in ("loaded", "partial", "checked"):
            return t(f"load.{self.status}", lang, rows=self.rows_loaded, read=self.rows_read,
                     values=self.values_loaded, changed=self.values_changed, batch=self.batch_id, n=n, before=before)
        kept = t("load.kept", lang, batch=self.batch_id) if self.batch_id and not self.dry_run else ""
        return t("load.would_reject" if self.dry_run else "load.rejected", lang, n=n, kept=kept)

    @property
    def message_en(self) -> str:
        return self.message("en")

    @property
    def message_th(self) -> str:
        return self.message("th")

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "status": self.status, "batch_id": self.batch_id, "duplicate_of": self.duplicate_of,
            "rows_loaded_before": self.rows_loaded_before, "loaded_first_by": self.loaded_first_by,
            "file_name": self.file_name, "sha256": self.sha256, "size": self.size,
            "rows_read": self.rows_read, "rows_loaded": self.rows_loaded, "values_loaded": self.values_loaded,
            "values_changed": self.values_changed, "encoding": self.encoding,
            "delimiter": delimiter_name(self.delimiter), "sheet": self.sheet, "header_row": self.header_row,
            "header": self.header, "form": self.form, "columns": self.columns, "level": self.level,
            "levels": self.levels, "measure": self.measure, "measure_from": self.measure_from, "source": self.source,
            "dry_run": self.dry_run,
            "message_th": self.message_th, "message_en": self.message_en, "problem_count": self.problem_count,
            "partial": self.partial,
            "problems": [_problem_dict(p) for p in self.problems],
            "warning_count": self.warning_count,
            "warnings": [{**_problem_dict(p), "severity": p.severity} for p in self.warnings],
            "preview": self.preview.to_dict() if self.preview is not None else None,
        }

    def problems_frame(self) -> pd.DataFrame:
        """The problems as a table (row, column, column_number, value, code, message_th, message_en)."""
        cols = ["row", "column", "column_number", "value", "code", "message_th", "message_en"]
        return pd.DataFrame([{c: getattr(p, c) for c in cols} for p in self.problems], columns=cols)


def _problem_dict(p: Problem) -> dict[str, Any]:
    return {"row": p.row, "column": p.column, "column_number": p.column_number, "value": p.value, "code": p.code,
            "message_th": p.message_th, "message_en": p.message_en}


def archive(data: bytes, sha256: str, db: str | os.PathLike[str] | None = None) -> Path:
    """Keep the raw bytes under ``uploads/<sha256>`` beside the store (written once, atomically).

    A full disk raises :class:`loaders.store.StoreFull`, a read-only folder :class:`loaders.store.StoreReadOnly`;
    a partly written copy is removed.
    """
    folder = uploads_dir(db)
    path = folder / sha256
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except OSError as exc:
        fault = store_fault(exc, folder)
        if fault is None:
            raise
        raise fault from exc
    return path


@dataclass
class _Known:
    """What earlier batches (not undone) loaded from one file: the first of them, and the file rows they loaded by
    sheet (None: a batch from before rows were recorded, taken as the whole file)."""

    first: int | None = None
    rows: dict[str | None, set[int]] = field(default_factory=dict)
    whole: bool = False

    def done(self, sheet: str | None) -> set[int]:
        return self.rows.get(sheet, set())


def _loaded_before(con, sha256: str, source: str | None = None) -> _Known:
    """What council uploads loaded from the file; with ``source``, whether it was loaded as that agency's figures
    (taken as the whole file)."""
    if source is not None:
        rows = con.execute(
            f"""SELECT id FROM batches WHERE sha256 = ? AND kind = 'source' AND source = ?
                  AND status IN ({", ".join("?" for _ in LOADED_STATUSES)}) ORDER BY id""",
            [sha256, source, *LOADED_STATUSES]).fetchall()
        return _Known(first=int(rows[0][0]) if rows else None, whole=bool(rows))
    rows = con.execute(
        f"""SELECT id, sheet, loaded_rows FROM batches WHERE sha256 = ? AND kind = 'upload'
              AND status IN ({", ".join("?" for _ in LOADED_STATUSES)}) ORDER BY id""",
        [sha256, *LOADED_STATUSES],
    ).fetchall()
    known = _Known(first=int(rows[0][0]) if rows else None)
    for _, sheet, loaded in rows:
        if loaded is None:
            known.whole = True
        else:
            known.rows.setdefault(sheet, set()).update(int(r) for r in loaded)
    return known


def _left_out(frame: pd.DataFrame | None, done: set[int]) -> tuple[pd.DataFrame | None, int]:
    """``frame`` without the file rows already loaded, and how many of its rows those were."""
    if frame is None or not done:
        return frame, 0
    old = frame["row"].isin(done)
    return frame[~old], int(frame.loc[old, "row"].nunique())


def _areas(con) -> pd.DataFrame:
    return con.execute("SELECT code, level, parent_code, name_th, name_en FROM areas ORDER BY code").df()


@dataclass
class FileCheck:
    """What reading and checking one file found, before anything is written: plain, picklable data (it comes back
    from a worker process, :mod:`loaders.workers`).  ``refused``: why the file could not be read at all."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    checked: Checked | None = None
    refused: Problem | None = None
    head: list[list[Any]] = field(default_factory=list)


def check_file(data: bytes, file_name: str, areas: pd.DataFrame, registry: Registry, *, scope: set[str] | None,
               max_rows: int, sheet: str | None = None, delimiter: str | None = None, header_row: int | None = None,
               level: str | None = None, measure: str | None = None, head: int = 0) -> FileCheck:
    """Read and check one file (:func:`~loaders.council_files.read_table`, then
    :func:`~loaders.council_files.check_table` against ``areas``): the CPU-heavy part of :func:`load_file`, which
    touches neither the store nor the environment, so that it can run in a worker process.  ``head``: keep the
    table's rows up to the header and ``head`` rows below it."""
    try:
        table: Table = read_table(data, file_name, sheet=sheet, delimiter=delimiter, max_rows=max_rows)
    except FileRefused as exc:
        return FileCheck(refused=exc.problem)
    checked = check_table(table, registry, AreaIndex(areas), scope=scope, header_row=header_row, level=level,
                          measure=measure)
    rows = table.rows[:max(1, checked.header_row) + head] if head else []
    return FileCheck(table.encoding, table.delimiter, table.sheet, checked, head=rows)


Checker = Callable[..., FileCheck]  # check_file, or the same run elsewhere (loaders.workers.check_file)


def load_file(
    data: bytes,
    file_name: str,
    *,
    db: str | os.PathLike[str] | None = None,
    user: str | None = None,
    scope: set[str] | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    sheet: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    registry: Registry | None = None,
    via: str | None = None,
    level: str | None = None,
    measure: str | None = None,
    source: str | None = None,
    checker: Checker | None = None,
    head: int = 0,
) -> LoadReport:
    """Check and load one council file (CSV or ``.xlsx``) into the store; see the module docstring.

    ``scope``: the area codes the uploader may write (districts or subdistricts; a district grants its
    subdistricts); None means everywhere.  Rows outside it are ``outside-scope`` problems.
    ``dry_run``: check only; nothing is archived or written.
    ``delimiter`` and ``header_row`` override what is detected (the report says what was used).
    ``via``: how the file came (None for the app, ``"command line"``), recorded with the batch.
    ``level``: the level of the file's bare area names (province, district, subdistrict); None: the headers, a
    ``level`` column or the names' prefixes say it.  Figures are stored at their area's level.
    ``measure``: the measure (id or name) of a table with years as columns that names none itself.
    ``source``: load the values as that agency's figures (see the module docstring); the caller checks the role.
    ``checker``: what reads and checks the file (default :func:`check_file`, in this process;
    :func:`loaders.workers.check_file` runs it in a worker process, bounded in time and memory).  Whatever runs
    it, the scope, the areas and the limits are this function's, and the write stays here.
    ``head``: keep the file's first rows in the report (:attr:`LoadReport.head`), for a preview.
    """
    if source is not None and source not in AGENCIES:
        raise InputRejected(f"ไม่รู้จักแหล่งข้อมูล {source!r} (มี: {', '.join(AGENCIES)}) / unknown source {source!r}: "
                            f"one of {', '.join(AGENCIES)}")
    sha = hashlib.sha256(data).hexdigest()
    file_name = display_name(file_name)
    report = LoadReport(file_name=file_name, sha256=sha, size=len(data), dry_run=dry_run, source=source)
    registry = registry or load_registry()
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    problems = Problems()

    with reader(db) as con:
        areas = _areas(con)
        known = _loaded_before(con, sha, source)

    too_large = len(data) > limit
    if not too_large and not dry_run:
        report.raw_path = str(archive(data, sha, db))
    if known.whole:
        report.duplicate_of, report.status = known.first, "duplicate"
        return report

    checked: Checked | None = None
    if too_large:
        problems.add(problem("file-too-large", size=_mb(len(data)), limit=_mb(limit)))
    else:
        found = (checker or check_file)(data, file_name, areas, registry, scope=scope, sheet=sheet,
                                         delimiter=delimiter, header_row=header_row, level=level, measure=measure,
                                         max_rows=max_upload_rows() if max_rows is None else max_rows, head=head)
        report.head = found.head
        if found.refused is not None:
            problems.add(found.refused)
        else:
            report.encoding, report.delimiter, report.sheet = found.encoding, found.delimiter, found.sheet
            checked = found.checked
            problems = checked.problems
            report.rows_read, report.header_row, report.header = checked.rows_read, checked.header_row, \
                checked.header
            report.form, report.columns = checked.form, checked.columns
            report.level = checked.level
            report.measure, report.measure_from = checked.measure, checked.measure_from

    frame = checked.frame if checked is not None else None
    if source is not None and frame is not None and (frame["flag"].notna().any() or frame["note"].notna().any()):
        problems.add(file_problem(
            "file-format", "ข้อมูลของหน่วยงานเก็บเครื่องหมาย (E, P) และหมายเหตุไม่ได้: ลบคอลัมน์เหล่านั้นออก หรือนำเข้าเป็นข้อมูลของสภาฯ",
            "an agency's figures cannot keep flags (E, P) or notes: remove those columns, or load the file as "
            "council figures"))
    frame, report.rows_loaded_before = _left_out(frame, known.done(report.sheet))
    if report.rows_loaded_before and not len(frame):  # every row this scope may load was loaded before
        report.duplicate_of, report.status = known.first, "duplicate"
        return report
    report.loaded_first_by = known.first if report.rows_loaded_before else None
    has_values = frame is not None and len(frame) > 0
    if not problems and not has_values and not problems.fatal:
        problems.add(problem("no-values"))
    if problems.fatal or not has_values or (problems and not skip_invalid):
        status = "rejected"
    elif problems:
        status = "partial"
    else:
        status = "loaded"
    report.problems, report.problem_count, report.partial = problems.sorted(), problems.total, problems.partial
    if status != "rejected":
        report.values_loaded = len(frame)
        report.rows_loaded = int(frame["row"].nunique())
        report.levels = _levels(frame, areas)
    if has_values:  # what the values meet in the store, and the warnings that follow (read here: the check has no
        # store); for a rejected file too, so that a warning can be seen to before sending the file again
        with reader(db) as con:
            report.preview, report.warnings, report.warning_count = preview(
                con, frame, areas, registry, source=source, written=checked.written if checked else None)
    if dry_run:
        report.status = "checked" if status in LOADED_STATUSES else "rejected"
        return report

    with writer(db) as con:
        again = _loaded_before(con, sha, source)  # another session may have loaded rows of the same file meanwhile
        if status in LOADED_STATUSES and (again.whole or again.done(report.sheet) - known.done(report.sheet)):
            frame, more = _left_out(frame, again.done(report.sheet))
            if again.whole or not len(frame):
                report.duplicate_of, report.status = again.first, "duplicate"
                report.rows_loaded = report.values_loaded = 0
                return report
            report.rows_loaded_before += more
            report.loaded_first_by = again.first
            report.values_loaded, report.rows_loaded = len(frame), int(frame["row"].nunique())
        batch = create_batch(con, kind="upload" if source is None else "source", source=source or "council",
                             status="loading", file_name=file_name, sha256=sha, uploaded_by=user,
                             rows_read=report.rows_read, raw_path=report.raw_path, encoding=report.encoding, via=via)
        changed = 0
        if status in LOADED_STATUSES and source is None:
            changed = write_observations(con, frame.drop(columns="row"), batch)
        elif status in LOADED_STATUSES:
            changed = write_official(con, frame.assign(month=0), source, batch)
        finish_batch(con, batch, status=status, rows_loaded=report.rows_loaded if status != "rejected" else 0,
                     values_changed=changed)
        loaded_rows = sorted(int(r) for r in frame["row"].unique()) if status in LOADED_STATUSES else None
        con.execute("UPDATE batches SET delimiter = ?, problem_count = ?, sheet = ?, loaded_rows = ? WHERE id = ?",
                    [delimiter_name(report.delimiter), problems.total, report.sheet, loaded_rows, batch])
        _store_problems(con, batch, report.problems)
    report.batch_id, report.status, report.values_changed = batch, status, changed
    return report


def _levels(frame: pd.DataFrame, areas: pd.DataFrame) -> dict[str, int]:
    """Rows of ``frame`` by the level of their area."""
    level = frame["area_code"].map(dict(zip(areas["code"], areas["level"], strict=True)))
    return {str(k): int(v) for k, v in frame.assign(level=level).groupby("level")["row"].nunique().items()}


def _store_problems(con, batch: int, problems: list[Problem]) -> None:
    if not problems:
        return
    frame = pd.DataFrame({
        "batch_id": pd.array([batch] * len(problems), dtype="int32"),
        "row_number": pd.array([p.row for p in problems], dtype="Int32"),
        "column_name": pd.array([p.column for p in problems], dtype="string"),
        "column_number": pd.array([p.column_number for p in problems], dtype="Int32"),
        "value": pd.array([p.value for p in problems], dtype="string"),
        "code": pd.array([p.code for p in problems], dtype="string"),
        "message_th": pd.array([p.message_th for p in problems], dtype="string"),
        "message_en": pd.array([p.message_en for p in problems], dtype="string"),
    })
    con.register("new_problems", frame)
    try:
        con.execute("""INSERT INTO batch_problems (batch_id, row_number, column_name, column_number, value, code,
                                                   message_th, message_en)
                       SELECT batch_id, row_number, column_name, column_number, value, code, message_th, message_en
                       FROM new_problems""")
    finally:
        con.unregister("new_problems")


def _mb(n: int) -> str:
    return fmt_mb(n)

"""What loading a checked file would do, read from the store before anything is written (issue 18).

The check (:func:`loaders.uploads.check_file`, in a worker process without the store) gives the values that would
load; :func:`preview` then reads the store, in the caller's process, for what they meet there: the value each one
would replace (same area, measure and year), the area's own series for the ``implausible-change`` warning
(:mod:`loaders.plausibility`), and the areas' names.  It is bounded for big files: the first :data:`PREVIEW_VALUES`
values are kept as rows to show, the first :data:`LISTED_REPLACEMENTS` replacements and :data:`MAX_LISTED`
warnings are listed, and everything is counted.

A council file meets the councils' ``observations``; an agency's figures (``source``) meet that agency's figures
for whole years (``official_observations``, month 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from indicators.registry import BE_OFFSET, Registry
from indicators.words import t
from loaders.area_names import AreaIndex
from loaders.numbers import fmt_number
from loaders.plausibility import change_text, flag_frame
from loaders.problems import MAX_LISTED, Problem, problem

PREVIEW_VALUES = 50
LISTED_REPLACEMENTS = 200
ROW_COLUMNS = ["row", "area_written", "area_code", "level", "name_th", "name_en", "parent_th", "parent_en",
               "measure_id", "year", "value_written", "value", "old", "implausible"]
REPLACEMENT_COLUMNS = ["row", "area_code", "level", "name_th", "name_en", "parent_th", "parent_en", "measure_id",
                       "year", "old", "value", "old_batch", "implausible"]


@dataclass
class Preview:
    """What the values of a checked file meet in the store (plain, picklable frames; years in CE).

    ``rows``: the first :data:`PREVIEW_VALUES` values (:data:`ROW_COLUMNS`: the file row, the area as written and
    as matched, the measure, the year, the value as written and as read, the value stored now or NaN, whether it
    gets an ``implausible-change`` warning); ``replacements``: the first :data:`LISTED_REPLACEMENTS` values that
    would replace a different stored value (:data:`REPLACEMENT_COLUMNS`; ``old_batch``: the batch that wrote the old
    value).
    """

    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ROW_COLUMNS))
    values: int = 0  # values that would load
    new: int = 0  # of them, for a cell with nothing stored
    replaced: int = 0  # replacing a different stored value
    same: int = 0  # equal to what is stored (nothing changes)
    replacements: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REPLACEMENT_COLUMNS))

    def to_dict(self) -> dict:
        """The counts and the listed replacements (years in BE) for a ``--json`` report."""
        listed = [{"row": int(r.row), "area_code": r.area_code, "measure_id": r.measure_id,
                   "year_be": int(r.year) + BE_OFFSET, "old": float(r.old), "new": float(r.value),
                   "old_batch": None if pd.isna(r.old_batch) else int(r.old_batch),
                   "implausible": bool(r.implausible)}
                  for r in self.replacements.itertuples()]
        return {"values": self.values, "new": self.new, "replaced": self.replaced, "same": self.same,
                "replacements": listed}


_STORED = {
    None: ("SELECT area_code, measure_id, year, value, batch_id FROM observations", []),
    "source": ("SELECT area_code, measure_id, year, value, batch_id FROM official_observations "
               "WHERE source = ? AND month = 0", None),
}


def _reference(con, keys: pd.DataFrame, source: str | None) -> pd.DataFrame:
    """For each (area_code, measure_id, year) of ``keys``: the stored value of the same cell (``old``, with
    ``old_batch``) and the reference of :mod:`loaders.plausibility` (``reference``, ``ref_year``)."""
    sql, params = _STORED[None] if source is None else (_STORED["source"][0], [source])
    con.register("preview_keys", keys[["area_code", "measure_id", "year"]])
    try:
        return con.execute(
            f"""WITH stored AS ({sql}),
                     near AS (
                         SELECT k.area_code, k.measure_id, k.year, s.year AS ref_year, s.value AS reference,
                                CASE WHEN s.year = k.year THEN s.value END AS old,
                                CASE WHEN s.year = k.year THEN s.batch_id END AS old_batch
                         FROM preview_keys k JOIN stored s USING (area_code, measure_id)
                         QUALIFY row_number() OVER (PARTITION BY k.area_code, k.measure_id, k.year
                                                    ORDER BY abs(s.year - k.year), s.year) = 1)
                SELECT * FROM near""", params).df()
    finally:
        con.unregister("preview_keys")


def preview(con, frame: pd.DataFrame, areas: pd.DataFrame, registry: Registry, *, source: str | None = None,
            written: pd.DataFrame | None = None) -> tuple[Preview, list[Problem], int]:
    """What ``frame`` (the values that would load: area_code, measure_id, year CE, value, row) meets in the store
    read through ``con``; the listed ``implausible-change`` warnings and how many there are in all.

    ``areas``: code, level, parent_code, name_th, name_en.  ``written``: the cells as written (row, measure_id,
    year, area_written, value_written) for the first values, from the check.
    """
    out = Preview()
    if frame is None or not len(frame):
        return out, [], 0
    cells = frame[["area_code", "measure_id", "year", "value", "row"]].reset_index(drop=True)
    ref = _reference(con, cells, source)
    cells = cells.merge(ref, on=["area_code", "measure_id", "year"], how="left")
    cells["year"] = cells["year"].astype("int64")
    stored = cells["old"].notna()
    same = stored & (cells["old"] == cells["value"])
    out.values, out.same = len(cells), int(same.sum())
    out.replaced = int((stored & ~same).sum())
    out.new = out.values - out.same - out.replaced
    cells["implausible"] = flag_frame(cells, registry).to_numpy()

    names = _names(areas)
    head = cells.head(PREVIEW_VALUES)
    if written is not None and len(written):
        head = head.merge(written, on=["row", "measure_id", "year"], how="left")
    else:
        head = head.assign(area_written=None, value_written=None)
    out.rows = head.merge(names, on="area_code", how="left")[ROW_COLUMNS].reset_index(drop=True)
    replacing = cells[stored & ~same].head(LISTED_REPLACEMENTS)
    out.replacements = replacing.merge(names, on="area_code", how="left")[REPLACEMENT_COLUMNS].reset_index(drop=True)

    flagged = cells[cells["implausible"]]
    index = AreaIndex(areas, aliases=())  # for labels only
    warnings = [_warning(r, index, registry) for r in flagged.head(MAX_LISTED).itertuples()]
    return out, warnings, len(flagged)


def _names(areas: pd.DataFrame) -> pd.DataFrame:
    """area_code, level, name_th, name_en and the parent's names, for labels."""
    a = areas[["code", "level", "parent_code", "name_th", "name_en"]]
    parent = a[["code", "name_th", "name_en"]].rename(
        columns={"code": "parent_code", "name_th": "parent_th", "name_en": "parent_en"})
    return (a.merge(parent, on="parent_code", how="left").drop(columns="parent_code")
            .rename(columns={"code": "area_code"}))


def _warning(r, index: AreaIndex, registry: Registry) -> Problem:
    m = registry.measures[r.measure_id]
    ref_year = int(r.ref_year) + BE_OFFSET
    ref = "preview.ref_same" if int(r.ref_year) == int(r.year) else "preview.ref_year"
    return problem(
        "implausible-change", row=int(r.row), value=fmt_number(r.value),
        measure_th=m.name.th, measure_en=m.name.en, area_th=index.label(r.area_code, "th", with_code=False),
        area_en=index.label(r.area_code, "en", with_code=False), year=int(r.year) + BE_OFFSET,
        old=fmt_number(r.reference), new=fmt_number(r.value), change=change_text(float(r.reference), float(r.value)),
        ref_th=t(ref, "th", year=ref_year), ref_en=t(ref, "en", year=ref_year))

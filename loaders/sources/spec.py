"""What an agency table looks like: its columns and their measures (declarations only; the checks and the load are
in :mod:`loaders.sources`, each table's spec in its own module)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ValueColumn:
    """A column of values of one measure; ``scale`` converts the published unit to the registry's."""

    headers: tuple[str, ...]
    measure: str
    scale: float = 1.0


@dataclass(frozen=True)
class TotalColumn:
    """A published total that is not stored (the registry computes it) but must equal the sum of its parts."""

    headers: tuple[str, ...]
    parts: tuple[str, ...]  # measure ids
    what_th: str
    what_en: str


@dataclass(frozen=True)
class LongLayout:
    """The long form of a table: one row per area, period and variable, the variable named in one column and its
    value in another.  Variable names are the wide form's headers (:attr:`ValueColumn.headers`,
    :attr:`TotalColumn.headers`); other columns (region names …) are read and ignored."""

    variable_headers: tuple[str, ...]
    value_headers: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """What an agency table looks like."""

    name: str  # the command-line name, e.g. "mots-tourism"
    source: str  # observations' source, e.g. "ministry"
    title_th: str
    title_en: str
    period: str  # "month" (a date or YYYY-MM column) or "year"
    period_headers: tuple[str, ...]
    area_headers: tuple[str, ...]
    area_level: str  # the level of the codes in the area column ("province", "district", "subdistrict")
    values: tuple[ValueColumn, ...]
    totals: tuple[TotalColumn, ...] = ()
    ignored_headers: tuple[str, ...] = ()  # names, labels: read, not stored
    area_code: Callable[[str], str] = str.strip  # turns the cell into a DOPA code
    # Area names, used when no column of codes is present: the first non-blank of these columns (in this order)
    # names the area; another that names a different area is a problem.  ``area_by_name`` gives the DOPA code of a
    # name (or None when it names no area at ``area_level``).
    area_name_headers: tuple[str, ...] = ()
    area_by_name: Callable[[str], str | None] | None = None
    area_name_th: str = "ชื่อพื้นที่"
    area_name_en: str = "area name"
    long: LongLayout | None = None  # the long form, when the table is also published so

    def period_text(self) -> str:
        return ", ".join(self.period_headers[:3])

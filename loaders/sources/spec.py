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

    def period_text(self) -> str:
        return ", ".join(self.period_headers[:3])

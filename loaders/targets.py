"""Administrators' overrides of the registry's targets (the ``targets`` table), with who set them and when.

A row with ``area_code = ''`` applies to every area; a row for one area beats it for that area
(see :mod:`indicators.engine.progress`). Years are given in BE, as users write them, and stored in CE.
"""

from __future__ import annotations

import math
import os

import pandas as pd

from indicators.registry import BE_OFFSET, load_registry
from loaders.errors import InputRejected
from loaders.store import reader, writer

ALL_AREAS = ""


def _check(con, indicator_id: str, area_code: str) -> None:
    if indicator_id not in load_registry().indicators:
        raise InputRejected(f"ไม่รู้จักตัวชี้วัด / unknown indicator {indicator_id!r}")
    if area_code and not con.execute("SELECT 1 FROM areas WHERE code = ?", [area_code]).fetchall():
        raise InputRejected(f"ไม่รู้จักรหัสพื้นที่ / unknown area code {area_code!r}")


def set_target(
    indicator_id: str,
    target: float,
    target_year_be: int,
    user: str,
    area_code: str | None = None,
    db: str | os.PathLike[str] | None = None,
) -> dict:
    """Set (or replace) the target of an indicator for every area (``area_code`` None) or for one area.

    Raises :class:`InputRejected` (nothing written) for an unknown indicator or area, a target that is not a finite
    number, a year outside 2540–2600 BE, or no user. Returns the stored row.
    """
    area = (area_code or ALL_AREAS).strip()
    try:
        value = float(target)
    except (TypeError, ValueError):
        raise InputRejected(f"เป้าหมายต้องเป็นตัวเลข / the target must be a number, not {target!r}") from None
    if not math.isfinite(value):
        raise InputRejected(f"เป้าหมายต้องเป็นตัวเลข / the target must be a finite number, not {target!r}")
    if not isinstance(target_year_be, int) or not 2540 <= target_year_be <= 2600:
        raise InputRejected(f"ปีเป้าหมายต้องอยู่ระหว่าง 2540–2600 (พ.ศ.) / the target year must be 2540–2600 BE, "
                            f"not {target_year_be!r}")
    if not user or not str(user).strip():
        raise InputRejected("ต้องระบุผู้ตั้งเป้าหมาย / who sets the target must be recorded")
    with writer(db) as con:
        _check(con, indicator_id, area)
        con.execute(
            """INSERT INTO targets (indicator_id, area_code, target, target_year, set_by, set_at)
               VALUES (?, ?, ?, ?, ?, current_timestamp)
               ON CONFLICT (indicator_id, area_code) DO UPDATE SET target = excluded.target,
                   target_year = excluded.target_year, set_by = excluded.set_by, set_at = excluded.set_at""",
            [indicator_id, area, value, target_year_be - BE_OFFSET, str(user).strip()],
        )
    return {"indicator_id": indicator_id, "area_code": area, "target": value, "target_year_be": target_year_be,
            "set_by": str(user).strip()}


def clear_target(indicator_id: str, area_code: str | None = None, db: str | os.PathLike[str] | None = None) -> bool:
    """Remove an override (the registry's target applies again); True when a row was removed."""
    area = (area_code or ALL_AREAS).strip()
    with writer(db) as con:
        _check(con, indicator_id, area)
        n = con.execute(
            "DELETE FROM targets WHERE indicator_id = ? AND area_code = ? RETURNING 1", [indicator_id, area]
        ).fetchall()
    return bool(n)


def list_targets(db: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Every override: indicator_id, area_code ('' = all areas), target, target_year (CE), set_by, set_at."""
    with reader(db) as con:
        return con.execute(
            "SELECT indicator_id, area_code, target, target_year, set_by, set_at FROM targets"
            " ORDER BY indicator_id, area_code"
        ).df()

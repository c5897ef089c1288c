"""Writing small fixtures into a test store through the one writer path."""

from __future__ import annotations

import pandas as pd

from loaders.observations import create_batch, write_observations
from loaders.store import writer


def put(db, rows: list[tuple[str, str, int, float]]) -> None:
    """Write (area_code, measure_id, year CE, value) rows as one batch."""
    frame = pd.DataFrame(rows, columns=["area_code", "measure_id", "year", "value"])
    with writer(db) as con:
        batch = create_batch(con, kind="test", status="loaded", uploaded_by="test")
        write_observations(con, frame, batch)

"""Writing small fixtures into a test store through the one writer path."""

from __future__ import annotations

import pandas as pd

from loaders.observations import create_batch, write_observations
from loaders.store import reader, writer


def put(db, rows: list[tuple[str, str, int, float]]) -> None:
    """Write (area_code, measure_id, year CE, value) rows as one batch."""
    frame = pd.DataFrame(rows, columns=["area_code", "measure_id", "year", "value"])
    with writer(db) as con:
        batch = create_batch(con, kind="test", status="loaded", uploaded_by="test")
        write_observations(con, frame, batch)


def query_df(sql: str, params: list | tuple | None = None, path=None) -> pd.DataFrame:
    """One read query as a DataFrame."""
    with reader(path) as con:
        return con.execute(sql, params or []).df()


def warm_up() -> None:
    """Start the exporter's Chromium before a timed or browser-heavy test."""
    import plotly.graph_objects as go

    from indicators.present.exports import figure_bytes

    figure_bytes(go.Figure(layout={"width": 100, "height": 100}), "png", scale=1)

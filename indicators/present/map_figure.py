"""Choropleth maps that need no internet: polygons drawn as filled plotly scatter traces on plain axes.

Plotly's geo traces (``go.Choropleth``, ``go.Scattergeo``) fetch a world topojson from a CDN even when the base
map is hidden; offline, the browser draws nothing and static export fails.  Filled scatter traces need nothing
from outside, export through kaleido, and keep the map well under 500 KB once shapes are simplified with a
topology-preserving coverage simplification (shared edges stay shared).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from plotly.colors import sample_colorscale

NO_DATA_COLOUR = "#d9d9d9"
FONT = "Noto Sans Thai, Noto Sans, sans-serif"


def simplify_shapes(shapes: gpd.GeoDataFrame, tolerance: float = 0.002) -> gpd.GeoDataFrame:
    """A copy with lighter geometry (``tolerance`` in degrees; 0.002° ≈ 200 m); neighbours stay edge to edge."""
    out = shapes.copy()
    geoms = shapely.make_valid(out.geometry.to_numpy())
    try:
        simple = shapely.coverage_simplify(geoms, tolerance)
    except Exception:  # noqa: BLE001 - not a clean coverage (overlaps): simplify each shape alone
        simple = shapely.simplify(geoms, tolerance, preserve_topology=True)
    out["geometry"] = simple
    return out


def _rings(geom) -> tuple[list[float | None], list[float | None]]:
    """Exterior rings of a (multi)polygon as x/y lists separated by None."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        coords = np.round(np.asarray(poly.exterior.coords), 4)
        xs.extend(coords[:, 0].tolist() + [None])
        ys.extend(coords[:, 1].tolist() + [None])
    return xs, ys


def polygon_map(
    shapes: gpd.GeoDataFrame,
    values: Mapping[str, float] | pd.Series,
    hover: Mapping[str, str],
    *,
    title: str = "",
    colour_title: str = "",
    colorscale: str = "Viridis",
    reverse: bool = False,
    no_data_label: str = "no data",
    note: str | None = None,
    height: int = 720,
) -> go.Figure:
    """A choropleth of ``shapes`` (column ``code``) coloured by ``values`` (code → number; NaN = no data).

    ``hover`` gives each code's hover text; ``reverse`` flips the scale (for "lower is better" indicators).
    """
    vals = pd.Series(values, dtype="float64")
    finite = vals[np.isfinite(vals)]
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    span = hi - lo or 1.0
    scale = colorscale + ("_r" if reverse else "")
    fig = go.Figure()
    for code, geom in zip(shapes["code"], shapes.geometry, strict=True):
        v = vals.get(code, math.nan)
        has = v is not None and np.isfinite(v)
        colour = sample_colorscale(scale, [(v - lo) / span])[0] if has else NO_DATA_COLOUR
        xs, ys = _rings(geom)
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", fill="toself", fillcolor=colour,
            line={"color": "white", "width": 0.8}, name=str(code), showlegend=False,
            hoverinfo="text", hoveron="fills", text=hover.get(code, str(code)) if has else
            f"{hover.get(code, code)}<br>{no_data_label}",
        ))
    # the colour bar: one invisible marker trace carrying the scale
    fig.add_trace(go.Scatter(
        x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
        marker={"colorscale": scale, "cmin": lo, "cmax": hi, "color": [lo], "showscale": bool(len(finite)),
                "colorbar": {"title": {"text": colour_title}, "thickness": 14}},
    ))
    if (~np.isfinite(vals.reindex(shapes["code"]).to_numpy(dtype="float64"))).any():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=no_data_label, hoverinfo="skip",
                                 marker={"size": 12, "color": NO_DATA_COLOUR, "symbol": "square"}))
    minx, miny, maxx, maxy = shapes.total_bounds if len(shapes) else (0, 0, 1, 1)
    mid_lat = (miny + maxy) / 2
    fig.update_xaxes(visible=False, range=[minx - 0.01, maxx + 0.01])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mid_lat)))
    annotations = []
    if note:
        annotations.append({"text": note, "xref": "paper", "yref": "paper", "x": 0, "y": -0.02,
                            "showarrow": False, "xanchor": "left", "yanchor": "top", "font": {"size": 12}})
    fig.update_layout(
        title={"text": title}, height=height, margin={"l": 10, "r": 10, "t": 60 if title else 10, "b": 40},
        plot_bgcolor="white", paper_bgcolor="white", font={"family": FONT}, annotations=annotations,
        legend={"orientation": "h", "y": 1.0, "x": 1, "xanchor": "right"}, hovermode="closest",
    )
    return fig

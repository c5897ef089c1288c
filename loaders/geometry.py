"""Storing area shapes: WKB in ``areas.geometry``, area in km², and where the shapes came from."""

from __future__ import annotations

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

AREA_CRS = "EPSG:32647"  # UTM zone 47N covers Phatthalung; metres, for areas


def store_geometries(con: duckdb.DuckDBPyConnection, shapes: gpd.GeoDataFrame, source: str) -> int:
    """Set geometry (EPSG:4326 WKB), ``area_km2`` and ``geometry_source`` for areas in ``shapes`` (column ``code``).

    Call inside :func:`loaders.store.writer`.  Returns the number of areas updated.
    """
    shapes = shapes.to_crs("EPSG:4326") if shapes.crs is not None else shapes.set_crs("EPSG:4326")
    km2 = shapes.geometry.to_crs(AREA_CRS).area / 1e6
    frame = pd.DataFrame(
        {
            "code": shapes["code"].astype(str).to_numpy(),
            "geometry": shapely.to_wkb(shapes.geometry.to_numpy()),
            "area_km2": km2.to_numpy(),
        }
    )
    con.register("new_shapes", frame)
    try:
        con.execute(
            """UPDATE areas SET geometry = s.geometry, area_km2 = s.area_km2, geometry_source = ?
               FROM new_shapes s WHERE areas.code = s.code""",
            [source],
        )
        n = con.execute(
            "SELECT count(*) FROM areas JOIN new_shapes USING (code)"
        ).fetchall()[0][0]
    finally:
        con.unregister("new_shapes")
    return int(n)


def read_shapes(con: duckdb.DuckDBPyConnection, level: str) -> gpd.GeoDataFrame:
    """Areas of one level that have a shape, as a GeoDataFrame in EPSG:4326."""
    df = con.execute(
        """SELECT code, parent_code, name_th, name_en, area_km2, geometry_source, geometry
           FROM areas WHERE level = ? AND geometry IS NOT NULL ORDER BY code""",
        [level],
    ).df()
    geoms = shapely.from_wkb(df.pop("geometry").map(bytes).to_numpy()) if len(df) else []
    return gpd.GeoDataFrame(df, geometry=list(geoms), crs="EPSG:4326")

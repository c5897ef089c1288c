"""Schematic demo shapes the project makes itself: not real boundaries.

A seeded outline inside Phatthalung's bounding box is cut into one Voronoi cell per district, and each district
cell into one cell per subdistrict, so subdistricts nest exactly in their districts.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, Point, Polygon

SCHEMATIC = "schematic demo shapes"
BBOX = (99.78, 7.10, 100.42, 7.92)  # lon/lat box around Phatthalung
# Rough positions of the district offices (lon, lat), enough to lay the cells out in a familiar order.
DISTRICT_SEEDS = {
    "9301": (100.08, 7.62), "9302": (99.93, 7.52), "9303": (100.03, 7.45), "9304": (100.05, 7.33),
    "9305": (100.02, 7.74), "9306": (100.19, 7.73), "9307": (99.88, 7.38), "9308": (99.96, 7.25),
    "9309": (99.92, 7.65), "9310": (100.18, 7.58), "9311": (100.10, 7.86),
}


def _outline(rng: np.random.Generator) -> Polygon:
    """A smooth, irregular province outline inside :data:`BBOX`."""
    cx, cy = (BBOX[0] + BBOX[2]) / 2, (BBOX[1] + BBOX[3]) / 2
    rx, ry = (BBOX[2] - BBOX[0]) / 2, (BBOX[3] - BBOX[1]) / 2
    angles = np.linspace(0, 2 * np.pi, 90, endpoint=False)
    phase = rng.uniform(0, 2 * np.pi, 3)
    r = 0.86 + 0.06 * np.sin(3 * angles + phase[0]) + 0.04 * np.sin(5 * angles + phase[1])
    r += 0.03 * np.sin(7 * angles + phase[2])
    return Polygon(np.c_[cx + rx * r * np.cos(angles), cy + ry * r * np.sin(angles)]).buffer(0)


def _cells(seeds: list[tuple[float, float]], clip: Polygon) -> list[Polygon]:
    """Voronoi cells of ``seeds`` clipped to ``clip``, in seed order."""
    if len(seeds) == 1:
        return [clip]
    regions = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=clip.envelope.buffer(1))
    cells = []
    for x, y in seeds:
        region = next(g for g in regions.geoms if g.contains(Point(x, y)))
        cells.append(region.intersection(clip))
    return cells


def _points_inside(poly: Polygon, n: int, rng: np.random.Generator) -> list[tuple[float, float]]:
    """``n`` spread points inside ``poly`` (best of several random candidates by distance to the chosen)."""
    minx, miny, maxx, maxy = poly.bounds
    chosen: list[tuple[float, float]] = []
    while len(chosen) < n:
        cands = []
        while len(cands) < 12:
            p = (rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if poly.buffer(-0.005).contains(Point(p)):
                cands.append(p)
        if not chosen:
            chosen.append(cands[0])
            continue
        dists = [min(np.hypot(c[0] - q[0], c[1] - q[1]) for q in chosen) for c in cands]
        chosen.append(cands[int(np.argmax(dists))])
    return chosen


def schematic_shapes(areas: pd.DataFrame, seed: int = 2568) -> gpd.GeoDataFrame:
    """One schematic polygon per area in ``areas`` (province 93, its districts and subdistricts), EPSG:4326."""
    rng = np.random.default_rng(seed)
    outline = _outline(rng)
    districts = areas[areas.level == "district"].sort_values("code")
    seeds = [DISTRICT_SEEDS.get(c, (rng.uniform(*BBOX[0::2]), rng.uniform(*BBOX[1::2]))) for c in districts.code]
    geoms: dict[str, Polygon] = {}
    for code, cell in zip(districts.code, _cells(seeds, outline), strict=True):
        subs = areas[(areas.level == "subdistrict") & (areas.parent_code == code)].sort_values("code")
        sub_cells = _cells(_points_inside(cell, len(subs), rng), cell)
        for sub_code, sub_cell in zip(subs.code, sub_cells, strict=True):
            geoms[sub_code] = sub_cell
        geoms[code] = shapely.union_all(sub_cells)
    for code in areas.loc[areas.level == "province", "code"]:
        geoms[code] = outline
    frame = areas[areas.code.isin(geoms)][["code"]].copy()
    return gpd.GeoDataFrame(frame, geometry=[geoms[c] for c in frame.code], crs="EPSG:4326")

"""Offline maps: filled polygons on plain axes, no geo trace (which would fetch a topojson from the web)."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import shapely
from shapely.geometry import box

from indicators.present.map_figure import NO_DATA_COLOUR, polygon_map, simplify_shapes


def _grid() -> gpd.GeoDataFrame:
    cells = [box(100 + i * 0.1, 7.5, 100.1 + i * 0.1, 7.6) for i in range(3)]
    return gpd.GeoDataFrame({"code": ["930101", "930103", "930104"]}, geometry=cells, crs="EPSG:4326")


def test_colours_no_data_and_hover():
    fig = polygon_map(_grid(), {"930101": 0.0, "930103": 10.0}, {"930101": "A", "930103": "B", "930104": "C"},
                      no_data_label="ไม่มีข้อมูล")
    areas = [t for t in fig.data if t.fill == "toself"]
    assert [t.name for t in areas] == ["930101", "930103", "930104"]
    assert areas[0].fillcolor == "rgb(68, 1, 84)" and areas[1].fillcolor == "rgb(253, 231, 37)"  # viridis ends
    assert areas[2].fillcolor == NO_DATA_COLOUR and "ไม่มีข้อมูล" in areas[2].text
    assert any(t.name == "ไม่มีข้อมูล" for t in fig.data)  # legend entry for no data
    doc = json.loads(fig.to_json())
    assert not any(t["type"] in {"choropleth", "scattergeo", "choroplethmap", "choroplethmapbox"} for t in doc["data"])
    assert "geo" not in doc["layout"]


def test_reverse_scale_for_lower_is_better():
    fig = polygon_map(_grid(), {"930101": 0.0, "930103": 10.0}, {}, reverse=True)
    assert fig.data[0].fillcolor == "rgb(253, 231, 37)"


def test_simplify_keeps_neighbours_and_shrinks():
    wiggly = [shapely.Polygon([(100 + 0.1 * i + 0.0005 * math.sin(k), 7.5 + k / 1000) for k in range(101)]
                              + [(100.1 + 0.1 * i, 7.6), (100.1 + 0.1 * i, 7.5)]) for i in range(2)]
    shapes = gpd.GeoDataFrame({"code": ["a", "b"]}, geometry=wiggly, crs="EPSG:4326")
    simple = simplify_shapes(shapes, 0.002)
    assert sum(shapely.get_num_coordinates(simple.geometry)) < sum(shapely.get_num_coordinates(shapes.geometry))
    assert simple.geometry.is_valid.all()

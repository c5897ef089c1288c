"""Vertex limits of boundary files (issue 19, item 7): a shape above the per-feature limit or a level above the
per-layer limit is refused with a plain message and nothing written; real files are far below."""

from __future__ import annotations

import json

import _apptest
import pytest
import shapely
from _apptest import app, ok, texts

from loaders.boundaries import MAX_VERTICES_FEATURE, MAX_VERTICES_LAYER, load_boundaries
from loaders.errors import InputRejected
from loaders.geometry import read_shapes
from loaders.store import reader

fast_hashing, store = _apptest.fast_hashing, _apptest.store


def _districts(db):
    with reader(db) as con:
        return read_shapes(con, "district")


def _file(path, shapes, dense: dict[int, int]):
    """The store's district shapes as GeoJSON, feature ``i`` densified to about ``dense[i]`` vertices."""
    features = []
    for i, (code, g) in enumerate(zip(shapes.code, shapes.geometry, strict=True)):
        if i in dense:
            g = shapely.segmentize(g, g.length / dense[i])
        features.append({"type": "Feature", "properties": {"amphoe_code": code},
                         "geometry": shapely.geometry.mapping(g)})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _sources(db) -> set:
    with reader(db) as con:
        return {r[0] for r in con.execute("SELECT geometry_source FROM areas WHERE level = 'district'").fetchall()}


def test_a_shape_above_the_feature_limit_is_refused(demo_db, tmp_path):
    before = _sources(demo_db)
    f = _file(tmp_path / "dense.geojson", _districts(demo_db), {2: MAX_VERTICES_FEATURE + 500})
    with pytest.raises(InputRejected) as exc:
        load_boundaries(f, "district", db=demo_db)
    assert "feature 3 has" in str(exc.value) and f"{MAX_VERTICES_FEATURE:,} per shape" in str(exc.value)
    assert exc.value.report["feature"] == 3 and exc.value.report["vertices"] > MAX_VERTICES_FEATURE
    assert _sources(demo_db) == before, "nothing written"


def test_a_level_above_the_layer_limit_is_refused(demo_db, tmp_path):
    per = MAX_VERTICES_LAYER // 4 + 1000  # each shape within the feature limit, together above the layer's
    assert per < MAX_VERTICES_FEATURE
    f = _file(tmp_path / "dense.geojson", _districts(demo_db), dict.fromkeys(range(4), per))
    with pytest.raises(InputRejected) as exc:
        load_boundaries(f, "district", db=demo_db)
    assert exc.value.report["vertices"] > MAX_VERTICES_LAYER and "vertices, above the limit" in str(exc.value)


def test_shapes_within_the_limits_load(demo_db, tmp_path):
    f = _file(tmp_path / "detailed.geojson", _districts(demo_db), {0: MAX_VERTICES_FEATURE // 2})
    report = load_boundaries(f, "district", db=demo_db)
    assert report["stored"] == 11 and _sources(demo_db) == {"detailed.geojson"}


def test_real_files_are_far_below_the_limits(real_dir):
    import geopandas as gpd

    for name in ("phatthalung_amphoe.geojson", "phatthalung_tambon.geojson"):
        counts = shapely.get_num_coordinates(gpd.read_file(real_dir / name).geometry.to_numpy())
        assert counts.max() * 5 < MAX_VERTICES_FEATURE and counts.sum() * 2 < MAX_VERTICES_LAYER


def test_the_admin_page_says_why(store, tmp_path):
    f = _file(tmp_path / "dense.geojson", _districts(store), {0: MAX_VERTICES_FEATURE + 500})
    at = app("boss", "app_pages/admin.py")
    at.file_uploader(key="bd_file").set_value(("dense.geojson", f.read_bytes(), "application/geo+json"))
    ok(at.run())
    ok(at.button(key="bd_load").click().run())
    assert any("100,000" in e.value.replace("\\", "") for e in at.error), texts(at)  # as shown (escapes removed)

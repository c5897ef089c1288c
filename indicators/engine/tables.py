"""The tables read from a store: indicator values, progress, the index, its sensitivity, equity.

Each call reads one :func:`snapshot` of the store: the dense arrays (:mod:`indicators.engine.values`) with the progress
series and the default index already prepared (:mod:`indicators.engine.progress`, :mod:`indicators.engine.index`),
cached per store state in this process and on disk beside the store (:mod:`indicators.engine.results`).  This module
sits above the engine's modules, which compute on the arrays and never open the store themselves.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Literal

import pandas as pd

from indicators.engine import index, progress, results
from indicators.engine.values import Dense, UnknownName, check_filters, compute
from indicators.registry import IndexSpec, Registry, load_index_spec, load_registry
from loaders.store import db_path, reader

_CACHE: dict = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 2
_SETTLED_S = 2.0  # a file changed less than this long ago is not cached (two writes may share one mtime tick)


def _signature(db) -> tuple | None:
    """The store file's identity and state (size and change time of the file and its WAL), or None."""
    p = db_path(db)
    try:
        st = p.stat()
    except OSError:
        return None
    try:
        wal = Path(str(p) + ".wal").stat()
        wal_sig = (wal.st_size, wal.st_mtime_ns)
    except OSError:
        wal_sig = None
    newest = max(st.st_mtime_ns, wal_sig[1] if wal_sig else 0)
    if time.time_ns() - newest < _SETTLED_S * 1e9:
        return None
    return (str(p.resolve()), st.st_ino, st.st_size, st.st_mtime_ns, wal_sig)


def _cached(sig: tuple | None, registry: Registry) -> Dense | None:
    if sig is None:
        return None
    with _CACHE_LOCK:
        hit = _CACHE.get((sig, id(registry)))
    return hit[1] if hit is not None and hit[0] is registry else None


def snapshot(
    db, registry: Registry, level: str | None = None, indicator: str | None = None, area: str | None = None
) -> Dense:
    """:class:`Dense` for the store ``db`` (with its ``targets`` table), after checking the filters.

    Cached per store state, in this process and on disk (:mod:`indicators.engine.results`): while the file's signature
    (size and change time of the file and its WAL) is unchanged the arrays are returned without opening the store, as
    the committed state a reader opening the file now would see. Otherwise computed with the store open, with the
    progress series and the default index (:func:`_prepare`), and saved for other processes. Unknown names raise
    :class:`UnknownName`.
    """
    check_filters(None, level, indicator, None, registry)
    sig = _signature(db)
    out = _cached(sig, registry)
    if out is None and sig is not None:
        out = results.load(db, sig, registry, _project_spec(registry))
        if out is not None:
            _remember(sig, registry, out)
    if out is None:
        with reader(db) as con:
            sig = _signature(db)  # read again with the store open: no writer can change it meanwhile
            out = _cached(sig, registry)
            if out is None:
                out = compute(con, registry)
                _prepare(out, registry)
                if sig is not None:
                    results.save(out, db, sig, registry, _project_spec(registry))
                    _remember(sig, registry, out)
    if area is not None and area not in out.code_pos:
        raise UnknownName(f"ไม่รู้จักรหัสพื้นที่ / unknown area code {area!r}")
    return out


def _remember(sig: tuple, registry: Registry, out: Dense) -> None:
    with _CACHE_LOCK:
        _CACHE[(sig, id(registry))] = (registry, out)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))


def _project_spec(registry: Registry):
    """The index settings the default index is computed with: the project's, for the project's registry."""
    return load_index_spec() if registry is load_registry() else None


def _prepare(d: Dense, registry: Registry) -> None:
    """Compute what the full progress and index tables need (kept and saved with ``d``)."""
    progress.prepare(d, registry)
    spec = _project_spec(registry)
    if spec is not None:
        index.prepare(d, registry, spec)


def clear_cache(db=None) -> None:
    """Forget every cached computation in this process, and with ``db`` that store's results on disk too (the
    benchmarks time the cold paths this way)."""
    with _CACHE_LOCK:
        _CACHE.clear()
    if db is not None:
        results.clear(db)


def indicator_values(
    db: str | os.PathLike[str] | None = None,
    level: str | None = None,
    indicator: str | None = None,
    area: str | None = None,
    registry: Registry | None = None,
) -> pd.DataFrame:
    """Each indicator value (columns :data:`indicators.engine.values.COLUMNS`), for one level, indicator or area.

    Sorted by level (province, district, subdistrict), area, indicator and year. Years are CE. Unknown names raise
    :class:`UnknownName`.
    """
    registry = registry or load_registry()
    d = snapshot(db, registry, level, indicator, area)
    return d.values_frame(d.area_rows(level, area), d.indicator_cols([indicator] if indicator else None))


def progress_table(
    db: str | os.PathLike[str] | None = None,
    level: str | None = None,
    area: str | None = None,
    indicator: str | None = None,
    registry: Registry | None = None,
) -> pd.DataFrame:
    """One progress row per area and indicator (columns :data:`indicators.engine.progress.COLUMNS`), maybe filtered.

    Areas with figures for an indicator but no computable value get ``insufficient_data``; areas without any figure
    for it have no row. Unknown names raise :class:`indicators.engine.values.UnknownName`.
    """
    registry = registry or load_registry()
    return progress.table_from(snapshot(db, registry, level, indicator, area), registry, level, area, indicator)


def index_table(
    db: str | os.PathLike[str] | None = None,
    level: str | None = None,
    year: int | None = None,
    weights: dict[str, float] | None = None,
    method: Literal["arithmetic", "geometric"] = "arithmetic",
    area: str | None = None,
    registry: Registry | None = None,
    spec: IndexSpec | None = None,
) -> pd.DataFrame:
    """Domain scores and the index per area and year, long (columns :data:`indicators.engine.index.COLUMNS`).

    ``weights`` overrides some or all domain weights (rescaled to sum to 1); ``year`` (CE) keeps one year.
    Sorted by level, area, year and domain (poverty, tourism, resources, well-being, hmi).
    """
    registry = registry or load_registry()
    spec = spec or load_index_spec()
    w = index._weights(spec, weights)
    if method not in ("arithmetic", "geometric"):
        raise ValueError(f"method must be 'arithmetic' or 'geometric', not {method!r}")
    d = snapshot(db, registry, level, None, area)
    return index._index_dense(d, d.area_rows(level, area), registry, spec, w, method, year)


def sensitivity_table(
    db: str | os.PathLike[str] | None = None,
    level: str = "district",
    year: int | None = None,
    weights: dict[str, float] | None = None,
    parent: str | None = None,
) -> pd.DataFrame:
    """Index score and rank of each area under arithmetic vs geometric aggregation (rank 1 = best).

    ``year`` defaults to the latest year with a complete index score at this level; incomplete scores get no rank.
    ``rank_shift`` = geometric rank −
    arithmetic rank (positive: the area falls when weak domains cannot be offset by strong ones). Areas without an
    index score get no rank. ``parent`` ranks only the areas inside it (e.g. one province's districts).
    """
    ar = index_table(db, level=level, year=year, weights=weights, method="arithmetic")
    if parent is not None:
        ar = ar[ar.parent_code == parent]
    if year is None:
        year = index._latest_hmi_year(ar)
        if year is None:
            return pd.DataFrame(columns=index.SENSITIVITY_COLUMNS)
        ar = ar[ar.year == year]
    ge = index_table(db, level=level, year=year, weights=weights, method="geometric")
    if parent is not None:
        ge = ge[ge.parent_code == parent]
    ar = ar.assign(score=ar.score.where(ar.complete))  # an incomplete score is never ranked as if complete
    a = ar[ar.domain == index.HMI][["area_code", "level", "parent_code", "year", "score"]]
    g = ge[ge.domain == index.HMI][["area_code", "score"]]
    out = a.rename(columns={"score": "score_arithmetic"}).merge(
        g.rename(columns={"score": "score_geometric"}), on="area_code", how="left")
    out["rank_arithmetic"] = out["score_arithmetic"].rank(ascending=False, method="min").astype("Int64")
    out["rank_geometric"] = out["score_geometric"].rank(ascending=False, method="min").astype("Int64")
    out["rank_shift"] = (out["rank_geometric"] - out["rank_arithmetic"]).astype("Int64")
    return out.sort_values(["rank_arithmetic", "area_code"], na_position="last").reset_index(drop=True)[
        index.SENSITIVITY_COLUMNS]


def equity_table(
    db: str | os.PathLike[str] | None = None,
    year: int | None = None,
    registry: Registry | None = None,
    province: str | None = None,
) -> pd.DataFrame:
    """Best and worst district on each rate or score indicator (:func:`indicators.engine.index.equity_from`)."""
    registry = registry or load_registry()
    return index.equity_from(snapshot(db, registry), registry, year, province)

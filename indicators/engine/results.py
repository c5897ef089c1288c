"""The computed indicator arrays kept on disk beside the store (materialised results).

A new process — a restarted dashboard, every command-line run, a second app server — reads them instead of
computing every indicator again. ``data/wellbeing.duckdb`` keeps them in ``data/wellbeing.duckdb.results/<key>/``:
one ``.npy`` file per array, memory-mapped on read (nothing is copied until used), and ``meta.json``.

The key is a hash of the store file's signature (path, inode, size and change time of the file and its WAL: the same
test as the in-process cache of :mod:`indicators.engine.values`, so any write to the store makes a new key), of the
registry and index settings (a changed catalogue makes a new key) and of the code that computes the arrays (an
upgraded or fixed computation never serves what the old one saved). An entry is written to a temporary directory and
renamed, so a reader never sees half of one; older entries are deleted when a new one lands. Writing is best effort:
a read-only directory or a full disk only costs the next process a computation. Nothing here is data: deleting the
directory is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.store import db_path

FORMAT = 2
ARRAYS = ("parent_pos", "level_idx", "years", "value", "numerator", "denominator", "n_subdistricts", "has",
          "official", "n_estimated", "n_expected", "complete")
_SMALL = ("parent_pos", "level_idx", "years", "n_expected")
_STALE_TMP_S = 3600  # a temporary directory older than this was left by a killed process
_HASHES: dict[int, tuple[object, object, str]] = {}
_HASH_LOCK = threading.Lock()


def root(db) -> Path:
    """The directory of materialised results for the store ``db``."""
    p = db_path(db)
    return p.with_name(p.name + ".results")


_HERE = Path(__file__).parent
_CODE = (*(_HERE / n for n in ("values.py", "progress.py", "index.py", "official.py", "results.py")),
         _HERE.parent / "registry.py")


@functools.cache
def code_hash() -> str:
    """A hash of the modules whose code makes the saved arrays."""
    h = hashlib.sha256(str(FORMAT).encode())
    for path in _CODE:
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def settings_hash(registry, spec) -> str:
    """A short hash of the registry and index settings and of the code (cached per object)."""
    with _HASH_LOCK:
        hit = _HASHES.get(id(registry))
        if hit is not None and hit[0] is registry and hit[1] is spec:
            return hit[2]
    h = hashlib.sha256(code_hash().encode() + b"\0" + registry.model_dump_json().encode())
    h.update(b"\0" + (spec.model_dump_json().encode() if spec is not None else b"-"))
    out = h.hexdigest()[:16]
    with _HASH_LOCK:
        _HASHES[id(registry)] = (registry, spec, out)
    return out


def entry_name(signature: tuple, registry, spec) -> str:
    sig = hashlib.sha256(repr(signature).encode()).hexdigest()[:16]
    return f"v{FORMAT}-{sig}-{settings_hash(registry, spec)}"


def _key_text(key) -> str:
    return json.dumps(key)


def _key_back(obj):
    return tuple(_key_back(x) for x in obj) if isinstance(obj, list) else obj


def save(d, db, signature: tuple, registry, spec) -> Path | None:
    """Write ``d`` (:class:`indicators.engine.values.Dense`, with its extras) for this store state; the entry, or None
    when it could not be written."""
    base = root(db)
    final = base / entry_name(signature, registry, spec)
    if final.exists():
        return final
    tmp = base / f"tmp-{uuid.uuid4().hex}"
    try:
        tmp.mkdir(parents=True)
        names: list[str] = []
        for name in ARRAYS:
            arr = getattr(d, name)
            if arr is not None:
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
                names.append(name)
        extras = []
        for k, (key, arrays) in enumerate(d.extras.items()):
            for name, arr in arrays.items():
                np.save(tmp / f"x{k}-{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
            extras.append({"key": _key_text(key), "file": f"x{k}", "arrays": sorted(arrays)})
        t = d.targets if d.targets is not None else pd.DataFrame()
        meta = {
            "format": FORMAT, "codes": d.codes, "indicator_ids": d.indicator_ids, "arrays": names,
            "official_source": d.official_source, "extras": extras,
            "targets": {"columns": list(t.columns), "dtypes": {c: str(t[c].dtype) for c in t.columns},
                        "data": {c: t[c].tolist() for c in t.columns}},
        }
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        try:
            os.rename(tmp, final)
        except OSError:  # another process wrote the same entry first
            shutil.rmtree(tmp, ignore_errors=True)
        _prune(base, keep=final.name)
        return final if final.exists() else None
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return None


def _prune(base: Path, keep: str) -> None:
    """Delete the other entries (older store states) and temporary directories left by killed processes."""
    now = time.time()
    for p in base.iterdir():
        if p.name == keep:
            continue
        try:
            if p.name.startswith("tmp-") and now - p.stat().st_mtime < _STALE_TMP_S:
                continue  # another process may be writing it
            shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


def load(db, signature: tuple, registry, spec):
    """The :class:`indicators.engine.values.Dense` saved for this store state and settings, or None."""
    from indicators.engine.values import Dense

    entry = root(db) / entry_name(signature, registry, spec)
    try:
        meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            return None
        # per-area arrays are small and gathered by every table: read into memory; the cell arrays are mapped
        arrays = {name: np.load(entry / f"{name}.npy", mmap_mode=None if name in _SMALL else "r", allow_pickle=False)
                  for name in meta["arrays"]}
        extras = {}
        for x in meta["extras"]:
            extras[_key_back(json.loads(x["key"]))] = {
                name: np.load(entry / f"{x['file']}-{name}.npy", mmap_mode="r", allow_pickle=False)
                for name in x["arrays"]
            }
    except (OSError, ValueError, KeyError):
        return None
    t = meta["targets"]
    targets = pd.DataFrame(t["data"], columns=t["columns"]).astype(t["dtypes"])
    codes = meta["codes"]
    return Dense(
        codes=codes, parent_pos=arrays["parent_pos"], level_idx=arrays["level_idx"],
        code_pos={c: k for k, c in enumerate(codes)}, years=arrays["years"], indicator_ids=meta["indicator_ids"],
        value=arrays["value"], numerator=arrays["numerator"], denominator=arrays["denominator"],
        n_subdistricts=arrays["n_subdistricts"], has=arrays["has"], targets=targets,
        official=arrays.get("official"), official_source=meta["official_source"], extras=extras,
        n_estimated=arrays["n_estimated"], n_expected=arrays["n_expected"], complete=arrays["complete"],
    )


def clear(db) -> None:
    """Delete every materialised result of the store ``db`` (the benchmarks time the computation this way)."""
    shutil.rmtree(root(db), ignore_errors=True)

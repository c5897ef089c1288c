"""Materialised results on disk (indicators.engine.results): same tables, never stale, safe to lose."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest

from indicators.engine import results as R
from indicators.engine import tables as V
from indicators.engine.tables import index_table, indicator_values, progress_table
from loaders.store import writer

OLD = 1_600_000_000  # an old, settled change time: the store is eligible for both caches


def _settle(db, when: int = OLD) -> None:
    os.utime(db, (when, when))


def _tables(db):
    return indicator_values(db), progress_table(db), index_table(db), index_table(db, method="geometric")


def _same(a, b) -> None:
    for x, y in zip(a, b, strict=True):
        assert x.equals(y)


def _entries(db) -> list[str]:
    base = R.root(db)
    return sorted(p.name for p in base.iterdir()) if base.exists() else []


def test_a_new_process_reads_the_saved_results_without_opening_the_store(demo_db, monkeypatch):
    _settle(demo_db)
    V.clear_cache(demo_db)
    computed = _tables(demo_db)
    assert len(_entries(demo_db)) == 1
    V.clear_cache()  # as a new process: nothing in memory

    def no_open(*_a, **_k):
        raise AssertionError("the store was opened")

    monkeypatch.setattr(V, "reader", no_open)
    _same(_tables(demo_db), computed)
    d = V.snapshot(demo_db, V.load_registry())
    assert not d.value.flags.writeable  # memory-mapped from the saved file, not recomputed


def test_a_write_makes_new_results_and_removes_the_old(demo_db):
    _settle(demo_db)
    V.clear_cache(demo_db)
    before = indicator_values(demo_db, area="9301", indicator="happiness")
    old_entry = _entries(demo_db)
    year = int(before.year.max())
    with writer(demo_db) as con:
        con.execute("INSERT OR REPLACE INTO observations (area_code, measure_id, year, value, batch_id) VALUES "
                    f"('9301', 'happiness_score', {year}, 1.0, 1), ('9301', 'population', {year}, 1000, 1)")
    _settle(demo_db, OLD + 60)  # settled again, a minute of clock later
    V.clear_cache()
    after = indicator_values(demo_db, area="9301", indicator="happiness")
    assert after.value.iloc[-1] == 1.0 and before.value.iloc[-1] != 1.0
    assert progress_table(demo_db, area="9301", indicator="happiness").latest.iloc[0] == 1.0
    new_entry = _entries(demo_db)
    assert len(new_entry) == 1 and new_entry != old_entry


def test_a_store_changed_moments_ago_is_not_saved(demo_db):
    V.clear_cache(demo_db)
    os.utime(demo_db, None)  # changed just now: two writes inside one clock tick could share a signature
    indicator_values(demo_db)
    assert _entries(demo_db) == []


@pytest.mark.parametrize("damage", ["meta", "array", "format"])
def test_a_damaged_entry_is_ignored_and_the_tables_recomputed(demo_db, damage):
    _settle(demo_db)
    V.clear_cache(demo_db)
    computed = _tables(demo_db)
    (entry,) = R.root(demo_db).iterdir()
    if damage == "meta":
        (entry / "meta.json").write_text("{not json", encoding="utf-8")
    elif damage == "array":
        (entry / "value.npy").write_bytes(b"\x93NUMPY garbage")
    else:
        text = (entry / "meta.json").read_text(encoding="utf-8")
        (entry / "meta.json").write_text(text.replace('"format": 1', '"format": 99'), encoding="utf-8")
    V.clear_cache()
    _same(_tables(demo_db), computed)


def test_results_that_cannot_be_written_cost_only_time(demo_db):
    _settle(demo_db)
    V.clear_cache(demo_db)
    R.root(demo_db).write_text("not a directory")  # mkdir under it fails
    first = _tables(demo_db)
    V.clear_cache()
    _same(_tables(demo_db), first)
    assert R.root(demo_db).is_file()


def test_another_registry_has_another_key(demo_db):
    from indicators.registry import load_index_spec, load_registry

    reg = load_registry()
    spec = load_index_spec()
    key, ind = next(iter(reg.indicators.items()))
    moved = ind.model_copy(update={"target": ind.target.model_copy(update={"value": (ind.target.value or 0) + 1})})
    changed = reg.model_copy(update={"indicators": {**reg.indicators, key: moved}})
    sig = ("db", 1, 2, 3, None)
    assert R.entry_name(sig, reg, spec) != R.entry_name(sig, changed, spec)
    assert R.entry_name(sig, reg, spec) != R.entry_name(("db", 1, 2, 4, None), reg, spec)


def test_changed_computing_code_has_another_key(monkeypatch, tmp_path):
    """After an upgrade that changes how the arrays are computed, what the old code saved is never served."""
    from indicators.registry import load_index_spec, load_registry

    sig = ("db", 1, 2, 3, None)
    before = R.entry_name(sig, load_registry(), load_index_spec())
    changed = tmp_path / "values.py"
    changed.write_text(Path(R.__file__).with_name("values.py").read_text() + "\n# a fix\n")
    real = Path.read_bytes

    def read_bytes(self):
        return real(changed if self.name == "values.py" and self.parent == Path(R.__file__).parent else self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    R.code_hash.cache_clear()
    R._HASHES.clear()
    try:
        assert R.entry_name(sig, load_registry(), load_index_spec()) != before
    finally:
        monkeypatch.undo()
        R.code_hash.cache_clear()
        R._HASHES.clear()
    assert R.entry_name(sig, load_registry(), load_index_spec()) == before


def test_leftovers_of_killed_processes_are_pruned(demo_db):
    _settle(demo_db)
    V.clear_cache(demo_db)
    base = R.root(demo_db)
    base.mkdir()
    stale, fresh, older = base / "tmp-stale", base / "tmp-fresh", base / "v1-old-state"
    for p in (stale, fresh, older):
        p.mkdir()
    long_ago = time.time() - 2 * R._STALE_TMP_S
    os.utime(stale, (long_ago, long_ago))
    indicator_values(demo_db)
    names = _entries(demo_db)
    assert "tmp-fresh" in names  # another process may still be writing it
    assert "tmp-stale" not in names and "v1-old-state" not in names
    assert len([n for n in names if n.startswith("v")]) == 1


def test_processes_computing_at_once_leave_one_whole_entry(demo_db):
    """Several new processes started at once on a store without results (each computes, or reads what another
    saved first): one entry stays, no temporary directory is left, and every process got the same tables."""
    import subprocess
    import sys
    from pathlib import Path

    _settle(demo_db)
    V.clear_cache(demo_db)
    code = ("import sys, hashlib; from indicators.engine.tables import indicator_values, "
            "progress_table; v = indicator_values(sys.argv[1]); p = progress_table(sys.argv[1]); "
            "print(hashlib.sha256(v.to_csv().encode() + p.to_csv().encode()).hexdigest())")
    root = Path(__file__).resolve().parents[1]
    procs = [subprocess.Popen([sys.executable, "-c", code, str(demo_db)], cwd=root, stdout=subprocess.PIPE,
                              text=True) for _ in range(4)]
    digests = {p.communicate(timeout=120)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert len(digests) == 1
    entries = _entries(demo_db)
    assert len([n for n in entries if n.startswith("v")]) == 1 and not [n for n in entries if n.startswith("tmp-")]
    V.clear_cache()
    import hashlib

    here = hashlib.sha256(indicator_values(demo_db).to_csv().encode() + progress_table(demo_db).to_csv().encode())
    assert {here.hexdigest()} == digests


def test_target_overrides_and_agency_flags_survive_the_round_trip(demo_db):
    from test_sources import GOOD_ROW, SPEC, _small_csv

    from loaders.sources import load_source

    months = [GOOD_ROW.replace("2024-01-01", f"2024-{m:02d}-01") for m in range(1, 13)]  # a whole year
    assert load_source(SPEC, _small_csv(months), "mots.csv", db=demo_db).status == "loaded"
    with writer(demo_db) as con:
        con.execute("INSERT INTO targets (indicator_id, area_code, target, target_year, set_by) VALUES "
                    "('happiness', '', 9.5, 2035, 'test'), ('happiness', '9301', 7.0, 2030, 'test')")
    _settle(demo_db)
    V.clear_cache(demo_db)
    first = V.snapshot(demo_db, V.load_registry())
    computed = _tables(demo_db)
    V.clear_cache()
    again = V.snapshot(demo_db, V.load_registry())
    assert again is not first and not again.value.flags.writeable
    pd.testing.assert_frame_equal(again.targets, first.targets)
    assert again.official_source == first.official_source
    assert first.official is not None and first.official.any()
    assert (again.official == first.official).all()
    _same(_tables(demo_db), computed)
    p = progress_table(demo_db, area="9301", indicator="happiness").iloc[0]
    assert (p.target, p.target_year) == (7.0, 2030)

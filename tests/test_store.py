"""The store: paths, migrations, transactions, and a busy file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from loaders import schema
from loaders.schema import SCHEMA_VERSION, SchemaTooNew, SchemaTooOld
from loaders.store import DEFAULT_DB, StoreBusy, StoreMissing, db_path, get_meta, reader, set_meta, writer


def test_db_path_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("WELLBEING_DB")
    assert db_path() == DEFAULT_DB
    assert DEFAULT_DB.parts[-2:] == ("data", "wellbeing.duckdb")
    monkeypatch.setenv("WELLBEING_DB", str(tmp_path / "env.duckdb"))
    assert db_path() == tmp_path / "env.duckdb"
    assert db_path(tmp_path / "arg.duckdb") == tmp_path / "arg.duckdb"


def test_new_file_gets_every_table(tmp_path):
    path = tmp_path / "s.duckdb"
    with writer(path):
        pass
    with reader(path) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        version = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
    assert {"areas", "observations", "observation_history", "batches", "targets", "meta", "batch_problems"} <= tables
    assert version == SCHEMA_VERSION


def test_reader_refuses_missing_file(tmp_path):
    with pytest.raises(StoreMissing), reader(tmp_path / "none.duckdb"):
        pass
    assert not (tmp_path / "none.duckdb").exists()


def test_transaction_is_all_or_nothing(areas_db):
    with pytest.raises(RuntimeError), writer(areas_db) as con:
        con.execute("INSERT INTO meta VALUES ('a', '1')")
        con.execute("DELETE FROM areas")
        raise RuntimeError("boom")
    with reader(areas_db) as con:
        assert con.execute("SELECT count(*) FROM areas").fetchall()[0][0] == 77
        assert get_meta(con, "a") is None


def test_meta_set_and_delete(tmp_path):
    path = tmp_path / "m.duckdb"
    with writer(path) as con:
        set_meta(con, "demo", "seed 1")
        set_meta(con, "demo", "seed 2")
    with reader(path) as con:
        assert get_meta(con, "demo") == "seed 2"
    with writer(path) as con:
        set_meta(con, "demo", None)
    with reader(path) as con:
        assert get_meta(con, "demo") is None


def test_older_file_is_upgraded(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    with writer(path) as con:
        con.execute("INSERT INTO meta VALUES ('kept', 'yes')")
    newer = [*schema.MIGRATIONS, ["CREATE TABLE extra (x INTEGER)"]]
    monkeypatch.setattr(schema, "MIGRATIONS", newer)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(newer))
    monkeypatch.setattr("loaders.store.SCHEMA_VERSION", len(newer))
    monkeypatch.setattr("loaders.schema.SCHEMA_VERSION", len(newer))
    with pytest.raises(SchemaTooOld), reader(path):  # a reader never writes: it says what to run
        pass
    with writer(path):  # the writer path migrates
        pass
    with reader(path) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0] == len(newer)
        assert con.execute("SELECT count(*) FROM extra").fetchall()[0][0] == 0
        assert get_meta(con, "kept") == "yes"


def test_newer_file_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    with writer(path):
        pass
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version VALUES (?, current_timestamp)", [SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(SchemaTooNew, match="newer version"), writer(path):
        pass
    from loaders.cli import main

    assert main(["info", "--db", str(path)]) == 2


def test_busy_file_reports_busy(tmp_path, monkeypatch):
    """Another process holds the write lock: we retry, then say 'busy, try again' (no traceback)."""
    path = tmp_path / "busy.duckdb"
    with writer(path):
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(path)!r})
            print("locked", flush=True)
            time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setenv("WELLBEING_BUSY_TIMEOUT", "0.5")
        start = time.monotonic()
        with pytest.raises(StoreBusy, match="busy"), writer(path):
            pass
        assert time.monotonic() - start >= 0.5  # it retried before giving up
        from loaders.cli import main

        assert main(["info", "--db", str(path)]) == 2
    finally:
        holder.kill()
        holder.wait()
    with writer(path):  # free again once the other process has gone
        pass


def test_a_schema_1_file_with_data_is_upgraded_to_the_current_schema(tmp_path, capsys):
    """A file written by the first release (schema 1): a reader refuses it without writing (saying what to run);
    ``python -m loaders migrate`` applies every later migration, data kept."""
    from loaders.cli import main

    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMPTZ)")
    for statement in schema.MIGRATIONS[0]:
        con.execute(statement)
    con.execute("INSERT INTO schema_version VALUES (1, current_timestamp)")
    con.execute("INSERT INTO areas (code, level, parent_code, name_th, name_en) VALUES ('93', 'province', NULL, "
                "'พัทลุง', 'Phatthalung')")
    con.execute("INSERT INTO batches (kind, status) VALUES ('council', 'loaded')")
    con.execute("INSERT INTO observations VALUES ('93', 'households', 2025, 10.0, 1, NULL, NULL)")
    con.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooOld, match="python -m loaders migrate"), reader(path):
        pass
    assert path.read_bytes() == before, "a reader never writes"
    assert main(["migrate", "--db", str(path)]) == 0
    assert f"schema {SCHEMA_VERSION}" in capsys.readouterr().out
    with reader(path) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0] == SCHEMA_VERSION > 1
        assert con.execute("SELECT area_code, measure_id, year, value FROM observations").fetchall() == [
            ("93", "households", 2025, 10.0)]
        assert con.execute("SELECT name_en FROM areas").fetchall() == [("Phatthalung",)]

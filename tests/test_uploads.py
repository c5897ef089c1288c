"""load_file: archive first, one batch in one transaction, rejected files keep their problems, nothing lost."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import loaders.uploads as uploads
from loaders.store import reader, uploads_dir
from loaders.uploads import load_file

GOOD = "ตำบล,ปี พ.ศ.,households,poor_households\nโคกม่วง,2568,\"1,234\",100\nตำนาน,2568,500,50\n"
BAD = "ตำบล,ปี พ.ศ.,households\nโคกม่วง,2568,1000\nตำนาน,2568,abc\n"


def table(db, sql):
    with reader(db) as con:
        return con.execute(sql).fetchall()


def observations(db) -> dict:
    return {(a, m, y): (v, b) for a, m, y, v, b in table(db, "SELECT area_code, measure_id, year, value, batch_id "
                                                            "FROM observations")}


def test_load_long_and_batch_row(areas_db):
    r = load_file(GOOD.encode("cp874"), "good.csv", db=areas_db, user="somchai")
    assert r.status == "loaded" and r.ok
    assert (r.rows_read, r.rows_loaded, r.values_loaded, r.values_changed) == (2, 2, 4, 4)
    assert observations(areas_db) == {
        ("930307", "households", 2025): (1234.0, r.batch_id), ("930307", "poor_households", 2025): (100.0, r.batch_id),
        ("930110", "households", 2025): (500.0, r.batch_id), ("930110", "poor_households", 2025): (50.0, r.batch_id)}
    (row,) = table(areas_db, "SELECT kind, status, file_name, uploaded_by, rows_read, rows_loaded, values_changed, "
                             "encoding, delimiter, sha256, raw_path, problem_count FROM batches")
    sha = hashlib.sha256(GOOD.encode("cp874")).hexdigest()
    assert row[:10] == ("upload", "loaded", "good.csv", "somchai", 2, 2, 4, "cp874", "comma", sha)
    assert row[11] == 0
    archived = Path(row[10])
    assert archived == uploads_dir(areas_db) / sha and archived.read_bytes() == GOOD.encode("cp874")


def test_same_file_twice_adds_nothing(areas_db):
    first = load_file(GOOD.encode(), "good.csv", db=areas_db)
    again = load_file(GOOD.encode(), "renamed.csv", db=areas_db)
    assert again.status == "duplicate" and again.ok and again.duplicate_of == first.batch_id
    assert "already loaded" in again.message_en and str(first.batch_id) in again.message_th
    assert table(areas_db, "SELECT count(*) FROM batches") == [(1,)]


# rows for district 9301 (930101, 930103) and district 9303 (930301): one council's "valid rows only" loads its own
TWO_DISTRICTS = b"area,year,households\n930101,2568,11\n930301,2568,33\n930103,2568,12\n"


def test_a_known_file_loads_the_rows_that_did_not_load_for_another_scope(areas_db):
    """Issue 19 item 3: council 9303's partial load of a file does not make the same bytes a duplicate for the
    administrator: the rows 9303 could not load are loaded then; the same rows for the same scope add nothing."""
    council = load_file(TWO_DISTRICTS, "two.csv", db=areas_db, user="c9303", scope={"9303"}, skip_invalid=True)
    assert (council.status, council.rows_loaded, council.problem_count) == ("partial", 1, 2)  # two outside-scope rows
    assert load_file(TWO_DISTRICTS, "two.csv", db=areas_db, user="c9303", scope={"9303"},
                     skip_invalid=True).status == "duplicate", "the same rows for the same scope add nothing"
    assert load_file(TWO_DISTRICTS, "two.csv", db=areas_db, user="c9303", scope={"9303"}).status == "duplicate"

    preview = load_file(TWO_DISTRICTS, "two.csv", db=areas_db, user="boss", dry_run=True)
    assert (preview.status, preview.values_loaded, preview.rows_loaded_before) == ("checked", 2, 1)
    admin = load_file(TWO_DISTRICTS, "again.csv", db=areas_db, user="boss")
    assert (admin.status, admin.rows_loaded, admin.values_changed, admin.rows_loaded_before) == ("loaded", 2, 2, 1)
    assert admin.loaded_first_by == council.batch_id and f"batch {council.batch_id}: left out" in admin.message_en
    assert observations(areas_db) == {("930101", "households", 2025): (11.0, admin.batch_id),
                                      ("930301", "households", 2025): (33.0, council.batch_id),
                                      ("930103", "households", 2025): (12.0, admin.batch_id)}
    assert table(areas_db, "SELECT id, loaded_rows FROM batches ORDER BY id") == [
        (council.batch_id, [3]), (admin.batch_id, [2, 4])]
    for scope in (None, {"9301"}, {"9303"}):  # every row is loaded now: nothing for anyone
        assert load_file(TWO_DISTRICTS, "two.csv", db=areas_db, scope=scope, skip_invalid=True).status == "duplicate"
    assert table(areas_db, "SELECT count(*) FROM batches") == [(2,)], "two loads; the duplicates wrote no batch"


def test_the_other_council_loads_its_rows_of_the_same_file(areas_db):
    load_file(TWO_DISTRICTS, "two.csv", db=areas_db, user="c9303", scope={"9303"}, skip_invalid=True)
    other = load_file(TWO_DISTRICTS, "two.csv", db=areas_db, user="c9301", scope={"9301"}, skip_invalid=True)
    assert (other.status, other.rows_loaded, other.values_changed) == ("partial", 2, 2)
    assert [p.code for p in other.problems] == ["outside-scope"], "9303's row stays outside 9301's scope"
    assert load_file(TWO_DISTRICTS, "two.csv", db=areas_db, user="boss").status == "duplicate"


def test_an_undone_load_no_longer_counts_and_old_batches_count_as_the_whole_file(areas_db):
    from loaders.batches import undo_batch
    from loaders.store import writer

    first = load_file(TWO_DISTRICTS, "two.csv", db=areas_db, scope={"9303"}, skip_invalid=True)
    undo_batch(first.batch_id, db=areas_db)
    again = load_file(TWO_DISTRICTS, "two.csv", db=areas_db)
    assert (again.status, again.rows_loaded, again.rows_loaded_before) == ("loaded", 3, 0)
    with writer(areas_db) as con:  # a batch loaded before rows were recorded
        con.execute("UPDATE batches SET loaded_rows = NULL WHERE id = ?", [again.batch_id])
    assert load_file(TWO_DISTRICTS, "two.csv", db=areas_db).duplicate_of == again.batch_id


def test_two_scopes_sending_the_same_file_at_once_load_its_rows_once(areas_db):
    import threading

    load_file(TWO_DISTRICTS, "two.csv", db=areas_db, user="c9303", scope={"9303"}, skip_invalid=True)
    barrier, results = threading.Barrier(2), {}

    def send(who: str, scope) -> None:
        barrier.wait()
        results[who] = load_file(TWO_DISTRICTS, "two.csv", db=areas_db, user=who, scope=scope, skip_invalid=True)

    threads = [threading.Thread(target=send, args=a) for a in (("boss", None), ("c9301", {"9301"}))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    statuses = sorted(r.status for r in results.values())
    assert statuses in (["duplicate", "loaded"], ["duplicate", "partial"])
    loaded = [r for r in results.values() if r.status != "duplicate"][0]
    assert loaded.rows_loaded == 2 and loaded.values_changed == 2
    assert table(areas_db, "SELECT count(*) FROM observation_history") == [(0,)], "no value written twice"


def test_rejected_writes_no_value_but_keeps_batch_and_problems(areas_db):
    r = load_file(BAD.encode(), "bad.csv", db=areas_db)
    assert r.status == "rejected" and not r.ok and r.batch_id
    assert [(p.row, p.column, p.column_number, p.value, p.code) for p in r.problems] == [
        (3, "households", 3, "abc", "type-error")]
    assert observations(areas_db) == {}
    assert table(areas_db, "SELECT status, rows_read, rows_loaded, problem_count FROM batches") == [
        ("rejected", 2, 0, 1)]
    assert table(areas_db, "SELECT batch_id, row_number, column_name, column_number, value, code FROM "
                           "batch_problems") == [(r.batch_id, 3, "households", 3, "abc", "type-error")]
    # a rejected file may be sent again (for example with --skip-invalid)
    assert load_file(BAD.encode(), "bad.csv", db=areas_db, skip_invalid=True).status == "partial"


def test_skip_invalid_loads_valid_rows(areas_db):
    r = load_file(BAD.encode(), "bad.csv", db=areas_db, skip_invalid=True)
    assert r.status == "partial" and r.ok
    assert (r.rows_read, r.rows_loaded, r.values_changed, r.problem_count) == (2, 1, 1, 1)
    assert observations(areas_db) == {("930307", "households", 2025): (1000.0, r.batch_id)}
    assert table(areas_db, "SELECT status, problem_count FROM batches") == [("partial", 1)]
    assert table(areas_db, "SELECT count(*) FROM batch_problems") == [(1,)]


def test_skip_invalid_with_nothing_valid_is_rejected(areas_db):
    r = load_file(b"area,year,households\n930307,2568,x\n", "x.csv", db=areas_db, skip_invalid=True)
    assert r.status == "rejected"


def test_dry_run_writes_nothing(areas_db):
    r = load_file(GOOD.encode(), "good.csv", db=areas_db, dry_run=True)
    assert r.status == "checked" and r.values_loaded == 4 and r.batch_id is None
    bad = load_file(BAD.encode(), "bad.csv", db=areas_db, dry_run=True)
    assert bad.status == "rejected" and bad.problem_count == 1
    assert table(areas_db, "SELECT count(*) FROM batches") == [(0,)]
    assert not uploads_dir(areas_db).exists()


def test_replaced_values_go_to_history(areas_db):
    a = load_file(b"area,year,households\n930307,2568,100\n930101,2568,7\n", "a.csv", db=areas_db)
    b = load_file(b"area,year,households,note\n930307,2568,120,revised\n930101,2568,7,\n", "b.csv", db=areas_db)
    assert b.values_changed == 1  # the unchanged value is left alone
    assert observations(areas_db)[("930307", "households", 2025)] == (120.0, b.batch_id)
    assert table(areas_db, "SELECT area_code, value, batch_id, replaced_by FROM observation_history") == [
        ("930307", 100.0, a.batch_id, b.batch_id)]
    assert table(areas_db, "SELECT note FROM observations WHERE area_code = '930307'") == [("revised",)]


def test_flags_notes_stored(areas_db):
    load_file("area,year,measure,value,flag,note\n930307,2568,households,1,E,ประมาณการจากปีก่อน\n".encode(),
              "f.csv", db=areas_db)
    assert table(areas_db, "SELECT flag, note FROM observations") == [("E", "ประมาณการจากปีก่อน")]


def test_size_limit_param_and_env(areas_db, monkeypatch):
    r = load_file(GOOD.encode(), "good.csv", db=areas_db, max_bytes=10)
    assert r.status == "rejected" and [p.code for p in r.problems] == ["file-too-large"]
    assert r.raw_path is None and not uploads_dir(areas_db).exists()
    monkeypatch.setenv("WELLBEING_MAX_UPLOAD_MB", "0.00001")
    r = load_file(GOOD.encode(), "good.csv", db=areas_db)
    assert [p.code for p in r.problems] == ["file-too-large"] and "MB" in r.problems[0].message_en
    assert table(areas_db, "SELECT status, code FROM batches JOIN batch_problems ON batch_id = id") == [
        ("rejected", "file-too-large")] * 2
    assert observations(areas_db) == {}


def test_row_limit(areas_db, monkeypatch):
    text = "area,year,households\n" + "".join(f"930307,{2540 + i},1\n" for i in range(40))
    assert load_file(text.encode(), "f.csv", db=areas_db, max_rows=10).problems[0].code == "too-many-rows"
    monkeypatch.setenv("WELLBEING_MAX_UPLOAD_ROWS", "5")
    assert load_file(text.encode(), "g.csv", db=areas_db).problems[0].code == "too-many-rows"
    assert uploads.MAX_ROWS == 1_000_000


def test_scope_enforced_in_the_loader(areas_db):
    text = b"area,year,households\n930307,2568,1\n930101,2568,2\n"
    r = load_file(text, "s.csv", db=areas_db, scope={"9303"})
    assert r.status == "rejected" and [(p.row, p.code) for p in r.problems] == [(3, "outside-scope")]
    r = load_file(text, "s.csv", db=areas_db, scope={"930307"}, skip_invalid=True)
    assert r.status == "partial" and set(observations(areas_db)) == {("930307", "households", 2025)}


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        ("ตำบล;ปี;households\nโคกม่วง;๒๕๖๘;1,234\n".encode("cp874"), "cp874", "semicolon"),
        ("\ufeffตำบล\tปี\thouseholds\nโคกม่วง\t2568\t1,234\n".encode(), "utf-8-sig", "tab"),
        ("ตำบล,ปี,households\nโคกม่วง,2568,\"1,234\"\n".encode(), "utf-8", "comma"),
    ],
)
def test_encodings_and_delimiters_load_the_same_value(areas_db, data, encoding, delimiter):
    r = load_file(data, "f.csv", db=areas_db)
    assert (r.status, r.encoding, r.to_dict()["delimiter"]) == ("loaded", encoding, delimiter)
    assert observations(areas_db) == {("930307", "households", 2025): (1234.0, r.batch_id)}


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [(b"", "e.csv", "empty-file"), (b"area,year,households\n930307,2568,\n", "b.csv", "no-values"),
     ("ตำบล,ค่า\n".encode("utf-16"), "u.csv", "encoding-error"), (b"\x1f\x8b\x08\x00", "z.csv", "file-format"),
     (b"<html><body>report</body></html>", "r.xls", "file-format")],
)
def test_refused_files_are_rejected_batches(areas_db, data, name, code):
    r = load_file(data, name, db=areas_db)
    assert r.status == "rejected" and [p.code for p in r.problems] == [code]
    assert table(areas_db, "SELECT code FROM batch_problems") == [(code,)]


def test_one_transaction(areas_db, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(uploads, "_store_problems", boom)
    with pytest.raises(RuntimeError):
        load_file(BAD.encode(), "bad.csv", db=areas_db, skip_invalid=True)
    assert observations(areas_db) == {}
    assert table(areas_db, "SELECT count(*) FROM batches") == [(0,)]


def test_report_json_shape(areas_db):
    d = load_file(BAD.encode(), "bad.csv", db=areas_db).to_dict()
    for key in ("batch_id", "rows_read", "rows_loaded", "values_changed", "encoding", "delimiter", "problems",
                "partial"):
        assert key in d
    assert d["problems"][0] == {"row": 3, "column": "households", "column_number": 3, "value": "abc",
                                "code": "type-error", "message_th": "'abc' ไม่ใช่ตัวเลข",
                                "message_en": "'abc' is not a number"}

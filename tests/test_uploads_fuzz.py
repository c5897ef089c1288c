"""Property-based: random bytes and random mutations of valid files never crash and never write on rejection."""

from __future__ import annotations

import io
import shutil

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.registry import load_registry
from loaders.area_names import AreaIndex
from loaders.areas import official_areas
from loaders.council_files import Table, check_table
from loaders.store import reader
from loaders.uploads import load_file

VALID = ("ตำบล,อำเภอ,ปี พ.ศ.,households,poor_households,note\n"
         "โคกม่วง,เขาชัยสน,๒๕๖๘,\"1,234\",100,ok\n"
         "ดอนทราย,ปากพะยูน,2568,500,50%,\n"
         "TH930101,,2025,300,30,\n").encode()

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    from loaders.areas import upsert_areas
    from loaders.store import writer

    path = tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb"
    with writer(path) as con:
        upsert_areas(con, official_areas())
    yield path
    shutil.rmtree(path.parent, ignore_errors=True)


def state(db):
    with reader(db) as con:
        return (con.execute("SELECT * FROM observations ORDER BY ALL").fetchall(),
                con.execute("SELECT count(*) FROM observation_history").fetchall())


def load_and_check(db, data: bytes, name: str, skip_invalid: bool) -> None:
    before = state(db)
    report = load_file(data, name, db=db, skip_invalid=skip_invalid)  # must not raise
    d = report.to_dict()
    assert d["status"] in {"loaded", "partial", "rejected", "duplicate"}
    if report.status in ("rejected", "duplicate"):
        assert state(db) == before, "a rejected file wrote values"
    if report.status == "rejected":
        assert report.problems, "a rejection without a reason"
        for p in report.problems:
            assert p.code and p.message_th and p.message_en


@settings(FUZZ, max_examples=40)
@given(data=st.binary(max_size=400), name=st.sampled_from(["f.csv", "f.xlsx", "f.txt", "f.xls"]))
def test_random_bytes(fuzz_db, data, name):
    load_and_check(fuzz_db, data, name, skip_invalid=False)


mutation = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, len(VALID)), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), st.integers(0, len(VALID)), st.integers(1, 20)),
    st.tuples(st.just("replace"), st.integers(0, len(VALID)), st.sampled_from(
        [b",", b";", b"\t", b"\n", b'"', b"-", b"=", b"%", b"\x00", b"\xff", b"\xe0\xb9\x90", b" ", b"9", b"nan"])),
)


def mutate(data: bytes, ops) -> bytes:
    for op, pos, arg in ops:
        pos = min(pos, len(data))
        if op == "insert":
            data = data[:pos] + arg + data[pos:]
        elif op == "delete":
            data = data[:pos] + data[pos + arg:]
        else:
            data = data[:pos] + arg + data[pos + len(arg):]
    return data


@settings(FUZZ, max_examples=60)
@given(ops=st.lists(mutation, min_size=1, max_size=6), cp874=st.booleans(), skip=st.booleans())
def test_mutations_of_a_valid_csv(fuzz_db, ops, cp874, skip):
    base = VALID.decode().encode("cp874") if cp874 else VALID
    load_and_check(fuzz_db, mutate(base, ops), "f.csv", skip_invalid=skip)


def _xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in VALID.decode().splitlines():
        ws.append(line.replace('"1,234"', "1234").split(","))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


XLSX = _xlsx_bytes()


@settings(FUZZ, max_examples=20)
@given(ops=st.lists(mutation, min_size=1, max_size=3))
def test_mutations_of_a_valid_xlsx(fuzz_db, ops):
    load_and_check(fuzz_db, mutate(XLSX, ops), "f.xlsx", skip_invalid=False)


cell = st.one_of(st.none(), st.text(max_size=12), st.integers(-10**6, 10**12), st.floats(allow_nan=True),
                 st.sampled_from(["930307", "ดอนทราย", "2568", "๒๕๖๘", "households", "ค่า", "ปี", "ตำบล", "1,234",
                                  "=A1", "E", "P"]))
header = st.lists(st.sampled_from(["ตำบล", "area", "อำเภอ", "ปี พ.ศ.", "year", "measure", "ค่า", "households",
                                   "poor_households", "flag", "note", "", "x"]), min_size=1, max_size=7)


@settings(max_examples=100, deadline=None)
@given(head=header, body=st.lists(st.lists(cell, max_size=8), max_size=8), kind=st.sampled_from(["csv", "xlsx"]))
def test_random_tables_never_crash(head, body, kind):
    checked = check_table(Table([head, *body], kind), load_registry(), _index())
    assert len(checked.frame) == 0 or checked.frame["value"].notna().all()
    rows = set(checked.frame["row"].tolist())
    assert not rows & checked.problems.bad_rows


_INDEX: list[AreaIndex] = []


def _index() -> AreaIndex:
    if not _INDEX:
        _INDEX.append(AreaIndex(official_areas()))
    return _INDEX[0]

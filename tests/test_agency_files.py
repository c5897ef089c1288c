"""An agency's figures from a council-shaped file (issue 14): checked as a council file, stored apart from the
councils' under the source named (month 0), one batch of kind ``source`` (batch list, undo, what changed), admins
only; ``prefer_source`` accepts exactly the declared agencies, and the engine uses their figures at any level."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from _store import put

from indicators.engine.values import compute
from indicators.present.i18n import fmt_year
from indicators.present.queries import last_upload, source_word
from indicators.registry import AGENCIES, SOURCES, Indicator, load_registry
from indicators.words import t
from loaders import accounts, audit, permissions, users
from loaders.batches import list_batches, undo_batch
from loaders.cli import main
from loaders.errors import InputRejected
from loaders.observations import create_batch, write_official
from loaders.store import reader, writer
from loaders.uploads import load_file

POP = "ตำบล,2566,2567\nโคกม่วง,4100,4150\nหานโพธิ์,3000,\n".encode()


def _official(db) -> list[tuple]:
    with reader(db) as con:
        return con.execute("""SELECT area_code, measure_id, source, year + 543, month, value, batch_id
                              FROM official_observations ORDER BY 1, 2, 3, 4""").fetchall()


def _council_count(db) -> int:
    with reader(db) as con:
        return con.execute("SELECT count(*) FROM observations").fetchall()[0][0]


def test_declared_agencies_and_prefer_source():
    assert list(AGENCIES) == ["ministry", "dopa", "nso", "tpmap"]
    assert all(a.th and a.en for a in AGENCIES.values()) and set(AGENCIES) < set(SOURCES)
    assert source_word("dopa", "th") == "กรมการปกครอง" and source_word("dopa", "en").startswith("Department of")
    base = load_registry().indicators["tpmap_poor_rate"].model_dump()
    for source in ("council", *AGENCIES):
        assert Indicator.model_validate({**base, "prefer_source": source}).prefer_source == source
    with pytest.raises(ValueError, match="prefer_source"):
        Indicator.model_validate({**base, "prefer_source": "demo"})


def test_a_council_shaped_file_loads_as_the_agencys_figures(areas_db):
    r = load_file(POP, "dopa_pop.csv", db=areas_db, measure="population", source="dopa", user="boss")
    assert (r.status, r.form, r.source, r.values_loaded, r.values_changed) == ("loaded", "years", "dopa", 3, 3)
    b = r.batch_id
    assert _official(areas_db) == [("930306", "population", "dopa", 2566, 0, 3000.0, b),
                                   ("930307", "population", "dopa", 2566, 0, 4100.0, b),
                                   ("930307", "population", "dopa", 2567, 0, 4150.0, b)]
    assert _council_count(areas_db) == 0, "never into the councils' observations"
    batch = list_batches(areas_db).set_index("id").loc[b]
    assert (batch.kind, batch.source, batch.status, batch.uploaded_by, batch.rows_loaded) == \
        ("source", "dopa", "loaded", "boss", 2)
    # what changed: the batch's values, and the overview's last batch
    ch = audit.batch_changes(b, areas_db)
    assert list(zip(ch.area_code, ch.year_be, ch.value, strict=True)) == [("930306", 2566, 3000.0),
                                                                          ("930307", 2566, 4100.0),
                                                                          ("930307", 2567, 4150.0)]
    assert ch.previous.isna().all()
    last = last_upload(areas_db, "en")
    years = f"{fmt_year(2566 - 543, 'en')}–{fmt_year(2567 - 543, 'en')}"
    assert last["scope"] == t("overview.batch_scope", "en", areas=2, measures=1, years=years)

    # the same file as the same source: nothing added; as another agency's: its own figures, apart
    again = load_file(POP, "dopa_pop.csv", db=areas_db, measure="population", source="dopa")
    assert (again.status, again.duplicate_of) == ("duplicate", b)
    nso = load_file(POP, "dopa_pop.csv", db=areas_db, measure="population", source="nso")
    assert nso.status == "loaded" and len(_official(areas_db)) == 6
    # the same file as council figures is a council upload, unaffected by the agency batches
    council = load_file(POP, "dopa_pop.csv", db=areas_db, measure="population")
    assert council.status == "loaded" and _council_count(areas_db) == 3


def test_replaced_figures_are_kept_and_undo_restores_them_exactly(areas_db):
    first = load_file(POP, "a.csv", db=areas_db, measure="population", source="dopa")
    revised = "ตำบล,2567\nโคกม่วง,4160\n".encode()
    second = load_file(revised, "b.csv", db=areas_db, measure="population", source="dopa")
    assert (second.status, second.values_changed) == ("loaded", 1)
    ch = audit.batch_changes(second.batch_id, areas_db)
    assert list(zip(ch.area_code, ch.year_be, ch.value, ch.previous, strict=True)) == [("930307", 2567, 4160.0,
                                                                                        4150.0)]
    last = last_upload(areas_db, "en")
    assert last["replaced"].shown().iloc[0].tolist()[-2:] == ["4,150", "4,160"]
    assert last["replaced"].exported()[0].iloc[0].tolist()[-2:] == [4150.0, 4160.0]  # numbers stay numbers
    with pytest.raises(InputRejected, match="undo those first"):
        undo_batch(first.batch_id, db=areas_db)
    out = undo_batch(second.batch_id, db=areas_db)
    assert (out["restored"], out["removed"]) == (1, 0)
    assert ("930307", "population", "dopa", 2567, 0, 4150.0, first.batch_id) in _official(areas_db)
    out = undo_batch(first.batch_id, db=areas_db)
    assert (out["restored"], out["removed"]) == (0, 3) and _official(areas_db) == []
    # undone, the file may be loaded again
    assert load_file(POP, "a.csv", db=areas_db, measure="population", source="dopa").status == "loaded"


def test_checked_exactly_as_a_council_file(areas_db):
    bad = "ตำบล,2566\nโคกม่วง,-4\nไม่มีตำบลนี้,5\nหานโพธิ์,6\n".encode()
    r = load_file(bad, "bad.csv", db=areas_db, measure="population", source="dopa")
    assert r.status == "rejected" and [(p.row, p.code) for p in r.problems] == [(2, "out-of-range"),
                                                                                 (3, "unknown-area")]
    assert _official(areas_db) == []
    r = load_file(bad, "bad.csv", db=areas_db, measure="population", source="dopa", skip_invalid=True)
    assert r.status == "partial" and [v[:6] for v in _official(areas_db)] == [
        ("930306", "population", "dopa", 2566, 0, 6.0)]
    # flags and notes cannot be kept with agency figures: refused, never dropped silently
    flagged = b"area,year,population,flag\n930307,2566,10,E\n"
    r = load_file(flagged, "f.csv", db=areas_db, source="dopa", skip_invalid=True)
    assert r.status == "rejected" and [p.code for p in r.problems] == ["file-format"]
    assert "flags" in r.problems[0].message_en and len(_official(areas_db)) == 1
    with pytest.raises(InputRejected, match="unknown source"):
        load_file(POP, "x.csv", db=areas_db, measure="population", source="demo")


def test_only_admins(areas_db):
    accounts.add_user("boss", "admin", password="correct horse battery", db=areas_db)
    accounts.add_user("somchai", "council", scope="9303", email="s@example.org", db=areas_db)
    council, boss = accounts.get_user("somchai", areas_db), accounts.get_user("boss", areas_db)
    with pytest.raises(permissions.NotAllowed):
        users.load_agency_file_as(council, "dopa", POP, "p.csv", measure="population", db=areas_db)
    with pytest.raises(permissions.NotAllowed):
        users.upload_as(council, POP, "p.csv", measure="population", source="dopa", db=areas_db)
    assert _official(areas_db) == []
    r = users.load_agency_file_as(boss, "dopa", POP, "p.csv", measure="population", db=areas_db)
    assert r.status == "loaded" and len(_official(areas_db)) == 3
    log = audit.write_log(areas_db)
    assert ((log.action == "source") & (log.subject == "dopa") & (log.who == "boss")).any()


def test_command_line_source(capsys, tmp_path, areas_db):
    accounts.add_user("boss", "admin", password="correct horse battery", db=areas_db)
    accounts.add_user("somchai", "council", scope="9303", email="s@example.org", db=areas_db)
    path = tmp_path / "dopa.csv"
    path.write_bytes(POP)
    db = str(areas_db)
    assert main(["csv", str(path), "--db", db, "--measure", "population", "--source", "dopa",
                 "--user", "somchai"]) == 2
    assert "administrators only" in capsys.readouterr().err and _official(areas_db) == []
    assert main(["csv", str(path), "--db", db, "--measure", "population", "--source", "dopa", "--user", "boss",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["status"], out["source"], out["values_loaded"]) == ("loaded", "dopa", 3)
    path.write_bytes("ตำบล,2566\nโคกม่วง,4200\n".encode())
    assert main(["csv", str(path), "--db", db, "--measure", "population", "--source", "dopa"]) == 0  # no --user
    assert "source dopa (Department of Provincial Administration" in capsys.readouterr().out
    assert ("930307", "population", "dopa", 2566, 0, 4200.0) in [v[:6] for v in _official(areas_db)]
    assert _council_count(areas_db) == 0
    with pytest.raises(SystemExit):  # argparse: not a declared agency
        main(["csv", str(path), "--db", db, "--source", "somewhere"])


def _registry_preferring(source: str):
    reg = load_registry()
    ind = reg.indicators["tpmap_poor_rate"].model_copy(update={"prefer_source": source})
    return reg.model_copy(update={"indicators": {**reg.indicators, "tpmap_poor_rate": ind}})


def _rate(d, code: str, year_ce: int) -> tuple[float, bool]:
    a, j = d.code_pos[code], d.indicator_ids.index("tpmap_poor_rate")
    y = int(np.searchsorted(d.years, year_ce))
    return float(d.value[a, j, y]), bool(d.official is not None and d.official[a, j, y])


def test_the_engine_uses_the_preferred_agency_at_subdistricts_and_districts(tree_db):
    db = tree_db("930301", "930302")
    put(db, [("930301", "poor_people", 2023, 10), ("930301", "population", 2023, 100),
             ("930302", "poor_people", 2023, 60), ("930302", "population", 2023, 300)])
    tpmap = b"area,year,poor_people,population\n930301,2566,25,100\n"
    assert load_file(tpmap, "tpmap.csv", db=db, source="tpmap").status == "loaded"
    with writer(db) as con:  # a district figure published by the agency (council files carry subdistricts only)
        batch = create_batch(con, kind="source", source="tpmap", status="loaded")
        write_official(con, pd.DataFrame({"area_code": ["9303", "9303"], "measure_id": ["poor_people", "population"],
                                          "year": [2023, 2023], "month": [0, 0], "value": [50.0, 1000.0]}),
                       "tpmap", batch)
    reg = _registry_preferring("tpmap")
    with reader(db) as con:
        d = compute(con, reg)
        council = compute(con, load_registry())
    assert _rate(d, "930301", 2023) == (pytest.approx(25.0), True)  # 100 × 25 / 100, the agency's
    assert _rate(d, "930302", 2023) == (pytest.approx(20.0), False)  # no agency figure: the council's 60 / 300
    assert _rate(d, "9303", 2023) == (pytest.approx(5.0), True)  # the district's own agency figure, 50 / 1000
    assert d.official_source["tpmap_poor_rate"] == "tpmap"
    # preferring councils (the registry's own choice), the agency's figures change nothing
    assert _rate(council, "930301", 2023) == (pytest.approx(10.0), False)
    assert _rate(council, "9303", 2023) == (pytest.approx(17.5), False)  # (10 + 60) / (100 + 300)
    # another agency's figures are never used for an indicator preferring tpmap
    with reader(db) as con:
        other = compute(con, _registry_preferring("dopa"))
    assert _rate(other, "930301", 2023) == (pytest.approx(10.0), False)

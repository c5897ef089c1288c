"""Security (issue 8, docs/SECURITY.md): scope enforced in the loading function, uploaded names never used as paths,
SQL built from values only through parameters, secrets git-ignored and never printed, user text escaped."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.store import reader, writer
from loaders.uploads import display_name, load_file

ROOT = Path(__file__).resolve().parents[1]

MIXED = ("area,district,year,households\n"
         "930307,,2568,11\n"        # the one area inside scope {"930307"}
         "TH930101,,2568,12\n"      # outside, with the TH prefix
         "๙๓๐๑๐๓,,2568,13\n"       # outside, Thai digits
         "คูหาสวรรค์,,2568,14\n"     # outside, by name (930101)
         "ดอนทราย,ปากพะยูน,2568,15\n"  # outside, a name the district column settles
         ).encode()


def values(db, batch_id=None) -> list[tuple]:
    with reader(db) as con:
        q = "SELECT area_code, value FROM observations" + (" WHERE batch_id = ?" if batch_id else "") + " ORDER BY 1"
        return con.execute(q, [batch_id] if batch_id else []).fetchall()


# --- scope --------------------------------------------------------------------------------------------------------


def test_scope_is_enforced_in_load_file_whatever_the_spelling(areas_db):
    r = load_file(MIXED, "mixed.csv", db=areas_db, scope={"930307"}, user="council-a")
    assert r.status == "rejected" and values(areas_db) == []
    assert sorted((p.row, p.code) for p in r.problems) == [(3, "outside-scope"), (4, "outside-scope"),
                                                            (5, "outside-scope"), (6, "outside-scope")]
    r = load_file(MIXED, "mixed.csv", db=areas_db, scope={"930307"}, skip_invalid=True)
    assert r.status == "partial" and values(areas_db, r.batch_id) == [("930307", 11.0)]


def test_a_district_scope_grants_its_subdistricts_only(areas_db):
    r = load_file(MIXED, "mixed.csv", db=areas_db, scope={"9303"}, skip_invalid=True)
    assert values(areas_db, r.batch_id) == [("930307", 11.0)]


@pytest.mark.parametrize("scope", [set(), {""}, {"9"}, {"x"}, {"TH"}, {" "}])
def test_an_empty_or_malformed_scope_grants_nothing(areas_db, scope):
    r = load_file(MIXED, "mixed.csv", db=areas_db, scope=scope, skip_invalid=True)
    assert r.status == "rejected" and values(areas_db) == []
    assert {p.code for p in r.problems} == {"outside-scope"}


def test_scope_through_the_pages_write_path(areas_db):
    """The upload page calls users.upload_as: role and scope come from the store, not from the page."""
    from loaders.accounts import add_user
    from loaders.users import upload_as

    council = add_user("somchai", "council", scope="930307", password="a long enough passphrase 1", db=areas_db)
    r = upload_as(council, MIXED, "mixed.csv", db=areas_db)
    assert r.status == "rejected" and {p.code for p in r.problems} == {"outside-scope"}
    forged = type(council)(name="somchai", role="admin", scope=(), email=None)  # a page cannot promote itself
    r = upload_as(forged, MIXED, "mixed2.csv", db=areas_db, skip_invalid=True)
    assert values(areas_db, r.batch_id) == [("930307", 11.0)]


# --- uploaded file names --------------------------------------------------------------------------------------------


NAMES = ["../../x.csv", "/etc/passwd", "..\\..\\windows\\x.csv", "C:\\x.csv", "uploads/../../x.csv", "x\x00.csv",
         "a\x1b[31mred.csv", "\u202ecsv.exe", "~/.bashrc", "x" * 5000 + ".csv", "", "CON", "aux.csv", ".csv"]


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_file_names_are_labels_never_paths(areas_db, tmp_path):
    root = areas_db.parent
    before = tree(root)
    stored = []
    for k, name in enumerate(NAMES):
        data = f"area_code,year,households\n930101,2568,{k + 1}\n".encode()
        r = load_file(data, name, db=areas_db, dry_run=k % 3 == 0)
        if r.raw_path:
            assert Path(r.raw_path) == root / "uploads" / r.sha256
        stored.append((r.sha256, r.file_name))
    created = tree(root) - before
    uploads = {p for p in created if p.startswith("uploads")}
    assert created - uploads <= {"areas.duckdb.wal"}, created
    assert all(re.fullmatch(r"uploads(/[0-9a-f]{64})?", p) for p in uploads), uploads
    with reader(areas_db) as con:
        names = [n for (n,) in con.execute("SELECT file_name FROM batches ORDER BY id").fetchall()]
    for name in names:
        assert len(name) <= 255 and not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", name)
    assert display_name("a\x1b[31mred.csv") == "a\ufffd[31mred.csv"
    assert display_name("x" * 5000 + ".xlsx").endswith("….xlsx")
    assert display_name("../../x.csv") == "../../x.csv"  # kept as written: a label, shown, never opened


SANITISERS = ("safe_file_name", "display_name")  # what makes an uploaded name safe to use
_UPLOADED = re.compile(r"\b(file_name|\w*file\.name|upload(ed)?\.name)\b")  # where an uploaded name enters


PURE_PARTS = ("suffix", "suffixes", "stem", "name")  # Path(x).suffix reads text, never the disk


def _path_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """Path(), open(), os.* and shutil.* calls that take an uploaded file's name, followed through assignments
    within each function (a name copied into ``x`` taints ``x``) unless it went through a sanitiser."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    out = []
    scopes = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))] + [tree]
    for scope in scopes:
        tainted: set[str] = set()

        def carries(expr: ast.AST, tainted: set[str] = tainted) -> bool:
            text = ast.unparse(expr)
            if any(f"{s}(" in text for s in SANITISERS):
                return False
            return bool(_UPLOADED.search(text)) or any(re.search(rf"\b{re.escape(n)}\b", text) for n in tainted)

        def on_disk(call: ast.Call) -> bool:
            func = ast.unparse(call.func)
            if func in ("Path", "pathlib.Path"):
                parent = parents.get(call)
                return not (isinstance(parent, ast.Attribute) and parent.attr in PURE_PARTS)
            return func == "open" or func.startswith(("os.path.", "os.", "shutil."))

        body = scope.body if not isinstance(scope, ast.Module) else [
            s for s in scope.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        for node in (n for s in body for n in ast.walk(s)):
            if isinstance(node, ast.Assign) and carries(node.value):
                tainted |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            if isinstance(node, ast.Call) and on_disk(node) and any(
                    carries(a) for a in [*node.args, *[k.value for k in node.keywords]]):
                out.append((node.lineno, ast.unparse(node)))
    return out


def test_no_module_turns_an_uploaded_name_into_a_path():
    """An uploaded file's name reaches only labels: no Path(), open(), os.* or shutil.* call in any module takes it,
    directly or through a variable, unless it went through a sanitiser."""
    offenders = [f"{_rel(f)}:{line}: {call}" for f in _project_modules()
                 for line, call in _path_uses(ast.parse(f.read_text(encoding="utf-8")))]
    assert offenders == []


def test_the_path_check_follows_a_name_through_variables():
    tree = ast.parse("def f(file):\n    name = file.name\n    stem = name.rsplit('.', 1)[0]\n"
                     "    open(stem)\n    Path(safe_file_name(name))\n    kind = Path(name).suffix\n"
                     "    Path(name).write_bytes(b'')\n")
    assert [call for _, call in _path_uses(tree)] == ["open(stem)", "Path(name)"]


# --- SQL --------------------------------------------------------------------------------------------------------------

SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|PRAGMA|COPY|ATTACH|WHERE)\b")
# Interpolations in SQL f-strings of every module (loaders/, indicators/, app_pages/, app.py) that carry no outside
# value: (path, the interpolated expression) → why it is safe.  Reviewed; add with a reason.
_REGISTRY = "generated from the registry: ids validated as identifiers (test below), quoted by _q/_lit"
_FRAGMENT = "a fragment this module builds from constants; the values in it are ? parameters"
ALLOWED: dict[tuple[str, str], str] = {
    ("loaders/batches.py", "', '.join(BATCH_COLUMNS)"): "a constant list of column names",
    ("loaders/batches.py", "year_filter"): '"" or "AND year = ?": the year itself is a parameter',
    ("loaders/batches.py", "BE_OFFSET"): "the constant 543",
    ("loaders/uploads.py", "', '.join(('?' for _ in LOADED_STATUSES))"): "placeholders only",
    ("loaders/accounts.py", "table"): '"users" or "sign_in_failures": where a sign-in\'s wrong attempts are counted',
    ("loaders/accounts.py", "extra"): '"" or a constant SET clause',
    ("loaders/sources/__init__.py", "key"): "a constant list of key columns",
    ("loaders/sources/__init__.py", "match"): "built from that constant list",
    ("indicators/engine/changes.py", "b"): "int(batch): an integer, never text",
    ("loaders/preview.py", "sql"): "one of two constant queries (_STORED); the source is a ? parameter",
    ("indicators/engine/official.py", "where"): _FRAGMENT,
    ("indicators/present/queries.py", "select"): _FRAGMENT, ("indicators/present/queries.py", "cond"): _FRAGMENT,
    ("indicators/present/queries.py", "group"): _FRAGMENT, ("indicators/present/queries.py", "key"): _FRAGMENT,
    ("indicators/present/queries.py", "col"): _FRAGMENT,
    ("indicators/present/queries.py", "sql"): "the registry's values query (values_sql), its values parameters",
    ("indicators/engine/progress.py", "WINDOW"): "the constant 5",
    ("indicators/engine/progress.py", "values_sql"): _REGISTRY,
    **{("indicators/engine/index.py", e): _REGISTRY
       for e in ("_lit(HMI)", "dom_agg", "dom_rows", "hmi_agg", "n_weighted", "spec_rows", "values_sql")},
    **{("indicators/engine/values.py", e): _REGISTRY
       for e in ("', '.join(('w.' + _q(m) for m in used))", "_ORDER_SQL", "_lit(ind.id)", "_lit(m)", "_q(m)",
                 "carried", "i", "measure_list", "measure_rows", "n_areas", "need", "ny", "observations", "pivot",
                 "sep.join(cols)", "sep.join(rolls)", "sep.join(sub_cols)", "sep.join(uppers)", "union", "up_value",
                 "values_sql(registry)", "values_sql(registry, 'scoped')", "year_join", "year_pos")},
}


def _sql_interpolations(files) -> set[tuple[str, str]]:
    found = set()
    for f in files:
        tree_ = ast.parse(f.read_text(encoding="utf-8"))
        for node in ast.walk(tree_):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                if SQL.search(text):
                    found |= {(_rel(f), ast.unparse(v.value)) for v in node.values if isinstance(v, ast.FormattedValue)}
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                    "execute", "sql", "query") and node.args:
                first = node.args[0]
                formatted = isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute) \
                    and first.func.attr == "format"
                if isinstance(first, ast.BinOp) or formatted:
                    found.add((_rel(f), "built by + / % / .format: " + ast.unparse(first)))
    return found


def _rel(path: Path) -> str:
    return path.resolve().relative_to(ROOT).as_posix()


def _project_modules() -> list[Path]:
    return [*sorted(ROOT.glob("loaders/**/*.py")), *sorted(ROOT.glob("indicators/**/*.py")),
            *sorted(ROOT.glob("app_pages/**/*.py")), ROOT / "app.py"]


def test_sql_takes_values_only_as_parameters():
    found = _sql_interpolations(_project_modules())
    unexpected = found - set(ALLOWED)
    assert unexpected == set(), "SQL built from text: pass values as ? parameters (or review and allow-list)"
    assert set(ALLOWED) - found == set(), "allowed interpolations that no longer exist: drop them"


def test_the_sql_scan_sees_text_built_into_sql(monkeypatch, tmp_path):
    """The scan can fail: an f-string, a + and a .format with SQL in them are each found."""
    bad = tmp_path / "bad.py"
    bad.write_text('def f(con, name):\n    con.execute(f"SELECT * FROM areas WHERE name = \'{name}\'")\n'
                   '    con.execute("DELETE FROM areas WHERE code = " + name)\n'
                   '    con.execute("UPDATE areas SET name = {}".format(name))\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    found = {expr for _, expr in _sql_interpolations([bad])}
    assert "name" in found and sum(e.startswith("built by") for e in found) == 2


def test_registry_ids_are_safe_identifiers():
    """indicators/ interpolates measure and indicator ids into SQL: they are validated by pattern (and quoted)."""
    from indicators.registry import load_registry

    reg = load_registry()
    ids = [*reg.measures, *reg.indicators]
    assert ids and all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)


def test_hostile_text_is_stored_as_text(areas_db):
    """Quotes, SQL and formula text in a note are stored and read back verbatim; tables intact."""
    note = "'); DROP TABLE observations; -- =cmd|' /C calc'!A0"
    data = ("area_code,year,households,note\n930101,2568,5,\"" + note.replace('"', '""') + "\"\n").encode()
    r = load_file(data, "note.csv", db=areas_db)
    assert r.status == "loaded"
    with reader(areas_db) as con:
        assert con.execute("SELECT note FROM observations").fetchall() == [(note,)]
    from indicators.present.exports import neutralise

    assert neutralise("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"  # CSV/Excel exports defuse formulas


# --- secrets ----------------------------------------------------------------------------------------------------------


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


def test_secrets_file_and_data_are_git_ignored():
    if git("rev-parse", "--is-inside-work-tree").returncode != 0:
        pytest.skip("not a git checkout")
    for path in (".streamlit/secrets.toml", "data/wellbeing.duckdb", "data/wellbeing.duckdb.wal", "data/uploads/x"):
        assert git("check-ignore", "-q", path).returncode == 0, f"{path} is not git-ignored"
    tracked = git("ls-files").stdout.splitlines()
    assert not [p for p in tracked if p.endswith(("secrets.toml", ".duckdb", ".duckdb.wal", ".pem", ".key"))]


def test_no_secret_in_tracked_files():
    if git("rev-parse", "--is-inside-work-tree").returncode != 0:
        pytest.skip("not a git checkout")
    pattern = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----|\$argon2id?\$v=|AKIA[0-9A-Z]{16}|"
                         r"(client_secret|cookie_secret|password)\s*=\s*[\"'][^\"'<>{}\s]{12,}[\"']")
    hits = []
    for path in git("ls-files").stdout.splitlines():
        p = ROOT / path
        if not p.is_file() or p.suffix in (".png", ".pdf", ".xlsx", ".parquet", ".duckdb", ".zip", ".gz"):
            continue
        text = p.read_text(encoding="utf-8", errors="ignore")
        hits += [f"{path}: {m.group(0)[:40]}" for m in pattern.finditer(text) if "tests/" not in path]
    assert hits == []


def test_cli_never_prints_a_password_or_its_hash(areas_db):
    secret = "correct horse battery staple 42"
    run = lambda *a, stdin=None: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "loaders", *a, "--db", str(areas_db)], cwd=ROOT, input=stdin, capture_output=True,
        text=True, timeout=120)
    outputs = [run("user", "add", "admin1", "--role", "admin", "--password-stdin", stdin=secret + "\n")]
    outputs.append(run("user", "list", "--json"))
    outputs.append(run("user", "list"))
    outputs.append(run("info", "--json"))
    outputs.append(run("batches", "--json"))
    assert outputs[0].returncode == 0, outputs[0].stderr
    for p in outputs:
        text = p.stdout + p.stderr
        assert secret not in text and "$argon2" not in text and "password_hash" not in text
    assert json.loads(outputs[1].stdout)[0]["name"] == "admin1"


def test_html_report_escapes_user_text(demo_db, monkeypatch):
    """Area names (editable by administrators and boundary files) are escaped in the HTML report."""
    import indicators.present.report
    from indicators.present.report import report_html

    # the charts are SVG drawn by Chromium (escaped there); stub them so that this checks the HTML around them
    monkeypatch.setattr(indicators.present.report, "figure_bytes", lambda *a, **k: b'<svg viewBox="0 0 1 1"></svg>')
    evil = "<script>alert(1)</script>&<b>"
    with writer(demo_db) as con:
        con.execute("UPDATE areas SET name_th = ?, name_en = ? WHERE code = '9301'", [evil, evil])
    html_doc = report_html("9301", db=demo_db, lang="en")
    assert "<script>alert(1)" not in html_doc and "&lt;script&gt;alert(1)" in html_doc


@pytest.mark.parametrize(("name", "safe"), [
    ("..", "boundaries"), (".", "boundaries"), ("", "boundaries"), (None, "boundaries"),
    ("../../etc/passwd.geojson", "passwd.geojson"), ("a/b\\c.zip", "c.zip"),
    ("ขอบเขต ตำบล.geojson", "ขอบเขต_ตำบล.geojson"),
    ("x\x1b[31m.gpkg", "x_31m.gpkg"),
])
def test_an_uploaded_boundary_name_is_only_a_plain_file_name(name, safe):
    from loaders.boundaries import safe_file_name

    assert safe_file_name(name) == safe


def test_boundaries_go_through_the_facade_for_admins_only(areas_db):
    """Issue 15 item 6: the Administration page's boundary load goes through users.load_boundaries_as (bytes, not
    a path made from the upload's name), refused for a council, written to the log for an admin."""
    from loaders import accounts, permissions, users
    from loaders.demo_shapes import schematic_shapes

    accounts.add_user("boss", "admin", password="pw-long-enough-1", by="test", db=areas_db)
    accounts.add_user("c9303", "council", scope="9303", password="pw-long-enough-1", by="test", db=areas_db)
    from loaders.areas import official_areas

    shapes = schematic_shapes(official_areas())
    data = shapes[shapes.code.str.len() == 4].to_json().encode()
    with pytest.raises(permissions.NotAllowed):
        users.load_boundaries_as(accounts.get_user("c9303", areas_db), data, "d.geojson", "district", db=areas_db)
    checked = users.load_boundaries_as(accounts.get_user("boss", areas_db), data, "../d.geojson", "district",
                                       dry_run=True, db=areas_db)
    assert checked["dry_run"] and checked["matched"] == 11 and checked["file"] == "d.geojson"
    boss = accounts.get_user("boss", areas_db)
    report = users.load_boundaries_as(boss, data, "../d.geojson", "district", db=areas_db)
    assert report["matched"] == 11
    with reader(areas_db) as con:
        log = con.execute("SELECT actor, action, detail FROM write_log WHERE action = 'boundaries'").fetchall()
    assert log == [("boss", "boundaries", "d.geojson: 11 district(s) matched")]

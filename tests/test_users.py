"""Accounts (loaders.users) and the `user` command line: hashing, lock-out, scopes, role checks on the write path,
the write log; no password ever printed or stored."""

from __future__ import annotations

import io
import json
import threading

import pytest
from argon2 import PasswordHasher

from loaders import accounts, audit, users
from loaders.accounts import LoginFailed, User
from loaders.batches import batch_areas, list_batches
from loaders.cli import main
from loaders.errors import InputRejected
from loaders.permissions import NotAllowed, can_admin, can_undo, can_upload, upload_scope
from loaders.store import reader, writer

PW = "correct horse battery"
PRODUCTION_HASHER = accounts._hasher


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch):
    """Cheap argon2 parameters for speed (the production ones are checked below); the same code paths run."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(accounts, "_dummy", [])


def test_production_hashing_is_argon2id_with_the_recommended_cost():
    h = PRODUCTION_HASHER.hash("x" * 12)
    assert h.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PRODUCTION_HASHER.verify(h, "x" * 12)


def _csv(*rows: str) -> bytes:
    return ("area,year,measure,value\n" + "\n".join(rows) + "\n").encode()


def _value(db, area: str, measure: str, year_be: int) -> float | None:
    with reader(db) as con:
        rows = con.execute("SELECT value FROM observations WHERE area_code = ? AND measure_id = ? AND year = ?",
                           [area, measure, year_be - 543]).fetchall()
    return rows[0][0] if rows else None


# --------------------------------------------------------------------------------------------------- accounts


def test_add_stores_an_argon2_hash_never_the_password(areas_db):
    u = accounts.add_user("somchai", "council", scope="9303, 930307", password=PW, by="tester", db=areas_db)
    assert u == User("somchai", "council", ("9303",), None)  # 930307 lies in 9303
    with reader(areas_db) as con:
        stored = con.execute("SELECT password_hash, created_by FROM users").fetchall()[0]
    assert stored[0].startswith("$argon2id$") and PW not in stored[0]
    assert stored[1] == "tester"
    assert PW.encode() not in areas_db.read_bytes()
    listed = accounts.list_users(areas_db)
    assert "password_hash" not in listed.columns
    assert listed.loc[0, "scope"] == "9303" and bool(listed.loc[0, "has_password"])


def test_two_accounts_with_one_password_get_different_salts(areas_db):
    accounts.add_user("a1", "analyst", password=PW, db=areas_db)
    accounts.add_user("a2", "analyst", password=PW, db=areas_db)
    with reader(areas_db) as con:
        hashes = [r[0] for r in con.execute("SELECT password_hash FROM users").fetchall()]
    assert hashes[0] != hashes[1]


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "x", "role": "admin", "password": PW}, "2–64"),
    ({"name": "bad name", "role": "admin", "password": PW}, "2–64"),
    ({"name": "ok", "role": "boss", "password": PW}, "role"),
    ({"name": "ok", "role": "admin", "password": "short"}, "at least 8"),
    ({"name": "samename", "role": "admin", "password": "samename"}, "account name"),
    ({"name": "ok", "role": "council", "password": PW}, "needs a scope"),
    ({"name": "ok", "role": "council", "scope": "9399", "password": PW}, "unknown area"),
    ({"name": "ok", "role": "council", "scope": "93", "password": PW}, r"district \(4 digits\)"),
    ({"name": "ok", "role": "admin", "scope": "9303", "password": PW}, "council accounts only"),
    ({"name": "ok", "role": "admin"}, "password or an e-mail"),
    ({"name": "ok", "role": "admin", "email": "not-an-address"}, "e-mail"),
])
def test_bad_accounts_are_refused(areas_db, kwargs, message):
    with pytest.raises(InputRejected, match=message):
        accounts.add_user(**kwargs, db=areas_db)
    assert accounts.list_users(areas_db).empty


def test_duplicate_name_and_email_refused(areas_db):
    accounts.add_user("boss", "admin", email="Boss@Example.org", password=PW, db=areas_db)
    with pytest.raises(InputRejected, match="exists already"):
        accounts.add_user("boss", "analyst", password=PW, db=areas_db)
    with pytest.raises(InputRejected, match="already has the e-mail"):
        accounts.add_user("boss2", "analyst", email="boss@example.ORG", db=areas_db)


def test_thai_scope_codes_and_th_prefix(areas_db):
    u = accounts.add_user("council7", "council", scope=["TH930307", "๙๓๐๕"], password=PW, db=areas_db)
    assert u.scope == ("930307", "9305")


def test_authenticate_and_lock_out_after_five_wrong_passwords(areas_db):
    accounts.add_user("somchai", "council", scope="9303", password=PW, db=areas_db)
    assert accounts.authenticate("somchai", PW, db=areas_db).name == "somchai"
    for _ in range(accounts.LOCK_AFTER - 1):
        with pytest.raises(LoginFailed) as exc:
            accounts.authenticate("somchai", "wrong password", db=areas_db)
        assert exc.value.locked_seconds is None and "wrong" in exc.value.message_en
    with pytest.raises(LoginFailed) as exc:
        accounts.authenticate("somchai", "wrong password", db=areas_db)
    assert exc.value.locked_seconds == accounts.LOCK_SECONDS
    with pytest.raises(LoginFailed, match="locked"):  # the right password does not open a locked account
        accounts.authenticate("somchai", PW, db=areas_db)
    listed = accounts.list_users(areas_db)
    assert bool(listed.loc[0, "locked"])
    log = audit.write_log(areas_db)
    assert "user-locked" in set(log.action)
    assert not log.detail.fillna("").str.contains("wrong password$").any()

    with writer(areas_db) as con:  # the lock runs out
        con.execute("UPDATE users SET locked_until = current_timestamp - INTERVAL 1 SECOND")
    assert accounts.authenticate("somchai", PW, db=areas_db).role == "council"


def test_a_success_resets_the_count(areas_db):
    accounts.add_user("somchai", "council", scope="9303", password=PW, db=areas_db)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            accounts.authenticate("somchai", "nope nope", db=areas_db)
    accounts.authenticate("somchai", PW, db=areas_db)
    for _ in range(3):
        with pytest.raises(LoginFailed) as exc:
            accounts.authenticate("somchai", "nope nope", db=areas_db)
        assert exc.value.locked_seconds is None


def test_unknown_names_and_oidc_only_accounts_cannot_sign_in_with_a_password(areas_db):
    accounts.add_user("oidc", "admin", email="a@b.org", db=areas_db)
    for name, pw in [("nobody", PW), ("oidc", PW), ("oidc", ""), ("", "")]:
        with pytest.raises(LoginFailed, match="wrong account name or password"):
            accounts.authenticate(name, pw, db=areas_db)


class _Recording(PasswordHasher):
    """A real argon2 hasher that also records, in order, every password it checks (thread-safe)."""

    def __init__(self) -> None:
        super().__init__(time_cost=2, memory_cost=4096, parallelism=1)
        self.checked: list[str] = []
        self._lock = threading.Lock()

    def verify(self, hash, password):  # noqa: A002 - argon2's own parameter name
        with self._lock:
            self.checked.append(password)
        return super().verify(hash, password)


def _at_once(attempts: list[tuple[str, str]], db) -> list[str]:
    """Run every (name, password) sign-in in its own thread, all released together; each outcome in order:
    "signed-in", "wrong" or "locked"."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str | None] = [None] * len(attempts)

    def attempt(i: int, name: str, password: str) -> None:
        barrier.wait()
        try:
            accounts.authenticate(name, password, db=db)
            outcomes[i] = "signed-in"
        except LoginFailed as exc:
            outcomes[i] = "locked" if exc.locked_seconds else "wrong"

    threads = [threading.Thread(target=attempt, args=(i, *a)) for i, a in enumerate(attempts)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return outcomes  # type: ignore[return-value]


def test_forty_wrong_passwords_at_once_check_only_five(areas_db, monkeypatch):
    """Issue 19 item 2: the lock check and the failure count are one step, whatever arrives at once."""
    accounts.add_user("somchai", "council", scope="9303", password=PW, db=areas_db)
    hasher = _Recording()
    monkeypatch.setattr(accounts, "_hasher", hasher)
    outcomes = _at_once([("somchai", f"wrong password {i}") for i in range(40)], areas_db)
    assert len(hasher.checked) == accounts.LOCK_AFTER, "only five passwords were ever checked"
    assert outcomes.count("wrong") == accounts.LOCK_AFTER - 1
    assert outcomes.count("locked") == 40 - accounts.LOCK_AFTER + 1
    assert bool(accounts.list_users(areas_db).set_index("name").loc["somchai", "locked"])
    with pytest.raises(LoginFailed, match="locked"):
        accounts.authenticate("somchai", PW, db=areas_db)


@pytest.mark.parametrize("right_at", [0, 4, 20, 39])
def test_a_right_password_among_wrong_ones_at_once_never_opens_a_lock(areas_db, monkeypatch, right_at):
    """The checks happen as if one after another: a right password signs in only if fewer than five wrong ones
    were checked before it, and never clears a lock that wrong ones set."""
    accounts.add_user("somchai", "council", scope="9303", password=PW, db=areas_db)
    hasher = _Recording()
    monkeypatch.setattr(accounts, "_hasher", hasher)
    passwords = [PW if i == right_at else f"wrong password {i}" for i in range(40)]
    outcomes = _at_once([("somchai", pw) for pw in passwords], areas_db)
    wrong_in_a_row = 0
    for pw in hasher.checked:  # replay the checks in the order they happened
        assert wrong_in_a_row < accounts.LOCK_AFTER, "a password was checked after the lock"
        wrong_in_a_row = 0 if pw == PW else wrong_in_a_row + 1
    assert wrong_in_a_row == accounts.LOCK_AFTER, "the account ends locked"
    signed_in = PW in hasher.checked
    assert outcomes[right_at] == ("signed-in" if signed_in else "locked")
    assert outcomes.count("signed-in") == int(signed_in)
    assert outcomes.count("locked") == 40 - len(hasher.checked) + 1
    assert len(hasher.checked) == (accounts.LOCK_AFTER + hasher.checked.index(PW) + 1 if signed_in
                                   else accounts.LOCK_AFTER)
    assert bool(accounts.list_users(areas_db).set_index("name").loc["somchai", "locked"])


def test_an_unknown_name_costs_and_behaves_like_a_wrong_password(areas_db, monkeypatch):
    """Same answers, "locked" included after five tries, the same argon2 work and the same transactions (speed is
    never asserted: docs/SECURITY.md has the measured times)."""
    accounts.add_user("somchai", "council", scope="9303", password=PW, db=areas_db)
    accounts.add_user("oidc", "council", scope="9303", email="o@example.org", db=areas_db)  # no password
    hasher = _Recording()
    monkeypatch.setattr(accounts, "_hasher", hasher)
    transactions = []
    real_writer = accounts.writer

    def counting_writer(*args, **kwargs):
        transactions.append(1)
        return real_writer(*args, **kwargs)

    monkeypatch.setattr(accounts, "writer", counting_writer)

    def trace(name: str, password: str) -> list[tuple]:
        out = []
        for _ in range(accounts.LOCK_AFTER + 2):
            checked, opened = len(hasher.checked), len(transactions)
            with pytest.raises(LoginFailed) as exc:
                accounts.authenticate(name, password, db=areas_db)
            out.append((exc.value.message_en, exc.value.message_th, exc.value.locked_seconds is not None,
                        len(hasher.checked) - checked, len(transactions) - opened))
        return out

    known = trace("somchai", "wrong password")
    assert [step[2] for step in known] == [False] * (accounts.LOCK_AFTER - 1) + [True] * 3
    assert [step[3:] for step in known] == [(1, 2)] * accounts.LOCK_AFTER + [(0, 1)] * 2
    assert trace("nobody", "wrong password") == known
    assert trace("oidc", "wrong password") == known
    assert trace("Nobody Else", "") == known
    log = audit.write_log(areas_db)
    assert set(log[log.action == "user-locked"].subject) == {"somchai", "oidc", "(no such account)"}, \
        "an unknown name is never logged (it may be a password typed in the wrong field)"


def test_set_password_lifts_the_lock(areas_db):
    accounts.add_user("somchai", "council", scope="9303", password=PW, db=areas_db)
    for _ in range(accounts.LOCK_AFTER):
        with pytest.raises(LoginFailed):
            accounts.authenticate("somchai", "nope nope", db=areas_db)
    accounts.set_password("somchai", "a new password", by="boss", db=areas_db)
    assert accounts.authenticate("somchai", "a new password", db=areas_db)
    with pytest.raises(LoginFailed):
        accounts.authenticate("somchai", PW, db=areas_db)


def test_oidc_email_maps_to_the_account(areas_db):
    accounts.add_user("boss", "admin", email="Boss@Example.org", db=areas_db)
    u = accounts.user_by_email("BOSS@example.org ", db=areas_db)
    assert u is not None and u.name == "boss" and u.role == "admin" and u.via == "oidc"
    assert accounts.user_by_email("someone@else.org", db=areas_db) is None
    assert accounts.user_by_email(None, db=areas_db) is None


def test_the_last_admin_stays(areas_db):
    accounts.add_user("boss", "admin", password=PW, db=areas_db)
    with pytest.raises(InputRejected, match="at least one admin"):
        accounts.remove_user("boss", db=areas_db)
    with pytest.raises(InputRejected, match="at least one admin"):
        accounts.update_user("boss", role="analyst", db=areas_db)
    accounts.add_user("boss2", "admin", password=PW, db=areas_db)
    assert accounts.remove_user("boss", by="boss2", db=areas_db)
    assert not accounts.remove_user("boss", db=areas_db)


def test_update_role_and_scope(areas_db):
    accounts.add_user("somchai", "council", scope="9303", password=PW, db=areas_db)
    assert accounts.update_user("somchai", scope="930501,930502", by="boss", db=areas_db).scope == ("930501", "930502")
    u = accounts.update_user("somchai", role="analyst", by="boss", db=areas_db)
    assert u.role == "analyst" and u.scope == ()
    with pytest.raises(InputRejected, match="needs a scope"):
        accounts.update_user("somchai", role="council", db=areas_db)


# ------------------------------------------------------------------------------------------------ role checks


def test_role_checks():
    council = User("c", "council", ("9303",))
    admin, analyst = User("a", "admin"), User("n", "analyst")
    assert can_upload(council) and can_upload(council, "930301") and can_upload(council, "9303")
    assert not can_upload(council, "930101") and not can_upload(council, "93")
    assert can_upload(admin, "930101") and not can_upload(analyst) and not can_upload(None)
    assert can_admin(admin) and not can_admin(council) and not can_admin(None)
    assert upload_scope(admin) is None and upload_scope(council) == {"9303"}
    with pytest.raises(NotAllowed):
        upload_scope(analyst)
    mine = {"kind": "upload", "uploaded_by": "c"}
    assert can_undo(council, mine, {"930301"}) and can_undo(admin, mine)
    assert not can_undo(council, mine), "a council's undo needs the batch's areas"
    assert not can_undo(council, mine, {"930301", "930101"}), "every area within the scope"
    assert not can_undo(council, {"kind": "upload", "uploaded_by": "other"}, {"930301"})
    assert not can_undo(council, {"kind": "demo", "uploaded_by": "c"}) and not can_undo(analyst, mine)


def test_upload_as_enforces_the_scope_from_the_store(demo_db):
    accounts.add_user("somchai", "council", scope="9303", password=PW, db=demo_db)
    pretend = User("somchai", "admin")  # a forged role in the session does not widen the scope
    data = _csv("930301,2569,population,1234", "930101,2569,population,99")
    report = users.upload_as(pretend, data, "mixed.csv", db=demo_db)
    assert report.status == "rejected" and [p.code for p in report.problems] == ["outside-scope"]
    assert _value(demo_db, "930301", "population", 2569) != 1234

    report = users.upload_as(pretend, data, "mixed.csv", skip_invalid=True, db=demo_db)
    assert report.status == "partial" and report.rows_loaded == 1
    assert _value(demo_db, "930301", "population", 2569) == 1234
    assert _value(demo_db, "930101", "population", 2569) != 99
    batch = list_batches(demo_db).iloc[0]
    assert batch.uploaded_by == "somchai" and batch.id == report.batch_id


def test_analysts_and_removed_accounts_cannot_write(demo_db):
    accounts.add_user("ana", "analyst", password=PW, db=demo_db)
    accounts.add_user("boss", "admin", password=PW, db=demo_db)
    data = _csv("930301,2569,population,1234")
    with pytest.raises(NotAllowed):
        users.upload_as(User("ana", "analyst"), data, "a.csv", db=demo_db)
    with pytest.raises(NotAllowed, match="no longer exists"):
        users.upload_as(User("ghost", "admin"), data, "a.csv", db=demo_db)
    with pytest.raises(NotAllowed):
        users.set_target_as(User("ana", "admin"), "happiness", 8, 2575, db=demo_db)
    n = len(list_batches(demo_db))
    assert users.upload_as(User("boss", "admin"), data, "a.csv", db=demo_db).status == "loaded"
    assert len(list_batches(demo_db)) == n + 1


def test_councils_undo_only_their_own_uploads(demo_db):
    accounts.add_user("c1", "council", scope="9303", password=PW, db=demo_db)
    accounts.add_user("c2", "council", scope="9303", password=PW, db=demo_db)
    accounts.add_user("boss", "admin", password=PW, db=demo_db)
    before = _value(demo_db, "930301", "population", 2569)
    r1 = users.upload_as(User("c1", "council"), _csv("930301,2569,population,1111"), "c1.csv", db=demo_db)
    with pytest.raises(NotAllowed, match="only your own"):
        users.undo_as(User("c2", "council"), r1.batch_id, db=demo_db)
    demo_batch = int(list_batches(demo_db).query("kind == 'demo'").id.iloc[0])
    with pytest.raises(NotAllowed):
        users.undo_as(User("c1", "council"), demo_batch, db=demo_db)
    out = users.undo_as(User("c1", "council"), r1.batch_id, db=demo_db)
    assert out["undone_by"] == "c1" and _value(demo_db, "930301", "population", 2569) == before
    r2 = users.upload_as(User("c2", "council"), _csv("930301,2569,population,2222"), "c2.csv", db=demo_db)
    assert users.undo_as(User("boss", "admin"), r2.batch_id, db=demo_db)["undone_by"] == "boss"


def test_a_council_cannot_undo_a_batch_holding_another_districts_values(demo_db, tmp_path, capsys):
    """Issue 19 item 4: a batch loaded on the command line with --user somchai holds 9301's values too; somchai
    (scope 9303) may not undo it, an admin may; the batch says it came via the command line."""
    accounts.add_user("somchai", "council", scope="9303", password=PW, db=demo_db)
    accounts.add_user("boss", "admin", password=PW, db=demo_db)
    before = _value(demo_db, "930101", "population", 2569)
    path = tmp_path / "two.csv"
    path.write_bytes(_csv("930301,2569,population,1111", "930101,2569,population,2222"))
    assert main(["csv", str(path), "--user", "somchai", "--db", str(demo_db), "--json"]) == 0
    batch = json.loads(capsys.readouterr().out)["batch_id"]
    row = list_batches(demo_db).set_index("id").loc[batch]
    assert (row.uploaded_by, row.via) == ("somchai", "command line")
    assert "via command line" in audit.write_log(demo_db).set_index("subject").loc[f"batch {batch}", "detail"]
    assert batch_areas([batch], demo_db) == {batch: {"930301", "930101"}}
    somchai = accounts.get_user("somchai", demo_db)
    assert not can_undo(somchai, row.to_dict(), {"930301", "930101"})
    assert can_undo(somchai, row.to_dict(), {"930301"})
    assert not can_undo(somchai, row.to_dict()), "a council needs the batch's areas"
    with pytest.raises(NotAllowed, match=r"outside your scope \(930101\)"):
        users.undo_as(somchai, batch, db=demo_db)
    assert _value(demo_db, "930101", "population", 2569) == 2222, "nothing undone"
    out = users.undo_as(accounts.get_user("boss", demo_db), batch, db=demo_db)
    assert out["removed"] + out["restored"] == 2 and _value(demo_db, "930101", "population", 2569) == before


def test_a_council_loses_undo_of_its_old_batches_when_its_scope_changes(demo_db):
    accounts.add_user("somchai", "council", scope="9303", password=PW, db=demo_db)
    report = users.upload_as(User("somchai", "council"), _csv("930301,2569,population,1111"), "own.csv", db=demo_db)
    accounts.update_user("somchai", scope="9301", by="boss", db=demo_db)
    with pytest.raises(NotAllowed, match=r"outside your scope \(930301\)"):
        users.undo_as(User("somchai", "council", ("9303",)), report.batch_id, db=demo_db)  # the store's scope counts
    assert _value(demo_db, "930301", "population", 2569) == 1111
    accounts.update_user("somchai", scope="930301", by="boss", db=demo_db)
    assert users.undo_as(User("somchai", "council"), report.batch_id, db=demo_db)["undone_by"] == "somchai"


@pytest.mark.parametrize("argv", [["csv", "{file}", "--user", "nobody"], ["undo", "{batch}", "--user", "nobody"],
                                  ["source", "mots-tourism", "{file}", "--user", "nobody"]])
def test_the_command_lines_user_must_be_an_account(demo_db, tmp_path, capsys, argv):
    path = tmp_path / "one.csv"
    path.write_bytes(_csv("930301,2569,population,1111"))
    batch = int(list_batches(demo_db).id.max())
    n = len(list_batches(demo_db))
    args = [a.format(file=path, batch=batch) for a in argv]
    assert main([*args, "--db", str(demo_db), "--json"]) == 2
    assert "no account called nobody" in json.loads(capsys.readouterr().out)["error"]
    assert len(list_batches(demo_db)) == n, "nothing written"


def test_write_log_records_who_did_what(demo_db):
    accounts.add_user("boss", "admin", password=PW, by="cli:root", db=demo_db)
    boss = User("boss", "admin")
    users.set_target_as(boss, "happiness", 8.5, 2575, db=demo_db)
    users.clear_target_as(boss, "happiness", db=demo_db)
    users.set_target_as(boss, "happiness", 9, 2575, area_code="9303", db=demo_db)
    users.upload_as(boss, _csv("930301,2569,population,1234"), "boss.csv", db=demo_db)
    log = audit.write_log(demo_db)
    assert list(log.columns) == ["when", "who", "action", "subject", "detail"]
    rows = {(r.who, r.action) for r in log.itertuples()}
    assert {("cli:root", "user-add"), ("boss", "target-set"), ("boss", "target-clear"), ("boss", "upload"),
            ("boss", "target-in-force")} <= rows
    assert log["when"].is_monotonic_decreasing
    assert not log.detail.fillna("").str.contains(PW).any()


def test_batch_changes_lists_new_and_previous_values(demo_db):
    accounts.add_user("boss", "admin", password=PW, db=demo_db)
    before = _value(demo_db, "930301", "population", 2569)
    r = users.upload_as(User("boss", "admin"), _csv("930301,2569,population,4321"), "b.csv", db=demo_db)
    changes = audit.batch_changes(r.batch_id, db=demo_db)
    assert changes.to_dict(orient="records")[0] | {"flag": None, "note": None} == {
        "area_code": "930301", "measure_id": "population", "year_be": 2569, "value": 4321.0, "previous": before,
        "flag": None, "note": None}


# ------------------------------------------------------------------------------------------------ command line


def _cli(monkeypatch, capsys, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_user_add_list_passwd_remove(areas_db, monkeypatch, capsys):
    db = ["--db", str(areas_db)]
    code, out, err = _cli(monkeypatch, capsys, ["user", "add", "somchai", "--role", "council", "--scope",
                                                "9303,930307", *db], stdin=PW + "\n")
    assert code == 0 and "somchai" in out and PW not in out + err
    code, out, err = _cli(monkeypatch, capsys, ["user", "add", "boss", "--role", "admin", "--email", "b@x.org",
                                                "--password-stdin", "--json", *db], stdin="another pass\n")
    assert code == 0 and json.loads(out) == {"name": "boss", "role": "admin", "scope": [], "email": "b@x.org",
                                             "password": True}
    code, out, _ = _cli(monkeypatch, capsys, ["user", "add", "sso", "--role", "analyst", "--email", "s@x.org",
                                              "--no-password", *db])
    assert code == 0

    code, out, err = _cli(monkeypatch, capsys, ["user", "list", "--json", *db])
    listed = {u["name"]: u for u in json.loads(out)}
    assert set(listed) == {"somchai", "boss", "sso"}
    assert listed["somchai"]["scope"] == "9303" and listed["sso"]["has_password"] is False
    assert "$argon2" not in out and "password_hash" not in out
    code, out, _ = _cli(monkeypatch, capsys, ["user", "list", *db])
    assert code == 0 and "somchai" in out and "council" in out and "$argon2" not in out

    assert accounts.authenticate("somchai", PW, db=areas_db)
    code, out, err = _cli(monkeypatch, capsys, ["user", "passwd", "somchai", *db], stdin="brand new pass\n")
    assert code == 0 and "brand new pass" not in out + err
    assert accounts.authenticate("somchai", "brand new pass", db=areas_db)
    assert audit.write_log(areas_db).query("action == 'user-password'").who.iloc[0].startswith("cli")

    code, out, err = _cli(monkeypatch, capsys, ["user", "remove", "somchai", *db])
    assert code == 0 and accounts.get_user("somchai", areas_db) is None


@pytest.mark.parametrize("argv, stdin, message", [
    (["user", "add", "x1", "--role", "admin"], "short\n", "at least 8"),
    (["user", "add", "x1", "--role", "admin"], "", "no password on stdin"),
    (["user", "add", "x1", "--role", "council"], PW + "\n", "needs a scope"),
    (["user", "remove", "nobody"], "", "no account called nobody"),
    (["user", "passwd", "nobody"], PW + "\n", "no account called nobody"),
    (["user"], "", "user add|list|remove|passwd"),
])
def test_cli_user_errors_exit_2_without_echoing_the_password(areas_db, monkeypatch, capsys, argv, stdin, message):
    code, out, err = _cli(monkeypatch, capsys, [*argv, "--db", str(areas_db)] if len(argv) > 1 else argv,
                          stdin=stdin)
    assert code == 2 and message in err
    if stdin.strip():
        assert stdin.strip() not in out + err


def test_cli_prompts_twice_on_a_terminal(areas_db, monkeypatch, capsys):
    answers = iter([PW, PW + "typo"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty(""))
    capsys.readouterr()
    code = main(["user", "add", "boss", "--role", "admin", "--db", str(areas_db)])
    _, err = capsys.readouterr()
    assert code == 2 and "differ" in err and PW not in err
    answers = iter([PW, PW])
    assert main(["user", "add", "boss", "--role", "admin", "--db", str(areas_db)]) == 0
    assert accounts.authenticate("boss", PW, db=areas_db)

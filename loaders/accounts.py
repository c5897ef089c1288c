"""Accounts (DESIGN §8): names, roles, scopes, e-mail addresses and passwords, and signing in.

Roles: ``council`` (writes only areas within its scope: listed district or subdistrict codes), ``analyst`` (signs
in, exports, never writes), ``admin`` (everything).  An account signs in with a local password (salted argon2id
hash from argon2-cffi; the password itself is never stored, printed or logged) or through the identity provider
configured for Streamlit's OIDC login, matched on its e-mail address.  After :data:`LOCK_AFTER` wrong passwords in a
row an account is locked for :data:`LOCK_SECONDS`.  Every change to an account is logged (:mod:`loaders.audit`).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
import unicodedata
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from loaders.area_names import as_code
from loaders.audit import log
from loaders.errors import InputRejected
from loaders.store import DB, StoreFull, StoreReadOnly, reader, writer

ROLES: tuple[str, ...] = ("council", "analyst", "admin")
LOCK_AFTER = 5  # wrong passwords in a row …
LOCK_SECONDS = 300  # … lock the account this long
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 hashes any length; refuse absurd input before spending the work
_NAME = re.compile(r"^[\w.@+-]{2,64}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

_hasher = PasswordHasher()
_dummy: list[str] = []
_dummy_lock = threading.Lock()
_SIGN_IN_LOCKS = [threading.Lock() for _ in range(64)]
MAX_NAME_TRIED = 256  # what a sign-in keeps of a typed name (an account name has at most 64 characters)



class LoginFailed(Exception):
    """Wrong name or password, or the account is locked; ``message_th``/``message_en`` say which (never why)."""

    def __init__(self, message_th: str, message_en: str, locked_seconds: int | None = None) -> None:
        super().__init__(f"{message_th} / {message_en}")
        self.message_th, self.message_en, self.locked_seconds = message_th, message_en, locked_seconds


@dataclass(frozen=True)
class User:
    """A signed-in account as the app sees it (no password hash)."""

    name: str
    role: str
    scope: tuple[str, ...] = ()
    email: str | None = None
    via: str = "password"  # "password" | "oidc"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


# ----------------------------------------------------------------------------------------------- checks and parsing


def check_name(name: str) -> str:
    """A valid account name (letters, digits, ``. _ @ + -``, 2–64 characters), NFC-normalised."""
    value = unicodedata.normalize("NFC", str(name or "")).strip()
    if not _NAME.fullmatch(value):
        raise InputRejected(
            "ชื่อบัญชีต้องยาว 2–64 ตัวอักษร ใช้ตัวอักษร ตัวเลข หรือ . _ @ + - / an account name is 2–64 letters, "
            f"digits or . _ @ + - (got {value!r})")
    return value


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InputRejected(f"บทบาทต้องเป็น council, analyst หรือ admin / the role must be one of {', '.join(ROLES)} "
                            f"(got {role!r})")
    return role


def check_email(email: str | None) -> str | None:
    """An e-mail address in lower case, or None for none."""
    value = (email or "").strip().lower()
    if not value:
        return None
    if not _EMAIL.fullmatch(value):
        raise InputRejected(f"อีเมลไม่ถูกต้อง / not an e-mail address: {value!r}")
    return value


def check_password(password: str, name: str | None = None) -> str:
    """Refuse short, over-long or name-equal passwords (the message never repeats the password)."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InputRejected(f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD} ตัวอักษร / the password must have at least "
                            f"{MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InputRejected(f"รหัสผ่านยาวเกิน {MAX_PASSWORD} ตัวอักษร / the password is longer than {MAX_PASSWORD}")
    if name and password.strip().casefold() == name.strip().casefold():
        raise InputRejected("รหัสผ่านต้องไม่ซ้ำกับชื่อบัญชี / the password must not be the account name")
    return password


def parse_scope(scope: str | list[str] | tuple[str, ...] | None, role: str, db: DB = None) -> tuple[str, ...]:
    """The area codes of a council's scope, checked against the store's districts and subdistricts.

    ``scope`` is ``"9303,930307"`` (commas or spaces) or a list.  A council needs at least one code; an analyst or
    admin has none (admins write everywhere, analysts nowhere).  Codes nested in another listed code are dropped.
    """
    if isinstance(scope, str):
        items = [s for s in re.split(r"[,\s;]+", scope) if s]
    else:
        items = [str(s) for s in (scope or []) if str(s).strip()]
    if role != "council":
        if items:
            raise InputRejected(f"ขอบเขตพื้นที่ใช้กับบทบาท council เท่านั้น / a scope applies to council accounts only "
                                f"(role {role})")
        return ()
    if not items:
        raise InputRejected("บัญชี council ต้องระบุขอบเขตพื้นที่ (รหัสอำเภอหรือตำบล) / a council account needs a scope: "
                            "district or subdistrict codes, e.g. 9303,930307")
    codes = []
    for item in items:
        code = as_code(item)
        if code is None or len(code) not in (4, 6):
            raise InputRejected(f"ขอบเขตต้องเป็นรหัสอำเภอ (4 หลัก) หรือตำบล (6 หลัก) / a scope is district (4 digits) or "
                                f"subdistrict (6 digits) codes, not {item!r}")
        codes.append(code)
    with reader(db) as con:
        known = {r[0] for r in con.execute(
            "SELECT code FROM areas WHERE level IN ('district', 'subdistrict') AND code IN (SELECT unnest(?))",
            [codes]).fetchall()}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InputRejected(f"ไม่รู้จักรหัสพื้นที่ / unknown area code(s): {', '.join(unknown)}")
    unique = sorted(set(codes))
    return tuple(c for c in unique if not any(c != o and c.startswith(o) for o in unique))


# ----------------------------------------------------------------------------------------------------- the accounts


def _user(row) -> User:
    name, role, scope, email = row[:4]
    return User(name=name, role=role, scope=tuple(scope or ()), email=email, via=row[4] if len(row) > 4 else "password")


def get_user(name: str, db: DB = None) -> User | None:
    """The account called ``name``, or None."""
    with reader(db) as con:
        rows = con.execute("SELECT name, role, scope, email FROM users WHERE name = ?", [str(name)]).fetchall()
    return _user(rows[0]) if rows else None


def user_by_email(email: str | None, db: DB = None) -> User | None:
    """The account whose e-mail is ``email`` (any case): how an OIDC sign-in gets its role.  None when unknown."""
    value = (email or "").strip().lower()
    if not value:
        return None
    with reader(db) as con:
        rows = con.execute("SELECT name, role, scope, email FROM users WHERE lower(email) = ? ORDER BY name",
                           [value]).fetchall()
    if not rows:
        return None
    u = _user(rows[0])
    return User(u.name, u.role, u.scope, u.email, via="oidc")


def list_users(db: DB = None) -> pd.DataFrame:
    """Every account without its hash: name, role, scope (text), email, has_password, created/updated by and at,
    failed_logins, locked (bool), locked_until, last_login."""
    with reader(db) as con:
        return con.execute(
            """SELECT name, role, array_to_string(scope, ',') AS scope, email,
                      password_hash IS NOT NULL AS has_password, created_at, created_by,
                      updated_at, updated_by, failed_logins,
                      coalesce(locked_until > current_timestamp, false) AS locked, locked_until, last_login
               FROM users ORDER BY name""").df()


def _email_taken(con, email: str | None, name: str) -> None:
    if email and con.execute("SELECT 1 FROM users WHERE lower(email) = ? AND name <> ?", [email, name]).fetchall():
        raise InputRejected(f"อีเมลนี้ใช้กับบัญชีอื่นแล้ว / another account already has the e-mail {email}")


def add_user(name: str, role: str, *, scope=None, email: str | None = None, password: str | None = None,
             by: str | None = None, db: DB = None) -> User:
    """Create an account; ``password`` None makes an account that signs in only through OIDC (needs ``email``)."""
    name, role, email = check_name(name), check_role(role), check_email(email)
    codes = parse_scope(scope, role, db)
    if password is None and not email:
        raise InputRejected("บัญชีต้องมีรหัสผ่านหรืออีเมล / an account needs a password or an e-mail (for OIDC)")
    hashed = _hasher.hash(check_password(password, name)) if password is not None else None
    with writer(db) as con:
        if con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchall():
            raise InputRejected(f"มีบัญชีชื่อ {name} แล้ว / an account called {name} exists already")
        _email_taken(con, email, name)
        con.execute(
            """INSERT INTO users (name, role, scope, email, password_hash, created_at, created_by)
               VALUES (?, ?, ?, ?, ?, current_timestamp, ?)""", [name, role, list(codes), email, hashed, by])
        log(con, by, "user-add", name, _describe(role, codes, email))
    return User(name, role, codes, email)


def _describe(role: str, codes: tuple[str, ...], email: str | None) -> str:
    return f"role {role}" + (f", scope {','.join(codes)}" if codes else "") + (f", e-mail {email}" if email else "")


def update_user(name: str, *, role: str | None = None, scope=None, email: str | None = None, by: str | None = None,
                db: DB = None) -> User:
    """Change an account's role, scope or e-mail (``email=""`` removes it)."""
    current = get_user(name, db)
    if current is None:
        raise InputRejected(f"ไม่มีบัญชีชื่อ {name} / no account called {name}")
    new_role = check_role(role) if role is not None else current.role
    if scope is None and new_role == current.role:
        codes = current.scope
    else:
        codes = parse_scope(scope if scope is not None else ([] if new_role != "council" else current.scope),
                            new_role, db)
    new_email = current.email if email is None else check_email(email)
    with writer(db) as con:
        _email_taken(con, new_email, name)
        if current.is_admin and new_role != "admin":
            _keep_an_admin(con, name)
        con.execute("""UPDATE users SET role = ?, scope = ?, email = ?, updated_at = current_timestamp,
                           updated_by = ? WHERE name = ?""", [new_role, list(codes), new_email, by, name])
        log(con, by, "user-update", name, _describe(new_role, codes, new_email))
    return User(name, new_role, codes, new_email)


def _keep_an_admin(con, name: str) -> None:
    others = con.execute("SELECT count(*) FROM users WHERE role = 'admin' AND name <> ?", [name]).fetchall()[0][0]
    if not others:
        raise InputRejected("ต้องมีผู้ดูแลระบบอย่างน้อยหนึ่งบัญชี / at least one admin account must remain")


def remove_user(name: str, *, by: str | None = None, db: DB = None) -> bool:
    """Delete an account (its batches keep its name); refused for the last admin.  False when there was none."""
    with writer(db) as con:
        rows = con.execute("SELECT role FROM users WHERE name = ?", [name]).fetchall()
        if not rows:
            return False
        if rows[0][0] == "admin":
            _keep_an_admin(con, name)
        con.execute("DELETE FROM users WHERE name = ?", [name])
        log(con, by, "user-remove", name, None)
    return True


def set_password(name: str, password: str, *, by: str | None = None, db: DB = None) -> None:
    """Set a new password (and lift a lock)."""
    hashed = _hasher.hash(check_password(password, name))
    with writer(db) as con:
        if not con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchall():
            raise InputRejected(f"ไม่มีบัญชีชื่อ {name} / no account called {name}")
        con.execute("""UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL,
                           updated_at = current_timestamp, updated_by = ? WHERE name = ?""", [hashed, by, name])
        log(con, by, "user-password", name, "password set" + (" by an administrator" if by and by != name else ""))


def _dummy_hash() -> str:
    with _dummy_lock:
        if not _dummy:
            _dummy.append(_hasher.hash(os.urandom(16).hex()))
        return _dummy[0]


_WRONG = ("ชื่อบัญชีหรือรหัสผ่านไม่ถูกต้อง", "wrong account name or password")


def _locked(seconds: int) -> LoginFailed:
    minutes = max(1, -(-seconds // 60))
    return LoginFailed(f"บัญชีถูกล็อกชั่วคราวเพราะใส่รหัสผ่านผิดหลายครั้ง ลองใหม่ในอีก {minutes} นาที",
                       f"too many wrong passwords: the account is locked, try again in {minutes} minute(s)",
                       locked_seconds=seconds)


def _sign_in_lock(name: str) -> threading.Lock:
    """The in-process lock of one name (striped: a bounded number of locks, whatever names are tried)."""
    return _SIGN_IN_LOCKS[hash(name) % len(_SIGN_IN_LOCKS)]


def _reserve(con, name: str) -> tuple[tuple | None, int, int]:
    """Take one sign-in attempt for ``name`` in the open write transaction: (account row or None, seconds still
    locked, wrong attempts in a row counting this one).

    The attempt counts as wrong *before* its password is checked, so the check of the lock and the count are one
    step: however many attempts arrive at once, at most :data:`LOCK_AFTER` in a row are ever checked.  A name with no
    account is counted in ``sign_in_failures`` the same way, so it behaves (and costs) like a wrong password.
    """
    rows = con.execute("SELECT name, role, scope, email, password_hash FROM users WHERE name = ?", [name]).fetchall()
    if rows:
        table = "users"
    else:
        table = "sign_in_failures"
        con.execute("DELETE FROM sign_in_failures WHERE last_failed_at < current_timestamp - to_seconds(?)",
                    [2 * LOCK_SECONDS])  # forgotten after a quiet while: the table stays small
        con.execute("INSERT INTO sign_in_failures (name) VALUES (?) ON CONFLICT DO NOTHING", [name])
    # table is one of two constants; values are parameters
    con.execute(f"UPDATE {table} SET failed_logins = 0, locked_until = NULL "
                "WHERE name = ? AND locked_until <= current_timestamp", [name])  # a lock that ran out
    wait = con.execute(f"SELECT greatest(ceil(epoch(locked_until) - epoch(current_timestamp)), 0) FROM {table} "
                       "WHERE name = ?", [name]).fetchall()[0][0]  # whole seconds, rounded up: 0 only when ran out
    if wait:
        return (rows[0] if rows else None), int(wait), 0
    extra = ", last_failed_at = current_timestamp" if table == "sign_in_failures" else ""
    failed = con.execute(f"UPDATE {table} SET failed_logins = failed_logins + 1{extra} WHERE name = ? "
                         "RETURNING failed_logins", [name]).fetchall()[0][0]
    if failed >= LOCK_AFTER:
        con.execute(f"UPDATE {table} SET locked_until = current_timestamp + to_seconds(?) WHERE name = ?",
                    [LOCK_SECONDS, name])
    return (rows[0] if rows else None), 0, int(failed)


def authenticate(name: str, password: str, db: DB = None) -> User:
    """Check a local password; return the account or raise :class:`LoginFailed`.

    One attempt at a time per name in this process, and each attempt is counted before its password is checked
    (:func:`_reserve`), so concurrent attempts cannot outrun the lock: the :data:`LOCK_AFTER`-th wrong password in a
    row locks the name for :data:`LOCK_SECONDS`, and a locked name is not even checked.  An unknown name, an account
    without a password (OIDC only) and an empty or over-long password take the same path (one transaction, one
    argon2 verification against a dummy hash) and get the same answers, "locked" included.
    """
    name = unicodedata.normalize("NFC", str(name or "")).strip()[:MAX_NAME_TRIED]
    password = password if isinstance(password, str) else ""
    with _sign_in_lock(name):
        try:
            with writer(db) as con:
                row, wait, failed = _reserve(con, name)
            recorded = True
        except (StoreReadOnly, StoreFull) as exc:  # sign-in still works; the attempt is counted in this process
            row, wait, failed = _reserve_unrecorded(name, db, exc)
            recorded = False
        if wait:
            raise _locked(wait)
        stored = row[4] if row is not None else None
        usable = stored is not None and 0 < len(password) <= MAX_PASSWORD
        try:
            ok = _hasher.verify(stored if usable else _dummy_hash(), password[:MAX_PASSWORD] or "-") and usable
        except (VerificationError, InvalidHashError):
            ok = False
        if recorded:
            try:
                with writer(db) as con:
                    if ok:
                        rehash = _hasher.hash(password) if _hasher.check_needs_rehash(stored) else stored
                        con.execute("""UPDATE users SET failed_logins = 0, locked_until = NULL,
                                           last_login = current_timestamp, password_hash = ? WHERE name = ?""",
                                    [rehash, name])
                    elif failed >= LOCK_AFTER:
                        log(con, None, "user-locked", name if row is not None else "(no such account)",
                            f"{LOCK_AFTER} wrong passwords in a row: locked {LOCK_SECONDS} s")
            except (StoreReadOnly, StoreFull) as exc:  # the attempt was counted; only the bookkeeping is lost
                _log.warning("sign-in of %s %s, bookkeeping not recorded: %s", name,
                             "succeeded" if ok else "failed", exc)
        elif ok:
            with _unrecorded_lock:
                _unrecorded.pop(name, None)
        if ok:
            return _user(row[:4])
        if failed >= LOCK_AFTER:
            raise _locked(LOCK_SECONDS)
        raise LoginFailed(*_WRONG)


# A store that cannot be written (read-only, or a full disk) still lets people sign in: the password is checked and
# a recorded lock-out still holds (both are reads); only the bookkeeping write is skipped, with a warning.  Wrong
# passwords that cannot be recorded are counted in this process instead, so the lock-out keeps working meanwhile.
_log = logging.getLogger(__name__)
_unrecorded: dict[str, list[float]] = {}
_unrecorded_lock = threading.Lock()


def _reserve_unrecorded(name: str, db: DB, exc: Exception) -> tuple[tuple | None, int, int]:
    """:func:`_reserve` for a store that cannot be written: the account and a recorded lock are read from the store,
    and the attempt is counted (before its password is checked) in this process."""
    _log.warning("sign-in attempt for %s counted in this process only: %s", name, exc)
    with reader(db) as con:
        rows = con.execute(
            """SELECT name, role, scope, email, password_hash,
                      greatest(ceil(epoch(locked_until) - epoch(current_timestamp)), 0) AS wait
               FROM users WHERE name = ?""", [name]).fetchall()
    row = rows[0][:5] if rows else None
    if rows and rows[0][5]:
        return row, int(rows[0][5]), 0
    now = time.monotonic()
    with _unrecorded_lock:
        recent = [t for t in _unrecorded.get(name, []) if now - t < LOCK_SECONDS]
        if len(recent) >= LOCK_AFTER:  # locked in this process: not even a right password gets in
            _unrecorded[name] = recent
            return row, int(LOCK_SECONDS - (now - recent[-LOCK_AFTER])) + 1, 0
        recent.append(now)
        _unrecorded[name] = recent
    return row, 0, len(recent)

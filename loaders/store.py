"""The store: the one place that opens the DuckDB file.

Every write goes through :func:`writer` (one transaction, serialised in-process by a lock, retried with back-off
when another process holds the file).  Reads go through :func:`reader`.  No connection is kept open between
operations, so several processes can take turns on one file (DuckDB allows one writing process at a time).
"""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from loaders.errors import env_number
from loaders.schema import SCHEMA_VERSION, SchemaTooOld, migrate, refuse_newer, schema_version

DB = str | os.PathLike[str] | None  #: a store: its path, or None for $WELLBEING_DB or the default
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "wellbeing.duckdb"

# DuckDB refuses two connections with different settings to one file inside one process, so every open in this
# process (read or write) takes this lock; operations are short, so readers barely wait.
_LOCK = threading.RLock()


class StoreError(Exception):
    """A problem with the store that the user can act on (exit 2 on the command line)."""


class StoreBusy(StoreError):
    """Another process is writing; try again."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"ฐานข้อมูลกำลังถูกใช้งาน โปรดลองอีกครั้ง / database busy, try again ({path})"
        )


class StoreMissing(StoreError):
    """The database file does not exist yet."""


class StoreFull(StoreError):
    """The disk that holds the store (or its upload archive) is full: nothing was written."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"พื้นที่ดิสก์เต็ม ไม่ได้บันทึกสิ่งใด แจ้งผู้ดูแลระบบ / the disk is full, nothing was written: "
                         f"tell the administrator ({path})")


class StoreReadOnly(StoreError):
    """The store (or its upload archive) cannot be written: a read-only file, folder or file system."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"ฐานข้อมูลเปิดได้แบบอ่านอย่างเดียว ไม่ได้บันทึกสิ่งใด / the database is read-only, nothing was "
                         f"written ({path})")


_FULL = ("no space left", "disk full", "disk is full", "not enough space")
_READ_ONLY = ("read-only file system", "permission denied", "read only", "readonly", "operation not permitted")


def store_fault(exc: BaseException, path: str | os.PathLike[str]) -> StoreError | None:
    """The :class:`StoreFull` or :class:`StoreReadOnly` that an OS or DuckDB error means, or None for other errors.

    Python's OSError carries an errno; DuckDB puts the operating system's words in its message ("Could not write
    file …: No space left on device", "Cannot open file …: Read-only file system").
    """
    code = getattr(exc, "errno", None)
    text = str(exc).lower()
    if code in (errno.ENOSPC, errno.EDQUOT) or any(w in text for w in _FULL):
        return StoreFull(Path(path))
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or any(w in text for w in _READ_ONLY):
        return StoreReadOnly(Path(path))
    return None


def db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The database file: ``path`` if given, else ``$WELLBEING_DB``, else ``data/wellbeing.duckdb``."""
    if path:
        return Path(path)
    env = os.environ.get("WELLBEING_DB")
    return Path(env) if env else DEFAULT_DB


def uploads_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Where raw uploads are archived: ``uploads/`` beside the database file."""
    return db_path(path).parent / "uploads"


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used" in text


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + env_number("WELLBEING_BUSY_TIMEOUT", 5.0, minimum=0)
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                if _is_lock_error(exc):
                    raise StoreBusy(path) from exc
                fault = store_fault(exc, path)
                if fault is not None:
                    raise fault from exc
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


@contextmanager
def writer(path: str | os.PathLike[str] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the store for writing, migrated to the current schema, inside one transaction.

    The transaction commits when the block ends and rolls back if it raises: a batch lands whole or not at all.
    A full disk raises :class:`StoreFull` and a read-only store :class:`StoreReadOnly` (nothing written).
    """
    p = db_path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise (store_fault(exc, p) or exc) from exc
    with _LOCK:
        con = _open(p, read_only=False)
        try:
            migrate(con)
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        except (duckdb.Error, OSError) as exc:
            fault = store_fault(exc, p)
            if fault is None:
                raise
            raise fault from exc
        finally:
            con.close()


@contextmanager
def reader(path: str | os.PathLike[str] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the store read-only; it never writes.  A missing file raises StoreMissing, an older schema
    :class:`~loaders.schema.SchemaTooOld` (migrated by :func:`writer`, ``python -m loaders migrate``)."""
    p = db_path(path)
    if not p.exists():
        raise StoreMissing(
            f"ไม่พบฐานข้อมูล / no database at {p}: run `python -m loaders demo` or `python -m loaders init`"
        )
    with _LOCK:
        con = _open(p, read_only=True)
        try:
            version = refuse_newer(schema_version(con))
            if version < SCHEMA_VERSION:
                raise SchemaTooOld(version, p)
            yield con
        finally:
            con.close()


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """A value from the ``meta`` table, or None."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return row[0][0] if row else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str | None) -> None:
    """Set (or with None, delete) a ``meta`` value; call inside :func:`writer`."""
    con.execute("DELETE FROM meta WHERE key = ?", [key])
    if value is not None:
        con.execute("INSERT INTO meta VALUES (?, ?)", [key, value])

"""Versioned schema migrations of the store (DESIGN §3).

Each migration is a list of SQL statements applied once, in order, in one transaction with the bump of
``schema_version``.  Opening a file made by a newer version of the software is refused.
"""

from __future__ import annotations

import duckdb

MIGRATIONS: list[list[str]] = [
    # 1: areas, observations with history, batches with their problems, targets, meta
    [
        "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        """CREATE TABLE areas (
            code VARCHAR PRIMARY KEY,
            level VARCHAR NOT NULL CHECK (level IN ('province', 'district', 'subdistrict')),
            parent_code VARCHAR,
            name_th VARCHAR NOT NULL,
            name_en VARCHAR NOT NULL,
            geometry BLOB,
            area_km2 DOUBLE,
            geometry_source VARCHAR
        )""",
        "CREATE SEQUENCE batch_ids START 1",
        """CREATE TABLE batches (
            id INTEGER PRIMARY KEY DEFAULT nextval('batch_ids'),
            kind VARCHAR NOT NULL,
            source VARCHAR NOT NULL DEFAULT 'council',
            sha256 VARCHAR,
            file_name VARCHAR,
            uploaded_by VARCHAR,
            uploaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
            status VARCHAR NOT NULL,
            rows_read INTEGER,
            rows_loaded INTEGER,
            values_changed INTEGER,
            raw_path VARCHAR,
            encoding VARCHAR,
            undone_at TIMESTAMPTZ,
            undone_by VARCHAR
        )""",
        """CREATE TABLE observations (
            area_code VARCHAR NOT NULL,
            measure_id VARCHAR NOT NULL,
            year INTEGER NOT NULL,
            value DOUBLE NOT NULL,
            batch_id INTEGER NOT NULL,
            flag VARCHAR,
            note VARCHAR,
            PRIMARY KEY (area_code, measure_id, year)
        )""",
        """CREATE TABLE observation_history (
            area_code VARCHAR NOT NULL,
            measure_id VARCHAR NOT NULL,
            year INTEGER NOT NULL,
            value DOUBLE,
            flag VARCHAR,
            note VARCHAR,
            batch_id INTEGER,
            replaced_by INTEGER NOT NULL,
            replaced_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
        )""",
        """CREATE TABLE batch_problems (
            batch_id INTEGER NOT NULL,
            row_number INTEGER,
            column_name VARCHAR,
            column_number INTEGER,
            value VARCHAR,
            code VARCHAR NOT NULL,
            message_th VARCHAR NOT NULL,
            message_en VARCHAR NOT NULL
        )""",
        """CREATE TABLE targets (
            indicator_id VARCHAR NOT NULL,
            area_code VARCHAR NOT NULL DEFAULT '',
            target DOUBLE NOT NULL,
            target_year INTEGER NOT NULL,
            set_by VARCHAR NOT NULL,
            set_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
            PRIMARY KEY (indicator_id, area_code)
        )""",
    ],
    # 2: what an upload detected and how batches relate (issue 3: council uploads)
    [
        "ALTER TABLE batches ADD COLUMN delimiter VARCHAR",
        "ALTER TABLE batches ADD COLUMN problem_count INTEGER",
        "ALTER TABLE batches ADD COLUMN undo_of INTEGER",
    ],
    # 3: accounts and roles, and a log of administrative writes (issue 6: upload page, access, administration)
    [
        """CREATE TABLE users (
            name VARCHAR PRIMARY KEY,
            role VARCHAR NOT NULL CHECK (role IN ('council', 'analyst', 'admin')),
            scope VARCHAR[] NOT NULL DEFAULT [],
            email VARCHAR,
            password_hash VARCHAR,
            created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
            created_by VARCHAR,
            updated_at TIMESTAMPTZ,
            updated_by VARCHAR,
            failed_logins INTEGER NOT NULL DEFAULT 0,
            locked_until TIMESTAMPTZ,
            last_login TIMESTAMPTZ
        )""",
        """CREATE TABLE write_log (
            logged_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
            actor VARCHAR,
            action VARCHAR NOT NULL,
            subject VARCHAR,
            detail VARCHAR
        )""",
    ],
    # 4: figures published by agencies (issue 10: ministry tourism tables), by period and source, kept apart from
    # council observations: (area, measure, source, year, month) is the key, month 0 a figure for the whole year
    [
        """CREATE TABLE official_observations (
            area_code VARCHAR NOT NULL,
            measure_id VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            year INTEGER NOT NULL,
            month INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
            value DOUBLE NOT NULL,
            batch_id INTEGER NOT NULL,
            PRIMARY KEY (area_code, measure_id, source, year, month)
        )""",
        """CREATE TABLE official_history (
            area_code VARCHAR NOT NULL,
            measure_id VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            year INTEGER NOT NULL,
            month INTEGER NOT NULL,
            value DOUBLE,
            batch_id INTEGER,
            replaced_by INTEGER NOT NULL,
            replaced_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
        )""",
    ],
    # 5: issue 19 (security): wrong sign-ins for names that have no account, counted like an account's (so an unknown
    # name is locked after as many tries); the file rows each upload loaded (a known file loads only the rows not yet
    # loaded from it); how a batch was made (NULL: the app, 'command line')
    [
        """CREATE TABLE sign_in_failures (
            name VARCHAR PRIMARY KEY,
            failed_logins INTEGER NOT NULL DEFAULT 0,
            locked_until TIMESTAMPTZ,
            last_failed_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
        )""",
        "ALTER TABLE batches ADD COLUMN loaded_rows INTEGER[]",
        "ALTER TABLE batches ADD COLUMN via VARCHAR",
        "ALTER TABLE batches ADD COLUMN sheet VARCHAR",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(Exception):
    """The file was written by a newer version of this software."""


class SchemaTooOld(Exception):
    """The file was written by an older version: a reader never upgrades it (reads never write)."""

    def __init__(self, version: int, path: object) -> None:
        super().__init__(
            f"ฐานข้อมูลนี้สร้างด้วยซอฟต์แวร์รุ่นเก่ากว่า ให้ปรับรุ่นด้วยคำสั่ง python -m loaders migrate / this database was "
            f"written by an older version (schema {version}; this version needs {SCHEMA_VERSION}): upgrade it with "
            f"`python -m loaders migrate --db {path}` (an upload or any other write upgrades it too)")
        self.version = version


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open store (0 for an empty file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    rows = con.execute("SELECT max(version) FROM schema_version").fetchall()
    return int(rows[0][0] or 0)


def refuse_newer(version: int) -> int:
    """Return ``version``, or raise SchemaTooNew when it is newer than this software knows."""
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"ฐานข้อมูลนี้สร้างด้วยซอฟต์แวร์รุ่นใหม่กว่า / this database was written by a newer version of the "
            f"software (schema {version}; this version knows up to {SCHEMA_VERSION}): upgrade the software first"
        )
    return version


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring an open, writable store up to :data:`SCHEMA_VERSION`; return the version it had."""
    before = refuse_newer(schema_version(con))
    if before == SCHEMA_VERSION:
        return before
    con.execute("BEGIN TRANSACTION")
    try:
        if before == 0:
            con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMPTZ)")
        for version in range(before + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version - 1]:
                con.execute(statement)
            con.execute("INSERT INTO schema_version VALUES (?, current_timestamp)", [version])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return before

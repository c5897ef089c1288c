"""The app's write path: every write a signed-in user makes, checked against the store's current account.

:func:`upload_as`, :func:`undo_as` and the other ``…_as`` functions look the account up again (a removed account or
a changed role takes effect at once), check its role and scope (:mod:`loaders.permissions`) against the store, not
against what a page happened to show, and then call the same loaders as the command line.
"""

from __future__ import annotations

from loaders.accounts import User, get_user
from loaders.area_names import in_scope
from loaders.audit import record
from loaders.batches import undo_batch
from loaders.boundaries import load_boundaries_bytes
from loaders.errors import InputRejected
from loaders.permissions import NotAllowed, can_admin, can_undo, upload_scope
from loaders.sources import adapters, load_source
from loaders.store import DB
from loaders.targets import clear_target, set_target
from loaders.uploads import load_file

# ------------------------------------------------------------------------------------------- the app's write path


def _fresh(user: User, db: DB) -> User:
    """The account as the store holds it now (a removed account or a changed role takes effect at once)."""
    current = get_user(user.name, db)
    if current is None:
        raise NotAllowed(f"ไม่มีบัญชี {user.name} แล้ว / the account {user.name} no longer exists")
    return User(current.name, current.role, current.scope, current.email, user.via)


def upload_as(user: User, data: bytes, file_name: str, *, skip_invalid: bool = False, dry_run: bool = False,
              db: DB = None, **options):
    """Check (``dry_run``) or load a council file as ``user``: role and scope come from the store, then
    :func:`loaders.uploads.load_file` does the rest (rows outside the scope are ``outside-scope`` problems)."""

    if options.get("source") is not None:  # agency figures go through load_agency_file_as (admins only)
        raise NotAllowed("ข้อมูลของหน่วยงานนำเข้าได้เฉพาะผู้ดูแลระบบ / only administrators load agency figures")
    user = _fresh(user, db)
    return load_file(data, file_name, db=db, user=user.name, scope=upload_scope(user), skip_invalid=skip_invalid,
                     dry_run=dry_run, **options)


def load_agency_file_as(user: User, source: str, data: bytes, file_name: str, *, skip_invalid: bool = False,
                        dry_run: bool = False, measure: str | None = None, db: DB = None, checker=None):
    """Check (``dry_run``) or load a council-shaped file as agency ``source``'s figures
    (:func:`loaders.uploads.load_file` with ``source``) as ``user``, who must be an admin now; a load is also
    written to the write log.  ``checker``: where the file is read and checked (the page: a worker process)."""

    user = _fresh(user, db)
    if not can_admin(user):
        raise NotAllowed("ข้อมูลของหน่วยงานนำเข้าได้เฉพาะผู้ดูแลระบบ / only administrators load agency figures")
    report = load_file(data, file_name, db=db, user=user.name, skip_invalid=skip_invalid, dry_run=dry_run,
                       measure=measure, source=source, checker=checker)
    if not dry_run and report.status in ("loaded", "partial"):
        record(user.name, "source", source,
               f"{report.file_name}: batch {report.batch_id}, {report.values_changed} values changed", db=db)
    return report


def load_source_as(user: User, adapter: str, data: bytes, file_name: str, *, skip_invalid: bool = False,
                   dry_run: bool = False, db: DB = None):
    """Check (``dry_run``) or load an agency table (:mod:`loaders.sources`) as ``user``, who must be an admin now;
    a load is also written to the write log."""

    user = _fresh(user, db)
    if not can_admin(user):
        raise NotAllowed("ตารางของหน่วยงานนำเข้าได้เฉพาะผู้ดูแลระบบ / only administrators load agency tables")
    spec = adapters().get(adapter)
    if spec is None:
        raise InputRejected(f"ไม่รู้จักตาราง {adapter!r} / unknown agency table {adapter!r}")
    report = load_source(spec, data, file_name, db=db, user=user.name, dry_run=dry_run, skip_invalid=skip_invalid)
    if not dry_run and report.status in ("loaded", "partial"):
        record(user.name, "source", spec.source,
               f"{report.file_name}: batch {report.batch_id}, {report.values_changed} values changed", db=db)
    return report


def load_boundaries_as(user: User, data: bytes, file_name: str, level: str, *, dry_run: bool = False,
                       db: DB = None) -> dict:
    """Check (``dry_run``) or load district or subdistrict shapes as ``user``, who must be an admin now; a load is
    written to the write log."""

    user = _fresh(user, db)
    if not can_admin(user):
        raise NotAllowed("โหลดขอบเขตพื้นที่ได้เฉพาะผู้ดูแลระบบ / only administrators load boundaries")
    report = load_boundaries_bytes(data, file_name, level, db, dry_run=dry_run)
    if not dry_run:
        record(user.name, "boundaries", level, f"{report.get('file')}: {report.get('matched')} {level}(s) matched",
               db=db)
    return report


def undo_as(user: User, batch_id: int, db: DB = None) -> dict:
    """Undo a batch as ``user``: admins any batch; councils their own uploads, every area of which is within their
    scope as the store holds it now (checked inside the undo's transaction)."""

    user = _fresh(user, db)

    def allowed(batch: dict) -> None:
        if can_undo(user, batch, batch["areas"]):
            return
        if batch["kind"] != "upload" or batch["uploaded_by"] != user.name:
            raise NotAllowed(f"ยกเลิกได้เฉพาะชุดข้อมูลที่ตนเองนำเข้า / you may undo only your own uploads "
                             f"(batch {batch_id})")
        outside = ", ".join(sorted(a for a in batch["areas"] if not in_scope(a, set(user.scope))))
        raise NotAllowed(f"ชุดข้อมูลที่ {batch_id} มีค่าของพื้นที่นอกขอบเขตของบัญชีนี้ ({outside}) / batch {batch_id} "
                         f"holds values of areas outside your scope ({outside}): ask an administrator")

    return undo_batch(int(batch_id), user=user.name, db=db, allowed=allowed)


def set_target_as(user: User, indicator_id: str, target: float, target_year_be: int, area_code: str | None = None,
                  db: DB = None) -> dict:
    """Set a target as an admin (recorded in the targets table and the write log)."""

    user = _fresh(user, db)
    if not can_admin(user):
        raise NotAllowed("เฉพาะผู้ดูแลระบบ / administrators only")
    result = set_target(indicator_id, target, target_year_be, user.name, area_code=area_code, db=db)
    record(user.name, "target-set", f"{indicator_id} {area_code or '*'}",
           f"{result['target']:g} by {target_year_be} BE", db=db)
    return result


def clear_target_as(user: User, indicator_id: str, area_code: str | None = None, db: DB = None) -> bool:
    """Remove a target override as an admin (the registry's target applies again); logged."""

    user = _fresh(user, db)
    if not can_admin(user):
        raise NotAllowed("เฉพาะผู้ดูแลระบบ / administrators only")
    removed = clear_target(indicator_id, area_code, db=db)
    if removed:
        record(user.name, "target-clear", f"{indicator_id} {area_code or '*'}", "registry target applies", db=db)
    return removed

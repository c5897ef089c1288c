"""Who may do what: upload within a scope, undo a batch, administer (checked on the server, against the store)."""

from __future__ import annotations

import pandas as pd

from loaders.accounts import User
from loaders.area_names import in_scope
from loaders.errors import InputRejected

UPLOAD_ROLES = ("council", "admin")


class NotAllowed(InputRejected):
    """The signed-in user's role or scope does not allow this; nothing was written."""



# ------------------------------------------------------------------------------------------------------ role checks


def can_upload(user: User | None, area: str | None = None) -> bool:
    """May ``user`` write values (of ``area``, when given)?  Admins anywhere; councils within their scope."""
    if user is None or user.role not in UPLOAD_ROLES:
        return False
    return area is None or user.is_admin or in_scope(area, set(user.scope))


def can_admin(user: User | None) -> bool:
    return user is not None and user.is_admin


def upload_scope(user: User) -> set[str] | None:
    """The scope handed to the loader: None (everywhere) for an admin, the listed codes for a council."""
    if not can_upload(user):
        raise NotAllowed(f"บัญชี {user.name} ({user.role}) ไม่มีสิทธิ์นำเข้าข้อมูล / account {user.name} ({user.role}) "
                         "may not upload")
    return None if user.is_admin else set(user.scope)


def can_undo(user: User | None, batch: dict | pd.Series, areas: set[str] | None = None) -> bool:
    """Admins undo any batch; a council undoes an upload it made itself whose every area (``areas``: all the batch
    wrote, :func:`loaders.batches.batch_areas`) is within its scope now.  Without ``areas`` a council may not."""
    if user is None:
        return False
    if user.is_admin:
        return True
    if user.role != "council" or batch.get("kind") != "upload" or batch.get("uploaded_by") != user.name:
        return False
    return areas is not None and all(in_scope(a, set(user.scope)) for a in areas)

"""Undoing a batch from a page (issue 18): an undo button only asks; a dialog names the batch (its id, file, rows and
values, who loaded it and when, what undoing would restore and remove, its first values old → new) and the undo
happens on its confirm button.

:func:`ask` records which batch was asked for; :func:`dialog`, called on every run of the page, opens the dialog while
one is asked for.  Confirm runs :func:`loaders.users.undo_as` (which checks the account and scope again in the
store); cancel, or closing the dialog, forgets the question.  Either way ``done(ok, text)`` (plain text) is the
page's to show after its rerun.  In Thai "ยกเลิก" is both "undo" and "cancel": the cancel button says "keep it".
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from app_pages import _auth as auth
from app_pages import _ui as ui
from indicators.present.i18n import batch_file_label, fmt_when
from loaders import audit, users
from loaders.accounts import User
from loaders.batches import undo_effect
from loaders.errors import InputRejected

ASKED = "_undo_asked"
CHANGES_SHOWN = 8  # values of the batch listed in the dialog (old → new); the rest are counted


def ask(batch_id: int) -> None:
    """Ask to undo ``batch_id``: the dialog opens in this run (call :func:`dialog` after the button)."""
    st.session_state[ASKED] = int(batch_id)


def _forget() -> None:
    st.session_state.pop(ASKED, None)


def dialog(user: User, batches: pd.DataFrame, done: Callable[[bool, str], None]) -> None:
    """The confirmation dialog of the batch asked for, if any (``batches``: :func:`loaders.batches.list_batches`)."""
    asked = st.session_state.get(ASKED)
    if asked is None:
        return
    rows = batches[batches.id == asked]
    if rows.empty:  # gone meanwhile
        _forget()
        return
    batch = rows.iloc[0].to_dict()
    st.dialog(ui.T("undo.title", batch=asked), on_dismiss=_forget, width="medium")(_body)(user, batch, done)


def _count(v) -> str:
    return "–" if v is None or pd.isna(v) else f"{int(v):,}"


def _body(user: User, batch: dict, done: Callable[[bool, str], None]) -> None:
    T = ui.T
    bid = int(batch["id"])
    lang = ui.lang()
    st.markdown(ui.md("undo.what", file=batch_file_label(batch["file_name"], batch["kind"], batch.get("undo_of"), lang),
                      by=batch["uploaded_by"] if isinstance(batch["uploaded_by"], str) else "–",
                      when=fmt_when(batch["uploaded_at"]), rows=_count(batch["rows_loaded"]),
                      values=_count(batch["values_changed"])))
    effect = undo_effect(bid)
    st.caption(T("undo.effect", restored=f"{effect['restored']:,}", removed=f"{effect['removed']:,}"))
    changes = audit.batch_changes(bid)
    if len(changes):  # the values the batch holds now, with the value each replaced (what comes back)
        table = auth.changes_table(changes.head(CHANGES_SHOWN), lang)  # old → new first: what a phone shows
        table = table[[T(k) for k in ("col.area", "col.old_value", "col.new_value", "col.measure", "col.year")]]
        st.dataframe(table, hide_index=True, height=min(35 * (min(len(changes), CHANGES_SHOWN) + 1) + 3, 320))
        if len(changes) > CHANGES_SHOWN:
            st.caption(T("undo.changes_listed", shown=f"{CHANGES_SHOWN:,}", n=f"{len(changes):,}"))
    left, right = st.columns(2)
    if left.button(T("undo.confirm", batch=bid), type="primary", key="undo_confirm", icon=":material/undo:",
                   width="stretch"):
        _forget()
        try:
            out = users.undo_as(user, bid)
        except InputRejected as exc:
            done(False, str(exc))
        else:
            done(True, T("upload.undone", batch=out["batch_id"], restored=out["restored"], removed=out["removed"]))
        st.rerun()
    if right.button(T("undo.cancel"), key="undo_cancel", width="stretch"):
        _forget()
        st.rerun()

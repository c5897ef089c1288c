"""Upload (community councils): template, file, preview with every problem, confirm, the batch that landed, undo.

The page never writes by itself: it calls :func:`loaders.users.upload_as` (role and scope from the store, then the
same :func:`loaders.uploads.load_file` as ``python -m loaders csv``), first as a dry run for the preview.  A file with
years as columns that names no measure gets a choice of the measure (``--measure`` on the command line).  The file
is read and checked in a worker process (:mod:`loaders.workers`, bounded in time and memory), never on this
session's thread: a 1,000,000-row workbook takes about 20 s, and the server's other sessions go on meanwhile.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import partial

import pandas as pd
import streamlit as st

from app_pages import _auth as auth
from app_pages import _ui as ui
from app_pages import _undo as undo
from app_pages._cache import db as store_path
from app_pages._cache import q
from indicators.present import upload_preview
from indicators.present.i18n import batch_file_label, batch_status_word, fmt_when
from indicators.registry import BE_OFFSET, load_registry
from loaders import audit, permissions, users, workers
from loaders.batches import batch_areas, list_batches
from loaders.errors import InputRejected
from loaders.problems import cell_text
from loaders.templates import make_template
from loaders.uploads import MB, display_name, max_upload_bytes, max_upload_rows

lang = ui.lang()
T = ui.T
user = auth.require(permissions.can_upload, "auth.what_upload")

MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
PREVIEW_ROWS = 15

st.title(T("upload.title"))
labels = {code: label.strip("　 ") for code, label in q.area_choices(lang).items()}
if user.is_admin:
    st.caption(ui.md("upload.intro_admin", name=user.name))
else:
    st.caption(ui.md("upload.intro", name=user.name, scope=", ".join(labels.get(c, c) for c in user.scope)))

# ------------------------------------------------------------------------------------------------ 1. template
st.subheader(T("upload.step_template"))
if user.is_admin:
    province = q.province_code()
    choices = [province, *q.district_choices(lang)] if province else list(q.district_choices(lang))
else:
    choices = list(user.scope)
c1, c2, c3 = st.columns([3, 1, 1])
area = c1.selectbox(T("upload.area"), choices, format_func=lambda c: labels.get(c, c), key="tpl_area")
this_year = dt.date.today().year + BE_OFFSET
year = int(c2.number_input(T("upload.year"), min_value=2540, max_value=2600, value=this_year, step=1, key="tpl_year"))
fmt = c3.radio(T("upload.format"), ["csv", "xlsx"], horizontal=True, key="tpl_format") or "csv"
if area:
    st.download_button(T("upload.download_template"), data=partial(make_template, area, year, fmt, db=store_path()),
                       file_name=f"template_{area}_{year}.{fmt}", mime=MIME[fmt], key="tpl_download",
                       icon=":material/download:")

# -------------------------------------------------------------------------------------------- 2. file and preview
st.subheader(T("upload.step_file"))
workers.warm()  # the worker of the next check starts now, so that it is ready when a file comes
generation = st.session_state.setdefault("upload_generation", 0)
file = st.file_uploader(T("upload.file"), type=["csv", "txt", "tsv", "xlsx"], key=f"upload_file_{generation}",
                        help=T("upload.file_help", mb=f"{max_upload_bytes() / MB:,g}", rows=f"{max_upload_rows():,}"),
                        max_upload_size=ui.upload_limit_mb())
modes = {"all": T("upload.mode_all"), "valid": T("upload.mode_valid")}
mode = st.radio(T("upload.mode"), list(modes), format_func=modes.get, key="upload_mode", horizontal=True) or "all"
skip_invalid = mode == "valid"
levels = {"auto": T("upload.level_auto"), **{lv: T(f"level.{lv}") for lv in ("subdistrict", "district", "province")}}
level_choice = st.selectbox(T("upload.level"), list(levels), format_func=levels.get, key="upload_level",
                            help=T("upload.level_help")) or "auto"
level = None if level_choice == "auto" else level_choice


def _message(report: dict) -> str:
    """A load report's message for an alert (escaped: an error's message may quote what was typed or named)."""
    return ui.esc(report["message_en"] if lang == "en" else report["message_th"])


def _preview(head: list[list], header_row: int | None) -> pd.DataFrame | None:
    """The first rows of the file as the check read them (``head``: up to the header and PREVIEW_ROWS below)."""
    h = max(1, header_row or 1)
    if len(head) < h:
        return None
    header = [str(c) if c is not None else "" for c in head[h - 1]]
    body = head[h:h + PREVIEW_ROWS]
    width = max([len(header), *(len(r) for r in body)]) if body else len(header)
    columns = [f"{i + 1}. {header[i]}" if i < len(header) and header[i] else f"{i + 1}." for i in range(width)]
    frame = pd.DataFrame([[cell_text(v) or "" for v in r] + [""] * (width - len(r)) for r in body],
                         columns=columns)
    frame.insert(0, "#row", range(h + 1, h + 1 + len(body)))
    return frame


def form_word(form: str | None) -> str:
    """How a file was read (long, wide, years as columns), in the page's language."""
    return T(f"form.{form}") if form in ("long", "wide", "years") else "–"


def what_loads(meets) -> None:
    """What confirming would do: the values as matched and read, and the stored values they replace (old → new)."""
    reg = load_registry()
    st.markdown(f"**{T('upload.what_loads')}** · "
                + T("load.replaces", new=f"{meets.new:,}", replaced=f"{meets.replaced:,}", same=f"{meets.same:,}"))
    st.caption(T("upload.rows_shown"))
    ui.table(upload_preview.matched_rows(meets.rows, reg, lang), height=min(35 * (len(meets.rows) + 1) + 3, 390),
             align_numbers=True)
    if len(meets.rows) < meets.values:
        st.caption(T("upload.rows_listed", shown=f"{len(meets.rows):,}", n=f"{meets.values:,}"))
    if not meets.replaced:
        st.caption(T("upload.no_replacements"))
        return
    st.markdown(f"**{T('upload.replacements', n=f'{meets.replaced:,}')}**")
    ui.table(upload_preview.replacements(meets.replacements, reg, lang),
             height=min(35 * (len(meets.replacements) + 1) + 3, 390), align_numbers=True)
    if len(meets.replacements) < meets.replaced:
        st.caption(T("upload.replacements_listed", shown=f"{len(meets.replacements):,}", n=f"{meets.replaced:,}"))


WARNINGS_LISTED = 10  # in the alert above the confirm button; every listed warning is in the table under it


def warnings_in_view(report: dict) -> None:
    """The warnings, listed in an alert right above the confirm button: they reject nothing, the clerk decides."""
    listed = report["warnings"]
    lines = [f"- {ui.esc(w['message_en'] if lang == 'en' else w['message_th'])}" for w in listed[:WARNINGS_LISTED]]
    more = report["warning_count"] - min(len(listed), WARNINGS_LISTED)
    if more:
        lines.append(f"- {T('upload.warnings_more', n=f'{more:,}')}")
    st.warning(T("upload.warnings", n=f"{report['warning_count']:,}") + "\n\n" + "\n".join(lines),
               icon=":material/warning:")
    if len(listed) > WARNINGS_LISTED:
        with st.expander(T("upload.warnings_table", n=f"{report['warning_count']:,}")):
            ui.table(ui.problems_table(listed), height=min(35 * (len(listed) + 1) + 3, 420))


if file is not None:
    data = file.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    measure_key = f"upload_measure_{sha[:16]}"  # one choice per file: another file never inherits it
    measure = st.session_state.get(measure_key) or None
    key = (sha, file.name, skip_invalid, level, measure)
    cached = st.session_state.get("upload_check")
    if not cached or cached[0] != key:
        try:
            with st.spinner(ui.esc(f"{T('upload.step_file')} · {display_name(file.name)} · {len(data):,} B"),
                            show_time=True):  # the check runs in a worker process: other sessions go on
                checked = users.upload_as(user, data, file.name, skip_invalid=skip_invalid, dry_run=True,
                                          level=level, measure=measure, checker=workers.check_file,
                                          head=PREVIEW_ROWS)
        except InputRejected as exc:
            st.error(ui.esc(exc))
            st.stop()
        report = checked.to_dict()
        preview = _preview(checked.head, report["header_row"])  # the rows the check read: the file is read once
        st.session_state["upload_check"] = (key, report, preview, checked.preview)
    else:
        report, preview = cached[1], cached[2]
    meets = st.session_state["upload_check"][3]  # what the values meet in the store (loaders.preview)

    st.markdown(f"**{ui.esc(display_name(file.name))}** · {len(data):,} B")
    reg = load_registry()
    facts = [T("upload.fact_form", form=form_word(report["form"])),
             T("upload.fact_encoding", enc=report["encoding"] or "–"),
             T("upload.fact_delimiter", delim=report["delimiter"] or "–"),
             T("upload.fact_rows", rows=report["rows_read"], values=report["values_loaded"])]
    if report["levels"] and set(report["levels"]) != {"subdistrict"}:
        facts.append(T("upload.fact_levels", levels=", ".join(
            T("upload.fact_level_rows", level=T(f"level.{lv}"), n=f"{n:,}") for lv, n in report["levels"].items())))
    if report["form"] == "years":
        facts.insert(1, T("upload.fact_measure", measure=reg.measures[report["measure"]].name.get(lang)
                          if report["measure"] else T("upload.measure_from_column")))
    st.caption(" · ".join(facts))
    if report["measure_from"] == "argument" or any(p["code"] == "years-as-columns" for p in report["problems"]):
        options = ["", *reg.council_measures]
        st.selectbox(T("upload.choose_measure"), options, key=measure_key, help=T("upload.choose_measure_help"),
                     format_func=lambda m: f"{reg.measures[m].name.get(lang)} ({m})" if m else T("upload.no_measure"))
    if preview is not None:
        preview = preview.rename(columns={"#row": T("upload.col_row")})
        with st.expander(T("upload.preview", n=len(preview)), expanded=meets is None or not meets.values):
            st.dataframe(preview, hide_index=True)

    loadable = report["status"] == "checked"
    if report["status"] == "duplicate":
        st.info(_message(report))
    elif report["problem_count"]:
        text = _message(report)
        if loadable:
            text += " · " + T("upload.problems", n=report["problem_count"])
        (st.warning if loadable else st.error)(text)
        ui.table(ui.problems_table(report["problems"]), height=min(35 * (len(report["problems"]) + 1) + 3, 420))
        if report["partial"]:
            st.caption(T("upload.problems_partial", shown=len(report["problems"]), n=report["problem_count"]))
        if not loadable and not skip_invalid and report["values_loaded"] == 0:
            st.caption(T("upload.fix_or_valid"))
    else:  # a clean check; with warnings not the all-clear green: the warnings come with the confirm button
        (st.info if report.get("warning_count") else st.success)(_message(report))
    if loadable and meets is not None and meets.values:
        what_loads(meets)

    # ------------------------------------------------------------------------------------------------ 3. confirm
    st.subheader(T("upload.step_confirm"))
    if report.get("warning_count"):
        warnings_in_view(report)
    if st.button(T("upload.confirm"), type="primary", disabled=not loadable, key="upload_confirm",
                 icon=":material/cloud_upload:"):
        try:
            with st.spinner(ui.esc(T("upload.confirm")) + " …", show_time=True):
                result = users.upload_as(user, data, file.name, skip_invalid=skip_invalid, level=level,
                                         measure=measure, checker=workers.check_file).to_dict()
        except InputRejected as exc:
            result = {"ok": False, "status": "error", "message_th": str(exc), "message_en": str(exc), "problems": [],
                      "batch_id": None}
        st.session_state["upload_result"] = result
        st.session_state.pop("upload_check", None)
        st.session_state["upload_generation"] = generation + 1  # a new, empty file picker
        st.rerun()

# ------------------------------------------------------------------------------------------------ the last result
result = st.session_state.get("upload_result")
if result:
    with st.container(border=True):
        st.markdown(f"**{T('upload.result')}**")
        if result["status"] in ("loaded", "partial"):
            st.success(_message(result))
            changes = audit.batch_changes(result["batch_id"])
            if len(changes):
                st.dataframe(auth.changes_table(changes, lang), hide_index=True,
                             height=min(35 * (len(changes) + 1) + 3, 420))
        elif result["status"] == "duplicate":
            st.info(_message(result))
        else:
            st.error(_message(result))
            if result.get("problems"):
                ui.table(ui.problems_table(result["problems"]))

undo_message = st.session_state.pop("upload_undo_message", None)
if undo_message:
    (st.success if undo_message[0] else st.error)(ui.esc(undo_message[1]))

# --------------------------------------------------------------------------------------------- 4. own batches
st.subheader(T("upload.my_batches"))
batches = list_batches()
mine = batches[batches.uploaded_by == user.name].head(50)
if mine.empty:
    st.info(T("upload.no_batches"))
else:
    areas = batch_areas(mine.id.tolist())
    head = st.columns([1, 4, 2, 2, 2, 2])
    for col, k in zip(head, ["upload.col_batch", "upload.col_file", "upload.col_when", "upload.col_status",
                             "upload.col_changed", "upload.col_action"], strict=True):
        col.markdown(f"**{T(k)}**")
    for b in mine.to_dict(orient="records"):
        c = st.columns([1, 4, 2, 2, 2, 2])
        c[0].text(str(b["id"]))
        c[1].text(batch_file_label(b["file_name"], b["kind"], b["undo_of"], lang))  # plain text, never Markdown
        c[2].text(fmt_when(b["uploaded_at"]))
        c[3].text(batch_status_word(b["status"], b["kind"], lang))
        c[4].text("–" if pd.isna(b["values_changed"]) else f"{int(b['values_changed']):,}")
        undoable = b["kind"] == "upload" and b["status"] in ("loaded", "partial") \
            and permissions.can_undo(user, b, areas.get(b["id"]))  # own upload, every area within the scope now
        if undoable and c[5].button(T("upload.undo"), key=f"undo_{b['id']}", icon=":material/undo:"):
            undo.ask(b["id"])  # the dialog says what will happen; the undo waits for its confirm button


def undone(ok: bool, text: str) -> None:
    st.session_state["upload_undo_message"] = (ok, text)
    st.session_state.pop("upload_result", None)


undo.dialog(user, batches, undone)

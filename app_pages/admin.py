"""Administration (admins only): targets, batches with undo, accounts and scopes, boundaries, coverage, write log,
agency tables and an agency's figures in a council-shaped file.

Every change goes through :mod:`loaders` functions that record who made it (:mod:`loaders.users`,
:mod:`loaders.targets`, :mod:`loaders.batches`, :mod:`loaders.boundaries`); the page re-checks the role itself.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from app_pages import _auth as auth
from app_pages import _ui as ui
from app_pages import _undo as undo
from app_pages._cache import q
from indicators.present.i18n import batch_file_label, batch_kind_word, batch_status_word, fmt_when, fmt_year
from indicators.registry import AGENCIES, load_registry
from loaders import accounts, audit, permissions, users, workers
from loaders.batches import batch_problems, list_batches
from loaders.boundaries import format_report
from loaders.errors import InputRejected
from loaders.sources import adapters
from loaders.targets import list_targets

lang = ui.lang()
T = ui.T
admin = auth.require(permissions.can_admin, "auth.what_admin")
reg = load_registry()

st.title(T("admin.title"))
st.caption(ui.md("admin.intro", name=admin.name))

message = st.session_state.pop("admin_message", None)
if message:
    (st.success if message[0] else st.error)(message[1])  # made with ui.md / ui.esc


def done(ok: bool, text: str) -> None:
    """Show ``text`` after the rerun that redraws every table with the change."""
    st.session_state["admin_message"] = (ok, text)
    st.rerun()


def attempt(action, success) -> None:
    """Run a write; report its error on the page (nothing was written) or its success after a rerun."""
    try:
        result = action()
    except InputRejected as exc:  # a store fault is said by app.py (no path, no traceback)
        st.error(ui.esc(exc))
        return
    done(True, success(result))


labels = {code: label.strip("　 ") for code, label in q.area_choices(lang).items()}
indicators = q.indicator_choices(lang)

tabs = st.tabs([T("admin.tab_targets"), T("admin.tab_batches"), T("admin.tab_users"), T("admin.tab_boundaries"),
                T("admin.tab_coverage"), T("admin.tab_log"), T("admin.tab_sources")])

# --------------------------------------------------------------------------------------------------------- targets
with tabs[0]:
    st.subheader(T("admin.targets"))
    st.caption(T("admin.targets_help"))
    overrides = list_targets()
    if overrides.empty:
        st.info(T("admin.no_overrides"))
    else:
        ui.table(pd.DataFrame({
            T("col.indicator"): overrides.indicator_id.map(lambda i: indicators.get(i, i)),
            T("col.area"): overrides.area_code.map(lambda c: labels.get(c, c) if c else T("admin.all_areas")),
            T("col.target"): overrides.target,
            T("col.target_year"): overrides.target_year.map(lambda y: fmt_year(y, lang)),
            T("admin.col_set_by"): overrides.set_by,
            T("admin.col_set_at"): overrides.set_at.map(fmt_when),
        }))
    with st.expander(T("admin.registry_targets")):
        ui.table(pd.DataFrame({
            T("col.indicator"): [indicators.get(i, i) for i in reg.indicators],
            T("col.target"): [ind.target.text(ind.unit.get(lang)) for ind in reg.indicators.values()],
            T("col.target_year"): [str(ind.target_year_be) for ind in reg.indicators.values()],
        }))

    with st.form("target_form"):
        c1, c2 = st.columns(2)
        indicator = c1.selectbox(T("col.indicator"), list(indicators), format_func=indicators.get, key="tg_indicator")
        area_codes = ["", *labels]
        area = c2.selectbox(T("col.area"), area_codes, key="tg_area",
                            format_func=lambda c: labels.get(c, c) if c else T("admin.all_areas"))
        c3, c4 = st.columns(2)
        value = c3.number_input(T("col.target"), value=None, format="%g", key="tg_value")
        year = c4.number_input(T("col.target_year"), min_value=2540, max_value=2600, value=2575, step=1,
                               key="tg_year")
        if st.form_submit_button(T("admin.set_target"), type="primary", key="tg_set"):
            if value is None:
                st.error(T("admin.target_needed"))
            else:
                attempt(lambda: users.set_target_as(admin, indicator, value, int(year), area or None),
                        lambda r: ui.md("admin.target_set", indicator=indicators.get(r["indicator_id"]),
                                    target=f"{r['target']:g}", year=r["target_year_be"]))
    if not overrides.empty:
        keys = [f"{r.indicator_id}|{r.area_code}" for r in overrides.itertuples()]
        c1, c2 = st.columns([3, 1])
        chosen = c1.selectbox(T("admin.clear_which"), keys, key="tg_clear_which", format_func=lambda k: (
            f"{indicators.get(k.split('|')[0], k)} · "
            f"{labels.get(k.split('|')[1], T('admin.all_areas')) if k.split('|')[1] else T('admin.all_areas')}"))
        if c2.button(T("admin.clear_target"), key="tg_clear") and chosen:
            ind, code = chosen.split("|")
            attempt(lambda: users.clear_target_as(admin, ind, code or None),
                    lambda _r: ui.md("admin.target_cleared", indicator=indicators.get(ind, ind)))

# --------------------------------------------------------------------------------------------------------- batches
with tabs[1]:
    st.subheader(T("admin.batches"))
    batches = list_batches()
    if batches.empty:
        st.info(T("upload.no_batches"))
    else:
        ui.table(pd.DataFrame({
            T("upload.col_batch"): batches.id,
            T("admin.col_kind"): batches.kind.map(lambda k: batch_kind_word(k, lang)),
            T("upload.col_status"): [batch_status_word(s, k, lang) for s, k in zip(batches.status, batches.kind,
                                                                                   strict=True)],
            T("upload.col_file"): [batch_file_label(f, k, u, lang)
                                   for f, k, u in zip(batches.file_name, batches.kind, batches.undo_of, strict=True)],
            T("admin.col_by"): batches.uploaded_by.fillna("–"),
            T("upload.col_when"): batches.uploaded_at.map(fmt_when),
            T("admin.col_rows"): [f"{'–' if pd.isna(a) else int(a)}/{'–' if pd.isna(b) else int(b)}"
                                  for a, b in zip(batches.rows_loaded, batches.rows_read, strict=True)],
            T("upload.col_changed"): batches.values_changed.astype("Int64"),
            T("admin.col_problems"): batches.problem_count.astype("Int64"),
            T("admin.col_undone_by"): batches.undone_by.fillna(""),
        }), height=420)
        undoable = batches[(batches.kind != "undo") & batches.status.isin(["loaded", "partial"])].set_index("id")
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        # nothing chosen at first (never the demo, never a guess): the dialog then names the batch before undoing
        which = c1.selectbox(T("admin.undo_which"), undoable.index.tolist(), key="batch_undo_which", index=None,
                             placeholder=T("undo.choose"), format_func=lambda i: " · ".join(
                                 [str(i), batch_kind_word(undoable.kind[i], lang),
                                  batch_file_label(undoable.file_name[i], undoable.kind[i], None, lang)]))
        if c2.button(T("upload.undo"), key="batch_undo", icon=":material/undo:", disabled=which is None):
            undo.ask(which)
        undo.dialog(admin, batches, lambda ok, text: done(ok, ui.esc(text)))
        with_problems = batches[batches.problem_count.fillna(0) > 0].id.tolist()
        if with_problems:
            pick = st.selectbox(T("admin.problems_of"), with_problems, key="batch_problems_which")
            ui.table(batch_problems(int(pick)), height=300)

# ----------------------------------------------------------------------------------------------------------- users
with tabs[2]:
    st.subheader(T("admin.users"))
    listed = accounts.list_users()
    if not listed.empty:
        ui.table(pd.DataFrame({
            T("auth.name"): listed.name,
            T("admin.col_role"): listed.role.map(lambda r: T(f"role.{r}")),
            T("admin.col_scope"): listed.scope.fillna(""),
            T("admin.col_email"): listed.email.fillna(""),
            T("admin.col_password"): listed.has_password.map(lambda b: "✓" if b else "–"),
            T("admin.col_locked"): listed.locked.map(lambda b: "🔒" if b else ""),
            T("admin.col_last_login"): listed.last_login.map(fmt_when),
            T("admin.col_created"): [f"{fmt_when(w)} · {b if isinstance(b, str) else '–'}"
                                     for w, b in zip(listed.created_at, listed.created_by, strict=True)],
        }))
    st.markdown(f"**{T('admin.add_user')}**")
    roles = list(accounts.ROLES)
    with st.form("add_user", clear_on_submit=False):
        c1, c2 = st.columns(2)
        name = c1.text_input(T("auth.name"), key="nu_name")
        role = c2.selectbox(T("admin.col_role"), roles, format_func=lambda r: T(f"role.{r}"), key="nu_role")
        c3, c4 = st.columns(2)
        scope = c3.text_input(T("admin.col_scope"), key="nu_scope", help=T("admin.scope_help"))
        email = c4.text_input(T("admin.col_email"), key="nu_email", help=T("admin.email_help"))
        c5, c6 = st.columns(2)
        pw = c5.text_input(T("auth.password"), type="password", key="nu_password", autocomplete="new-password",
                           help=T("admin.password_help"))
        pw2 = c6.text_input(T("auth.new_password_again"), type="password", key="nu_password2",
                            autocomplete="new-password")
        if st.form_submit_button(T("admin.add_user"), type="primary", key="nu_submit"):
            if pw != pw2:
                st.error(T("auth.passwords_differ"))
            else:
                attempt(lambda: accounts.add_user(name, role, scope=scope, email=email, password=pw or None,
                                               by=admin.name),
                        lambda u: ui.md("admin.user_added", name=u.name, role=T(f"role.{u.role}")))
    if not listed.empty:
        names = listed.name.tolist()
        left, right = st.columns(2)
        with left, st.container(border=True):
            st.markdown(f"**{T('admin.edit_user')}**")
            who = st.selectbox(T("auth.name"), names, key="eu_name")
            current = listed.set_index("name").loc[who]
            with st.form("edit_user", border=False):  # the fields start from the chosen account's values
                new_role = st.selectbox(T("admin.col_role"), roles, index=roles.index(current.role),
                                        format_func=lambda r: T(f"role.{r}"), key=f"eu_role_{who}")
                new_scope = st.text_input(T("admin.col_scope"), value=current.scope or "", key=f"eu_scope_{who}",
                                          help=T("admin.scope_help"))
                new_email = st.text_input(T("admin.col_email"), key=f"eu_email_{who}", help=T("admin.email_help"),
                                          value=current.email if isinstance(current.email, str) else "")
                if st.form_submit_button(T("admin.save_user"), key="eu_submit"):
                    attempt(lambda: accounts.update_user(who, role=new_role, email=new_email, by=admin.name,
                                                      scope=(new_scope or None) if new_role == "council" else None),
                            lambda u: ui.md("admin.user_saved", name=u.name))
        with right, st.form("reset_password", clear_on_submit=True):
            st.markdown(f"**{T('admin.reset_password')}**")
            who_pw = st.selectbox(T("auth.name"), names, key="rp_name")
            new_pw = st.text_input(T("auth.new_password"), type="password", key="rp_password",
                                   autocomplete="new-password")
            if st.form_submit_button(T("admin.reset_password"), key="rp_submit"):
                attempt(lambda: accounts.set_password(who_pw, new_pw, by=admin.name),
                        lambda _r: ui.md("admin.password_reset", name=who_pw))
        c1, c2 = st.columns([3, 1])
        gone = c1.selectbox(T("admin.remove_which"), [n for n in names if n != admin.name], key="ru_name")
        if c2.button(T("admin.remove_user"), key="ru_submit", icon=":material/person_remove:",
                     disabled=gone is None):
            attempt(lambda: accounts.remove_user(gone, by=admin.name),
                    lambda _r: ui.md("admin.user_removed", name=gone))

# ------------------------------------------------------------------------------------------------------ boundaries
with tabs[3]:
    st.subheader(T("admin.boundaries"))
    st.caption(T("admin.boundaries_help"))
    levels = ["district", "subdistrict"]
    level = st.radio(T("word.level"), levels, format_func=lambda lv: T(f"level.{lv}"), key="bd_level",
                     horizontal=True) or "district"
    shapes = st.file_uploader(T("admin.boundaries_file"), type=["geojson", "json", "zip", "gpkg"], key="bd_file")
    bd_dry = st.checkbox(T("admin.boundaries_dry_run"), key="bd_dry")
    if st.button(T("admin.load_boundaries"), key="bd_load", disabled=shapes is None, type="primary"):
        try:
            report = users.load_boundaries_as(admin, shapes.getvalue(), shapes.name, level, dry_run=bd_dry)
        except InputRejected as exc:
            st.error(ui.esc(exc))
            details = getattr(exc, "report", None)
            if details:
                with st.expander(T("admin.boundaries_details")):
                    st.json(details, expanded=True)
        except Exception as exc:  # noqa: BLE001 - an unreadable file is a message, never a crash
            if ui.fault_of(exc):
                raise  # a store or disk fault: app.py says it plainly
            st.error(ui.md("admin.boundaries_failed", error=f"{type(exc).__name__}: {exc}"))
        else:
            if bd_dry:
                st.info(T("admin.boundaries_checked", n=report.get("matched"), level=T(f"level.{level}")))
            else:
                st.success(T("admin.boundaries_loaded", n=report.get("matched"), level=T(f"level.{level}")))
            st.code(format_report(report), language=None)

# -------------------------------------------------------------------------------------------------------- coverage
with tabs[4]:
    st.subheader(T("reporting.title"))
    years = q.observation_years()
    if not years:
        st.info(T("reporting.no_obs"))
    else:
        districts = {"": T("word.all_districts"), **q.district_choices(lang)}
        c1, c2 = st.columns(2)
        cy = c1.selectbox(T("reporting.year"), years[::-1], format_func=lambda y: fmt_year(y, lang), key="cov_year")
        cd = c2.selectbox(T("reporting.district"), list(districts), format_func=districts.get, key="cov_district")
        summary = q.coverage_summary(cy, cd or None, lang)
        st.markdown(f"**{summary['text']}**")
        st.progress(min(max(summary["share"], 0.0), 1.0) if summary["expected"] else 0.0)
        missing = q.missing_view(cy, cd or None, lang)
        if len(missing):
            ui.table(missing, height=360)
        else:
            st.success(T("reporting.all_complete"))
        ui.plot(q.coverage_by_year_figure(cd or None, lang), key="admin_cov_by_year")

# ------------------------------------------------------------------------------------------------------- write log
with tabs[5]:
    st.subheader(T("admin.log"))
    st.caption(T("admin.log_help"))
    log = audit.write_log()
    ui.table(pd.DataFrame({
        T("upload.col_when"): log["when"].map(fmt_when),
        T("admin.col_by"): log.who.fillna("–"),
        T("admin.col_action"): log.action,
        T("admin.col_subject"): log.subject.fillna(""),
        T("admin.col_detail"): log.detail.fillna(""),
    }))

# --------------------------------------------------------------------------------------------------- agency tables
with tabs[6]:
    st.subheader(T("admin.sources"))
    st.caption(T("admin.sources_help"))
    specs = adapters()
    name = st.selectbox(T("admin.source_table"), list(specs), key="src_adapter",
                        format_func=lambda n: specs[n].title_en if lang == "en" else specs[n].title_th)
    src_gen = st.session_state.setdefault("src_generation", 0)
    src_file = st.file_uploader(T("upload.file"), type=["csv", "xlsx"], key=f"src_file_{src_gen}",
                                max_upload_size=ui.upload_limit_mb())
    src_valid = st.checkbox(T("upload.mode_valid"), key="src_valid")
    if src_file is not None and name:
        src_data = src_file.getvalue()
        try:
            check = users.load_source_as(admin, name, src_data, src_file.name, skip_invalid=src_valid,
                                         dry_run=True).to_dict()
        except InputRejected as exc:
            st.error(ui.esc(exc))
        else:
            text = ui.esc(check["message_en"] if lang == "en" else check["message_th"])
            st.caption(T("upload.fact_rows", rows=check["rows_read"], values=check["values_loaded"]))
            ok = check["status"] == "checked"
            (st.info if check["status"] == "duplicate" else st.success if ok and not check["problem_count"]
             else st.warning if ok else st.error)(text)
            if check["problems"]:
                ui.table(ui.problems_table(check["problems"]), height=min(35 * (len(check["problems"]) + 1) + 3, 420))
            if st.button(T("admin.load_source"), type="primary", disabled=not ok, key="src_load",
                         icon=":material/cloud_upload:"):
                def load():
                    return users.load_source_as(admin, name, src_data, src_file.name, skip_invalid=src_valid)

                def loaded(report) -> str:
                    st.session_state["src_generation"] = src_gen + 1  # a new, empty file picker
                    return ui.esc(report.message_en if lang == "en" else report.message_th)

                attempt(load, loaded)

    # an agency's figures in a council-shaped file: checked as a council's file, kept apart under the agency's name
    st.divider()
    st.subheader(T("admin.agency_file"))
    st.caption(T("admin.agency_file_help"))
    agency = st.selectbox(T("admin.agency_source"), list(AGENCIES), key="af_source",
                          format_func=lambda s: AGENCIES[s].get(lang))
    af_gen = st.session_state.setdefault("af_generation", 0)
    af_file = st.file_uploader(T("upload.file"), type=["csv", "txt", "tsv", "xlsx"], key=f"af_file_{af_gen}",
                               max_upload_size=ui.upload_limit_mb())
    af_valid = st.checkbox(T("upload.mode_valid"), key="af_valid")
    if af_file is not None and agency:
        af_data = af_file.getvalue()
        af_measure_key = f"af_measure_{hashlib.sha256(af_data).hexdigest()[:16]}"
        af_measure = st.session_state.get(af_measure_key) or None
        try:
            with st.spinner(ui.esc(af_file.name), show_time=True):  # read and checked in a worker process
                af_check = users.load_agency_file_as(admin, agency, af_data, af_file.name, skip_invalid=af_valid,
                                                     measure=af_measure, dry_run=True,
                                                     checker=workers.check_file).to_dict()
        except InputRejected as exc:
            st.error(ui.esc(exc))
        else:
            form = T(f"form.{af_check['form']}") if af_check["form"] in ("long", "wide", "years") else "–"
            st.caption(" · ".join([T("upload.fact_form", form=form),
                                   T("upload.fact_rows", rows=af_check["rows_read"],
                                     values=af_check["values_loaded"])]))
            if af_check["measure_from"] == "argument" or any(p["code"] == "years-as-columns"
                                                             for p in af_check["problems"]):
                st.selectbox(T("upload.choose_measure"), ["", *reg.measures], key=af_measure_key,
                             help=T("upload.choose_measure_help"),
                             format_func=lambda m: f"{reg.measures[m].name.get(lang)} ({m})" if m
                             else T("upload.no_measure"))
            af_ok = af_check["status"] == "checked"
            text = ui.esc(af_check["message_en"] if lang == "en" else af_check["message_th"])
            (st.info if af_check["status"] == "duplicate" else st.success if af_ok and not af_check["problem_count"]
             else st.warning if af_ok else st.error)(text)
            if af_check["problems"]:
                ui.table(ui.problems_table(af_check["problems"]),
                         height=min(35 * (len(af_check["problems"]) + 1) + 3, 420))
            if st.button(T("admin.load_agency_file"), type="primary", disabled=not af_ok, key="af_load",
                         icon=":material/cloud_upload:"):
                def load_agency():
                    return users.load_agency_file_as(admin, agency, af_data, af_file.name, skip_invalid=af_valid,
                                                     measure=af_measure, checker=workers.check_file)

                def agency_loaded(report) -> str:
                    st.session_state["af_generation"] = af_gen + 1  # a new, empty file picker
                    return ui.esc(report.message_en if lang == "en" else report.message_th)

                attempt(load_agency, agency_loaded)

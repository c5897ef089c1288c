"""Sign in (local account or OIDC), and once signed in: who you are, where to go, your password, sign out."""

from __future__ import annotations

import streamlit as st

from app_pages import _auth as auth
from app_pages import _ui as ui
from loaders import accounts, permissions
from loaders.errors import InputRejected

T = ui.T
auth.follow_goto()
user = auth.current_user()

if user is None:
    st.title(T("auth.title"))
    if auth.login_required():
        st.info(T("auth.required"))
    identity = auth.oidc_identity()
    if identity:
        st.warning(ui.md("auth.unknown_identity", email=identity))
        if st.button(T("auth.sign_out"), key="sign_out_unknown", icon=":material/logout:"):
            auth.sign_out()
    else:
        st.caption(T("auth.intro"))
        auth.sign_in_form(after="auto")
    st.stop()

st.title(T("auth.account"))
st.markdown(ui.md("auth.signed_in_as", name=user.name, role=T(f"role.{user.role}")))
if user.scope:
    st.caption(ui.md("auth.scope", scope=", ".join(user.scope)))
if permissions.can_upload(user):
    st.page_link("app_pages/upload.py", label=T("nav.upload"), icon=":material/upload_file:")
if permissions.can_admin(user):
    st.page_link("app_pages/admin.py", label=T("nav.admin"), icon=":material/admin_panel_settings:")

if user.via == "password":
    with st.expander(T("auth.change_password")), st.form("change_password", clear_on_submit=True):
        old = st.text_input(T("auth.password"), type="password", key="pw_old", autocomplete="current-password")
        new = st.text_input(T("auth.new_password"), type="password", key="pw_new", autocomplete="new-password")
        again = st.text_input(T("auth.new_password_again"), type="password", key="pw_again",
                              autocomplete="new-password")
        if st.form_submit_button(T("auth.change_password"), key="pw_submit"):
            try:
                accounts.authenticate(user.name, old)
                if new != again:
                    raise InputRejected(T("auth.passwords_differ"))
                accounts.set_password(user.name, new, by=user.name)
                st.success(T("auth.password_changed"))
            except accounts.LoginFailed as exc:
                st.error(exc.message_en if ui.lang() == "en" else exc.message_th)
            except InputRejected as exc:
                st.error(ui.esc(exc))

if st.button(T("auth.sign_out"), key="sign_out_page", icon=":material/logout:"):
    auth.sign_out()

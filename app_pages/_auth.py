"""Who is signed in, the sign-in form, and the role check every protected page makes (DESIGN §8).

Two ways in: a local account (name and password checked by :func:`loaders.accounts.authenticate`; the session keeps
only the account name, on the server) or Streamlit's OIDC login (``st.login``) when ``[auth]`` is configured in
``.streamlit/secrets.toml``; an OIDC identity gets the role of the account whose e-mail it carries.  The account is
read from the store on every run, so a removed account or a changed role takes effect at once.

Viewing needs no sign-in unless ``$WELLBEING_REQUIRE_LOGIN`` is ``1``/``true``/``yes``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAuthError

from app_pages import _oidc
from app_pages import _ui as ui
from app_pages._cache import q
from indicators.present.i18n import fmt_num
from indicators.registry import load_registry
from indicators.words import t
from loaders import accounts, permissions
from loaders.accounts import User

SESSION_KEY = "_auth_name"
GOTO_KEY = "_auth_goto"
_LOG = logging.getLogger(__name__)


def login_required() -> bool:
    """True when ``$WELLBEING_REQUIRE_LOGIN`` asks for a sign-in before anything is shown."""
    return os.environ.get("WELLBEING_REQUIRE_LOGIN", "").strip().lower() in ("1", "true", "yes", "on")


def oidc_settings() -> list[_oidc.Provider]:
    """The OIDC providers ``[auth]`` of secrets.toml configures, with what is missing or wrong in each
    (:func:`app_pages._oidc.read_settings`); empty when OIDC is not configured."""
    try:
        if not st.secrets.load_if_toml_exists():
            return []
        return _oidc.read_settings(st.secrets.get("auth"))
    except Exception:  # noqa: BLE001 - a broken secrets file must not take the dashboard down
        return []


def oidc_providers() -> list[str | None]:
    """The OIDC providers ready to use: None for a single unnamed provider, names for ``[auth.<name>]`` sections."""
    return [p.name for p in oidc_settings() if not p.problems]


def _oidc_user() -> User | None:
    if not st.user.get("is_logged_in", False):
        return None
    if st.user.get("email_verified") is False:  # the provider says the address is not proven: no role from it
        return None
    return accounts.user_by_email(st.user.get("email"))


LAST_KEY = "_auth_last"


def current_user() -> User | None:
    """The signed-in account with its role, or None (a viewer).

    When the store cannot be read (busy, say) this raises the store's error rather than answer None: a signed-in
    user must not look signed out.  :func:`last_user` is who this returned last.
    """
    name = st.session_state.get(SESSION_KEY)
    if name:
        user = accounts.get_user(name)
        if user is None:  # removed meanwhile
            st.session_state.pop(SESSION_KEY, None)
    else:
        user = _oidc_user()
    st.session_state[LAST_KEY] = user
    return user


def last_user() -> User | None:
    """The account :func:`current_user` found on its last successful read (for the navigation while the store is
    unavailable; every write checks the account again in the store)."""
    if not st.session_state.get(SESSION_KEY) and not st.user.get("is_logged_in", False):
        return None
    return st.session_state.get(LAST_KEY)


def oidc_identity() -> str | None:
    """The e-mail of an OIDC sign-in (even when no account has it), or None."""
    if st.user.get("is_logged_in", False):
        return st.user.get("email") or st.user.get("name") or "?"
    return None


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)
    if st.user.get("is_logged_in", False):
        # no st.rerun() after it: a rerun empties the message queue, dropping the redirect to /auth/logout that
        # clears the identity cookie (the next page load would be signed in again)
        st.logout()
        return
    st.rerun()


def sign_in_form(after: str | None = None) -> None:
    """The local sign-in form and, when configured, a button per OIDC provider.  ``after``: the page to open once
    signed in (``app_pages/…py``)."""
    T = ui.T
    with st.form("sign_in", clear_on_submit=True, enter_to_submit=True):
        st.markdown(f"**{T('auth.local')}**")
        name = st.text_input(T("auth.name"), key="sign_in_name", autocomplete="username")
        password = st.text_input(T("auth.password"), type="password", key="sign_in_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(T("auth.sign_in"), type="primary", key="sign_in_submit")
    if submitted:
        try:
            user = accounts.authenticate(name, password)
        except accounts.LoginFailed as exc:
            st.error(exc.message_en if ui.lang() == "en" else exc.message_th)
        except ui.FAULTS as exc:
            ui.show_fault(exc)
        else:
            st.session_state[SESSION_KEY] = user.name
            if after:
                st.session_state[GOTO_KEY] = after
            st.rerun()
    oidc_buttons()


def oidc_buttons() -> None:
    """A button per configured OIDC provider; a provider whose settings are incomplete, or that does not answer
    with an OpenID Connect configuration when clicked, gets a message instead of Streamlit's error page."""
    T = ui.T
    for provider in oidc_settings():
        if provider.problems:
            st.warning(T("auth.oidc_misconfigured", provider=provider.label, keys=", ".join(provider.problems)),
                       icon=":material/key_off:")
            continue
        if not st.button(T("auth.oidc", provider=provider.label), key=f"oidc_{provider.key}", icon=":material/key:"):
            continue
        problem = _oidc.check_provider(provider)
        if problem == "unreachable":
            st.error(T("auth.oidc_unreachable", provider=provider.label), icon=":material/cloud_off:")
            continue
        if problem:
            st.error(T("auth.oidc_not_oidc", provider=provider.label), icon=":material/cloud_off:")
            continue
        try:
            st.login(provider.name) if provider.name else st.login()
        except StreamlitAuthError as exc:  # a shared setting Streamlit checks itself (e.g. cookie_secret)
            _LOG.warning("OIDC sign-in with %s refused by Streamlit: %s", provider.label, exc)
            st.warning(T("auth.oidc_misconfigured", provider=provider.label, keys="[auth]"), icon=":material/key_off:")


def follow_goto() -> None:
    """Open the page a sign-in asked for (the navigation of the next run holds it); ``"auto"``: the upload page for
    a council, the admin page for an admin, the overview for anyone else."""
    target = st.session_state.pop(GOTO_KEY, None)
    if target == "auto":
        user = current_user()
        target = ("app_pages/admin.py" if permissions.can_admin(user)
                  else "app_pages/upload.py" if permissions.can_upload(user) else "app_pages/overview.py")
    if target:
        # st.switch_page drops the sidebar's widget state: the language travels in the URL and is taken from it again
        st.session_state.pop("_url_lang", None)
        st.switch_page(target, query_params={"lang": ui.lang()})


def require(allowed: Callable[[User | None], bool], what: str) -> User:
    """The signed-in user when ``allowed(user)``; otherwise say why (and offer the sign-in form) and stop the page.

    Every protected page calls this itself: the navigation hides pages, this refuses them.
    """
    user = current_user()
    if allowed(user):
        return user  # type: ignore[return-value]
    T = ui.T
    if user is None:
        if oidc_identity():
            st.warning(ui.md("auth.unknown_identity", email=oidc_identity()))
        else:
            st.info(T("auth.needed", what=T(what)))
            sign_in_form()
    else:
        st.error(ui.md("auth.forbidden", name=user.name, role=T(f"role.{user.role}"), what=T(what)))
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def sidebar_account(user: User | None) -> None:
    """Who is signed in, with a sign-out button, in the sidebar."""
    T = ui.T
    if user is None and not oidc_identity():
        return
    with st.sidebar:
        if user is not None:
            scope = f" · {ui.esc(', '.join(user.scope))}" if user.scope else ""
            st.caption(ui.md("auth.signed_in_as", name=user.name, role=T(f"role.{user.role}")) + scope)
        else:
            st.caption(ui.md("auth.unknown_identity", email=oidc_identity()))
        if st.button(T("auth.sign_out"), key="sign_out", icon=":material/logout:"):
            sign_out()


def changes_table(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """What a batch wrote (:func:`loaders.audit.batch_changes`) with area and measure names."""
    labels = {code: label.strip("　 ") for code, label in q.area_choices(lang).items()}
    reg = load_registry()
    return pd.DataFrame({
        t("col.area", lang): changes.area_code.map(lambda c: labels.get(c, c)),
        t("col.measure", lang): changes.measure_id.map(
            lambda m: reg.measures[m].name.get(lang) if m in reg.measures else m),
        t("col.year", lang): changes.year_be.astype("Int64"),
        t("col.old_value", lang): changes.previous.map(fmt_num),
        t("col.new_value", lang): changes.value.map(fmt_num),
        t("col.flag", lang): changes.flag.fillna(""),
        t("col.note", lang): changes.note.fillna(""),
    })

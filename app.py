"""The Phatthalung well-being dashboard: page set-up, navigation, language, demo banner and credits.

Run with ``streamlit run app.py`` (``make run``).  The database is ``$WELLBEING_DB`` or ``data/wellbeing.duckdb``.
Pages live in ``app_pages/`` and only draw what :mod:`indicators.present.queries` returns.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _auth as auth
from app_pages import _nav as nav
from app_pages import _ui as ui
from app_pages._cache import q
from indicators.words import DEFAULT_LANG, LANGS, t
from loaders.areas import CREDIT

st.set_page_config(page_title="พัทลุงมหานครแห่งความสุข · Phatthalung", page_icon="🌱", layout="wide")

# Thai by default; the choice lives in session state and in the URL (?lang=en), so it survives page changes,
# reloads and shared links.
ui.from_url("lang", LANGS)
if "lang" not in st.session_state:
    st.session_state["lang"] = DEFAULT_LANG
LANG_NAMES = {"th": "ไทย", "en": "English"}
lang = st.sidebar.radio(t("app.language"), LANGS, key="lang", horizontal=True, format_func=LANG_NAMES.get) \
    or DEFAULT_LANG
ui.to_url("lang", lang)

fault: Exception | None = None
try:
    user = auth.current_user()
except ui.FAULTS as exc:  # the navigation of the last run stays; the page says what is wrong instead of running
    user, fault = auth.last_user(), exc
page = st.navigation([  # every protected page checks the role again itself (app_pages/_nav.py)
    st.Page(p.path, title=t(p.title, lang), url_path=p.url, icon=p.icon, default=i == 0,
            visibility="visible" if p.visible else "hidden")
    for i, p in enumerate(nav.pages_for(user, auth.login_required()))
])

if fault is None:
    try:
        meta = q.meta()
    except ui.FAULTS as exc:
        fault = exc
if fault is not None:
    ui.show_fault(fault)
    st.stop()

st.sidebar.caption(t("app.subtitle", lang))
auth.sidebar_account(user)
if meta["demo"]:
    st.warning(t("app.demo_banner", lang), icon=":material/science:")

try:
    page.run()
except Exception as exc:  # a store, disk or settings fault in the middle of a page: a plain message, no traceback
    fault = ui.fault_of(exc)
    if fault is None:
        raise
    ui.show_fault(fault)

st.divider()
st.caption(t("app.footer", lang, credit=CREDIT))

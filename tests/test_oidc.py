"""Single sign-on settings (app_pages/_oidc.py): what an ``[auth]`` section is missing, and whether a provider answers
with an OpenID Connect discovery document, checked against a real provider (oidc-provider-mock on 127.0.0.1), a
port where nothing listens and one that accepts but never answers; then the sign-in page (AppTest) with a half
configured ``[auth]`` and a provider that is down: a message in Thai or English, no exception, no button that leads
to Streamlit's error page.  The end-to-end sign-in is in test_browser_oidc.py."""

from __future__ import annotations

import socket
import time

import _apptest
import pytest
from _apptest import ok, texts
from _browser import free_port
from _oidc_provider import oidc_provider
from streamlit.testing.v1 import AppTest

from app_pages._oidc import Provider, check_provider, read_settings

fast_hashing, store = _apptest.fast_hashing, _apptest.store

SHARED = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32}
GOOD = {"client_id": "id", "client_secret": "x", "server_metadata_url": "https://sso.example.org/.well-known/openid-configuration"}


@pytest.mark.parametrize("auth, expected", [
    (None, []),
    ({}, []),
    ({**SHARED, **GOOD}, [Provider(None, (), GOOD["server_metadata_url"])]),
    ({**SHARED, "keycloak": GOOD}, [Provider("keycloak", (), GOOD["server_metadata_url"])]),
    # the brief's case: [auth] without client_id
    ({**SHARED, "client_secret": "x", "server_metadata_url": GOOD["server_metadata_url"]},
     [Provider(None, ("client_id",), GOOD["server_metadata_url"])]),
    # an [auth] with shared settings only: no provider at all
    (SHARED, [Provider(None, ("client_id", "client_secret", "server_metadata_url"))]),
    ({**SHARED, "keycloak": {**GOOD, "client_secret": ""}},
     [Provider("keycloak", ("client_secret",), GOOD["server_metadata_url"])]),
    ({"cookie_secret": "s" * 32, **GOOD}, [Provider(None, ("redirect_uri",), GOOD["server_metadata_url"])]),
    ({**SHARED, "redirect_uri": "http://localhost:8501/", **GOOD},
     [Provider(None, ("redirect_uri",), GOOD["server_metadata_url"])]),
    ({**SHARED, "redirect_uri": "localhost:8501/oauth2callback", **GOOD},
     [Provider(None, ("redirect_uri",), GOOD["server_metadata_url"])]),
    ({**SHARED, **GOOD, "server_metadata_url": "file:///etc/passwd"},
     [Provider(None, ("server_metadata_url",), "file:///etc/passwd")]),
    ({**SHARED, "my_idp": GOOD}, [Provider("my_idp", ("name",), GOOD["server_metadata_url"])]),
    # client_kwargs beside the unnamed provider is a setting, not a provider; both kinds at once are both offered
    ({**SHARED, **GOOD, "client_kwargs": {"prompt": "login"}, "okta": GOOD},
     [Provider(None, (), GOOD["server_metadata_url"]), Provider("okta", (), GOOD["server_metadata_url"])]),
])
def test_read_settings_names_what_is_missing_or_wrong(auth, expected):
    assert read_settings(auth) == expected


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    with oidc_provider(tmp_path_factory.mktemp("idp")) as base:
        yield base


def test_a_running_provider_answers_a_wrong_url_or_a_closed_port_do_not(provider):
    assert check_provider(Provider("p", (), f"{provider}/.well-known/openid-configuration")) is None
    assert check_provider(Provider("p", (), f"{provider}/")) == "not-oidc"  # its HTML home page
    assert check_provider(Provider("p", (), f"{provider}/jwks")) == "not-oidc"  # JSON, but not discovery
    assert check_provider(Provider("p", (), f"{provider}/no/such/page")) == "unreachable"  # 404
    assert check_provider(Provider("p", (), f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration")) \
        == "unreachable"
    assert check_provider(Provider("p", (), None)) == "not-oidc"


def test_a_provider_that_accepts_but_never_answers_is_unreachable_after_the_timeout():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)  # connections queue up; nothing is ever read or written
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/.well-known/openid-configuration"
        started = time.monotonic()
        assert check_provider(Provider("p", (), url), timeout=1) == "unreachable"
        assert time.monotonic() - started < 30  # bounded by the timeout, not by the server


def _sign_in_page(auth: dict, lang: str = "th") -> AppTest:
    at = AppTest.from_file(str(_apptest.APP), default_timeout=60)
    at.secrets["auth"] = auth
    at.query_params["lang"] = lang
    ok(at.run())
    return ok(at.switch_page("app_pages/signin.py").run())


def _oidc_buttons(at: AppTest) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith("oidc_")]


def test_auth_without_client_id_says_so_on_the_sign_in_page(store):
    at = _sign_in_page({**SHARED, "client_secret": "x", "server_metadata_url": GOOD["server_metadata_url"]})
    assert _oidc_buttons(at) == []
    warning = " ".join(w.value for w in at.warning)
    assert "การเข้าสู่ระบบด้วย OIDC ยังตั้งค่าไม่ครบ" in warning and "client_id" in warning
    assert at.text_input(key="sign_in_name"), "local accounts still work"

    en = _sign_in_page({**SHARED, "client_secret": "x"}, lang="en")
    assert "Sign-in with OIDC is not set up correctly (client_id, server_metadata_url" in texts(en)


def test_a_provider_that_is_down_gets_a_message_when_its_button_is_clicked(store, provider):
    auth = {**SHARED,
            "down": {**GOOD, "server_metadata_url": f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration"},
            "wrong": {**GOOD, "server_metadata_url": f"{provider}/"},
            "up": {**GOOD, "server_metadata_url": f"{provider}/.well-known/openid-configuration"}}
    at = _sign_in_page(auth)
    assert _oidc_buttons(at) == ["oidc_down", "oidc_wrong", "oidc_up"]
    ok(at.button(key="oidc_down").click().run())
    assert [e.value for e in at.error] == ["ติดต่อผู้ให้บริการยืนยันตัวตน down ไม่ได้ในขณะนี้: ลองใหม่ภายหลัง หรือใช้บัญชีของระบบ"]
    ok(at.button(key="oidc_wrong").click().run())
    assert "server_metadata_url" in at.error[0].value and "wrong" in at.error[0].value
    ok(at.button(key="oidc_up").click().run())  # answers: handed to st.login (its redirect goes to the browser)
    assert not at.error


def test_a_setting_streamlit_would_refuse_is_named_before_any_button(store, provider):
    auth = {"redirect_uri": SHARED["redirect_uri"],  # no cookie_secret: st.login would raise StreamlitAuthError
            "up": {**GOOD, "server_metadata_url": f"{provider}/.well-known/openid-configuration"}}
    at = _sign_in_page(auth, lang="en")
    assert _oidc_buttons(at) == []
    warned = " ".join(w.value for w in at.warning)
    assert "Sign-in with up is not set up correctly" in warned and "cookie_secret" in warned

"""Single sign-on settings (``[auth]`` in ``.streamlit/secrets.toml``), checked before Streamlit's login starts.

Streamlit's ``st.login`` answers a missing setting with an exception (a traceback on the page) and an identity
provider it cannot reach with a bare "Authentication error" page outside the dashboard.  The sign-in page reads the
settings with :func:`read_settings` first (a provider with a missing or wrong setting gets a message, not a button)
and, when someone clicks a provider's button, fetches its discovery document with :func:`check_provider`: only a
provider that answers with an OpenID Connect configuration is handed to ``st.login``.

Pure functions over a mapping and a URL, so they are tested without Streamlit.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

_LOG = logging.getLogger(__name__)

PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
# what the discovery document must name for Authlib to sign someone in (OpenID Connect Discovery 1.0, §3)
METADATA_KEYS = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
CALLBACK = "/oauth2callback"  # the only path Streamlit answers the provider on


def metadata_timeout() -> float:
    """Seconds to wait for a provider's discovery document (``$WELLBEING_OIDC_TIMEOUT``, default 5)."""
    try:
        return max(0.5, float(os.environ.get("WELLBEING_OIDC_TIMEOUT", "5")))
    except ValueError:
        return 5.0


@dataclass(frozen=True)
class Provider:
    """One identity provider of ``[auth]``: ``name`` None for the unnamed one (``st.login()``), else the name of
    its ``[auth.<name>]`` section; ``problems`` the settings that are missing or wrong (empty: ready)."""

    name: str | None
    problems: tuple[str, ...] = ()
    metadata_url: str | None = None

    @property
    def label(self) -> str:
        return self.name or "OIDC"

    @property
    def key(self) -> str:
        return self.name or "default"


def _is_section(value: object) -> bool:
    return isinstance(value, Mapping) or (hasattr(value, "items") and hasattr(value, "get"))


def _redirect_problem(value: object) -> bool:
    """True when ``redirect_uri`` is not an absolute http(s) URL ending in ``/oauth2callback``."""
    if not isinstance(value, str) or not value.strip():
        return True
    parsed = urlparse(value.strip())
    return parsed.scheme not in ("http", "https") or not parsed.netloc or not parsed.path.endswith(CALLBACK)


def read_settings(auth: Mapping | None) -> list[Provider]:
    """The providers an ``[auth]`` section configures, each with what is missing or wrong; empty without ``[auth]``.

    Shared settings (``redirect_uri``, ``cookie_secret``) count against every provider: without them ``st.login``
    fails, so no button is offered.
    ``[auth.<name>]`` sections are named providers; ``client_id``/``client_secret``/``server_metadata_url`` directly
    in ``[auth]`` are the unnamed one.  An ``[auth]`` with no provider at all is reported as an unnamed provider
    missing all three.
    """
    if not auth:
        return []
    shared = ("redirect_uri",) if _redirect_problem(auth.get("redirect_uri")) else ()
    if not str(auth.get("cookie_secret") or "").strip():
        shared += ("cookie_secret",)
    sections = {str(k): v for k, v in auth.items() if _is_section(v) and k != "client_kwargs"}
    found: list[tuple[str | None, Mapping]] = [(name, section) for name, section in sections.items()]
    if any(key in auth for key in PROVIDER_KEYS) or not found:
        found.insert(0, (None, auth))
    providers = []
    for name, section in found:
        missing = tuple(k for k in PROVIDER_KEYS if not str(section.get(k) or "").strip())
        bad_name = ("name",) if name is not None and "_" in name else ()  # Streamlit refuses "_" in a name
        url = str(section.get("server_metadata_url") or "").strip() or None
        if url and urlparse(url).scheme not in ("http", "https"):
            missing += ("server_metadata_url",)
        providers.append(Provider(name, shared + missing + bad_name, url))
    return providers


def check_provider(provider: Provider, timeout: float | None = None) -> str | None:
    """None when the provider's discovery document answers as OpenID Connect; else why not:
    ``"unreachable"`` (no answer, an HTTP error, a time-out) or ``"not-oidc"`` (an answer that is not a discovery
    document).  The details go to the server's log, never to the page."""
    if not provider.metadata_url:
        return "not-oidc"
    request = urllib.request.Request(provider.metadata_url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout or metadata_timeout()) as response:
            body = response.read(1_000_000)
    except (OSError, ValueError) as exc:  # URLError, HTTPError, time-outs and refused connections are OSError
        _LOG.warning("OIDC provider %s: %s unreachable: %s", provider.label, provider.metadata_url, exc)
        return "unreachable"
    try:
        document = json.loads(body)
    except ValueError:
        document = None
    missing = [k for k in METADATA_KEYS if not (isinstance(document, dict) and document.get(k))]
    if missing:
        _LOG.warning("OIDC provider %s: %s is not a discovery document (missing %s)", provider.label,
                     provider.metadata_url, ", ".join(missing))
        return "not-oidc"
    return None

"""A real OpenID Connect provider for the tests: ``oidc-provider-mock`` (Authlib's authorization server, from the dev
extra) started as its own process on 127.0.0.1, with discovery, JWKS, signed ID tokens and an end-session page.

Its sign-in page is a form: type a subject (it becomes the e-mail claim too) or click a predefined user's button.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from _browser import free_port, stop, wait_until_up


@contextmanager
def oidc_provider(log_dir: Path, users: list[dict] = ()) -> Iterator[str]:
    """Start the provider with ``users`` (claims, each with a ``sub``) one click away; yield its base URL
    (``http://127.0.0.1:PORT``); always stop it.  Skip when the package is absent."""
    if importlib.util.find_spec("oidc_provider_mock") is None:
        pytest.skip("oidc-provider-mock (dev extra) is not installed")
    port = free_port()
    cmd = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    for claims in users:
        cmd += ["--user-claims", json.dumps(claims)]
    log = log_dir / "oidc-provider.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, "NO_COLOR": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, f"{base}/.well-known/openid-configuration", log, "the OIDC provider",
                      ok=lambda r: r.status == 200 and json.load(r).get("issuer") == base)
        yield base
    finally:
        stop(proc)


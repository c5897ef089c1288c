"""The dependency audit of `make test` (scripts/audit.py): pip-audit's report and the index's latest-release
advisories combined; skipped with one line (exit 0) when the service cannot be reached; a vulnerability reported
always and failing the build only with AUDIT_STRICT=1."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from _browser import free_port

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "audit.py"
_spec = importlib.util.spec_from_file_location("audit_script", SCRIPT)
audit = importlib.util.module_from_spec(_spec)
sys.modules["audit_script"] = audit  # dataclasses look their module up
_spec.loader.exec_module(audit)

REPORT = {"dependencies": [
    {"name": "jinja2", "version": "3.1.2", "vulns": [
        {"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "aliases": ["CVE-2024-22195"]}]},
    {"name": "requests", "version": "2.34.2", "vulns": []},
    {"name": "ecdsa", "skip_reason": "Dependency not found on PyPI and could not be audited: ecdsa (0.19.2)"},
    {"name": "numpy", "skip_reason": "Dependency not found on PyPI and could not be audited: numpy (2.4.6)"},
    {"name": "inhouse", "skip_reason": "Dependency not found on PyPI and could not be audited: inhouse (1.0)"},
    {"name": "phatthalung-wellbeing", "skip_reason": "distribution marked as editable"},
]}
LATEST = {  # /pypi/<name>/json as the index serves it (only the fields read)
    "ecdsa": {"info": {"version": "0.19.2"}, "vulnerabilities": [
        {"id": "PYSEC-2026-1325", "fixed_in": [], "aliases": ["CVE-2024-23342"]}]},
    "numpy": {"info": {"version": "2.5.5"}, "vulnerabilities": []},
    "inhouse": None,
}
VERSIONS = {"jinja2": "3.1.2", "requests": "2.34.2", "ecdsa": "0.19.2", "numpy": "2.4.6", "inhouse": "1.0"}


def test_pip_audit_and_the_latest_release_advisories_are_combined():
    result = audit.merge(REPORT, LATEST, VERSIONS)
    assert sorted(result.audited) == ["ecdsa", "jinja2", "requests"]
    assert sorted(result.vulns) == [("ecdsa", "0.19.2", "PYSEC-2026-1325", ""),
                                    ("jinja2", "3.1.2", "GHSA-h5c8-rqwp-cp95", "3.1.3")]
    # an older release than the index's latest is not audited from the latest's advisories
    assert "2.5.5" in result.not_audited["numpy"] and result.not_audited["inhouse"] == "not on the index"
    assert "phatthalung-wellbeing" not in result.not_audited  # this project itself


def test_an_unreachable_service_skips_the_audit_with_one_line_and_exit_0():
    env = {"PATH": "/usr/bin:/bin", "AUDIT_INDEX": f"http://127.0.0.1:{free_port()}/pypi", "AUDIT_TIMEOUT": "2",
           "AUDIT_STRICT": "1"}
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1 and "skipped: the advisory service could not be reached" in lines[0], done.stdout


@pytest.mark.parametrize("strict, code", [("", 0), ("1", 1)])
def test_a_vulnerability_is_reported_and_fails_only_when_strict(monkeypatch, capsys, strict, code):
    monkeypatch.setenv("AUDIT_STRICT", strict)
    monkeypatch.setattr(audit, "audit", lambda: audit.merge(REPORT, LATEST, VERSIONS))
    assert audit.main() == code
    out = capsys.readouterr().out
    assert "3 packages audited, 2 not audited, 2 known vulnerabilities" in out
    assert "VULNERABLE: jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in out
    assert "VULNERABLE: ecdsa 0.19.2: PYSEC-2026-1325 (no fix yet)" in out

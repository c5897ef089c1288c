"""Dependency audit for `make test`: known vulnerabilities in the packages installed in this environment.

    python scripts/audit.py            # report; exit 0 whatever it finds (and when it cannot reach the service)
    AUDIT_STRICT=1 python scripts/audit.py   # exit 1 when a known vulnerability is found

Two sources, both the package index's own advisory data (PyPI's JSON API, fed by the PyPA advisory database and OSV):

1. ``pip-audit`` (the dev extra), which asks ``/pypi/<name>/<version>/json`` for each installed release;
2. for each package pip-audit could not look up (an index that serves no per-release pages, as some mirrors do),
   ``/pypi/<name>/json``, whose ``vulnerabilities`` are those of the index's latest release: they are used only when
   the installed version *is* that release; otherwise the package is listed as not audited.

The index is asked once first with a short time-out (``AUDIT_TIMEOUT``, default 5 s): when it cannot be reached the
audit is skipped with one line saying so, and the build goes on (CI runs offline too).  ``AUDIT_INDEX`` (default
``https://pypi.org/pypi``) names the JSON API for the fallback and that first question; pip-audit itself always asks
pypi.org.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

NOT_FOUND = "Dependency not found on PyPI"
EDITABLE = "distribution marked as editable"


@dataclass
class Result:
    """What the audit found: ``vulns`` (name, version, advisory id, fixed in), packages ``audited`` and
    ``not_audited`` (name → why), ``skipped`` (why nothing could be audited), ``how`` (which source answered)."""

    vulns: list[tuple[str, str, str, str]] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)
    not_audited: dict[str, str] = field(default_factory=dict)
    skipped: str | None = None
    how: list[str] = field(default_factory=list)


def _timeout() -> float:
    try:
        return float(os.environ.get("AUDIT_TIMEOUT", "5"))
    except ValueError:
        return 5.0


def _index() -> str:
    return os.environ.get("AUDIT_INDEX", "https://pypi.org/pypi").rstrip("/")


def get_json(url: str, timeout: float) -> dict | None:
    """The JSON document at ``url``; None for a 404; raises OSError when the service cannot be reached."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise
    except ValueError as exc:  # not JSON: a captive portal or a proxy's error page
        raise OSError(f"{url} did not answer with JSON") from exc


def installed() -> dict[str, str]:
    """Installed distributions of this interpreter's environment: normalised name → version."""
    found = {}
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower().replace("_", "-").replace(".", "-")
        if name:
            found[name] = dist.version
    return found


def merge(pip_audit: dict, latest: dict[str, dict | None], versions: dict[str, str]) -> Result:
    """Combine pip-audit's JSON report with the index's project documents (``latest``: name → ``/pypi/<name>/json``,
    None when the index has no such project) for the packages pip-audit could not look up."""
    result = Result()
    for dep in pip_audit.get("dependencies", []):
        name = dep["name"]
        reason = dep.get("skip_reason")
        if reason is None:
            result.audited.append(name)
            for v in dep.get("vulns", []):
                result.vulns.append((name, dep.get("version", "?"), v["id"], ", ".join(v.get("fix_versions", []))))
            continue
        if reason == EDITABLE:
            continue  # this project itself: not published
        version = versions.get(name, "?")
        doc = latest.get(name)
        if not reason.startswith(NOT_FOUND) or doc is None:
            result.not_audited[name] = reason if not reason.startswith(NOT_FOUND) else "not on the index"
            continue
        newest = doc.get("info", {}).get("version")
        if newest != version:
            result.not_audited[name] = (f"installed {version}, the index's latest is {newest}; it serves advisories "
                                        "for its latest release only")
            continue
        result.audited.append(name)
        for v in doc.get("vulnerabilities") or []:
            result.vulns.append((name, version, v.get("id", "?"), ", ".join(v.get("fixed_in") or [])))
    return result


def run_pip_audit(timeout: float) -> dict:
    """pip-audit's JSON report on this environment; raises OSError when it did not produce one."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        cmd = [sys.executable, "-m", "pip_audit", "--format", "json", "--output", str(out), "--progress-spinner",
               "off", "--skip-editable", "--timeout", str(max(5, int(timeout * 2)))]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired as exc:
            raise OSError("pip-audit took longer than 10 minutes") from exc
        if not out.exists():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise OSError(f"pip-audit failed: {last}")
        return json.loads(out.read_text())


def audit() -> Result:
    timeout, index = _timeout(), _index()
    try:
        get_json(f"{index}/pip/json", timeout)
    except OSError as exc:
        return Result(skipped=f"{index} could not be reached ({exc})")
    try:
        report = run_pip_audit(timeout)
    except OSError as exc:
        return Result(skipped=str(exc))
    versions = installed()
    wanted = [d["name"] for d in report.get("dependencies", []) if str(d.get("skip_reason", "")).startswith(NOT_FOUND)]

    def fetch(name: str) -> tuple[str, dict | None]:
        return name, get_json(f"{index}/{name}/json", timeout * 2)

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            latest = dict(pool.map(fetch, wanted))
    except OSError as exc:
        return Result(skipped=f"{index} stopped answering ({exc})")
    result = merge(report, latest, versions)
    result.how = ["pip-audit (per-release advisories)"] + (
        [f"{index}/<name>/json (advisories of the latest release) for {len(wanted)} packages"] if wanted else [])
    return result


def main() -> int:
    today = dt.date.today().isoformat()
    if importlib.util.find_spec("pip_audit") is None:
        print(f"dependency audit ({today}): skipped: pip-audit is not installed (pip install -e '.[dev]')", flush=True)
        return 0
    result = audit()
    if result.skipped:
        print(f"dependency audit ({today}): skipped: the advisory service could not be reached: {result.skipped}",
              flush=True)
        return 0
    print(f"dependency audit ({today}): {len(result.audited)} packages audited, {len(result.not_audited)} not "
          f"audited, {len(result.vulns)} known vulnerabilities; sources: {'; '.join(result.how)}", flush=True)
    for name, why in sorted(result.not_audited.items()):
        print(f"  not audited: {name}: {why}")
    for name, version, vid, fixed in sorted(result.vulns):
        print(f"  VULNERABLE: {name} {version}: {vid}" + (f" (fixed in {fixed})" if fixed else " (no fix yet)"))
    if result.vulns and os.environ.get("AUDIT_STRICT", "") == "1":
        print("dependency audit: failing because AUDIT_STRICT=1", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The wheel holds every module and data file of the packages, and works outside the clone (issue 15 item 8)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("loaders", "indicators")
DATA = (".py", ".yaml", ".csv")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out, src = tmp_path_factory.mktemp("wheel"), tmp_path_factory.mktemp("source")
    # a copy of the sources, so that nothing stale in the clone (build/, *.egg-info) can slip into the wheel
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, src / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation", "-q",
                        "-w", str(out)], capture_output=True, text=True, cwd=out)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "absent from the `packages` configuration" not in r.stderr, "a package of the project is left out"
    (whl,) = out.glob("*.whl")
    return whl


@pytest.mark.slow
def test_every_module_and_data_file_is_in_the_wheel(wheel):
    expected = {p.relative_to(ROOT).as_posix() for pkg in PACKAGES for p in (ROOT / pkg).rglob("*")
                if p.suffix in DATA and "__pycache__" not in p.parts}
    with zipfile.ZipFile(wheel) as zf:
        got = {n for n in zf.namelist() if n.split("/")[0] in PACKAGES}
    assert {"loaders/sources/mots_tourism.py", "indicators/catalogue/measures.yaml", "loaders/area_aliases.csv"} \
        <= expected
    assert got == expected


@pytest.mark.slow
def test_the_installed_wheel_runs_outside_the_clone(wheel, tmp_path):
    target = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                        str(wheel)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    env = {**os.environ, "PYTHONPATH": str(target), "WELLBEING_DB": str(tmp_path / "w.duckdb")}
    code = ("import loaders, indicators; from loaders.sources import adapters; from loaders.area_names import "
            "declared_aliases; from indicators.registry import load_registry; "
            "print(loaders.__file__, sorted(adapters()), len(declared_aliases()) > 0, len(load_registry().indicators))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.startswith(str(target)) and "['mots-tourism'] True" in r.stdout
    r = subprocess.run([sys.executable, "-m", "loaders", "init"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0 and "65 subdistricts" in r.stdout, r.stderr[-2000:]

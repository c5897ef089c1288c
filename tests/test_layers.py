"""The import graph (issue 15): every module imports only from its own layer or below, and nothing loops.

Layers, bottom to top: declarations (the registry and shared constants) → the store → the loaders (write) and the
engine (read, compute) → presentation (text, formats, charts, exports, report; no Streamlit) → pages and the command
line.  Imports inside functions count as much as those at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DECLARATIONS, STORE, LOAD_AND_COMPUTE, PRESENTATION, INTERFACES = range(5)
NAMES = ["declarations", "store", "loaders and engine", "presentation", "pages and command line"]
LAYERS = {  # modules placed by name; the rest by package (see `layer`)
    DECLARATIONS: {"indicators.registry", "indicators.words", "loaders.errors", "loaders.numbers"},
    STORE: {"loaders.store", "loaders.schema"},
    INTERFACES: {"app", "loaders.cli", "loaders.cli_common", "loaders.__main__", "indicators.cli",
                 "indicators.export_cli", "indicators.__main__"},
}
PACKAGE_LAYERS = {"indicators.engine.": LOAD_AND_COMPUTE, "indicators.present.": PRESENTATION, "app_pages.": INTERFACES,
                  "loaders.": LOAD_AND_COMPUTE}  # every other loader writes (or reads files for writing)
# packages: their own names import nothing
PACKAGES = {"loaders", "indicators", "indicators.engine", "indicators.present", "app_pages"}


def modules() -> dict[str, Path]:
    paths = [*ROOT.glob("loaders/**/*.py"), *ROOT.glob("indicators/**/*.py"), *ROOT.glob("app_pages/**/*.py"),
             ROOT / "app.py"]
    return {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p for p in paths}


def layer(name: str) -> int | None:
    for number, names in LAYERS.items():
        if name in names:
            return number
    for prefix, number in PACKAGE_LAYERS.items():
        if name.startswith(prefix):
            return number
    return None


def graph() -> dict[str, set[str]]:
    mods = modules()
    edges: dict[str, set[str]] = {name: set() for name in mods}
    for name, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            edges[name] |= {t for t in targets if t in mods and t != name and t not in PACKAGES}
    return edges


def loops(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_every_module_has_a_layer():
    unplaced = sorted(n for n in modules() if n not in PACKAGES and layer(n) is None)
    assert unplaced == [], f"place these modules in a layer (tests/test_layers.py): {unplaced}"


def test_no_import_loop():
    assert loops(graph()) == []


def test_imports_only_from_below():
    upward = sorted(f"{a} ({NAMES[layer(a)]}) imports {b} ({NAMES[layer(b)]})"
                    for a, targets in graph().items() if a not in PACKAGES for b in targets
                    if layer(a) is not None and layer(b) is not None and layer(b) > layer(a))
    assert upward == []


def test_presentation_has_no_streamlit():
    found = sorted(n for n, p in modules().items() if layer(n) is not None and layer(n) <= PRESENTATION
                   and any(isinstance(node, ast.Import | ast.ImportFrom)
                           and any((getattr(node, "module", None) or a.name).split(".")[0] == "streamlit"
                                   for a in node.names)
                           for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))))
    assert found == []


def test_the_checks_can_fail():
    """A loop and an upward arrow built by hand are found."""
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer("indicators.registry") < layer("loaders.store") < layer("loaders.uploads") \
        < layer("indicators.present.charts") < layer("app_pages.overview")

"""Only Streamlit's public API (issue 15 item 7), in the app and in the tests, benchmarks and scripts.

Public is what Streamlit documents: the commands and objects of ``import streamlit as st`` (no ``st._…``, and none of
its implementation modules such as ``st.runtime``) and its public namespaces: ``streamlit.testing.v1`` (AppTest),
``streamlit.components.v1``/``v2``, ``streamlit.column_config`` and ``streamlit.typing``.  ``streamlit.errors`` is
allowed for its exception classes only, to catch what a public command raises (``st.login``: StreamlitAuthError).
Everything else (``streamlit.runtime.*``, ``streamlit.web.*``, ``streamlit.elements.*``, ``PagesManager`` …) is
Streamlit's inside, which changes without notice.

And no ``pages`` beside ``app.py``: Streamlit would run its legacy pages-directory mode (see README, Layout).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import ModuleType

import streamlit

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ["app.py", "app_pages", "indicators", "loaders", "benchmarks", "tests", "scripts"]
PUBLIC_MODULES = {"streamlit", "streamlit.testing.v1", "streamlit.components.v1", "streamlit.components.v2",
                  "streamlit.column_config", "streamlit.typing"}
NAMESPACES = {"testing", "components", "column_config", "typing"}  # st.<module> that are public
ERRORS = "streamlit.errors"
EXCEPTION = re.compile(r"^Streamlit\w*(Error|Exception)$")
# internals worth naming wherever they appear (an attribute, a name, a monkeypatch target)
INTERNAL_NAMES = {"PagesManager", "uses_pages_directory", "_mpa_v1", "get_script_run_ctx", "add_script_run_ctx",
                  "ScriptRunContext", "MediaFileManager"}
DOTTED = re.compile(r"^streamlit(\.\w+)+$")


def _public_path(dotted: str) -> bool:
    """``streamlit.a.b`` names a public module, or a public name in one (``from`` imports, monkeypatch targets)."""
    module, _, name = dotted.rpartition(".")
    if dotted in PUBLIC_MODULES | {ERRORS} or (module in PUBLIC_MODULES - {"streamlit"} and not name.startswith("_")):
        return True
    if module == ERRORS:
        return bool(EXCEPTION.match(name))
    parts = dotted.split(".")
    return len(parts) >= 2 and _public_attribute(parts[1]) and parts[1] not in NAMESPACES


def _public_attribute(name: str) -> bool:
    """``st.<name>`` is public: not private, and not one of Streamlit's implementation modules."""
    if name.startswith("_"):
        return False
    value = getattr(streamlit, name, None)
    return not isinstance(value, ModuleType) or name in NAMESPACES


def violations(source: str) -> list[str]:
    """Every use of Streamlit's inside in ``source`` (Python), as ``line: what``."""
    tree = ast.parse(source)
    aliases = set()  # names bound to the streamlit package itself
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] != "streamlit":
                    continue
                if a.name == "streamlit":
                    aliases.add(a.asname or "streamlit")
                elif a.name not in PUBLIC_MODULES:
                    found.append(f"{node.lineno}: import {a.name}")
                elif a.asname is None:
                    aliases.add("streamlit")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit" \
                and not node.level:
            for a in node.names:
                if not _public_path(f"{node.module}.{a.name}"):
                    found.append(f"{node.lineno}: from {node.module} import {a.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases \
                and not _public_attribute(node.attr):
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
        name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
        if name in INTERNAL_NAMES:
            found.append(f"{node.lineno}: {name}")
        text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
        if text and ((DOTTED.match(text) and not _public_path(text)) or text in INTERNAL_NAMES):
            found.append(f"{node.lineno}: {text!r}")
    return sorted(set(found), key=lambda f: int(f.split(":")[0]))


def _files() -> list[Path]:
    """The project's Python files, but this one (its examples are the inside it looks for)."""
    files = []
    for name in SCANNED:
        path = ROOT / name
        files += [path] if path.is_file() else sorted(p for p in path.rglob("*.py") if "artifacts" not in p.parts)
    return [f for f in files if f != Path(__file__).resolve()]


def test_only_public_streamlit_api():
    found = {str(f.relative_to(ROOT)): v for f in _files() if (v := violations(f.read_text(encoding="utf-8")))}
    assert found == {}


def test_every_project_file_is_scanned():
    names = {str(f.relative_to(ROOT)) for f in _files()}
    assert {"app.py", "app_pages/_ui.py", "app_pages/upload.py", "tests/conftest.py", "benchmarks/pages.py",
            "loaders/store.py", "indicators/present/queries.py"} <= names


def test_the_check_can_fail():
    """Streamlit's inside, written the ways it has been (or could be) reached, is found; its public API is not."""
    private = [
        "from streamlit.runtime.pages_manager import PagesManager",
        "import streamlit.runtime.scriptrunner",
        "import streamlit.web.bootstrap as b",
        "from streamlit.testing.v1.app_test import AppTest",
        "from streamlit import runtime",
        "from streamlit.errors import util",
        "import streamlit as st\nst._main.write(1)",
        "import streamlit as st\nst.runtime.exists()",
        "import streamlit\nstreamlit.web.cli",
        "monkeypatch.setattr('streamlit.runtime.media_file_manager.MediaFileManager.add_deferred', f)",
        "x.uses_pages_directory = False",
        "monkeypatch.setattr(obj, 'PagesManager', None)",
    ]
    for source in private:
        assert violations(source), source
    public = ("import streamlit as st\nst.navigation([st.Page('app_pages/a.py')]).run()\nst.download_button('x', b'')\n"
              "from streamlit.testing.v1 import AppTest\nimport streamlit.components.v1 as components\n"
              "from streamlit.errors import StreamlitAuthError\nfrom streamlit.typing import UploadedFile\n"
              "import streamlit\nstreamlit.column_config.NumberColumn('n')\nst.testing.v1\n"
              "monkeypatch.setattr('streamlit.download_button', f)\n")
    assert violations(public) == []


def test_no_pages_folder_beside_the_app():
    """A ``pages`` beside ``app.py`` (even an empty folder or one left holding ``__pycache__`` after a checkout)
    makes Streamlit run its legacy pages-directory mode on the first session of a server, and on every AppTest run:
    a deep link then shows "Page not found", and a file in ``pages/`` can be opened as a page."""
    assert not (ROOT / "pages").exists(), "the page scripts live in app_pages/; remove the pages folder"

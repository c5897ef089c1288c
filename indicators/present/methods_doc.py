"""docs/METHODS.md's generated blocks: the statuses, the progress worked example and the coverage example, written
by the code that computes them (``python -m indicators.present.methods_doc`` refreshes them; tests fail when the
page is out of date)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from indicators.present import coverage_example, worked_example


def sync_methods_doc(path: str | os.PathLike[str]) -> bool:
    """Rewrite the worked examples (progress, coverage) between their markers in ``path``; True when it changed."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    new = text
    w = worked_example
    for first, last, block in ((w.STATUS_START, w.STATUS_END, w.status_table_markdown()),
                               (w.EXAMPLE_START, w.EXAMPLE_END, w.worked_example_markdown()),
                               (coverage_example.START, coverage_example.END, coverage_example.markdown())):
        start, end = new.index(first), new.index(last) + len(last)
        new = new[:start] + block + new[end:]
    if new != text:
        p.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    print("changed" if sync_methods_doc(sys.argv[1] if len(sys.argv) > 1 else "docs/METHODS.md") else "up to date")

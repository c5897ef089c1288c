"""Errors the user can act on: the command line turns them into exit 2 with the message."""

from __future__ import annotations

from typing import Any


class InputRejected(Exception):
    """The input was refused and nothing was written; ``report`` is printed with ``--json``."""

    def __init__(self, message: str, report: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.report = report or {}

"""Errors the user can act on: the command line turns them into exit 2 with the message."""

from __future__ import annotations

import os
from typing import Any


class InputRejected(Exception):
    """The input was refused and nothing was written; ``report`` is printed with ``--json``."""

    def __init__(self, message: str, report: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.report = report or {}


class ConfigError(Exception):
    """A setting (an environment variable or a configuration file) has a value that cannot be used; ``setting``
    names it (pages show the name, never the value)."""

    def __init__(self, message: str, setting: str) -> None:
        super().__init__(message)
        self.setting = setting


def env_number(name: str, default: float, *, minimum: float | None = None) -> float:
    """The number in environment variable ``name`` (``default`` when unset or blank); :class:`ConfigError` when it
    is not a number or is below ``minimum``."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return float(default)
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")) or (minimum is not None and value < minimum):
        least = f" ≥ {minimum:g}" if minimum is not None else ""
        raise ConfigError(f"ค่าตั้ง {name} ต้องเป็นตัวเลข{least} (ได้ {raw!r}) / the setting {name} must be a "
                          f"number{least} (got {raw!r})", name)
    return value

"""What every command line of the project shares: ``--db``, ``--json``, exit codes and error reporting.

Exit 0 done; 2 input rejected (nothing written), database busy, full or read-only, or a setting unusable;
1 internal error.  Messages go to stderr;
``--json`` prints exactly one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from loaders.errors import ConfigError, InputRejected
from loaders.schema import SchemaTooNew, SchemaTooOld
from loaders.store import StoreError, store_fault

EXIT_OK, EXIT_INTERNAL, EXIT_REJECTED = 0, 1, 2
_DISK_FAULTS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)  # a full or read-only disk: exit 2, a plain message
_USER_ERRORS = (InputRejected, StoreError, ConfigError, SchemaTooNew, SchemaTooOld, FileNotFoundError,
                IsADirectoryError, PermissionError)


@dataclass
class Outcome:
    """What a subcommand returns: data for ``--json`` and the text for people."""

    data: dict[str, Any] | list[Any]
    text: str = ""
    exit_code: int = EXIT_OK
    extra: dict[str, Any] = field(default_factory=dict)


def add_common(parser: argparse.ArgumentParser) -> None:
    """Add ``--db`` and ``--json`` to a subcommand's parser."""
    parser.add_argument("--db", metavar="PATH", help="database file (default $WELLBEING_DB or data/wellbeing.duckdb)")
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)


def run(func: Callable[[argparse.Namespace], Outcome], args: argparse.Namespace) -> int:
    """Run one subcommand, print its outcome, and turn errors into exit codes without tracebacks."""
    as_json = getattr(args, "json", False)
    try:
        outcome = func(args)
    except (*_USER_ERRORS, OSError) as exc:
        if not isinstance(exc, _USER_ERRORS) and exc.errno not in _DISK_FAULTS:
            return _internal(exc, as_json)
        if isinstance(exc, OSError) and exc.errno in _DISK_FAULTS:  # writing an output file, say
            exc = store_fault(exc, exc.filename or "?") or exc
        report = getattr(exc, "report", {}) or {}
        if as_json:
            print(_dump({"ok": False, "error": str(exc), **report}))
        print(f"rejected: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback for users
        return _internal(exc, as_json)
    if as_json:
        print(_dump(outcome.data))
    elif outcome.text:
        print(outcome.text)
    return outcome.exit_code


def _internal(exc: BaseException, as_json: bool) -> int:
    if os.environ.get("WELLBEING_DEBUG"):
        traceback.print_exception(exc)
    if as_json:
        print(_dump({"ok": False, "error": f"internal error: {type(exc).__name__}: {exc}"}))
    print(f"internal error: {type(exc).__name__}: {exc} (set WELLBEING_DEBUG=1 for details)", file=sys.stderr)
    return EXIT_INTERNAL


def dispatch(parser: argparse.ArgumentParser, argv: list[str] | None) -> int:
    """Parse ``argv`` and run the chosen subcommand (each sets ``func`` with ``set_defaults``)."""
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_REJECTED
    return run(args.func, args)

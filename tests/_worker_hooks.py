"""Functions for a worker process to run in tests/test_workers.py (a worker imports them by name: they must live in
a module, not in a test)."""

from __future__ import annotations

import os
import threading

from loaders.errors import InputRejected


def wait_forever(*args, **kwargs):
    """Block on an event nobody sets: only the time limit ends this."""
    threading.Event().wait()


def allocate(*args, nbytes: int = 8 * 10**9, **kwargs):
    """Ask for more memory than the limit allows (the allocation fails at once: nothing is touched)."""
    return len(bytearray(nbytes))


def end_abruptly(*args, **kwargs):
    os._exit(3)


def refuse(*args, **kwargs):
    raise InputRejected("ไม่รับ / refused in the worker")


def pid_and_limit(*args, **kwargs):
    import resource

    return os.getpid(), resource.getrlimit(resource.RLIMIT_AS)[0]

"""The read and check of an uploaded file in a worker process, bounded in time and memory, so that a big file never
holds up the server's other sessions (why and how much: docs/RELIABILITY.md §6).

:func:`check_file` runs :func:`loaders.uploads.check_file` in a worker process, with

- a time limit, ``$WELLBEING_CHECK_SECONDS`` (default 120): past it the worker is killed and reaped, and the file
  gets the ``check-time-limit`` problem;
- a memory limit, ``$WELLBEING_CHECK_MEMORY_MB`` (default 1,500; 1 MB = 1,000,000 bytes): the worker's address
  space (``RLIMIT_AS``, which the worker sets on itself); an allocation beyond it fails there and the file gets
  ``check-memory-limit``.  pyarrow's allocator (mimalloc) reserves 1 GiB of address space up front, so the worker
  uses the system allocator.

A worker that ends without an answer (a crash, the kernel's out-of-memory killer) gives ``check-failed``; an
exception in it is raised again here, as in-process (an ``InputRejected`` stays one).  At most :data:`CONCURRENT`
checks run at once; a further one waits for its turn (its time limit counts from its start).

A worker is a fresh interpreter (``subprocess``, never a ``fork`` of the threaded server; not multiprocessing,
whose ``spawn`` would run Streamlit's page script again as ``__main__``) that does one call and exits; one is kept
started ahead (:func:`warm`).  The worker reads neither the store nor the environment: the areas, the registry, the
scope and the limits come from the caller (:func:`loaders.uploads.load_file`), which alone decides and writes.  What
comes back is plain data (:class:`loaders.uploads.FileCheck`), pickled.
"""

from __future__ import annotations

import atexit
import logging
import math
import os
import pickle
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

from loaders import uploads
from loaders.errors import env_number
from loaders.problems import problem

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 120
DEFAULT_MEMORY_MB = 1_500
CONCURRENT = 2  # checks at once (the machine has 2 cores; each may take its memory limit)
_TURNS = threading.BoundedSemaphore(CONCURRENT)
_READY_LOCK = threading.Lock()
_ready: subprocess.Popen | None = None  # a worker started ahead, waiting for its request


class WorkerTimeout(Exception):
    """The worker ran past its time limit; it was killed and reaped."""


class WorkerOutOfMemory(Exception):
    """An allocation in the worker failed at its memory limit."""


class WorkerDied(Exception):
    """The worker ended without an answer; ``status`` is its exit code (negative: the signal that ended it)."""

    def __init__(self, status: int | None) -> None:
        super().__init__(f"the worker ended without an answer (exit status {status})")
        self.status = status


def check_seconds() -> float:
    """The time limit of a check: ``$WELLBEING_CHECK_SECONDS``, default 120."""
    return env_number("WELLBEING_CHECK_SECONDS", DEFAULT_SECONDS, minimum=0.001)


def check_memory_bytes() -> int:
    """The memory limit of a check: ``$WELLBEING_CHECK_MEMORY_MB`` megabytes (1 MB = 1,000,000 bytes), default
    1,500."""
    return int(env_number("WELLBEING_CHECK_MEMORY_MB", DEFAULT_MEMORY_MB, minimum=1) * uploads.MB)


# ------------------------------------------------------------------------------------------------------ this side


def _start() -> subprocess.Popen:
    """A new worker: this interpreter, this ``sys.path`` (the same code, and the tests' helpers), waiting for one
    request on its standard input; its standard error is this process's."""
    code = f"import sys; sys.path[:] = {sys.path!r}; from loaders.workers import serve_one; serve_one()"
    return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            close_fds=True)


def warm() -> None:
    """Start the worker of the next check now (the page calls this when it opens), unless one is ready."""
    global _ready
    with _READY_LOCK:
        if _ready is None or _ready.poll() is not None:
            _ready = _start()


def ready_pids() -> set[int]:
    """The worker started ahead, if any (it holds no file yet)."""
    with _READY_LOCK:
        return {_ready.pid} if _ready is not None and _ready.poll() is None else set()


def _take() -> subprocess.Popen:
    """The worker started ahead, else a new one (the next is started ahead when this one is done: starting it now
    would take a core from the check)."""
    global _ready
    with _READY_LOCK:
        proc, _ready = _ready, None
    return proc if proc is not None and proc.poll() is None else _start()


@atexit.register
def _close_ready() -> None:
    """At exit, the worker started ahead reads the end of its input and ends."""
    global _ready
    with _READY_LOCK:
        proc, _ready = _ready, None
    if proc is not None:
        proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def run(fn: Callable[..., Any], args: tuple = (), kwargs: dict[str, Any] | None = None, *, seconds: float,
        memory: int) -> Any:
    """``fn(*args, **kwargs)`` in a worker process with at most ``seconds`` of wall time (its start included) and
    ``memory`` bytes of address space; its return value, or its exception raised again here.  ``fn`` and the
    arguments are pickled: ``fn`` must be a module-level function.  :class:`WorkerTimeout`,
    :class:`WorkerOutOfMemory` or :class:`WorkerDied` when a limit (or anything else) stopped it; the worker is
    never left running."""
    request = pickle.dumps((memory, seconds, fn, args, kwargs or {}), protocol=pickle.HIGHEST_PROTOCOL)
    with _TURNS:
        try:
            proc = _take()
        except OSError as exc:  # no process could be started (out of processes or memory)
            log.warning("no worker could be started: %s", exc)
            raise WorkerDied(None) from exc
        try:
            out, _ = proc.communicate(request, timeout=seconds)  # waits without the GIL
        except subprocess.TimeoutExpired:
            raise WorkerTimeout(f"the worker ran past {seconds:g} s") from None
        finally:
            if proc.returncode is None:
                proc.kill()
                proc.communicate()  # reaped
            try:
                warm()
            except OSError as exc:
                log.warning("no worker could be started ahead: %s", exc)
    try:
        kind, value = pickle.loads(out)
    except Exception:  # noqa: BLE001 - no answer, or half of one: the worker died
        raise WorkerDied(proc.returncode) from None
    if kind == "memory":
        raise WorkerOutOfMemory(value)
    if kind == "error":
        raise value
    return value


def isolated(fn: uploads.Checker) -> uploads.Checker:
    """A checker (:func:`loaders.uploads.load_file`'s ``checker``) that runs ``fn`` (a module-level function with
    :func:`loaders.uploads.check_file`'s arguments) in a worker with the limits of the settings; a limit gives the
    file its problem instead of an exception."""

    def checker(*args: Any, **kwargs: Any) -> uploads.FileCheck:
        seconds, memory = check_seconds(), check_memory_bytes()
        try:
            return run(fn, args, kwargs, seconds=seconds, memory=memory)
        except WorkerTimeout:
            log.warning("the check of an upload ran past its time limit (%g s): stopped", seconds)
            return uploads.FileCheck(refused=problem("check-time-limit", seconds=f"{seconds:,g}"))
        except WorkerOutOfMemory:
            log.warning("the check of an upload reached its memory limit (%s): stopped", uploads.fmt_mb(memory))
            return uploads.FileCheck(refused=problem("check-memory-limit", limit=uploads.fmt_mb(memory)))
        except WorkerDied as exc:
            log.warning("the check of an upload ended without an answer: exit status %s", exc.status)
            return uploads.FileCheck(refused=problem("check-failed", status=exc.status))

    return checker


check_file: uploads.Checker = isolated(uploads.check_file)


# --------------------------------------------------------------------------------------------------- the worker


def serve_one() -> None:
    """The worker's side: read one request, limit this process, call, write ``("ok", result)``,
    ``("memory", text)`` or ``("error", exception)``, exit.  The end of the input before a request: end quietly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C at the server's terminal is the server's to handle
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever the call prints goes to standard error, never into the answer
    try:
        memory, seconds, fn, args, kwargs = pickle.load(sys.stdin.buffer)
    except EOFError:
        return
    try:
        import resource

        import pyarrow

        pyarrow.set_memory_pool(pyarrow.system_memory_pool())  # mimalloc would reserve 1 GiB of the limit
        _lower(resource.RLIMIT_AS, memory)
        _lower(resource.RLIMIT_CPU, math.ceil(seconds) + 5)  # a backstop should the caller be gone
        answer = ("ok", fn(*args, **kwargs))
    except MemoryError as exc:
        answer = ("memory", str(exc))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller
        answer = ("error", _portable(exc))
    try:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError as exc:
        data = pickle.dumps(("memory", str(exc)))
    except Exception as exc:  # noqa: BLE001 - an answer that cannot be pickled
        data = pickle.dumps(("error", _portable(exc)))
    try:
        answers.write(data)
        answers.close()
    except BrokenPipeError:  # the caller is gone (killed, or it stopped waiting)
        pass
    os._exit(0)  # at once: tearing down pandas, pyarrow and the rest takes most of a second


def _lower(which: int, value: int) -> None:
    """Set this process's soft limit ``which`` to ``value`` (never above the hard limit)."""
    import resource

    _, hard = resource.getrlimit(which)
    resource.setrlimit(which, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))


def _portable(exc: BaseException) -> BaseException:
    """``exc`` with the worker's traceback as a note, or a RuntimeError saying it when it cannot be pickled."""
    exc.add_note("in the check's worker process:\n" + "".join(traceback.format_exception(exc)))
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - e.g. an exception whose __init__ takes other arguments
        return RuntimeError(f"{type(exc).__name__}: {exc}\n{exc.__notes__[-1]}")
    return exc

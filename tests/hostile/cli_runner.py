"""Run many ``python -m loaders …`` command lines cheaply: import once, fork one bounded child per command.

Reads a JSON list of jobs on stdin (``argv``, ``stdout``, ``stderr`` file paths) and prints one JSON list of results
(``rc``, ``seconds``, ``max_rss_mb``, ``timed_out``).  Each child is the command line's own ``main`` in a fresh
process with an address-space limit (``--mem-mb``) and a wall-clock limit (``--timeout``), ``--parallel`` at a time.
Forking after the imports saves the interpreter start (about 0.6 s) per command; ``tests/test_hostile.py`` also runs
a few files through the real ``python -m loaders`` to show it behaves the same.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sys
import time


def _child(job: dict, mem_mb: int) -> None:
    limit = mem_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for fd, path in ((1, job["stdout"]), (2, job["stderr"])):
        f = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(f, fd)
        os.close(f)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - the child exits right after
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    code = 1
    try:
        from loaders.cli import main

        code = main(job["argv"])
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException:  # noqa: BLE001 - what a real interpreter would print: a traceback, exit 1
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def run(jobs: list[dict], *, parallel: int, timeout: float, mem_mb: int) -> list[dict]:
    results: list[dict | None] = [None] * len(jobs)
    running: dict[int, tuple[int, float]] = {}  # pid -> (job index, start)
    todo = list(range(len(jobs)))
    while todo or running:
        while todo and len(running) < parallel:
            i = todo.pop(0)
            pid = os.fork()
            if pid == 0:
                _child(jobs[i], mem_mb)
            running[pid] = (i, time.monotonic())
        time.sleep(0.005)
        for pid, (i, start) in list(running.items()):
            done, status, usage = os.wait4(pid, os.WNOHANG)
            elapsed = time.monotonic() - start
            if done == 0 and elapsed > timeout:
                os.kill(pid, signal.SIGKILL)
                done, status, usage = os.wait4(pid, 0)
                results[i] = {"rc": None, "timed_out": True, "seconds": elapsed, "max_rss_mb": usage.ru_maxrss / 1024}
                del running[pid]
            elif done:
                rc = os.waitstatus_to_exitcode(status)
                results[i] = {"rc": rc, "timed_out": False, "seconds": elapsed, "max_rss_mb": usage.ru_maxrss / 1024}
                del running[pid]
    return results  # type: ignore[return-value]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--mem-mb", type=int, default=1536)
    args = parser.parse_args()
    # Import what the commands use before forking, and nothing that starts threads (no database is opened here).
    import geopandas  # noqa: F401
    import openpyxl  # noqa: F401
    import pyogrio  # noqa: F401

    import loaders.boundaries  # noqa: F401
    import loaders.cli  # noqa: F401
    import loaders.uploads  # noqa: F401
    from indicators.registry import load_registry

    load_registry()
    print(json.dumps(run(json.load(sys.stdin), parallel=args.parallel, timeout=args.timeout, mem_mb=args.mem_mb)))

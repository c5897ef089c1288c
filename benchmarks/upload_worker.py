"""Another session's overview while the worst workbook the limits allow is checked through the upload page.

``python -m benchmarks.upload_worker [--rows 1000000] [--runs 20] [--no-in-process] [--keep DIR]``

The file: ``--rows`` rows (the header included) × 4 columns written by openpyxl's write-only workbook, as
docs/RELIABILITY.md §6 describes (five subdistricts, years cycling, every row a copy of one 300 rows up: the checker's
worst case), on a fresh demo store.  The upload page's call for a new file (:func:`loaders.users.upload_as` through
:func:`loaders.workers.check_file`, as an administrator) runs in a thread while another session (Streamlit AppTest)
runs the overview page again and again in this process; then the upload page itself (AppTest) takes the file alone
(two AppTests cannot run at once: they share Streamlit's runtime).  The control: the overview beside a process that
only burns a core as long as the worker took (what a second busy core alone does on this machine);
``--no-in-process`` skips the comparison with the check on a session's thread, as the page ran it before.

Printed: the overview's run times (median and max) against a quiet baseline; the check's, the worker's and the
page's wall time; the worker's peak RSS (``RUSAGE_CHILDREN``) and this process's (the server's) own.  Figures, never
assertions; budget (issue 19 item 6): ≤ 20 s and ≤ 1 GB for the file, and the other sessions keep their pace.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.pages import ROOT

CODES = ["930101", "930103", "930104", "930105", "930106"]
PREVIEW_ROWS = 15  # app_pages/upload.py
ADMIN = "bench_admin"


def generate_xlsx(path: Path, rows: int = 1_000_000) -> Path:
    """``rows`` rows (the header included) of ``area, year, measure, value`` in a write-only workbook."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(["area", "year", "measure", "value"])
    for i in range(rows - 1):
        ws.append([CODES[i % 5], 2540 + (i // 5) % 60, "population", 1000 + i % 997])
    wb.save(path)
    return path


def _store(folder: Path) -> Path:
    from argon2 import PasswordHasher

    from loaders import users
    from loaders.demo import build_demo

    db = folder / "bench.duckdb"
    build_demo(db)
    users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # the account is never signed in
    users.add_user(ADMIN, "admin", password="bench password", by="benchmark", db=db)
    return db


def _overview():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()  # cold: the queries' cache fills
    return at


def _runs(at, until: threading.Event | None = None, n: int = 20) -> list[float]:
    """Overview run times: ``n`` runs, or (with ``until``) runs until the event is set."""
    times = []
    while (len(times) < n) if until is None else not until.is_set():
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])
    return times


def _page_check(data: bytes, name: str, out: dict, done: threading.Event) -> None:
    """What the upload page runs for a new file, on this thread: the check through the worker, the preview."""
    from loaders import accounts, users, workers

    try:
        t0 = time.perf_counter()
        checked = users.upload_as(accounts.get_user(ADMIN), data, name, dry_run=True, checker=workers.check_file,
                                  head=PREVIEW_ROWS)
        out["report"], out["head"] = checked.to_dict(), len(checked.head)
        out["page_s"] = time.perf_counter() - t0
    finally:
        done.set()


def _upload_page(data: bytes, name: str) -> dict:
    """The upload page itself (Streamlit AppTest) takes the file, alone: its run time end to end."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.session_state["_auth_name"] = ADMIN
    at.run()
    at.switch_page("app_pages/upload.py").run()
    time.sleep(2)  # the worker the page starts ahead is ready, as it is by the time someone picks a file
    at.file_uploader[0].set_value((name, data, "application/octet-stream"))
    t0 = time.perf_counter()
    at.run()
    return {"page_s": time.perf_counter() - t0, "exception": [e.value for e in at.exception],
            "status": at.session_state["upload_check"][1]["status"]}


def _in_process(data: bytes, name: str, out: dict, done: threading.Event) -> None:
    """The check on this thread, as the page ran it before (without its second read of the file for the preview)."""
    from loaders import accounts, users

    try:
        t0 = time.perf_counter()
        out["report"] = users.upload_as(accounts.get_user(ADMIN), data, name, dry_run=True).to_dict()
        out["page_s"] = time.perf_counter() - t0
    finally:
        done.set()


def _peak_rss(pid: int, done: threading.Event, out: dict) -> None:
    """The high-water marks of ``pid``'s RSS and address space (``VmHWM``, ``VmPeak``, MB), read every 0.1 s until
    it ends or ``done`` is set: ``RUSAGE_CHILDREN`` counts a child's RSS from before its ``exec`` (this whole
    process) too."""
    keys = {"VmHWM:": "worker_hwm_mb", "VmPeak:": "worker_vmpeak_mb"}
    while not done.is_set():
        try:
            text = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return
        for line in text.splitlines():
            if line.split(maxsplit=1)[0] in keys:
                out[keys[line.split(maxsplit=1)[0]]] = int(line.split()[1]) / 1024
        done.wait(0.1)


def _spin(seconds: float, _name, out: dict, done: threading.Event) -> None:
    """The control: a process that only burns one core for ``seconds`` (no lock, no pipe, nothing of ours)."""
    import subprocess
    import sys

    try:
        subprocess.run([sys.executable, "-c", f"import time\nt = time.time() + {seconds}\nwhile time.time() < t: pass"],
                       check=True)
    finally:
        done.set()


def _while(target, data, name, at) -> tuple[list[float], dict]:
    """Overview runs while ``target(data, name, out, done)`` runs in a thread; and its ``out``."""
    out: dict = {}
    done = threading.Event()
    thread = threading.Thread(target=target, args=(data, name, out, done))
    thread.start()
    times = _runs(at, until=done)
    thread.join()
    return times, out


def _line(label: str, times: list[float], base: float | None) -> str:
    med, top = statistics.median(times), max(times)
    ratio = f"{med / base:>6.2f} {top / base:>6.2f}" if base else f"{'1.00':>6} {top / med:>6.2f}"
    return f"{label:<34} {len(times):>5} {med:>9.3f} {top:>8.3f} {ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20, help="overview runs of the quiet baseline")
    parser.add_argument("--no-in-process", action="store_true")
    parser.add_argument("--no-control", action="store_true", help="skip the run beside a process that burns a core")
    parser.add_argument("--keep", help="a folder to keep (and reuse) the generated workbook in")
    args = parser.parse_args()

    from loaders import workers

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"worst_{args.rows}.xlsx"
        if not path.exists():
            t0 = time.perf_counter()
            generate_xlsx(path, args.rows)
            print(f"generated {path.name}: {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s")
        data = path.read_bytes()
        db = _store(Path(tmp))
        os.environ["WELLBEING_DB"] = str(db)

        worker_s: list[float] = []
        run = workers.run

        def timed(*a, **k):
            t0 = time.perf_counter()
            try:
                return run(*a, **k)
            finally:
                worker_s.append(time.perf_counter() - t0)

        workers.run = timed  # the page's checker looks the function up when it calls

        load = os.getloadavg()[0]
        at = _overview()
        quiet = _runs(at, n=args.runs)
        base = statistics.median(quiet)
        workers.warm()  # as the page does when it opens
        time.sleep(2)  # the worker started ahead is ready, as it is by the time someone picks a file
        (pid,) = workers.ready_pids()
        sampled: dict = {}
        stop = threading.Event()
        sampler = threading.Thread(target=_peak_rss, args=(pid, stop, sampled))
        sampler.start()
        during, out = _while(_page_check, data, path.name, at)
        stop.set()
        sampler.join()
        self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows = [("quiet (no upload)", quiet)]
        if not args.no_control:
            rows.append(("while a process burns a core", _while(_spin, worker_s[0], None, at)[0]))
        rows.append(("while the page checks (worker)", during))
        if not args.no_in_process:
            inproc, out_in = _while(_in_process, data, path.name, at)
            rows.append(("while a thread checks (in-process)", inproc))
        page = _upload_page(data, path.name)

    report = out.get("report") or {}
    print(f"file: {path.name}, {len(data) / 1e6:.1f} MB, {args.rows:,} rows; status {report.get('status')}, "
          f"{report.get('rows_read', 0):,} rows read, {report.get('problem_count', 0):,} problems; "
          f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end ({os.cpu_count()} cores)")
    print(f"\n{'overview runs':<34} {'runs':>5} {'median s':>9} {'max s':>8} {'÷ quiet median, max':>14}")
    for label, times in rows:
        print(_line(label, times, None if times is quiet else base))
    print(f"\nthe page's check (users.upload_as through the worker): {out.get('page_s', float('nan')):.1f} s; "
          f"worker wall time {worker_s[0] if worker_s else float('nan'):.1f} s; worker peak RSS "
          f"{sampled.get('worker_hwm_mb', float('nan')):,.0f} MB (VmHWM; RUSAGE_CHILDREN {child_rss:,.0f} MB), "
          f"address space {sampled.get('worker_vmpeak_mb', float('nan')):,.0f} MB (VmPeak; the limit "
          f"{workers.check_memory_bytes() / 1e6:,.0f} MB); "
          f"this process's peak RSS {self_rss:,.0f} MB (before the in-process check)")
    print(f"the upload page alone (AppTest: check, preview, report): {page['page_s']:.1f} s, status {page['status']}"
          + (f", exception {page['exception']}" if page["exception"] else ""))
    if not args.no_in_process:
        print(f"in-process check: {out_in.get('page_s', float('nan')):.1f} s; "
              f"this process's peak RSS then {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    print(f"budget: ≤ 20 s ({worker_s[0] / 20 if worker_s else float('nan'):.2f} of it) and ≤ 1,000 MB "
          f"({sampled.get('worker_hwm_mb', float('nan')) / 1000:.2f} of it) for the worker")


if __name__ == "__main__":
    main()

"""Load test: `make serve` on PostgreSQL at 1M claims under wrk, 64 connections for 30 s.

    python benchmarks/bench_load.py [--claims 1000000] [--connections 64] [--duration 30]
                                    [--warmup 5] [--port 8703] [--log FILE] [--out BENCHMARKS.md]

1. Fills the PostgreSQL database ``claims_bench`` (``BENCH_DATABASE_URL``) with
   ``generate_corpus`` unless it already holds --claims claims (bench_api.py's preparation).
2. Picks the request paths the way bench_api.py does (E1-E7 and page 200 of a cursor).
3. Starts the real ``make serve`` (its own migrate and load_seeds included, timed apart)
   on --port with the API throttles raised: this measures capacity, not the throttle.
4. wrk, 2 threads, --connections connections, a Lua script that rotates through the paths;
   a warm-up, then --duration seconds with a 10 s timeout, so a slow answer is a latency.
5. Worker restarts: gunicorn's "Booting worker" lines and the set of worker PIDs before the
   warm-up and after the run; each worker's peak resident memory.
6. Stops the server (SIGTERM to gunicorn's master, then its process group) and writes the
   section "Load: ..." of --out.

Passes with zero non-2xx answers, zero socket errors, no error line in the server log and
no worker restarted; exits non-zero otherwise, after writing the section.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.bench_api import (  # noqa: E402  (one preparation, one wrk for both)
    DEFAULT_URL,
    WRK_SCRIPT,
    prepare_database,
    record_queries,
    rss_mb,
    worker_pids,
    wrk_summary,
)
from benchmarks.bench_loader import replace_section  # noqa: E402

HEADING = "## Load: 64 connections for 30 s"
# High enough never to bite; per second, so DRF's history of timestamps stays short.
THROTTLE = "1000000/second"
# make serve: --max-requests 10000 --max-requests-jitter 1000, so each worker is recycled
# after 10,000 to 11,000 of its own requests.
MAX_REQUESTS = 10_000
WRK_TIMEOUT = 10
BOOTING = re.compile(r"Booting worker with pid: (\d+)")
# gunicorn's default access log format: ... "GET /path HTTP/1.1" 200 1234 ...
ACCESS = re.compile(r'"(?:GET|HEAD|POST) (\S+) HTTP/[\d.]+" (\d{3}) ')
# Error lines, and every way gunicorn reports a worker going away.
RESTART = re.compile(r"WORKER TIMEOUT|Worker exiting|Autorestarting|was sent SIG|was terminated")
SERVER_TROUBLE = re.compile(
    RESTART.pattern + r"|Traceback|Internal Server Error|\[(?:ERROR|CRITICAL)\]"
)


def rotating_script(paths: list[str]) -> str:
    """WRK_SCRIPT with a ``request`` that takes the paths in turn (each thread on its own)."""
    assert all(p.isascii() and '"' not in p for p in paths), paths
    listed = ", ".join(f'"{p}"' for p in paths)
    return (
        f"local paths = {{{listed}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n" + WRK_SCRIPT
    )


def serve_env(url: str) -> dict:
    """The environment ``make serve`` gets: ours, the bench database, the throttles lifted."""
    env = dict(os.environ, DATABASE_URL=url, API_THROTTLE_ANON=THROTTLE, API_THROTTLE_USER=THROTTLE)
    # Production settings as make serve sets them; a stray DEBUG or batch flag would change them.
    for name in ("DJANGO_DEBUG", "CLAIMS_BATCH", "DJANGO_SETTINGS_MODULE", "WORKERS"):
        env.pop(name, None)
    return env


def wait_for_server(server: subprocess.Popen, url: str, log: Path, seconds: float) -> float:
    """Seconds until ``url`` answers 200; fails with the log's tail if make gives up first."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if server.poll() is not None:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
            raise SystemExit(f"make serve exited with {server.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s; see {log}")


def gunicorn_master(session: int) -> int:
    """The gunicorn process of the session whose parent is not gunicorn (make's shell is not)."""
    out = subprocess.run(
        ["pgrep", "-s", str(session), "-x", "gunicorn"], capture_output=True, text=True
    )
    pids = {int(p) for p in out.stdout.split()}
    for pid in pids:
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        if parent not in pids:
            return pid
    raise SystemExit("No gunicorn master found under make serve")


def stop_server(server: subprocess.Popen, master: int | None) -> None:
    """SIGTERM to gunicorn's master, a graceful stop after which make ends; then the group."""
    with contextlib.suppress(ProcessLookupError):
        if master:
            os.kill(master, signal.SIGTERM)
        else:
            os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    with contextlib.suppress(ProcessLookupError):  # anything make left behind
        os.killpg(server.pid, signal.SIGKILL)


def cpu_jiffies() -> tuple[dict[str, int], dict[int, tuple[str, int]]]:
    """The machine's busy jiffies by kind, and (command, user + system jiffies) per process."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    # Interrupts (loopback networking is mostly softirq) belong to no process; steal is
    # time the hypervisor gave to other machines.
    busy = {"processes": user + nice + system, "interrupts": irq + softirq, "steal": steal}
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        rest = stat.rsplit(")", 1)[1].split()
        processes[int(entry.name)] = (comm, int(rest[11]) + int(rest[12]))
    return busy, processes


def watch_processes(stop: threading.Event, seen: dict) -> None:
    """Twice a second, the CPU time of every process, so that short-lived ones are named too."""
    while not stop.wait(0.5):
        seen.update(cpu_jiffies()[1])


def cpu_split(before, after, seconds: float, server: set[int], wrk_seconds: float) -> dict:
    """Share of the machine's cores used during the run: ours, PostgreSQL, everything else.

    wrk has exited when ``after`` is taken, so its time comes from ``getrusage``. "other
    processes" is the machine's total less what is accounted for, so it holds processes too
    short-lived to be seen; ``after`` holds the last time seen of every process.
    """
    hz = os.sysconf("SC_CLK_TCK")
    cores = os.cpu_count() or 1
    client = "wrk and this script"
    used: Counter = Counter({"gunicorn": 0, client: round(wrk_seconds * hz), "PostgreSQL": 0})
    others: Counter = Counter()
    for pid, (comm, jiffies) in after[1].items():
        delta = jiffies - before[1].get(pid, (comm, 0))[1]
        if pid in server:
            used["gunicorn"] += delta
        elif pid == os.getpid():
            used[client] += delta
        elif comm.startswith("postgres"):
            used["PostgreSQL"] += delta
        else:
            others[comm] += delta
    machine = {kind: after[0][kind] - before[0][kind] for kind in after[0]}
    # What no sampled process accounts for: kernel work done on behalf of the loopback
    # traffic, and processes too short-lived to be seen.
    used["unattributed"] = max(0, machine["processes"] - sum(used.values()))
    used["interrupts"] = machine["interrupts"]
    used["steal"] = machine["steal"]

    def share(jiffies: int) -> float:
        return 100 * jiffies / hz / seconds / cores

    return {
        "busy": share(sum(machine.values())),
        "split": {name: share(j) for name, j in used.items()},
        "top_others": [(c, share(j)) for c, j in others.most_common(3) if share(j) >= 1],
    }


def log_facts(text: str) -> dict:
    """Boots, status codes per path and trouble lines in a stretch of the server log."""
    statuses: Counter = Counter()
    per_path: dict[str, Counter] = {}
    for path, status in ACCESS.findall(text):
        statuses[status] += 1
        per_path.setdefault(path, Counter())[status] += 1
    return {
        "booted": BOOTING.findall(text),
        "statuses": dict(statuses),
        "per_path": per_path,
        "trouble": [line for line in text.splitlines() if SERVER_TROUBLE.search(line)],
    }


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text()
    total_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
    return {"cores": os.cpu_count(), "memory_gb": total_kb / 1024**2}


def database_facts(url: str) -> dict:
    """PostgreSQL's version and the corpus the server answered from."""
    import psycopg

    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM claims_claim), (SELECT count(*) FROM claims_stance), "
            "(SELECT count(*) FROM claims_speaker), (SELECT count(*) FROM claims_source)"
        ).fetchone()
    return {
        "version": version,
        **dict(zip(("claims", "stances", "speakers", "sources"), counts, strict=True)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=30, help="Seconds of load.")
    parser.add_argument("--warmup", type=int, default=5, help="Seconds of warm-up first.")
    parser.add_argument("--port", type=int, default=8703)
    parser.add_argument("--log", type=Path, default=None, help="Server log (default: a temp file).")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.out and (args.connections, args.duration) != (64, 30):
        parser.error(f"--out writes the section {HEADING!r}: keep --connections 64 --duration 30")

    load_at_start = os.getloadavg()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    generation = prepare_database(url, args.claims, reuse=True)
    recorded = record_queries(url)
    paths = [query["path"] for query in recorded["queries"].values()]
    base = f"http://127.0.0.1:{args.port}"
    log = args.log or Path(tempfile.mkdtemp(prefix="claims-load-")) / "serve.log"
    print(f"Server log: {log}", flush=True)

    with log.open("w") as log_file:
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"PORT={args.port}"],
            cwd=ROOT,
            env=serve_env(url),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    master = None
    try:
        startup = wait_for_server(server, f"{base}/healthz", log, seconds=900)
        print(f"make serve answered /healthz after {startup:.0f} s", flush=True)
        master = gunicorn_master(server.pid)
        for path in paths:  # every path answers before any load, or the mix is void
            with urllib.request.urlopen(base + path, timeout=30) as response:
                assert response.status == 200, (path, response.status)
        lua = rotating_script(paths)
        offset = log.stat().st_size
        workers_before = sorted(worker_pids(master))
        booted_before = len(BOOTING.findall(log.read_text(errors="replace")))
        wrk_summary(
            base + "/", args.warmup, connections=args.connections, lua=lua, timeout=WRK_TIMEOUT
        )
        load_before = os.getloadavg()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_before = cpu_jiffies()
        seen = dict(cpu_before[1])
        stop = threading.Event()
        watcher = threading.Thread(target=watch_processes, args=(stop, seen))
        watcher.start()
        started = time.perf_counter()
        try:
            stats = wrk_summary(
                base + "/",
                args.duration,
                connections=args.connections,
                lua=lua,
                timeout=WRK_TIMEOUT,
            )
        finally:
            stop.set()
            watcher.join()
        seconds = time.perf_counter() - started
        machine_after, processes_after = cpu_jiffies()
        cpu_after = (machine_after, {**seen, **processes_after})
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers_after = sorted(worker_pids(master))
        peaks = {pid: rss_mb(pid, "VmHWM") for pid in workers_after}
        time.sleep(1)  # the access log lines of the last answers
        raw = log.read_bytes()
        booted_after = len(BOOTING.findall(raw.decode(errors="replace")))
        served = len(ACCESS.findall(raw.decode(errors="replace")))
        during = log_facts(raw[offset:].decode(errors="replace"))
    finally:
        stop_server(server, master)
    wrk_seconds = (children_after.ru_utime + children_after.ru_stime) - (
        children_before.ru_utime + children_before.ru_stime
    )
    server_pids = {master, *workers_before, *workers_after}
    facts = {
        "machine": machine(),
        "database": database_facts(url),
        "generation": generation,
        "params": recorded["params"],
        "paths": paths,
        "startup": startup,
        "stats": stats,
        "seconds": seconds,
        "workers_before": workers_before,
        "workers_after": workers_after,
        "booted": booted_after - booted_before,
        "peaks": peaks,
        "served": served,
        "during": during,
        "load_at_start": load_at_start,
        "load_before": load_before,
        "cpu": cpu_split(cpu_before, cpu_after, seconds, server_pids, wrk_seconds),
        "log": log,
    }
    report, passed = render(args, facts)
    print(report)
    if args.out:
        replace_section(args.out, HEADING, report)
    if not passed:
        raise SystemExit("FAIL: errors or worker restarts under load (see above)")


def render(args, facts: dict) -> tuple[str, bool]:
    """The section for BENCHMARKS.md, and whether the run passed."""
    stats, during, cpu = facts["stats"], facts["during"], facts["cpu"]
    socket_errors = {k: stats[k] for k in ("connect", "read", "write", "timeout")}
    server_5xx = sum(n for status, n in during["statuses"].items() if status.startswith("5"))
    restarted = (
        facts["booted"] > 0
        or facts["workers_before"] != facts["workers_after"]
        or any(RESTART.search(line) for line in during["trouble"])
    )
    errors = stats["non2xx"] + stats["socket_errors"] + server_5xx + len(during["trouble"])
    passed = errors == 0 and not restarted
    workers = len(facts["workers_after"])
    rps = stats["requests"] / (stats["duration_us"] / 1e6)
    served_per_worker = facts["served"] / max(1, workers)
    load1, load5, _ = facts["load_at_start"]
    split = ", ".join(f"{name} {share:.0f}%" for name, share in cpu["split"].items())
    top = ", ".join(f"`{comm}` {share:.0f}%" for comm, share in cpu["top_others"]) or "none"
    statuses = ", ".join(f"{n:,} x {s}" for s, n in sorted(during["statuses"].items()))
    gen, db = facts["generation"], facts["database"]
    # Crowded when some other named program took cores (the unattributed remainder is there
    # on an idle machine too; load averages lag, so they only inform).
    named_others = sum(share for _comm, share in cpu["top_others"])
    crowded = named_others >= 5 or cpu["split"]["steal"] >= 5
    corpus = (
        f"generated for this run in {gen['wall_seconds']:.0f} s"
        if gen.get("generated")
        else "already there, reused"
    )
    command = (
        f"make loadtest  # = .venv/bin/python benchmarks/bench_load.py --claims {args.claims} "
        f"--connections {args.connections} --duration {args.duration} --warmup {args.warmup} "
        "--out BENCHMARKS.md"
    )
    lines = [
        HEADING,
        "",
        "Requirement: under `wrk` at 64 connections for 30 s on loopback against `make serve` "
        "on PostgreSQL with a large corpus, zero errors and no worker restarts.",
        "",
        f"**{'PASS' if passed else 'FAIL'}**: {stats['non2xx']} non-2xx, "
        f"{stats['socket_errors']} socket errors, {server_5xx} 5xx and "
        f"{len(during['trouble'])} error lines in the server log, "
        f"{'worker restarts (see below)' if restarted else 'no worker restarted'}.",
        "",
        f"- Machine: {facts['machine']['cores']} cores, {facts['machine']['memory_gb']:.0f} GB "
        f"of memory, PostgreSQL {db['version']}, everything on this one machine (wrk, "
        "gunicorn, PostgreSQL).",
        f"- Otherwise idle? Load average {load1:.2f} (1 min) / {load5:.2f} (5 min) when the "
        f"script started, {facts['load_before'][0]:.2f} (1 min) just before the run (that one "
        "includes this script's own seeding and warm-up). Share of the "
        f"{facts['machine']['cores']} cores during the run, {cpu['busy']:.0f}% busy in all: "
        f"{split} (PostgreSQL: all its processes, anyone's; the other commands: {top}). "
        + (
            "**Not idle**: other work took a visible share of the cores, so these figures are "
            "low; re-run on a quiet machine."
            if crowded
            else "Nothing else of note was running."
        ),
        f"- Corpus: `claims_bench`, {db['claims']:,} claims, {db['stances']:,} stances, "
        f"{db['speakers']:,} speakers, {db['sources']:,} sources: `generate_corpus --claims "
        f"{args.claims}` ({corpus}) plus the seeds `make serve` loads itself.",
        f"- Server: the real `make serve` (PORT={args.port}): gunicorn, {workers} sync workers, "
        "`--max-requests 10000 --max-requests-jitter 1000`, production settings, the throttle "
        "counts in the file cache. Its `migrate` + `load_seeds` + `collectstatic` + boot took "
        f"{facts['startup']:.0f} s to the first `/healthz`, before any measurement.",
        f"- Throttle lifted for the run: `API_THROTTLE_ANON` = `API_THROTTLE_USER` = "
        f"`{THROTTLE}` (production: 120/min anonymous, which one client at this rate would hit "
        "at once). It still counts every request; this measures capacity, not the throttle.",
        f"- Load: wrk, 2 threads, {args.connections} connections, `--timeout {WRK_TIMEOUT}s` (a "
        f"slow answer is a latency, not a drop), {args.warmup} s warm-up then "
        f"{args.duration} s. A Lua script takes these {len(facts['paths'])} paths in turn, "
        "the queries of the API section: E1 newest claims, E2 speaker + stance (frequent and "
        "rare speaker), E3 topic + date range, E4 full text + stance, E5 page 200 of a cursor, "
        "E6 one claim, E7 speakers with counts.",
        "",
        "| requests/s | p50 ms | p95 ms | p99 ms | max ms | requests | non-2xx | socket errors "
        "(connect / read / write / timeout) |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
        f"| {rps:.0f} | {stats['p50'] / 1000:.0f} | {stats['p95'] / 1000:.0f} | "
        f"{stats['p99'] / 1000:.0f} | {stats['max'] / 1000:.0f} | {stats['requests']:,} | "
        f"{stats['non2xx']} | {' / '.join(str(v) for v in socket_errors.values())} |",
        "",
        f"- Server access log over warm-up and run: {statuses or 'no lines'}"
        + (
            f"; {len(during['trouble'])} error lines, the first: `{during['trouble'][0].strip()}`"
            if during["trouble"]
            else "; no error lines"
        )
        + (
            "; not 2xx, by path: "
            + ", ".join(
                f"`{path}` {dict(bad)}"
                for path, codes in during["per_path"].items()
                if (bad := {c: n for c, n in codes.items() if not c.startswith("2")})
            )
            if any(not c.startswith("2") for c in during["statuses"])
            else ""
        )
        + ".",
        f'- Worker restarts: {facts["booted"]} "Booting worker" lines during warm-up and '
        f"run; worker PIDs {'unchanged' if facts['workers_before'] == facts['workers_after'] else 'changed'} "
        f"({', '.join(map(str, facts['workers_before']))} before, "
        f"{', '.join(map(str, facts['workers_after']))} after).",
        "- Peak resident memory per worker (VmHWM): "
        + ", ".join(f"{mb:.0f} MB" for mb in facts["peaks"].values())
        + ".",
        f"- Recycling by `--max-requests`: the server answered {facts['served']:,} requests "
        f"from its start to the end of the run, {served_per_worker:,.0f} per worker on average "
        f"({100 * served_per_worker / MAX_REQUESTS:.0f}% of the 10,000 at which a worker is "
        "recycled at the earliest)"
        + (
            "; even one worker taking every request would not reach it."
            if facts["served"] < MAX_REQUESTS
            else "; a recycled worker would show above as a restart."
        ),
        "",
        f"Reproduce: `{command}` (it reuses a filled `claims_bench`).",
    ]
    return "\n".join(lines) + "\n", passed


if __name__ == "__main__":
    main()

"""API benchmark at scale: this API vs Datasette vs the database floor, same data, one run.

    python benchmarks/bench_api.py [--claims 1000000] [--runs 3] [--duration 8] [--reuse]
                                   [--out BENCHMARKS.md]

1. Makes a PostgreSQL database ``claims_bench`` (``BENCH_DATABASE_URL``), migrates it and
   fills it with ``generate_corpus`` (timed), unless ``--reuse`` finds it already filled.
2. Records, through Django's test client, the exact SQL each query makes, and how many.
3. Exports the same rows to SQLite with equivalent indexes and FTS5 for Datasette, whose
   canned queries return the same fields (stances as a JSON array per claim).
4. Serves the API with gunicorn (production settings, workers from the CPU count) and
   Datasette (immutable mode), and loads each with wrk on loopback: 8 connections, a
   warm-up, then --runs runs; medians of requests/s and p50/p95/p99 latency.
5. The floor: the recorded SQL run by 8 processes over psycopg, rows encoded with orjson,
   for the same duration, with the same statistics.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import secrets
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.bench_loader import replace_section  # noqa: E402  (one writer for both)

PYTHON = sys.executable
DATASETTE = os.environ.get("DATASETTE", str(ROOT / ".bench-venv" / "bin" / "datasette"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/claims_bench"
CONNECTIONS = 8
API_PORT, DATASETTE_PORT = 8701, 8702

# wrk's summary as one JSON line (latencies in microseconds); other scripts append to it.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50": %d, "p95": %d, "p99": %d, '
    .. '"max": %d, "non2xx": %d, "socket_errors": %d, "connect": %d, "read": %d, '
    .. '"write": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout))
end
"""


def django_env(url: str, production: bool = False) -> dict:
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="project.settings",
        # The throttle still counts every request (its cost is measured) but never bites:
        # the benchmark is one client on purpose.
        API_THROTTLE_ANON="1000000/second",
        API_THROTTLE_USER="1000000/second",
    )
    if production:
        env.update(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            # Plain HTTP on loopback.
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SECURE_COOKIES="0",
        )
    else:
        env["DJANGO_DEBUG"] = "1"
    return env


def manage(url: str, *args: str) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=django_env(url),
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def psql_admin(url: str, sql: str) -> None:
    import psycopg

    admin = urllib.parse.urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def prepare_database(url: str, claims: int, reuse: bool) -> dict:
    """A migrated database with ``claims`` generated claims; returns generation facts."""
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    if reuse:
        try:
            with psycopg.connect(url) as conn:
                have = conn.execute("SELECT count(*) FROM claims_claim").fetchone()[0]
            if have >= claims:
                manage(url, "migrate", "-v0")
                return {"claims": have, "generated": False}
        except psycopg.Error:
            pass
    psql_admin(url, f'DROP DATABASE IF EXISTS "{name}"')
    psql_admin(url, f'CREATE DATABASE "{name}"')
    manage(url, "migrate", "-v0")
    started = time.perf_counter()
    report = manage(url, "generate_corpus", "--claims", str(claims), "--seed", "1")
    wall = time.perf_counter() - started
    print(report.strip(), flush=True)
    return {"claims": claims, "generated": True, "wall_seconds": wall, "report": report.strip()}


# --- step 2: the queries, their SQL, run inside Django ------------------------------------


def record_queries(url: str) -> dict:
    """In a child process: pick the parameters, run every query once, keep its SQL."""
    out = subprocess.run(
        [PYTHON, __file__, "--child-record"],
        cwd=ROOT,
        env=django_env(url),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"Recording the queries failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def child_record() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from claims.db import lift_statement_timeout
    from claims.models import Claim, Speaker, Topic

    lift_statement_timeout()  # choosing the parameters scans every claim
    with connection.cursor() as cur:
        cur.execute(
            "SELECT speaker_id FROM claims_claim GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        )
        frequent = cur.fetchone()[0]
        cur.execute(
            "SELECT c.speaker_id FROM claims_claim c JOIN claims_stance s ON s.claim_id = c.id "
            "GROUP BY 1 HAVING count(*) FILTER (WHERE s.stance = 'against') BETWEEN 2 AND 5 "
            "ORDER BY 1 LIMIT 1"
        )
        rare = cur.fetchone()[0]
    frequent_slug = Speaker.objects.get(pk=frequent).slug
    rare_slug = Speaker.objects.get(pk=rare).slug
    topic = Topic.objects.order_by("pk").values_list("slug", flat=True)[2]
    ids = Claim.objects.order_by("pk").values_list("pk", flat=True)
    detail = ids[ids.count() // 2]
    client = Client()
    base = "/api/claims/?ordering=-published"
    # Page 200 of the newest claims: follow the cursor 199 times.
    url = base
    for _ in range(199):
        page = client.get(url, HTTP_HOST="127.0.0.1").json()
        url = page["next"]
    page200 = url.replace("http://127.0.0.1", "")
    # Where page 199 ended, as the (date, id) key Datasette's keyset query starts after.
    last = Claim.objects.get(pk=page["results"][-1]["id"])
    page200_key = [str(last.published or "0001-01-01"), last.pk]
    queries = {
        "E1 newest claims": base,
        "E2 speaker + stance, frequent": f"/api/claims/?speaker={frequent_slug}&stance=against",
        "E2 speaker + stance, rare": f"/api/claims/?speaker={rare_slug}&stance=against",
        "E3 topic + date range": f"/api/claims/?topic={topic}"
        "&published_after=2020-01-01&published_before=2020-12-31",
        "E4 full text + stance": "/api/claims/?q=h%C3%B4pitaux&stance=favor",
        "E5 page 200 (cursor)": page200,
        "E6 one claim": f"/api/claims/{detail}/",
        "E7 speakers with counts": "/api/speakers/",
    }
    result = {
        "params": {
            "frequent": frequent_slug,
            "frequent_claims": Claim.objects.filter(speaker_id=frequent).count(),
            "rare": rare_slug,
            "rare_claims": Claim.objects.filter(speaker_id=rare).count(),
            "topic": topic,
            "detail": detail,
            "page200": page200,
            "page200_key": page200_key,
        },
        "queries": {},
    }
    for name, path in queries.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (name, response.status_code)
        body = response.json()
        rows = len(body["results"]) if "results" in body else 1
        result["queries"][name] = {
            "path": path,
            "sql": [q["sql"] for q in captured.captured_queries],
            "rows": rows,
        }
    print(json.dumps(result))


# --- step 3: the same rows in SQLite for Datasette -----------------------------------------

STANCES_JSON = (
    "(SELECT json_group_array(json_object('topic', t.slug, 'stance', st.stance, "
    "'confidence', st.confidence, 'method', st.method, 'evidence', st.evidence, "
    "'contradicts_history', st.contradicts_history)) FROM claims_stance st "
    "JOIN claims_topic t ON t.id = st.topic_id WHERE st.claim_id = c.id) AS stances"
)
CLAIM_COLUMNS = (
    'c.id, c.text, c.kind, c.start, c."end", c.cue, c.context, c.status, c.confidence, '
    "c.method, c.extractor_version, c.created_at, c.updated_at, sp.slug AS speaker, "
    "sp.name AS speaker_name, so.key AS source, so.title AS source_title, so.outlet, "
    "so.published, so.published_precision, so.url, " + STANCES_JSON
)
CLAIM_FROM = (
    "FROM claims_claim c JOIN claims_speaker sp ON sp.id = c.speaker_id "
    "JOIN claims_source so ON so.id = c.source_id"
)
PUBLISHED = "coalesce(c.published, '0001-01-01')"
STANCE_IS = "EXISTS (SELECT 1 FROM claims_stance x WHERE x.claim_id = c.id AND x.stance = :stance"
DATASETTE_QUERIES = {
    "E1 newest claims": (
        "e1",
        f"SELECT {CLAIM_COLUMNS} {CLAIM_FROM} ORDER BY {PUBLISHED} DESC, c.id DESC LIMIT 50",
    ),
    "E2 speaker + stance, frequent": (
        "e2",
        f"SELECT {CLAIM_COLUMNS} {CLAIM_FROM} WHERE c.speaker_id = "
        f"(SELECT id FROM claims_speaker WHERE slug = :speaker) AND {STANCE_IS}) "
        "ORDER BY c.id LIMIT 50",
    ),
    "E3 topic + date range": (
        "e3",
        f"SELECT {CLAIM_COLUMNS} {CLAIM_FROM} WHERE EXISTS (SELECT 1 FROM claims_stance x "
        "WHERE x.claim_id = c.id AND x.topic_id = (SELECT id FROM claims_topic "
        "WHERE slug = :topic)) AND c.published BETWEEN :after AND :before "
        "ORDER BY c.id LIMIT 50",
    ),
    "E4 full text + stance": (
        "e4",
        f"SELECT {CLAIM_COLUMNS} {CLAIM_FROM} WHERE c.id IN (SELECT rowid FROM claims_fts "
        f"WHERE claims_fts MATCH :q) AND {STANCE_IS}) ORDER BY c.id LIMIT 50",
    ),
    "E5 page 200 (cursor)": (
        "e5",
        f"SELECT {CLAIM_COLUMNS} {CLAIM_FROM} WHERE {PUBLISHED} < :published "
        f"OR ({PUBLISHED} = :published AND c.id < :id) "
        f"ORDER BY {PUBLISHED} DESC, c.id DESC LIMIT 50",
    ),
    "E6 one claim": ("e6", f"SELECT {CLAIM_COLUMNS} {CLAIM_FROM} WHERE c.id = :id"),
    "E7 speakers with counts": (
        "e7",
        "SELECT sp.slug, sp.name, sp.kind, sp.role, sp.country, sp.wikidata_id, "
        "sp.needs_review, sp.origin, (SELECT count(*) FROM claims_claim c "
        "WHERE c.speaker_id = sp.id) AS claim_count, (SELECT json_group_array(a.name) "
        "FROM claims_alias a WHERE a.speaker_id = sp.id) AS aliases "
        "FROM claims_speaker sp ORDER BY sp.name LIMIT 50",
    ),
}


def export_sqlite(url: str, path: Path) -> float:
    """Copy the tables the queries read into SQLite, with equivalent indexes and FTS5."""
    import psycopg

    started = time.perf_counter()
    if path.exists():
        path.unlink()
    db = sqlite3.connect(path)
    db.executescript(
        """
        PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
        CREATE TABLE claims_speaker (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, name TEXT,
            kind TEXT, role TEXT, country TEXT, wikidata_id TEXT, needs_review INTEGER,
            origin TEXT);
        CREATE TABLE claims_alias (id INTEGER PRIMARY KEY, speaker_id INTEGER, name TEXT);
        CREATE TABLE claims_topic (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, name TEXT);
        CREATE TABLE claims_source (id INTEGER PRIMARY KEY, key TEXT UNIQUE, title TEXT,
            outlet TEXT, published TEXT, published_precision TEXT, url TEXT);
        CREATE TABLE claims_claim (id INTEGER PRIMARY KEY, source_id INTEGER,
            speaker_id INTEGER, text TEXT, kind TEXT, start INTEGER, "end" INTEGER, cue TEXT,
            context TEXT, status TEXT, confidence REAL, method TEXT, extractor_version TEXT,
            published TEXT, created_at TEXT, updated_at TEXT);
        CREATE TABLE claims_stance (id INTEGER PRIMARY KEY, claim_id INTEGER,
            topic_id INTEGER, stance TEXT, confidence REAL, method TEXT, evidence TEXT,
            contradicts_history INTEGER);
        """
    )
    tables = {
        "claims_speaker": "id, slug, name, kind, role, country, wikidata_id, "
        "needs_review::int, origin",
        "claims_alias": "id, speaker_id, name",
        "claims_topic": "id, slug, name",
        "claims_source": "id, key, title, outlet, published::text, published_precision, url",
        "claims_claim": 'id, source_id, speaker_id, text, kind, start, "end", cue, context, '
        "status, confidence, method, extractor_version, published::text, "
        "created_at::text, updated_at::text",
        "claims_stance": "id, claim_id, topic_id, stance, confidence, method, evidence, "
        "contradicts_history::int",
    }
    with psycopg.connect(url) as conn:
        for table, columns in tables.items():
            width = len(columns.split(","))
            insert = f"INSERT INTO {table} VALUES ({', '.join('?' * width)})"
            with conn.cursor(name=f"export_{table}") as cur:
                cur.itersize = 20_000
                cur.execute(f"SELECT {columns} FROM {table} ORDER BY id")
                while rows := cur.fetchmany(20_000):
                    db.executemany(insert, rows)
            db.commit()
    # The same indexes the PostgreSQL side uses for these queries.
    db.executescript(
        f"""
        CREATE INDEX claim_speaker_id ON claims_claim (speaker_id, id);
        CREATE INDEX claim_published_sort ON claims_claim ({PUBLISHED.replace("c.", "")}, id);
        CREATE INDEX claim_published ON claims_claim (published, id);
        CREATE INDEX claim_source ON claims_claim (source_id);
        CREATE INDEX stance_claim ON claims_stance (claim_id);
        CREATE INDEX stance_topic ON claims_stance (topic_id, stance, claim_id);
        CREATE INDEX speaker_name ON claims_speaker (name, id);
        CREATE INDEX alias_speaker ON claims_alias (speaker_id);
        CREATE VIRTUAL TABLE claims_fts USING fts5(
            text, content='claims_claim', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2');
        INSERT INTO claims_fts (claims_fts) VALUES ('rebuild');
        ANALYZE;
        """
    )
    db.commit()
    db.close()
    return time.perf_counter() - started


def datasette_paths(params: dict, page200_key: tuple) -> dict:
    quote = urllib.parse.quote
    return {
        "E1 newest claims": "/bench/e1.json?_shape=array",
        "E2 speaker + stance, frequent": f"/bench/e2.json?_shape=array&speaker="
        f"{quote(params['frequent'])}&stance=against",
        "E2 speaker + stance, rare": f"/bench/e2.json?_shape=array&speaker="
        f"{quote(params['rare'])}&stance=against",
        "E3 topic + date range": f"/bench/e3.json?_shape=array&topic={quote(params['topic'])}"
        "&after=2020-01-01&before=2020-12-31",
        "E4 full text + stance": "/bench/e4.json?_shape=array&q=hopitaux&stance=favor",
        "E5 page 200 (cursor)": f"/bench/e5.json?_shape=array&published={page200_key[0]}"
        f"&id={page200_key[1]}",
        "E6 one claim": f"/bench/e6.json?_shape=array&id={params['detail']}",
        "E7 speakers with counts": "/bench/e7.json?_shape=array",
    }


# --- step 4 and 5: load ---------------------------------------------------------------------


def wrk_summary(
    url: str,
    duration: int,
    *,
    connections: int = CONNECTIONS,
    lua: str = WRK_SCRIPT,
    timeout: int | None = None,
) -> dict:
    """Run wrk (2 threads) with the Lua script ``lua``; its summary line, parsed."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", script.name]
    if timeout is not None:
        command.append(f"--timeout={timeout}s")
    out = subprocess.run(
        [*command, url],
        check=True,
        capture_output=True,
        text=True,
    )
    os.unlink(script.name)
    return json.loads(out.stdout.strip().splitlines()[-1])


def wrk(url: str, duration: int) -> dict:
    stats = wrk_summary(url, duration)
    seconds = stats["duration_us"] / 1e6
    return {
        "rps": stats["requests"] / seconds,
        "p50": stats["p50"] / 1000,
        "p95": stats["p95"] / 1000,
        "p99": stats["p99"] / 1000,
        "non2xx": stats["non2xx"] + stats["socket_errors"],
        "bytes": stats["bytes"] / max(1, stats["requests"]),
    }


def _floor_worker(url: str, sql: list[str], until: float, queue) -> None:
    import orjson
    import psycopg
    from psycopg.rows import dict_row

    latencies = []
    with psycopg.connect(url, row_factory=dict_row, autocommit=True) as conn:
        conn.execute("SET jit = off")
        while time.perf_counter() < until:
            started = time.perf_counter()
            payload = [orjson.dumps(conn.execute(q).fetchall(), default=str) for q in sql]
            assert payload
            latencies.append(time.perf_counter() - started)
    queue.put(latencies)


def floor(url: str, sql: list[str], duration: int) -> dict:
    """The recorded SQL over psycopg with JSON encoding, 8 processes in a closed loop."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    until = time.perf_counter() + duration
    workers = [
        ctx.Process(target=_floor_worker, args=(url, sql, until, queue)) for _ in range(CONNECTIONS)
    ]
    for w in workers:
        w.start()
    latencies = sorted(x for _ in workers for x in queue.get())
    for w in workers:
        w.join()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {
        "rps": len(latencies) / duration,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "non2xx": 0,
        "bytes": 0,
    }


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory now (``VmRSS``) or at its peak so far (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="Seconds per run.")
    parser.add_argument("--warmup", type=int, default=2, help="Seconds of warm-up per query.")
    parser.add_argument("--reuse", action="store_true", help="Keep a filled database.")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--child-record", action="store_true")
    parser.add_argument("--only", nargs="*", help="Query names to run, e.g. E1 E4 (trials).")
    args = parser.parse_args()
    if args.child_record:
        child_record()
        return

    if not os.access(DATASETTE, os.X_OK):
        # Before anything starts: a server left running would hold its port for the next run.
        raise SystemExit(f"no Datasette at {DATASETTE}: run `make bench`, which installs it")
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    generation = prepare_database(url, args.claims, args.reuse)
    manage(url, "collectstatic", "--noinput", "-v0")  # as make serve does
    recorded = record_queries(url)
    params = recorded["params"]
    print(json.dumps(params), flush=True)
    work = Path(tempfile.mkdtemp(prefix="claims-bench-"))
    sqlite_path = work / "bench.db"
    export_seconds = export_sqlite(url, sqlite_path)
    print(f"Exported to SQLite in {export_seconds:.0f} s", flush=True)
    metadata = {
        "databases": {
            "bench": {"queries": {key: {"sql": sql} for key, sql in DATASETTE_QUERIES.values()}}
        }
    }
    (work / "metadata.json").write_text(json.dumps(metadata))
    ds_paths = datasette_paths(params, params["page200_key"])

    workers = (os.cpu_count() or 1) * 2 + 1
    api = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "project.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{API_PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=django_env(url, production=True),
        start_new_session=True,
    )
    datasette = subprocess.Popen(
        [
            DATASETTE,
            "serve",
            "-i",
            str(sqlite_path),
            "--metadata",
            str(work / "metadata.json"),
            "--port",
            str(DATASETTE_PORT),
            "--setting",
            "sql_time_limit_ms",
            "5000",
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results: dict[str, dict[str, list[dict]]] = {}
    try:
        wait_for(f"http://127.0.0.1:{API_PORT}/api/topics/")
        wait_for(f"http://127.0.0.1:{DATASETTE_PORT}/bench.json")
        for name, query in recorded["queries"].items():
            if args.only and not name.startswith(tuple(args.only)):
                continue
            targets = {
                "API": f"http://127.0.0.1:{API_PORT}{query['path']}",
                "Datasette": f"http://127.0.0.1:{DATASETTE_PORT}{ds_paths[name]}",
            }
            results[name] = {}
            for system, target in targets.items():
                with urllib.request.urlopen(target) as response:
                    body = json.loads(response.read())
                if isinstance(body, list):
                    rows = len(body)
                else:
                    rows = len(body["results"]) if "results" in body else 1
                # Both answer with the same number of rows, or the comparison is void.
                assert rows == query["rows"], (system, name, rows, query["rows"])
                wrk(target, args.warmup)
                results[name][system] = [wrk(target, args.duration) for _ in range(args.runs)]
            floor(url, query["sql"], args.warmup)
            results[name]["floor"] = [
                floor(url, query["sql"], args.duration) for _ in range(args.runs)
            ]
            line = ", ".join(
                f"{system} {statistics.median(r['rps'] for r in runs):.0f} req/s "
                f"p50 {statistics.median(r['p50'] for r in runs):.1f} ms"
                for system, runs in results[name].items()
            )
            print(f"{name}: {line}", flush=True)
        # What the server does with no work: a plain Django view running SELECT 1.
        healthz = f"http://127.0.0.1:{API_PORT}/healthz"
        wrk(healthz, args.warmup)
        ceiling = [wrk(healthz, args.duration) for _ in range(args.runs)]
        memory = [rss_mb(pid) for pid in worker_pids(api.pid)]
    finally:
        for process in (api, datasette):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    report = render(args, generation, recorded, results, memory, workers, export_seconds, ceiling)
    print(report)
    if args.out:
        replace_section(args.out, "## API at scale", report)


def render(args, generation, recorded, results, memory, workers, export_seconds, ceiling) -> str:
    def med(runs: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    params = recorded["params"]
    lines = [
        "## API at scale",
        "",
        f"`make bench` (`benchmarks/bench_api.py`), {generation['claims']:,} claims, one run of "
        f"the script on this {os.cpu_count()}-core machine: each query gets a "
        f"{args.warmup} s warm-up, then {args.runs} runs of {args.duration} s at "
        f"{CONNECTIONS} connections (wrk on loopback); medians of the runs. ms are latencies.",
        f"The API: gunicorn, {workers} sync workers, production settings, PostgreSQL. "
        "Datasette: the same rows exported to SQLite (immutable mode) with the same indexes "
        "and FTS5, canned queries returning the same fields. Floor: the exact SQL the API "
        f"ran, from {CONNECTIONS} processes over psycopg, rows encoded with orjson, no HTTP.",
        "",
        "| query | API req/s | Datasette req/s | ratio | API p50 / p95 / p99 | Datasette p50 "
        "/ p95 / p99 | floor req/s | floor p50 | API p50 / floor | SQL per request | non-2xx |",
        "|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, systems in results.items():
        api, ds, fl = systems["API"], systems["Datasette"], systems["floor"]
        non2xx = sum(r["non2xx"] for r in api + ds)
        lines.append(
            f"| {name} | {med(api, 'rps'):.0f} | {med(ds, 'rps'):.0f} | "
            f"{med(api, 'rps') / med(ds, 'rps'):.2f} | "
            f"{med(api, 'p50'):.1f} / {med(api, 'p95'):.1f} / {med(api, 'p99'):.1f} | "
            f"{med(ds, 'p50'):.1f} / {med(ds, 'p95'):.1f} / {med(ds, 'p99'):.1f} | "
            f"{med(fl, 'rps'):.0f} | {med(fl, 'p50'):.1f} | "
            f"{med(api, 'p50') / med(fl, 'p50'):.2f} | "
            f"{len(recorded['queries'][name]['sql'])} | {non2xx} |"
        )
    first = results["E1 newest claims"]["API"]
    deep = results["E5 page 200 (cursor)"]["API"]
    gen = (
        f"{generation['wall_seconds']:.0f} s wall time for the command ({generation['report']})"
        if generation.get("generated")
        else "not regenerated in this run (`--reuse`)"
    )
    lines += [
        "",
        f"- Parameters: frequent speaker `{params['frequent']}` "
        f"({params['frequent_claims']:,} claims), rare speaker `{params['rare']}` "
        f"({params['rare_claims']} claims), topic `{params['topic']}`, 2020 as the date "
        "range, `q=hôpitaux` (Datasette: `hopitaux`; FTS5 folds accents but has no French "
        "stemmer), claim "
        f"{params['detail']} for E6. E1 and E5 order by date, newest first.",
        f"- The server's own ceiling: `/healthz`, a plain Django view (no DRF) that runs "
        f"`SELECT 1`, on the same workers: {med(ceiling, 'rps'):.0f} req/s, p50 "
        f"{med(ceiling, 'p50'):.1f} ms. No API request can be faster.",
        f"- Page 200 against page 1 (E5 / E1), p50: "
        f"{med(deep, 'p50') / med(first, 'p50'):.2f}x (target at most 1.5x).",
        f"- API worker resident memory after the runs: {max(memory):.0f} MB at most over "
        f"{len(memory)} workers (target under 150 MB); no extraction code is imported by "
        "the API (`tests/test_serving.py`).",
        f"- Corpus generation: {gen}.",
        f"- Export to SQLite for Datasette: {export_seconds:.0f} s (not part of any target).",
        "- Loader speed: see the Loader section (articles/s).",
        verdict(results, med, ceiling),
    ]
    return "\n".join(lines) + "\n"


def verdict(results: dict, med, ceiling: list[dict]) -> str:
    """The targets, each checked against this run's figures: every query at least 1.0x
    Datasette's req/s (1.5x on E1, E2 and E5); on E1-E6 a p50 no higher than the floor's
    plus twice the server ceiling's (``/healthz``); E4's p95 under 100 ms."""
    misses = []
    ceiling_p50 = med(ceiling, "p50") if ceiling else 0.0
    for name, systems in results.items():
        api, ds, fl = systems["API"], systems["Datasette"], systems["floor"]
        ratio = med(api, "rps") / med(ds, "rps")
        wanted = 1.5 if name.startswith(("E1", "E2", "E5")) else 1.0
        if ratio < wanted:
            misses.append(f"{name}: {ratio:.2f}x Datasette's req/s (target {wanted})")
        if not name.startswith("E7"):
            bound = med(fl, "p50") + 2 * ceiling_p50
            if med(api, "p50") > bound:
                misses.append(
                    f"{name}: p50 {med(api, 'p50'):.1f} ms (target at most {bound:.1f}: the "
                    f"floor's {med(fl, 'p50'):.1f} + 2 x the ceiling's {ceiling_p50:.1f})"
                )
        if name.startswith("E4") and med(api, "p95") >= 100:
            misses.append(f"{name}: p95 {med(api, 'p95'):.0f} ms (target under 100 ms)")
    if not results:
        return "- **Targets**: no query was run."
    if not misses:
        return "- **Targets**: all met in this run."
    return "- **Targets not met in this run**: " + "; ".join(misses) + "."


if __name__ == "__main__":
    main()

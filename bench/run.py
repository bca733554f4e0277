"""`make bench`: how fast the public pages are, measured against a static file.

Generates a large council into a separate PostgreSQL database, serves it with
gunicorn (DEBUG off, whitenoise serving the collected static files) and loads
each page in PAGES with concurrent keep-alive clients. The absolute numbers
depend on the machine and on the load generator sharing its CPUs; the ratio to
the static file, measured in the same run, is what to compare. docs/benchmarks.md
says how to read the table.

It is a benchmark, not a test: `make test` never runs it.
"""

import argparse
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
STATIC_ROOT = WORK / "static"
# The one static file every page links to; whitenoise serves it with its hashed
# name, compressed, exactly as in production.
STATIC_FILE = "css/site.css"

# The public pages, each with its label. Later issues add their pages here; the
# generator (bench/generate.py) must make each of them exist.
PAGES = [
    ("home", "/"),
    ("district list", "/districts/"),
    ("district list, page 3", "/districts/?page=3"),
    ("district list, 50音順", "/districts/?order=kana"),
    ("district (activities, members)", "/districts/d0150/"),
    ("activity matrix", "/districts/activities/"),
    ("activity matrix, one type", "/districts/activities/?type=kyushoku"),
    ("町名 index", "/districts/areas/"),
    # 総社市東山二丁目5-3
    (
        "search by address",
        "/search/?q=%E7%B7%8F%E7%A4%BE%E5%B8%82%E6%9D%B1%E5%B1%B1%E4%BA%8C%E4%B8%81%E7%9B%AE5-3",
    ),
    ("contact", "/contact/"),
    ("salon directory", "/salons/"),
    ("salon directory, filtered", "/salons/?target=koreisha&weekday=wed"),
    ("salon directory, keyword", "/salons/?q=%E3%82%B5%E3%83%AD%E3%83%B3"),
    ("salon (schedule, yearly totals)", "/salons/1/"),
    ("salon calendar feed", "/salons/1/calendar.ics"),
    ("calendar", "/calendar/"),
    ("calendar, salons of one district", "/calendar/?kind=salon&district=d0150"),
    ("council list", "/councils/"),
    ("council list, one district", "/councils/?district=d0150"),
    ("council (members, plan, archive)", "/councils/c001/"),
    ("council archive, page 2", "/councils/c001/?page=2"),
    ("council meeting", "/councils/city/meetings/1/"),
    ("meetings calendar feed", "/councils/calendar.ics"),
    ("coordinators", "/coordinators/"),
    ("coordinator reports", "/coordinators/reports/"),
    ("coordinator reports, page 50", "/coordinators/reports/?page=50"),
    ("coordinator report", "/coordinators/reports/2/"),
    ("見える化", "/coordinators/insights/2025/"),
    ("resource map", "/resources/"),
    ("resource map, page 3", "/resources/?page=3"),
    ("resource map, filtered", "/resources/?scene=ibasho&district=d0150"),
    ("resource map markers", "/resources/map.json"),
    ("resource", "/resources/1/"),
    ("news", "/news/"),
    ("news, page 50", "/news/?page=50"),
    ("news, one category", "/news/volunteer/"),
    ("post", "/news/posts/post-1/"),
    ("news feed", "/news/feed/"),
    ("events", "/events/"),
    ("events, past", "/events/?when=past"),
    ("event calendar", "/events/calendar/2026/12/"),
    ("newsletters", "/newsletters/"),
    ("newsletter", "/newsletters/120/"),
    ("search", "/search/?q=%E6%95%AC%E8%80%81%E4%BC%9A"),
    ("search, one kind", "/search/?q=%E6%95%AC%E8%80%81%E4%BC%9A&kind=posts&page=3"),
]

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/shakyo_bench"
# What a browser sends, so whitenoise picks its brotli file as it would for a reader.
REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
    "Accept-Encoding": "gzip, deflate, br",
    "Accept-Language": "ja",
    "User-Agent": "shakyo-portal-bench",
}


def main():
    args = parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    env = server_environment(database_url)
    # Read before the setup steps below add load of their own.
    load_before = os.getloadavg()

    step("database")
    pg_version = ensure_database(database_url)
    manage(env, "migrate", "--noinput", "--verbosity=0")
    step("data")
    generate = [sys.executable, "-m", "bench.generate"]
    if args.regenerate:
        generate.append("--regenerate")
    counts = json.loads(run(generate, env, capture=True).splitlines()[-1])
    step("static files")
    # A fresh copy each run, so a stale hashed name can never be measured.
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    manage(env, "collectstatic", "--noinput", "--verbosity=0")
    manifest = json.loads((STATIC_ROOT / "staticfiles.json").read_text())
    static_url = "/static/" + manifest["paths"][STATIC_FILE]

    port = free_port()
    step(f"gunicorn on 127.0.0.1:{port} with {args.workers} workers")
    WORK.mkdir(exist_ok=True)
    log_path = WORK / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "shakyo_portal.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                # The control socket lives in $HOME; another gunicorn on the
                # machine (a developer's, a second bench) would share it.
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_serving(server, port, static_url, log_path)
            # The static file is measured again at the end: if the two rows differ
            # much, something else on the machine changed the conditions mid-run.
            targets = [
                ("static file", static_url),
                *PAGES,
                ("static file, again", static_url),
            ]
            # Every URL must answer 200 before anything is timed: a benchmark of
            # an error page measures nothing.
            for label, url in targets:
                status, _ = fetch_once(port, url)
                if status != 200:
                    sys.exit(f"{label} {url} answered {status}, not 200; see {log_path}")
            results = []
            for label, url in targets:
                step(f"{label}: {url}")
                # The warm-up fills each worker's caches and connections; it gets
                # a quarter of the time limit so a slow page cannot eat the run.
                load(port, url, args.warmup, args.concurrency, args.time_limit / 4)
                result = load(
                    port, url, args.requests, args.concurrency, args.time_limit, args.min_seconds
                )
                results.append((label, url, result))
            load_after = os.getloadavg()
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    print()
    print(report(args, counts, pg_version, results, (load_before, load_after)))
    if any(result.errors for _, _, result in results):
        sys.exit("Some requests failed (see the errors column and .bench/gunicorn.log).")


def parse_args():
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="minimum timed requests per URL")
    parser.add_argument(
        "--min-seconds",
        type=float,
        default=5.0,
        help="keep timing a URL at least this long, past --requests if need be",
    )
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients")
    parser.add_argument("--warmup", type=int, default=50, help="untimed requests per URL first")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * cores + 1,
        help="gunicorn workers (default: 2 × cores + 1, gunicorn's own advice)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=30.0,
        help="seconds per URL; a slower URL reports what it managed in that time",
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="throw the data away and generate it again"
    )
    return parser.parse_args()


def step(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def server_environment(database_url):
    # Production settings (DEBUG off, so templates are cached and whitenoise
    # serves from STATIC_ROOT) minus HTTPS, which the benchmark has no proxy for.
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shakyo_portal.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(STATIC_ROOT),
        "LOG_LEVEL": "WARNING",
    }


def ensure_database(database_url):
    """Create the benchmark database if it is missing; return the server's version."""
    name = conninfo_to_dict(database_url)["dbname"]
    # CREATE DATABASE cannot run inside a transaction, hence autocommit.
    with psycopg.connect(make_conninfo(database_url, dbname="postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return conn.execute("SHOW server_version").fetchone()[0]


def manage(env, *args):
    run([sys.executable, "manage.py", *args], env)


def run(command, env, capture=False):
    result = subprocess.run(
        command, cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE if capture else None
    )
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed with exit status {result.returncode}")
    return result.stdout


def free_port():
    # The port is released before gunicorn binds it; on a benchmark machine
    # nothing else is racing for it.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(server, port, url, log_path, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with status {server.returncode}; see {log_path}")
        try:
            fetch_once(port, url)
            return
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer within {timeout} s; see {log_path}")


def fetch_once(port, url):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", url, headers=REQUEST_HEADERS)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds, one per 200 response
    errors: int = 0
    body_bytes: int = 0
    seconds: float = 0.0
    timed_out: bool = False

    @property
    def per_second(self):
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, p):
        # quantiles(n=100) gives the 1st to 99th percentiles; "inclusive" treats
        # the samples as the whole population, as a latency report should.
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


def load(port, url, requests, concurrency, time_limit, min_seconds=0.0):
    """GET url from `concurrency` threads, each on its own connection, at least
    `requests` times and for at least `min_seconds`, but never past `time_limit`.

    The minimum duration is for the fast URLs: 400 requests of a static file take
    a fraction of a second, too short for a rate that repeats from run to run.
    http.client keeps a connection open while the server allows it and opens a
    new one when the server closes it (gunicorn's sync workers close after every
    response), so each client behaves like a browser tab reloading the page.
    """
    result = Result()
    lock = threading.Lock()
    remaining = [requests]
    now = time.monotonic()
    long_enough = now + min_seconds
    deadline = now + time_limit

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while True:
                with lock:
                    now = time.monotonic()
                    if remaining[0] <= 0 and now >= long_enough:
                        return
                    if now > deadline:
                        result.timed_out = remaining[0] > 0
                        return
                    remaining[0] -= 1
                started = time.perf_counter()
                try:
                    conn.request("GET", url, headers=REQUEST_HEADERS)
                    response = conn.getresponse()
                    body = response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    conn.close()
                    status, body = None, b""
                elapsed = time.perf_counter() - started
                with lock:
                    if status == 200:
                        result.latencies.append(elapsed)
                        result.body_bytes = len(body)
                    else:
                        result.errors += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def report(args, counts, pg_version, results, loads):
    static = results[0][2]
    static_p50 = static.percentile_ms(50)
    header = [
        "page",
        "URL",
        "requests",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "KiB",
        "errors",
        "× static (req/s)",
        "× static (p50)",
    ]
    rows = []
    for label, url, result in results:
        p50 = result.percentile_ms(50)
        rows.append(
            [
                label + (" [time limit]" if result.timed_out else ""),
                url,
                str(len(result.latencies) + result.errors),
                f"{result.per_second:.1f}",
                f"{p50:.1f}",
                f"{result.percentile_ms(95):.1f}",
                f"{result.percentile_ms(99):.1f}",
                f"{result.body_bytes / 1024:.1f}",
                str(result.errors),
                # How many times slower than the static file: fewer requests a
                # second, and a longer median wait.
                f"{static.per_second / result.per_second:.1f}" if result.per_second else "–",
                f"{p50 / static_p50:.1f}",
            ]
        )
    lines = [
        "Settings:",
        f"  CPU cores: {os.cpu_count()}, {platform.machine()} {platform.system()}",
        f"  Python {platform.python_version()}, Django {version('django')}, "
        f"gunicorn {version('gunicorn')} (sync workers: {args.workers}), "
        f"PostgreSQL {pg_version}",
        f"  per URL: {args.warmup} untimed requests, then at least {args.requests} timed "
        f"for at least {args.min_seconds:g} s (at most {args.time_limit:g} s), "
        f"{args.concurrency} concurrent clients",
        # The machine's load average shows whether anything else (a test run, a
        # browser) was competing for the CPUs while this ran.
        "  load average (1, 5, 15 min): "
        + ", ".join(
            f"{when} {' '.join(f'{x:.2f}' for x in load)}"
            for when, load in zip(("before", "after"), loads, strict=True)
        ),
        "",
        "Dataset:",
        *(f"  {name}: {n:,}" for name, n in counts.items()),
        "",
        *markdown_table(header, rows),
    ]
    # The same file measured first and last should give the same rate; when it
    # does not, the machine was busier in one part of the run than another.
    drift = results[-1][2].per_second / static.per_second if static.per_second else 0
    if not 0.9 <= drift <= 1.1:
        lines += [
            "",
            f"Warning: the static file's rate changed by {drift - 1:+.0%} between the first "
            "and last rows; something else was using the CPUs, so this run is noisy.",
        ]
    return "\n".join(lines)


def markdown_table(header, rows):
    # Padded to equal widths so the table reads in a terminal as well as in Markdown.
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells):
        # Names and URLs read best left-aligned, numbers right-aligned.
        padded = [cell.ljust(width) for cell, width in zip(cells[:2], widths[:2], strict=True)]
        padded += [cell.rjust(width) for cell, width in zip(cells[2:], widths[2:], strict=True)]
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * width for width in widths[:2]] + ["-" * (width - 1) + ":" for width in widths[2:]]
    return [line(header), line(rule), *(line(row) for row in rows)]


if __name__ == "__main__":
    main()

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
import contextlib
import http.client
import itertools
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

# What residents open on a disaster day: the home page with the emergency
# banner, the volunteer centre's post it links to, the office's phone, the
# districts. Loaded together, from many connections at once.
DISASTER_MIX = [
    ("home", "/"),
    ("the emergency post", "/news/posts/post-1/"),
    ("news", "/news/"),
    ("contact", "/contact/"),
    ("district list", "/districts/"),
]

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/shakyo_bench"
# Its own Redis database, emptied at the start of each run.
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/14"
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
    analyze(database_url)
    step("static files")
    # A fresh copy each run, so a stale hashed name can never be measured.
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    manage(env, "collectstatic", "--noinput", "--verbosity=0")
    manifest = json.loads((STATIC_ROOT / "staticfiles.json").read_text())
    static_url = "/static/" + manifest["paths"][STATIC_FILE]

    targets = [("static file", static_url), *PAGES, ("static file, again", static_url)]
    # Built: every request builds its page, as the first reader after a change
    # meets it. Kept: the page cache on, in Redis as in production, shared by
    # the workers.
    built_env = {**env, "PAGE_CACHE": "false"}
    kept_env = {**env, "PAGE_CACHE": "true", "CACHE_URL": args.cache_url}
    flush_redis(args.cache_url)
    with serve(built_env, args.workers, "built") as port:
        check_all_answer(port, targets)
        built = measure(port, targets, args)
    with serve(kept_env, args.workers, "kept") as port:
        check_all_answer(port, targets)
        kept = measure(port, targets, args)
        step(f"disaster-day mix: {args.disaster_concurrency} connections")
        disaster = load_mix(
            port, [url for _, url in DISASTER_MIX], args.disaster_concurrency, args.disaster_seconds
        )
    load_after = os.getloadavg()

    print()
    print(report(args, counts, pg_version, built, kept, disaster, (load_before, load_after)))
    results = [*built, *kept]
    if disaster.errors or any(result.errors for _, _, result in results):
        sys.exit("Some requests failed (see the errors columns and .bench/gunicorn-*.log).")


def analyze(database_url):
    # What autovacuum does some time after a bulk load, done now: the planner's
    # statistics (without them a plan is a guess about empty tables) and the
    # visibility map (without it a count reads the table even through an index).
    step("VACUUM (ANALYZE)")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def flush_redis(cache_url):
    """Start the kept run with an empty page cache (its own Redis database)."""
    import redis

    redis.Redis.from_url(cache_url).flushdb()


@contextlib.contextmanager
def serve(env, workers, name):
    port = free_port()
    step(f"gunicorn ({name}) on 127.0.0.1:{port} with {workers} workers")
    WORK.mkdir(exist_ok=True)
    log_path = WORK / f"gunicorn-{name}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "shakyo_portal.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                # 64 connections at once on a disaster day: the listen queue
                # holds them while the workers are busy.
                "--backlog=2048",
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
            wait_until_serving(server, port, "/", log_path)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def check_all_answer(port, targets):
    # Every URL must answer 200 before anything is timed: a benchmark of an
    # error page measures nothing.
    for label, url in targets:
        status, _ = fetch_once(port, url)
        if status != 200:
            sys.exit(f"{label} {url} answered {status}, not 200; see {WORK}")


def measure(port, targets, args):
    results = []
    for label, url in targets:
        step(f"{label}: {url}")
        # The warm-up fills each worker's caches and connections; it gets a
        # quarter of the time limit so a slow page cannot eat the run.
        load(port, url, args.warmup, args.concurrency, args.time_limit / 4)
        result = load(port, url, args.requests, args.concurrency, args.time_limit, args.min_seconds)
        results.append((label, url, result))
    return results


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
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE_URL),
        help="Redis for the kept run; its database is emptied first",
    )
    parser.add_argument(
        "--disaster-concurrency", type=int, default=64, help="connections in the disaster mix"
    )
    parser.add_argument(
        "--disaster-seconds", type=float, default=30.0, help="how long the disaster mix runs"
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


def load_mix(port, urls, concurrency, seconds):
    """The URLs in turn from each of `concurrency` connections, for `seconds`."""
    return load(port, urls, 0, concurrency, seconds, seconds)


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

    urls = [url] if isinstance(url, str) else url

    def client(first):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        turn = itertools.count(first)
        try:
            while True:
                url = urls[next(turn) % len(urls)]
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

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def report(args, counts, pg_version, built, kept, disaster, loads):
    header = [
        "page",
        "URL",
        "built req/s",
        "÷ static",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "kept req/s",
        "÷ static",
        "p99 ms",
        "KiB",
        "errors",
    ]
    static_built, static_kept = built[0][2], kept[0][2]
    rows = []
    misses = []
    for (label, url, b), (_, _, k) in zip(built, kept, strict=True):
        b_ratio = b.per_second / static_built.per_second if static_built.per_second else 0
        k_ratio = k.per_second / static_kept.per_second if static_kept.per_second else 0
        rows.append(
            [
                label + (" [time limit]" if b.timed_out or k.timed_out else ""),
                url,
                f"{b.per_second:.1f}",
                f"{b_ratio:.2f}",
                f"{b.percentile_ms(50):.1f}",
                f"{b.percentile_ms(95):.1f}",
                f"{b.percentile_ms(99):.1f}",
                f"{k.per_second:.1f}",
                f"{k_ratio:.2f}",
                f"{k.percentile_ms(99):.1f}",
                f"{k.body_bytes / 1024:.1f}",
                str(b.errors + k.errors),
            ]
        )
        if label.startswith("static file"):
            continue
        # The targets, in ratios because the machine is shared.
        if b_ratio < 0.25:
            misses.append(f"built {label}: {b_ratio:.2f} × the static file's rate (target 0.25)")
        if k_ratio < 0.5:
            misses.append(f"kept {label}: {k_ratio:.2f} × the static file's rate (target 0.5)")
        if k.percentile_ms(99) > 30:
            misses.append(f"kept {label}: p99 {k.percentile_ms(99):.1f} ms (target 30)")
        if url.startswith("/search/") and b.percentile_ms(95) > 50:
            misses.append(f"built {label}: p95 {b.percentile_ms(95):.1f} ms (target 50)")
    lines = [
        "Settings:",
        f"  CPU cores: {os.cpu_count()}, {platform.machine()} {platform.system()}",
        f"  Python {platform.python_version()}, Django {version('django')}, "
        f"gunicorn {version('gunicorn')} (sync workers: {args.workers}), "
        f"PostgreSQL {pg_version}, page cache in {args.cache_url}",
        f"  per URL and path: {args.warmup} untimed requests, then at least {args.requests} "
        f"timed for at least {args.min_seconds:g} s (at most {args.time_limit:g} s), "
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
        "built: the page cache off, every request builds its page; kept: the page cache on.",
        "÷ static: the page's requests per second divided by the static file's, same path.",
        "",
        *markdown_table(header, rows),
        "",
        f"Disaster-day mix ({', '.join(url for _, url in DISASTER_MIX)}), kept, "
        f"{args.disaster_concurrency} connections for {args.disaster_seconds:g} s: "
        f"{len(disaster.latencies) + disaster.errors} requests, {disaster.per_second:.1f} req/s, "
        f"p50 {disaster.percentile_ms(50):.1f} ms, p99 {disaster.percentile_ms(99):.1f} ms, "
        f"errors {disaster.errors}",
        "",
        "Targets missed:" if misses else "Every target met.",
        *(f"  {miss}" for miss in misses),
    ]
    if disaster.errors:
        lines.append(f"  disaster mix: {disaster.errors} errors (target 0)")
    # The same file measured first and last should give the same rate; when it
    # does not, the machine was busier in one part of the run than another.
    for name, results in (("built", built), ("kept", kept)):
        first, last = results[0][2], results[-1][2]
        drift = last.per_second / first.per_second if first.per_second else 0
        if not 0.9 <= drift <= 1.1:
            lines += [
                "",
                f"Warning: in the {name} run the static file's rate changed by {drift - 1:+.0%} "
                "between the first and last rows; something else was using the CPUs, so this "
                "run is noisy.",
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

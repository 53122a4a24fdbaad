"""Run every benchmark script on the benchmark database and write the report (`make bench`).

Each bench/bench_<name>.py runs as its own process with DATABASE_URL pointing at the
benchmark database (PostgreSQL `portal_bench`, created and migrated here) and prints as its
last stdout line {"results": [{"name", "value", "unit", "target", "met", "detail"}, ...]}.
A script that fails is reported with the tail of its stderr and makes this command exit 1
at the end, after the others have run. The report goes to bench/results/latest.md and
latest.json, and the table into README.md between the benchmark markers.

    .venv/bin/python bench/run.py                 # every script
    .venv/bin/python bench/run.py search pages    # only these two, into results/partial.json
"""

import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
README = ROOT / "README.md"
README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
# Building a million articles takes minutes on two cores; a hung script must still end.
SCRIPT_TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "3600"))
# Only a plain "< 50 ms" / ">= 0.5" target gives a ratio; "0.5 x static (381)" does not.
TARGET_PATTERN = re.compile(r"^\s*(<=|>=|<|>|≤|≥)\s*([0-9][0-9,]*\.?[0-9]*)\s*[A-Za-z%/µ]*\s*$")


def ensure_postgres(database_url):
    """Start the local cluster if it is down, and create the benchmark database if missing."""
    url = urlparse(database_url)
    host, port = url.hostname or "127.0.0.1", str(url.port or 5432)
    ready = ["pg_isready", "-q", "-h", host, "-p", port]
    if subprocess.run(ready).returncode != 0 and host in ("127.0.0.1", "localhost"):
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True
        )
        for _ in range(30):
            if subprocess.run(ready).returncode == 0:
                break
            time.sleep(1)
    import psycopg2

    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        host=host,
        port=port,
        user=url.username or "postgres",
        password=url.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def script_environment(database_url):
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="portal.settings")
    # Benchmarks measure the production code path, not the test settings.
    env.pop("PORTAL_TESTING", None)
    return env


def migrate(env):
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def ratio_of(result):
    """Figure over its limit: below 1 meets a "< N" target, above 1 meets a "> N" target.

    A script may give its own ratio (e.g. cached page rate over static file rate)."""
    if isinstance(result.get("ratio"), int | float):
        return float(result["ratio"])
    match = TARGET_PATTERN.match(str(result.get("target", "")))
    value = result.get("value")
    if not match or not isinstance(value, int | float):
        return None
    limit = float(match.group(2).replace(",", ""))
    return value / limit if limit else None


def run_script(path, env, database_url):
    command = f"DATABASE_URL={database_url} .venv/bin/python bench/{path.name}"
    started = time.monotonic()
    try:
        process = subprocess.run(
            [sys.executable, str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=SCRIPT_TIMEOUT,
        )
        stdout, stderr, code = process.stdout, process.stderr, process.returncode
    except subprocess.TimeoutExpired as exc:
        stdout = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else exc.stdout
        stderr = f"timed out after {SCRIPT_TIMEOUT} s"
        code = None
    seconds = round(time.monotonic() - started, 1)
    lines = [line for line in (stdout or "").splitlines() if line.strip()]
    error = None
    results = []
    if code != 0:
        error = f"exit code {code}"
    else:
        try:
            results = json.loads(lines[-1])["results"]
        except (IndexError, ValueError, KeyError, TypeError):
            error = 'last stdout line is not {"results": [...]}'
    if error:
        tail = "\n".join((stderr or "").strip().splitlines()[-15:])
        return {
            "script": path.name,
            "command": command,
            "seconds": seconds,
            "failed": True,
            "error": error,
            "stderr_tail": tail,
            "results": [],
        }
    for result in results:
        result["ratio"] = ratio_of(result)
    return {
        "script": path.name,
        "command": command,
        "seconds": seconds,
        "failed": False,
        "results": results,
    }


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def figure(result):
    value = result.get("value")
    if isinstance(value, float):
        value = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{value} {result.get('unit', '')}".strip()


def markdown_table(runs):
    rows = [
        "| benchmark | figure | target | met | ratio | command |",
        "|---|---|---|---|---|---|",
    ]
    for run in runs:
        if run["failed"]:
            rows.append(
                f"| {cell(run['script'])} | — | — | **failed** ({cell(run['error'])}) | — | "
                f"`{cell(run['command'])}` |"
            )
            continue
        for result in run["results"]:
            ratio = result.get("ratio")
            met = "yes" if result.get("met") else "**no**"
            rows.append(
                f"| {cell(result.get('name', '?'))} | {cell(figure(result))} | "
                f"{cell(result.get('target', ''))} | {met} | "
                f"{'—' if ratio is None else f'{ratio:.2f}'} | `{cell(run['command'])}` |"
            )
    return "\n".join(rows)


def write_report(runs, database_url, started_at):
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    report = {
        "started_at": started_at,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "make bench",
        "database_url": database_url,
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "runs": runs,
    }
    (RESULTS_DIR / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    table = markdown_table(runs)
    failures = [
        f"### {run['script']} failed: {run['error']}\n\n```\n{run['stderr_tail']}\n```"
        for run in runs
        if run["failed"]
    ]
    details = [
        f"- **{result.get('name')}**: {result.get('detail', '')}"
        for run in runs
        for result in run["results"]
        if result.get("detail")
    ]
    (RESULTS_DIR / "latest.md").write_text(
        "# Latest benchmarks\n\n"
        f"Made by `make bench` (bench/run.py) from {started_at} to {report['finished_at']} "
        f"on {report['machine']}, database `{database_url}`.\n"
        'Ratio is the figure over its limit (below 1 meets a "<" target, above 1 a ">" '
        "target) unless the benchmark gives its own ratio.\n\n"
        f"{table}\n\n"
        + ("## Details\n\n" + "\n".join(details) + "\n\n" if details else "")
        + ("## Failures\n\n" + "\n\n".join(failures) + "\n" if failures else "")
    )
    update_readme(table, started_at)


def update_readme(table, started_at):
    text = README.read_text()
    if README_START not in text or README_END not in text:
        return
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    README.write_text(
        f"{head}{README_START}\n_Run of {started_at} (`make bench`; full report in "
        f"`bench/results/latest.md`)._\n\n{table}\n{README_END}{tail}"
    )


def main(names):
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    if database_url.startswith("postgres"):
        ensure_postgres(database_url)
    env = script_environment(database_url)
    migrate(env)
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    runs = []
    for script in scripts:
        print(f"bench: {script.name} ...", flush=True)
        run = run_script(script, env, database_url)
        runs.append(run)
        if run["failed"]:
            print(f"  FAILED ({run['error']}) after {run['seconds']} s\n{run['stderr_tail']}")
        for result in run["results"]:
            print(
                f"  {result.get('name')}: {figure(result)} (target {result.get('target')}, "
                f"{'met' if result.get('met') else 'NOT met'}) in {run['seconds']} s"
            )
    if names:
        # A partial run must not pass for the whole report: it only goes to partial.json.
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        (RESULTS_DIR / "partial.json").write_text(json.dumps(runs, ensure_ascii=False, indent=2))
        print(f"bench: partial run, results in {RESULTS_DIR / 'partial.json'}")
    else:
        write_report(runs, database_url, started_at)
        print(f"bench: report in {RESULTS_DIR / 'latest.md'}")
    return 1 if any(run["failed"] for run in runs) or not scripts else 0


if __name__ == "__main__":
    sys.exit(main(set(sys.argv[1:])))

"""Benchmark: the province platform (省级集约化平台) — 2,000 sites, 100,000 columns and
2,000,000 published articles on PostgreSQL; how the static publisher, the freshness check and
the compliance dashboard cope, and how each grows from 500,000 to 1,000,000 to 2,000,000
articles (the cost per item must stay flat).

Data: 2,000 sites (host sNNNN.bench.gov.cn), one unit each, 50 columns each as MPTT trees (5
sections of 10), and the articles, all written with COPY from generated rows (psycopg2
copy_expert), in three growth steps. The articles of each step are spread evenly over the
45 sub-columns of every site. At each step the figures are measured and stored in the table
bench_province_growth of the same database, so the growth table comes from one build; a later
run finds the data by its counts, measures the last step again and reports the stored table.

Measured at each step:
- freshness: monitoring.freshness.check_all once, what the hourly beat task runs: every site
  in batches of freshness.SITES_PER_BATCH, each batch in a fixed number of queries; its
  seconds and its queries;
- dashboard: monitoring.dashboard.dashboard_view for an inspector over every site, rendered
  (after the freshness check, whose column states it shows), with its queries, then the same
  view cut to one site (?site=); the indicators read every site at once, so the counts stay
  the same at every step (the first view of the process also reads the user's permissions
  and the content checker's lists);
- rebuild: staticsite.services.site_targets of one site, then services.rebuild of a fixed
  sample of 400 of its pages (article, print, column, feed and fixed pages alike);
- approval to file: a Celery worker (celery -A portal worker, Redis db 12 as broker) renders
  the queue while a second process runs publish_static for five other sites; an article in
  a homepage column of one site, also shown in a column of another site (信息引用), is
  approved by the last reviewer (publishing.services.decide); the clock starts before that
  call and stops when the homepage and both column pages on disk show the article.

    .venv/bin/python bench/bench_province.py     # database portal_province, created here
    BENCH_PROVINCE_DATABASE_URL=postgres://… .venv/bin/python bench/bench_province.py
"""

import io
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# The worker, the background rebuild and this process share the broker (the task's own Redis
# database) and the output root.
BROKER = os.environ.setdefault("BENCH_PROVINCE_REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ["REDIS_URL"] = os.environ["CACHE_REDIS_URL"] = BROKER
os.environ.setdefault("STATIC_PAGES_ROOT", "/tmp/h18bench-pages")
os.environ["STATIC_PAGES_ENABLED"] = "1"
# The province gets a database of its own (portal_province beside the one make bench gives):
# the other benchmarks' sites and millions of rows would otherwise count in "all sites".
DATABASE = os.environ.get("BENCH_PROVINCE_DATABASE_URL") or (
    os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench").rsplit(
        "/", 1
    )[0]
    + "/portal_province"
)
os.environ["DATABASE_URL"] = DATABASE
if DATABASE.startswith("postgres"):
    from run import ensure_postgres

    ensure_postgres(DATABASE)

import django  # noqa: E402

django.setup()

from django.contrib.admin import site as admin_site  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from columns.models import Column, Role, Site, SiteHost, Unit  # noqa: E402
from columns.services import create_staff, sync_role_groups  # noqa: E402
from monitoring import dashboard, freshness  # noqa: E402
from portal.celery import app as celery_app  # noqa: E402
from publishing import services as publishing  # noqa: E402
from publishing import workflow  # noqa: E402
from publishing.models import Article, ReviewChain, ReviewStep  # noqa: E402
from publishing.selectors import ColumnTree  # noqa: E402
from staticsite import rendering  # noqa: E402
from staticsite import services as staticsite  # noqa: E402
from staticsite.models import PendingRender  # noqa: E402

#: A smaller platform for a trial run (e.g. 0.01: 20 sites, 5,000 → 20,000 articles).
SCALE = float(os.environ.get("BENCH_PROVINCE_SCALE", "1"))
SITES = int(2000 * SCALE)
SECTIONS, PER_SECTION = 5, 10  # 50 columns per site: 5 trees of a section and 9 sub-columns
STEPS = tuple(int(n * SCALE) for n in (500_000, 1_000_000, 2_000_000))
CATEGORIES = ["news", "notice", "policy", "personnel", "planning", "other", "overview"]
SITE_CODE = "59{:08d}"
HOST = "s{:04d}.bench.gov.cn"
GROWTH_TABLE = "bench_province_growth"
REBUILD_SITES = (10,)  # site indexes whose pages the rebuild samples
REBUILD_PAGES = 400
BACKGROUND_SITES = (5, 6, 7, 8, 9)
DASHBOARD_SITE = 2  # the site the one-site view is cut to
APPROVALS = 20
APPROVAL_TIMEOUT = 180.0
PASSWORD = "Bench-province-2026!"
#: Progress and the worker's output: run.py shows a script's stderr only when it fails.
LOG = Path(tempfile.gettempdir()) / "bench_province.log"


def progress(text):
    print(f"bench_province: {text}", file=sys.stderr, flush=True)
    with LOG.open("a") as log:
        log.write(f"{time.strftime('%H:%M:%S')} {text}\n")


# --- data -----------------------------------------------------------------------------------


class _Stream(io.TextIOBase):
    """A text stream over generated COPY lines, read by psycopg2 in chunks."""

    def __init__(self, lines):
        self._lines = iter(lines)
        self._buffer = ""

    def readable(self):
        return True

    def read(self, size=-1):
        while size < 0 or len(self._buffer) < size:
            line = next(self._lines, None)
            if line is None:
                break
            self._buffer += line
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def _copy_text(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _copy(model, names, rows):
    """COPY rows (tuples in the order of names) into model's table; every other NOT NULL
    column gets its model default, so new fields keep this working."""
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.column in names or field.null or field.primary_key:
            continue
        defaults[field.column] = _copy_text(field.get_db_prep_save(field.get_default(), connection))
    columns = [*names, *defaults]
    tail = "".join(f"\t{value}" for value in defaults.values())
    lines = ("\t".join(_copy_text(v) for v in row) + tail + "\n" for row in rows)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", _Stream(lines)
        )


def _bench_sites():
    return Site.objects.filter(site_code__startswith="59").order_by("site_code")


def _structure_state():
    sites = _bench_sites().count()
    columns = Column.objects.filter(site__in=_bench_sites()).count()
    return sites, columns


@transaction.atomic
def build_structure():
    """2,000 sites with their host and unit, and 50 columns per site; False when present."""
    sites, columns = _structure_state()
    if (sites, columns) == (SITES, SITES * SECTIONS * PER_SECTION):
        return False
    if sites or columns:
        raise SystemExit(
            f"bench_province: {sites} bench sites and {columns} columns is no state this script "
            "builds; drop the database and run again"
        )
    new_sites = Site.objects.bulk_create(
        Site(
            name=f"省级基准网站{n:04d}",
            site_code=SITE_CODE.format(n),
            icp_number="黔ICP备00000000号",
            police_number="黔公网安备 00000000000000号",
            sponsor="基准测试",
            organiser="基准测试",
        )
        for n in range(1, SITES + 1)
    )
    SiteHost.objects.bulk_create(
        SiteHost(site=site, hostname=HOST.format(n), is_primary=True)
        for n, site in enumerate(new_sites, 1)
    )
    units = Unit.objects.bulk_create(
        Unit(name=f"省级基准单位{n:04d}", org_code=f"PROV{n:04d}") for n in range(1, SITES + 1)
    )
    first_tree = (
        Column.objects.order_by("-tree_id").values_list("tree_id", flat=True).first() or 0
    ) + 1

    def rows():
        for index, (site, unit) in enumerate(zip(new_sites, units, strict=True)):
            for s in range(SECTIONS):
                for c in range(PER_SECTION):
                    top = c == 0
                    # Two news sub-columns of the first two sections are homepage sections.
                    homepage = s < 2 and c in (1, 2)
                    category = "news" if homepage else CATEGORIES[(s + c) % len(CATEGORIES)]
                    yield (
                        site.pk,
                        f"基准栏目{s}-{c}",
                        f"s{s}-c{c}",
                        c if not top else s,
                        category,
                        unit.pk,
                        True,
                        homepage,
                        1 if top else 2 * c,
                        2 * PER_SECTION if top else 2 * c + 1,
                        first_tree + index * SECTIONS + s,
                        0 if top else 1,
                    )

    _copy(
        Column,
        [
            "site_id",
            "name",
            "slug",
            "position",
            "category",
            "unit_id",
            "unit_assigned_explicitly",
            "on_homepage",
            "lft",
            "rght",
            "tree_id",
            "level",
        ],
        rows(),
    )
    table = Column._meta.db_table
    with connection.cursor() as cursor:
        # Fresh statistics first: else the planner takes 100,000 new rows for a few and joins
        # them by nested loops (minutes instead of a second).
        cursor.execute(f"ANALYZE {table}")
        # Each sub-column's parent is its section's top column (same tree).
        cursor.execute(
            f"""
            UPDATE {table} AS child SET parent_id = top.id
            FROM {table} AS top
            WHERE child.tree_id = top.tree_id AND child.level = 1 AND top.level = 0
              AND child.tree_id >= %s
            """,
            [first_tree],
        )
    return True


def _author():
    user, _created = Article._meta.get_field("author").related_model.objects.get_or_create(
        username="bench_province", defaults={"is_staff": True}
    )
    return user


def article_count(author):
    return Article.objects.filter(author=author).count()


@transaction.atomic
def add_articles(author, start, stop):
    """Articles start … stop-1, spread evenly over every site's 45 sub-columns, published
    over the last 400 days."""
    filled = list(
        Column.objects.filter(site__in=_bench_sites(), level=1)
        .order_by("pk")
        .values_list("pk", "unit_id")
    )
    count = len(filled)
    now = timezone.now()

    def rows():
        for i in range(start, stop):
            column, unit = filled[i % count]
            published = now - timedelta(days=(i // count) % 400, hours=i % 24)
            yield (
                f"基准信息 {i}",
                "<p>基准测试正文。</p>",
                "article",
                "published",
                column,
                unit,
                author.pk,
                published,
                published,
                now,
            )

    _copy(
        Article,
        [
            "title",
            "body",
            "kind",
            "status",
            "column_id",
            "unit_id",
            "author_id",
            "published_at",
            "created_at",
            "updated_at",
        ],
        rows(),
    )


def analyze():
    # What autovacuum does after a bulk load: the planner sees the real sizes.
    with connection.cursor() as cursor:
        for model in (Article, Column):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def stored_growth():
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {GROWTH_TABLE} "
            "(articles integer PRIMARY KEY, measured_at timestamptz, figures jsonb)"
        )
        cursor.execute(f"SELECT articles, measured_at, figures FROM {GROWTH_TABLE}")
        # Django's connection reads jsonb as its text.
        return {articles: (at, json.loads(text)) for articles, at, text in cursor.fetchall()}


def store_growth(articles, figures):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {GROWTH_TABLE} VALUES (%s, now(), %s) ON CONFLICT (articles) "
            "DO UPDATE SET measured_at = now(), figures = EXCLUDED.figures",
            [articles, json.dumps(figures)],
        )


# --- accounts for the approvals and the dashboard ------------------------------------------


def accounts(unit):
    """A liaison, a section head and a deputy leader of unit with its 初审/复审 chain, and an
    inspector who sees every site (idempotent)."""
    sync_role_groups()
    staff = {
        role: create_staff(
            username=f"bench_province_{role}", unit=unit, roles=[role], password=PASSWORD
        )
        for role in (Role.LIAISON, Role.SECTION_HEAD, Role.DEPUTY_LEADER)
    }
    staff[Role.INSPECTOR] = create_staff(
        username="bench_province_inspector", roles=[Role.INSPECTOR], password=PASSWORD
    )
    chain, created = ReviewChain.objects.get_or_create(unit=unit, importance="general")
    if created:
        for position, name, role, opinion_only in workflow.DEFAULT_STEPS["general"]:
            ReviewStep.objects.create(
                chain=chain,
                position=position,
                name=name,
                role=role,
                only_if_opinion_sensitive=opinion_only,
            )
    return staff


# --- measurements ---------------------------------------------------------------------------


def _p(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class QueryCount:
    """Counts the queries run inside `with QueryCount() as counted:` (any number of them;
    CaptureQueriesContext keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)


def measure_freshness():
    """The hourly check of every open site, once: seconds and queries."""
    with CaptureQueriesContext(connection) as queries:
        begin = time.perf_counter()
        results = freshness.check_all()
        seconds = time.perf_counter() - begin
    return {
        "sites": len(results),
        "seconds": round(seconds, 2),
        "ms_per_site": round(seconds / len(results) * 1000, 1),
        "queries": len(queries),
        "batches": math.ceil(len(results) / freshness.SITES_PER_BATCH),
    }


def measure_dashboard(inspector, site):
    """The dashboard over every site, then cut to site (?site=): seconds and queries of each,
    after one untimed view of the one site (the process's first reads of the user's
    permissions and of the content checker's lists would count in the first step only)."""
    figures = {}
    for view, query in (
        ("warm-up", {"site": site.pk}),
        ("all", {}),
        ("one_site", {"site": site.pk}),
    ):
        request = RequestFactory().get("/admin/monitoring/", query)
        request.user = inspector
        with QueryCount() as counted:
            begin = time.perf_counter()
            response = dashboard.dashboard_view(request, admin_site.each_context(request))
            response.render()
            seconds = time.perf_counter() - begin
        if response.status_code != 200:
            raise SystemExit(f"bench_province: the dashboard answered {response.status_code}")
        figures[view] = (round(seconds, 2), counted.count)
    return {
        "sites": len(response.context_data["sites"]),
        "seconds": figures["all"][0],
        "queries": figures["all"][1],
        "one_site_seconds": figures["one_site"][0],
        "one_site_queries": figures["one_site"][1],
    }


def measure_rebuild(sites):
    begin = time.perf_counter()
    targets = set()
    for site in sites:
        targets |= staticsite.site_targets(site)
    listing = time.perf_counter() - begin
    sample = random.Random(18).sample(sorted(targets), min(REBUILD_PAGES, len(targets)))
    begin = time.perf_counter()
    done = staticsite.rebuild(sample)
    seconds = time.perf_counter() - begin
    return {
        "pages": len(sample),
        "site_pages": len(targets),
        "seconds": round(seconds, 2),
        "pages_per_s": round(len(sample) / seconds, 1),
        "s_per_10k": round(seconds / len(sample) * 10_000, 1),
        "targets_s_per_site": round(listing / len(sites), 2),
        "outcomes": done,
    }


def _column_page(column):
    """(host, path) of a column's first page."""
    tree = ColumnTree(column.site)
    return column.site.hosts.order_by("-is_primary").first().hostname, tree.by_pk[
        column.pk
    ].public_url


def _worker(env):
    """A Celery worker as deployed, on the task's broker; the queue is purged first."""
    celery_app.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=LOG.open("a"),  # noqa: SIM115
    )
    for _attempt in range(120):
        if celery_app.control.ping(timeout=1):
            return worker
        if worker.poll() is not None:
            raise SystemExit("bench_province: the Celery worker exited; see its log")
    worker.terminate()
    raise SystemExit("bench_province: the Celery worker did not answer in 2 minutes")


def measure_approvals(sites, staff):
    """APPROVALS articles approved one after another; seconds from the approving call until
    the homepage and both column pages on disk show each."""
    home_site, other_site = sites[0], sites[1]
    column = Column.objects.get(site=home_site, slug="s0-c1")
    extra = Column.objects.get(site=other_site, slug="s2-c3")
    pages = [
        (home_site.hosts.first().hostname, "/"),
        _column_page(column),
        _column_page(extra),
    ]
    PendingRender.objects.all().delete()
    staticsite.rebuild(
        {(home_site.pk, *pages[0]), (home_site.pk, *pages[1]), (other_site.pk, *pages[2])}
    )
    files = [
        Path(os.environ["STATIC_PAGES_ROOT"]) / rendering.file_for(host, path)
        for host, path in pages
    ]
    env = dict(os.environ)
    codes = [arg for n in BACKGROUND_SITES for arg in ("--site", sites[n].site_code)]
    background = subprocess.Popen(
        [sys.executable, "manage.py", "publish_static", *codes],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = None
    latencies, calls, timeouts = [], [], 0
    liaison = staff[Role.LIAISON]
    try:
        worker = _worker(env)
        # Approval 0 is not counted: the worker's first task loads the code and templates,
        # which a deployed worker, running for days, has long done.
        for number in range(APPROVALS + 1):
            title = f"审批时延 {time.time_ns()} {number}"
            article = publishing.save_article(
                article=Article(
                    title=title,
                    body="<p>审批到文件的时延测试。</p>",
                    column=column,
                    unit=column.unit,
                    author=liaison,
                ),
                by=liaison,
            )
            article.extra_columns.add(extra)
            run = publishing.submit(article=article, by=liaison)
            publishing.decide(run=run, step_index=0, by=staff[Role.SECTION_HEAD], outcome="approve")
            expected = title.encode()
            begin = time.perf_counter()
            publishing.decide(
                run=run, step_index=1, by=staff[Role.DEPUTY_LEADER], outcome="approve"
            )
            call = time.perf_counter() - begin
            waiting = list(files)
            while waiting and time.perf_counter() - begin < APPROVAL_TIMEOUT:
                waiting = [f for f in waiting if not (f.exists() and expected in f.read_bytes())]
                if waiting:
                    time.sleep(0.05)
            if number == 0:
                continue
            calls.append(call)
            if waiting:
                timeouts += 1
            latencies.append(time.perf_counter() - begin)
        background_running = background.poll() is None
    finally:
        background.terminate()
        background.wait()
        if worker is not None:
            worker.terminate()
            worker.wait()
    return {
        "approvals": APPROVALS,
        "p50_s": round(_p(latencies, 0.5), 2),
        "p95_s": round(_p(latencies, 0.95), 2),
        "max_s": round(max(latencies), 2),
        "call_s_median": round(statistics.median(calls), 3),
        "timeouts": timeouts,
        "background_rebuild_ran_throughout": background_running,
    }


def measure(articles, sites, staff):
    progress(f"measuring at {articles} articles")
    figures = {"articles": articles}
    phases = {
        "approval": lambda: measure_approvals(sites, staff),
        "rebuild": lambda: measure_rebuild([sites[n] for n in REBUILD_SITES]),
        "freshness": measure_freshness,
        "dashboard": lambda: measure_dashboard(staff[Role.INSPECTOR], sites[DASHBOARD_SITE]),
    }
    for name, phase in phases.items():
        figures[name] = phase()
        progress(f"{name} {json.dumps(figures[name])}")
    return figures


# --- the report -----------------------------------------------------------------------------


def growth_row(figures, measured_at):
    per_million = figures["articles"] / 1_000_000
    f, d, r, a = (figures[k] for k in ("freshness", "dashboard", "rebuild", "approval"))
    return (
        f"{figures['articles']:,} articles (measured {measured_at:%Y-%m-%d %H:%M} UTC): "
        f"freshness {f['seconds']} s for {f['sites']} sites ({f['ms_per_site']} ms/site, "
        f"{f['queries']} queries, {f['seconds'] / per_million:.1f} s per million "
        f"articles); dashboard of all {d['sites']} sites {d['seconds']} s, {d['queries']} "
        f"queries (of one site {d['one_site_seconds']} s, {d['one_site_queries']} queries); "
        f"rebuild "
        f"{r['pages_per_s']} pages/s ({r['s_per_10k']} s per 10k pages, listing a site's "
        f"{r['site_pages'] // len(REBUILD_SITES)} pages {r['targets_s_per_site']} s); approval "
        f"to files p50 {a['p50_s']} s, p95 {a['p95_s']} s"
    )


def report(latest, growth, built_seconds):
    f, d, r, a = (latest[k] for k in ("freshness", "dashboard", "rebuild", "approval"))
    articles = latest["articles"]
    scale = f"{SITES} sites, {SITES * SECTIONS * PER_SECTION:,} columns, {articles:,} articles"
    steps = [growth_row(figures, at) for _n, (at, figures) in sorted(growth.items())]
    flat_freshness = [g[1]["freshness"]["ms_per_site"] for _n, g in sorted(growth.items())]
    flat_rebuild = [g[1]["rebuild"]["pages_per_s"] for _n, g in sorted(growth.items())]
    out = [
        {
            "name": f"province rebuild rate: services.rebuild of {r['pages']} sampled pages of "
            f"{len(REBUILD_SITES)} sites ({scale})",
            "value": r["pages_per_s"],
            "unit": "pages/s",
            "target": "",
            "met": True,
            "detail": f"{r['s_per_10k']} s per 10,000 pages (render, write, fingerprint, tags; "
            f"one process); outcomes {r['outcomes']}; staticsite.services.site_targets lists a "
            f"site ({r['site_pages'] // len(REBUILD_SITES)} pages) in {r['targets_s_per_site']} s",
        },
        {
            "name": "province approval to files, p95: last reviewer's decide() until the "
            "homepage and two column pages (two sites) on disk show the article",
            "value": a["p95_s"],
            "unit": "s",
            "target": "< 5 s",
            "met": a["p95_s"] < 5 and not a["timeouts"],
            "detail": f"{a['approvals']} approvals one after another (after one not counted: the "
            "worker's first task loads code and templates), a Celery worker "
            f"(concurrency 1) rendering the queue, publish_static of {len(BACKGROUND_SITES)} "
            f"other sites running throughout: {a['background_rebuild_ran_throughout']}; p50 "
            f"{a['p50_s']} s, max {a['max_s']} s, {a['timeouts']} over {APPROVAL_TIMEOUT:.0f} s; "
            f"decide() itself {a['call_s_median']} s median; {scale}",
        },
        {
            "name": "province approval to files, p50 (same runs)",
            "value": a["p50_s"],
            "unit": "s",
            "target": "",
            "met": True,
            "detail": "the coalescing delay (STATIC_PAGES_COALESCE_SECONDS) is part of it",
        },
        {
            "name": f"province freshness check, all {f['sites']} open sites: check_all once "
            f"({articles:,} articles)",
            "value": f["seconds"],
            "unit": "s",
            "target": f"fixed queries per batch of {freshness.SITES_PER_BATCH} sites",
            "met": f["queries"] < f["sites"],
            "detail": f"{f['queries']} queries in {f['batches']} batches (fixed per batch: the "
            "reads, and one delete and one insert of the changed states, of the snapshots and "
            f"of the alerts); {f['ms_per_site']} ms per site",
        },
        {
            "name": f"province compliance dashboard, all {d['sites']} sites: dashboard_view for "
            f"an inspector, rendered ({articles:,} articles)",
            "value": d["seconds"],
            "unit": "s",
            "target": "queries fixed at every step",
            "met": len({g[1]["dashboard"]["queries"] for g in growth.values()}) == 1
            and len({g[1]["dashboard"]["one_site_queries"] for g in growth.values()}) == 1,
            "detail": f"{d['queries']} queries; then cut to one site (?site=) "
            f"{d['one_site_queries']} queries, {d['one_site_seconds']} s (after one untimed view, "
            "so that the process's first reads of permissions and check lists count nowhere); "
            "queries per step "
            + ", ".join(
                f"{n:,}: {g[1]['dashboard']['queries']} (one site "
                f"{g[1]['dashboard']['one_site_queries']})"
                for n, g in sorted(growth.items())
            ),
        },
        {
            "name": "province growth table: " + " → ".join(f"{n:,}" for n in STEPS) + " articles",
            "value": len(growth),
            "unit": "steps",
            "target": "cost per item flat",
            "met": len(growth) == len(STEPS)
            and max(flat_freshness) < 2 * min(flat_freshness)
            and max(flat_rebuild) < 2 * min(flat_rebuild),
            "detail": " | ".join(steps)
            + f" | data (COPY) built or found in {built_seconds:.0f} s this run, database "
            + DATABASE.rsplit("/", 1)[1],
        },
    ]
    print(json.dumps({"results": out}, ensure_ascii=False))


def main():
    if connection.vendor != "postgresql":
        raise SystemExit("bench_province needs PostgreSQL: set DATABASE_URL")
    call_command("migrate", interactive=False, verbosity=0)
    # The pages render with the production static storage: its manifest must exist.
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    if build_structure():
        analyze()
    built_seconds = time.perf_counter() - started
    sites = list(_bench_sites())
    staff = accounts(Unit.objects.get(org_code="PROV0001"))
    author = _author()
    count = article_count(author)
    if count not in (0, *STEPS):
        raise SystemExit(f"bench_province: {count} articles is no growth step; drop the database")
    growth = stored_growth()
    latest = None
    for step in STEPS:
        if count < step:
            begin = time.perf_counter()
            add_articles(author, count, step)
            analyze()
            built_seconds += time.perf_counter() - begin
            count = step
        elif count > step or step in growth:
            continue
        latest = measure(step, sites, staff)
        store_growth(step, latest)
    if latest is None:
        # Data reused: the last step is measured again; the earlier ones come from the build.
        latest = measure(count, sites, staff)
        store_growth(count, latest)
    report(latest, stored_growth(), built_seconds)


if __name__ == "__main__":
    main()

"""Demo monitoring history, so the dashboard shows trends on first start (idempotent).

Freshness snapshots for the past eight weeks are measured for real from the demo articles'
publish times; probes, link checks, visits and patrols of the past weeks are written as a
monitor would have recorded them, deterministically (the same every load).
"""

import random
import socket
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from columns import demo as columns_demo
from columns.models import Site
from publishing.models import Article, ArticleStatus

from . import freshness
from .crawler import site_base_url
from .http_fetch import connection_problem
from .inspections import demo as inspections_demo
from .models import (
    AvailabilityProbe,
    BrokenLink,
    FreshnessSnapshot,
    LinkCheckRun,
    Outage,
    PageVisitDay,
    PatrolRecord,
)

HISTORY_DAYS = 56
PROBE_DAYS = 8
CRAWL_DAYS = 21
VISIT_DAYS = 30


def _freshness_history(site, now):
    have = set(
        FreshnessSnapshot.objects.filter(site=site, unit__isnull=True).values_list(
            "taken_on", flat=True
        )
    )
    for days_ago in range(HISTORY_DAYS, 0, -1):
        at = now - timedelta(days=days_ago)
        if timezone.localtime(at).date() not in have:
            freshness.record_snapshots(freshness.measure([site], at=at))
    freshness.check_site(site, at=now)


def _probes(site, now, rng):
    if AvailabilityProbe.objects.filter(site=site).exists():
        return
    probes = []
    start = now - timedelta(days=PROBE_DAYS)
    # One 40-minute outage three days ago on the sub-site, closed when the next probe loaded.
    outage_start = now - timedelta(days=3, hours=5)
    outage_end = outage_start + timedelta(minutes=40)
    has_outage = site.parent_id is not None
    at = start
    while at < now:
        down = has_outage and outage_start <= at < outage_end
        probes.append(
            AvailabilityProbe(
                site=site,
                probed_at=at,
                ok=not down,
                status_code=None if down else 200,
                response_ms=None if down else rng.randint(80, 420),
                error=connection_problem(ConnectionRefusedError()) if down else "",
            )
        )
        at += timedelta(minutes=5)
    AvailabilityProbe.objects.bulk_create(probes, batch_size=1000)
    if has_outage:
        Outage.objects.create(
            site=site,
            started_at=outage_start,
            ended_at=outage_end,
            first_error=connection_problem(ConnectionRefusedError()),
        )


def _crawls(site, now, rng):
    if LinkCheckRun.objects.filter(site=site).exists():
        return
    base = site_base_url(site)
    articles = list(
        Article.objects.filter(column__site=site, status=ArticleStatus.PUBLISHED)
        .select_related("column", "unit")
        .order_by("pk")[:8]
    )
    if not articles:
        return
    for days_ago in range(CRAWL_DAYS, 0, -1):
        started = now - timedelta(days=days_ago, hours=-2)
        run = LinkCheckRun.objects.create(
            site=site,
            started_at=started,
            finished_at=started + timedelta(minutes=4),
            base_url=base,
            pages_crawled=60 + len(articles) * 3,
            links_checked=420 + rng.randint(0, 40),
            homepage_has_search=True,
            footer_missing=[],
        )
        # Units fix their links over the weeks: fewer broken ones as the days pass.
        broken = articles[: max(1, len(articles) * days_ago // CRAWL_DAYS)]
        rows = [
            BrokenLink(
                run=run,
                page_url=f"{base}articles/{article.pk}/",
                url=f"http://old-site.example.gov.cn/files/{article.pk}.pdf",
                external=True,
                problem="HTTP 404",
                status_code=404,
                article=article,
                column=article.column,
                unit=article.unit,
            )
            for article in broken
        ]
        if days_ago > CRAWL_DAYS // 2 and site.parent_id is None:
            rows.append(
                BrokenLink(
                    run=run,
                    page_url=base,
                    on_homepage=True,
                    url="http://www.example-partner.gov.cn/",
                    external=True,
                    problem=connection_problem(socket.gaierror()),
                )
            )
        BrokenLink.objects.bulk_create(rows)
        run.broken_on_homepage = sum(r.on_homepage for r in rows)
        run.broken_elsewhere = len(rows) - run.broken_on_homepage
        run.save(update_fields=["broken_on_homepage", "broken_elsewhere"])


def _visits(site, now, rng):
    if PageVisitDay.objects.filter(site=site).exists():
        return
    articles = list(
        Article.objects.filter(column__site=site, status=ArticleStatus.PUBLISHED)
        .select_related("column")
        .order_by("-published_at")[:12]
    )
    rows = []
    today = timezone.localtime(now).date()
    for days_ago in range(VISIT_DAYS, 0, -1):
        day = today - timedelta(days=days_ago)
        weekday = day.weekday() < 5
        rows.append(
            PageVisitDay(
                day=day, site=site, path="/", visits=rng.randint(300, 520) if weekday else 160
            )
        )
        for article in articles:
            rows.append(
                PageVisitDay(
                    day=day,
                    site=site,
                    path=article.get_absolute_url(),
                    article=article,
                    column=article.column,
                    visits=rng.randint(5, 60) if weekday else rng.randint(1, 15),
                )
            )
    PageVisitDay.objects.bulk_create(rows, batch_size=1000)


def _patrols(site, now):
    officer = get_user_model().objects.filter(username="operator").first()
    if officer is None or PatrolRecord.objects.filter(site=site).exists():
        return
    today = timezone.localtime(now).date()
    for days_ago in range(14, 0, -1):
        day = today - timedelta(days=days_ago)
        if day.weekday() >= 5:
            continue
        problem = days_ago == 6
        PatrolRecord.objects.create(
            site=site,
            day=day,
            duty_officer=officer,
            site_running=True,
            links_usable=not problem,
            columns_updated=True,
            content_correct=True,
            problems_found="首页“合作网站”链接无法访问。" if problem else "",
            corrections="已通知区政府办公室更换链接地址，复查可用。" if problem else "",
        )


@transaction.atomic
def load():
    now = timezone.now()
    # Only the demo's own sites: a database may hold others (benchmarks, real sites).
    demo_sites = [columns_demo.PORTAL["site_code"], columns_demo.EDU_SITE["site_code"]]
    for site in Site.objects.filter(site_code__in=demo_sites, status=Site.Status.OPEN):
        rng = random.Random(site.site_code)
        _freshness_history(site, now)
        _probes(site, now, rng)
        _crawls(site, now, rng)
        _visits(site, now, rng)
        _patrols(site, now)
    inspections_demo.load()

"""Benchmark: SQL queries per public page, the same for 10 and for 10,000 items in a column.

On the benchmark database (PostgreSQL), in the demo portal: a column of the portal is given
10 published articles, every public page that shows it is requested once with an empty page
cache and its queries counted; the column then gets 9,990 more and the same pages are counted
again (plus the column's 500th list page). The figure is the largest difference over all
pages: it must be 0. Everything is rolled back at the end, so the database is left as found.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/bench_queries.py
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.pop("PORTAL_TESTING", None)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from columns.models import Column, Site  # noqa: E402
from publishing.models import Article, ArticleStatus  # noqa: E402

COLUMN = ("news", "headlines")  # 要闻动态 of the demo portal: on the homepage, with a feed


def fill(column, start, count):
    author = get_user_model().objects.get(username="operator")
    now = timezone.now()
    Article.objects.bulk_create(
        [
            Article(
                title=f"查询数基准{n}",
                body=f"<p>查询数基准{n}</p>",
                column=column,
                unit=column.unit,
                author=author,
                status=ArticleStatus.PUBLISHED,
                published_at=now - timedelta(minutes=n + 1),
            )
            for n in range(start, start + count)
        ],
        batch_size=2000,
    )


def queries(client, url):
    for alias in ("default", "pages"):
        caches[alias].clear()
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    return len(captured)


def measure():
    if not Site.objects.filter(site_code="5201020001").exists():
        call_command("load_demo", stdout=open(os.devnull, "w"))
    column = Column.objects.get(site__site_code="5201020001", slug=COLUMN[1])
    path = "/columns/" + "/".join(COLUMN) + "/"
    client = Client(HTTP_HOST="localhost")
    counts = {}
    with transaction.atomic():
        fill(column, 0, 10)
        article = Article.objects.get(column=column, title="查询数基准3")
        pages = {
            "homepage": "/",
            "column page": path,
            "parent column page": "/columns/news/",
            "article page": article.get_absolute_url(),
            "column feed": path + "rss.xml",
            "site map": "/sitemap/",
            "public information catalogue": "/xxgk/catalogue/",
        }
        counts[10] = {name: queries(client, url) for name, url in pages.items()}
        fill(column, 10, 9_990)
        pages["column page 500 of 500"] = path + "?page=500"
        counts[10_000] = {name: queries(client, url) for name, url in pages.items()}
        counts[10]["column page 500 of 500"] = counts[10]["column page"]
        total = Article.objects.filter(column=column, title__startswith="查询数基准").count()
        transaction.set_rollback(True)
    return counts, total


def main():
    counts, total = measure()
    extra = {name: counts[10_000][name] - counts[10][name] for name in counts[10_000]}
    worst = max(extra.values())
    detail = "; ".join(
        f"{name} {counts[10][name]} → {counts[10_000][name]}" for name in counts[10_000]
    )
    results = [
        {
            "name": "queries per public page: 10,000 vs 10 items in a column (extra queries)",
            "value": worst,
            "unit": "queries",
            "target": "<= 0",
            "met": worst <= 0,
            "detail": (
                f"{len(extra)} page types, {total} articles in the column at the end; "
                f"queries with 10 → with 10,000: {detail}; database "
                f"{connection.vendor}; rolled back afterwards"
            ),
        }
    ]
    print(json.dumps({"results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Every public page type validates: 0 errors from the Nu HTML Checker (vnu-jar from npm, run on
the machine's Java) over pages fetched through the test client, all checked in one Java run.

Skipped, visibly, only where Java or node_modules/vnu-jar is missing; under CI=true it fails."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from interaction import services as mailbox_services
from publishing.models import ArticleKind
from publishing.selectors import published_articles

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _checker():
    java = shutil.which("java")
    missing = [what for what, ok in (("java", java), (str(VNU), VNU.exists())) if not ok]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI requires {', '.join(missing)} (npm install; apt-get install java)")
        pytest.skip(f"Nu HTML Checker unavailable ({', '.join(missing)} missing): skipped")
    return java


def _first_link(client, listing, pattern):
    """The first link matching pattern on the listing page: a real detail page of that type."""
    html = client.get(listing).content.decode()
    match = re.search(rf'href="({pattern})"', html)
    assert match, f"no link like {pattern} on {listing}"
    return match.group(1)


def public_pages(client, edu, site):
    """(name, response) for each public page type."""
    policy = (
        published_articles(site)
        .filter(kind=ArticleKind.POLICY, interpretations__status="published")
        .first()
    )
    pages = {
        "home": "/",
        "column-paged": "/columns/news/?page=2",
        "article-policy": policy.get_absolute_url(),
        "article-interpretation": policy.interpretations.first().get_absolute_url(),
        "article-print": f"{policy.get_absolute_url()}print/",
        "xxgk": "/xxgk/",
        "xxgk-guide": "/xxgk/guide/",
        "xxgk-catalogue": "/xxgk/catalogue/",
        "xxgk-annual-reports": "/xxgk/annual-reports/",
        "services": "/services/",
        "messages": "/interaction/messages/",
        "message-form": "/interaction/messages/new/",
        "message-track": "/interaction/messages/track/",
        "consultations": "/interaction/consultations/",
        "surveys": "/interaction/surveys/",
        "interviews": "/interaction/interviews/",
        "search": "/search/?q=%E9%80%9A%E7%9F%A5",
        "search-no-results": "/search/?q=zqx%E6%9F%A5%E6%97%A0%E6%AD%A4%E8%AF%8D",
        "sitemap": "/sitemap/",
        "not-found": "/no-such-page/",
    }
    pages["column"] = _first_link(client, "/", r"/columns/[^\"]+/")
    pages["article"] = _first_link(client, "/", r"/articles/\d+/")
    pages["service-guide"] = _first_link(client, "/services/", r"/services/\d+/")
    pages["message"] = _first_link(client, "/interaction/messages/", r"/interaction/messages/\d+/")
    for kind in ("consultations", "surveys", "interviews"):
        pages[kind[:-1]] = _first_link(
            client, f"/interaction/{kind}/", rf"/interaction/{kind}/\d+/"
        )
    fetched = [(name, client.get(url)) for name, url in pages.items()]
    fetched.append(("edu-home", edu.get("/")))
    fetched.append(("edu-column", edu.get(_first_link(edu, "/", r"/columns/[^\"]+/"))))
    # The tracking page a citizen reaches with both credentials.
    message, password = mailbox_services.submit_message(
        site=site,
        kind="consultation",
        subject="校验：查询页",
        content="请问社区卫生服务中心周末开放吗？",
        name="赵六",
        phone="13700001234",
    )
    tracked = client.post(
        "/interaction/messages/track/",
        {"code": message.tracking_code, "password": password},
        follow=True,
    )
    assert tracked.redirect_chain[-1][0].endswith("/track/status/")
    fetched.append(("message-track-status", tracked))
    # The form again after a failed submission: the error summary and the errors in place.
    fetched.append(("message-form-errors", client.post("/interaction/messages/new/", {})))
    return fetched


def _page(files, message):
    """The page a checker message is about (its url is file:<path>)."""
    return files[message["url"].removeprefix("file:")]


def test_every_public_page_type_has_no_html_errors(demo, client, tmp_path, audit, monkeypatch):
    java = _checker()
    # Two items a page: the demo's news column has a second page to check.
    monkeypatch.setattr("publishing.views.PAGE_SIZE", 2)
    files = {}
    for name, response in public_pages(client, Client(HTTP_HOST="edu.localhost"), demo):
        expected = 404 if name == "not-found" else 200
        assert response.status_code == expected, (name, response.status_code)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files[str(path)] = name
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr)["messages"]
    # "non-document-error": a page the checker could not read counts against it too.
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    per_page = dict.fromkeys(files.values(), 0)
    for error in errors:
        per_page[_page(files, error)] += 1
    for name, count in per_page.items():
        audit("vnu", name, count, "errors")
    detail = [f"{_page(files, e)}:{e.get('lastLine')}: {e['message']}" for e in errors]
    assert not errors, "\n".join(detail[:60])

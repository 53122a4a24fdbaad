"""Links in an article's body: internal pages that are missing or unpublished, external links
that fail (against a real local HTTP server; the network is closed), and blocked domains."""

import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import TestCase

from publishing import services
from publishing.content_checks import check_article
from publishing.models import Article, ArticleStatus
from publishing.tasks import check_article_links
from tests.serving import serve_in_thread

from .conftest import approve_all

pytestmark = pytest.mark.django_db

# Not one of the demo sites' host names, so links to it are external.
EXTERNAL_HOST = "127.0.0.2"


class Handler(BaseHTTPRequestHandler):
    def _answer(self, with_body):
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/head-refused" and self.command == "HEAD":
            self.send_response(405)
        elif self.path in ("/ok", "/head-refused", "/slow"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self):  # noqa: N802 — http.server's naming
        self._answer(with_body=False)

    def do_GET(self):  # noqa: N802
        self._answer(with_body=True)

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def vouched_test_network(settings):
    """Link checks request only public addresses; the test servers' one is let through."""
    settings.OUTBOUND_ALLOWED_NETWORKS = [f"{EXTERNAL_HOST}/32"]


@pytest.fixture
def web():
    """A real HTTP server on a loopback address; yields its base URL."""
    server = ThreadingHTTPServer((EXTERNAL_HOST, 0), Handler)
    server.daemon_threads = True
    serve_in_thread(server)
    yield f"http://{EXTERNAL_HOST}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url():
    """A URL where nothing listens: connections are refused at once."""
    probe = socket.socket()
    probe.bind((EXTERNAL_HOST, 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://{EXTERNAL_HOST}:{port}/page"


def body_linking(*hrefs):
    return "".join(f'<p><a href="{href}">链接{n}</a></p>' for n, href in enumerate(hrefs))


def with_body(article, body):
    """Give a saved draft a new body through the save service (which checks it), and run
    the link check it schedules after commit."""
    article.body = body
    with TestCase.captureOnCommitCallbacks() as scheduled:
        services.save_article(article=article, by=article.author)
    assert scheduled, "the save schedules the external link check after commit"
    check_article_links(article.pk)
    return article


def link_findings(article):
    return {(f.rule, f.match): f for f in check_article(article) if "link" in f.rule}


def test_internal_links_to_missing_and_unpublished_articles_warn(make_article):
    published = approve_all(make_article(title="已发布的信息", importance="general"))
    assert published.status == ArticleStatus.PUBLISHED
    draft = make_article(title="尚在起草的信息")
    missing = Article.objects.order_by("-pk").first().pk + 1000
    article = with_body(
        make_article(title="引用其他信息"),
        body_linking(
            published.get_absolute_url(),
            draft.get_absolute_url(),
            f"/articles/{missing}/",
            f"http://www.example.gov.cn/articles/{missing}/",
        ),
    )
    found = link_findings(article)
    assert set(found) == {
        ("internal_link", draft.get_absolute_url()),
        ("internal_link", f"/articles/{missing}/"),
        ("internal_link", f"http://www.example.gov.cn/articles/{missing}/"),
    }
    assert all(f.severity == "warn" for f in found.values())
    assert "尚未发布" in found[("internal_link", draft.get_absolute_url())].suggestion
    assert "不存在" in found[("internal_link", f"/articles/{missing}/")].suggestion


def test_external_links_that_fail_warn_and_working_ones_do_not(make_article, web, closed_port_url):
    article = with_body(
        make_article(title="外部链接"),
        body_linking(
            f"{web}/ok", f"{web}/head-refused", f"{web}/gone", closed_port_url, "mailto:a@b.cn"
        ),
    )
    found = link_findings(article)
    assert set(found) == {("external_link", f"{web}/gone"), ("external_link", closed_port_url)}
    assert "404" in found[("external_link", f"{web}/gone")].suggestion
    assert "服务器无响应" in found[("external_link", closed_port_url)].suggestion
    # Kept on the article on save, for the author's page.
    assert set(article.content_findings.values_list("rule", flat=True)) == {"external_link"}


def test_a_slow_server_is_given_up_on_within_the_budget_without_failing_the_check(
    make_article, web, settings
):
    settings.CONTENT_CHECK_LINK_BUDGET_SECONDS = 0.5
    article = with_body(make_article(title="慢链接"), body_linking(f"{web}/slow", f"{web}/ok"))
    found = link_findings(article)
    assert set(found) == {("external_link", f"{web}/slow")}
    assert "未能及时检查完毕" in found[("external_link", f"{web}/slow")].suggestion


def test_blocked_domain_in_a_link_blocks(make_article):
    article = with_body(make_article(title="广告链接"), body_linking("https://m.bet365.com/"))
    [finding] = link_findings(article).values()
    assert (finding.rule, finding.severity, finding.category) == ("blocked_link", "block", "赌博")

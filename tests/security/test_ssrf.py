"""Server-side request forgery through link checks (issue 15, item 7).

A draft's links and a crawled page's links are requested only at public addresses: every
private, loopback, link-local, metadata, multicast or reserved target is refused without a
request, with one and the same finding whether or not something listens there; a redirect
into the private network is refused at its hop; and saving an article never waits on the
network while it holds the article's row lock.
"""

import socket
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils.translation import gettext

from columns.models import Column, Site
from monitoring.crawler import crawl_site
from publishing import services
from publishing.models import Article
from publishing.tasks import check_article_links

from ..monitoring.local_web import LocalWeb
from .reporting import print_summary

pytestmark = pytest.mark.django_db

#: target -> "refused" | "FAILED: ..."
RESULTS = {}
VOUCHED = "127.0.0.2"
INSIDE = "127.0.0.3"
REFUSED = gettext("The link points to an address inside a private network; it was not opened.")


@pytest.fixture(scope="session", autouse=True)
def _summary(request):
    yield
    if RESULTS:
        failed = [k for k, v in RESULTS.items() if v != "refused"]
        targets = {target for _check, target in RESULTS}
        checks = {check for check, _target in RESULTS}
        print_summary(
            request,
            f"security SSRF: {len(targets)} private targets × {len(checks)} link checks = "
            f"{len(RESULTS)}, {len(RESULTS) - len(failed)} refused without a request, "
            f"{len(failed)} failed",
        )


@pytest.fixture
def inside():
    """A service on the platform's own loopback that an attacker wants to reach (not at a
    host name of the platform's sites: links there are checked from the database)."""
    with LocalWeb(host=INSIDE) as web:
        web.page("/secret", "<p>internal admin</p>")
        yield web


@pytest.fixture
def closed_port():
    probe = socket.socket()
    probe.bind((INSIDE, 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def private_targets(inside, closed_port):
    return {
        "loopback, port open": f"{inside.url}/secret",
        "loopback, port closed": f"http://{INSIDE}:{closed_port}/secret",
        "IPv6 loopback": f"http://[::1]:{closed_port}/",
        "cloud metadata": "http://169.254.169.254/latest/meta-data/",
        "private 10/8": "http://10.20.30.40/",
        "private 192.168/16": "http://192.168.1.1:8080/",
        "shared 100.64/10": "http://100.64.0.1/",
        "multicast": "http://224.0.0.1/",
        "reserved 240/4": "http://240.0.0.1/",
        "unspecified": f"http://0.0.0.0:{closed_port}/secret",
        "IPv4-mapped IPv6": f"http://[::ffff:{INSIDE}]:{inside.server.server_port}/secret",
    }


def draft_linking(demo, *urls):
    liaison = get_user_model().objects.get(username="edu_liaison")
    column = Column.objects.get(slug="edu-news")
    body = "".join(f'<p><a href="{url}">链接</a></p>' for url in urls)
    article = Article(title="链接检查", body=body, column=column, unit=column.unit, author=liaison)
    with TestCase.captureOnCommitCallbacks() as scheduled:
        services.save_article(article=article, by=liaison)
    # What the worker does after commit, run for real.
    assert scheduled
    check_article_links(article.pk)
    return article


def link_suggestions(article):
    return {f.match: f.suggestion for f in article.content_findings.filter(rule="external_link")}


def test_saving_a_draft_requests_no_private_address_and_tells_nothing_of_its_ports(
    demo, inside, closed_port
):
    targets = private_targets(inside, closed_port)
    article = draft_linking(demo, *targets.values())
    found = link_suggestions(article)
    wording = set(found.values())
    for name, url in targets.items():
        if url not in found:
            RESULTS[("draft", name)] = "FAILED: no finding"
        elif inside.hits:
            RESULTS[("draft", name)] = "FAILED: the internal service was requested"
        else:
            RESULTS[("draft", name)] = "refused"
    assert inside.hits == {}
    assert set(found) == set(targets.values())
    # One wording for every refused target: open and closed ports look the same.
    assert wording == {REFUSED}


def test_crawler_requests_no_private_address_found_on_a_page(demo, inside, closed_port):
    site = Site.objects.create(name="链接检查测试网站", parent=demo, site_code="5201020098")
    targets = private_targets(inside, closed_port)
    with LocalWeb() as web:
        web.page("/", "".join(f'<a href="{url}">链接</a>' for url in targets.values()))
        run = crawl_site(site, base_url=f"{web.url}/")
    problems = dict(run.broken_links.values_list("url", "problem"))
    for name, url in targets.items():
        ok = url in problems and not inside.hits
        RESULTS[("crawler", name)] = "refused" if ok else "FAILED"
    assert inside.hits == {}
    assert set(problems) == set(targets.values())
    assert len(set(problems.values())) == 1


def test_a_redirect_into_the_private_network_is_refused_at_its_hop(demo, inside, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = [f"{VOUCHED}/32"]
    # A vouched-for "public" server whose page redirects to the internal service.
    with LocalWeb(host=VOUCHED) as public:
        public.redirect("/jump", f"{inside.url}/secret")
        article = draft_linking(demo, f"{public.url}/jump")
    assert public.hits["/jump"] >= 1
    assert inside.hits == {}
    assert REFUSED == link_suggestions(article)[f"{public.url}/jump"]


def test_a_host_with_any_private_address_is_refused(demo, inside, settings, monkeypatch):
    settings.OUTBOUND_ALLOWED_NETWORKS = [f"{VOUCHED}/32"]
    real = socket.getaddrinfo

    def two_answers(host, port, *args, **kwargs):
        # The name answers with a vouched-for address and the internal one.
        if host == "mixed.example.cn":
            return real(VOUCHED, port, *args, **kwargs) + real(INSIDE, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", two_answers)
    url = f"http://mixed.example.cn:{inside.server.server_port}/secret"
    article = draft_linking(demo, url)
    assert inside.hits == {}
    assert REFUSED == link_suggestions(article)[url]


def test_saving_an_article_waits_on_no_link_while_it_holds_the_row_lock(demo, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = [f"{VOUCHED}/32"]
    with LocalWeb(host=VOUCHED) as slow:
        slow.page("/slow", "<p>late</p>", delay=3)
        liaison = get_user_model().objects.get(username="edu_liaison")
        column = Column.objects.get(slug="edu-news")
        article = Article(
            title="慢链接",
            body=f'<p><a href="{slow.url}/slow">慢</a></p>',
            column=column,
            unit=column.unit,
            author=liaison,
        )
        started = time.monotonic()
        with TestCase.captureOnCommitCallbacks() as scheduled:
            services.save_article(article=article, by=liaison)
            hits_inside_transaction = sum(slow.hits.values())
        took = time.monotonic() - started
        assert hits_inside_transaction == 0
        assert took < 2, f"the save waited {took:.1f} s on the network"
        for callback in scheduled:
            assert callback.func == check_article_links.delay
        check_article_links(article.pk)
        assert slow.hits["/slow"] >= 1

"""CSRF, lock-out, stored XSS and the production security settings (SPEC §7)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.utils import translation

from columns.models import Column
from publishing import services
from publishing.models import Article, ArticleStatus

from .payloads import XSS_PAYLOADS, live_payloads

ROOT = Path(__file__).resolve().parents[2]


def production_environment(**overrides):
    env = dict(
        os.environ,
        PORTAL_PRODUCTION="1",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="www.example.gov.cn,admin.example.gov.cn",
        DJANGO_SETTINGS_MODULE="portal.settings",
        PORTAL_TESTING="",
    )
    # Set by the browser tests' conftest for Playwright; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(overrides)
    return env


def production_settings():
    """The security settings a process started with PORTAL_PRODUCTION=1 really has."""
    names = [
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "CONTENT_SECURITY_POLICY",
        "MIDDLEWARE",
    ]
    probe = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_under_production_settings():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_switch_refuses_debug():
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_environment(DEBUG="1"),
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "DEBUG must be off" in done.stderr


@pytest.mark.django_db
def test_production_pages_send_the_security_headers(demo):
    values = production_settings()
    script_src = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    with override_settings(**values):
        client = Client(HTTP_HOST="localhost")
        plain = client.get("/")
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        for path in ["/", "/admin/login/"]:
            response = client.get(path, secure=True)
            assert response.status_code == 200, path
            assert response["Strict-Transport-Security"] == (
                "max-age=31536000; includeSubDomains; preload"
            )
            assert response["X-Frame-Options"] == "DENY"
            assert response["Referrer-Policy"] == "same-origin"
            assert response["X-Content-Type-Options"] == "nosniff"
            policy = response["Content-Security-Policy"]
            # Directives in any order (django-csp does not keep the settings' order).
            directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
            assert directives["script-src"] == "'self'", "no inline script, no other origin"
            assert directives["frame-ancestors"] == "'none'"
            assert "cdn" not in policy.lower()
        login = client.post(
            "/admin/login/",
            {"username": "edu_liaison", "password": "wrong-password"},
            secure=True,
        )
        for cookie in login.cookies.values():
            assert cookie["secure"], cookie.key


@pytest.mark.django_db
def test_admin_post_without_csrf_token_is_refused_and_changes_nothing(demo):
    user = get_user_model().objects.get(username="edu_liaison")
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    article = Article.objects.filter(column__unit__org_code="009401002").first()
    before = Article.objects.count()

    added = client.post("/admin/publishing/article/add/", {"title": "伪造请求"})
    deleted = client.post(f"/admin/publishing/article/{article.pk}/delete/", {"post": "yes"})
    login = Client(HTTP_HOST="localhost", enforce_csrf_checks=True).post(
        "/admin/login/", {"username": "edu_liaison", "password": "x"}
    )

    assert added.status_code == deleted.status_code == login.status_code == 403
    assert Article.objects.count() == before
    assert not Article.objects.filter(title="伪造请求").exists()
    assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_even_for_the_right_password(demo, settings):
    settings.AXES_FAILURE_LIMIT = 3
    from django.conf import settings as live

    password = os.environ.get("DEMO_PASSWORD", "Portal-Demo-2026")
    client = Client(HTTP_HOST="localhost")
    for _ in range(live.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "fin_liaison", "password": "guess-123456"})

    locked = client.post("/admin/login/", {"username": "fin_liaison", "password": password})

    assert locked.status_code == 429
    with translation.override("zh-hans"):
        assert translation.gettext("Account locked") in locked.content.decode()
    assert "_auth_user_id" not in client.session
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(username="fin_liaison").exists()


def publish_through_review(title, body, slug="edu-news"):
    """A liaison writes it, 科室负责人 and 分管领导 approve it: the real path to the site."""
    users = get_user_model().objects
    author = users.get(username="edu_liaison")
    column = Column.objects.get(site__site_code="5201020001", slug=slug)
    article = services.save_article(
        article=Article(title=title, body=body, column=column, unit=column.unit, author=author),
        by=author,
    )
    run = services.submit(article=article, by=author)
    for reviewer in ("edu_head", "edu_deputy"):
        run.refresh_from_db()
        services.decide(
            run=run,
            step_index=run.current_index,
            by=users.get(username=reviewer),
            outcome="approve",
            comment="同意。",
        )
    services.publish_due_articles()
    article.refresh_from_db()
    return article


@pytest.mark.django_db
def test_stored_xss_in_article_body_and_title_is_neutralised_where_shown(demo, login_as):
    title = "<script>alert('xss-title')</script>关于开展校园安全检查的通知"
    article = publish_through_review(title, "<p>正文</p>" + "".join(XSS_PAYLOADS))
    assert article.status == ArticleStatus.PUBLISHED
    assert "段落" in article.body and "点此" in article.body, "the harmless text survives"

    pages = {
        "admin change page": login_as("edu_liaison").get(
            f"/admin/publishing/article/{article.pk}/change/"
        ),
        "public article page": Client(HTTP_HOST="localhost").get(f"/articles/{article.pk}/"),
        "public column page": Client(HTTP_HOST="localhost").get(article.column.get_absolute_url()),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert not live_payloads(response.content.decode()), name
    assert "&lt;script&gt;alert(" in pages["public article page"].content.decode(), (
        "the title is shown, escaped"
    )


@pytest.mark.django_db
def test_stored_xss_in_a_citizen_message_is_neutralised_in_the_admin(demo, login_as):
    from interaction import services as mailbox
    from interaction.models import MessageKind

    message, _ = mailbox.submit_message(
        site=demo,
        kind=MessageKind.values[0],
        subject="<script>alert('xss-subject')</script>咨询入学政策",
        content="请问入学政策。" + "".join(XSS_PAYLOADS),
        name="<img src=x onerror=alert('xss-name')>张三",
        phone="13800000000",
        email="citizen@example.com",
    )
    dispatcher = login_as("dispatcher")
    pages = {
        "message list": dispatcher.get("/admin/interaction/message/"),
        "message page": dispatcher.get(f"/admin/interaction/message/{message.pk}/change/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert not live_payloads(response.content.decode()), name
    assert "咨询入学政策" in pages["message page"].content.decode()

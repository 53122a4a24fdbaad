"""deploy/ as an operator installs it (README "Production deployment", issue 11).

The systemd units must pass `systemd-analyze verify` without a single warning. Then the
installation is brought up on loopback the way the README says, from the files themselves
(tests/deploy/installation.py), and answers as deployed. Each tool missing here skips its test
visibly; .ci/run installs them.
"""

import http.client
import re
import socket
import ssl
import subprocess
import tempfile
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from columns.models import SiteHost
from publishing import services
from publishing.models import Article, Attachment

from ..security.test_web_security import publish_through_review
from .installation import (
    ADMIN_HOST,
    INTERNET_ADDRESS,
    PUBLIC_HOST,
    UNITS,
    installed,
    request,
    tool,
    unit_service,
)


def test_systemd_units_verify_without_a_warning(tmp_path):
    analyze = tool("systemd-analyze")
    for path in UNITS.values():
        (tmp_path / path.name).write_text(installed(path.read_text()))
    done = subprocess.run(
        [analyze, "verify", *sorted(map(str, tmp_path.glob("*.service")))],
        capture_output=True,
        text=True,
    )
    assert sorted(UNITS) == ["portal-beat", "portal-web", "portal-worker"]
    assert (done.returncode, done.stderr) == (0, "")


def test_beat_runs_in_exactly_one_unit_and_only_on_the_marked_host():
    beats = [name for name in UNITS if " beat" in unit_service(name)["ExecStart"]]
    assert beats == ["portal-beat"]
    assert "ConditionPathExists=/etc/portal/beat-host" in UNITS["portal-beat"].read_text()


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.REDIS_URL,
    reason="the installation runs on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_the_installation_comes_up_from_deploy_files(demo, installation):
    assert SiteHost.objects.get(hostname=PUBLIC_HOST).site == demo
    ports = installation.ports
    home = request(ports["https"], "/", PUBLIC_HOST)
    health = request(ports["http"], "/healthz", PUBLIC_HOST, tls=False)
    to_https = request(ports["http"], "/", PUBLIC_HOST, tls=False)
    static = request(ports["https"], "/static/portal/site.css", PUBLIC_HOST)
    admin_by_nginx = request(ports["https"], "/admin/", PUBLIC_HOST)
    admin_by_public_web = request(
        ports["public"],
        "/admin/login/",
        PUBLIC_HOST,
        tls=False,
        headers={"X-Forwarded-Proto": "https"},
    )
    admin_login = request(
        ports["admin"],
        "/admin/login/",
        ADMIN_HOST,
        tls=False,
        headers={"X-Forwarded-Proto": "https"},
    )
    admin_from_government = request(ports["admin_https"], "/admin/login/", ADMIN_HOST)
    admin_from_internet = request(
        ports["admin_https"], "/admin/login/", ADMIN_HOST, source=INTERNET_ADDRESS
    )
    beat_alive = installation.beat.poll() is None

    assert home[0] == 200 and demo.name in home[2]
    assert home[1]["Strict-Transport-Security"].startswith("max-age=")
    assert (
        "unsafe-inline"
        not in home[1]["Content-Security-Policy"].split("script-src")[-1].split(";")[0]
    )
    assert home[1]["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    assert health[0] == 200, health[2]
    assert (to_https[0], to_https[1]["Location"]) == (301, f"https://{PUBLIC_HOST}/")
    assert static[0] == 200 and "immutable" in static[1]["Cache-Control"]
    assert admin_by_nginx[0] == 404, "the public nginx refuses /admin/"
    assert admin_by_public_web[0] == 404, "no admin URL exists on a public web process"
    assert admin_login[0] == 200 and 'name="password"' in admin_login[2]
    assert admin_from_government[0] == 200
    assert admin_from_internet[0] == 403, "the admin host admits only the government network"
    assert [name for reply in installation.ping for name in reply] == [
        f"worker@{socket.gethostname()}"
    ]
    assert beat_alive, installation.log("portal-beat")
    assert "beat: Starting" in installation.log("portal-beat")


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.REDIS_URL,
    reason="the installation runs on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_nginx_sends_published_files_and_no_private_one(demo, installation, settings):
    """Issue 15 item 2: the public nginx no longer serves MEDIA_ROOT; Django decides, nginx
    sends (X-Accel-Redirect to its internal location)."""
    settings.MEDIA_ROOT = installation.media
    # nginx's workers run as another user (nobody here, www-data on a host) and must reach
    # the files, as they reach /srv/portal/media; pytest's own folders are private to us.
    for folder in installation.media.parents:
        if folder == Path(tempfile.gettempdir()):
            break
        folder.chmod(folder.stat().st_mode | 0o001)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    published = publish_through_review("关于开展校园安全检查的通知", "<p>正文</p>")
    public = Attachment.objects.create(
        article=published, file=SimpleUploadedFile("检查方案.pdf", pdf)
    )
    author = published.author
    draft = services.save_article(
        article=Article(
            title="未经审核的草稿", column=published.column, unit=published.unit, author=author
        ),
        by=author,
    )
    private = Attachment.objects.create(
        article=draft, file=SimpleUploadedFile("内部征求意见稿.pdf", pdf)
    )
    ports = installation.ports
    served = request(ports["https"], public.file.url, PUBLIC_HOST)
    refused = request(ports["https"], private.file.url, PUBLIC_HOST)
    on_admin_host = request(ports["admin_https"], private.file.url, ADMIN_HOST)
    internal = request(ports["https"], "/internal-media/" + quote(private.file.name), PUBLIC_HOST)

    assert (served[0], served[2]) == (200, pdf.decode()), installation.log("web-public")
    assert served[1]["Content-Type"] == "application/pdf"
    assert served[1]["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert served[1]["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served[1]["Content-Security-Policy"]
    assert refused[0] == 404 and "PDF" not in refused[2]
    assert on_admin_host[0] == 404, "anonymous on the admin host: no file either"
    assert internal[0] == 404, "the internal location answers only Django's X-Accel-Redirect"

    services.withdraw(article=published, by=author, reason="内容有误")
    assert request(ports["https"], public.file.url, PUBLIC_HOST)[0] == 404


def track_through_nginx(port, source, attempts):
    """Wrong tracking passwords sent by a browser at source through the public nginx, each
    forging X-Forwarded-For: the answer page of each attempt."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    page = f"https://{PUBLIC_HOST}/interaction/messages/track/"
    forged = {"Host": PUBLIC_HOST, "X-Forwarded-For": "6.6.6.6", "X-Real-IP": "6.6.6.6"}
    conn = http.client.HTTPSConnection(
        "127.0.0.1", port, timeout=20, context=context, source_address=(source, 0)
    )
    try:
        conn.request("GET", "/interaction/messages/track/", headers=forged)
        response = conn.getresponse()
        form = response.read().decode()
        cookies = SimpleCookie()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookies.load(value)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        answers = []
        for _attempt in range(attempts):
            body = urlencode(
                {"csrfmiddlewaretoken": token, "code": "20261203ZZZZZZ", "password": "WRONGPWD"}
            )
            conn.request(
                "POST",
                "/interaction/messages/track/",
                body=body,
                headers={
                    **forged,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": "; ".join(f"{k}={m.value}" for k, m in cookies.items()),
                    "Origin": f"https://{PUBLIC_HOST}",
                    "Referer": page,
                },
            )
            answers.append(conn.getresponse().read().decode())
        return answers
    finally:
        conn.close()


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.REDIS_URL,
    reason="the installation runs on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_each_client_through_nginx_has_its_own_tracking_limit(demo, installation):
    """Issue 15 item 1: two citizens (127.0.0.5 and .6) behind the deployed nginx, both forging
    X-Forwarded-For: the one who guessed wrong too often is refused, the other is not."""
    port = installation.ports["https"]
    guesser = track_through_nginx(port, "127.0.0.5", 11)
    neighbour = track_through_nginx(port, "127.0.0.6", 1)
    assert all("留言编号或查询密码不正确" in answer for answer in guesser[:10]), guesser[0][-500:]
    assert "您的网络地址查询错误次数过多" in guesser[10]
    assert "留言编号或查询密码不正确" in neighbour[0], neighbour[0][-500:]


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.REDIS_URL,
    reason="the installation runs on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_nginx_answers_too_long_an_address_with_the_chinese_414_page(demo, installation):
    """Issue 15 item 11: a request line longer than nginx takes is refused by nginx itself,
    on the public and the admin host, with the Chinese page instead of nginx's English one."""
    ports = installation.ports
    for port, host in ((ports["https"], PUBLIC_HOST), (ports["admin_https"], ADMIN_HOST)):
        status, _headers, page = request(port, "/search/?q=" + "x" * 9000, host)
        assert status == 414, (host, status)
        assert 'lang="zh-hans"' in page and "网址过长" in page, page[:300]

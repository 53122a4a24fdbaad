"""Behind nginx every request comes from the proxy: each limit, the login lock-out and the
operation log must count the client's own address (issue 15, item 1).

Requests arrive as nginx sends them: REMOTE_ADDR 127.0.0.1 (a trusted proxy) with the
client's address appended to X-Forwarded-For. Citizens behind the proxy each get their own
limit; a forged X-Forwarded-For from anyone not trusted is ignored; a forged left part of a
chain is ignored too. The outcome of every check is tallied and printed at the end.
"""

import http.client
import http.server
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import Client

from columns.models import OperationLog
from interaction.models import Message
from interaction.participation.models import (
    ConsultationComment,
    InterviewQuestion,
    SurveyResponse,
)
from tests.serving import serve_in_thread

from ..conftest import DEMO_HOST
from ..deploy.installation import nginx_logs_beside
from ..interaction.test_participation import make_consultation, make_interview, make_survey
from ..interaction.test_participation_consultations import post_comment
from ..interaction.test_participation_interviews import ask
from ..interaction.test_participation_surveys import take_part
from ..interaction.test_submission import URL as NEW_MESSAGE
from ..interaction.test_submission import form_data
from ..soak.servers import free_port
from .reporting import print_summary

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
CITIZENS = [f"203.0.113.{n}" for n in range(1, 6)]
OUTSIDER = "198.51.100.7"
DEPLOY_NGINX = Path(__file__).resolve().parents[2] / "deploy" / "nginx"
PASSWORD = "Portal-Demo-2026"
MAILBOX_LIMITED = "一小时内从您的网络地址提交的留言过多"
TRACKING_LIMITED = "您的网络地址查询错误次数过多"
TRACKING_WRONG = "留言编号或查询密码不正确"
PARTICIPATION_LIMITED = "来自您网络地址的提交过多"
#: (limiter, check) -> "ok" | "FAILED: ..."
RESULTS = {}


@pytest.fixture(autouse=True)
def behind_nginx(settings, monkeypatch, tmp_path):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


@pytest.fixture(scope="session", autouse=True)
def _summary(request):
    yield
    if not RESULTS:
        return
    failed = [key for key, outcome in RESULTS.items() if outcome != "ok"]
    line = (
        f"security client address: {len({k for k, _ in RESULTS})} limits and logs, "
        f"{len(RESULTS)} checks, {len(RESULTS) - len(failed)} ok, {len(failed)} failed"
    )
    print_summary(request, line)


def check(limiter, name, ok, detail=""):
    RESULTS[(limiter, name)] = "ok" if ok else f"FAILED: {detail}"
    return ok


def via_proxy(address, forwarded=None):
    """A client whose requests reach Django from nginx on behalf of address."""
    return Client(
        HTTP_HOST=DEMO_HOST,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded or address,
        HTTP_X_REAL_IP=address,
    )


def direct(address, forwarded):
    """A client at address that writes its own X-Forwarded-For (not a trusted proxy)."""
    return Client(HTTP_HOST=DEMO_HOST, REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)


def sent(client, subject):
    return client.post(NEW_MESSAGE, form_data(subject=subject)).status_code == 302


def test_citizens_behind_the_proxy_each_get_their_own_message_limit(demo, settings):
    settings.INTERACTION_SUBMISSIONS_PER_HOUR = 2
    before = Message.objects.count()
    for number, address in enumerate(CITIZENS):
        client = via_proxy(address)
        both = sent(client, f"第{number}位市民的第一条") and sent(client, f"第{number}位的第二条")
        assert check("mailbox", f"citizen {address} sends 2", both, "refused")
    third = via_proxy(CITIZENS[0]).post(NEW_MESSAGE, form_data(subject="第三条"))
    assert check("mailbox", "one citizen's third refused", MAILBOX_LIMITED in third.text)
    stored = Message.objects.exclude(pk__lte=before)
    assert stored.count() == 2 * len(CITIZENS)
    assert sorted(set(stored.values_list("submitter_ip", flat=True))) == CITIZENS


def test_forged_forwarded_for_does_not_escape_the_message_limit(demo, settings):
    settings.INTERACTION_SUBMISSIONS_PER_HOUR = 2
    before = Message.objects.count()
    # Not from a trusted proxy: the header is the sender's own word, and is ignored.
    outcomes = [sent(direct(OUTSIDER, address), f"伪造{address}") for address in CITIZENS]
    assert check("mailbox", "forged header from outsider", outcomes == [True, True] + [False] * 3)
    # Through the proxy, the left part of the chain is the client's own word too.
    forged_chain = via_proxy(CITIZENS[0], forwarded=f"10.9.9.9, {CITIZENS[0]}")
    assert sent(forged_chain, "链上伪造")
    stored = Message.objects.exclude(pk__lte=before).order_by("pk")
    addresses = list(stored.values_list("submitter_ip", flat=True))
    assert check("mailbox", "stored addresses", addresses == [OUTSIDER] * 2 + [CITIZENS[0]])


def test_wrong_tracking_passwords_block_only_the_sender(demo, settings):
    settings.INTERACTION_TRACKING_ATTEMPTS_PER_HOUR = 3
    wrong = {"code": "20261203ZZZZZZ", "password": "WRONGPWD"}
    guesser = via_proxy(CITIZENS[0])
    for _attempt in range(3):
        assert TRACKING_WRONG in guesser.post("/interaction/messages/track/", wrong).text
    blocked = guesser.post("/interaction/messages/track/", wrong).text
    assert check("tracking", "guesser blocked", TRACKING_LIMITED in blocked)
    other = via_proxy(CITIZENS[1]).post("/interaction/messages/track/", wrong).text
    assert check("tracking", "neighbour not blocked", TRACKING_WRONG in other, other[-300:])
    spoofer = direct(OUTSIDER, CITIZENS[2])
    answers = [
        spoofer.post("/interaction/messages/track/", wrong, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        for n in range(4)
    ]
    assert check("tracking", "forged header from outsider", TRACKING_LIMITED in answers[-1].text)


def comment(client, consultation, number):
    return post_comment(client, consultation, content=f"第{number}条意见")


def question(client, interview, number):
    return ask(client, interview, content=f"第{number}个问题：课后服务什么时候开始？")


def survey_answer(client, survey, number):
    # A fresh browser each time: the participant cookie allows one answer per browser.
    fresh = Client(**client.defaults)
    return take_part(fresh, survey)


#: (limit, its PARTICIPATION_RATE_LIMITS name, the item, one submission, its stored rows)
PARTICIPATION = [
    ("comments", "consultationcomment", make_consultation, comment, ConsultationComment),
    ("questions", "interviewquestion", make_interview, question, InterviewQuestion),
    ("survey answers", "surveyresponse", make_survey, survey_answer, SurveyResponse),
]


@pytest.mark.parametrize(
    "limit, name, make_item, submit, model", PARTICIPATION, ids=[p[0] for p in PARTICIPATION]
)
def test_participation_limits_are_per_citizen(
    demo, settings, limit, name, make_item, submit, model
):
    settings.PARTICIPATION_RATE_LIMITS = {name: (2, 600)}
    item = make_item()
    before = model.objects.count()
    for address in CITIZENS:
        client = via_proxy(address)
        codes = [submit(client, item, n).status_code for n in (1, 2)]
        assert check(limit, f"citizen {address} sends 2", codes == [302, 302], codes)
    third = submit(via_proxy(CITIZENS[0]), item, 3)
    assert check(limit, "one citizen's third refused", PARTICIPATION_LIMITED in third.text)
    stored = model.objects.order_by("pk")[before:]
    assert len(stored) == 2 * len(CITIZENS)
    assert sorted({row.ip_address for row in stored}) == CITIZENS


def login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_login_lock_out_is_keyed_on_the_real_client_address(demo, settings):
    attacker, colleague = via_proxy(CITIZENS[0]), via_proxy(CITIZENS[1])
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, "edu_head", "wrong-password")
    locked = login(attacker, "edu_head", PASSWORD)
    assert check("lock-out", "attacker locked", locked.status_code == 429, locked.status_code)
    allowed = login(colleague, "edu_head", PASSWORD)
    assert check("lock-out", "other address not locked", allowed.status_code == 302)
    attempts = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert check("lock-out", "attempts keyed on client", attempts == {CITIZENS[0]}, attempts)
    # Rotating a forged header from an untrusted address does not reset the count.
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(direct(OUTSIDER, f"192.0.2.{n}"), "fin_head", "wrong-password")
    spoofed = login(direct(OUTSIDER, "192.0.2.99"), "fin_head", PASSWORD)
    assert check("lock-out", "forged header from outsider", spoofed.status_code == 429)


#: (case, REMOTE_ADDR, X-Forwarded-For, X-Real-IP, a further trusted proxy, the address logged)
ADDRESSES = [
    ("nginx appends the client", PROXY, "203.0.113.9", None, None, "203.0.113.9"),
    ("forged left part", PROXY, "10.1.1.1, 203.0.113.9", None, None, "203.0.113.9"),
    ("load balancer trusted", PROXY, "203.0.113.9, 192.0.2.50", None, "192.0.2.50", "203.0.113.9"),
    ("X-Real-IP alone", PROXY, None, "203.0.113.8", None, "203.0.113.8"),
    ("untrusted sender", OUTSIDER, "203.0.113.9", "203.0.113.9", None, OUTSIDER),
    ("junk from the client", PROXY, "not-an-address, 203.0.113.7", None, None, "203.0.113.7"),
    ("IPv6 client", "::1", "2001:db8::5", None, None, "2001:db8::5"),
]


def test_operation_log_records_the_client_address(demo, settings):
    """A failed and a successful login per case; both log rows carry the client's address."""
    trusted = list(settings.TRUSTED_PROXIES)
    wrong = []
    for case, remote, forwarded, real_ip, extra_proxy, expected in ADDRESSES:
        settings.TRUSTED_PROXIES = [*trusted, extra_proxy] if extra_proxy else trusted
        headers = {"REMOTE_ADDR": remote}
        if forwarded:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded
        if real_ip:
            headers["HTTP_X_REAL_IP"] = real_ip
        client = Client(HTTP_HOST=DEMO_HOST, **headers)
        before = OperationLog.objects.order_by("pk").last()
        login(client, "edu_liaison", "wrong-password")
        login(client, "edu_liaison", PASSWORD)
        logged = list(
            OperationLog.objects.filter(pk__gt=before.pk if before else 0)
            .order_by("pk")
            .values_list("action", "ip_address")
        )
        if not check(
            "operation log",
            case,
            logged == [("login_failed", expected), ("login", expected)],
            logged,
        ):
            wrong.append((case, logged))
    assert wrong == []


def forwarded_by_nginx(tmp_path, sources):
    """What deploy/nginx/portal-public.conf sends upstream for a request from each source
    address (127.0.0.x on loopback) carrying a forged X-Forwarded-For: {source: headers}."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        if os.environ.get("CI_REQUIRE_DEPLOY_TOOLS"):
            pytest.fail("CI requires nginx; .ci/run installs it")
        pytest.skip("no nginx on this machine")
    seen = {}

    class Upstream(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen[self.headers["X-Test-Source"]] = {
                "REMOTE_ADDR": self.client_address[0],
                "HTTP_X_FORWARDED_FOR": self.headers.get("X-Forwarded-For"),
                "HTTP_X_REAL_IP": self.headers.get("X-Real-IP"),
            }
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    upstream = http.server.HTTPServer(("127.0.0.1", free_port()), Upstream)
    serve_in_thread(upstream)
    port = free_port()
    # The upstream and the TLS server of the deployed file, listening in plain HTTP here.
    upstream_block, _redirecting, proxying = (
        (DEPLOY_NGINX / "portal-public.conf").read_text().split("server {")
    )
    site = upstream_block + "server {" + proxying
    site = re.sub(r"\n\s*listen \[::\][^;]*;", "", site)
    site = re.sub(r"listen 443 ssl[^;]*;", f"listen 127.0.0.1:{port};", site)
    site = re.sub(r"\n\s*ssl_\w+[^;]*;", "", site)
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{upstream.server_port}")
    site = nginx_logs_beside(site, tmp_path / "media")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n client_body_temp_path {tmp_path}/body;\n"
        f" proxy_temp_path {tmp_path}/proxy;\n{site}\n}}\n"
    )
    front = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert front.poll() is None, front.stderr.read()
            time.sleep(0.1)
        for source in sources:
            conn = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=10, source_address=(source, 0)
            )
            conn.request(
                "GET",
                "/",
                headers={
                    "Host": "www.example.gov.cn",
                    "X-Forwarded-For": "6.6.6.6",
                    "X-Real-IP": "6.6.6.6",
                    "X-Test-Source": source,
                },
            )
            conn.getresponse().read()
            conn.close()
    finally:
        front.terminate()
        front.wait(10)
        upstream.shutdown()
    return seen


def test_nginx_from_deploy_passes_each_clients_own_address(demo, settings, tmp_path):
    """Two clients (127.0.0.5 and .6: not trusted) through deploy/'s nginx, each forging
    X-Forwarded-For: Django sees each one's own address and gives each its own limit."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.INTERACTION_SUBMISSIONS_PER_HOUR = 1
    sources = ["127.0.0.5", "127.0.0.6"]
    seen = forwarded_by_nginx(tmp_path, sources)
    assert check(
        "nginx",
        "appends the peer, sets X-Real-IP",
        all(
            seen[s]["HTTP_X_FORWARDED_FOR"] == f"6.6.6.6, {s}" and seen[s]["HTTP_X_REAL_IP"] == s
            for s in sources
        ),
        seen,
    )
    before = Message.objects.count()
    for source in sources:
        client = Client(HTTP_HOST=DEMO_HOST, **seen[source])
        assert check("nginx", f"{source} sends its message", sent(client, f"来自{source}"))
    stored = Message.objects.exclude(pk__lte=before).values_list("submitter_ip", flat=True)
    assert check("nginx", "stored per client", sorted(stored) == sources, list(stored))

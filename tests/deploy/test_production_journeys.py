"""Production parity (issue 15): the browser journeys that matter, against the installation built
from deploy/ — nginx in front of a public and an admin gunicorn, PORTAL_PRODUCTION=1 (HTTPS, the
Content Security Policy), PostgreSQL and Redis — not against the test server.

Chromium resolves the demo host names to the installation's nginx, so every request carries the
real host, origin and scheme. Each journey fails on any CSP violation the browser reports
(console and `securitypolicyviolation` events) and on any 4xx/5xx answer for a page or one of
its own resources. The captcha is solved as a citizen would, from the answer the installation
stored for the picture. With PORTAL_SCREENSHOTS=1 a screenshot of each journey's end is saved
under var/screenshots/.
"""

import os
from pathlib import Path

import openpyxl
import pytest
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from PIL import Image

from columns.models import Column
from interaction.models import Message, MessageStatus
from publishing.models import Article, ArticleStatus, ReviewDecision
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.conftest import DESKTOP, PASSWORD, sign_in
from tests.e2e.test_dashboard import DASHBOARD, charts_rendered
from tests.e2e.test_mailbox import open_from_inbox
from tests.security.reporting import print_summary

from .installation import ADMIN_HOST, PUBLIC_HOST

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.browser,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="the installation runs on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)",
    ),
    # The installation's processes see only committed rows. (Every transactional test ends
    # with the demo database put back whole, migrations' rows included: tests/conftest.py.)
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PUBLIC = f"https://{PUBLIC_HOST}"
ADMIN = f"https://{ADMIN_HOST}"
#: What the journeys saw, for the closing line: journey names, page URLs, CSP violations.
SEEN = {"journeys": [], "pages": set(), "violations": []}

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${document.URL}`
    + ` (${event.sourceFile}:${event.lineNumber})`);
});
"""


@pytest.fixture(scope="module", autouse=True)
def _summary(request):
    yield
    if SEEN["pages"]:
        print_summary(
            request,
            f"production parity: {len(SEEN['journeys'])} journeys passed "
            f"({', '.join(SEEN['journeys'])}), {len(SEEN['pages'])} pages visited through "
            f"nginx, {len(SEEN['violations'])} CSP violations",
        )


@pytest.fixture(scope="module")
def deployed_browser(browser, installation):
    """Chromium to which the demo hosts' port 443 is the installation's nginx."""
    rules = (
        f"MAP {PUBLIC_HOST}:443 127.0.0.1:{installation.ports['https']},"
        f"MAP {ADMIN_HOST}:443 127.0.0.1:{installation.ports['admin_https']}"
    )
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, f"--host-resolver-rules={rules}"]
    )
    yield chromium
    chromium.close()


class Watched:
    """Browser contexts of one journey; every refusal and failed load is written down."""

    def __init__(self, chromium, name):
        self.chromium, self.name = chromium, name
        self.contexts, self.failures, self.violations = [], [], []
        self.downloads = set()

    def page(self, base_url):
        context = self.chromium.new_context(
            base_url=base_url,
            ignore_https_errors=True,
            viewport=DESKTOP,
            locale="zh-CN",
            timezone_id=settings.TIME_ZONE,
            accept_downloads=True,
        )
        context.expose_function("reportCspViolation", self._violation)
        context.add_init_script(REPORT_VIOLATIONS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("requestfailed", lambda r: self.failures.append((r.url, r.failure)))
        page.on("download", lambda download: self.downloads.add(download.url))
        return page

    def _violation(self, text):
        self.violations.append(text)
        SEEN["violations"].append(text)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self._violation(message.text)

    def _response(self, response):
        if response.request.is_navigation_request():
            SEEN["pages"].add(response.url.split("?")[0])
        if response.status >= 400:
            self.failures.append((response.url, response.status))

    def finish(self, page, shot):
        """The journey's closing screenshot; then nothing may have been refused or failed."""
        self.screenshot(page, shot)
        for context in self.contexts:
            context.close()
        self.contexts = []
        assert not self.violations, "\n".join(self.violations)
        # A link answered with a file is a navigation the browser abandons for the download.
        failures = [
            (url, failure)
            for url, failure in self.failures
            if not (url in self.downloads and failure == "net::ERR_ABORTED")
        ]
        assert not failures, failures
        SEEN["journeys"].append(self.name)

    def screenshot(self, page, shot, always=False):
        """Taken when asked for (PORTAL_SCREENSHOTS=1, as e2e's), or always for a failure."""
        if not (always or os.environ.get("PORTAL_SCREENSHOTS")):
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"parity-{shot}.png"), full_page=True)

    def close(self, test_name):
        """Close the contexts a failed journey left open, photographing their pages."""
        for number, context in enumerate(self.contexts):
            for page in context.pages:
                self.screenshot(page, f"failed-{test_name}-{number}", always=True)
            context.close()
        self.contexts = []


@pytest.fixture
def watched(deployed_browser, request):
    """watched("journey name") -> a Watched journey, closed when the test ends."""
    journeys = []

    def start(name):
        journeys.append(Watched(deployed_browser, name))
        return journeys[-1]

    yield start
    for journey in journeys:
        journey.close(request.node.name)


def staff(journey, username):
    """A signed-in page on the admin host. The test settings hash the demo passwords with MD5,
    which production settings do not accept: the account gets its password as production
    stores it."""
    hasher = PBKDF2PasswordHasher()
    get_user_model().objects.filter(username=username).update(
        password=hasher.encode(PASSWORD, hasher.salt())
    )
    page = journey.page(ADMIN)
    sign_in(page, username)
    return page


def solve_captcha(page):
    """Type the answer of the captcha picture on the page, as stored by the installation."""
    key = page.input_value("input[name=captcha_0]")
    page.fill("input[name=captcha_1]", CaptchaStore.objects.get(hashkey=key).response)


def picture(tmp_path, name="photo.jpg"):
    path = tmp_path / name
    Image.new("RGB", (320, 240), (40, 120, 200)).save(path, "JPEG")
    return path


def test_citizen_writes_with_a_picture_tracks_it_and_the_dispatcher_routes_it(
    watched, demo, tmp_path
):
    journey = watched("citizen writes and tracks, dispatcher routes")
    subject = "生产环境测试：社区卫生服务中心开放时间"
    citizen = journey.page(PUBLIC)
    citizen.goto("/interaction/messages/new/?type=consultation")
    citizen.select_option("#id_unit", label="区卫生健康局")
    citizen.fill("#id_subject", subject)
    citizen.fill("#id_content", "请问社区卫生服务中心周末是否开放？照片是门口的公告。")
    citizen.set_input_files("#id_images", str(picture(tmp_path)))
    citizen.fill("#id_name", "赵六")
    citizen.fill("#id_phone", "13700001234")
    solve_captcha(citizen)
    citizen.locator("form.mailbox-form button[type=submit]").click()
    citizen.wait_for_url("**/messages/new/done/")
    code = citizen.locator("#tracking-code").inner_text()
    password = citizen.locator("#query-password").inner_text()
    message = Message.objects.get(tracking_code=code)
    assert message.subject == subject and message.images.count() == 1

    citizen.goto("/interaction/messages/track/")
    citizen.fill("#id_code", code)
    citizen.fill("#id_password", password)
    citizen.locator("main form button[type=submit]").click()
    citizen.wait_for_url("**/track/status/")
    assert subject in citizen.locator("h1").inner_text()
    assert citizen.locator("#message-status").inner_text() == MessageStatus.RECEIVED.label

    dispatcher = staff(journey, "dispatcher")
    open_from_inbox(dispatcher, subject)
    photo = dispatcher.locator("td.field-image a").get_attribute("href")
    shown = dispatcher.evaluate(
        "async (url) => { const r = await fetch(url);"
        " return [r.status, r.headers.get('content-type'), (await r.blob()).size]; }",
        photo,
    )
    assert shown[:2] == [200, "image/jpeg"] and shown[2] > 0, (photo, shown)
    dispatcher.select_option("#route-unit", label="区教育局")
    dispatcher.locator("form[action$='/route/'] button").click()
    dispatcher.wait_for_url("**/inbox/")
    message.refresh_from_db()
    assert message.status == MessageStatus.ASSIGNED and message.unit.name == "区教育局"
    journey.screenshot(dispatcher, "dispatcher-routed")
    journey.finish(citizen, "citizen-tracking")


def test_inspector_opens_the_compliance_dashboard_and_exports(watched, demo, tmp_path):
    journey = watched("inspector dashboard and export")
    inspector = staff(journey, "inspector")
    inspector.goto(DASHBOARD)
    points = dict(charts_rendered(inspector))
    assert points["freshness"] > 0 and points["published"] > 0
    units = inspector.locator("#unit-table tbody th").all_inner_texts()
    assert "区教育局" in units
    with inspector.expect_download() as started:
        inspector.locator("a[href$='export=units']").click()
    download = started.value
    assert download.suggested_filename.endswith(".xlsx")
    download.save_as(tmp_path / download.suggested_filename)
    workbook = openpyxl.load_workbook(tmp_path / download.suggested_filename)
    rows = workbook.active.iter_rows(values_only=True)
    assert "区教育局" in [row[0] for row in rows]
    journey.finish(inspector, "inspector-dashboard")


def test_liaison_submits_with_an_attachment_heads_approve_and_print_the_sheet(
    watched, demo, tmp_path
):
    journey = watched("liaison submits, 三审, review sheet printed, citizen downloads")
    title = "生产环境测试：关于2027年春季学期开学安排的通知"
    column = Column.objects.get(site=demo, slug="edu-news")
    liaison = staff(journey, "edu_liaison")
    liaison.goto("/admin/publishing/article/add/")
    liaison.fill("#id_title", title)
    # TinyMCE builds its editor by script from static files: only there if the CSP lets it.
    liaison.frame_locator(".tox-edit-area iframe").locator("body").fill("春季学期3月2日开学。")
    liaison.select_option("#id_column", str(column.pk))
    liaison.select_option("#id_importance", "important")
    liaison.fill("input[name='attachments-0-title']", "开学安排表")
    liaison.set_input_files("input[name='attachments-0-file']", str(picture(tmp_path, "表.jpg")))
    liaison.locator("input[name=_continue]").click()
    liaison.wait_for_url("**/change/")
    article = Article.objects.get(title=title)
    assert article.attachments.count() == 1 and "3月2日开学" in article.body
    liaison.locator("form[action$='/act/submit/'] button").click()
    liaison.wait_for_selector(".messagelist .success")

    for reviewer in ("edu_head", "edu_deputy", "edu_leader"):
        head = staff(journey, reviewer)
        head.goto("/admin/publishing/article/inbox/")
        head.locator("table.inbox tr", has_text=title).get_by_role("link", name=title).click()
        head.fill("textarea[name=comment]", f"{reviewer} 同意。")
        head.locator("button[value=approve]").click()
        head.wait_for_url("**/inbox/")
    decided = ReviewDecision.objects.filter(run__article=article).order_by("step_index")
    assert [d.decided_by.username for d in decided] == ["edu_head", "edu_deputy", "edu_leader"]
    head.add_init_script("window.print = () => { window.printed = true; };")
    head.goto(f"/admin/publishing/article/{article.pk}/sheet/")
    sheet = head.locator("body").inner_text()
    assert "信息发布审核单" in sheet and "edu_leader 同意。" in sheet and "终审" in sheet
    head.locator(".no-print button").click()
    assert head.evaluate("window.printed === true"), "the print button printed nothing"
    head.emulate_media(media="print")
    journey.screenshot(head, "review-sheet-print")

    # Approved, it is published (publish_on_approval): the citizen gets the attachment.
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    citizen = journey.page(PUBLIC)
    citizen.goto(f"/articles/{article.pk}/")
    assert title in citizen.locator("h1").inner_text()
    with citizen.expect_download() as started:
        citizen.locator(".attachments a").click()
    assert Path(started.value.path()).read_bytes()[:3] == b"\xff\xd8\xff"
    journey.finish(citizen, "published-article")

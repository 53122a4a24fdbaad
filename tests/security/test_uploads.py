"""Uploads are limited by type, size and content at every upload point (SPEC §7).

A table of upload points (each through its real page: admin forms, the citizen mailbox, the
inspectors' pages) × attacks. Every attack must be refused with a Chinese message and leave
no row and no file under MEDIA_ROOT; the path-traversal and markup file names, and a genuine
file of each accepted type, must be accepted and stored under a safe name inside MEDIA_ROOT.
"""

import io
import json
import re
import secrets
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as live_settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from columns.models import Column, Site, Unit
from columns.uploads import attachment_max_bytes
from interaction.images import image_max_bytes
from interaction.models import Message, MessageImage
from interaction.participation.models import Guest, Interview
from monitoring.inspections import services as inspections
from monitoring.inspections.models import SpecialSupervision, SpotCheckProblem
from publishing.models import Article, Attachment, ServiceDocument, ServiceItem

from ..interaction.test_submission import form_data
from ..monitoring.test_inspections import campaign_with, fail_campaign
from ..publishing.test_review_chain import article_form
from .reporting import print_summary

pytestmark = [
    pytest.mark.django_db,
    # The 10,000 × 10,000 picture makes Pillow warn before the validators refuse it.
    pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
]

ROOT = Path(__file__).resolve().parents[2]
MARK = "上传安全测试"
#: (upload point, attack) -> "refused" / "stored safely" / "accepted" / "FAILED: ..."
RESULTS = {}


# --- files ---------------------------------------------------------------------------------

HTML = b"<html><body><script>alert('xss-upload')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
PHP = b"<?php system($_GET['c']); ?>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def picture(fmt="PNG", size=(24, 16)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixel_bomb(side):
    """A real 1-bit PNG of side × side white pixels: a few kilobytes that decode to gigabytes."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def zipped(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in names.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def xlsx():
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "申请表"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GENUINE = {
    "pdf": lambda: ("申请表.pdf", PDF),
    "doc": lambda: ("说明.doc", OLE),
    "docx": lambda: (
        "说明.docx",
        zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
    ),
    "xls": lambda: ("统计.xls", OLE),
    "xlsx": lambda: ("统计.xlsx", xlsx()),
    "ofd": lambda: ("公文.ofd", zipped({"OFD.xml": "<ofd:OFD/>"})),
    "zip": lambda: ("材料.zip", zipped({"材料.txt": "材料清单"})),
    "jpg": lambda: ("照片.jpg", picture("JPEG")),
    "jpeg": lambda: ("照片.jpeg", picture("JPEG")),
    "png": lambda: ("照片.png", picture("PNG")),
}


@dataclass
class Attack:
    name: str
    #: kind -> (file name, content); kind is "attachment" or "image".
    make: object
    #: What the Chinese refusal may say (one of these fragments).
    says: tuple


# Django's own image field answers first for the admin's image fields: "not an image".
TYPE = ("类型", "只能上传", "不是图片")
CONTENT = ("内容不是", "无法识别为图片", "有效的图片", "不是图片")
SIZE = ("上限", "不能超过")
PIXELS = ("像素过多", "不是图片")
EMPTY = ("空文件", "为空", "内容不是", "无法识别为图片", "有效的图片")


def over_limit(limit, head):
    return head + b"\x00" * (limit + 1 - len(head))


ATTACKS = [
    Attack("wrong type .exe", lambda kind: ("setup.exe", EXE), TYPE),
    Attack("wrong type .html", lambda kind: ("通知.html", HTML), TYPE),
    Attack("wrong type .svg with script", lambda kind: ("标志.svg", SVG), TYPE),
    Attack("wrong type .php", lambda kind: ("shell.php", PHP), TYPE),
    Attack("double extension 通知.pdf.html", lambda kind: ("通知.pdf.html", HTML), TYPE),
    Attack(
        "double extension a.php.<accepted> holding PHP",
        lambda kind: ("a.php.pdf" if kind == "attachment" else "a.php.png", PHP),
        CONTENT,
    ),
    Attack(
        "HTML saved as an accepted type",
        lambda kind: ("通知.pdf" if kind == "attachment" else "照片.jpg", HTML),
        CONTENT,
    ),
    Attack(
        "script saved as .docx / .png",
        lambda kind: ("报告.docx" if kind == "attachment" else "照片.png", b"<script>x</script>"),
        CONTENT,
    ),
    Attack(
        "polyglot: PNG signature then HTML",
        lambda kind: ("扫描件.png", b"\x89PNG\r\n\x1a\n" + HTML),
        CONTENT,
    ),
    Attack(
        "polyglot: JPEG signature then HTML",
        lambda kind: ("扫描件.jpg", b"\xff\xd8\xff\xe0" + HTML),
        CONTENT,
    ),
    Attack("non-image renamed .png", lambda kind: ("截图.png", b"not an image at all"), CONTENT),
    Attack(
        "empty file", lambda kind: ("空文件.pdf" if kind == "attachment" else "空.png", b""), EMPTY
    ),
    Attack(
        "decompression bomb 20000×20000 px",
        lambda kind: ("炸弹.png", pixel_bomb(20000)),
        PIXELS,
    ),
    Attack(
        "too many pixels 10000×10000 px",
        lambda kind: ("巨图.png", pixel_bomb(10000)),
        PIXELS,
    ),
]
OVERSIZE = "oversize: configured limit + 1 byte"


def oversize(point):
    head = PDF if point.kind == "attachment" else picture("PNG")
    name = "大文件.pdf" if point.kind == "attachment" else "大图.png"
    return name, over_limit(point.limit(), head)


#: Accepted, but only under a safe name inside MEDIA_ROOT.
def traversal(kind):
    return (
        ("../../etc/passwd.pdf", PDF)
        if kind == "attachment"
        else ("../../etc/passwd.png", picture())
    )


def markup_name(kind):
    suffix = "pdf" if kind == "attachment" else "png"
    return f'<img src=x onerror="alert(1)">.{suffix}', PDF if kind == "attachment" else picture()


SAFE_NAME = re.compile(r"^[-\w./]+$")


# --- how a page is posted ------------------------------------------------------------------


def multipart(fields, files):
    """A multipart body with the file names exactly as given: the test client's own encoder
    keeps only the base name, which would hide a traversal the server has to handle."""
    boundary = "portal-" + secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + str(item).encode()
                + b"\r\n"
            )
    for name, filename, content in files:
        quoted = filename.replace('"', "%22")
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{quoted}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post(client, url, fields, files, follow=False):
    body, content_type = multipart(fields, files)
    return client.post(url, body, content_type=content_type, follow=follow)


class Errors(HTMLParser):
    """The text of a page's error lists, error notes and error messages."""

    def __init__(self):
        super().__init__()
        self.texts, self._depth = [], 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self._depth:
            self._depth += 1
        elif {"errorlist", "errornote", "error"} & set(classes):
            self._depth = 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.texts[-1] += data


def errors_in(response):
    parser = Errors()
    parser.feed(response.content.decode())
    return [t.strip() for t in parser.texts if t.strip()]


def media_files():
    root = Path(live_settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


# --- the upload points ---------------------------------------------------------------------


def staff(username):
    client = Client(HTTP_HOST="localhost")
    client.force_login(
        get_user_model().objects.get(username=username),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    return client


def edu_column():
    return Column.objects.get(site__site_code="5201020001", slug="edu-news")


class Point:
    """An upload point: how to post one file through its page, and what it stores."""

    name = ""
    kind = "image"
    accepted_types = ("jpg", "jpeg", "png")

    def limit(self):
        return attachment_max_bytes()

    def setup(self):
        pass

    def send(self, filename, content):
        raise NotImplementedError

    def stored(self):
        """The rows holding this point's uploads (compared before and after each post)."""
        raise NotImplementedError

    def stored_names(self):
        raise NotImplementedError

    def after_accept(self):
        pass


class ArticleCover(Point):
    name = "article cover image (admin article form)"

    def send(self, filename, content):
        data = article_form(edu_column(), title=MARK, cover_alt="校园安全检查现场")
        return post(
            staff("edu_liaison"),
            reverse("admin:publishing_article_add"),
            data,
            [("cover_image", filename, content)],
        )

    def stored(self):
        return Article.objects.filter(title=MARK).count()

    def stored_names(self):
        return [
            a.cover_image.name
            for a in Article.objects.filter(title=MARK).exclude(cover_image="").order_by("pk")
        ]


class ArticleAttachment(Point):
    name = "article attachment (admin article form)"
    kind = "attachment"
    accepted_types = tuple(GENUINE)

    def send(self, filename, content):
        data = article_form(edu_column(), title=MARK)
        data.update(
            {
                "attachments-TOTAL_FORMS": "1",
                "attachments-0-title": "",
                "attachments-0-position": "0",
            }
        )
        return post(
            staff("edu_liaison"),
            reverse("admin:publishing_article_add"),
            data,
            [("attachments-0-file", filename, content)],
        )

    def stored(self):
        return (
            Article.objects.filter(title=MARK).count()
            + Attachment.objects.filter(article__title=MARK).count()
        )

    def stored_names(self):
        return [a.file.name for a in Attachment.objects.filter(article__title=MARK).order_by("pk")]


class ServiceForm(Point):
    name = "service guide download (admin service item form)"
    kind = "attachment"
    accepted_types = tuple(GENUINE)

    def send(self, filename, content):
        data = {
            "site": Site.objects.get(site_code="5201020001").pk,
            "unit": Unit.objects.get(name="区教育局").pk,
            "name": MARK,
            "kind": "other",
            "legal_basis": "《教师资格条例》",
            "conditions": "符合条件的申请人",
            "procedure": "申请\n受理\n决定",
            "time_limit": "20个工作日",
            "fees": "不收费",
            "office": "区政务服务中心",
            "contact": "0851-00000000",
            "position": 0,
            "materials-TOTAL_FORMS": 0,
            "materials-INITIAL_FORMS": 0,
            "documents-TOTAL_FORMS": 1,
            "documents-INITIAL_FORMS": 0,
            "documents-0-position": 0,
            "documents-0-kind": "blank_form",
            "documents-0-title": "申请表",
        }
        return post(
            staff("edu_liaison"),
            "/admin/publishing/serviceitem/add/",
            data,
            [("documents-0-file", filename, content)],
        )

    def stored(self):
        return (
            ServiceItem.objects.filter(name=MARK).count()
            + ServiceDocument.objects.filter(item__name=MARK).count()
        )

    def stored_names(self):
        return [d.file.name for d in ServiceDocument.objects.filter(item__name=MARK).order_by("pk")]


class GuestPhoto(Point):
    name = "interview guest photo (admin interview form)"

    def send(self, filename, content):
        start = timezone.localtime() + timedelta(days=3)
        data = {
            "site": Site.objects.get(site_code="5201020001").pk,
            "unit": Unit.objects.get(name="区教育局").pk,
            "title": MARK,
            "summary": "",
            "starts_at_0": start.strftime("%Y-%m-%d"),
            "starts_at_1": "10:00:00",
            "ends_at_0": start.strftime("%Y-%m-%d"),
            "ends_at_1": "11:00:00",
            "host_name": "主持人",
            "guests-TOTAL_FORMS": 1,
            "guests-INITIAL_FORMS": 0,
            "guests-MIN_NUM_FORMS": 0,
            "guests-MAX_NUM_FORMS": 1000,
            "guests-0-position": 0,
            "guests-0-name": "刘芳",
            "guests-0-title": "区教育局副局长",
        }
        return post(
            staff("edu_liaison"),
            reverse("admin:interaction_interview_add"),
            data,
            [("guests-0-photo", filename, content)],
        )

    def stored(self):
        return (
            Interview.objects.filter(title=MARK).count()
            + Guest.objects.filter(interview__title=MARK).count()
        )

    def stored_names(self):
        return [g.photo.name for g in Guest.objects.filter(interview__title=MARK).order_by("pk")]


class FormValues(HTMLParser):
    """The values a browser would send back from a page's form, as it stands."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit", "button"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.values.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.setdefault(self._select, []).append(attrs.get("value") or "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data


class SiteLogo(Point):
    name = "site logo (admin site form)"

    def setup(self):
        self.site = Site.objects.get(site_code="5201020001")
        self.url = reverse("admin:columns_site_change", args=[self.site.pk])
        self.names = []

    def send(self, filename, content):
        client = staff("operator")
        form = FormValues()
        form.feed(client.get(self.url).content.decode())
        fields = {k: v for k, v in form.values.items() if k != "logo-clear"}
        return post(client, self.url, fields, [("logo", filename, content)])

    def stored(self):
        self.site.refresh_from_db()
        return len(self.names) + bool(self.site.logo)

    def stored_names(self):
        self.site.refresh_from_db()
        return [*self.names, self.site.logo.name]

    def after_accept(self):
        self.names.append(self.site.logo.name)
        Site.objects.filter(pk=self.site.pk).update(logo="")


class MessagePicture(Point):
    name = "message picture (citizen mailbox form)"
    accepted_types = ("jpg", "jpeg", "png")

    def limit(self):
        return image_max_bytes()

    def send(self, filename, content):
        data = form_data(subject=MARK)
        return post(
            Client(HTTP_HOST="localhost"),
            "/interaction/messages/new/",
            data,
            [("images", filename, content)],
        )

    def stored(self):
        return (
            Message.objects.filter(subject=MARK).count()
            + MessageImage.objects.filter(message__subject=MARK).count()
        )

    def stored_names(self):
        return [
            i.image.name for i in MessageImage.objects.filter(message__subject=MARK).order_by("pk")
        ]


class Screenshot(Point):
    name = "spot-check screenshot (inspector's campaign page)"

    def setup(self):
        self.unit = Unit.objects.get(name="区教育局")
        self.campaign = campaign_with(
            lambda name: get_user_model().objects.get(username=name),
            year=2041,
            quarter=1,
            units_drawn=[self.unit],
        )

    def send(self, filename, content):
        data = {
            "unit": self.unit.pk,
            "category": "stale_column",
            "description": "教育动态栏目超过两周未更新。",
            "evidence_url": "",
            "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        }
        url = reverse("admin:monitoring_spotcheckcampaign_act", args=[self.campaign.pk, "problem"])
        return post(staff("inspector"), url, data, [("screenshot", filename, content)], follow=True)

    def stored(self):
        return SpotCheckProblem.objects.filter(campaign=self.campaign).count()

    def stored_names(self):
        return [
            p.screenshot.name
            for p in SpotCheckProblem.objects.filter(campaign=self.campaign).order_by("pk")
        ]


class SelfExamination(Point):
    name = "written self-examination (unit's supervision page)"
    kind = "attachment"
    accepted_types = tuple(GENUINE)

    def setup(self):
        edu = Unit.objects.get(name="区教育局")
        user = lambda name: get_user_model().objects.get(username=name)  # noqa: E731
        clock = _Clock()
        fail_campaign(user, clock, year=2042, quarter=1, failing=edu)
        fail_campaign(user, clock, year=2042, quarter=2, failing=edu)
        clock.undo()
        self.flag = SpecialSupervision.objects.get(unit=edu)
        self.names = []

    def send(self, filename, content):
        url = reverse("admin:monitoring_specialsupervision_act", args=[self.flag.pk, "submit"])
        return post(
            staff("edu_liaison"), url, {}, [("self_examination", filename, content)], follow=True
        )

    def stored(self):
        self.flag.refresh_from_db()
        return len(self.names) + (self.flag.status == "submitted")

    def stored_names(self):
        self.flag.refresh_from_db()
        return [*self.names, self.flag.self_examination.name]

    def after_accept(self):
        # The inspector sends it back, so the unit may upload again.
        self.names.append(self.flag.self_examination.name)
        inspections.decide_supervision(
            supervision=self.flag,
            by=get_user_model().objects.get(username="inspector"),
            clear=False,
        )


class _Clock:
    """fail_campaign's clock: moves django.utils.timezone.now forward, and back."""

    def __init__(self):
        self.real = timezone.now
        self.offset = timedelta()

    def move(self, **delta):
        self.offset += timedelta(**delta)
        timezone.now = lambda: self.real() + self.offset

    def undo(self):
        timezone.now = self.real


POINTS = [
    SiteLogo,
    ArticleCover,
    ArticleAttachment,
    ServiceForm,
    GuestPhoto,
    MessagePicture,
    Screenshot,
    SelfExamination,
]


@pytest.fixture
def media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INTERACTION_SUBMISSIONS_PER_HOUR = 10_000
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    return tmp_path


@pytest.fixture(scope="session", autouse=True)
def _summary(request):
    """Prints the tally once, at the end of the run (the module may be set up twice)."""
    yield
    if not RESULTS:
        return
    points = {p for p, _ in RESULTS}
    attacks = {a for p, a in RESULTS if RESULTS[(p, a)] in ("refused", "ACCEPTED")}
    failed = {k: v for k, v in RESULTS.items() if v not in ("refused", "stored safely")}
    refusals = sum(v == "refused" for v in RESULTS.values())
    line = (
        f"security uploads: {len(points)} upload points × {len(attacks)} attacks = "
        f"{refusals + sum(v == 'ACCEPTED' for v in RESULTS.values())} attack checks, "
        f"{sum(v == 'ACCEPTED' for v in RESULTS.values())} accepted; "
        f"{sum(v == 'stored safely' for v in RESULTS.values())} genuine/odd-name files stored "
        f"safely; {len(failed)} failed"
    )
    print_summary(request, line)
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "security-uploads.json").write_text(
        json.dumps(
            {"summary": line, "results": {" / ".join(k): v for k, v in RESULTS.items()}},
            ensure_ascii=False,
            indent=2,
        )
    )


def run_point(point):
    problems = []

    def check(attack, filename, content, says=None):
        rows, files = point.stored(), media_files()
        response = point.send(filename, content)
        if says is None:  # must be accepted and stored safely
            root = Path(live_settings.MEDIA_ROOT).resolve()
            names = point.stored_names()
            new_files = media_files() - files
            outcome = "stored safely"
            if point.stored() <= rows or not new_files:
                outcome = f"FAILED: not accepted ({errors_in(response) or response.status_code})"
            elif not (names and SAFE_NAME.match(names[-1]) and ".." not in names[-1]):
                outcome = f"FAILED: stored as {names[-1:]}"
            elif any(root not in f.resolve().parents for f in new_files):
                outcome = f"FAILED: written outside MEDIA_ROOT: {new_files}"
            elif any(p.is_file() for p in root.parent.rglob("*") if root not in p.parents):
                outcome = "FAILED: a file appeared beside MEDIA_ROOT"
            else:
                point.after_accept()
        else:
            errors = errors_in(response)
            outcome = "refused"
            if response.status_code >= 500:
                outcome = f"FAILED: server error {response.status_code}"
            elif point.stored() != rows or media_files() != files:
                outcome = "ACCEPTED"
            elif not any(fragment in e for e in errors for fragment in says):
                outcome = f"FAILED: no clear Chinese message, got {errors}"
        RESULTS[(point.name, attack)] = outcome
        if outcome not in ("refused", "stored safely"):
            problems.append(f"{attack} ({filename!r}): {outcome}")

    point.setup()
    for attack in ATTACKS:
        check(attack.name, *attack.make(point.kind), says=attack.says)
    check(OVERSIZE, *oversize(point), says=SIZE)
    check("path traversal ../../etc/passwd", *traversal(point.kind))
    check("markup in the file name", *markup_name(point.kind))
    for extension in point.accepted_types:
        check(f"genuine .{extension}", *GENUINE[extension]())
    return problems


@pytest.mark.parametrize("point", POINTS, ids=lambda p: p.__name__)
def test_upload_point_refuses_bad_files_and_stores_nothing(point, media, demo):
    problems = run_point(point())
    assert not problems, "\n".join(problems)


def test_uploaded_evidence_is_served_as_its_own_type_and_never_sniffed(media, demo):
    """The admin's file view is the one place Django itself serves an upload (nginx serves
    /media/): it must name the real type and forbid sniffing."""
    point = Screenshot()
    point.setup()
    point.send("截图.png", picture())
    problem = SpotCheckProblem.objects.get(campaign=point.campaign)
    response = staff("inspector").get(
        reverse("admin:monitoring_spotcheckproblem_screenshot", args=[problem.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"

    exam = SelfExamination()
    exam.setup()
    exam.send("书面检查.pdf", PDF)
    response = staff("inspector").get(
        reverse("admin:monitoring_specialsupervision_self_examination", args=[exam.flag.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_nginx_serves_media_unsniffed_and_sandboxed():
    for conf in ("portal-public.conf", "portal-admin.conf"):
        text = (ROOT / "deploy" / "nginx" / conf).read_text()
        block = re.search(r"location /internal-media/ \{(.*?)\}", text, re.S).group(1)
        assert "add_header X-Content-Type-Options nosniff;" in block, conf
        assert "sandbox" in block and "default-src 'none'" in block, conf

"""Private files stay private (issue 15, item 2).

Every file-bearing model, through /media/<name> as the public and the staff reach it: the file
of an object that is not public answers 404 to an anonymous visitor and to another unit's
staff (404, not 403: a refusal would confirm the file exists) and 200 to staff who may see the
object; files of published content answer everyone, until the content is withdrawn or expires.
Stored names carry a random folder, pictures lose their EXIF, and in production the view only
answers X-Accel-Redirect for nginx. Prints a tally of the checks.
"""

import io
import json
import re
from datetime import timedelta
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.utils import timezone
from PIL import Image

from columns import media
from columns.models import Column, Site, Unit
from interaction import services as mailbox
from interaction.models import MessageImage
from interaction.participation import services as participation
from interaction.participation.models import Guest, Interview
from monitoring.inspections import services as inspections
from monitoring.inspections.models import SpecialSupervision, SpotCheckProblem
from portal.platform_apps import PLATFORM_APPS
from publishing import services as publishing
from publishing.models import Article, ArticleStatus, Attachment, ServiceDocument, ServiceItem

from ..interaction.test_submission import form_data
from ..monitoring.test_inspections import campaign_with
from .reporting import print_summary
from .test_web_security import publish_through_review

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: (model, who) -> "ok" or "FAILED: ..."
RESULTS = {}
#: Where the GPS position of the test photo points: 贵阳, 26°35'N 106°42'E.
GPS = {1: "N", 2: (26.0, 35.0, 0.0), 3: "E", 4: (106.0, 42.0, 0.0)}


def picture(fmt="PNG", size=(24, 16), exif=None):
    buffer = io.BytesIO()
    extra = {"exif": exif.tobytes()} if exif is not None else {}
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt, **extra)
    return buffer.getvalue()


def photo_with_gps():
    """A phone photo: GPS position, camera make, taken sideways (orientation 6: rotate 90°)."""
    exif = Image.Exif()
    exif[0x010F] = "CitizenPhone"
    exif[0x0112] = 6
    exif[0x8825] = GPS
    return picture("JPEG", size=(40, 20), exif=exif)


def user(name):
    return get_user_model().objects.get(username=name)


def visitor(name=None):
    client = Client(HTTP_HOST="localhost")
    if name:
        client.force_login(user(name), backend="django.contrib.auth.backends.ModelBackend")
    return client


def edu_column():
    return Column.objects.get(site__site_code="5201020001", slug="edu-news")


def edu():
    return Unit.objects.get(name="区教育局")


def draft(title="未经审核的草稿"):
    author = user("edu_liaison")
    column = edu_column()
    return publishing.save_article(
        article=Article(
            title=title,
            body="<p>正文</p>",
            column=column,
            unit=column.unit,
            author=author,
            cover_image=SimpleUploadedFile("封面.png", picture()),
            cover_alt="封面图片",
        ),
        by=author,
    )


# --- one non-public object with a file per model: (file, staff who may read, other unit) ----


def draft_cover():
    return draft().cover_image, ["edu_liaison", "edu_head", "operator"], "fin_liaison"


def draft_attachment():
    attachment = Attachment.objects.create(
        article=draft(), file=SimpleUploadedFile("内部征求意见稿.pdf", PDF)
    )
    return attachment.file, ["edu_liaison", "edu_head", "inspector"], "fin_liaison"


def unpublished_form():
    item = ServiceItem.objects.create(
        site=Site.objects.get(site_code="5201020001"),
        unit=edu(),
        name="教师资格认定",
        legal_basis="《教师资格条例》",
        conditions="符合条件的申请人",
        procedure="申请\n受理\n决定",
        time_limit="20个工作日",
        office="区政务服务中心",
        contact="0851-00000000",
        is_published=False,
    )
    document = ServiceDocument.objects.create(
        item=item, kind="blank_form", title="申请表", file=SimpleUploadedFile("申请表.pdf", PDF)
    )
    return document.file, ["edu_liaison", "operator"], "fin_liaison"


def message_photo():
    """A citizen's photo on a message the dispatcher routed to 区教育局; never public."""
    message, _ = mailbox.submit_message(
        site=Site.objects.get(site_code="5201020001"),
        kind="complaint",
        subject="学校门口占道",
        content="上学时段学校门口车辆占道，附照片。",
        name="李四",
        phone="13900002222",
        images=[SimpleUploadedFile("现场.jpg", photo_with_gps())],
    )
    mailbox.route(message=message, by=user("dispatcher"), unit=edu())
    image = MessageImage.objects.get(message=message)
    return image.image, ["dispatcher", "edu_liaison", "edu_head"], "fin_liaison"


def unannounced_guest():
    start = timezone.now() + timedelta(days=3)
    interview = Interview.objects.create(
        site=Site.objects.get(site_code="5201020001"),
        unit=edu(),
        title="义务教育招生政策解读",
        created_by=user("edu_liaison"),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    guest = Guest.objects.create(
        interview=interview,
        name="刘芳",
        title="区教育局副局长",
        photo=SimpleUploadedFile("嘉宾.png", picture()),
    )
    return guest.photo, ["edu_liaison", "operator"], "fin_liaison"


def spot_check_screenshot():
    campaign = campaign_with(user, year=2043, quarter=1, units_drawn=[edu()])
    problem = inspections.record_problem(
        campaign=campaign,
        unit=edu(),
        category="stale_column",
        description="教育动态栏目超过两周未更新。",
        deadline=timezone.localdate() + timedelta(days=10),
        recorded_by=user("inspector"),
        screenshot=SimpleUploadedFile("截图.png", picture()),
    )
    problem = SpotCheckProblem.objects.get(pk=problem.pk)
    return problem.screenshot, ["inspector", "edu_liaison"], "fin_liaison"


def self_examination():
    first = campaign_with(user, year=2044, quarter=1, units_drawn=[edu()])
    second = campaign_with(user, year=2044, quarter=2, units_drawn=[edu()])
    supervision = SpecialSupervision.objects.create(
        unit=edu(), campaign=second, previous_campaign=first
    )
    inspections.submit_self_examination(
        supervision=supervision,
        document=SimpleUploadedFile("书面检查.pdf", PDF),
        by=user("edu_liaison"),
    )
    supervision.refresh_from_db()
    return supervision.self_examination, ["inspector", "edu_liaison"], "fin_liaison"


PRIVATE = {
    "Article.cover_image (draft)": draft_cover,
    "Attachment.file (draft)": draft_attachment,
    "ServiceDocument.file (unpublished item)": unpublished_form,
    "MessageImage.image (routed message)": message_photo,
    "Guest.photo (unannounced interview)": unannounced_guest,
    "SpotCheckProblem.screenshot": spot_check_screenshot,
    "SpecialSupervision.self_examination": self_examination,
}


@pytest.fixture
def stored(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ACCEL_REDIRECT = False
    settings.INTERACTION_SUBMISSIONS_PER_HOUR = 10_000
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    return tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _summary(request):
    yield
    if not RESULTS:
        return
    failed = sorted(k for k, v in RESULTS.items() if v != "ok")
    line = (
        f"security private files: {len({m for m, _ in RESULTS})} files and cases × their "
        f"readers = {len(RESULTS)} checks, {len(failed)} failed"
    )
    print_summary(request, line)
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "security-private-files.json").write_text(
        json.dumps(
            {"summary": line, "results": {" / ".join(k): v for k, v in RESULTS.items()}},
            ensure_ascii=False,
            indent=2,
        )
    )


def fetch(client, upload):
    return client.get(upload.url)


def check(label, who, response, status, content=None):
    outcome = "ok"
    if response.status_code != status:
        outcome = f"FAILED: {response.status_code}, expected {status}"
    elif content is not None and b"".join(response.streaming_content) != content:
        outcome = "FAILED: not the stored file"
    RESULTS[(label, who)] = outcome
    return outcome


@pytest.mark.parametrize("label", PRIVATE)
def test_a_non_public_objects_file_is_only_for_staff_who_may_see_the_object(label, stored, demo):
    upload, readers, other_unit = PRIVATE[label]()
    content = Path(upload.path).read_bytes()
    outcomes = {
        "anonymous": check(label, "anonymous", fetch(visitor(), upload), 404),
        other_unit: check(label, other_unit, fetch(visitor(other_unit), upload), 404),
    }
    for reader in readers:
        outcomes[reader] = check(label, reader, fetch(visitor(reader), upload), 200, content)
    assert all(v == "ok" for v in outcomes.values()), outcomes


def test_an_unknown_name_and_a_private_one_answer_alike(stored, demo):
    upload, _, _ = draft_attachment()
    folder = PurePosixPath(upload.name).parent.name
    private = fetch(visitor(), upload)
    unknown = visitor().get(upload.url.replace(folder, "x" * len(folder)))
    assert private.status_code == unknown.status_code == 404
    # The 404 page quotes the path it was asked for; otherwise the answers are the same.
    assert private.content.replace(folder.encode(), b"x" * len(folder)) == unknown.content


def test_a_published_articles_files_are_public_until_withdrawn(stored, demo):
    article = publish_through_review("关于开展校园安全检查的通知", "<p>正文</p>")
    assert article.status == ArticleStatus.PUBLISHED
    attachment = Attachment.objects.create(
        article=article, file=SimpleUploadedFile("检查方案.pdf", PDF)
    )
    public = fetch(visitor(), attachment.file)
    assert check("Attachment.file (published)", "anonymous", public, 200, PDF) == "ok"
    assert public["Content-Disposition"] == "attachment; filename*=utf-8''" + (
        "%E6%A3%80%E6%9F%A5%E6%96%B9%E6%A1%88.pdf"
    )
    assert public["Cache-Control"].startswith("public")
    assert public["X-Content-Type-Options"] == "nosniff"

    publishing.withdraw(article=article, by=user("edu_liaison"), reason="内容有误")
    withdrawn = fetch(visitor(), attachment.file)
    assert check("Attachment.file (withdrawn)", "anonymous", withdrawn, 404) == "ok"
    assert fetch(visitor("edu_liaison"), attachment.file).status_code == 200


def test_an_expired_articles_attachment_is_no_longer_public(stored, demo):
    article = publish_through_review("2026年寒假放假安排", "<p>正文</p>")
    attachment = Attachment.objects.create(
        article=article, file=SimpleUploadedFile("放假安排.pdf", PDF)
    )
    assert fetch(visitor(), attachment.file).status_code == 200
    Article.objects.filter(pk=article.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    publishing.expire_due_articles()
    expired = fetch(visitor(), attachment.file)
    assert check("Attachment.file (expired)", "anonymous", expired, 404) == "ok"


def test_files_of_published_forms_interviews_and_site_logos_are_public(stored, demo):
    form, _, _ = unpublished_form()
    ServiceItem.objects.filter(documents__file=form.name).update(is_published=True)
    photo, _, _ = unannounced_guest()
    interview = Guest.objects.get(photo=photo.name).interview
    participation.publish_interview(interview=interview, by=user("edu_liaison"))
    site = Site.objects.get(site_code="5201020001")
    site.logo = SimpleUploadedFile("标志.png", picture())
    site.save()
    for label, upload in [
        ("ServiceDocument.file (published item)", form),
        ("Guest.photo (announced interview)", photo),
        ("Site.logo", site.logo),
    ]:
        assert check(label, "anonymous", fetch(visitor(), upload), 200) == "ok", label


def test_every_file_field_of_the_platform_is_registered():
    """A file field nobody registered would be served to nobody; one registered twice or
    with a storage of its own would escape the random names and the metadata stripping."""
    fields = {
        (model, field.name)
        for config in apps.get_app_configs()
        if config.name in PLATFORM_APPS
        for model in config.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert fields == {(holder.model, holder.field) for holder in media.registered()}
    assert len(fields) == 10
    for model, name in fields:
        assert type(model._meta.get_field(name).storage).__name__ != "FileSystemStorage"


RANDOM_FOLDER = re.compile(r"^[A-Za-z0-9_-]{16,}$")


def test_stored_names_cannot_be_guessed_and_keep_the_original_name(stored, demo):
    names = []
    for make in PRIVATE.values():
        upload, _, _ = make()
        names.append(upload.name)
    second = Attachment.objects.create(
        article=draft("第二份草稿"), file=SimpleUploadedFile("内部征求意见稿.pdf", PDF)
    )
    first = Attachment.objects.exclude(pk=second.pk).get(file__endswith="内部征求意见稿.pdf")
    for name in names + [second.file.name]:
        folder = PurePosixPath(name).parent.name
        assert RANDOM_FOLDER.match(folder), name
    assert PurePosixPath(second.file.name).name == "内部征求意见稿.pdf"
    assert PurePosixPath(first.file.name).parent != PurePosixPath(second.file.name).parent


def test_a_citizens_photo_is_stored_without_exif_and_upright(stored, demo):
    response = Client(HTTP_HOST="localhost").post(
        "/interaction/messages/new/",
        form_data(
            subject="路灯损坏",
            images=[SimpleUploadedFile("路灯.jpg", photo_with_gps(), content_type="image/jpeg")],
        ),
    )
    assert response.status_code == 302
    image = MessageImage.objects.get(message__subject="路灯损坏")
    raw = Path(image.image.path).read_bytes()
    with Image.open(io.BytesIO(raw)) as stored_picture:
        assert dict(stored_picture.getexif()) == {}
        assert "exif" not in stored_picture.info
        assert stored_picture.size == (20, 40), "the orientation is applied, not dropped"
    assert b"CitizenPhone" not in raw
    RESULTS[("MessageImage.image EXIF", "stored")] = "ok"


def test_every_uploaded_picture_loses_its_metadata(stored, demo):
    cover = draft().cover_image
    exif = Image.Exif()
    exif[0x8825] = GPS
    attachment = Attachment.objects.create(
        article=draft("带照片的草稿"),
        file=SimpleUploadedFile("现场.jpg", picture("JPEG", exif=exif)),
    )
    for upload in (cover, attachment.file):
        with Image.open(upload.path) as stored_picture:
            assert not stored_picture.getexif().get_ifd(0x8825), upload.name


def test_in_production_nginx_sends_the_file_after_the_check(stored, demo, settings):
    settings.MEDIA_ACCEL_REDIRECT = True
    upload, readers, other_unit = message_photo()
    allowed = fetch(visitor(readers[0]), upload)
    assert allowed.status_code == 200
    assert upload.name.endswith("/现场.jpg")
    assert allowed["X-Accel-Redirect"] == "/internal-media/" + quote(upload.name)
    assert allowed.content == b""
    assert allowed["Content-Type"] == "image/jpeg"
    assert allowed["Cache-Control"] == "private, no-store"
    for refused in (visitor(), visitor(other_unit)):
        response = fetch(refused, upload)
        assert response.status_code == 404 and "X-Accel-Redirect" not in response
    RESULTS[("MessageImage.image (production)", "X-Accel-Redirect")] = "ok"


def test_no_nginx_site_serves_the_media_folder_itself():
    for conf in ("portal-public.conf", "portal-admin.conf"):
        text = (ROOT / "deploy" / "nginx" / conf).read_text()
        assert "location /media/" not in text, conf
        block = re.search(r"location /internal-media/ \{(.*?)\}", text, re.S).group(1)
        assert "internal;" in block and "alias /srv/portal/media/;" in block, conf
        assert text.count("/srv/portal/media/") == 1, conf

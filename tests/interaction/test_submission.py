"""The citizen's form: a message stored once with a tracking code and query password shown
once and e-mailed; the footer's 「我为政府网站找错」 entry; bad input refused in Chinese with
nothing stored; citizen text through the content checker."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from columns.models import Notification
from columns.tasks import send_pending_notification_emails
from interaction.models import DeadlineChange, Message, MessageImage, MessageStatus
from tests.soak.servers import free_port

pytestmark = pytest.mark.django_db

URL = "/interaction/messages/new/"


def form_data(**overrides):
    data = {
        "kind": "consultation",
        "channel": "unified",
        "unit": "",
        "subject": "幼儿园入园年龄咨询",
        "content": "请问今年秋季入园的年龄要求是怎样的？",
        "page_url": "",
        "name": "李四",
        "phone": "13900002222",
        "email": "lisi@example.com",
        "publish_allowed": "on",
        "captcha_0": "test-key",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def png(size=(20, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def errors_of(response):
    return response.content.decode()


@pytest.fixture
def new_messages(demo):
    """The messages stored since the test began (the demo has its own)."""
    before = set(Message.objects.values_list("pk", flat=True))
    return lambda: Message.objects.exclude(pk__in=before)


def test_citizen_gets_code_and_password_once_and_by_mail(
    client, new_messages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(), follow=True)
    page = response.content.decode()
    message = new_messages().get()
    assert response.redirect_chain[-1][0] == "/interaction/messages/new/done/"
    assert message.tracking_code in page
    password = page.split('id="query-password">')[1].split("<")[0]
    assert len(password) == 8 and password not in message.query_password
    assert message.status == MessageStatus.RECEIVED
    assert message.deadline_version == 1
    assert DeadlineChange.objects.get(message=message).reason == "receipt"
    (to_citizen,) = [m for m in mail.outbox if m.to == ["lisi@example.com"]]
    assert message.tracking_code in to_citizen.body and password in to_citizen.body
    # Shown once: the page does not show the password again.
    again = client.get("/interaction/messages/new/done/", follow=True)
    assert password not in again.content.decode()
    # The dispatcher hears of it.
    assert Notification.objects.filter(
        kind="message_received", recipient__username="dispatcher"
    ).exists()


def test_footer_find_error_link_presets_the_type_and_page(client, demo):
    home = client.get("/columns/news/?page=1").content.decode()
    assert "/interaction/messages/new/?type=site_error&amp;url=/columns/news/" in home
    page = client.get(URL, {"type": "site_error", "url": "/columns/news/?page=1"})
    html = page.content.decode()
    assert '<option value="site_error" selected>' in html
    assert 'value="http://localhost/columns/news/"' in html


def test_find_error_link_does_not_nest_on_the_form_itself(client, demo):
    """A crawler following 找错 from the form it opens found ~3,500 ever longer addresses."""
    first = client.get(URL, {"type": "site_error", "url": "/columns/news/"}).content.decode()
    link = re.search(r'class="find-error" href="([^"]+)"', first).group(1)
    second = client.get(link.replace("&amp;", "&")).content.decode()
    assert re.search(r'class="find-error" href="([^"]+)"', second).group(1) == link
    assert link == "/interaction/messages/new/?type=site_error&amp;url=/interaction/messages/new/"


def test_writing_a_message_preselects_no_type(client, demo):
    html = client.get(URL).content.decode()
    kind = re.search(r'<select name="kind".*?</select>', html, re.S).group(0)
    assert '<option value="" selected>' in kind
    assert kind.count("selected") == 1
    response = client.post(URL, form_data(kind=""))
    assert response.status_code == 200
    assert "这个字段是必须的" in response.content.decode()
    assert not Message.objects.filter(subject="幼儿园入园年龄咨询").exists()


def test_unit_mailbox_link_presets_the_unit(client, unit_named):
    edu = unit_named("区教育局")
    html = client.get(URL, {"unit": edu.pk}).content.decode()
    assert f'<option value="{edu.pk}" selected>' in html
    assert '<option value="unit" selected>' in html


def test_images_are_stored_with_the_message(client, demo):
    response = client.post(
        URL, form_data(images=[SimpleUploadedFile("photo.png", png(), "image/png")])
    )
    assert response.status_code == 302
    assert MessageImage.objects.filter(message__subject="幼儿园入园年龄咨询").count() == 1


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"subject": "", "content": ""}, "这个字段是必须的"),
        ({"name": ""}, "这个字段是必须的"),
        ({"phone": "abc"}, "请填写只含数字的电话号码"),
        ({"content": "很" * 3001}, "最多 3000 个字"),
        ({"captcha_1": "wrong"}, "计算结果不正确"),
        ({"channel": "unit", "unit": ""}, "请选择您要写信的单位"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(
    client, new_messages, overrides, expected
):
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 200
    assert expected in errors_of(response)
    assert not new_messages().exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (SimpleUploadedFile("doc.pdf", b"%PDF-1.4", "application/pdf"), "只能上传 JPG 和 PNG"),
        (SimpleUploadedFile("fake.png", b"not an image at all", "image/png"), "无法识别为图片"),
        (
            SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 1), "image/png"),
            "每张图片不能超过",
        ),
    ],
)
def test_wrong_images_are_refused_and_nothing_is_stored(client, new_messages, upload, expected):
    response = client.post(URL, form_data(images=[upload]))
    assert expected in errors_of(response)
    assert not new_messages().exists()
    assert not MessageImage.objects.filter(message__in=new_messages()).exists()


def test_too_many_submissions_from_one_address(client, new_messages, settings):
    settings.INTERACTION_SUBMISSIONS_PER_HOUR = 2
    for index in range(2):
        assert client.post(URL, form_data(subject=f"第{index}条")).status_code == 302
    response = client.post(URL, form_data(subject="第三条"))
    assert "一小时内从您的网络地址提交的留言过多" in errors_of(response)
    assert new_messages().count() == 2
    # Another address is not affected.
    other = client.post(URL, form_data(subject="别处"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_text_with_a_blocking_finding_is_held_for_the_dispatcher(client, new_messages):
    client.post(URL, form_data(content="我手上有一份内部资料，内容涉及拆迁补偿。"))
    message = new_messages().get()
    assert message.status == MessageStatus.HELD
    assert any(f["rule"] == "secret_marker" for f in message.moderation_findings)
    assert Notification.objects.filter(
        kind="message_received", recipient__username="dispatcher", title__contains="待审查"
    ).exists()


def test_warning_findings_do_not_hold_a_message(client, new_messages):
    client.post(URL, form_data(content="中华人民共合国的政策我想咨询一下。"))
    message = new_messages().get()
    assert message.status == MessageStatus.RECEIVED
    assert message.moderation_findings and all(
        f["severity"] == "warn" for f in message.moderation_findings
    )


def test_a_dead_mail_server_does_not_turn_a_stored_message_into_an_error(
    client, new_messages, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data())
    message = new_messages().get()
    assert response.status_code == 302, "the citizen is told it was received, as it was"
    pending = Notification.objects.filter(kind="message_received", url__contains=str(message.pk))
    assert pending.exists() and not pending.filter(emailed=True).exists()

    # The mail server is back; five minutes on, the beat task sends what was lost, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    pending.update(created_at=message.received_at - timedelta(minutes=6))
    assert send_pending_notification_emails.apply().get() == pending.count()
    assert send_pending_notification_emails.apply().get() == 0
    assert len(mail.outbox) == pending.count()
    assert all(message.subject in m.subject for m in mail.outbox)
    assert not pending.filter(emailed=False).exists()

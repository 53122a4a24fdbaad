"""The public side: the guide links to the form, an application is stored once with a tracking
code and hashed password, bad input is refused with a clear message and nothing stored, and
the tracking page shows the status, then the reply and the 告知书 — never the applicant."""

import io

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.utils.translation import gettext_lazy as _
from PIL import Image

from disclosure import services
from disclosure.models import DisclosureRequest, RequestStatus

from .conftest import ID_NUMBER

pytestmark = pytest.mark.django_db

APPLY = "/disclosure/apply/"


def form_data(**overrides):
    data = {
        "applicant_type": "person",
        "name": "李四海",
        "id_type": "id_card",
        "id_number": ID_NUMBER,
        "phone": "13711112222",
        "email": "lisihai@example.com",
        "address": "",
        "unit": "",
        "description": "示例区2025年度老旧小区改造项目清单",
        "purpose": "",
        "delivery_form": "email",
        "captcha_0": "any",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def test_the_guide_and_the_section_link_to_the_form(client, demo):
    guide = client.get("/xxgk/guide/").content.decode()
    assert 'href="/disclosure/apply/"' in guide
    index = client.get("/disclosure/").content.decode()
    assert 'href="/disclosure/apply/"' in index
    assert client.get(APPLY).status_code == 200


def test_application_is_stored_once_with_code_and_hashed_password(
    client, demo, unit_named, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            APPLY, form_data(unit=unit_named("区教育局").pk), REMOTE_ADDR="10.9.0.1"
        )
    assert response.status_code == 302 and response["Location"] == "/disclosure/apply/done/"
    done = client.get("/disclosure/apply/done/").content.decode()
    request = DisclosureRequest.objects.get(phone="13711112222")
    assert request.tracking_code in done
    assert request.status == RequestStatus.ASSIGNED and request.unit.name == "区教育局"
    assert request.submitter_ip == "10.9.0.1" and request.channel == "online"
    assert not request.query_password.startswith("PASS") and len(request.query_password) > 40
    to_applicant = [m for m in mail.outbox if m.to == ["lisihai@example.com"]]
    assert len(to_applicant) == 1 and request.tracking_code in to_applicant[0].body


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"id_number": ""}, 'href="#id_id_number"'),
        (
            {"id_number": "110105194912310021"},
            _("This is not a valid resident identity card number: check its 18 characters."),
        ),
        (
            {"applicant_type": "commercial", "id_type": "id_card"},
            _(
                "A person gives a personal identity document; an organisation its unified "
                "social credit code."
            ),
        ),
        ({"captcha_1": "7"}, 'href="#id_captcha_1"'),
        (
            {"delivery_form": "paper"},
            _("Give the postal address the information should be sent to."),
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(client, demo, overrides, expected):
    before = DisclosureRequest.objects.count()
    response = client.post(APPLY, form_data(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page and str(expected) in page
    assert DisclosureRequest.objects.count() == before


def test_a_false_picture_is_refused(client, demo):
    fake = io.BytesIO(b"%PDF-1.4 not a picture")
    fake.name = "身份证.jpg"
    before = DisclosureRequest.objects.count()
    response = client.post(APPLY, {**form_data(), "images": fake})
    assert 'id="error-summary"' in response.content.decode()
    assert DisclosureRequest.objects.count() == before


def test_a_real_picture_is_kept(client, demo):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "身份证.jpg"
    client.post(APPLY, {**form_data(), "images": buffer})
    assert DisclosureRequest.objects.get(phone="13711112222").attachments.count() == 1


def test_submissions_are_limited_per_address(client, demo, settings):
    settings.INTERACTION_SUBMISSIONS_PER_HOUR = 1
    client.post(APPLY, form_data(), REMOTE_ADDR="10.9.0.2")
    response = client.post(APPLY, form_data(), REMOTE_ADDR="10.9.0.2")
    assert 'id="error-summary"' in response.content.decode()
    assert DisclosureRequest.objects.filter(submitter_ip="10.9.0.2").count() == 1


def test_tracking_shows_status_then_reply_and_notice_never_the_applicant(
    client, assigned, user_named, django_capture_on_commit_callbacks
):
    request = assigned(name="王小明", phone="13900002222")
    password = "ABCDEFGH"
    DisclosureRequest.objects.filter(pk=request.pk).update(query_password=make_password(password))
    wrong = client.post("/disclosure/track/", {"code": request.tracking_code, "password": "X"})
    assert 'id="error-summary"' in wrong.content.decode()
    client.post("/disclosure/track/", {"code": request.tracking_code, "password": password})
    page = client.get("/disclosure/track/status/").content.decode()
    assert 'id="request-status"' in page and 'id="request-due"' in page
    assert "notice-download" not in page
    assert client.get("/disclosure/track/notice/").status_code == 404
    services.draft_reply(
        request=request,
        by=user_named("edu_liaison"),
        reply_type="partial",
        ground="process",
        body="附：布局调整方案（公开部分）",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_reply(request=request, by=user_named("edu_head"))
    answered_mail = [m for m in mail.outbox if m.to == ["wangxm@example.com"]]
    assert len(answered_mail) == 1 and "第三十七条" in answered_mail[0].body
    page = client.get("/disclosure/track/status/").content.decode()
    assert "第三十七条" in page and "第十六条第二款" in page and "notice-download" in page
    for personal in ("王小明", "13900002222", ID_NUMBER, "wangxm@example.com"):
        assert personal not in page
    download = client.get("/disclosure/track/notice/")
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.docx"')
    # Nobody else gets it: a fresh visitor has proven nothing.
    assert Client(HTTP_HOST="localhost").get("/disclosure/track/notice/").status_code == 404

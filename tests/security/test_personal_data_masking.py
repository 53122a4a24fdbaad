"""Personal data never published (issue 15 item 4): a citizen's ID number, phones, e-mails and
name typed in the message, and the name in the reply's greeting, are masked on every public
surface — the list, the detail page, both JSON APIs, the feeds and the search results — and
the dispatcher sees the masked version on the message's admin page before it goes out."""

import json

import pytest
from django.core.management import call_command

from columns.models import Column, Unit
from interaction import services
from interaction.models import Message

from .reporting import print_summary

pytestmark = pytest.mark.django_db

NAME = "欧阳明远"
OWN_PHONE = "13900001111"
OWN_EMAIL = "ouyang.mingyuan@example.com"
ID_NUMBER = "11010519491231002X"
OTHER_PHONE = "13812345678"
OTHER_EMAIL = "mingyuan.private@qq.com"
SUBJECT = f"{NAME}咨询入学"
CONTENT = (
    f"我是{NAME}，身份证号{ID_NUMBER}，电话{OWN_PHONE}，备用电话{OTHER_PHONE}，"
    f"邮箱{OWN_EMAIL}或{OTHER_EMAIL}。请问孩子入学需要哪些材料？"
)
REPLY = (
    f"{NAME}同志：您好！您反映的入学问题已收悉，请携带户口簿到学校报名。如有疑问请回电{OWN_PHONE}。"
)
RAW = {
    "name": NAME,
    "own phone": OWN_PHONE,
    "own e-mail": OWN_EMAIL,
    "ID number": ID_NUMBER,
    "other phone": OTHER_PHONE,
    "other e-mail": OTHER_EMAIL,
}
#: (surface, raw value) -> "masked" / "LEAKED"
RESULTS = {}


@pytest.fixture(scope="module", autouse=True)
def _summary(request):
    yield
    if RESULTS:
        surfaces = {surface for surface, _value in RESULTS}
        leaked = sorted(f"{s}: {v}" for (s, v), outcome in RESULTS.items() if outcome != "masked")
        print_summary(
            request,
            f"personal data masking: {len(surfaces)} public surfaces × {len(RAW)} values = "
            f"{len(RESULTS)} checks, {len(RESULTS) - len(leaked)} masked, {len(leaked)} leaked"
            + (f" ({'; '.join(leaked)})" if leaked else ""),
        )


@pytest.fixture
def published(demo, user_named):
    portal = demo
    message, _password = services.submit_message(
        site=portal,
        kind="consultation",
        subject=SUBJECT,
        content=CONTENT,
        name=NAME,
        phone=OWN_PHONE,
        email=OWN_EMAIL,
    )
    if message.status == "held":
        services.release(message=message, by=user_named("dispatcher"))
    services.route(
        message=message, by=user_named("dispatcher"), unit=Unit.objects.get(name="区教育局")
    )
    services.draft_reply(message=message, by=user_named("edu_liaison"), body=REPLY)
    services.approve_reply(message=message, by=user_named("edu_head"))
    message.refresh_from_db()
    assert message.is_public
    return message


def _text(response):
    assert response.status_code == 200, response.status_code
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _check(surface, text):
    for label, raw in RAW.items():
        RESULTS[(surface, label)] = "LEAKED" if raw.lower() in text.lower() else "masked"
    return [label for label, raw in RAW.items() if raw.lower() in text.lower()]


def test_public_surfaces_show_no_raw_personal_data(client, published, demo):
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    surfaces = {
        "public list": "/interaction/messages/",
        "detail page": published.get_absolute_url(),
        "open data API": "/api/messages/",
        "open data API item": f"/api/messages/{published.pk}/",
    }
    for column in Column.objects.filter(site=demo, parent__isnull=True):
        surfaces[f"feed {column.slug}"] = f"/columns/{column.path}/rss.xml"
    for label, raw in RAW.items():
        surfaces[f"search for {label}"] = f"/search/?q={raw}"
    leaks = {}
    shown_on_list = False
    for surface, url in surfaces.items():
        text = _text(client.get(url))
        if surface.startswith("search"):
            # The page repeats the query; what counts is the results list, and the message
            # must not be found by a raw value at all.
            text = text.split('class="search-list"', 1)[-1].split("</ol>", 1)[0] * (
                'class="search-list"' in text
            )
            assert published.get_absolute_url() not in text
        shown_on_list |= surface == "public list" and "入学" in text
        if leaked := _check(surface, text):
            leaks[surface] = leaked
    assert leaks == {}
    # The exchange is still published, only masked.
    assert shown_on_list
    detail = client.get(published.get_absolute_url()).content.decode()
    assert "欧***同志" in detail and "110105********002X" in detail
    assert "139****1111" in detail and "138****5678" in detail and "o***@example.com" in detail
    # Masking changes what is published, not the record the unit answered.
    stored = Message.objects.get(pk=published.pk)
    assert (stored.subject, stored.content, stored.reply_body) == (SUBJECT, CONTENT, REPLY)


def test_dispatcher_sees_the_masked_version_before_it_is_published(demo, login_as):
    message, _password = services.submit_message(
        site=demo,
        kind="consultation",
        subject=SUBJECT,
        content=CONTENT,
        name=NAME,
        phone=OWN_PHONE,
        email=OWN_EMAIL,
    )
    page = login_as("dispatcher").get(f"/admin/interaction/message/{message.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="public-preview"' in html
    preview = html.split('class="public-preview"', 1)[1].split("</section>", 1)[0]
    assert "欧***咨询入学" in preview and "110105********002X" in preview
    assert _check("admin preview", preview) == []
    assert not Message.objects.get(pk=message.pk).is_public

"""Stored XSS in every citizen field and every rich or plain text field staff write, neutralised
on every page that shows it (SPEC §7: "HTML from editors and citizens is sanitised").

Each scenario puts the payloads in through the feature's own entry path (the citizen's form,
or the service the admin calls), brings the object to where it is shown (released, replied,
approved, published, live, archived), then fetches every page that shows it. The test that
started it all (article body and title, a message in the admin) is in test_web_security.py.
"""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from columns.models import Site, Unit
from interaction import services as mailbox
from interaction.models import Message, MessageStatus, Rating
from interaction.participation import services as participation
from interaction.participation.models import (
    Consultation,
    ConsultationComment,
    Guest,
    Interview,
    InterviewQuestion,
    Moderation,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
)
from publishing.models import ServiceItem

from .payloads import XSS_PAYLOADS, live_payloads, with_payloads
from .reporting import print_summary
from .test_web_security import publish_through_review

ROOT = Path(__file__).resolve().parents[2]
PORTAL = "5201020001"
#: scenario -> (fields, pages): the counts printed at the end.
CHECKED = {}


def account(username):
    return get_user_model().objects.get(username=username)


def staff(username):
    client = Client(HTTP_HOST="localhost")
    client.force_login(account(username), backend="django.contrib.auth.backends.ModelBackend")
    return client


def public():
    return Client(HTTP_HOST="localhost")


def text_of(html):
    """What a reader sees: the page without its tags (payload text escaped stays visible)."""
    return re.sub(r"<[^>]+>", "", html)


def check_pages(scenario, fields, pages):
    """fields: {name: value}; pages: {name: response}. No payload may be live on any page,
    and every field's harmless text (what precedes its payloads) must be visible on at least
    one of them."""
    fields = {name: value.split("<", 1)[0] for name, value in fields.items()}
    problems = []
    shown = dict.fromkeys(fields, False)
    for name, response in pages.items():
        if response.status_code != 200:
            problems.append(f"{name}: HTTP {response.status_code}")
            continue
        html = response.content.decode()
        live = live_payloads(html)
        if live:
            problems.append(f"{name}: live {live}")
        for field, marker in fields.items():
            shown[field] = shown[field] or marker in text_of(html)
    problems += [
        f"{field}: its text is shown on no page" for field, seen in shown.items() if not seen
    ]
    assert not problems, "\n".join(problems)
    CHECKED[scenario] = (len(fields), len(pages))


@pytest.fixture(scope="session", autouse=True)
def _summary(request):
    """Prints the tally once, at the end of the run (the module may be set up twice)."""
    yield
    if not CHECKED:
        return
    fields = sum(f for f, _ in CHECKED.values())
    checks = sum(f * p for f, p in CHECKED.values())
    line = (
        f"security stored XSS: {len(CHECKED)} scenarios, {fields} fields on "
        f"{sum(p for _, p in CHECKED.values())} pages = {checks} field×page checks passed "
        "(no live payload, harmless text shown)"
    )
    print_summary(request, line)


@pytest.fixture
def citizen_forms(monkeypatch, settings, tmp_path):
    """Citizens' forms as in the tests of the mailbox: captcha test mode, generous limits."""
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.INTERACTION_SUBMISSIONS_PER_HOUR = 1000
    settings.PARTICIPATION_RATE_LIMITS = {
        "consultationcomment": (1000, 3600),
        "surveyresponse": (1000, 3600),
        "interviewquestion": (1000, 3600),
    }


CAPTCHA = {"captcha_0": "test-key", "captcha_1": "PASSED"}


# --- 领导信箱: the citizen's message, the unit's reply ------------------------------------


@pytest.mark.django_db
def test_message_and_reply_are_neutralised_on_public_tracking_and_admin_pages(demo, citizen_forms):
    fields = {
        "subject": with_payloads("入学政策咨询", 100),
        "content": with_payloads("请问今年的入学政策。"),
        "name": with_payloads("张三丰", 50),
        "reply": with_payloads("今年政策不变，详见教育局网站。"),
        "rating comment": with_payloads("答复不够具体。", 200),
    }
    citizen = public()
    citizen.get("/interaction/messages/new/")
    sent = citizen.post(
        "/interaction/messages/new/",
        {
            "kind": "consultation",
            "channel": "unified",
            "unit": "",
            "subject": fields["subject"],
            "content": fields["content"],
            "page_url": "",
            "name": fields["name"],
            "phone": "13900002222",
            "email": "citizen@example.com",
            "publish_allowed": "on",
            **CAPTCHA,
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:3000]
    message = Message.objects.get(subject=fields["subject"])
    if message.status == MessageStatus.HELD:
        mailbox.release(message=message, by=account("dispatcher"))
    mailbox.route(message=message, by=account("dispatcher"), unit=Unit.objects.get(name="区教育局"))
    mailbox.draft_reply(message=message, by=account("edu_liaison"), body=fields["reply"])
    mailbox.approve_reply(message=message, by=account("edu_head"))
    message.refresh_from_db()
    assert message.status == MessageStatus.ANSWERED
    # The citizen follows it with the code and a password set for the test (the real one is
    # shown once on the thank-you page and e-mailed).
    from django.contrib.auth.hashers import make_password

    Message.objects.filter(pk=message.pk).update(query_password=make_password("XSS12345"))
    tracker = public()
    tracked = tracker.post(
        "/interaction/messages/track/", {"code": message.tracking_code, "password": "XSS12345"}
    )
    assert tracked.status_code == 302
    pages = {
        "public mailbox list": public().get("/interaction/messages/"),
        "public message page": public().get(message.get_absolute_url()),
        "tracking result page": tracker.get("/interaction/messages/track/status/"),
    }
    mailbox.rate(message=message, rating=Rating.UNSATISFIED, comment=fields["rating comment"])
    for who in ("dispatcher", "edu_liaison"):
        pages[f"admin message list ({who})"] = staff(who).get("/admin/interaction/message/")
        pages[f"admin message page ({who})"] = staff(who).get(
            f"/admin/interaction/message/{message.pk}/change/"
        )
    pages["tracking page after rating"] = tracker.get("/interaction/messages/track/status/")
    check_pages("mailbox", fields, pages)
    reply_page = text_of(pages["public message page"].content.decode())
    assert "今年政策不变" in reply_page and "&lt;script&gt;" in reply_page


# --- 意见征集: the draft (rich text), its consultation, the citizens' comments ----------------


@pytest.mark.django_db
def test_consultation_document_and_comments_are_neutralised_where_shown(demo, citizen_forms):
    body = "<p>第一条 为规范校外培训，制定本办法。</p>" + "".join(XSS_PAYLOADS)
    document = publish_through_review(
        with_payloads("校外培训管理办法（征求意见稿）", 200), body, slug="edu-policies"
    )
    now = timezone.now()
    liaison = account("edu_liaison")
    consultation = participation.save_consultation(
        consultation=Consultation(
            site=Site.objects.get(site_code=PORTAL),
            unit=document.unit,
            title=with_payloads("校外培训管理办法公开征求意见", 200),
            summary=with_payloads("欢迎提出意见。", 500),
            document=document,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=10),
        ),
        by=liaison,
    )
    fields = {
        "document title": "校外培训管理办法（",
        "document body": "第一条 为规范校外培训",
        "consultation title": "校外培训管理办法公开",
        "consultation summary": "欢迎提出意见。",
        # A phone number in it holds the comment for moderation.
        "comment": with_payloads("建议提前结束时间，请打我电话13800138000。"),
        "commenter name": with_payloads("陈家长", 50),
    }
    url = consultation.get_absolute_url()
    citizen = public()
    citizen.get(url)
    sent = citizen.post(
        url, {"content": fields["comment"], "name": fields["commenter name"], **CAPTCHA}
    )
    assert sent.status_code == 302, sent.content.decode()[:3000]
    comment = ConsultationComment.objects.get(consultation=consultation)
    moderator = staff("edu_liaison")
    pages = {
        "admin moderation list (held)": moderator.get("/admin/interaction/consultationcomment/"),
        "admin comment page (held)": moderator.get(
            f"/admin/interaction/consultationcomment/{comment.pk}/change/"
        ),
    }
    if comment.moderation == Moderation.HELD:
        participation.moderate_comment(comment=comment, by=liaison, approve=True)
    comment.refresh_from_db()
    assert comment.moderation == Moderation.PUBLISHED
    participation.decide_adoption(
        comment=comment,
        by=liaison,
        adoption="not_adopted",
        note=with_payloads("与上位法不一致。", 500),
    )
    pages.update(
        {
            "public consultation page": public().get(url),
            "public consultation list": public().get("/interaction/consultations/"),
            "public document page": public().get(document.get_absolute_url()),
            "admin moderation list": moderator.get("/admin/interaction/consultationcomment/"),
            "admin comment page": moderator.get(
                f"/admin/interaction/consultationcomment/{comment.pk}/change/"
            ),
            "admin consultation page": moderator.get(
                f"/admin/interaction/consultation/{consultation.pk}/change/"
            ),
            "admin consultation list": moderator.get("/admin/interaction/consultation/"),
        }
    )
    check_pages("consultation", fields, pages)
    assert "建议提前结束时间" in text_of(pages["public consultation page"].content.decode())


# --- 征集调查: the survey staff write, the citizens' written answers ------------------------


@pytest.mark.django_db
def test_survey_texts_and_written_answers_are_neutralised_where_shown(
    demo, citizen_forms, monkeypatch
):
    liaison = account("edu_liaison")
    now = timezone.now()
    survey = participation.save_survey(
        survey=Survey(
            site=Site.objects.get(site_code=PORTAL),
            unit=liaison.staff_profile.unit,
            title=with_payloads("社区图书馆开放时间调查", 200),
            description=with_payloads("请花一分钟填写。"),
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=2),
        ),
        by=liaison,
    )
    choice_question = SurveyQuestion.objects.create(
        survey=survey,
        position=0,
        text=with_payloads("您多久去一次图书馆？", 300),
        kind=QuestionKind.SINGLE,
        required=True,
    )
    for index, option in enumerate(["每周", "很少"]):
        SurveyChoice.objects.create(
            question=choice_question, position=index, text=with_payloads(option, 200)
        )
    text_question = SurveyQuestion.objects.create(
        survey=survey,
        position=1,
        text=with_payloads("其他建议", 300),
        kind=QuestionKind.TEXT,
        required=False,
    )
    participation.publish_survey(survey=survey, by=liaison)
    answer = with_payloads("希望有自习区。")
    citizen = public()
    citizen.get(survey.get_absolute_url())
    sent = citizen.post(
        survey.get_absolute_url(),
        {
            f"q{choice_question.pk}": str(choice_question.choices.first().pk),
            f"q{text_question.pk}": answer,
            **CAPTCHA,
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:3000]
    assert SurveyAnswer.objects.filter(question=text_question, text=answer).exists()
    fields = {
        "survey title": "社区图书馆开放",
        "survey description": "请花一分钟填写",
        "question": "您多久去一次",
        "option": "每周",
        "text question": "其他建议",
    }
    pages = {
        "public survey page (open)": public().get(survey.get_absolute_url()),
        "public survey page (answered)": citizen.get(survey.get_absolute_url()),
        "public survey list": public().get("/interaction/surveys/"),
        "admin survey page": staff("edu_liaison").get(
            f"/admin/interaction/survey/{survey.pk}/change/"
        ),
        "admin survey list": staff("edu_liaison").get("/admin/interaction/survey/"),
    }
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=3))
    participation.publish_survey_results(survey=survey, by=liaison)
    pages["public results page"] = public().get(survey.get_absolute_url())
    check_pages("survey", fields, pages)
    # Written answers are read in the export only; no HTML page shows them at all.
    for name, response in pages.items():
        assert "希望有自习区" not in response.content.decode(), name


# --- 在线访谈: guests, citizens' questions, the transcript, live and archived ----------------


def live_interview(title="家门口的好学校——在线访谈"):
    liaison = account("edu_liaison")
    now = timezone.now()
    interview = participation.save_interview(
        interview=Interview(
            site=Site.objects.get(site_code=PORTAL),
            unit=liaison.staff_profile.unit,
            title=with_payloads(title, 200),
            summary=with_payloads("围绕新校区招生答网友问。"),
            starts_at=now - timedelta(minutes=5),
            ends_at=now + timedelta(hours=1),
        ),
        by=liaison,
    )
    guest = Guest.objects.create(
        interview=interview, name=with_payloads("刘芳", 50), title=with_payloads("副局长", 100)
    )
    participation.publish_interview(interview=interview, by=liaison)
    return interview, guest


def ask(client, interview, nickname, content):
    client.get(interview.get_absolute_url())
    return client.post(
        interview.get_absolute_url(), {"nickname": nickname, "content": content, **CAPTCHA}
    )


@pytest.mark.django_db
def test_interview_questions_and_transcript_are_neutralised_live_archived_and_in_admin(
    demo, citizen_forms
):
    liaison = account("edu_liaison")
    interview, guest = live_interview()
    nickname = with_payloads("老周", 30)
    question_text = with_payloads("新校区什么时候招生？", 500)
    sent = ask(public(), interview, nickname, question_text)
    assert sent.status_code == 302, sent.content.decode()[:3000]
    question = InterviewQuestion.objects.get(interview=interview)
    participation.screen_question(question=question, by=liaison, accept=True)
    participation.start_interview(interview=interview, by=liaison)
    answer = with_payloads("新校区明年春季学期开始招生。")
    participation.post_entry(
        interview=interview, by=liaison, guest=guest, question=question, text=answer
    )
    fields = {
        "interview title": "家门口的好学校",
        "interview summary": "围绕新校区招生",
        "guest name": "刘芳",
        "guest title": "副局长",
        "nickname": "老周",
        "question": "新校区什么时候",
        "transcript entry": "新校区明年春季",
    }
    admin = staff("edu_liaison")
    pages = {
        "public live page": public().get(interview.get_absolute_url()),
        "public interview list": public().get("/interaction/interviews/"),
        "admin live console": admin.get(
            reverse("admin:interaction_interview_console", args=[interview.pk])
        ),
        "admin question list": admin.get("/admin/interaction/interviewquestion/"),
        "admin question page": admin.get(
            f"/admin/interaction/interviewquestion/{question.pk}/change/"
        ),
        "admin interview page": admin.get(f"/admin/interaction/interview/{interview.pk}/change/"),
    }
    polled = public().get(reverse("interaction:interview_live", args=[interview.pk]))
    assert polled["Content-Type"] == "application/json"
    entry = json.loads(polled.content)["entries"][0]
    assert entry["text"] == answer, "the JSON carries the text as text; live.js sets textContent"
    participation.end_interview(interview=interview, by=liaison)
    pages["public archive page"] = public().get(interview.get_absolute_url())
    check_pages("interview", fields, pages)
    live_js = (ROOT / "static/interaction/participation/live.js").read_text()
    assert "innerHTML" not in live_js and "insertAdjacentHTML" not in live_js


# --- 办事指南: the service guide staff write ------------------------------------------------


@pytest.mark.django_db
def test_service_guide_texts_are_neutralised_on_the_guide_and_catalogue(demo):
    fields = {
        "name": with_payloads("教师资格认定", 200),
        "summary": with_payloads("申请教师资格。", 300),
        "legal_basis": with_payloads("《教师资格条例》"),
        "conditions": with_payloads("具有规定学历。"),
        "procedure": with_payloads("申请\n受理\n决定"),
        "time_limit": with_payloads("20个工作日", 200),
        "office": with_payloads("区政务服务中心", 300),
        "office_hours": with_payloads("工作日9:00", 200),
        "contact": with_payloads("0851-1", 100),
        "materials-0-name": with_payloads("身份证", 200),
        "materials-0-basis": with_payloads("条例第五条", 300),
    }
    liaison = staff("edu_liaison")
    response = liaison.post(
        "/admin/publishing/serviceitem/add/",
        {
            "site": Site.objects.get(site_code=PORTAL).pk,
            "unit": Unit.objects.get(name="区教育局").pk,
            "kind": "other",
            "fees": "不收费",
            "position": 0,
            "materials-TOTAL_FORMS": 1,
            "materials-INITIAL_FORMS": 0,
            "materials-0-position": 0,
            "materials-0-form": "original",
            "materials-0-copies": 1,
            "materials-0-endorsement": "none",
            "materials-0-required": "on",
            "documents-TOTAL_FORMS": 0,
            "documents-INITIAL_FORMS": 0,
            **fields,
        },
    )
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S
    )
    item = ServiceItem.objects.get(name=fields["name"])
    # Published by the unit head's approval (publishing.service_items).
    staff("edu_head").post(
        "/admin/publishing/serviceitem/",
        {"action": "approve_and_publish", "_selected_action": [item.pk]},
    )
    item.refresh_from_db()
    assert item.is_published
    pages = {
        "public service guide": public().get(f"/services/{item.pk}/"),
        "public service catalogue": public().get("/services/"),
        "admin service item page": liaison.get(f"/admin/publishing/serviceitem/{item.pk}/change/"),
        "admin service item list": liaison.get("/admin/publishing/serviceitem/"),
    }
    check_pages("service guide", fields, pages)


# --- the live page in a real browser -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_no_payload_runs_in_the_browser_on_the_live_interview_page(
    demo, citizen_forms, live_server, settings, browser
):
    settings.PARTICIPATION_POLL_MS = 300
    liaison = account("edu_liaison")
    interview, guest = live_interview("浏览器里的在线访谈")
    question = participation.ask_question(
        interview=interview,
        nickname=with_payloads("家长", 30),
        content=with_payloads("新校区什么时候招生？", 500),
    )
    participation.screen_question(question=question, by=liaison, accept=True)
    participation.start_interview(interview=interview, by=liaison)
    participation.post_entry(
        interview=interview, by=liaison, text=with_payloads("欢迎收看今天的在线访谈。")
    )
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(interview.get_absolute_url())
        # Posted after the page loaded: it arrives through live.json and the polling script.
        participation.post_entry(
            interview=interview,
            by=liaison,
            guest=guest,
            question=question,
            text=with_payloads("新校区明年春季学期开始招生。"),
        )
        page.get_by_text("新校区明年春季学期开始招生。", exact=False).wait_for(timeout=15000)
        page.wait_for_timeout(500)  # let any error image fire its handler
        polled = page.locator("#transcript li").last.inner_text()
        assert "新校区明年春季学期开始招生。" in polled and "<img src=x" in polled
        assert page.evaluate("window.__xss") is None
        assert dialogs == []
        assert page.locator("#transcript img, #transcript svg, #transcript script").count() == 0
    finally:
        context.close()
    CHECKED["interview in the browser"] = (4, 1)

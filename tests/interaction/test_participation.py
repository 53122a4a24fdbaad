"""Public participation across its three kinds: factories shared by the other
test_participation_* modules, the listings with their states, unit scoping, and the demo."""

import re
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from columns.models import Column, Site
from interaction.participation import services
from interaction.participation.models import (
    Consultation,
    ConsultationComment,
    Guest,
    Interview,
    InterviewQuestion,
    Moderation,
    QuestionKind,
    Survey,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
)
from publishing import services as publishing_services
from publishing.models import Article

pytestmark = pytest.mark.django_db

User = get_user_model()
PORTAL = "5201020001"
#: unit prefix -> (column of its documents, reviewers of its 三审 chain for general items)
UNITS = {"edu": "edu-policies", "fin": "fin-policies"}


def user(username):
    return User.objects.get(username=username)


def approve(article, prefix):
    """Submit as the author and approve 初审 and 复审 through publishing's services."""
    run = publishing_services.submit(article=article, by=article.author)
    for role in ("head", "deputy"):
        run.refresh_from_db()
        publishing_services.decide(
            run=run, step_index=run.current_index, by=user(f"{prefix}_{role}"), outcome="approve"
        )
    article.refresh_from_db()
    return article


def document(prefix="edu", title="征求意见稿", published=True):
    column = Column.objects.get(site__site_code=PORTAL, slug=UNITS[prefix])
    author = user(f"{prefix}_liaison")
    article = publishing_services.save_article(
        article=Article(
            title=title,
            body="<p>第一条 草案正文。</p>",
            column=column,
            unit=column.unit,
            author=author,
        ),
        by=author,
    )
    return approve(article, prefix) if published else article


def make_consultation(prefix="edu", *, opens=-1, closes=10, published=True, title="测试意见征集"):
    """A consultation open from `opens` to `closes` days from now."""
    doc = document(prefix, title=f"{title}（征求意见稿）", published=published)
    now = timezone.now()
    return services.save_consultation(
        consultation=Consultation(
            site=Site.objects.get(site_code=PORTAL),
            unit=doc.unit,
            title=title,
            document=doc,
            opens_at=now + timedelta(days=opens),
            closes_at=now + timedelta(days=closes),
        ),
        by=doc.author,
    )


def make_survey(prefix="edu", *, opens=-1, closes=10, requires_phone=False, title="测试调查"):
    """A published survey: a required single choice, an optional multiple choice, a text."""
    liaison = user(f"{prefix}_liaison")
    now = timezone.now()
    survey = services.save_survey(
        survey=Survey(
            site=Site.objects.get(site_code=PORTAL),
            unit=liaison.staff_profile.unit,
            title=title,
            opens_at=now + timedelta(days=opens),
            closes_at=now + timedelta(days=closes),
            requires_phone=requires_phone,
        ),
        by=liaison,
    )
    for position, (text, kind, required, options) in enumerate(
        [
            ("您的年龄段？", QuestionKind.SINGLE, True, ["18岁以下", "18至60岁", "60岁以上"]),
            ("您关注哪些服务？", QuestionKind.MULTIPLE, False, ["教育", "医疗", "交通"]),
            ("其他建议", QuestionKind.TEXT, False, []),
        ]
    ):
        question = SurveyQuestion.objects.create(
            survey=survey, position=position, text=text, kind=kind, required=required
        )
        for index, option in enumerate(options):
            SurveyChoice.objects.create(question=question, position=index, text=option)
    return services.publish_survey(survey=survey, by=liaison)


def make_interview(prefix="edu", *, start=1, title="测试在线访谈", live=False):
    liaison = user(f"{prefix}_liaison")
    now = timezone.now()
    interview = services.save_interview(
        interview=Interview(
            site=Site.objects.get(site_code=PORTAL),
            unit=liaison.staff_profile.unit,
            title=title,
            starts_at=now + timedelta(days=start),
            ends_at=now + timedelta(days=start, hours=1),
        ),
        by=liaison,
    )
    Guest.objects.create(interview=interview, name="张华", title="局长")
    interview = services.publish_interview(interview=interview, by=liaison)
    if live:
        interview = services.start_interview(interview=interview, by=liaison)
    return interview


def solved_captcha(html):
    """The captcha fields of a rendered form, answered with the stored solution."""
    hashkey = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
    return {
        "captcha_0": hashkey,
        "captcha_1": CaptchaStore.objects.get(hashkey=hashkey).response,
    }


# --- listings and their states ---------------------------------------------------------------


def test_consultation_listing_shows_each_state_and_filters_by_it(client):
    upcoming = make_consultation(opens=2, closes=10, title="未开始的征集")
    open_ = make_consultation(opens=-1, closes=10, title="进行中的征集")
    closed = make_consultation(opens=-10, closes=-1, title="已结束的征集")
    html = client.get("/interaction/consultations/").content.decode()
    for item, label in [(upcoming, "未开始"), (open_, "进行中"), (closed, "已结束")]:
        assert re.search(rf"{item.title}</a>\s*<span class=\"state[^\"]*\">{label}<", html), label
    only_open = client.get("/interaction/consultations/?state=open").content.decode()
    assert "进行中的征集" in only_open
    assert "已结束的征集" not in only_open and "未开始的征集" not in only_open


def test_consultation_is_not_public_until_its_document_passed_review(client):
    consultation = make_consultation(published=False, title="送审中的征集")
    assert client.get(consultation.get_absolute_url()).status_code == 404
    assert "送审中的征集" not in client.get("/interaction/consultations/").content.decode()
    approve(consultation.document, "edu")
    assert client.get(consultation.get_absolute_url()).status_code == 200


def test_survey_and_interview_listings_show_their_states(client):
    make_survey(opens=-1, closes=5, title="进行中的调查")
    make_survey(opens=3, closes=5, title="未开始的调查")
    make_interview(start=2, title="即将开始的访谈")
    make_interview(start=0, title="正在直播的访谈", live=True)
    surveys = client.get("/interaction/surveys/").content.decode()
    assert re.search(r"进行中的调查</a>\s*<span class=\"state[^\"]*\">进行中<", surveys)
    assert re.search(r"未开始的调查</a>\s*<span class=\"state[^\"]*\">未开始<", surveys)
    interviews = client.get("/interaction/interviews/").content.decode()
    assert re.search(r"即将开始的访谈</a>\s*<span class=\"state[^\"]*\">预告<", interviews)
    assert re.search(r"正在直播的访谈</a>\s*<span class=\"state[^\"]*\">直播中<", interviews)


def test_another_sites_items_answer_404(demo):
    from django.test import Client

    consultation = make_consultation()
    survey = make_survey()
    interview = make_interview()
    edu_site = Client(HTTP_HOST="edu.localhost")
    for url in (
        consultation.get_absolute_url(),
        survey.get_absolute_url(),
        interview.get_absolute_url(),
    ):
        assert edu_site.get(url).status_code == 404


# --- a unit manages only its own items ------------------------------------------------------


def test_unit_cannot_see_or_open_another_units_items_in_the_admin(login_as):
    consultation = make_consultation("edu")
    comment = services.comment_on(
        consultation=consultation, content="别的单位看不到的意见", name="王某"
    )
    survey = make_survey("edu")
    interview = make_interview("edu")
    fin = login_as("fin_liaison")
    for name, obj in [
        ("consultation", consultation),
        ("consultationcomment", comment),
        ("survey", survey),
        ("interview", interview),
    ]:
        changelist = fin.get(reverse(f"admin:interaction_{name}_changelist"))
        assert changelist.status_code == 200
        assert str(obj) not in changelist.content.decode()
        assert (
            fin.get(reverse(f"admin:interaction_{name}_change", args=[obj.pk])).status_code == 404
        )
    assert fin.get(reverse("admin:interaction_survey_export", args=[survey.pk])).status_code == 404
    assert (
        fin.get(reverse("admin:interaction_interview_console", args=[interview.pk])).status_code
        == 404
    )
    # The owner's liaison sees them.
    edu = login_as("edu_liaison")
    assert (
        edu.get(
            reverse("admin:interaction_consultation_change", args=[consultation.pk])
        ).status_code
        == 200
    )


def test_unit_cannot_act_on_another_units_items(login_as):
    consultation = make_consultation("edu")
    held = services.comment_on(
        consultation=consultation, content="请打我电话13800138000", name="王某"
    )
    survey = make_survey("edu", opens=-5, closes=-1)
    interview = make_interview("edu")
    fin = login_as("fin_liaison")
    # Admin actions with another unit's ids find nothing in the scoped queryset.
    fin.post(
        reverse("admin:interaction_consultationcomment_changelist"),
        {"action": "approve", "_selected_action": [held.pk]},
    )
    fin.post(
        reverse("admin:interaction_survey_changelist"),
        {"action": "publish_results", "_selected_action": [survey.pk]},
    )
    fin.post(
        reverse("admin:interaction_interview_changelist"),
        {"action": "start", "_selected_action": [interview.pk]},
    )
    held.refresh_from_db()
    survey.refresh_from_db()
    interview.refresh_from_db()
    assert held.moderation == Moderation.HELD
    assert survey.results_published_at is None
    assert interview.status == "scheduled"
    # And the services refuse them whatever the caller.
    fin_liaison = user("fin_liaison")
    with pytest.raises(PermissionDenied):
        services.moderate_comment(comment=held, by=fin_liaison, approve=True)
    with pytest.raises(PermissionDenied):
        services.publish_survey_results(survey=survey, by=fin_liaison)
    with pytest.raises(PermissionDenied):
        services.start_interview(interview=interview, by=fin_liaison)
    with pytest.raises(PermissionDenied):
        services.draft_report(consultation=consultation, by=fin_liaison)


def test_liaison_may_only_choose_own_units_article_as_document(login_as):
    edu_doc = document("edu", title="教育局的征求意见稿")
    fin = login_as("fin_liaison")
    form = fin.get(reverse("admin:interaction_consultation_add")).content.decode()
    assert "教育局的征求意见稿" not in form
    now = timezone.localtime()
    response = fin.post(
        reverse("admin:interaction_consultation_add"),
        {
            "site": Site.objects.get(site_code=PORTAL).pk,
            "unit": user("fin_liaison").staff_profile.unit.pk,
            "title": "借用别人的文件",
            "document": edu_doc.pk,
            "opens_at_0": now.strftime("%Y-%m-%d"),
            "opens_at_1": "08:00:00",
            "closes_at_0": (now + timedelta(days=9)).strftime("%Y-%m-%d"),
            "closes_at_1": "08:00:00",
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Consultation.objects.filter(title="借用别人的文件").exists()


def test_liaison_creates_consultation_in_the_admin(login_as):
    doc = document("edu", title="管理后台创建的征求意见稿")
    now = timezone.localtime()
    response = login_as("edu_liaison").post(
        reverse("admin:interaction_consultation_add"),
        {
            "site": Site.objects.get(site_code=PORTAL).pk,
            "unit": doc.unit.pk,
            "title": "后台创建的征集",
            "summary": "",
            "document": doc.pk,
            "opens_at_0": now.strftime("%Y-%m-%d"),
            "opens_at_1": "00:00:00",
            "closes_at_0": (now + timedelta(days=9)).strftime("%Y-%m-%d"),
            "closes_at_1": "08:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    consultation = Consultation.objects.get(title="后台创建的征集")
    assert consultation.created_by == user("edu_liaison")


# --- demo -------------------------------------------------------------------------------


def test_demo_has_every_kind_of_participation_item_and_loads_idempotently(demo, client):
    from interaction.participation import demo as participation_demo

    participation_demo.load()
    counts = [
        m.objects.count()
        for m in (Consultation, ConsultationComment, Survey, SurveyResponse, Interview)
    ]
    call_command("load_demo", stdout=open("/dev/null", "w"))
    participation_demo.load()
    assert counts == [
        m.objects.count()
        for m in (Consultation, ConsultationComment, Survey, SurveyResponse, Interview)
    ]
    states = {c.state() for c in Consultation.objects.all()}
    assert {"open", "result_published"} <= states
    assert Survey.objects.filter(
        results_published_at__isnull=False, responses__isnull=False
    ).exists()
    assert {i.status for i in Interview.objects.all()} >= {"archived", "scheduled"}
    assert InterviewQuestion.objects.filter(screening="accepted").exists()
    assert "已公布结果" in client.get("/interaction/consultations/").content.decode()


# --- the unit's admin -------------------------------------------------------------------


def survey_form(**overrides):
    now = timezone.localtime()
    data = {
        "site": Site.objects.get(site_code=PORTAL).pk,
        "unit": user("edu_liaison").staff_profile.unit.pk,
        "title": "后台创建的调查",
        "description": "",
        "opens_at_0": now.strftime("%Y-%m-%d"),
        "opens_at_1": "00:00:00",
        "closes_at_0": (now + timedelta(days=9)).strftime("%Y-%m-%d"),
        "closes_at_1": "08:00:00",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-position": "0",
        "questions-0-text": "您最常用的出行方式？",
        "questions-0-kind": "single",
        "questions-0-required": "on",
        "questions-0-options": "公交\n地铁\n\n骑行",
        "questions-1-position": "1",
        "questions-1-text": "您的建议",
        "questions-1-kind": "text",
        "questions-1-options": "",
    }
    data.update(overrides)
    return data


def test_liaison_writes_a_survey_with_options_one_per_line_and_publishes_it(login_as):
    liaison = login_as("edu_liaison")
    response = liaison.post(reverse("admin:interaction_survey_add"), survey_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    survey = Survey.objects.get(title="后台创建的调查")
    first, second = survey.questions.order_by("position")
    assert [c.text for c in first.choices.all()] == ["公交", "地铁", "骑行"]
    assert second.kind == QuestionKind.TEXT and not second.choices.exists()
    liaison.post(
        reverse("admin:interaction_survey_changelist"),
        {"action": "publish", "_selected_action": [survey.pk]},
    )
    survey.refresh_from_db()
    assert survey.published_at is not None


def test_choice_question_with_one_option_is_refused_and_nothing_is_saved(login_as):
    response = login_as("edu_liaison").post(
        reverse("admin:interaction_survey_add"), survey_form(**{"questions-0-options": "公交"})
    )
    assert response.status_code == 200
    assert "选择题至少需要两个选项。" in response.content.decode()
    assert not Survey.objects.filter(title="后台创建的调查").exists()


def test_interview_admin_pages_open_for_the_units_liaison(login_as):
    interview = make_interview(live=True)
    liaison = login_as("edu_liaison")
    for url in (
        reverse("admin:interaction_interview_add"),
        reverse("admin:interaction_interview_change", args=[interview.pk]),
        reverse("admin:interaction_interview_console", args=[interview.pk]),
        reverse("admin:interaction_interviewquestion_changelist"),
        reverse("admin:interaction_consultation_add"),
        reverse("admin:interaction_consultationcomment_changelist"),
    ):
        assert liaison.get(url).status_code == 200, url
    console = liaison.get(reverse("admin:interaction_interview_console", args=[interview.pk]))
    assert "发布文字实录" in console.content.decode()


def _queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_listing_pages_use_the_same_number_of_queries_for_few_and_many_items(client):
    makers = {
        "/interaction/consultations/": make_consultation,
        "/interaction/surveys/": make_survey,
        "/interaction/interviews/": make_interview,
    }
    for url, make in makers.items():
        make(title="第一项")
        _queries_for(client, url)  # the first request also fills the site and session caches
        few = _queries_for(client, url)
        for number in range(4):
            make(title=f"更多的第{number}项")
        assert _queries_for(client, url) == few, url

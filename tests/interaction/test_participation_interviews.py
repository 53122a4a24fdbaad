"""在线访谈: questions are screened before they are shown, the host's posts reach the live page
through its polling endpoint, and the archive keeps the full transcript."""

import pytest
from django.urls import reverse

from interaction.participation import services
from interaction.participation.models import InterviewQuestion, QuestionScreening, TranscriptEntry

from .test_participation import make_interview, solved_captcha, user

pytestmark = pytest.mark.django_db


def ask(client, interview, content="课后服务什么时候开始？", nickname="家长小王"):
    page = client.get(interview.get_absolute_url()).content.decode()
    return client.post(
        interview.get_absolute_url(),
        {"nickname": nickname, "content": content, **solved_captcha(page)},
    )


def test_question_is_shown_only_after_the_unit_accepts_it(client, login_as):
    interview = make_interview()
    assert ask(client, interview).status_code == 302
    question = InterviewQuestion.objects.get(interview=interview)
    assert question.screening == QuestionScreening.PENDING
    html = client.get(interview.get_absolute_url()).content.decode()
    assert "感谢您的提问，问题经筛选后公开。" in html
    assert "课后服务什么时候开始？" not in html

    login_as("edu_liaison").post(
        reverse("admin:interaction_interviewquestion_changelist"),
        {"action": "accept", "_selected_action": [question.pk]},
    )
    question.refresh_from_db()
    assert question.screening == QuestionScreening.ACCEPTED
    assert "课后服务什么时候开始？" in client.get(interview.get_absolute_url()).content.decode()


def test_rejected_question_is_never_shown(client):
    interview = make_interview()
    question = services.ask_question(interview=interview, nickname="某人", content="无关的问题")
    services.screen_question(question=question, by=user("edu_liaison"), accept=False)
    assert "无关的问题" not in client.get(interview.get_absolute_url()).content.decode()


def test_host_posts_from_the_console_and_the_live_endpoint_returns_only_new_entries(
    client, login_as
):
    interview = make_interview(start=0, live=True)
    question = services.ask_question(interview=interview, nickname="网友甲", content="收费吗？")
    services.screen_question(question=question, by=user("edu_liaison"), accept=True)
    guest = interview.guests.get()
    console = reverse("admin:interaction_interview_console", args=[interview.pk])
    host = login_as("edu_liaison")
    host.post(console, {"text": "欢迎各位网友。", "guest": "", "question": ""})
    host.post(console, {"text": "不收费。", "guest": guest.pk, "question": question.pk})
    first, second = TranscriptEntry.objects.filter(interview=interview).order_by("pk")

    live = client.get(f"/interaction/interviews/{interview.pk}/live.json?after=0").json()
    assert live["status"] == "live"
    assert [e["text"] for e in live["entries"]] == ["欢迎各位网友。", "不收费。"]
    assert live["entries"][0]["is_host"] is True
    assert live["entries"][1]["speaker"] == "局长 张华"
    assert live["entries"][1]["question"] == {"asks": "网友甲 问：", "content": "收费吗？"}
    newer = client.get(f"/interaction/interviews/{interview.pk}/live.json?after={first.pk}")
    assert [e["id"] for e in newer.json()["entries"]] == [second.pk]
    assert newer["Cache-Control"].startswith("max-age=0")


def test_posting_is_refused_unless_the_interview_is_live(login_as):
    interview = make_interview()
    console = reverse("admin:interaction_interview_console", args=[interview.pk])
    page = login_as("edu_liaison").post(console, {"text": "提前发言"}, follow=True)
    assert "访谈开始后才能发布文字实录。" in page.content.decode()
    assert not TranscriptEntry.objects.filter(interview=interview).exists()


def test_archive_shows_the_full_transcript_and_takes_no_more_questions(client):
    interview = make_interview(start=0, live=True)
    liaison = user("edu_liaison")
    for text in ("第一段", "第二段", "第三段"):
        services.post_entry(interview=interview, by=liaison, text=text)
    open_page = client.get(interview.get_absolute_url()).content.decode()
    services.end_interview(interview=interview, by=liaison)
    html = client.get(interview.get_absolute_url()).content.decode()
    assert "往期回顾" in html and "文字实录全文" in html
    assert html.index("第一段") < html.index("第二段") < html.index("第三段")
    assert "participation/live.js" not in html and 'name="nickname"' not in html
    # A citizen who opened the page while it was live sends a question after the end.
    late = client.post(
        interview.get_absolute_url(),
        {"nickname": "迟到的网友", "content": "还能提问吗？", **solved_captcha(open_page)},
    )
    assert "本次访谈已结束，不再接受提问。" in late.content.decode()
    assert not InterviewQuestion.objects.filter(interview=interview).exists()

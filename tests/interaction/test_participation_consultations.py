"""意见征集: citizens comment while a consultation is open; held comments stay private until the
unit approves them; after the close the feedback report goes through the 三审 chain."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from columns.models import Notification
from interaction.participation import services
from interaction.participation.models import Adoption, Consultation, ConsultationComment, Moderation
from publishing.models import Article, ArticleStatus, ReviewRun

from .test_participation import approve, make_consultation, solved_captcha, user

pytestmark = pytest.mark.django_db


def post_comment(client, consultation, **fields):
    page = client.get(consultation.get_absolute_url()).content.decode()
    data = {
        "content": "建议延长课后服务时间。",
        "name": "王小明",
        "phone": "13912345678",
        "email": "wang@example.com",
        **solved_captcha(page),
        **fields,
    }
    return client.post(consultation.get_absolute_url(), data)


def close(consultation):
    """The open period ends (as time passing would make it)."""
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    consultation.refresh_from_db()


def test_citizen_comment_on_open_consultation_is_published_without_contact_data(client):
    consultation = make_consultation()
    response = post_comment(client, consultation)
    assert response.status_code == 302
    comment = ConsultationComment.objects.get(consultation=consultation)
    assert comment.moderation == Moderation.PUBLISHED
    assert (comment.phone, comment.email) == ("13912345678", "wang@example.com")
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "建议延长课后服务时间。" in html
    assert "感谢您的参与，您的意见已发布。" in html
    assert "王**" in html
    for private in ("王小明", "13912345678", "wang@example.com"):
        assert private not in html


def test_comment_on_closed_consultation_is_refused_and_nothing_is_stored(client):
    consultation = make_consultation()
    page = client.get(consultation.get_absolute_url()).content.decode()
    close(consultation)
    response = client.post(
        consultation.get_absolute_url(),
        {"content": "迟到的意见", "name": "李四", **solved_captcha(page)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    closed_at = timezone.localtime(consultation.closes_at).strftime("%Y-%m-%d %H:%M")
    assert f"本次意见征集已于{closed_at}结束，不再接受意见。" in html
    assert not ConsultationComment.objects.filter(consultation=consultation).exists()


def test_comment_before_the_consultation_opens_is_refused(client):
    consultation = make_consultation(opens=2, closes=10)
    with pytest.raises(ValidationError) as refused:
        services.comment_on(consultation=consultation, content="提前的意见", name="李四")
    assert "本次意见征集尚未开始" in " ".join(refused.value.messages)
    assert not ConsultationComment.objects.filter(consultation=consultation).exists()


def test_wrong_captcha_is_refused_and_nothing_is_stored(client):
    consultation = make_consultation()
    response = post_comment(client, consultation, captcha_1="WRONG")
    assert response.status_code == 200
    assert "验证码" in response.content.decode()
    assert not ConsultationComment.objects.filter(consultation=consultation).exists()


def test_held_comment_is_not_public_until_the_unit_approves_it(client, login_as):
    consultation = make_consultation()
    response = post_comment(client, consultation, content="有事请打我手机13800138000联系")
    assert response.status_code == 302
    comment = ConsultationComment.objects.get(consultation=consultation)
    assert comment.moderation == Moderation.HELD
    assert any(f["rule"] == "mobile_number" for f in comment.checker_findings)
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "您的意见将在发布单位审核后公开。" in html
    assert "有事请打我手机" not in html
    assert Notification.objects.filter(
        recipient=user("edu_liaison"), key=f"consultation-comment:{comment.pk}:held"
    ).exists()

    login_as("edu_liaison").post(
        reverse("admin:interaction_consultationcomment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk]},
    )
    comment.refresh_from_db()
    assert comment.moderation == Moderation.PUBLISHED
    assert comment.moderated_by == user("edu_liaison")
    assert "有事请打我手机" in client.get(consultation.get_absolute_url()).content.decode()


def test_rejected_held_comment_stays_private(client, login_as):
    consultation = make_consultation()
    comment = services.comment_on(
        consultation=consultation, content="我的手机13800138000", name="赵六"
    )
    login_as("edu_liaison").post(
        reverse("admin:interaction_consultationcomment_changelist"),
        {"action": "reject", "_selected_action": [comment.pk]},
    )
    comment.refresh_from_db()
    assert comment.moderation == Moderation.REJECTED
    assert "我的手机" not in client.get(consultation.get_absolute_url()).content.decode()


def test_comments_from_one_address_are_rate_limited(client, settings):
    settings.PARTICIPATION_RATE_LIMITS = {"consultationcomment": (2, 600)}
    consultation = make_consultation()
    assert post_comment(client, consultation, content="第一条").status_code == 302
    assert post_comment(client, consultation, content="第二条").status_code == 302
    third = post_comment(client, consultation, content="第三条")
    assert third.status_code == 200
    assert "来自您网络地址的提交过多" in third.content.decode()
    assert ConsultationComment.objects.filter(consultation=consultation).count() == 2


def decide(login_as, comment, adoption, note=""):
    """Record the adoption on the comment's admin page; returns the page shown afterwards."""
    return login_as("edu_liaison").post(
        reverse("admin:interaction_consultationcomment_change", args=[comment.pk]),
        {"adoption": adoption, "adoption_note": note},
        follow=True,
    )


def test_feedback_report_passes_the_review_chain_and_is_linked_from_the_consultation(
    client, login_as
):
    consultation = make_consultation()
    adopted = services.comment_on(consultation=consultation, content="增加体育活动", name="甲")
    refused = services.comment_on(consultation=consultation, content="全部免费", name="乙")
    services.comment_on(consultation=consultation, content="手机13800138000", name="丙")  # held
    close(consultation)
    decide(login_as, adopted, Adoption.ADOPTED)
    decide(login_as, refused, Adoption.NOT_ADOPTED, "超出本办法的授权范围。")

    login_as("edu_liaison").post(
        reverse("admin:interaction_consultation_changelist"),
        {"action": "draft_report", "_selected_action": [consultation.pk]},
    )
    consultation.refresh_from_db()
    report = consultation.report
    assert report.status == ArticleStatus.DRAFT
    assert report.unit == consultation.unit and report.author == user("edu_liaison")
    assert "共收到意见3条" in report.body
    assert "增加体育活动" in report.body
    assert "全部免费（超出本办法的授权范围。）" in report.body

    # Until the report has passed 三审 the consultation is only closed.
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "已结束" in html and "反馈报告" not in html
    approve(report, "edu")
    assert ReviewRun.objects.get(article=report).decisions.count() == 2
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "已公布结果" in html
    assert f'href="/articles/{report.pk}/"' in html
    assert "超出本办法的授权范围。" in html


def test_report_is_refused_while_open_or_with_undecided_comments(login_as):
    consultation = make_consultation()
    services.comment_on(consultation=consultation, content="意见一", name="甲")
    liaison = user("edu_liaison")
    with pytest.raises(ValidationError) as early:
        services.draft_report(consultation=consultation, by=liaison)
    assert "征集结束后才能起草反馈报告" in " ".join(early.value.messages)
    close(consultation)
    articles_before = Article.objects.filter(unit=consultation.unit).count()
    response = login_as("edu_liaison").post(
        reverse("admin:interaction_consultation_changelist"),
        {"action": "draft_report", "_selected_action": [consultation.pk]},
        follow=True,
    )
    assert "1条已公开的意见尚未确定采纳情况" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.report is None
    assert Article.objects.filter(unit=consultation.unit).count() == articles_before


def test_not_adopted_comment_needs_a_reason(login_as):
    consultation = make_consultation()
    comment = services.comment_on(consultation=consultation, content="意见二", name="乙")
    page = decide(login_as, comment, Adoption.NOT_ADOPTED, "")
    assert "请说明未（完全）采纳的理由。" in page.content.decode()
    comment.refresh_from_db()
    assert comment.adoption == Adoption.UNDECIDED


def test_contact_data_are_for_the_unit_only_and_each_view_is_logged(login_as):
    from columns.models import OperationLog

    consultation = make_consultation()
    comment = services.comment_on(
        consultation=consultation,
        content="请打我手机13800138000",
        name="钱七",
        phone="13911112222",
        email="qian@example.com",
    )
    url = reverse("admin:interaction_consultationcomment_change", args=[comment.pk])
    page = login_as("edu_liaison").get(url).content.decode()
    assert "13911112222" in page and "qian@example.com" in page
    assert "手机号码" in page  # the checker's finding that held it
    assert OperationLog.objects.filter(
        action="participation_contact_viewed", target_id=str(comment.pk), actor=user("edu_liaison")
    ).exists()
    inspector_page = login_as("inspector").get(url)
    assert inspector_page.status_code == 200
    assert "13911112222" not in inspector_page.content.decode()
    assert "qian@example.com" not in inspector_page.content.decode()

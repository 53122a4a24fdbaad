"""The checker in the review chain, through the admin: findings shown on save and to the
reviewers, block findings keeping a submission out of review, and recorded overrides."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from columns.models import OperationLog
from publishing.models import (
    Article,
    ArticleStatus,
    ContentFinding,
    FindingOverride,
    ReviewDecision,
    ReviewRun,
)

from .test_content_checks import encrypted, pdf_with_text
from .test_review_chain import act_url, add_url, article_form, change_url, decide

pytestmark = pytest.mark.django_db

VALID_ID = "11010519491231002X"


def new_article(client, column, **overrides):
    response = client.post(add_url(), article_form(column, **overrides), follow=True)
    assert response.status_code == 200
    return Article.objects.get(title=overrides.get("title", "全区教育工作会议召开")), response


def with_attachment(name, data, content_type):
    return {
        "attachments-TOTAL_FORMS": "1",
        "attachments-0-title": "",
        "attachments-0-position": "0",
        "attachments-0-file": SimpleUploadedFile(name, data, content_type=content_type),
    }


def override(client, article, finding, reason):
    run = article.review_runs.latest("submitted_at")
    return client.post(
        act_url(article, "override"),
        {"run": run.pk, "finding": finding.pk, "reason": reason},
        follow=True,
    )


def test_author_sees_findings_on_save_with_personal_data_masked(login_as, column_named):
    liaison = login_as("edu_liaison")
    body = f"<p>中华人民共合国成立以来……联系人身份证{VALID_ID}，电话13812345678。</p>"
    article, response = new_article(liaison, column_named("edu-news"), body=body)
    page = response.content.decode()
    assert "内容检查发现 3 处问题，其中 2 处须整改" in page
    page = liaison.get(change_url(article)).content.decode()
    assert "内容检查" in page
    assert "110105********002X" in page and "138****5678" in page
    assert "应为“中华人民共和国”。" in page
    assert page.count(VALID_ID) == 1  # only in the author's own editor, never in the findings
    assert set(article.content_findings.values_list("rule", flat=True)) == {
        "wording",
        "id_number",
        "mobile_number",
    }


def test_submission_with_a_secret_marker_cannot_enter_review(login_as, column_named):
    liaison = login_as("edu_liaison")
    article, _response = new_article(
        liaison, column_named("edu-news"), body="<p>机密★1年 本通知为内部资料。</p>"
    )
    revisions = article.revisions.count()
    logged = OperationLog.objects.count()
    response = liaison.post(act_url(article, "submit"), follow=True)
    page = response.content.decode()
    assert "稿件存在以下问题，须修改后才能提交审核" in page
    assert "涉密标识“机密★1年”" in page
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    assert not ReviewRun.objects.filter(article=article).exists()
    assert article.revisions.count() == revisions
    assert OperationLog.objects.count() == logged


def test_gambling_link_in_the_body_keeps_the_submission_out_of_review(login_as, column_named):
    liaison = login_as("edu_liaison")
    article, _response = new_article(
        liaison,
        column_named("edu-news"),
        body='<p>详见<a href="https://www.bet365.com/promo">此处</a>。</p>',
    )
    response = liaison.post(act_url(article, "submit"), follow=True)
    assert "链接指向广告或赌博网站" in response.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_personal_data_waits_for_a_reviewer_who_lets_it_through_with_a_reason(
    login_as, column_named, user_named
):
    liaison = login_as("edu_liaison")
    article, _response = new_article(
        liaison,
        column_named("edu-news"),
        importance="general",
        body="<p>获奖教师：张老师，手机13812345678。</p>",
    )
    liaison.post(act_url(article, "submit"))
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    [finding] = article.content_findings.all()

    head = login_as("edu_head")
    page = head.get(change_url(article)).content.decode()
    assert "138****5678" in page and "放行理由" in page

    response = decide(head, article, "approve", "同意。")
    assert "请先处理内容检查发现的个人信息或无法读取的附件" in response.content.decode()
    assert not ReviewDecision.objects.filter(run__article=article).exists()

    # The author may not let their own personal data through; nor may anyone without a reason.
    response = override(liaison, article, finding, "是公开的办公电话")
    assert not FindingOverride.objects.exists()
    response = override(head, article, finding, "   ")
    assert "请填写可以发布的理由" in response.content.decode()
    assert not FindingOverride.objects.exists()

    response = override(head, article, finding, "获奖教师本人同意公开联系方式。")
    assert "已放行，理由已记入审核记录" in response.content.decode()
    [recorded] = FindingOverride.objects.all()
    assert recorded.run == article.review_runs.get()
    assert (recorded.rule, recorded.match) == ("mobile_number", "138****5678")
    assert recorded.decided_by == user_named("edu_head")
    assert OperationLog.objects.filter(action="finding_overridden").count() == 1
    page = head.get(change_url(article)).content.decode()
    assert "获奖教师本人同意公开联系方式。" in page

    # The override is on the review record, where the operator and inspectors read it.
    run_page = login_as("edu_head").get(
        reverse("admin:publishing_reviewrun_change", args=[recorded.run.pk])
    )
    assert run_page.status_code == 200
    assert "获奖教师本人同意公开联系方式。" in run_page.content.decode()

    decide(head, article, "approve", "同意。")
    assert ReviewDecision.objects.filter(run__article=article, outcome="approve").count() == 1


def docx_carrying_id():
    document = docx.Document()
    document.add_paragraph(f"报名人：李四，身份证号 {VALID_ID}")
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("报名表.docx", docx_carrying_id(), DOCX),
        ("公示.pdf", pdf_with_text(f"Applicant ID {VALID_ID}"), "application/pdf"),
    ],
)
def test_attachment_carrying_an_id_number_is_found_on_save(
    login_as, column_named, name, data, content_type
):
    liaison = login_as("edu_liaison")
    article, _response = new_article(
        liaison, column_named("edu-news"), **with_attachment(name, data, content_type)
    )
    [finding] = article.content_findings.all()
    assert (finding.rule, finding.source, finding.match) == (
        "id_number",
        name,
        "110105********002X",
    )


@pytest.mark.parametrize("title", ["关于2026年秋季招生工作的通知（全文）", "通知.docx", "名单"])
def test_attachment_type_comes_from_the_stored_file_not_its_title(login_as, column_named, title):
    liaison = login_as("edu_liaison")
    form = with_attachment("通知.pdf", pdf_with_text(f"Applicant ID {VALID_ID}"), "application/pdf")
    form["attachments-0-title"] = title
    article, _response = new_article(liaison, column_named("edu-news"), **form)
    [finding] = article.content_findings.all()
    assert (finding.rule, finding.source) == ("id_number", title)


def test_valid_pdf_with_a_title_ending_in_a_bracket_is_clean(login_as, column_named):
    liaison = login_as("edu_liaison")
    form = with_attachment("通知.pdf", pdf_with_text("Enrolment notice"), "application/pdf")
    form["attachments-0-title"] = "关于2026年秋季招生工作的通知（全文）"
    article, _response = new_article(liaison, column_named("edu-news"), **form)
    assert not article.content_findings.exists()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n\x00broken beyond repair", "PDF 文件已损坏"),
        (encrypted(pdf_with_text(f"ID {VALID_ID}")), "PDF 文件已加密"),
    ],
)
def test_corrupt_or_encrypted_attachment_gives_cannot_read_and_waits_for_a_reviewer(
    login_as, column_named, data, reason
):
    liaison = login_as("edu_liaison")
    article, response = new_article(
        liaison,
        column_named("edu-news"),
        importance="general",
        **with_attachment("通知.pdf", data, "application/pdf"),
    )
    assert response.status_code == 200
    [finding] = article.content_findings.all()
    assert finding.rule == "unreadable_attachment"
    assert "无法读取“通知.pdf”" in finding.suggestion
    assert reason in finding.suggestion

    liaison.post(act_url(article, "submit"))
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW

    head = login_as("edu_head")
    response = decide(head, article, "approve", "同意。")
    assert "请先处理" in response.content.decode()
    [finding] = article.content_findings.all()  # checked again on submission
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    response = override(head, article, finding, "已人工打开核对，无敏感信息。")
    assert "已放行" in response.content.decode()
    decide(head, article, "approve", "同意。")
    assert article.review_runs.get().decisions.count() == 1


def test_returning_needs_no_override(login_as, column_named):
    liaison = login_as("edu_liaison")
    article, _response = new_article(
        liaison, column_named("edu-news"), importance="general", body="<p>电话13812345678</p>"
    )
    liaison.post(act_url(article, "submit"))
    decide(login_as("edu_head"), article, "return", "请删除个人手机号码。")
    article.refresh_from_db()
    assert article.status == ArticleStatus.RETURNED
    assert ContentFinding.objects.filter(article=article).count() == 1


def test_operator_edits_the_lists_in_the_admin_and_the_next_check_uses_them(login_as):
    from publishing.content_checks import check_text
    from publishing.models import SensitiveWord

    operator = login_as("operator")
    response = operator.post(
        reverse("admin:publishing_sensitiveword_add"),
        {"word": "某某内参", "category": "secret", "note": "内部刊物名称"},
    )
    assert response.status_code == 302
    assert [f.rule for f in check_text("转发某某内参第3期")] == ["secret_marker"]

    # A bulk delete from the list page also reaches every checker.
    word = SensitiveWord.objects.get(word="某某内参")
    response = operator.post(
        reverse("admin:publishing_sensitiveword_changelist"),
        {"action": "delete_selected", "_selected_action": [word.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert check_text("转发某某内参第3期") == []

    response = operator.post(
        reverse("admin:publishing_wordingcorrection_add"),
        {"wrong": "区长 张三", "right": "区长 张三", "kind": "leader", "note": ""},
    )
    assert "正确写法须与错误写法不同" in response.content.decode()


def test_liaison_cannot_edit_the_lists(login_as):
    response = login_as("edu_liaison").get(reverse("admin:publishing_sensitiveword_add"))
    assert response.status_code == 403

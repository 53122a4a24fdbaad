"""Bad input on the article form gets a clear Chinese message and saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from publishing.models import Article, ArticleRevision, Attachment

from .test_review_chain import article_form

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def with_attachment(data, upload):
    return {
        **data,
        "attachments-TOTAL_FORMS": "1",
        "attachments-0-title": "",
        "attachments-0-position": "0",
        "attachments-0-file": upload,
    }


def post_article(login_as, column_named, **overrides):
    data = article_form(column_named("edu-news"), title="坏输入测试信息", **overrides)
    return login_as("edu_liaison").post(reverse("admin:publishing_article_add"), data)


def assert_nothing_saved():
    assert not Article.objects.filter(title="坏输入测试信息").exists()
    assert not ArticleRevision.objects.filter(article__title="坏输入测试信息").exists()


def test_attachment_of_forbidden_type_is_refused(login_as, column_named):
    upload = SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 100)
    data = with_attachment(article_form(column_named("edu-news"), title="坏输入测试信息"), upload)
    response = login_as("edu_liaison").post(reverse("admin:publishing_article_add"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "不能上传“exe”类型的附件" in html
    assert_nothing_saved()
    assert not Attachment.objects.filter(title="setup.exe").exists()


def test_attachment_too_large_is_refused(login_as, column_named, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    upload = SimpleUploadedFile("report.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    data = with_attachment(article_form(column_named("edu-news"), title="坏输入测试信息"), upload)
    html = login_as("edu_liaison").post(reverse("admin:publishing_article_add"), data)
    # filesizeformat separates number and unit with a no-break space.
    assert "文件大小为2.0\xa0KB，超过了1.0\xa0KB的上限" in html.content.decode()
    assert_nothing_saved()


def test_attachment_whose_content_does_not_match_its_type_is_refused(login_as, column_named):
    upload = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")
    data = with_attachment(article_form(column_named("edu-news"), title="坏输入测试信息"), upload)
    html = login_as("edu_liaison").post(reverse("admin:publishing_article_add"), data)
    assert "的内容不是pdf文件" in html.content.decode()
    assert_nothing_saved()


def test_allowed_attachment_is_saved_with_its_size(login_as, column_named):
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    data = with_attachment(article_form(column_named("edu-news"), title="附件测试信息"), upload)
    response = login_as("edu_liaison").post(reverse("admin:publishing_article_add"), data)
    assert response.status_code == 302
    attachment = Attachment.objects.get(article__title="附件测试信息")
    assert attachment.size == len(PDF)
    assert attachment.title == "report.pdf"


def test_script_in_body_is_removed_before_saving(login_as, column_named):
    body = (
        '<p onclick="steal()">正文<script>alert("x")</script></p>'
        '<a href="javascript:alert(1)">链接</a><img src="/media/a.png" onerror="x()" alt="图">'
    )
    response = post_article(login_as, column_named, body=body)
    assert response.status_code == 302
    saved = Article.objects.get(title="坏输入测试信息").body
    assert "<script" not in saved and "alert" not in saved
    assert "onclick" not in saved and "onerror" not in saved and "javascript:" not in saved
    assert "<p>正文</p>" in saved and 'alt="图"' in saved


def test_repost_without_source_is_refused(login_as, column_named):
    response = post_article(login_as, column_named, origin="repost", source="")
    assert "转载信息必须注明信息来源" in response.content.decode()
    assert_nothing_saved()


def test_expiry_before_publish_time_is_refused(login_as, column_named):
    response = post_article(
        login_as,
        column_named,
        published_at_0="2026-12-01",
        published_at_1="09:00:00",
        expires_at_0="2026-11-30",
        expires_at_1="09:00:00",
    )
    assert "过期时间必须晚于发布时间" in response.content.decode()
    assert_nothing_saved()


def test_liaison_cannot_post_into_another_units_column(login_as, column_named):
    data = article_form(column_named("fin-news"), title="坏输入测试信息")
    response = login_as("edu_liaison").post(reverse("admin:publishing_article_add"), data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert_nothing_saved()


def test_article_in_review_cannot_be_edited(login_as, make_article):
    article = make_article(title="审核中不可编辑")
    login_as("edu_liaison").post(
        reverse("admin:publishing_article_act", args=[article.pk, "submit"])
    )
    data = article_form(article.column, title="审核中偷偷改标题")
    login_as("edu_liaison").post(
        reverse("admin:publishing_article_change", args=[article.pk]), data
    )
    article.refresh_from_db()
    assert article.title == "审核中不可编辑"

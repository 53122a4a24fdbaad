"""A removed ID number does not stay readable in the revision history (修订记录) to staff who
may not see personal data; the unit's reviewers read it, and each such view is logged."""

import pytest
from django.urls import reverse

from columns.models import OperationLog
from publishing.models import Article

from .test_review_chain import article_form

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"  # the worked example of GB 11643-1999
#: What the checker shows of it: the birth date in the middle is what must stay hidden.
MASKED = "110105********002X"
HIDDEN = "19491231"


@pytest.fixture
def corrected_article(login_as, column_named):
    """An article the liaison saved with an ID number in its body, then saved without it."""
    liaison = login_as("edu_liaison")
    column = column_named("edu-news")
    body = f"<p>报名人张三，身份证号{ID_NUMBER}，已录取。</p>"
    response = liaison.post(
        reverse("admin:publishing_article_add"),
        article_form(column, title="录取名单公示", body=body),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title="录取名单公示")
    response = liaison.post(
        reverse("admin:publishing_article_change", args=[article.pk]),
        article_form(column, title="录取名单公示", body="<p>报名人张三，已录取。</p>"),
    )
    assert response.status_code == 302
    assert list(article.revisions.values_list("number", flat=True)) == [2, 1]
    assert ID_NUMBER not in Article.objects.get(pk=article.pk).body
    return article


def revision_pages(client, article):
    """Every page of the article's revision history: the newest diff and each revision's."""
    url = reverse("admin:publishing_article_revisions", args=[article.pk])
    pages = [client.get(url), client.get(url, {"n": 1}), client.get(url, {"n": 2})]
    assert [page.status_code for page in pages] == [200, 200, 200]
    return [page.content.decode() for page in pages]


def viewed_logs(article):
    return OperationLog.objects.filter(
        action="revision_personal_data_viewed", target_id=str(article.pk)
    )


@pytest.mark.parametrize("username", ["edu_liaison", "inspector"])
def test_staff_without_the_right_see_the_removed_id_number_masked_on_every_revision_page(
    corrected_article, login_as, username
):
    pages = revision_pages(login_as(username), corrected_article)

    for html in pages:
        assert ID_NUMBER not in html and ID_NUMBER.lower() not in html
        assert HIDDEN not in html
    # The change is still legible: the line that held it, with the number masked.
    newest, first, second = pages
    for html in (newest, second):  # n=2 is the newest
        assert f"<del>报名人张三，身份证号{MASKED}，已录取。</del>" in html
    assert f"<ins>报名人张三，身份证号{MASKED}，已录取。</ins>" in first
    assert not viewed_logs(corrected_article).exists()


def test_the_units_reviewer_sees_the_removed_id_number_and_the_view_is_logged(
    corrected_article, login_as, user_named
):
    newest, first, _second = revision_pages(login_as("edu_head"), corrected_article)

    assert f"<del>报名人张三，身份证号{ID_NUMBER}，已录取。</del>" in newest
    assert f"<ins>报名人张三，身份证号{ID_NUMBER}，已录取。</ins>" in first
    logs = viewed_logs(corrected_article)
    assert logs.count() == 3  # newest, n=1 and n=2: each page that showed it
    entry = logs.first()
    assert entry.actor == user_named("edu_head")
    assert sorted(log.detail["revision"] for log in logs) == [1, 2, 2]


def test_a_reviewer_reading_revisions_without_personal_data_leaves_no_log(make_article, login_as):
    article = make_article(title="没有个人信息的稿件")
    url = reverse("admin:publishing_article_revisions", args=[article.pk])

    html = login_as("edu_head").get(url).content.decode()

    assert "没有个人信息的稿件" in html
    assert not viewed_logs(article).exists()

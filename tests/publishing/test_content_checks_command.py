"""check_content: the inspectors' re-check of a site's published content, listed by unit."""

import io

import pytest
from django.core.management import CommandError, call_command

from publishing.models import Article, ArticleStatus

from .conftest import approve_all

pytestmark = pytest.mark.django_db

VALID_ID = "11010519491231002X"


def run(*args):
    out = io.StringIO()
    call_command("check_content", *args, stdout=out)
    return out.getvalue()


def test_lists_findings_of_published_content_by_unit(make_article):
    article = approve_all(make_article(title="旧信息复查", importance="general"))
    assert article.status == ArticleStatus.PUBLISHED
    # Published before the checker existed: the old text carries an ID number and a typo.
    Article.objects.filter(pk=article.pk).update(
        body=f"<p>中华人民共合国公民 张三，身份证号{VALID_ID}。</p>"
    )
    draft = make_article(title="草稿不在复查范围")
    Article.objects.filter(pk=draft.pk).update(body="<p>机密★</p>")

    output = run("--site", "5201020001", "--offline")
    assert "== 区教育局" in output
    section = output.split("== 区教育局", 1)[1].split("\n== ", 1)[0]
    assert f"[{article.pk}] 旧信息复查  /articles/{article.pk}/" in section
    assert "110105********002X" in section and VALID_ID not in output
    assert "应为“中华人民共和国”。" in section
    assert "草稿不在复查范围" not in output
    assert "已检查" in output.splitlines()[-1]
    # The findings are kept on the article's page too.
    assert set(article.content_findings.values_list("rule", flat=True)) == {"id_number", "wording"}


def test_other_site_is_not_listed(make_article):
    article = approve_all(make_article(title="主站信息", importance="general"))
    Article.objects.filter(pk=article.pk).update(body="<p>内部资料</p>")
    assert "主站信息" not in run("--site", "5201020002", "--offline")


def test_unknown_site_is_refused_with_a_clear_message():
    with pytest.raises(CommandError, match="没有标识码或编号为“nosuch”的网站"):
        run("--site", "nosuch")

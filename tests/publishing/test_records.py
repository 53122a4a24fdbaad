"""Records around an article: decisions, revisions, index numbers, headlines, handover."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from columns.models import Role, Unit
from columns.services import create_staff, hand_over_liaison
from publishing import selectors, services
from publishing.models import (
    ArticleStatus,
    HeadlineDirective,
    ReviewChain,
    ReviewDecision,
    ReviewStep,
)

from .conftest import approve_all, decide_as

pytestmark = pytest.mark.django_db


def test_review_decision_cannot_be_edited_or_deleted_anywhere(make_article, login_as, demo):
    article = make_article(title="不可修改的审核意见")
    run = services.submit(article=article, by=article.author)
    decision = decide_as(run, article.author.__class__.objects.get(username="edu_head"))
    decision.comment = "事后改写"
    with pytest.raises(ValidationError):
        decision.save()
    with pytest.raises(ValidationError):
        decision.delete()
    assert ReviewDecision.objects.get(pk=decision.pk).comment == "同意。"

    operator = login_as("operator")
    change = reverse("admin:publishing_reviewdecision_change", args=[decision.pk])
    delete = reverse("admin:publishing_reviewdecision_delete", args=[decision.pk])
    page = operator.get(change).content.decode()
    assert "同意。" in page and 'name="comment"' not in page
    assert operator.post(change, {"comment": "事后改写"}).status_code == 403
    assert operator.post(delete, {"post": "yes"}).status_code == 403
    assert ReviewDecision.objects.get(pk=decision.pk).comment == "同意。"


def test_every_save_keeps_a_revision_with_a_diff_view(make_article, login_as):
    from .test_review_chain import article_form

    article = make_article(title="修订测试")
    form = article_form(article.column, title="修订测试（第二稿）", body="<p>第二稿正文</p>")
    login_as("edu_liaison").post(
        reverse("admin:publishing_article_change", args=[article.pk]), form
    )
    assert list(article.revisions.values_list("number", flat=True)) == [2, 1]
    page = login_as("edu_liaison").get(
        reverse("admin:publishing_article_revisions", args=[article.pk])
    )
    html = page.content.decode()
    assert "第1版到第2版的变化" in html
    assert re.search(r"<del>修订测试</del>", html)
    assert re.search(r"<ins>修订测试（第二稿）</ins>", html)
    assert "<ins>第二稿正文</ins>" in html and "<del>正文</del>" in html


def test_policy_gets_an_index_number_and_links_both_ways_with_its_interpretation(
    make_article, user_named
):
    policy = make_article(
        title="测试政策",
        column="edu-policies",
        kind="policy",
        document_number="示教发〔2026〕99号",
        issuing_body="区教育局",
    )
    policy = approve_all(policy)
    year = timezone.localtime(policy.published_at).year
    assert re.fullmatch(rf"009401002/{year}-\d{{5}}", policy.index_number)
    interpretation = approve_all(
        make_article(
            title="测试政策解读", column="edu-policies", kind="interpretation", policy=policy
        )
    )
    assert interpretation.index_number != policy.index_number
    assert list(policy.interpretations.all()) == [interpretation]
    assert interpretation.policy == policy

    services.mark_invalid(article=policy, by=user_named("edu_liaison"), validity="repealed")
    policy.refresh_from_db()
    assert policy.validity == "repealed" and policy.validity_changed_at is not None
    assert policy in selectors.published_articles()  # still readable, marked 废止
    with pytest.raises(ValidationError, match="只有政策文件有有效性"):
        services.mark_invalid(
            article=interpretation, by=user_named("edu_liaison"), validity="invalid"
        )


def test_index_numbers_run_on_per_unit_and_year(demo):
    edu = Unit.objects.get(org_code="009401002")
    first = services.next_index_number(edu, 2030)
    second = services.next_index_number(edu, 2030)
    assert (first, second) == ("009401002/2030-00001", "009401002/2030-00002")
    assert services.next_index_number(edu, 2029) == "009401002/2029-00001"


def test_operator_orders_a_headline_and_its_execution_is_recorded(make_article, user_named, demo):
    article = make_article(title="头条测试", column="edu-news", publish_on_approval=False)
    article = approve_all(article)
    with pytest.raises(PermissionDenied):
        services.order_headline(article=article, by=user_named("edu_liaison"))
    directive = services.order_headline(
        article=article, by=user_named("operator"), reason="重要会议", site=demo
    )
    assert directive.executed_at is None  # not online yet
    assert selectors.current_headline(demo) != article
    services.publish(article=article, by=user_named("edu_liaison"))
    directive.refresh_from_db()
    assert directive.executed_at is not None and directive.ordered_by.username == "operator"
    assert selectors.current_headline(demo) == article
    services.withdraw(article=article, by=user_named("edu_liaison"), reason="撤下")
    assert selectors.current_headline(demo) != article


def test_liaison_handover_moves_open_drafts_to_the_new_person(make_article, user_named):
    edu = Unit.objects.get(org_code="009401002")
    newcomer = create_staff(username="edu_liaison2", unit=edu, password="x-Portal-2026")
    draft = make_article(title="交接中的草稿")
    in_review = make_article(title="交接中的待审信息")
    services.submit(article=in_review, by=in_review.author)
    published = approve_all(make_article(title="交接前已发布"))
    record = hand_over_liaison(
        unit=edu,
        old_user=user_named("edu_liaison"),
        new_user=newcomer,
        performed_by=user_named("operator"),
    )
    for article in (draft, in_review, published):
        article.refresh_from_db()
    assert draft.author == newcomer and in_review.author == newcomer
    assert published.author == user_named("edu_liaison")
    assert record.moved["drafts"] >= 1 and record.moved["submissions"] >= 1


def test_secrecy_and_public_opinion_steps_come_from_configuration(make_article, user_named):
    edu = Unit.objects.get(org_code="009401002")
    chain = ReviewChain.objects.get(unit=edu, importance="general")
    ReviewStep.objects.create(chain=chain, position=3, name="保密审查", role=Role.SECRECY_OFFICER)
    ReviewStep.objects.create(
        chain=chain,
        position=4,
        name="涉舆审核",
        role=Role.OPINION_LEADER,
        only_if_opinion_sensitive=True,
    )
    gov = Unit.objects.get(org_code="009401001")
    secrecy = create_staff(
        username="edu_secrecy", unit=edu, roles=[Role.SECRECY_OFFICER], password="x-Portal-2026"
    )
    district = create_staff(
        username="district_leader", unit=gov, roles=[Role.OPINION_LEADER], password="x-Portal-26"
    )
    plain = make_article(title="普通信息")
    sensitive = make_article(title="敏感信息", may_stir_opinion=True)
    plain_run = services.submit(article=plain, by=plain.author)
    sensitive_run = services.submit(article=sensitive, by=sensitive.author)
    assert [s["name"] for s in plain_run.steps] == ["初审", "复审", "保密审查"]
    assert [s["name"] for s in sensitive_run.steps][-1] == "涉舆审核"

    for username in ("edu_head", "edu_deputy"):
        decide_as(sensitive_run, user_named(username))
    fin_secrecy = create_staff(
        username="fin_secrecy",
        unit=Unit.objects.get(org_code="009401003"),
        roles=[Role.SECRECY_OFFICER],
        password="x-Portal-2026",
    )
    with pytest.raises(PermissionDenied):
        decide_as(sensitive_run, fin_secrecy)
    decide_as(sensitive_run, secrecy)
    # The district leader belongs to another unit but decides 涉舆 for every unit.
    assert sensitive_run in selectors.review_inbox(district)
    decide_as(sensitive_run, district)
    sensitive.refresh_from_db()
    assert sensitive.status == ArticleStatus.PUBLISHED


def test_demo_has_articles_in_every_column_and_items_in_each_review_state(demo):
    from columns.models import Column
    from publishing.models import Article

    assert not Column.objects.filter(articles__isnull=True).exists()
    states = set(Article.objects.values_list("status", flat=True))
    assert {
        "draft",
        "in_review",
        "returned",
        "approved",
        "scheduled",
        "published",
        "withdrawn",
    } <= states
    assert Article.objects.filter(kind="interpretation", policy__isnull=False).exists()
    important = Article.objects.get(title="区教育局经三审发布：全区重点工作推进会召开")
    assert [d.step_name for d in important.review_runs.get().decisions.all()] == [
        "初审",
        "复审",
        "终审",
    ]
    assert HeadlineDirective.objects.filter(executed_at__isnull=False).exists()


def test_demo_load_twice_changes_nothing(demo):
    from publishing import demo as publishing_demo
    from publishing.models import Article, ArticleRevision

    before = (
        Article.objects.count(),
        ArticleRevision.objects.count(),
        ReviewDecision.objects.count(),
    )
    publishing_demo.load()
    after = (
        Article.objects.count(),
        ArticleRevision.objects.count(),
        ReviewDecision.objects.count(),
    )
    assert before == after

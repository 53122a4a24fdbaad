"""The article state machine (with its review steps) offers each demo account exactly the
actions its services accept, in every state an article can be in (generated, like the
unit-isolation matrix)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from publishing import services, workflow
from publishing.content_checks import awaiting_override
from publishing.models import Article
from tests.publishing.conftest import approve_all, decide_as
from tests.state_machines import assert_offered_exactly_where_accepted

pytestmark = pytest.mark.django_db

PERSONAL_DATA = "<p>联系人身份证11010519491231002X，电话13812345678。</p>"


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def in_state(make_article):
    """in_state[name]() -> an article of the edu unit, written by edu_liaison, brought to that
    state by the services."""
    liaison = _user("edu_liaison")

    def draft(**fields):
        return make_article(publish_on_approval=False, **fields)

    def in_review(body=None):
        article = draft()
        if body is not None:
            article.body = body
            services.save_article(article=article, by=liaison)
        services.submit(article=article, by=liaison)
        return article

    def at_second_step():
        article = in_review()
        decide_as(article.review_runs.get(), _user("edu_head"))
        return article

    def returned():
        article = in_review()
        decide_as(article.review_runs.get(), _user("edu_head"), outcome="return", comment="改")
        return article

    def published(**fields):
        article = approve_all(draft(**fields))
        return services.publish(article=article, by=liaison)

    def scheduled():
        return services.schedule(
            article=approve_all(draft()), by=liaison, at=timezone.now() + timedelta(days=1)
        )

    def withdrawn():
        return services.withdraw(article=published(), by=liaison, reason="撤下")

    def expired():
        article = published()
        # Arranged: its expiry time has come; the beat takes it off the site.
        Article.objects.filter(pk=article.pk).update(expires_at=timezone.now())
        services.expire_due_articles()
        return article

    def repealed_policy():
        policy = published(column="edu-policies", kind="policy", issuing_body="区教育局")
        return services.mark_invalid(article=policy, by=liaison, validity="repealed")

    return {
        "draft": draft,
        "draft policy": lambda: draft(
            column="edu-policies", kind="policy", issuing_body="区教育局"
        ),
        "in review, first step": in_review,
        "in review, second step": at_second_step,
        "in review, personal data to let through": lambda: in_review(body=PERSONAL_DATA),
        "returned": returned,
        "approved": lambda: approve_all(draft()),
        "scheduled": scheduled,
        "published": published,
        "published policy": lambda: published(
            column="edu-policies", kind="policy", issuing_body="区教育局"
        ),
        "repealed policy": repealed_policy,
        "withdrawn": withdrawn,
        "expired": expired,
    }


def _run(article):
    run = article.review_runs.order_by("-pk").first()
    if run is None:
        raise ValidationError("never submitted: there is no review to decide")
    return run


def _decide(outcome):
    def call(article, user):
        run = _run(article)
        return services.decide(
            run=run, step_index=run.current_index, by=user, outcome=outcome, comment="意见"
        )

    return call


def _override(article, user):
    run = _run(article)
    finding = awaiting_override(run).first() or article.content_findings.first()
    if finding is None:
        raise ValidationError("nothing was found: there is nothing to let through")
    return services.override_finding(run=run, finding=finding, by=user, reason="已征得同意")


CALLS = {
    "submit": lambda a, u: services.submit(article=a, by=u),
    "approve": _decide("approve"),
    "return": _decide("return"),
    "override": _override,
    "publish": lambda a, u: services.publish(article=a, by=u),
    "schedule": lambda a, u: services.schedule(
        article=a, by=u, at=timezone.now() + timedelta(days=2)
    ),
    "withdraw": lambda a, u: services.withdraw(article=a, by=u, reason="撤下"),
    "mark_invalid": lambda a, u: services.mark_invalid(article=a, by=u, validity="invalid"),
    "order_headline": lambda a, u: services.order_headline(article=a, by=u, reason="重要"),
}


def test_every_account_is_offered_exactly_what_the_services_accept(in_state):
    assert_offered_exactly_where_accepted(
        in_state.items(),
        table=workflow.ACTION_TABLE,
        available=workflow.available_actions,
        calls=CALLS,
        model=Article,
    )

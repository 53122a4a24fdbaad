"""Two reviewers at once, two index numbers at once: PostgreSQL row locks make one winner."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from columns.models import Role, Unit
from columns.services import create_staff
from publishing import services
from publishing.models import Article, ArticleStatus, ReviewDecision
from tests.concurrency import ONLY_ON_POSTGRESQL, run_at_once

pytestmark = ONLY_ON_POSTGRESQL


def test_two_reviewers_deciding_the_same_step_at_once_record_one_decision(demo, make_article):
    edu = Unit.objects.get(org_code="009401002")
    second_head = create_staff(
        username="edu_head2", unit=edu, roles=[Role.SECTION_HEAD], password="x-Portal-2026"
    )
    first_head = get_user_model().objects.get(username="edu_head")
    article = make_article(title="并发审核测试")
    run = services.submit(article=article, by=article.author)

    outcomes = run_at_once(
        lambda: services.decide(run=run, step_index=0, by=first_head, outcome="approve"),
        lambda: services.decide(
            run=run, step_index=0, by=second_head, outcome="return", comment="退回"
        ),
    )

    kinds = sorted(kind for kind, _value in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ValidationError)
    assert "该环节已有审核结论" in " ".join(error.messages)
    assert ReviewDecision.objects.filter(run=run).count() == 1
    run.refresh_from_db()
    article.refresh_from_db()
    winner = ReviewDecision.objects.get(run=run)
    if winner.outcome == "approve":
        assert run.current_index == 1 and article.status == ArticleStatus.IN_REVIEW
    else:
        assert article.status == ArticleStatus.RETURNED


def test_index_numbers_drawn_at_once_are_distinct(demo):
    edu = Unit.objects.get(org_code="009401002")
    numbers = run_at_once(*[lambda: services.next_index_number(edu, 2031) for _ in range(4)])
    assert all(kind == "ok" for kind, _n in numbers), numbers
    drawn = sorted(n for _kind, n in numbers)
    assert drawn == [f"009401002/2031-{i:05d}" for i in range(1, 5)]
    assert not Article.objects.filter(index_number__in=drawn).exists()

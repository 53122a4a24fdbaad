"""Update rules are data: the national gaps per category, stricter local rules per column."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from columns.models import CategoryUpdateRule, Column, OperationLog
from columns.selectors import update_rules

pytestmark = pytest.mark.django_db


def test_national_rules_are_stored_per_category(demo):
    assert update_rules() == {
        "news": 14,
        "notice": 183,
        "policy": 183,
        "personnel": 365,
        "planning": 365,
        "overview": 365,
        "interaction": 365,
        "service": 365,
        "topic": 365,
        "other": 365,
    }
    assert CategoryUpdateRule.objects.count() == 10


def test_effective_max_gap_is_the_stricter_of_national_and_local(column_at):
    headlines = column_at("news/headlines")
    personnel = column_at("xxgk/personnel")
    assert headlines.max_gap == timedelta(days=14)
    assert personnel.max_gap == timedelta(days=365)
    headlines.max_gap_days = 7
    assert headlines.effective_max_gap() == timedelta(days=7)
    # One read of the rules for a whole freshness run.
    rules = update_rules()
    assert personnel.effective_max_gap(rules) == timedelta(days=365)


def test_operator_edits_a_category_rule_in_the_admin(login_as, column_at):
    rule = CategoryUpdateRule.objects.get(category="news")
    response = login_as("operator").post(
        f"/admin/columns/categoryupdaterule/{rule.pk}/change/",
        {"category": "news", "max_gap_days": 10, "basis": rule.basis},
    )
    assert response.status_code == 302
    assert column_at("news/headlines").max_gap == timedelta(days=10)
    assert OperationLog.objects.filter(action="update_rule_changed").exists()


def test_liaison_cannot_edit_category_rules(login_as):
    rule = CategoryUpdateRule.objects.get(category="news")
    response = login_as("edu_liaison").post(
        f"/admin/columns/categoryupdaterule/{rule.pk}/change/",
        {"category": "news", "max_gap_days": 999, "basis": ""},
    )
    assert response.status_code == 403
    rule.refresh_from_db()
    assert rule.max_gap_days == 14


def test_local_rule_looser_than_national_is_refused(column_at):
    headlines = column_at("news/headlines")
    headlines.max_gap_days = 30
    with pytest.raises(ValidationError) as error:
        headlines.full_clean()
    assert "只能更严格" in str(error.value)
    assert Column.objects.get(pk=headlines.pk).max_gap_days is None


def test_local_minimums_are_stored_on_the_column(login_as, column_at):
    homepage_news = column_at("news")
    from .test_tree_admin import change_data

    response = login_as("operator").post(
        f"/admin/columns/column/{homepage_news.pk}/change/",
        change_data(
            homepage_news,
            min_updates_per_week=2,
            min_updates_per_month=20,
            max_working_days_between_updates=5,
        ),
    )
    assert response.status_code == 302
    homepage_news.refresh_from_db()
    assert (
        homepage_news.min_updates_per_week,
        homepage_news.min_updates_per_month,
        homepage_news.max_working_days_between_updates,
    ) == (2, 20, 5)

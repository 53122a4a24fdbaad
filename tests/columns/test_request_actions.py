"""The operator-request state machine (objections, special-topic requests) offers each demo
account exactly the decisions its services accept, pending or decided (generated, like the
unit-isolation matrix)."""

import pytest

from columns import workflow
from columns.models import ColumnObjection, SpecialTopicRequest
from columns.services import (
    decide_objection,
    decide_topic_request,
    file_objection,
    request_special_topic,
)
from tests.state_machines import assert_offered_exactly_where_accepted

pytestmark = pytest.mark.django_db


@pytest.fixture
def objections(column_at, user_named, unit_named):
    """name -> an objection of a unit to its news column, pending or decided; each proposes the
    government office to take the column over."""

    def filed(unit="edu"):
        return file_objection(
            column=column_at(f"news/dept-news/{unit}-news"),
            filed_by=user_named(f"{unit}_liaison"),
            reason="人手不足",
            proposed_unit=unit_named("区政府办公室"),
        )

    def decided(accept, unit):
        objection = filed(unit)
        decide_objection(
            objection=objection, decided_by=user_named("operator"), accept=accept, reason="理由"
        )
        return objection

    # A unit has one pending objection per column at a time, and an accepted one moves the
    # column away: the rejected one comes first, the accepted one is the finance office's.
    return {
        "rejected": lambda: decided(False, "edu"),
        "pending": filed,
        "accepted": lambda: decided(True, "fin"),
    }


@pytest.fixture
def topic_requests(column_at, user_named, demo):
    """name -> a special-topic request of the edu unit, pending or decided."""
    counter = iter(range(100))

    def filed():
        n = next(counter)
        return request_special_topic(
            requested_by=user_named("edu_liaison"),
            site=demo,
            parent=column_at("topics"),
            name=f"双减工作专栏{n}",
            slug=f"double-reduction-{n}",
            reason="按市教育局要求开设。",
            starts_on=None,
            ends_on=None,
        )

    def decided(approve):
        topic = filed()
        decide_topic_request(
            topic_request=topic, decided_by=user_named("operator"), approve=approve, reason="理由"
        )
        return topic

    return {"pending": filed, "accepted": lambda: decided(True), "rejected": lambda: decided(False)}


def _matrix(builders, calls, model):
    assert_offered_exactly_where_accepted(
        builders.items(),
        table=workflow.ACTION_TABLE,
        available=workflow.available_actions,
        calls=calls,
        model=model,
    )


def test_objection_decisions_are_offered_exactly_where_accepted(objections):
    calls = {
        "accept": lambda o, u: decide_objection(
            objection=o, decided_by=u, accept=True, reason="同意"
        ),
        "reject": lambda o, u: decide_objection(
            objection=o, decided_by=u, accept=False, reason="否"
        ),
    }
    _matrix(objections, calls, ColumnObjection)


def test_topic_request_decisions_are_offered_exactly_where_accepted(topic_requests):
    calls = {
        "accept": lambda t, u: decide_topic_request(topic_request=t, decided_by=u, approve=True),
        "reject": lambda t, u: decide_topic_request(
            topic_request=t, decided_by=u, approve=False, reason="否"
        ),
    }
    _matrix(topic_requests, calls, SpecialTopicRequest)

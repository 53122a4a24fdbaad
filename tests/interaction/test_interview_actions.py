"""The interview state machine (在线访谈) offers each demo account exactly the actions its
services accept, in every state an interview can be in (generated, like the unit-isolation
matrix)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from columns.models import Site
from interaction.participation import services, workflow
from interaction.participation.models import Guest, Interview
from tests.state_machines import assert_offered_exactly_where_accepted

from .test_participation import PORTAL, make_interview, user

pytestmark = pytest.mark.django_db


def _unannounced(with_guests):
    liaison = user("edu_liaison")
    interview = services.save_interview(
        interview=Interview(
            site=Site.objects.get(site_code=PORTAL),
            unit=liaison.staff_profile.unit,
            title="未发布的访谈",
            starts_at=timezone.now() + timedelta(days=1),
            ends_at=timezone.now() + timedelta(days=1, hours=1),
        ),
        by=liaison,
    )
    if with_guests:
        Guest.objects.create(interview=interview, name="张华", title="局长")
    return interview


STATES = {
    "scheduled, no guests yet": lambda: _unannounced(with_guests=False),
    "scheduled, not announced": lambda: _unannounced(with_guests=True),
    "scheduled, announced": lambda: make_interview(),
    "live": lambda: make_interview(start=0, live=True),
    "archived": lambda: services.end_interview(
        interview=make_interview(start=0, live=True), by=user("edu_liaison")
    ),
}

CALLS = {
    "publish": lambda i, u: services.publish_interview(interview=i, by=u),
    "start": lambda i, u: services.start_interview(interview=i, by=u),
    "end": lambda i, u: services.end_interview(interview=i, by=u),
    "post_entry": lambda i, u: services.post_entry(interview=i, by=u, text="主持人：欢迎收看。"),
}


def test_every_account_is_offered_exactly_what_the_services_accept(demo):
    assert_offered_exactly_where_accepted(
        STATES.items(),
        table=workflow.ACTION_TABLE,
        available=workflow.available_actions,
        calls=CALLS,
        model=Interview,
    )

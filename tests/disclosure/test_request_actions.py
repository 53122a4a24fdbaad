"""The disclosure-request state machine offers each demo account exactly the actions its
services accept, in every state a request can be in (generated, like the unit-isolation
matrix)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from disclosure import services, workflow
from disclosure.models import DisclosureRequest
from tests.state_machines import assert_offered_exactly_where_accepted

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_state(apply, assigned, user_named):
    """in_state -> {state: a function bringing a new request of the edu unit there through
    the services}."""
    liaison, head = user_named("edu_liaison"), user_named("edu_head")

    def extension(decided=False):
        request = assigned()
        extension = services.request_extension(
            request=request, by=liaison, working_days=5, reason="需调取档案"
        )
        if decided:
            services.decide_extension(
                extension=extension, by=user_named("edu_deputy"), approve=False, reason="不必"
            )
        return request

    def clarification():
        return services.request_clarification(request=assigned(), by=liaison, question="请说明年份")

    def drafted():
        return services.draft_reply(request=assigned(), by=liaison, reply_type="not_held")

    def answered():
        return services.approve_reply(request=drafted(), by=head)

    def withdrawn():
        request = clarification()
        services.withdraw_unclarified(now=request.clarification_due_at + timedelta(seconds=1))
        return DisclosureRequest.objects.get(pk=request.pk)

    return {
        "received": lambda: apply()[0],
        "assigned": assigned,
        "assigned, extension pending": extension,
        "assigned, extension refused": lambda: extension(decided=True),
        "clarification": clarification,
        "consulting": lambda: services.start_consultation(
            request=assigned(), by=liaison, third_party="某建设公司"
        ),
        "reply_drafted": drafted,
        "answered": answered,
        "closed": lambda: services.record_delivery(request=answered(), by=liaison, note="已邮寄"),
        "withdrawn": withdrawn,
    }


def _decide_extension(request, user):
    extension = request.extensions.order_by("-pk").first()
    if extension is None:
        # Nothing to decide: the service cannot even be called.
        raise ValidationError("no extension request")
    return services.decide_extension(extension=extension, by=user, approve=True)


def _calls(unit_named):
    edu = unit_named("区教育局")
    return {
        "assign": lambda r, u: services.assign(request=r, by=u, unit=edu),
        "draft_reply": lambda r, u: services.draft_reply(request=r, by=u, reply_type="not_held"),
        "approve_reply": lambda r, u: services.approve_reply(request=r, by=u),
        "return_reply": lambda r, u: services.return_reply(request=r, by=u, comment="请修改"),
        "clarify": lambda r, u: services.request_clarification(
            request=r, by=u, question="请说明所需信息的年份"
        ),
        "consult": lambda r, u: services.start_consultation(request=r, by=u, third_party="某公司"),
        "end_consultation": lambda r, u: services.end_consultation(
            request=r, by=u, opinion="同意公开"
        ),
        "request_extension": lambda r, u: services.request_extension(
            request=r, by=u, working_days=3, reason="需调取档案"
        ),
        "decide_extension": _decide_extension,
        "deliver": lambda r, u: services.record_delivery(request=r, by=u, note="已邮寄"),
    }


def _reached(state, build):
    """build, checked to bring its request to the state it is named after."""

    def checked():
        request = build()
        assert request.status == state.split(",")[0], state
        return request

    return checked


def test_every_account_is_offered_exactly_what_the_services_accept(in_state, unit_named):
    assert_offered_exactly_where_accepted(
        [(state, _reached(state, build)) for state, build in in_state.items()],
        table=workflow.ACTION_TABLE,
        available=workflow.available_actions,
        calls=_calls(unit_named),
        model=DisclosureRequest,
    )


def test_the_request_page_shows_the_forms_of_the_offered_actions_only(assigned, login_as):
    """The panel asks the same table: the liaison gets the unit's forms, not the dispatcher's
    or the section head's; the dispatcher none of the unit's."""
    request = assigned()
    page = f"/admin/disclosure/disclosurerequest/{request.pk}/change/"
    liaison = login_as("edu_liaison").get(page).content.decode()
    for form in ("draft_reply", "clarify", "consult", "request_extension"):
        assert f"/act/{form}/" in liaison, form
    for form in ("assign", "approve_reply", "return_reply", "decide_extension", "deliver"):
        assert f"/act/{form}/" not in liaison, form
    dispatcher = login_as("dispatcher").get(page).content.decode()
    assert "/act/" not in dispatcher

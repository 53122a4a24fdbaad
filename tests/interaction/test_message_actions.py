"""The message state machine offers each demo account exactly the actions its services accept,
in every state a message can be in (generated, like the unit-isolation matrix)."""

import pytest
from django.core.exceptions import ValidationError

from interaction import services, workflow
from interaction.models import MailboxPolicy, Message, MessageStatus
from tests.state_machines import assert_offered_exactly_where_accepted

pytestmark = pytest.mark.django_db

PHONE = "13712345678"


def _answered(routed, user_named):
    message = routed(phone=PHONE)
    services.draft_reply(message=message, by=user_named("edu_liaison"), body="答复内容")
    return services.approve_reply(message=message, by=user_named("edu_head"))


@pytest.fixture
def in_state(submit, routed, user_named, portal):
    """in_state(name) -> a message of the edu unit brought to that state by the services."""
    edu = {"phone": PHONE}

    def extension_pending():
        message = routed(**edu)
        services.request_extension(
            message=message, by=user_named("edu_liaison"), working_days=2, reason="需调查"
        )
        return message

    def reply_approved():
        MailboxPolicy.objects.update_or_create(site=portal, defaults={"reply_needs_leader": True})
        message = routed(**edu)
        services.draft_reply(message=message, by=user_named("edu_liaison"), body="答复内容")
        message = services.approve_reply(message=message, by=user_named("edu_head"))
        # The other states' replies go out at the section head's approval, as by default.
        MailboxPolicy.objects.filter(site=portal).update(reply_needs_leader=False)
        return message

    def merged():
        message, _pw = submit(**edu)
        first, _pw = submit(**edu)
        return services.merge(message=message, into=first, by=user_named("dispatcher"))

    builders = {
        "held": lambda: submit(content="这是一份内部资料的内容", **edu)[0],
        "received": lambda: submit(**edu)[0],
        "assigned": lambda: routed(**edu),
        "assigned, extension pending": extension_pending,
        "transfer_requested": lambda: services.request_transfer(
            message=routed(**edu), by=user_named("edu_liaison"), reason="应由财政局办理"
        ),
        "awaiting_info": lambda: services.request_info(
            message=routed(**edu), by=user_named("edu_liaison"), question="请补充地址"
        ),
        "reply_drafted": lambda: services.draft_reply(
            message=routed(**edu), by=user_named("edu_liaison"), body="答复内容"
        ),
        "reply_approved": reply_approved,
        "answered": lambda: _answered(routed, user_named),
        "rated": lambda: services.rate(message=_answered(routed, user_named), rating="unsatisfied"),
        "closed": lambda: services.close(
            message=_answered(routed, user_named), by=user_named("dispatcher")
        ),
        "merged": merged,
    }
    return builders


def _decide_extension(message, user):
    extension = message.extensions.order_by("-pk").first()
    if extension is None:
        # Nothing to decide: the service cannot even be called.
        raise ValidationError("no extension request")
    return services.decide_extension(extension=extension, by=user, approve=True)


def _merge(message, user):
    into = Message.objects.filter(phone=PHONE, status=MessageStatus.RECEIVED).exclude(pk=message.pk)
    return services.merge(message=message, into=into.first() or message, by=user)


def _calls(unit_named):
    fin = unit_named("区财政局")
    edu = unit_named("区教育局")
    return {
        "release": lambda m, u: services.release(message=m, by=u),
        "discard": lambda m, u: services.discard(message=m, by=u, reason="广告"),
        "route": lambda m, u: services.route(message=m, by=u, unit=edu),
        "decide_transfer": lambda m, u: services.decide_transfer(
            message=m, by=u, approve=True, unit=fin if m.unit_id != fin.pk else edu
        ),
        "change_kind": lambda m, u: services.change_kind(
            message=m, by=u, kind="complaint", reason="实为投诉"
        ),
        "merge": _merge,
        "close": lambda m, u: services.close(message=m, by=u),
        "decide_extension": _decide_extension,
        "request_transfer": lambda m, u: services.request_transfer(
            message=m, by=u, reason="不属本单位"
        ),
        "request_info": lambda m, u: services.request_info(message=m, by=u, question="请补充"),
        "request_extension": lambda m, u: services.request_extension(
            message=m, by=u, working_days=1, reason="需调查"
        ),
        "draft_reply": lambda m, u: services.draft_reply(message=m, by=u, body="答复"),
        "approve_reply": lambda m, u: services.approve_reply(message=m, by=u),
        "return_reply": lambda m, u: services.return_reply(message=m, by=u, comment="请修改"),
    }


def test_every_account_is_offered_exactly_what_the_services_accept(in_state, submit, unit_named):
    # The open message of the same contact a duplicate is merged into.
    submit(phone=PHONE)
    assert_offered_exactly_where_accepted(
        in_state.items(),
        table=workflow.ACTION_TABLE,
        available=workflow.available_actions,
        calls=_calls(unit_named),
        model=Message,
    )

"""The POST endpoint of the business actions on a request's page, dispatched from
PANEL_ACTIONS to services; DisclosureRequestAdmin registers it in get_urls."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy

from columns.admin_pages import PanelActionView, panel_call
from columns.models import Unit

from . import services
from .models import RequestExtension


def _number(data, field):
    return int(data.get(field) or 0)


def _decide_extension(obj, data, user):
    return services.decide_extension(
        extension=obj.extensions.get(status=RequestExtension.Status.PENDING),
        by=user,
        approve=data.get("outcome") == "approve",
        reason=data.get("reason", ""),
    )


def _draft_reply(obj, data, user):
    return services.draft_reply(
        request=obj,
        by=user,
        reply_type=data.get("reply_type", ""),
        ground=data.get("ground", ""),
        competent_body=data.get("competent_body", ""),
        body=data.get("body", ""),
        fee_amount=Decimal(data.get("fee_amount") or "0"),
        fee_reason=data.get("fee_reason", ""),
    )


#: The panel's forms: action -> (the service call with the form's data, what the user is told).
PANEL_ACTIONS = {
    "assign": (
        lambda r, data, user: services.assign(
            request=r, by=user, unit=Unit.objects.filter(pk=_number(data, "unit")).first()
        ),
        gettext_lazy("Sent to the unit."),
    ),
    "clarify": (
        lambda r, data, user: services.request_clarification(
            request=r,
            by=user,
            question=data.get("question", ""),
            working_days=_number(data, "working_days"),
        ),
        gettext_lazy("The applicant was asked to clarify; the period counts from the answer."),
    ),
    "consult": (
        panel_call(services.start_consultation, "request", third_party="party"),
        gettext_lazy("Consultation recorded; its time is not counted."),
    ),
    "end_consultation": (
        panel_call(services.end_consultation, "request", "opinion"),
        gettext_lazy("Opinion recorded; the due date moved by the working days it took."),
    ),
    "request_extension": (
        lambda r, data, user: services.request_extension(
            request=r,
            by=user,
            working_days=_number(data, "working_days"),
            reason=data.get("reason", ""),
        ),
        gettext_lazy("Extension requested from the head of the disclosure office."),
    ),
    "decide_extension": (_decide_extension, gettext_lazy("Extension decided.")),
    "draft_reply": (_draft_reply, gettext_lazy("Reply saved and sent for approval.")),
    "approve_reply": (
        panel_call(services.approve_reply, "request"),
        gettext_lazy("Approved: the reply notice was sent to the applicant."),
    ),
    "return_reply": (
        panel_call(services.return_reply, "request", "comment"),
        gettext_lazy("The reply was returned."),
    ),
    "deliver": (
        panel_call(services.record_delivery, "request", "note"),
        gettext_lazy("Delivery recorded; the request is closed."),
    ),
}


class RequestActionView(PanelActionView):
    """The panel's business actions on a disclosure request (PANEL_ACTIONS)."""

    stale_form = {
        InvalidOperation: gettext_lazy("The form was incomplete; reload the page and try again."),
        RequestExtension.DoesNotExist: gettext_lazy(
            "The form was incomplete; reload the page and try again."
        ),
    }
    actions = PANEL_ACTIONS

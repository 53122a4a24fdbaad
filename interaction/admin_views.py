"""The mailbox's own admin pages beside MessageAdmin: the panel on a message's page, the
POST endpoint of its business actions (dispatched from PANEL_ACTIONS to services) and the
to-do list (留言待办). MessageAdmin registers them in get_urls and keeps presentation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from columns.admin_pages import ModelAdminPage, PanelActionView, panel_call
from columns.models import Unit

from . import masking, selectors, services, workflow
from .models import ExtensionRequest, Message, MessageKind, MessageStatus
from .working_days import WorkingCalendar, local_date


class InboxView(ModelAdminPage):
    def get(self, request):
        """留言待办 — by section: to route, extensions, to answer, to approve; most urgent first."""
        if not self.model_admin.has_view_permission(request):
            raise PermissionDenied
        calendar = WorkingCalendar.load()
        today = local_date(timezone.now())
        titles = {
            "to_route": _("To route (received, held or asked to transfer)"),
            "extensions": _("Extension requests"),
            "to_answer": _("My unit's messages to answer"),
            "to_approve": _("Replies waiting for my approval"),
            "to_approve_as_leader": _("Replies waiting for the leader's approval"),
        }
        sections = []
        for key, rows in selectors.inbox(request.user).items():
            items = []
            for row in rows:
                message = row.message if isinstance(row, ExtensionRequest) else row
                items.append(
                    {
                        "message": message,
                        "extension": row if isinstance(row, ExtensionRequest) else None,
                        "due_on": local_date(message.due_at),
                        "days_left": days_left(calendar, today, message),
                    }
                )
            sections.append({"key": key, "title": titles[key], "items": items})
        return self.render(
            request,
            "admin/interaction/message/inbox.html",
            title=_("Mailbox to-do"),
            sections=sections,
        )


def panel(request, message):
    """The panel on a message's page: its deadline, contact data for those who may see them,
    and the business actions this user may take now."""
    user = request.user
    may = {action.name: action for action in workflow.available_actions(message, user)}
    # The reply's review form holds both buttons, approve and return.
    may["review_reply"] = "approve_reply" in may
    calendar = WorkingCalendar.load()
    return {
        "message": message,
        # What the public will read once the reply is out, personal data masked.
        "public_preview": masking.public_version(message) if message.publish_allowed else None,
        "contact": (
            services.view_contact(message=message, by=user, request=request)
            if selectors.may_see_contact(user, message)
            else None
        ),
        "due_on": local_date(message.due_at),
        "days_left": days_left(calendar, local_date(timezone.now()), message),
        "units": Unit.objects.order_by("pk"),
        "kinds": MessageKind.choices,
        "pending_extension": message.extensions.filter(
            status=ExtensionRequest.Status.PENDING
        ).first(),
        "transfer_reason": (
            message.events.filter(action="request_transfer").last()
            if message.status == MessageStatus.TRANSFER_REQUESTED
            else None
        ),
        "may": may,
    }


def _unit_from(data, field):
    return Unit.objects.get(pk=int(data.get(field) or 0))


def _decide_transfer(message, data, user):
    approve = data.get("outcome") == "approve"
    return services.decide_transfer(
        message=message,
        by=user,
        approve=approve,
        unit=_unit_from(data, "unit") if approve else None,
        reason=data.get("reason", ""),
    )


def _merge(message, data, user):
    into = Message.objects.filter(tracking_code=data.get("into", "").strip().upper()).first()
    if into is None:
        raise ValidationError(_("No message has this tracking code."))
    return services.merge(message=message, into=into, by=user)


def _decide_extension(message, data, user):
    return services.decide_extension(
        extension=message.extensions.get(pk=int(data.get("extension") or 0)),
        by=user,
        approve=data.get("outcome") == "approve",
        reason=data.get("reason", ""),
    )


def _reply_approved(message):
    if message.status == MessageStatus.ANSWERED:
        return _("Approved: the reply was sent to the citizen.")
    return _("Approved: the reply waits for the leader.")


#: The panel's forms: action (as in workflow.ACTION_TABLE) -> (the service call with the
#: form's data, what the user is told when it is done).
PANEL_ACTIONS = {
    "release": (
        panel_call(services.release, "message"),
        gettext_lazy("Accepted: the message can be routed now."),
    ),
    "discard": (
        panel_call(services.discard, "message", "reason"),
        gettext_lazy("The message was not accepted."),
    ),
    "route": (
        lambda m, data, user: services.route(message=m, by=user, unit=_unit_from(data, "unit")),
        gettext_lazy("Sent to the unit."),
    ),
    "decide_transfer": (_decide_transfer, gettext_lazy("Transfer decided.")),
    "change_kind": (
        panel_call(services.change_kind, "message", "kind", "reason"),
        gettext_lazy("Type changed; the due date was computed again."),
    ),
    "merge": (_merge, gettext_lazy("Merged.")),
    "close": (
        panel_call(services.close, "message"),
        gettext_lazy("Closed."),
    ),
    "decide_extension": (_decide_extension, gettext_lazy("Extension decided.")),
    "request_transfer": (
        panel_call(services.request_transfer, "message", "reason"),
        gettext_lazy("Transfer requested from the dispatcher."),
    ),
    "request_info": (
        panel_call(services.request_info, "message", "question"),
        gettext_lazy("The citizen was asked; the clock stands still until they answer."),
    ),
    "request_extension": (
        lambda m, data, user: services.request_extension(
            message=m,
            by=user,
            working_days=int(data.get("working_days") or 0),
            reason=data.get("reason", ""),
        ),
        gettext_lazy("Extension requested from the dispatcher."),
    ),
    "draft_reply": (
        panel_call(services.draft_reply, "message", "body"),
        gettext_lazy("Reply saved and sent for approval."),
    ),
    "approve_reply": (
        panel_call(services.approve_reply, "message"),
        _reply_approved,
    ),
    "return_reply": (
        panel_call(services.return_reply, "message", "comment"),
        gettext_lazy("The reply was returned to the unit."),
    ),
}


def days_left(calendar, today, message):
    """Working days from today until due (negative: overdue); none once the clock stopped."""
    if message.status not in workflow.CLOCK_RUNNING:
        return None
    return calendar.working_days_between(today, local_date(message.due_at))


class MessageActionView(PanelActionView):
    """The panel's business actions on a message (PANEL_ACTIONS)."""

    stale_form = {
        Unit.DoesNotExist: gettext_lazy("The form was incomplete; reload the page and try again."),
        ExtensionRequest.DoesNotExist: gettext_lazy(
            "The form was incomplete; reload the page and try again."
        ),
    }
    actions = PANEL_ACTIONS
    to_inbox = ("route", "approve_reply", "decide_transfer")
    inbox = "admin:interaction_message_inbox"

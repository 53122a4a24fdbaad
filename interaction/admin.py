"""Admin of the mailbox and the calendar: presentation and wiring; rules live in services.

Messages are read-only pages here: every change is a business action posted from the panel
on the message's page (route, transfer, reply, approve, extend, …) to services.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from columns.admin_cells import cut, short_date
from columns.admin_scoping import UnitScopedAdminMixin
from columns.audit import record
from columns.models import Unit
from columns.personal_data_admin import PersonalDataAdminMixin

from . import masking, selectors, services, workflow
from .models import (
    CalendarYear,
    DeadlineAlert,
    DeadlineChange,
    ExtensionRequest,
    MailboxPolicy,
    Message,
    MessageEvent,
    MessageImage,
    MessageKind,
    MessageStatus,
    WorkingDayOverride,
)
from .participation import admin as participation_admin  # noqa: F401 (registers its admin)
from .working_days import WorkingCalendar, local_date


class RecordedByAdmin(admin.ModelAdmin):
    """Calendar entries remember who made them."""

    recorded_by_field = "created_by"

    def save_model(self, request, obj, form, change):
        if getattr(obj, f"{self.recorded_by_field}_id") is None:
            setattr(obj, self.recorded_by_field, request.user)
        super().save_model(request, obj, form, change)
        record("calendar_changed", actor=request.user, target=obj, detail={"change": bool(change)})


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(RecordedByAdmin):
    list_display = ["day", "is_working", "reason", "created_by", "created_at"]
    list_filter = ["is_working"]
    date_hierarchy = "day"
    fields = ["day", "is_working", "reason"]


@admin.register(CalendarYear)
class CalendarYearAdmin(RecordedByAdmin):
    recorded_by_field = "confirmed_by"
    list_display = ["year", "notice", "confirmed_by", "confirmed_at"]
    fields = ["year", "notice"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        moved = services.confirm_deadlines(by=request.user)
        self.message_user(
            request,
            _("%(n)s open messages got a new due date counted on this arrangement.") % {"n": moved},
        )


@admin.register(MailboxPolicy)
class MailboxPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "site",
        "site_error_days",
        "consultation_days",
        "suggestion_days",
        "complaint_days",
        "handling_days",
        "reply_needs_leader",
    ]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


#: What each recorded action is called in the handling record.
ACTION_LABELS = {
    "submitted": gettext_lazy("Received from the citizen"),
    "release": gettext_lazy("Accepted after moderation"),
    "discard": gettext_lazy("Not accepted"),
    "route": gettext_lazy("Routed"),
    "request_transfer": gettext_lazy("Transfer requested"),
    "approve_transfer": gettext_lazy("Transfer approved"),
    "reject_transfer": gettext_lazy("Transfer refused"),
    "request_info": gettext_lazy("Citizen asked for information"),
    "supply_info": gettext_lazy("Citizen added information"),
    "draft_reply": gettext_lazy("Reply drafted"),
    "approve_reply": gettext_lazy("Reply approved"),
    "return_reply": gettext_lazy("Reply returned"),
    "send_reply": gettext_lazy("Reply sent"),
    "rate": gettext_lazy("Rated by the citizen"),
    "reopen": gettext_lazy("Reopened by the citizen"),
    "close": pgettext_lazy("message action", "Closed"),
    "merge": pgettext_lazy("message action", "Merged"),
    "change_kind": gettext_lazy("Type changed"),
    "request_extension": gettext_lazy("Extension requested"),
    "approve_extension": gettext_lazy("Extension approved"),
    "reject_extension": gettext_lazy("Extension refused"),
}


def _status_label(value):
    return MessageStatus(value).label if value in MessageStatus.values else "—"


class EventInline(ReadOnlyInline):
    model = MessageEvent
    fields = ["at", "action_label", "from_label", "to_label", "actor", "unit", "comment"]
    verbose_name_plural = gettext_lazy("handling record")

    @admin.display(description=gettext_lazy("action"))
    def action_label(self, event):
        return ACTION_LABELS.get(event.action, event.action)

    @admin.display(description=gettext_lazy("from"))
    def from_label(self, event):
        return _status_label(event.from_status)

    @admin.display(description=gettext_lazy("to"))
    def to_label(self, event):
        return _status_label(event.to_status)


class DeadlineInline(ReadOnlyInline):
    model = DeadlineChange
    fields = ["version", "reason", "due_at", "provisional", "note", "changed_by", "changed_at"]


class ExtensionInline(ReadOnlyInline):
    model = ExtensionRequest
    fields = [
        "working_days",
        "reason",
        "requested_by",
        "requested_at",
        "status",
        "decided_by",
        "decision_reason",
    ]


class AlertInline(ReadOnlyInline):
    model = DeadlineAlert
    fields = ["kind", "deadline_version", "sent_at", "recipients"]


class ImageInline(ReadOnlyInline):
    model = MessageImage
    fields = ["image"]


def working_days_left_column(calendar):
    """A list column: working days until due (negative: overdue), from one loaded calendar."""
    today = local_date(timezone.now())

    @admin.display(description=gettext_lazy("working days left"), ordering="due_at")
    def working_days_left(message):
        left = _days_left(calendar, today, message)
        return "—" if left is None else left

    return working_days_left


class MessageContactGuard(PersonalDataAdminMixin):
    """Contact data of messages: listed by them only where interaction.selectors allows."""

    def may_read_personal_data(self, request):
        return selectors.may_search_contact(request.user)


@admin.register(Message)
class MessageAdmin(MessageContactGuard, UnitScopedAdminMixin, admin.ModelAdmin):
    """留言办理: the dispatcher sees every message; a unit's staff only those assigned to it."""

    list_display_links = ["tracking_code", "subject_cell"]
    list_filter = ["status", "kind", "channel", "unit"]
    # The dispatcher finds a citizen's other messages by contact (to merge duplicates);
    # roles that may not see contact data search the first two only.
    search_fields = ["tracking_code", "subject", "name", "=phone", "=email"]
    # Most urgent first: messages whose clock runs, nearest due time first; the rest after.
    ordering = [
        Case(
            When(status__in=workflow.CLOCK_RUNNING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ).asc(),
        "due_at",
        "pk",
    ]
    change_form_template = "admin/interaction/message/change_form.html"
    change_list_template = "admin/interaction/message/change_list.html"
    readonly_fields = [
        "tracking_code",
        "site",
        "kind",
        "channel",
        "requested_unit",
        "unit",
        "assignee",
        "status",
        "subject",
        "content",
        "page_url",
        "publish_allowed",
        "received_at",
        "due_at",
        "due_provisional",
        "cap_at",
        "deadline_version",
        "clock_stopped_days",
        "reply_body",
        "answered_at",
        "rating",
        "merged_into",
        "moderation_findings",
    ]
    fields = readonly_fields
    inlines = [ImageInline, EventInline, DeadlineInline, ExtensionInline, AlertInline]

    def scope(self, request, queryset):
        if selectors.is_dispatcher(request.user):
            return queryset
        return queryset.filter(pk__in=selectors.messages_for_user(request.user).values("pk"))

    def get_list_display(self, request):
        # A unit's staff see their own unit's messages only: a unit column would repeat it.
        unit = ["unit"] if selectors.sees_every_unit(request.user) else []
        return [
            "tracking_code",
            "subject_cell",
            "kind",
            "status",
            *unit,
            "received_on",
            "due_on",
            working_days_left_column(WorkingCalendar.load()),
            "masked_name",
        ]

    @admin.display(description=Message._meta.get_field("subject").verbose_name, ordering="subject")
    def subject_cell(self, message):
        return cut(message.subject)

    @admin.display(description=gettext_lazy("received on"), ordering="received_at")
    def received_on(self, message):
        return short_date(local_date(message.received_at))

    @admin.display(description=gettext_lazy("due on"), ordering="due_at")
    def due_on(self, message):
        day = short_date(local_date(message.due_at))
        if message.due_provisional:
            return _("%(day)s (provisional)") % {"day": day}
        return day

    @admin.display(description=gettext_lazy("citizen"))
    def masked_name(self, message):
        return message.masked_name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("inbox/", view(self.inbox_view), name="interaction_message_inbox"),
            path("<int:pk>/act/<str:action>/", view(self.act_view), name="interaction_message_act"),
        ] + super().get_urls()

    # --- pages ----------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        message = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), **self._panel(request, message)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _panel(self, request, message):
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
            "days_left": _days_left(calendar, local_date(timezone.now()), message),
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

    def act_view(self, request, pk, action):
        """One POST endpoint per business action; the service decides and explains refusals."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        message = self.get_object(request, str(pk))
        back = reverse("admin:interaction_message_change", args=[message.pk])
        if request.method != "POST":
            return redirect(back)
        if action not in PANEL_ACTIONS:
            raise PermissionDenied
        take, done = PANEL_ACTIONS[action]
        try:
            result = take(message, request.POST, request.user)
        except (
            ValidationError,
            PermissionDenied,
            ValueError,
            Unit.DoesNotExist,
            ExtensionRequest.DoesNotExist,
        ) as exc:
            messages.error(request, _error_text(exc))
            return redirect(back)
        messages.success(request, done(result) if callable(done) else done)
        if action in ("route", "approve_reply", "decide_transfer"):
            return redirect("admin:interaction_message_inbox")
        return redirect(back)

    def inbox_view(self, request):
        """留言待办 — by section: to route, extensions, to answer, to approve; most urgent first."""
        if not self.has_view_permission(request):
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
                        "days_left": _days_left(calendar, today, message),
                    }
                )
            sections.append({"key": key, "title": titles[key], "items": items})
        return TemplateResponse(
            request,
            "admin/interaction/message/inbox.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Mailbox to-do"),
                "sections": sections,
            },
        )


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
        lambda m, data, user: services.release(message=m, by=user),
        gettext_lazy("Accepted: the message can be routed now."),
    ),
    "discard": (
        lambda m, data, user: services.discard(message=m, by=user, reason=data.get("reason", "")),
        gettext_lazy("The message was not accepted."),
    ),
    "route": (
        lambda m, data, user: services.route(message=m, by=user, unit=_unit_from(data, "unit")),
        gettext_lazy("Sent to the unit."),
    ),
    "decide_transfer": (_decide_transfer, gettext_lazy("Transfer decided.")),
    "change_kind": (
        lambda m, data, user: services.change_kind(
            message=m, by=user, kind=data.get("kind", ""), reason=data.get("reason", "")
        ),
        gettext_lazy("Type changed; the due date was computed again."),
    ),
    "merge": (_merge, gettext_lazy("Merged.")),
    "close": (
        lambda m, data, user: services.close(message=m, by=user),
        gettext_lazy("Closed."),
    ),
    "decide_extension": (_decide_extension, gettext_lazy("Extension decided.")),
    "request_transfer": (
        lambda m, data, user: services.request_transfer(
            message=m, by=user, reason=data.get("reason", "")
        ),
        gettext_lazy("Transfer requested from the dispatcher."),
    ),
    "request_info": (
        lambda m, data, user: services.request_info(
            message=m, by=user, question=data.get("question", "")
        ),
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
        lambda m, data, user: services.draft_reply(message=m, by=user, body=data.get("body", "")),
        gettext_lazy("Reply saved and sent for approval."),
    ),
    "approve_reply": (
        lambda m, data, user: services.approve_reply(message=m, by=user),
        _reply_approved,
    ),
    "return_reply": (
        lambda m, data, user: services.return_reply(
            message=m, by=user, comment=data.get("comment", "")
        ),
        gettext_lazy("The reply was returned to the unit."),
    ),
}


def _days_left(calendar, today, message):
    if message.status not in workflow.CLOCK_RUNNING:
        return None
    return calendar.working_days_between(today, local_date(message.due_at))


def _error_text(exc):
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, ValueError | Unit.DoesNotExist | ExtensionRequest.DoesNotExist):
        return _("The form was incomplete; reload the page and try again.")
    return str(exc) or _("You may not do this.")


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(MessageContactGuard, UnitScopedAdminMixin, admin.ModelAdmin):
    """Alerts are records: read-only for everybody, and only of the messages one may see."""

    unit_path = "message__unit"

    def scope(self, request, queryset):
        return queryset.filter(message__in=selectors.messages_for_user(request.user))

    list_display = ["message", "kind", "deadline_version", "sent_at"]
    list_filter = ["kind"]
    readonly_fields = ["message", "kind", "deadline_version", "sent_at", "recipients"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Admin of the mailbox and the calendar: presentation and wiring; rules live in services.

Messages are read-only pages here: every change is a business action posted from the panel
on the message's page (route, transfer, reply, approve, extend, …) to services. The panel,
that action endpoint and the to-do list are pages of their own in interaction.admin_views.
"""

from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from columns.admin_cells import cut, short_date
from columns.admin_scoping import UnitScopedAdminMixin
from columns.audit import record
from columns.personal_data_admin import PersonalDataAdminMixin

from . import admin_views, selectors, services, workflow
from .casework_admin import CaseEventInline, ReadOnlyInline
from .models import (
    CalendarYear,
    DeadlineAlert,
    DeadlineChange,
    ExtensionRequest,
    MailboxPolicy,
    Message,
    MessageEvent,
    MessageImage,
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


class EventInline(CaseEventInline):
    model = MessageEvent
    fields = ["at", "action_label", "from_label", "to_label", "actor", "unit", "comment"]
    action_labels = ACTION_LABELS
    statuses = MessageStatus


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
        left = admin_views.days_left(calendar, today, message)
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
            path(
                "inbox/",
                view(admin_views.InboxView.as_view(model_admin=self)),
                name="interaction_message_inbox",
            ),
            path(
                "<int:pk>/act/<str:action>/",
                view(admin_views.MessageActionView.as_view(model_admin=self)),
                name="interaction_message_act",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        message = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), **admin_views.panel(request, message)}
        return super().change_view(request, object_id, form_url, extra_context)


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

"""Admin of disclosure requests: presentation and wiring; rules live in services.

Requests are read-only pages: every change is a business action posted from the panel on the
request's page to services. The holding unit sees its own requests only; the applicant's
identity and contact data show to the dispatcher and the holding unit's staff, each view
logged, and masked to everyone else.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from columns.admin_scoping import UnitScopedAdminMixin
from columns.models import Unit
from columns.personal_data_admin import PersonalDataAdminMixin
from interaction.casework_admin import CaseEventInline, ReadOnlyInline
from interaction.models.mailbox import mask_name
from interaction.working_days import WorkingCalendar, local_date

from . import notices, selectors, services, workflow
from .admin_views import RequestActionView
from .forms import RegistrationForm
from .models import (
    AppealCount,
    DisclosureRequest,
    ReplyType,
    RequestAlert,
    RequestAttachment,
    RequestDeadline,
    RequestEvent,
    RequestExtension,
    RequestStatus,
    ThirdPartyConsultation,
    WithholdingGround,
)

#: What each recorded action is called in the handling record.
ACTION_LABELS = {
    "submitted": gettext_lazy("Request received"),
    "assign": gettext_lazy("Sent to the holding unit"),
    "request_clarification": gettext_lazy("Clarification asked for"),
    "supply_clarification": gettext_lazy("Applicant clarified"),
    "withdraw_unclarified": gettext_lazy("Treated as withdrawn: not clarified in time"),
    "start_consultation": gettext_lazy("Third party consulted"),
    "end_consultation": gettext_lazy("Third-party consultation finished"),
    "request_extension": gettext_lazy("Extension requested"),
    "approve_extension": gettext_lazy("Extension approved"),
    "reject_extension": gettext_lazy("Extension refused"),
    "draft_reply": gettext_lazy("Reply drafted"),
    "return_reply": gettext_lazy("Reply returned"),
    "approve_reply": gettext_lazy("Reply approved"),
    "close": gettext_lazy("Reply delivered"),
    "recount_deadline": gettext_lazy(
        "Reply deadline recounted on the published holiday arrangement"
    ),
}


class EventInline(CaseEventInline):
    model = RequestEvent
    action_labels = ACTION_LABELS
    statuses = RequestStatus


class DeadlineInline(ReadOnlyInline):
    model = RequestDeadline
    fields = ["version", "reason", "due_at", "provisional", "note", "changed_by", "changed_at"]


class ExtensionInline(ReadOnlyInline):
    model = RequestExtension
    fields = ["working_days", "reason", "requested_by", "status", "decided_by", "decision_reason"]


class ConsultationInline(ReadOnlyInline):
    model = ThirdPartyConsultation
    fields = ["third_party", "sent_at", "answered_at", "working_days", "opinion"]


class AlertInline(ReadOnlyInline):
    model = RequestAlert
    fields = ["kind", "deadline_version", "sent_at", "recipients"]


class AttachmentInline(ReadOnlyInline):
    model = RequestAttachment
    fields = ["image"]


class ApplicantGuard(PersonalDataAdminMixin):
    def may_read_personal_data(self, request):
        return selectors.may_search_contact(request.user)


@admin.register(DisclosureRequest)
class DisclosureRequestAdmin(ApplicantGuard, UnitScopedAdminMixin, admin.ModelAdmin):
    """依申请公开办理: the dispatcher sees every request; a unit's staff only those it holds."""

    list_display = [
        "tracking_code",
        "status",
        "unit",
        "applicant",
        "received_on",
        "due_on",
        "reply_type",
    ]
    list_filter = ["status", "reply_type", "applicant_type", "unit"]
    search_fields = ["tracking_code", "description", "name", "=phone", "=id_number"]
    change_form_template = "admin/disclosure/disclosurerequest/change_form.html"
    change_list_template = "admin/disclosure/disclosurerequest/change_list.html"
    readonly_fields = [
        "tracking_code",
        "site",
        "status",
        "applicant_type",
        "channel",
        "requested_unit",
        "unit",
        "description",
        "purpose",
        "delivery_form",
        "received_at",
        "period_start",
        "due_at",
        "due_provisional",
        "extension_days",
        "paused_days",
        "clarification_due_at",
        "reply_type",
        "withholding_ground",
        "competent_body",
        "reply_body",
        "fee_amount",
        "fee_reason",
        "answered_at",
        "notice",
        "delivered_at",
        "delivery_note",
    ]
    fields = readonly_fields
    inlines = [
        AttachmentInline,
        EventInline,
        DeadlineInline,
        ExtensionInline,
        ConsultationInline,
        AlertInline,
    ]

    def scope(self, request, queryset):
        return queryset.filter(pk__in=selectors.requests_for_user(request.user).values("pk"))

    @admin.display(description=gettext_lazy("applicant"))
    def applicant(self, obj):
        return mask_name(obj.name)

    @admin.display(description=gettext_lazy("received on"), ordering="received_at")
    def received_on(self, obj):
        return local_date(obj.received_at)

    @admin.display(description=gettext_lazy("due on"), ordering="due_at")
    def due_on(self, obj):
        day = local_date(obj.due_at)
        return _("%(day)s (provisional)") % {"day": day} if obj.due_provisional else day

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
                "register/", view(self.register_view), name="disclosure_disclosurerequest_register"
            ),
            path("inbox/", view(self.inbox_view), name="disclosure_disclosurerequest_inbox"),
            path(
                "<int:pk>/act/<str:action>/",
                view(RequestActionView.as_view(model_admin=self)),
                name="disclosure_disclosurerequest_act",
            ),
        ] + super().get_urls()

    def register_view(self, request):
        """登记 a request handed in, posted or faxed: receipt counted by channel (Art. 31)."""
        if not selectors.is_dispatcher(request.user):
            raise PermissionDenied
        form = RegistrationForm(request.POST or None, initial={"site": request.site})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                registered, password = services.register_request(by=request.user, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Registered as %(code)s, received on %(day)s. Tell the applicant the "
                        "tracking code and the query password %(password)s (shown only now)."
                    )
                    % {
                        "code": registered.tracking_code,
                        "day": f"{local_date(registered.received_at):%Y-%m-%d}",
                        "password": password,
                    },
                )
                return redirect("admin:disclosure_disclosurerequest_change", registered.pk)
        return TemplateResponse(
            request,
            "admin/disclosure/disclosurerequest/register.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Register a request received in person, by post or by fax"),
                "form": form,
            },
        )

    def inbox_view(self, request):
        """依申请公开待办 — to assign, to answer, to approve, extensions; nearest due first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        titles = {
            "to_assign": _("To assign to the holding unit"),
            "to_answer": _("My unit's requests to answer or deliver"),
            "to_approve": _("Reply notices waiting for my approval"),
            "extensions": _("Extensions waiting for my decision"),
        }
        sections = [
            {"key": key, "title": titles[key], "items": list(rows)}
            for key, rows in selectors.inbox(request.user).items()
        ]
        return TemplateResponse(
            request,
            "admin/disclosure/disclosurerequest/inbox.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Disclosure requests to do"),
                "sections": sections,
            },
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_register": selectors.is_dispatcher(request.user),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), **self._panel(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _panel(self, request, obj):
        user = request.user
        calendar = WorkingCalendar.load()
        running = obj.status in workflow.CLOCK_RUNNING
        return {
            "application": obj,
            "applicant": (
                services.view_applicant(request=obj, by=user, http_request=request)
                if selectors.may_see_contact(user, obj)
                else None
            ),
            "masked_name": mask_name(obj.name),
            "due_on": local_date(obj.due_at),
            "days_left": (
                calendar.working_days_between(local_date(timezone.now()), local_date(obj.due_at))
                if running
                else None
            ),
            "units": Unit.objects.order_by("pk"),
            "reply_types": ReplyType.choices,
            "grounds": WithholdingGround.choices,
            "pending_extension": obj.extensions.filter(
                status=RequestExtension.Status.PENDING
            ).first(),
            "draft": notices.paragraphs(obj) if obj.reply_type else None,
            # The forms of the actions the state machine offers this user now.
            "may": {action.name: action for action in workflow.available_actions(obj, user)},
        }


@admin.register(AppealCount)
class AppealCountAdmin(admin.ModelAdmin):
    """行政复议、行政诉讼 figures of the annual report, entered by the operator."""

    list_display = ["year", "site", "kind", "upheld", "corrected", "other", "pending"]
    list_filter = ["year", "site"]

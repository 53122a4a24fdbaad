"""Admin for temporary offline windows: the operator schedules, reschedules and cancels one
through the services in columns.offline."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import offline
from .models import OfflineWindow
from .pickers import PickerAdminMixin


@admin.register(OfflineWindow)
class OfflineWindowAdmin(PickerAdminMixin, admin.ModelAdmin):
    list_display = [
        "site",
        "starts_at",
        "ends_at",
        "state",
        "reason",
        "scheduled_by",
        "scheduled_at",
    ]
    list_filter = ["site"]
    fields = ["site", "starts_at", "ends_at", "reason"]
    actions = ["cancel_windows"]

    @admin.display(description=gettext_lazy("state"))
    def state(self, window):
        now = timezone.now()
        if window.cancelled_at is not None:
            return _("Cancelled")
        if window.ends_at <= now:
            return _("Over")
        if window.starts_at <= now:
            return _("Offline now")
        return _("Announced")

    def get_readonly_fields(self, request, obj=None):
        # The site of a scheduled window stays; its dates and reason may change until it starts.
        return ["site"] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        if obj is not None and (obj.cancelled_at is not None or obj.starts_at <= timezone.now()):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Cancelled, not deleted: the notice was public, its record stays.
        return False

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class ScheduleForm(form_class):
            def clean(self):
                data = super().clean()
                if not self.errors:
                    errors = offline.rule_errors(
                        site=obj.site if obj is not None else data["site"],
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        reason=data["reason"],
                        window=obj,
                    )
                    if errors:
                        raise ValidationError(errors)
                return data

        return ScheduleForm

    def save_model(self, request, obj, form, change):
        values = {"starts_at": obj.starts_at, "ends_at": obj.ends_at, "reason": obj.reason}
        if change:
            offline.reschedule_offline(window=obj, by=request.user, **values)
        else:
            obj.pk = offline.schedule_offline(site=obj.site, by=request.user, **values).pk

    @admin.action(
        description=gettext_lazy("Cancel the selected temporary offline windows"),
        permissions=["change"],
    )
    def cancel_windows(self, request, queryset):
        cancelled = 0
        for window in queryset:
            try:
                offline.cancel_offline(window=window, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                why = " ".join(error.messages) if isinstance(error, ValidationError) else error
                messages.error(request, f"{window}: {why}")
            else:
                cancelled += 1
        if cancelled:
            messages.success(
                request,
                ngettext(
                    "%(count)d temporary offline cancelled; its notice is gone from the site.",
                    "%(count)d temporary offlines cancelled; their notices are gone from the site.",
                    cancelled,
                )
                % {"count": cancelled},
            )

"""Admin for temporary offline windows: the operator schedules one through the service."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from . import offline
from .models import OfflineWindow


@admin.register(OfflineWindow)
class OfflineWindowAdmin(admin.ModelAdmin):
    list_display = ["site", "starts_at", "ends_at", "reason", "scheduled_by", "scheduled_at"]
    list_filter = ["site"]
    fields = ["site", "starts_at", "ends_at", "reason"]

    def has_change_permission(self, request, obj=None):
        # A published notice is a promise to the public: it is not edited afterwards.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class ScheduleForm(form_class):
            def clean(self):
                data = super().clean()
                if not self.errors:
                    errors = offline.rule_errors(**data)
                    if errors:
                        raise ValidationError(errors)
                return data

        return ScheduleForm

    def save_model(self, request, obj, form, change):
        obj.pk = offline.schedule_offline(
            site=obj.site,
            starts_at=obj.starts_at,
            ends_at=obj.ends_at,
            reason=obj.reason,
            by=request.user,
        ).pk

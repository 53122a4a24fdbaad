"""Admin parts shared by the casework models (留言 and 依申请公开): read-only inlines, and the
handling record (办理记录) in words rather than action and status codes."""

from django.contrib import admin
from django.utils.translation import gettext_lazy


class ReadOnlyInline(admin.TabularInline):
    """A record kept by the services: shown on the case's page, never edited there."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CaseEventInline(ReadOnlyInline):
    """办理记录 of a CaseEvent model: action_labels names each recorded action, statuses (the
    case's TextChoices) each state."""

    action_labels = {}
    statuses = None
    fields = ["at", "action_label", "from_label", "to_label", "actor", "comment"]
    verbose_name_plural = gettext_lazy("handling record")

    def _status(self, value):
        return self.statuses(value).label if value in self.statuses.values else "—"

    @admin.display(description=gettext_lazy("action"))
    def action_label(self, event):
        return self.action_labels.get(event.action, event.action)

    @admin.display(description=gettext_lazy("from"))
    def from_label(self, event):
        return self._status(event.from_status)

    @admin.display(description=gettext_lazy("to"))
    def to_label(self, event):
        return self._status(event.to_status)

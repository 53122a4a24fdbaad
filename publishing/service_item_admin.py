"""Admin for 办事服务 items: each unit edits only its own items, with their
materials and downloadable forms inline; a leader of the unit approves publication
(publishing.service_items). Presentation and wiring only."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from columns.admin_scoping import UnitScopedAdminMixin

from . import service_items
from .models import ServiceDocument, ServiceItem, ServiceMaterial


class ServiceMaterialInline(admin.TabularInline):
    model = ServiceMaterial
    extra = 1
    fields = ["position", "name", "basis", "form", "copies", "endorsement", "required"]


class ServiceDocumentInline(admin.TabularInline):
    model = ServiceDocument
    extra = 1
    fields = ["position", "kind", "title", "file"]


@admin.register(ServiceItem)
class ServiceItemAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "site", "kind", "is_published", "updated_at"]
    list_filter = ["is_published", "kind", "unit"]
    search_fields = ["name", "code"]
    list_select_related = ["unit", "site"]
    inlines = [ServiceMaterialInline, ServiceDocumentInline]
    # Published only by a leader's approval (the action below), never by ticking a box.
    readonly_fields = ["is_published"]
    actions = ["approve_and_publish", "withdraw"]
    fieldsets = [
        (None, {"fields": ["site", "unit", "name", "code", "kind", "summary", "is_published"]}),
        (
            _("Service guide"),
            {
                "fields": [
                    "legal_basis",
                    "conditions",
                    "procedure",
                    "time_limit",
                    "fees",
                    "office",
                    "office_hours",
                    "contact",
                    "online_url",
                    "position",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        service_items.save_service_item(
            item=obj, by=request.user, changed=form.changed_data, request=request
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = [formset.prefix for formset in formsets if formset.has_changed()]
        if changed:
            service_items.save_service_item(
                item=form.instance, by=request.user, changed=changed, request=request
            )

    def delete_model(self, request, obj):
        service_items.delete_service_item(item=obj, by=request.user, request=request)

    def delete_queryset(self, request, queryset):
        for item in queryset:
            service_items.delete_service_item(item=item, by=request.user, request=request)

    @admin.action(description=_("Approve and publish (unit leader)"))
    def approve_and_publish(self, request, queryset):
        self._each(request, queryset, service_items.approve_service_item)

    @admin.action(description=_("Withdraw from the site"))
    def withdraw(self, request, queryset):
        self._each(request, queryset, service_items.withdraw_service_item)

    def _each(self, request, queryset, action):
        done = 0
        for item in queryset:
            try:
                action(item=item, by=request.user, request=request)
            except (PermissionDenied, ValidationError) as error:
                text = error.messages[0] if isinstance(error, ValidationError) else str(error)
                self.message_user(request, text, messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, gettext("%(count)s item(s) done.") % {"count": done})

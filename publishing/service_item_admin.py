"""Admin for 办事服务 items: each unit edits only its own items, with their
materials and downloadable forms inline. Presentation and wiring only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from columns.admin_scoping import UnitScopedAdminMixin

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

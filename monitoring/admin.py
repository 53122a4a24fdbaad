"""Monitoring in the admin: the dashboard entry, the records (read-only evidence), and the
daily patrol form. Unit staff see their own unit's freshness and links only."""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from columns.admin import RecordAdmin
from columns.admin_scoping import ColumnScopedAdminMixin, UnitScopedAdminMixin

from . import dashboard, services
from .models import (
    AvailabilityProbe,
    BrokenLink,
    ColumnFreshness,
    ComplianceDashboard,
    FreshnessSnapshot,
    LinkCheckRun,
    Outage,
    PageFingerprint,
    PageVisitDay,
    PatrolRecord,
    TamperAlert,
)
from .selectors import may_open_dashboard


@admin.register(ComplianceDashboard)
class ComplianceDashboardAdmin(admin.ModelAdmin):
    """The dashboard has no list of its own: its changelist is the dashboard."""

    def has_module_permission(self, request):
        return may_open_dashboard(request.user)

    def has_view_permission(self, request, obj=None):
        # The dashboard is the list; a snapshot's own page would show any unit's figures.
        return obj is None and may_open_dashboard(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "drill/<slug:kind>/",
                self.admin_site.admin_view(self.drill),
                name="monitoring_drill",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        return dashboard.dashboard_view(request, self.admin_site.each_context(request))

    def drill(self, request, kind):
        return dashboard.drill_view(request, kind, self.admin_site.each_context(request))


@admin.register(ColumnFreshness)
class ColumnFreshnessAdmin(ColumnScopedAdminMixin, RecordAdmin):
    list_display = ["column", "site", "unit", "state", "last_published_at", "max_gap_days", "since"]
    list_filter = ["state", "column__site", "column__category"]
    search_fields = ["column__name"]
    list_select_related = ["column__site", "column__unit"]

    @admin.display(description=_("site"), ordering="column__site")
    def site(self, obj):
        return obj.column.site

    @admin.display(description=_("unit"))
    def unit(self, obj):
        return obj.column.unit


@admin.register(FreshnessSnapshot)
class FreshnessSnapshotAdmin(RecordAdmin):
    list_display = ["taken_on", "site", "unit", "columns", "ok", "warning", "stale", "blank"]
    list_filter = ["site", "taken_on"]
    date_hierarchy = "taken_on"


class BrokenLinkInline(admin.TabularInline):
    model = BrokenLink
    fields = ["page_url", "url", "problem", "article", "column", "unit"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LinkCheckRun)
class LinkCheckRunAdmin(RecordAdmin):
    list_display = [
        "started_at",
        "site",
        "pages_crawled",
        "links_checked",
        "broken_on_homepage",
        "broken_elsewhere",
        "homepage_has_search",
    ]
    list_filter = ["site"]
    inlines = [BrokenLinkInline]


@admin.register(BrokenLink)
class BrokenLinkAdmin(UnitScopedAdminMixin, RecordAdmin):
    list_display = ["url", "problem", "on_homepage", "page_url", "article", "column", "unit"]
    list_filter = ["on_homepage", "external", "run__site", "unit"]
    search_fields = ["url", "page_url"]
    list_select_related = ["article", "column", "unit"]


@admin.register(AvailabilityProbe)
class AvailabilityProbeAdmin(RecordAdmin):
    list_display = ["probed_at", "site", "ok", "status_code", "response_ms", "error"]
    list_filter = ["site", "ok"]
    date_hierarchy = "probed_at"


@admin.register(Outage)
class OutageAdmin(RecordAdmin):
    list_display = ["site", "started_at", "ended_at", "duration", "first_error"]
    list_filter = ["site"]


@admin.register(PageVisitDay)
class PageVisitDayAdmin(RecordAdmin):
    list_display = ["day", "site", "path", "column", "visits"]
    list_filter = ["site", "day"]
    date_hierarchy = "day"


@admin.register(PageFingerprint)
class PageFingerprintAdmin(RecordAdmin):
    list_display = ["article", "digest", "taken_at", "checked_at", "matched"]
    list_filter = ["matched"]
    exclude = ["text"]


@admin.register(TamperAlert)
class TamperAlertAdmin(RecordAdmin):
    list_display = ["detected_at", "url", "reason"]


@admin.register(PatrolRecord)
class PatrolRecordAdmin(admin.ModelAdmin):
    """The duty officer's daily checklist; kept as a record (no deletion)."""

    list_display = [
        "day",
        "site",
        "duty_officer",
        "site_running",
        "links_usable",
        "columns_updated",
        "content_correct",
    ]
    list_filter = ["site", "day"]
    date_hierarchy = "day"
    fields = [
        "site",
        "day",
        "site_running",
        "links_usable",
        "columns_updated",
        "content_correct",
        "problems_found",
        "corrections",
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.record_patrol(patrol=obj, by=request.user)


from .inspections import admin as inspections_admin  # noqa: E402,F401

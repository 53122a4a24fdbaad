"""Monitoring in the admin: the dashboard entry, the records (read-only evidence), and the
daily patrol form. Unit staff see their own unit's freshness and links only."""

from django import forms
from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from columns.admin import RecordAdmin
from columns.admin_scoping import ColumnScopedAdminMixin, UnitScopedAdminMixin
from columns.models import Role
from columns.selectors import has_role, sees_everything

from . import dashboard, services
from .indicators import INDICATORS
from .models import (
    AvailabilityProbe,
    BrokenLink,
    ColumnFreshness,
    ComplianceDashboard,
    FreshnessSnapshot,
    IndicatorRule,
    LinkCheckRun,
    Outage,
    PageFingerprint,
    PageVisitDay,
    PatrolRecord,
    ScoringScheme,
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


class ScoringDataAdmin(admin.ModelAdmin):
    """The 19号 table as data: inspectors read it, the operator adjusts it through the
    services (each change logged); rows are seeded by migration, never added or deleted."""

    def has_module_permission(self, request):
        return request.user.is_active and sees_everything(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or has_role(request.user, Role.OPERATOR)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        pass  # many-to-many fields are set by the service in save_model

    def _changes(self, form):
        return {name: form.cleaned_data[name] for name in form.changed_data}


class IndicatorRuleForm(forms.ModelForm):
    class Meta:
        model = IndicatorRule
        fields = ["points", "thresholds", "open_in_table", "basis", "concerns_services"]

    def clean_thresholds(self):
        thresholds = self.cleaned_data["thresholds"]
        services.check_thresholds(self.instance.thresholds, thresholds)
        return thresholds


INDICATOR_NAMES = {i.code: i.name for i in INDICATORS}


@admin.register(IndicatorRule)
class IndicatorRuleAdmin(ScoringDataAdmin):
    form = IndicatorRuleForm
    list_display = ["indicator", "kind", "points", "thresholds", "open_in_table"]
    list_filter = ["kind", "open_in_table"]
    readonly_fields = ["indicator", "code", "kind"]
    fields = [
        "indicator",
        "code",
        "kind",
        "points",
        "thresholds",
        "concerns_services",
        "open_in_table",
        "basis",
    ]

    @admin.display(description=_("indicator"))
    def indicator(self, obj):
        return INDICATOR_NAMES.get(obj.code, obj.code)

    def save_model(self, request, obj, form, change):
        services.change_indicator_rule(
            rule_id=obj.pk, by=request.user, changes=self._changes(form), request=request
        )


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(ScoringDataAdmin):
    list_display = ["__str__", "total_points", "without_services_points", "pass_score"]
    fields = [
        "total_points",
        "without_services_points",
        "pass_score",
        "bonus_above",
        "sites_without_services",
        "basis",
    ]
    readonly_fields = ["basis"]
    filter_horizontal = ["sites_without_services"]

    def save_model(self, request, obj, form, change):
        services.change_scoring_scheme(
            by=request.user, changes=self._changes(form), request=request
        )


from .inspections import admin as inspections_admin  # noqa: E402,F401

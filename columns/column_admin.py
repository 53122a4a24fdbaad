"""Admin for the column tree, its update rules, objections and special-topic requests.

Presentation and wiring only: every change goes through columns.services, every list
through the scoping mixins, so a unit's staff see their own columns and nothing else.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from mptt.admin import DraggableMPTTAdmin

from . import services, tree_io, workflow, xlsx
from .admin_scoping import ColumnScopedAdminMixin, UnitScopedAdminMixin
from .audit import record
from .models import (
    CategoryUpdateRule,
    Column,
    ColumnCategory,
    ColumnObjection,
    RequestStatus,
    SpecialTopicRequest,
    Unit,
)
from .selectors import tree_paths


def add_service_errors(form, exc):
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def adopt(obj, saved):
    """Copy a row a service created onto the admin's unsaved instance, for its messages."""
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))


class ColumnForm(forms.ModelForm):
    """The unit field shows only an explicit assignment; empty means "inherit"."""

    class Meta:
        model = Column
        fields = [
            "site",
            "parent",
            "name",
            "slug",
            "position",
            "category",
            "unit",
            "description",
            "keywords",
            "on_homepage",
            "is_special_topic",
            "topic_starts_on",
            "topic_ends_on",
            "max_gap_days",
            "min_updates_per_week",
            "min_updates_per_month",
            "max_working_days_between_updates",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            if self.instance.pk and not self.instance.unit_assigned_explicitly:
                self.initial["unit"] = None
            self.fields["unit"].help_text = _(
                "Empty: the column is the responsibility of its parent column's unit."
            )


class UnitChoiceForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.all(),
        required=False,
        label=gettext_lazy("Responsible unit"),
        help_text=gettext_lazy("Empty: each column inherits its parent column's unit."),
    )


class TreeImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        help_text=gettext_lazy("The same columns as the export; at most 5 MB."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."))
        return uploaded


@admin.register(Column)
class ColumnAdmin(ColumnScopedAdminMixin, DraggableMPTTAdmin):
    """栏目树: drag to move, filter by unit and category, assign in bulk, import/export."""

    column_path = "pk"
    form = ColumnForm
    list_display = [
        "tree_actions",
        "indented_title",
        "slug",
        "site",
        "category",
        "owner",
        "on_homepage",
        "is_special_topic",
    ]
    list_display_links = ["indented_title"]
    list_filter = [
        ("site", admin.RelatedOnlyFieldListFilter),
        ("unit", admin.RelatedOnlyFieldListFilter),
        "category",
        "on_homepage",
        "is_special_topic",
    ]
    list_select_related = ["site", "unit"]
    search_fields = ["name", "slug"]
    actions = ["assign_to_unit"]
    change_list_template = "admin/columns/column/change_list.html"
    fieldsets = [
        (None, {"fields": ["site", "parent", "name", "slug", "position", "category", "unit"]}),
        (
            gettext_lazy("Presentation"),
            {"fields": ["description", "keywords", "on_homepage"]},
        ),
        (
            gettext_lazy("Special topic"),
            {"fields": ["is_special_topic", "topic_starts_on", "topic_ends_on"]},
        ),
        (
            gettext_lazy("Local update rules (stricter than the national rule)"),
            {
                "fields": [
                    "max_gap_days",
                    "min_updates_per_week",
                    "min_updates_per_month",
                    "max_working_days_between_updates",
                ]
            },
        ),
    ]

    @admin.display(description=gettext_lazy("responsible unit"), ordering="unit__name")
    def owner(self, obj):
        if obj.unit is None:
            return "—"
        if obj.unit_assigned_explicitly:
            return obj.unit.name
        return format_html("{} <small>（{}）</small>", obj.unit.name, _("inherited"))

    def tree_actions(self, item):
        # The drag handle only for those who may move columns.
        if not getattr(self, "_can_move", False):
            return ""
        return super().tree_actions(item)

    tree_actions.short_description = ""

    def changelist_view(self, request, *args, **kwargs):
        self._can_move = services.is_operator(request.user)
        extra = kwargs.pop("extra_context", None) or {}
        extra["can_import"] = self._can_move
        return super().changelist_view(request, *args, extra_context=extra, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not services.is_operator(request.user):
            actions.pop("assign_to_unit", None)
        return actions

    def save_model(self, request, obj, form, change):
        services.save_column(column=obj, unit=form.cleaned_data.get("unit"), saved_by=request.user)

    def _move_node(self, request):
        """Drag and drop in the tree, through the ownership service."""
        if not services.is_operator(request.user):
            return HttpResponse(_("FAIL, no permission."), status=403)
        queryset = self.get_queryset(request)
        try:
            column = queryset.get(pk=request.POST.get("cut_item"))
            target = queryset.get(pk=request.POST.get("pasted_on"))
        except (Column.DoesNotExist, TypeError, ValueError):
            self.message_user(request, _("The column no longer exists."), messages.ERROR)
            return HttpResponse("FAIL, invalid objects.", status=400)
        try:
            services.move_column(
                column=column,
                target=target,
                position=request.POST.get("position"),
                moved_by=request.user,
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponse("FAIL, invalid move.", status=400)
        self.message_user(request, _("%(column)s has been moved.") % {"column": column.name})
        return HttpResponse("OK, moved.")

    @admin.action(description=gettext_lazy("Assign selected columns to a unit"))
    def assign_to_unit(self, request, queryset):
        if not services.is_operator(request.user):
            raise PermissionDenied
        form = UnitChoiceForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            unit = form.cleaned_data["unit"]
            columns = list(queryset.order_by("tree_id", "lft"))
            services.bulk_assign_columns(columns=columns, unit=unit, assigned_by=request.user)
            self.message_user(
                request,
                _("%(count)s columns assigned to %(unit)s.")
                % {"count": len(columns), "unit": unit.name if unit else _("their parents' units")},
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assign columns to a unit"),
            "opts": self.model._meta,
            "form": form,
            "columns": queryset.select_related("unit"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/columns/column/assign.html", context)

    def get_urls(self):
        return [
            path(
                "export/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="columns_column_export",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="columns_column_import",
            ),
        ] + super().get_urls()

    def export_view(self, request, fmt):
        if fmt not in ("csv", "xlsx") or not self.has_view_permission(request):
            raise PermissionDenied
        columns = (
            self.get_queryset(request)
            .select_related("site", "unit")
            .order_by("site_id", "tree_id", "lft")
        )
        site_id = request.GET.get("site__id__exact")
        if site_id and site_id.isdigit():
            columns = columns.filter(site_id=site_id)
        paths = tree_paths()
        rows = list(tree_io.tree_rows(columns, paths))
        record(
            "column_tree_exported", actor=request.user, detail={"rows": len(rows)}, request=request
        )
        filename = f"{_('Column tree')}-{timezone.localdate().isoformat()}.{fmt}"
        if fmt == "csv":
            return xlsx.attachment(tree_io.write_csv(rows), filename, "text/csv; charset=utf-8")
        return xlsx.attachment(tree_io.write_xlsx(rows), filename)

    def import_view(self, request):
        if not services.is_operator(request.user):
            raise PermissionDenied
        form = TreeImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                rows = tree_io.read_rows(form.cleaned_data["file"])
                created, updated = services.import_tree(rows=rows, imported_by=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                self.message_user(
                    request,
                    _("Column tree imported: %(created)s created, %(updated)s updated.")
                    % {"created": created, "updated": updated},
                )
                return redirect("admin:columns_column_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import the column tree"),
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/columns/column/import.html", context)


@admin.register(CategoryUpdateRule)
class CategoryUpdateRuleAdmin(admin.ModelAdmin):
    """The national longest gaps per category, as data the operator edits."""

    list_display = ["category", "max_gap_days", "basis"]
    list_editable = ["max_gap_days"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            "update_rule_changed",
            actor=request.user,
            target=obj,
            detail={"max_gap_days": obj.max_gap_days},
            request=request,
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("accept", gettext_lazy("Accept")), ("reject", gettext_lazy("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ObjectionDecisionForm(DecisionForm):
    new_unit = forms.ModelChoiceField(
        queryset=Unit.objects.all(),
        required=False,
        label=gettext_lazy("Reassign to"),
        help_text=gettext_lazy(
            "Needed when accepting; the unit proposed by the objection by default."
        ),
    )


class RequestAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    """Shared wiring: a unit's staff file and see their own; the operator decides."""

    decide_template = "admin/columns/decide.html"
    change_form_template = "admin/columns/request_change_form.html"

    #: What the page of a filed request shows (all read-only: see has_change_permission):
    #: the request's own fields, its decision (Decided), then what the decision made.
    view_fields = []
    decision_fields = ["status", "decided_by", "decided_at", "decision_reason"]
    outcome_fields = []

    def get_fields(self, request, obj=None):
        if obj is not None:
            return [*self.view_fields, *self.decision_fields, *self.outcome_fields]
        return super().get_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        """The form checks the request with the services, as the user filing it."""
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        # Requests are decided through the decision page, never edited.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name=f"{opts.app_label}_{opts.model_name}_decide",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_decide": obj is not None and bool(workflow.available_actions(obj, request.user)),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, pk):
        if not services.is_operator(request.user):
            raise PermissionDenied
        obj = get_object_or_404(self.model, pk=pk)
        form = self.decision_form(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                self.decide(request, obj, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("The decision was recorded and both sides notified."))
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Decide: %(request)s") % {"request": obj},
            "opts": self.model._meta,
            "original": obj,
            "form": form,
            "decided": obj.status != RequestStatus.PENDING,
        }
        return TemplateResponse(request, self.decide_template, context)


class ObjectionForm(forms.ModelForm):
    class Meta:
        model = ColumnObjection
        fields = ["column", "reason", "proposed_unit"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("column") is not None:
            try:
                services.check_objection(
                    column=cleaned["column"], filed_by=self.user, reason=cleaned.get("reason")
                )
            except ValidationError as exc:
                add_service_errors(self, exc)
        return cleaned


@admin.register(ColumnObjection)
class ColumnObjectionAdmin(RequestAdmin):
    """栏目分配异议: a unit files one on its own column; the operator accepts or rejects."""

    form = ObjectionForm
    list_display = ["column", "unit", "filed_by", "status", "created_at", "decided_at"]
    list_filter = ["status", ("unit", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["column", "unit", "filed_by"]
    search_fields = ["column__name", "reason"]
    autocomplete_fields = ["column"]
    decision_form = ObjectionDecisionForm
    view_fields = ["column", "unit", "filed_by", "created_at", "reason", "proposed_unit"]
    outcome_fields = ["reassigned_to"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "proposed_unit":
            # Any unit may be proposed to take over; the scoping would offer only one's own.
            return db_field.formfield(queryset=Unit.objects.all(), required=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = services.file_objection(
            column=form.cleaned_data["column"],
            filed_by=request.user,
            reason=form.cleaned_data["reason"],
            proposed_unit=form.cleaned_data.get("proposed_unit"),
        )
        adopt(obj, saved)

    def decide(self, request, obj, data):
        services.decide_objection(
            objection=obj,
            decided_by=request.user,
            accept=data["decision"] == "accept",
            reason=data["reason"],
            new_unit=data.get("new_unit"),
        )


class TopicRequestForm(forms.ModelForm):
    class Meta:
        model = SpecialTopicRequest
        fields = ["site", "parent", "name", "slug", "reason", "starts_on", "ends_on"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("site") is not None and cleaned.get("slug"):
            try:
                services.check_topic_request(
                    requested_by=self.user,
                    site=cleaned["site"],
                    parent=cleaned.get("parent"),
                    name=cleaned.get("name"),
                    slug=cleaned["slug"],
                    reason=cleaned.get("reason"),
                    starts_on=cleaned.get("starts_on"),
                    ends_on=cleaned.get("ends_on"),
                )
            except ValidationError as exc:
                add_service_errors(self, exc)
        return cleaned


@admin.register(SpecialTopicRequest)
class SpecialTopicRequestAdmin(RequestAdmin):
    """专题申请: a unit asks for a topic; on approval the column is created for it."""

    form = TopicRequestForm
    list_display = ["name", "unit", "site", "status", "created_at", "column"]
    list_filter = ["status", ("unit", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["unit", "site", "column"]
    search_fields = ["name", "reason"]
    decision_form = DecisionForm
    view_fields = [
        "name",
        "slug",
        "site",
        "parent",
        "unit",
        "requested_by",
        "created_at",
        "reason",
        "starts_on",
        "ends_on",
    ]
    outcome_fields = ["column"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # A topic goes under a topics column such as 专题专栏, whoever owns it.
            return db_field.formfield(
                queryset=Column.objects.filter(
                    category=ColumnCategory.TOPIC, is_special_topic=False
                ).select_related("site"),
                required=False,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        fields = ("site", "parent", "name", "slug", "reason", "starts_on", "ends_on")
        saved = services.request_special_topic(
            requested_by=request.user, **{key: form.cleaned_data.get(key) for key in fields}
        )
        adopt(obj, saved)

    def decide(self, request, obj, data):
        services.decide_topic_request(
            topic_request=obj,
            decided_by=request.user,
            approve=data["decision"] == "accept",
            reason=data["reason"],
        )

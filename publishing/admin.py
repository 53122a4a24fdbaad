"""Admin for articles and the review chain: presentation and wiring; rules live in services,
the articles' own pages (review panel, actions, to-do lists, Word import, sheet, revisions)
in publishing.admin_views."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tinymce.widgets import TinyMCE

from columns import xlsx
from columns.admin_cells import cut, short_moment
from columns.admin_scoping import ColumnScopedAdminMixin

from . import admin_views, services, workflow
from .content_checks import dictionary_file
from .models import (
    Article,
    ArticleStatus,
    Attachment,
    BlockedDomain,
    CheckListVersion,
    FindingOverride,
    HeadlineDirective,
    LeaderName,
    ReviewChain,
    ReviewDecision,
    ReviewRun,
    ReviewStep,
    SensitiveWord,
    WordingCorrection,
)
from .sanitising import clean_html


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "summary",
            "body",
            "column",
            "extra_columns",
            "importance",
            "may_stir_opinion",
            "byline",
            "origin",
            "source",
            "source_url",
            "cover_image",
            "cover_alt",
            "published_at",
            "expires_at",
            "publish_on_approval",
            "kind",
            "document_number",
            "issuing_body",
            "written_on",
            "policy",
        ]
        widgets = {"body": TinyMCE()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_body(self):
        return clean_html(self.cleaned_data.get("body"))

    def clean(self):
        cleaned = super().clean()
        # The publishing unit is the column's; the author is whoever writes it first.
        column = cleaned.get("column")
        if column is not None:
            self.instance.unit = column.unit
            if column.unit is None:
                self.add_error("column", _("This column has no responsible unit yet."))
        if self.instance.author_id is None and self.user is not None:
            self.instance.author = self.user
        return cleaned


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 1
    fields = ["title", "file", "position", "size"]
    readonly_fields = ["size"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            # A row of the table has no <label>s: each input is named by its column.
            formfield.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return formfield

    def _editable(self, obj):
        return obj is None or obj.status in workflow.EDITABLE_STATES

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


#: An article past editing shows its body rendered in place of the editor's field.
_READ_BODY = {"body": "rendered_body"}


@admin.register(Article)
class ArticleAdmin(ColumnScopedAdminMixin, admin.ModelAdmin):
    form = ArticleForm
    inlines = [AttachmentInline]
    list_display = [
        "title_cell",
        "column",
        "unit",
        "status",
        "importance",
        "published_on",
        "due_by",
        "author",
    ]
    list_filter = ["status", "importance", "kind", "validity", "unit"]
    search_fields = ["title", "index_number", "document_number"]
    date_hierarchy = "created_at"
    autocomplete_fields = []
    change_form_template = "admin/publishing/article/change_form.html"
    change_list_template = "admin/publishing/article/change_list.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "summary",
                    "body",
                    "column",
                    "extra_columns",
                    "importance",
                    "may_stir_opinion",
                    "byline",
                ]
            },
        ),
        (gettext_lazy("Source"), {"fields": ["origin", "source", "source_url"]}),
        (gettext_lazy("Cover image"), {"fields": ["cover_image", "cover_alt"]}),
        (
            gettext_lazy("Publication"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "expires_at",
                    "publish_on_approval",
                    "approved_at",
                    "due_at",
                ]
            },
        ),
        (
            gettext_lazy("Policy document"),
            {
                "fields": [
                    "kind",
                    "index_number",
                    "document_number",
                    "issuing_body",
                    "written_on",
                    "validity",
                    "policy",
                ]
            },
        ),
    ]
    ALWAYS_READONLY = ["status", "approved_at", "due_at", "index_number", "validity"]

    # The list's long titles and moments in their short form (columns.admin_cells): a row
    # stays one or two lines on a 1366 px screen.
    @admin.display(description=Article._meta.get_field("title").verbose_name, ordering="title")
    def title_cell(self, article):
        return cut(article.title)

    @admin.display(
        description=Article._meta.get_field("published_at").verbose_name,
        ordering="published_at",
    )
    def published_on(self, article):
        return short_moment(article.published_at)

    @admin.display(description=Article._meta.get_field("due_at").verbose_name, ordering="due_at")
    def due_by(self, article):
        return short_moment(article.due_at)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class FormWithUser(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return FormWithUser

    def get_fieldsets(self, request, obj=None):
        if obj is None or obj.status in workflow.EDITABLE_STATES:
            return self.fieldsets
        # Read-only, staff read the body as the public page shows it, not its HTML source.
        return [
            (name, {**options, "fields": [_READ_BODY.get(f, f) for f in options["fields"]]})
            for name, options in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status not in workflow.EDITABLE_STATES:
            return flatten_fieldsets(self.get_fieldsets(request, obj))
        return self.ALWAYS_READONLY

    @admin.display(description=Article._meta.get_field("body").verbose_name)
    def rendered_body(self, article):
        # Stored sanitised (services.save_article); cleaned again here, as cheap as it is
        # idempotent, so the staff page never trusts a row written some other way.
        return mark_safe(clean_html(article.body))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status not in workflow.EDITABLE_STATES:
            return False
        return super().has_change_permission(request, obj)

    def get_view_on_site_url(self, obj=None):
        # Until it is public, "在站点上查看" opens the staff preview (the public page is a 404).
        if obj is not None and obj.status != ArticleStatus.PUBLISHED:
            return reverse("admin:article_preview", args=[obj.pk])
        return super().get_view_on_site_url(obj)

    def save_model(self, request, obj, form, change):
        services.save_article(article=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Again now the attachments are stored: their text is part of the check.
        findings = services.check_content(article=form.instance)
        if findings:
            blocking = sum(1 for f in findings if f.blocks)
            messages.warning(
                request,
                _(
                    "The content check found %(count)s problem(s), %(blocking)s of them "
                    "blocking; see “Content check” on the article."
                )
                % {"count": len(findings), "blocking": blocking},
            )

    def get_urls(self):
        def page(view_class):
            return self.admin_site.admin_view(view_class.as_view(model_admin=self))

        return [
            path("inbox/", page(admin_views.InboxView), name="publishing_article_inbox"),
            path("mine/", page(admin_views.MineView), name="publishing_article_mine"),
            path(
                "import-word/",
                page(admin_views.WordImportView),
                name="publishing_article_import",
            ),
            path(
                "<int:pk>/act/<str:action>/",
                page(admin_views.ArticleActionView),
                name="publishing_article_act",
            ),
            path(
                "<int:pk>/sheet/",
                page(admin_views.ReviewSheetView),
                name="publishing_article_sheet",
            ),
            path(
                "<int:pk>/revisions/",
                page(admin_views.RevisionsView),
                name="publishing_article_revisions",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, object_id) if object_id else None
        if article is not None:
            extra_context.update(admin_views.panel(request, article))
        return super().change_view(request, object_id, form_url, extra_context)


class ReviewStepInline(admin.TabularInline):
    model = ReviewStep
    extra = 1
    fields = ["position", "name", "role", "only_if_opinion_sensitive"]


@admin.register(ReviewChain)
class ReviewChainAdmin(admin.ModelAdmin):
    list_display = ["unit", "importance", "step_list"]
    list_filter = ["importance", "unit"]
    inlines = [ReviewStepInline]

    @admin.display(description=gettext_lazy("steps"))
    def step_list(self, chain):
        return " → ".join(step.name for step in chain.steps.all())


class ReviewDecisionInline(admin.TabularInline):
    model = ReviewDecision
    extra = 0
    fields = ["step_name", "role", "outcome", "decided_by", "decided_at", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FindingOverrideInline(admin.TabularInline):
    """人工放行 on the review record: what a reviewer let through, and why."""

    model = FindingOverride
    extra = 0
    fields = ["rule", "source", "match", "reason", "decided_by", "decided_at"]
    readonly_fields = fields
    can_delete = False

    def has_view_permission(self, request, obj=None):
        # Part of the run: whoever may read the run reads its overrides.
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReviewRun)
class ReviewRunAdmin(ColumnScopedAdminMixin, admin.ModelAdmin):
    """Runs are records: readable, never written in the admin."""

    column_path = "article__column"
    list_display = ["article", "submitted_by", "submitted_at", "status", "current_role"]
    list_filter = ["status"]
    inlines = [ReviewDecisionInline, FindingOverrideInline]
    readonly_fields = [
        "article",
        "submitted_by",
        "submitted_at",
        "current_index",
        "current_role",
        "waiting_since",
        "status",
        "finished_at",
    ]
    exclude = ["steps"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ColumnScopedAdminMixin, admin.ModelAdmin):
    """Decisions are immutable: no add, change or delete, for anyone."""

    column_path = "run__article__column"
    list_display = ["run", "step_name", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome", "role"]
    readonly_fields = [
        "run",
        "step_index",
        "step_name",
        "role",
        "outcome",
        "decided_by",
        "decided_at",
        "comment",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HeadlineDirective)
class HeadlineDirectiveAdmin(admin.ModelAdmin):
    """Headline orders are given from the article page and recorded here, read-only."""

    list_display = ["article", "site", "ordered_by", "ordered_at", "executed_at", "reason"]
    list_filter = ["site"]
    readonly_fields = ["site", "article", "ordered_by", "ordered_at", "reason", "executed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- content check lists (内容检查词库) ------------------------------------------------------


class CheckListAdmin(admin.ModelAdmin):
    """The lists are edited here; a bulk delete must also tell the checkers to rebuild."""

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        CheckListVersion.bump()


@admin.register(SensitiveWord)
class SensitiveWordAdmin(CheckListAdmin):
    list_display = ["word", "category", "note", "updated_at"]
    list_filter = ["category"]
    search_fields = ["word", "note"]


class DictionaryFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Dictionary file"),
        help_text=gettext_lazy(
            "An .xlsx or .csv file with the header row 错误写法, 正确写法, 类别, 备注, as the "
            "export gives it."
        ),
    )


@admin.register(WordingCorrection)
class WordingCorrectionAdmin(CheckListAdmin):
    list_display = ["wrong", "right", "kind", "note", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["wrong", "right", "note"]
    change_list_template = "admin/publishing/wordingcorrection/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "export/<str:file_format>/",
                view(self.export_view),
                name="publishing_wordingcorrection_export",
            ),
            path("import/", view(self.import_view), name="publishing_wordingcorrection_import"),
        ] + super().get_urls()

    def export_view(self, request, file_format):
        """导出纠错词典 as .xlsx or .csv."""
        if not self.has_view_permission(request) or file_format not in dictionary_file.FORMATS:
            raise PermissionDenied
        data, content_type = dictionary_file.export_dictionary(file_format)
        filename = f"{_('Wording dictionary')}-{timezone.localdate():%Y%m%d}.{file_format}"
        return xlsx.attachment(data, filename, content_type)

    def import_view(self, request):
        """导入纠错词典: every row stored, or none and each bad row named."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = DictionaryFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                added, updated = dictionary_file.import_dictionary(
                    name=upload.name, data=upload.read(dictionary_file.MAX_BYTES + 1)
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                self.message_user(
                    request,
                    _("Imported: %(added)d entries added, %(updated)d updated.")
                    % {"added": added, "updated": updated},
                    messages.SUCCESS,
                )
                return redirect("admin:publishing_wordingcorrection_changelist")
        return TemplateResponse(
            request,
            "admin/publishing/wordingcorrection/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Import the wording dictionary"),
                "form": form,
            },
        )


@admin.register(LeaderName)
class LeaderNameAdmin(CheckListAdmin):
    list_display = ["group", "position", "name", "wrong_variants", "updated_at"]
    list_display_links = ["name"]
    list_editable = ["position", "wrong_variants"]
    list_filter = ["group"]
    search_fields = ["name", "wrong_variants", "group"]


@admin.register(BlockedDomain)
class BlockedDomainAdmin(CheckListAdmin):
    list_display = ["domain", "category", "note", "updated_at"]
    list_filter = ["category"]
    search_fields = ["domain", "note"]

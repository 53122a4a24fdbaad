"""Admin for articles and the review chain: presentation and wiring; rules live in services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tinymce.widgets import TinyMCE

from columns import xlsx
from columns.admin_cells import cut, short_moment
from columns.admin_scoping import ColumnScopedAdminMixin
from columns.models import Column
from columns.pickers import ColumnChoiceField
from columns.selectors import columns_for_user

from . import selectors, services, word_import, workflow
from .content_checks import dictionary_file
from .content_checks.highlight import mark_findings
from .models import (
    Article,
    ArticleStatus,
    Attachment,
    BlockedDomain,
    CheckListVersion,
    ContentFinding,
    FindingOverride,
    HeadlineDirective,
    LeaderName,
    ReviewChain,
    ReviewDecision,
    ReviewRun,
    ReviewStep,
    SensitiveWord,
    Validity,
    WordingCorrection,
)
from .revisions import revision_history
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


class WordImportForm(forms.Form):
    """从 Word 导入: the document and the column its draft goes to."""

    file = forms.FileField(
        label=gettext_lazy("Word document"),
        help_text=gettext_lazy(
            "A .docx file. Its headings, paragraphs, tables and pictures become a draft; its "
            "document number and title are recognised; Word's formatting is dropped."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document"
            }
        ),
    )
    column = ColumnChoiceField(label=gettext_lazy("column"), queryset=Column.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = columns_for_user(user).select_related("site")


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
        view = self.admin_site.admin_view
        return [
            path("inbox/", view(self.inbox_view), name="publishing_article_inbox"),
            path("mine/", view(self.mine_view), name="publishing_article_mine"),
            path("import-word/", view(self.import_word_view), name="publishing_article_import"),
            path("<int:pk>/act/<str:action>/", view(self.act_view), name="publishing_article_act"),
            path("<int:pk>/sheet/", view(self.sheet_view), name="publishing_article_sheet"),
            path(
                "<int:pk>/revisions/",
                view(self.revisions_view),
                name="publishing_article_revisions",
            ),
        ] + super().get_urls()

    # --- pages ----------------------------------------------------------------------------

    def _article(self, request, pk):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return self.get_object(request, str(pk))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, object_id) if object_id else None
        if article is not None:
            extra_context.update(self._panel(request, article))
        return super().change_view(request, object_id, form_url, extra_context)

    def _panel(self, request, article):
        run = selectors.latest_run(article)
        step = None
        if run is not None and run.status == ReviewRun.Status.IN_PROGRESS:
            step = run.steps[run.current_index]
        overrides = {}
        if run is not None:
            for override in run.finding_overrides.select_related("decided_by"):
                overrides[(override.fingerprint, override.source)] = override
        findings = [
            (finding, overrides.get((finding.fingerprint, finding.source)))
            for finding in article.content_findings.all()
        ]
        findings_in_body = [finding for finding, _override in findings if finding.source == "body"]
        return {
            "article": article,
            "run": run,
            "step": step,
            "findings": findings,
            "marked_body": mark_findings(article.body, [f.match for f in findings_in_body]),
            "decisions": run.decisions.select_related("decided_by") if run else [],
            "may": {
                action.name: action for action in workflow.available_actions(article, request.user)
            },
            "validity_choices": [
                (Validity.INVALID, Validity.INVALID.label),
                (Validity.REPEALED, Validity.REPEALED.label),
            ],
        }

    def act_view(self, request, pk, action):
        """One POST endpoint per business action; the service decides and explains refusals."""
        article = self._article(request, pk)
        back = reverse("admin:publishing_article_change", args=[article.pk])
        if request.method != "POST":
            return redirect(back)
        if action not in PANEL_ACTIONS:
            raise PermissionDenied
        take, done = PANEL_ACTIONS[action]
        try:
            take(article, request.POST, request.user)
        except (
            ValidationError,
            PermissionDenied,
            ReviewRun.DoesNotExist,
            ContentFinding.DoesNotExist,
            ValueError,
        ) as exc:
            messages.error(request, _error_text(exc))
            return redirect(back)
        messages.success(request, done)
        if action == "decide":
            return redirect("admin:publishing_article_inbox")
        return redirect(back)

    def inbox_view(self, request):
        """待我审核 — the runs waiting for this reviewer, with how long each has waited."""
        now = timezone.now()
        runs = [(run, now - run.waiting_since) for run in selectors.review_inbox(request.user)]
        return TemplateResponse(
            request,
            "admin/publishing/article/inbox.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Waiting for my review"),
                "runs": runs,
            },
        )

    def mine_view(self, request):
        """我的提交 — where each of the author's articles stands in its review."""
        rows = []
        for article in selectors.submissions_of(request.user):
            runs = sorted(article.review_runs.all(), key=lambda r: (r.submitted_at, r.pk))
            run = runs[-1] if runs else None
            decisions = sorted(run.decisions.all(), key=lambda d: d.step_index) if run else []
            rows.append(
                {"article": article, "run": run, "last": decisions[-1] if decisions else None}
            )
        return TemplateResponse(
            request,
            "admin/publishing/article/mine.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("My submissions"),
                "rows": rows,
            },
        )

    def import_word_view(self, request):
        """从 Word 导入 — upload a .docx, get a draft to edit."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = WordImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                imported = word_import.import_word(
                    upload=form.cleaned_data["file"],
                    column=form.cleaned_data["column"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, _("Imported from Word as a draft; check it and save."))
                for skipped in imported.skipped_images:
                    messages.warning(request, _("Left out: %(why)s") % {"why": skipped})
                return redirect("admin:publishing_article_change", imported.article.pk)
        return TemplateResponse(
            request,
            "admin/publishing/article/import_word.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Import from Word"),
                "form": form,
            },
        )

    def sheet_view(self, request, pk):
        """信息发布审核单 — the printable review sheet for the unit's paper archive."""
        article = self._article(request, pk)
        return TemplateResponse(
            request,
            "publishing/staff/review_sheet.html",
            {"article": article, "runs": selectors.review_sheet(article), "now": timezone.now()},
        )

    def revisions_view(self, request, pk):
        """修订记录 — every saved revision, and what changed from the one before."""
        article = self._article(request, pk)
        history = revision_history(
            article=article, number=request.GET.get("n"), by=request.user, request=request
        )
        return TemplateResponse(
            request,
            "admin/publishing/article/revisions.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Revisions of “%(title)s”") % {"title": article},
                "article": article,
                **history,
            },
        )


#: The review panel's forms: action (as in workflow.ACTION_TABLE; "decide" posts approve or
#: return as its outcome) -> (the service call with the form's data, what the user is told).
PANEL_ACTIONS = {
    "submit": (
        lambda article, data, user: services.submit(article=article, by=user),
        gettext_lazy("Submitted for review."),
    ),
    "decide": (
        lambda article, data, user: services.decide(
            run=article.review_runs.get(pk=data.get("run")),
            step_index=int(data.get("step_index", -1)),
            by=user,
            outcome=data.get("outcome", ""),
            comment=data.get("comment", ""),
        ),
        gettext_lazy("Your decision has been recorded."),
    ),
    "override": (
        lambda article, data, user: services.override_finding(
            run=article.review_runs.get(pk=data.get("run")),
            finding=article.content_findings.get(pk=data.get("finding")),
            by=user,
            reason=data.get("reason", ""),
        ),
        gettext_lazy("Let through; the reason is recorded on the review."),
    ),
    "publish": (
        lambda article, data, user: services.publish(article=article, by=user),
        gettext_lazy("Published."),
    ),
    "schedule": (
        lambda article, data, user: services.schedule(
            article=article, by=user, at=_parse_local(data.get("at"))
        ),
        gettext_lazy("Scheduled."),
    ),
    "withdraw": (
        lambda article, data, user: services.withdraw(
            article=article, by=user, reason=data.get("reason", "")
        ),
        gettext_lazy("Withdrawn."),
    ),
    "mark_invalid": (
        lambda article, data, user: services.mark_invalid(
            article=article, by=user, validity=data.get("validity")
        ),
        gettext_lazy("Validity changed."),
    ),
    "order_headline": (
        lambda article, data, user: services.order_headline(
            article=article, by=user, reason=data.get("reason", "")
        ),
        gettext_lazy("Headline ordered."),
    ),
}


def _parse_local(value):
    """A datetime-local form value, read in the site's time zone."""
    parsed = parse_datetime((value or "").replace("T", " ")) if value else None
    if parsed is None:
        raise ValidationError(_("Give the publish time as date and time."))
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _error_text(exc):
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, ReviewRun.DoesNotExist):
        return _("This review no longer exists.")
    if isinstance(exc, ContentFinding.DoesNotExist):
        return _("The check has run again since; reload the page to see its findings.")
    if isinstance(exc, ValueError):
        return _("The form was incomplete; reload the page and try again.")
    return str(exc) or _("You may not do this.")


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

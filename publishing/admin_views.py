"""The articles' own admin pages beside ArticleAdmin: the review panel on an article's page,
the POST endpoint of its business actions (dispatched from PANEL_ACTIONS to services),
待我审核, 我的提交, 从 Word 导入, the review sheet and the revisions. ArticleAdmin
registers them in get_urls and keeps presentation."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from columns.admin_pages import ModelAdminPage, PanelActionView
from columns.models import Column
from columns.pickers import ColumnChoiceField
from columns.selectors import columns_for_user

from . import selectors, services, word_import, workflow
from .content_checks.highlight import mark_findings
from .models import ContentFinding, ReviewRun, Validity
from .revisions import revision_history


class ArticlePage(ModelAdminPage):
    def article(self, request, pk):
        """The article, if this user may see it (scoped as the change list); else 404/403."""
        if not self.model_admin.has_view_or_change_permission(request):
            raise PermissionDenied
        return self.model_admin.get_object(request, str(pk))


class InboxView(ArticlePage):
    def get(self, request):
        """待我审核 — the runs waiting for this reviewer, with how long each has waited."""
        now = timezone.now()
        runs = [(run, now - run.waiting_since) for run in selectors.review_inbox(request.user)]
        return self.render(
            request,
            "admin/publishing/article/inbox.html",
            title=_("Waiting for my review"),
            runs=runs,
        )


class MineView(ArticlePage):
    def get(self, request):
        """我的提交 — where each of the author's articles stands in its review."""
        rows = []
        for article in selectors.submissions_of(request.user):
            runs = sorted(article.review_runs.all(), key=lambda r: (r.submitted_at, r.pk))
            run = runs[-1] if runs else None
            decisions = sorted(run.decisions.all(), key=lambda d: d.step_index) if run else []
            rows.append(
                {"article": article, "run": run, "last": decisions[-1] if decisions else None}
            )
        return self.render(
            request,
            "admin/publishing/article/mine.html",
            title=_("My submissions"),
            rows=rows,
        )


class WordImportView(ArticlePage):
    def dispatch(self, request):
        """从 Word 导入 — upload a .docx, get a draft to edit."""
        if not self.model_admin.has_add_permission(request):
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
        return self.render(
            request,
            "admin/publishing/article/import_word.html",
            title=_("Import from Word"),
            form=form,
        )


class ReviewSheetView(ArticlePage):
    def get(self, request, pk):
        """信息发布审核单 — the printable review sheet for the unit's paper archive."""
        article = self.article(request, pk)
        return TemplateResponse(
            request,
            "publishing/staff/review_sheet.html",
            {"article": article, "runs": selectors.review_sheet(article), "now": timezone.now()},
        )


class RevisionsView(ArticlePage):
    def get(self, request, pk):
        """修订记录 — every saved revision, and what changed from the one before."""
        article = self.article(request, pk)
        history = revision_history(
            article=article, number=request.GET.get("n"), by=request.user, request=request
        )
        return self.render(
            request,
            "admin/publishing/article/revisions.html",
            title=_("Revisions of “%(title)s”") % {"title": article},
            article=article,
            **history,
        )


def panel(request, article):
    """The review panel on an article's page: its run and step, the content check's findings
    with their overrides, the body as it will be published, and what this user may do now."""
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


class ArticleActionView(PanelActionView):
    """The review panel's business actions on an article (PANEL_ACTIONS)."""

    stale_form = {
        ReviewRun.DoesNotExist: gettext_lazy("This review no longer exists."),
        ContentFinding.DoesNotExist: gettext_lazy(
            "The check has run again since; reload the page to see its findings."
        ),
    }
    actions = PANEL_ACTIONS
    to_inbox = ("decide",)
    inbox = "admin:publishing_article_inbox"

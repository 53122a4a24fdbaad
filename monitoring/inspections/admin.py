"""Admin of inspection for inspectors and units: presentation and wiring; rules live in
monitoring.inspections.services. Each record's page carries the forms of the actions the
user may take on it; the actions post to one endpoint per record type."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from columns.admin_pages import PanelActionView
from columns.admin_scoping import UnitScopedAdminMixin
from columns.models import Role, Unit
from columns.selectors import has_role

from . import reports, sampling, selectors, services, workflow
from .exports import xlsx_response
from .findings import findings_for
from .models import (
    MIN_SAMPLE_RATIO,
    AnnualReport,
    MonthlyScore,
    ProblemCategory,
    ScoreMethod,
    ScoreMonth,
    ScoreRule,
    ScoreRuleSet,
    SpecialSupervision,
    SpotCheckCampaign,
    SpotCheckProblem,
)

TEMPLATES = "monitoring/inspections/admin/"


class RecordActionView(PanelActionView):
    """The one POST endpoint per record type: the record's admin carries out each of its
    action_names (act(request, record, action), which may read the uploaded files)."""

    def offers(self, action):
        return action in self.model_admin.action_names

    def act(self, request, obj, action):
        return self.model_admin.act(request, obj, action)


def _may(obj, request, action):
    """Whether the page offers action: the state machine's answer for this user."""
    return any(a.name == action for a in workflow.available_actions(obj, request.user))


class InspectionAdmin(admin.ModelAdmin):
    """Inspectors see every record; unit staff (when unit_may_view) see their unit's records.
    Records change only through the actions on their page, never through the plain form."""

    unit_may_view = False
    action_names = ()

    def _is_unit_staff(self, request):
        return self.unit_may_view and has_role(request.user, Role.LIAISON)

    def has_module_permission(self, request):
        return services.is_inspector(request.user) or self._is_unit_staff(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        extra = [
            path(
                "<int:pk>/act/<str:action>/",
                self.admin_site.admin_view(RecordActionView.as_view(model_admin=self)),
                name="{}_{}_act".format(*info),
            )
        ]
        return extra + self.file_urls() + self.extra_urls() + super().get_urls()

    def extra_urls(self):
        return []

    #: File fields served to those who may view the record (evidence is not public).
    file_fields = ()

    def file_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                f"<int:pk>/{field}/",
                self.admin_site.admin_view(self.file_view),
                {"field": field},
                name=f"{info[0]}_{info[1]}_{field}",
            )
            for field in self.file_fields
        ]

    def file_view(self, request, pk, field):
        """The record's uploaded file, through the same scoping as the record itself."""
        obj = self.get_object(request, str(pk))
        upload = getattr(obj, field)
        if not self.has_view_permission(request, obj) or not upload:
            raise Http404
        return FileResponse(upload.open("rb"), filename=upload.name.rsplit("/", 1)[-1])

    def page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            TEMPLATES + template,
            {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context},
        )

    def change_url(self, obj):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return self.detail(request, obj)


def _date(value):
    from django.utils.dateparse import parse_date

    try:
        parsed = parse_date(value or "")
    except ValueError:
        parsed = None
    if value and parsed is None:
        raise ValidationError(_("Give the date as YYYY-MM-DD."))
    return parsed


# --- spot checks ----------------------------------------------------------------------------


class CampaignForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    year = forms.IntegerField(label=gettext_lazy("year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("quarter"), choices=[(q, q) for q in (1, 2, 3, 4)], coerce=int
    )
    ratio = forms.DecimalField(
        label=gettext_lazy("sample ratio"),
        initial=MIN_SAMPLE_RATIO,
        max_digits=3,
        decimal_places=2,
        help_text=gettext_lazy("Share of the units drawn; at least 0.30."),
    )
    seed = forms.IntegerField(
        label=gettext_lazy("random seed"),
        required=False,
        help_text=gettext_lazy("Leave empty for a fresh random draw."),
    )


@admin.register(SpotCheckCampaign)
class SpotCheckCampaignAdmin(InspectionAdmin):
    list_display = ["title", "year", "quarter", "status", "sample_count", "opened_at"]
    list_filter = ["status", "year"]
    action_names = ("problem", "close", "publish")

    @admin.display(description=gettext_lazy("units sampled"))
    def sample_count(self, campaign):
        return campaign.samples.count()

    def has_add_permission(self, request):
        return services.is_inspector(request.user)

    def add_view(self, request, form_url="", extra_context=None):
        """开展抽查: the form that opens a campaign and draws its sample."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        form = CampaignForm(
            request.POST or None,
            initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1},
        )
        if request.method == "POST" and form.is_valid():
            try:
                campaign = services.open_campaign(opened_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The campaign is open and its sample drawn."))
                return redirect(self.change_url(campaign))
        return self.page(request, "campaign_open.html", _("Open a spot-check campaign"), form=form)

    def detail(self, request, campaign):
        samples = selectors.campaign_results(campaign)
        redrawn = sampling.draw(campaign.population, campaign.seed, campaign.sample_ratio)
        unit_id = request.GET.get("unit")
        chosen = next((s.unit for s, _p in samples if str(s.unit_id) == unit_id), None)
        return self.page(
            request,
            "campaign.html",
            str(campaign),
            campaign=campaign,
            samples=samples,
            population_units=Unit.objects.filter(pk__in=campaign.population).order_by("pk"),
            redraw_matches=redrawn == sorted(s.unit_id for s, _p in samples),
            chosen_unit=chosen,
            findings=findings_for(chosen) if chosen else [],
            categories=ProblemCategory.choices,
            supervisions=campaign.supervisions.select_related("unit"),
            may_act=services.is_inspector(request.user),
            can_close=_may(campaign, request, "close"),
            can_publish=_may(campaign, request, "publish"),
        )

    def act(self, request, campaign, action):
        data = request.POST
        if action == "problem":
            unit = campaign.samples.filter(unit_id=data.get("unit") or None).first()
            services.record_problem(
                campaign=campaign,
                unit=unit.unit if unit else None,
                category=data.get("category", ""),
                description=data.get("description", ""),
                deadline=_date(data.get("deadline")),
                evidence_url=data.get("evidence_url", ""),
                screenshot=request.FILES.get("screenshot"),
                finding=data.get("finding", ""),
                recorded_by=request.user,
            )
            return _("The problem is recorded and the unit told its deadline.")
        if action == "close":
            services.close_campaign(campaign=campaign, by=request.user)
            return _("The campaign is closed.")
        services.publish_campaign(
            campaign=campaign, by=request.user, summary=data.get("summary", "")
        )
        return _("The results are published on the portal.")


@admin.register(SpotCheckProblem)
class SpotCheckProblemAdmin(UnitScopedAdminMixin, InspectionAdmin):
    unit_may_view = True
    file_fields = ("screenshot",)
    list_display = ["__str__", "campaign", "status", "deadline"]
    list_filter = ["status", "category", "campaign"]
    action_names = ("answer", "verify", "send_back")

    def detail(self, request, problem):
        return self.page(
            request,
            "problem.html",
            str(problem),
            problem=problem,
            may_answer=_may(problem, request, "answer"),
            may_verify=_may(problem, request, "verify"),
            overdue=problem.deadline < timezone.localdate()
            and problem.status in ("open", "returned"),
        )

    def act(self, request, problem, action):
        data = request.POST
        if action == "answer":
            services.answer_problem(problem=problem, response=data.get("response"), by=request.user)
            return _("Your rectification report was sent to the inspector.")
        services.verify_problem(
            problem=problem,
            by=request.user,
            accept=action == "verify",
            comment=data.get("comment", ""),
            deadline=_date(data.get("deadline")),
        )
        return _("Verified.") if action == "verify" else _("Sent back to the unit.")


@admin.register(SpecialSupervision)
class SpecialSupervisionAdmin(UnitScopedAdminMixin, InspectionAdmin):
    unit_may_view = True
    file_fields = ("self_examination",)
    list_display = ["unit", "campaign", "previous_campaign", "status", "opened_at"]
    list_filter = ["status"]
    action_names = ("submit", "clear", "send_back")

    def detail(self, request, supervision):
        return self.page(
            request,
            "supervision.html",
            str(supervision),
            supervision=supervision,
            may_submit=_may(supervision, request, "submit"),
            may_decide=_may(supervision, request, "clear"),
        )

    def act(self, request, supervision, action):
        if action == "submit":
            services.submit_self_examination(
                supervision=supervision,
                document=request.FILES.get("self_examination"),
                by=request.user,
            )
            return _("Your written self-examination was submitted.")
        services.decide_supervision(
            supervision=supervision, by=request.user, clear=action == "clear"
        )
        return _("The flag is cleared.") if action == "clear" else _("Sent back to the unit.")


# --- monthly scoring ------------------------------------------------------------------------


def _inspector_only(self, request, obj=None):
    return services.is_inspector(request.user)


class ScoreRuleInline(admin.TabularInline):
    model = ScoreRule
    extra = 1
    has_view_permission = has_add_permission = _inspector_only
    has_change_permission = has_delete_permission = _inspector_only
    fields = [
        "position",
        "name",
        "method",
        "max_points",
        "weekly_points",
        "fortnightly_points",
        "monthly_points",
        "points_per_item",
    ]


@admin.register(ScoreRuleSet)
class ScoreRuleSetAdmin(admin.ModelAdmin):
    """评分细则: the inspector edits the rules as data."""

    list_display = ["name", "is_active", "pass_mark"]
    inlines = [ScoreRuleInline]

    has_module_permission = has_view_permission = has_add_permission = _inspector_only
    has_change_permission = has_delete_permission = _inspector_only


@admin.register(ScoreMonth)
class ScoreMonthAdmin(InspectionAdmin):
    list_display = ["__str__", "rule_set", "computed_at", "published_at"]
    change_list_template = TEMPLATES + "scoremonth_changelist.html"
    action_names = ("publish",)

    def extra_urls(self):
        return [
            path(
                "compute/",
                self.admin_site.admin_view(self.compute_view),
                name="monitoring_scoremonth_compute",
            )
        ]

    def compute_view(self, request):
        """Compute a month by hand (beat does it on the 1st for the month before)."""
        if not services.is_inspector(request.user) or request.method != "POST":
            raise PermissionDenied
        try:
            month = services.compute_month(
                year=int(request.POST.get("year", 0)), month=int(request.POST.get("month", 0))
            )
        except (ValidationError, ValueError) as exc:
            messages.error(
                request,
                " ".join(exc.messages)
                if isinstance(exc, ValidationError)
                else _("Give the year and month as numbers."),
            )
            return redirect("admin:monitoring_scoremonth_changelist")
        return redirect(self.change_url(month))

    def changelist_view(self, request, extra_context=None):
        today = timezone.localdate()
        extra_context = {**(extra_context or {}), "today": today}
        return super().changelist_view(request, extra_context)

    def detail(self, request, month):
        return self.page(
            request,
            "score_month.html",
            _("Monthly assessment %(month)s") % {"month": month},
            month=month,
            scores=selectors.monthly_table(month),
            rules=month.rule_set.rules.all(),
            self_deadline=services.self_score_deadline(month),
            confirm_deadline=services.confirm_deadline(month),
            may_act=services.is_inspector(request.user),
        )

    def act(self, request, month, action):
        services.publish_month(month=month, by=request.user)
        return _("The monthly table is published on the portal.")


@admin.register(MonthlyScore)
class MonthlyScoreAdmin(UnitScopedAdminMixin, InspectionAdmin):
    unit_may_view = True
    list_display = ["__str__", "status", "total"]
    list_filter = ["status", "month"]
    action_names = ("self_score", "confirm")

    def detail(self, request, score):
        items = list(score.items.select_related("rule"))
        return self.page(
            request,
            "score.html",
            str(score),
            score=score,
            items=items,
            manual=ScoreMethod.MANUAL,
            may_self_score=_may(score, request, "self_score"),
            may_confirm=_may(score, request, "confirm"),
            self_deadline=services.self_score_deadline(score.month),
        )

    def act(self, request, score, action):
        points = {
            key.split("-", 1)[1]: value
            for key, value in request.POST.items()
            if key.startswith("rule-")
        }
        if action == "self_score":
            services.self_score(score=score, points=points, by=request.user)
            return _("Your self-score was recorded.")
        services.confirm_score(score=score, points=points, by=request.user)
        return _("The score is confirmed.")


# --- annual reports -------------------------------------------------------------------------


@admin.register(AnnualReport)
class AnnualReportAdmin(InspectionAdmin):
    list_display = ["__str__", "status", "generated_at", "published_at"]
    list_filter = ["status", "kind", "year"]
    change_list_template = TEMPLATES + "annualreport_changelist.html"
    action_names = ("complete", "review", "reopen", "publish")

    def extra_urls(self):
        view = self.admin_site.admin_view
        return [
            path("generate/", view(self.generate_view), name="monitoring_annualreport_generate"),
            path("<int:pk>/print/", view(self.print_view), name="monitoring_annualreport_print"),
            path("<int:pk>/xlsx/", view(self.xlsx_view), name="monitoring_annualreport_xlsx"),
        ]

    def generate_view(self, request):
        """Draft the reports by hand (beat does it on 2 January for the year before)."""
        if not services.is_inspector(request.user) or request.method != "POST":
            raise PermissionDenied
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            messages.error(request, _("Give the year as a number."))
        else:
            drafted = services.generate_annual_reports(year=year)
            messages.success(
                request,
                _("%(count)d reports drafted from the platform's data.") % {"count": len(drafted)},
            )
        return redirect("admin:monitoring_annualreport_changelist")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "last_year": timezone.localdate().year - 1}
        return super().changelist_view(request, extra_context)

    def _report(self, request, pk):
        report = self.get_object(request, str(pk))
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        return report

    def detail(self, request, report):
        return self.page(
            request,
            "report.html",
            str(report),
            report=report,
            sections=reports.sections(report),
            missing=reports.missing_fields(report),
            deadline=reports.publishing_deadline(report.year),
            editable=_may(report, request, "complete"),
            can_review=_may(report, request, "review"),
            can_reopen=_may(report, request, "reopen"),
            can_publish=_may(report, request, "publish"),
        )

    def print_view(self, request, pk):
        report = self._report(request, pk)
        return TemplateResponse(
            request,
            "monitoring/inspections/report.html",
            {"report": report, "sections": reports.sections(report), "draft": True},
        )

    def xlsx_view(self, request, pk):
        return xlsx_response(self._report(request, pk))

    def act(self, request, report, action):
        if action == "complete":
            keys = {f.key for f in reports.fields_of(report) if f.by_hand}
            values = {k: request.POST[k] for k in keys if k in request.POST}
            services.complete_report(report=report, values=values, by=request.user)
            return _("Saved.")
        if action in ("review", "reopen"):
            services.review_report(report=report, by=request.user, approve=action == "review")
            return _("Reviewed.") if action == "review" else _("Reopened as a draft.")
        services.publish_report(report=report, by=request.user)
        return _("The report is published on the portal.")

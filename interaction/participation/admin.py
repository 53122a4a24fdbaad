"""Admin of consultations, surveys and interviews: presentation and wiring; rules live in services.

Every page is scoped to the user's unit through columns.admin_scoping, so a unit neither sees
nor reaches another unit's items; the business actions are admin actions and small views that
call participation.services and show its refusals as messages.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from columns.admin_scoping import UnitScopedAdminMixin
from columns.audit import record
from columns.personal_data_admin import PersonalDataAdminMixin
from columns.selectors import sees_everything, unit_of
from publishing.content_checks import Rule
from publishing.models import Article

from . import selectors, services, workflow
from .export import survey_workbook
from .models import (
    Consultation,
    ConsultationComment,
    Guest,
    Interview,
    InterviewQuestion,
    QuestionScreening,
    Survey,
    SurveyChoice,
    SurveyQuestion,
)


def _findings_text(findings):
    """The content checker's findings on a citizen's text, as the moderator reads them."""
    labels = dict(Rule.choices)
    return "；".join(f"{labels.get(f['rule'], f['rule'])}：{f['match']}" for f in findings) or "—"


def _run(request, action, objects, done):
    """Apply a service action to each selected object; report refusals one by one."""
    succeeded = 0
    for obj in objects:
        try:
            action(obj)
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, f"{obj}: {text}")
        else:
            succeeded += 1
    if succeeded:
        messages.success(request, done % {"count": succeeded})


class ParticipationAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    """Items belong to the unit that runs them; the unit is the user's own unless they see all."""

    service = None  # the services.save_* function

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if unit_of(request.user) is not None:
            initial.setdefault("unit", unit_of(request.user).pk)
        if getattr(request, "site", None) is not None:
            initial.setdefault("site", request.site.pk)
        return initial

    def save_model(self, request, obj, form, change):
        type(self).service(**{self.model._meta.model_name: obj, "by": request.user})


# --- 意见征集 -------------------------------------------------------------------------------


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["site", "unit", "title", "summary", "document", "opens_at", "closes_at"]

    def clean(self):
        cleaned = super().clean()
        # Unit and document are checked together in the model; run it on the form's values.
        for name in ("unit", "document"):
            if cleaned.get(name) is not None:
                setattr(self.instance, name, cleaned[name])
        return cleaned


@admin.register(Consultation)
class ConsultationAdmin(ParticipationAdmin):
    service = services.save_consultation
    form = ConsultationForm
    list_display = [
        "title",
        "unit",
        "opens_at",
        "closes_at",
        "public_state",
        "document_status",
        "report_link",
    ]
    list_filter = ["unit", "site"]
    search_fields = ["title"]
    actions = ["draft_report"]
    readonly_fields = ["report_link"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "document" and not sees_everything(request.user):
            kwargs["queryset"] = Article.objects.filter(unit=unit_of(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("state"))
    def public_state(self, consultation):
        if not services.consultation_is_public(consultation):
            return _("Document not published yet")
        return consultation.get_state_display()

    @admin.display(description=gettext_lazy("document"))
    def document_status(self, consultation):
        url = reverse("admin:publishing_article_change", args=[consultation.document_id])
        return format_html('<a href="{}">{}</a>', url, consultation.document.get_status_display())

    @admin.display(description=gettext_lazy("feedback report"))
    def report_link(self, consultation):
        if consultation.report_id is None:
            return "—"
        url = reverse("admin:publishing_article_change", args=[consultation.report_id])
        return format_html(
            '<a href="{}">{} ({})</a>',
            url,
            consultation.report.title,
            consultation.report.get_status_display(),
        )

    @admin.action(description=gettext_lazy("Draft the feedback report"))
    def draft_report(self, request, queryset):
        _run(
            request,
            lambda c: services.draft_report(consultation=c, by=request.user),
            queryset,
            _(
                "%(count)s feedback reports drafted as articles; edit them if needed and submit "
                "them for review."
            ),
        )


class AdoptionForm(forms.ModelForm):
    class Meta:
        model = ConsultationComment
        fields = ["adoption", "adoption_note"]


class ManagersReadPersonalData(PersonalDataAdminMixin):
    """Citizens' personal data here: listed by them only by those who run the unit's items."""

    def may_read_personal_data(self, request):
        return selectors.may_manage(request.user, unit_of(request.user))


@admin.register(ConsultationComment)
class ConsultationCommentAdmin(ManagersReadPersonalData, UnitScopedAdminMixin, admin.ModelAdmin):
    """Comments: the unit moderates held ones and records what it adopted. The citizen's
    contact data are shown only to those who manage the unit's items, and each view of them
    goes to the operation log; inspectors read the comments without them."""

    unit_path = "consultation__unit"
    form = AdoptionForm
    list_display = ["content_start", "consultation", "submitted_at", "moderation", "adoption"]
    list_filter = ["moderation", "adoption"]
    search_fields = ["content"]
    actions = ["approve", "reject"]
    CONTACT = ["name", "phone", "email"]
    RECORD = ["consultation", "content", "submitted_at", "moderation", "findings"]

    def _sees_contact(self, request, obj):
        return obj is not None and selectors.may_manage(request.user, obj.consultation.unit)

    def get_fields(self, request, obj=None):
        contact = self.CONTACT if self._sees_contact(request, obj) else []
        return [*self.RECORD[:2], *contact, *self.RECORD[2:], "adoption", "adoption_note"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.RECORD, *self.CONTACT]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, object_id)
        if request.method == "GET" and self._sees_contact(request, comment):
            record(
                "participation_contact_viewed", actor=request.user, target=comment, request=request
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("comment"))
    def content_start(self, comment):
        return str(comment)

    @admin.display(description=gettext_lazy("content checker findings"))
    def findings(self, comment):
        return _findings_text(comment.checker_findings)

    def save_model(self, request, obj, form, change):
        services.decide_adoption(
            comment=obj, by=request.user, adoption=obj.adoption, note=obj.adoption_note
        )

    def _moderate(self, request, queryset, approve, done):
        _run(
            request,
            lambda c: services.moderate_comment(comment=c, by=request.user, approve=approve),
            queryset,
            done,
        )

    @admin.action(description=gettext_lazy("Publish the selected held comments"))
    def approve(self, request, queryset):
        self._moderate(request, queryset, True, _("%(count)s comments published."))

    @admin.action(description=gettext_lazy("Reject the selected held comments"))
    def reject(self, request, queryset):
        self._moderate(request, queryset, False, _("%(count)s comments rejected."))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The adoption decision goes through the service; its refusal is the form's error.
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)


# --- 征集调查 -------------------------------------------------------------------------------


class SurveyQuestionForm(forms.ModelForm):
    """A question with its options typed one per line (kept in order as SurveyChoice rows)."""

    options = forms.CharField(
        label=gettext_lazy("options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 30}),
        help_text=gettext_lazy("One option per line; leave empty for a free-text question."),
    )

    class Meta:
        model = SurveyQuestion
        fields = ["position", "text", "kind", "required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["options"].initial = "\n".join(c.text for c in self.instance.choices.all())

    def clean(self):
        cleaned = super().clean()
        options = [line.strip() for line in cleaned.get("options", "").splitlines()]
        cleaned["option_list"] = [o for o in options if o]
        if cleaned.get("kind") in ("single", "multiple") and len(cleaned["option_list"]) < 2:
            self.add_error("options", _("A choice question needs at least two options."))
        return cleaned

    def save(self, commit=True):
        question = super().save(commit=commit)
        if commit:
            self.save_options(question)
        return question

    def save_options(self, question):
        wanted = self.cleaned_data.get("option_list", [])
        if [c.text for c in question.choices.all()] == wanted:
            return
        question.choices.all().delete()
        SurveyChoice.objects.bulk_create(
            SurveyChoice(question=question, position=i, text=text) for i, text in enumerate(wanted)
        )


class SurveyQuestionInline(admin.StackedInline):
    model = SurveyQuestion
    form = SurveyQuestionForm
    extra = 1
    fields = ["position", "text", "kind", "required", "options"]

    def _answered(self, obj):
        return obj is not None and obj.responses.exists()

    # Once citizens have answered, the questions are what they answered: no more edits.
    def has_add_permission(self, request, obj=None):
        return not self._answered(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._answered(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._answered(obj) and super().has_delete_permission(request, obj)


@admin.register(Survey)
class SurveyAdmin(ParticipationAdmin):
    service = services.save_survey
    inlines = [SurveyQuestionInline]
    list_display = [
        "title",
        "unit",
        "opens_at",
        "closes_at",
        "public_state",
        "responses",
        "export_link",
    ]
    list_filter = ["unit", "site"]
    search_fields = ["title"]
    fields = ["site", "unit", "title", "description", "opens_at", "closes_at", "requires_phone"]
    actions = ["publish", "publish_results"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(response_count=Count("responses"))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.responses.exists():
            return ["opens_at", "requires_phone"]
        return []

    @admin.display(description=gettext_lazy("state"))
    def public_state(self, survey):
        if survey.published_at is None:
            return _("Not published")
        return survey.get_state_display()

    @admin.display(description=gettext_lazy("responses"), ordering="response_count")
    def responses(self, survey):
        return survey.response_count

    @admin.display(description=gettext_lazy("export"))
    def export_link(self, survey):
        url = reverse("admin:interaction_survey_export", args=[survey.pk])
        return format_html('<a href="{}">{}</a>', url, _("Excel (xlsx)"))

    @admin.action(description=gettext_lazy("Publish the selected surveys"))
    def publish(self, request, queryset):
        _run(
            request,
            lambda s: services.publish_survey(survey=s, by=request.user),
            queryset,
            _("%(count)s surveys published."),
        )

    @admin.action(description=gettext_lazy("Publish the results of the selected surveys"))
    def publish_results(self, request, queryset):
        _run(
            request,
            lambda s: services.publish_survey_results(survey=s, by=request.user),
            queryset,
            _("Results of %(count)s surveys published."),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/export/", view(self.export_view), name="interaction_survey_export"),
        ] + super().get_urls()

    def export_view(self, request, pk):
        """导出: the counts per option and every response (no phone numbers) as an xlsx file."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        survey = self.get_object(request, str(pk))
        return survey_workbook(survey).response(f"{survey.title}.xlsx")


# --- 在线访谈 -------------------------------------------------------------------------------


class GuestInline(admin.TabularInline):
    model = Guest
    extra = 1
    fields = ["position", "name", "title", "photo"]


@admin.register(Interview)
class InterviewAdmin(ParticipationAdmin):
    service = services.save_interview
    inlines = [GuestInline]
    list_display = ["title", "unit", "starts_at", "status", "published_at", "console_link"]
    list_filter = ["status", "unit", "site"]
    search_fields = ["title"]
    fields = ["site", "unit", "title", "summary", "starts_at", "ends_at", "host_name"]
    actions = ["publish", "start", "end"]

    @admin.display(description=gettext_lazy("live console"))
    def console_link(self, interview):
        url = reverse("admin:interaction_interview_console", args=[interview.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open"))

    def _act(self, request, queryset, action, done):
        _run(request, lambda i: action(interview=i, by=request.user), queryset, done)

    @admin.action(description=gettext_lazy("Announce the selected interviews"))
    def publish(self, request, queryset):
        self._act(request, queryset, services.publish_interview, _("%(count)s announced."))

    @admin.action(description=gettext_lazy("Start the selected interviews"))
    def start(self, request, queryset):
        self._act(request, queryset, services.start_interview, _("%(count)s started."))

    @admin.action(description=gettext_lazy("End the selected interviews"))
    def end(self, request, queryset):
        self._act(request, queryset, services.end_interview, _("%(count)s ended."))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/console/", view(self.console_view), name="interaction_interview_console"
            ),
        ] + super().get_urls()

    def console_view(self, request, pk):
        """直播控制台 — the host posts what is said, answering accepted questions."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        interview = self.get_object(request, str(pk))
        back = reverse("admin:interaction_interview_console", args=[interview.pk])
        if request.method == "POST":
            guest = interview.guests.filter(pk=request.POST.get("guest") or None).first()
            question = interview.questions.filter(pk=request.POST.get("question") or None).first()
            try:
                if request.POST.get("action") in CONSOLE_TRANSITIONS:
                    CONSOLE_TRANSITIONS[request.POST["action"]](
                        interview=interview, by=request.user
                    )
                else:
                    services.post_entry(
                        interview=interview,
                        by=request.user,
                        text=request.POST.get("text", ""),
                        guest=guest,
                        question=question,
                    )
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                messages.error(request, text)
            else:
                messages.success(request, _("Done."))
            return redirect(back)
        return TemplateResponse(
            request,
            "interaction/participation/admin_console.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Live console: %(title)s") % {"title": interview},
                "interview": interview,
                "may": {a.name: a for a in workflow.available_actions(interview, request.user)},
                "guests": interview.guests.all(),
                "questions": selectors.accepted_questions(interview),
                "pending": interview.questions.filter(screening=QuestionScreening.PENDING).count(),
                "entries": selectors.transcript(interview),
            },
        )


#: The console's buttons (workflow.ACTION_TABLE's start and end) -> their services.
CONSOLE_TRANSITIONS = {"start": services.start_interview, "end": services.end_interview}


@admin.register(InterviewQuestion)
class InterviewQuestionAdmin(ManagersReadPersonalData, UnitScopedAdminMixin, admin.ModelAdmin):
    """Questions sent beforehand or live: the unit accepts or rejects each one."""

    unit_path = "interview__unit"
    list_display = ["content_start", "nickname", "interview", "submitted_at", "screening", "flags"]
    list_filter = ["screening"]
    actions = ["accept", "reject"]
    readonly_fields = ["interview", "nickname", "content", "submitted_at", "screening", "flags"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("question"))
    def content_start(self, question):
        return str(question)

    @admin.display(description=gettext_lazy("content checker findings"))
    def flags(self, question):
        return _findings_text(question.checker_findings)

    @admin.action(description=gettext_lazy("Accept the selected questions"))
    def accept(self, request, queryset):
        _run(
            request,
            lambda q: services.screen_question(question=q, by=request.user, accept=True),
            queryset,
            _("%(count)s questions accepted."),
        )

    @admin.action(description=gettext_lazy("Reject the selected questions"))
    def reject(self, request, queryset):
        _run(
            request,
            lambda q: services.screen_question(question=q, by=request.user, accept=False),
            queryset,
            _("%(count)s questions rejected."),
        )

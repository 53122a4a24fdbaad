"""Public pages of consultations, surveys and interviews on the site the request is for.

Thin: forms check the input's shape, services decide and store, and a refusal is shown as
the form's error. Another site's item answers 404.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from columns.client_address import client_address

from . import selectors, services
from .forms import CommentForm, QuestionForm, SurveyForm
from .models import InterviewStatus, Moderation, PublicState, SurveyResponse

PAGE_SIZE = 15
#: The browser's participant id: one survey answer per id [cookie plus rate limit].
PARTICIPANT_COOKIE = "participant"
PARTICIPANT_SALT = "interaction.participation"
PARTICIPANT_MAX_AGE = 365 * 24 * 3600


def _listing(request, queryset, template, states):
    """A paginated list of one kind of item, filtered by ?state= (the queryset already is)."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, template, {"page": page, "state": request.GET.get("state", ""), "states": states}
    )


# --- 意见征集 -------------------------------------------------------------------------------


def consultation_list(request):
    """意见征集 — the site's consultations with their state, newest first."""
    state = request.GET.get("state")
    return _listing(
        request,
        selectors.public_consultations(request.site, state),
        "interaction/participation/consultation_list.html",
        PublicState.choices,
    )


def consultation_detail(request, pk):
    consultation = get_object_or_404(selectors.public_consultations(request.site), pk=pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_on(
                consultation=consultation,
                content=form.cleaned_data["content"],
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                ip_address=client_address(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if comment.moderation == Moderation.PUBLISHED:
                messages.success(request, _("Thank you. Your comment has been published."))
            else:
                messages.success(
                    request,
                    _("Thank you. Your comment will be published after the unit has checked it."),
                )
            return redirect(f"{consultation.get_absolute_url()}#comments")
    state = consultation.state()
    context = {
        "consultation": consultation,
        "state": state,
        "is_open": state == PublicState.OPEN,
        "comments": selectors.public_comments(consultation),
        "form": form,
    }
    if state == PublicState.RESULT_PUBLISHED:
        context["figures"] = services.report_figures(consultation)
    return render(request, "interaction/participation/consultation_detail.html", context)


# --- 征集调查 -------------------------------------------------------------------------------


def survey_list(request):
    state = request.GET.get("state")
    return _listing(
        request,
        selectors.public_surveys(request.site, state),
        "interaction/participation/survey_list.html",
        PublicState.choices,
    )


def _participant(request):
    return request.get_signed_cookie(PARTICIPANT_COOKIE, default="", salt=PARTICIPANT_SALT)


def survey_detail(request, pk):
    """The questionnaire while the survey is open; its counts and charts once published."""
    survey = get_object_or_404(selectors.public_surveys(request.site), pk=pk)
    participant = _participant(request)
    questions = selectors.survey_questions(survey)
    form = SurveyForm(request.POST or None, survey=survey, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_survey(
                survey=survey,
                respondent_key=participant,
                answers=form.answers(),
                phone=form.cleaned_data.get("phone", ""),
                ip_address=client_address(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you for taking part in the survey."))
            return redirect(survey.get_absolute_url())
    state = survey.state()
    answered = (
        bool(participant)
        and SurveyResponse.objects.filter(survey=survey, respondent_key=participant).exists()
    )
    context = {
        "survey": survey,
        "state": state,
        "is_open": state == PublicState.OPEN,
        "answered": answered,
        "form": form,
    }
    if state == PublicState.RESULT_PUBLISHED:
        results = selectors.survey_results(survey)
        context["results"] = results
        context["chart_data"] = {
            row["question"].pk: row["options"] for row in results["questions"] if row["is_choice"]
        }
    response = render(request, "interaction/participation/survey_detail.html", context)
    if not participant:
        response.set_signed_cookie(
            PARTICIPANT_COOKIE,
            uuid.uuid4().hex,
            salt=PARTICIPANT_SALT,
            max_age=PARTICIPANT_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


# --- 在线访谈 -------------------------------------------------------------------------------


def interview_list(request):
    status = request.GET.get("state")
    return _listing(
        request,
        selectors.public_interviews(
            request.site, status if status in InterviewStatus.values else None
        ),
        "interaction/participation/interview_list.html",
        InterviewStatus.choices,
    )


def interview_detail(request, pk):
    """The announcement, the live page and the archive: one page whose transcript grows."""
    interview = get_object_or_404(selectors.public_interviews(request.site), pk=pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_question(
                interview=interview,
                nickname=form.cleaned_data["nickname"],
                content=form.cleaned_data["content"],
                ip_address=client_address(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Thank you. Your question will be shown once it has been screened.")
            )
            return redirect(interview.get_absolute_url())
    entries = list(selectors.transcript(interview))
    return render(
        request,
        "interaction/participation/interview_detail.html",
        {
            "interview": interview,
            "guests": interview.guests.all(),
            "questions": selectors.accepted_questions(interview),
            "entries": entries,
            "last_entry": entries[-1].pk if entries else 0,
            "asking": interview.status in (InterviewStatus.SCHEDULED, InterviewStatus.LIVE),
            "form": form,
            "poll_ms": getattr(settings, "PARTICIPATION_POLL_MS", 3000),
        },
    )


def entry_json(entry):
    return {
        "id": entry.pk,
        "speaker": entry.speaker,
        "is_host": entry.guest_id is None,
        "text": entry.text,
        "time": timezone.localtime(entry.posted_at).strftime("%H:%M"),
        "question": (
            {
                "asks": _("%(nickname)s asks:") % {"nickname": entry.question.nickname},
                "content": entry.question.content,
            }
            if entry.question_id
            else None
        ),
    }


@never_cache
def interview_live(request, pk):
    """New transcript entries after ?after=<id>, polled by the live page every few seconds."""
    interview = get_object_or_404(selectors.public_interviews(request.site), pk=pk)
    try:
        after = max(0, int(request.GET.get("after", "0")))
    except ValueError:
        after = 0
    return JsonResponse(
        {
            "status": interview.status,
            "status_label": interview.get_status_display(),
            "entries": [entry_json(e) for e in selectors.transcript(interview, after)],
        }
    )

"""Reads of public participation: what a site's public sees, and survey results as counts."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from columns.models import Role
from columns.selectors import has_role
from publishing.models import ArticleStatus

from .models import (
    Consultation,
    Interview,
    Moderation,
    PublicState,
    QuestionKind,
    QuestionScreening,
    Survey,
    SurveyChoice,
    TranscriptEntry,
)


def may_manage(user, unit):
    """The unit's liaison runs its participation items; the operator may everywhere."""
    return bool(
        user.is_superuser or has_role(user, Role.OPERATOR) or has_role(user, Role.LIAISON, unit)
    )


def _state_filter(state, *, result_published, now):
    """A Q selecting the items of a model with an open period in one PublicState."""
    if state == PublicState.RESULT_PUBLISHED:
        return result_published
    period = {
        PublicState.UPCOMING: Q(opens_at__gt=now),
        PublicState.OPEN: Q(opens_at__lte=now, closes_at__gt=now),
        PublicState.CLOSED: Q(closes_at__lte=now),
    }[state]
    return period & ~result_published


def public_consultations(site, state=None):
    """The site's consultations whose document passed the review chain and is published."""
    queryset = Consultation.objects.filter(
        site=site, document__status=ArticleStatus.PUBLISHED
    ).select_related("document", "report", "unit")
    if state in PublicState.values:
        queryset = queryset.filter(
            _state_filter(
                state,
                result_published=Q(report__status=ArticleStatus.PUBLISHED),
                now=timezone.now(),
            )
        )
    # Meta.ordering is not applied to GROUP BY queries: order explicitly.
    return queryset.annotate(
        public_comment_count=Count("comments", filter=Q(comments__moderation=Moderation.PUBLISHED))
    ).order_by("-opens_at", "-pk")


def public_comments(consultation):
    """Comments the public may read: passed the checker or approved by the unit."""
    return consultation.comments.filter(moderation=Moderation.PUBLISHED).order_by("submitted_at")


def public_surveys(site, state=None):
    queryset = Survey.objects.filter(site=site, published_at__isnull=False).select_related("unit")
    if state in PublicState.values:
        queryset = queryset.filter(
            _state_filter(
                state, result_published=Q(results_published_at__isnull=False), now=timezone.now()
            )
        )
    return queryset.annotate(response_count=Count("responses")).order_by("-opens_at", "-pk")


def survey_questions(survey):
    return survey.questions.prefetch_related("choices")


def survey_results(survey):
    """Per question, the number of respondents choosing each option (or writing an answer).

    Three queries whatever the number of answers: counts are aggregated in the database.
    """
    choices = SurveyChoice.objects.annotate(votes=Count("answers")).order_by("position", "pk")
    questions = survey.questions.annotate(
        answered=Count(
            "answers",
            filter=~Q(answers__text="") | Q(answers__choices__isnull=False),
            distinct=True,
        )
    ).prefetch_related(Prefetch("choices", queryset=choices))
    total = survey.responses.count()
    results = []
    for question in questions:
        options = [
            {
                "text": c.text,
                "votes": c.votes,
                "percent": round(100 * c.votes / total, 1) if total else 0,
            }
            for c in question.choices.all()
        ]
        results.append(
            {
                "question": question,
                "is_choice": question.kind != QuestionKind.TEXT,
                "options": options,
                "answered": question.answered,
            }
        )
    return {"total": total, "questions": results}


def public_interviews(site, status=None):
    queryset = Interview.objects.filter(site=site, published_at__isnull=False).select_related(
        "unit"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.prefetch_related("guests")


def accepted_questions(interview):
    return interview.questions.filter(screening=QuestionScreening.ACCEPTED)


def transcript(interview, after=0):
    """The transcript entries after entry id `after`, oldest first (the live page polls this)."""
    return (
        TranscriptEntry.objects.filter(interview=interview, pk__gt=after)
        .select_related("guest", "question", "interview")
        .order_by("pk")
    )

"""频率限制 — the one limit on how much one client address may send: messages, wrong tracking
passwords, consultation comments, interview questions and survey answers.

Each limit counts the rows its action stored from the address (columns.client_address derives
it) within a window: every web process sees the same count, and no cache eviction or Redis
outage resets it. A wrong tracking password stores nothing else, so it stores a
TrackingFailure. One address is one client: nobody can use up another's allowance.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import (
    ConsultationComment,
    InterviewQuestion,
    Message,
    SurveyResponse,
    TrackingFailure,
)

#: What each limit counts: the model, its address field and its time field.
COUNTED = {
    "message": (Message, "submitter_ip", "received_at"),
    "tracking": (TrackingFailure, "ip_address", "at"),
    "consultationcomment": (ConsultationComment, "ip_address", "submitted_at"),
    "interviewquestion": (InterviewQuestion, "ip_address", "submitted_at"),
    "surveyresponse": (SurveyResponse, "ip_address", "submitted_at"),
}
#: (count, seconds) per address; PARTICIPATION_RATE_LIMITS overrides the last three. Survey
#: answers allow more: a school or an office sends many from one address.
DEFAULT_PARTICIPATION_LIMITS = {
    "consultationcomment": (5, 600),
    "interviewquestion": (5, 600),
    "surveyresponse": (30, 3600),
}


def allowance(name):
    """(count, seconds): how many rows of limit name one address may store in how long."""
    if name == "message":
        return getattr(settings, "INTERACTION_SUBMISSIONS_PER_HOUR", 5), 3600
    if name == "tracking":
        return getattr(settings, "INTERACTION_TRACKING_ATTEMPTS_PER_HOUR", 10), 3600
    limits = {**DEFAULT_PARTICIPATION_LIMITS, **getattr(settings, "PARTICIPATION_RATE_LIMITS", {})}
    return limits[name]


def refuse_when_used_up(name, address, message):
    """Raise a rate_limited ValidationError with message (formatted with %(limit)s and
    %(minutes)s) when address stored its allowance of name within the window."""
    model, address_field, time_field = COUNTED[name]
    refuse_when_stored(model, address_field, time_field, allowance(name), address, message)


def refuse_when_stored(model, address_field, time_field, limit, address, message):
    """The same limit for an app above this one, counting its own model's rows: limit is
    (count, seconds), e.g. allowance("message") for a citizen's form like the mailbox's."""
    if not address:
        return
    allowed, seconds = limit
    since = timezone.now() - timedelta(seconds=seconds)
    used = model.objects.filter(**{address_field: address, f"{time_field}__gte": since}).count()
    if used >= allowed:
        raise ValidationError(
            message % {"limit": allowed, "minutes": max(1, seconds // 60)}, code="rate_limited"
        )


def record_tracking_failure(address):
    """Count one wrong tracking attempt from address; attempts past the window are dropped."""
    if not address:
        return
    now = timezone.now()
    window = timedelta(seconds=allowance("tracking")[1])
    TrackingFailure.objects.filter(at__lt=now - window).delete()
    TrackingFailure.objects.create(ip_address=address, at=now)

"""What every text a citizen sends to a consultation, a survey or an interview passes: the
mailbox's moderation (the platform's content checker) and a per-address rate limit."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from publishing.content_checks import Severity

from ..services import moderate

#: (submissions, seconds) allowed per IP address for each kind of item; the setting
#: PARTICIPATION_RATE_LIMITS may override any of them. Survey answers allow more: a school or
#: an office sends many from one address.
DEFAULT_RATE_LIMITS = {
    "consultationcomment": (5, 600),
    "interviewquestion": (5, 600),
    "surveyresponse": (30, 3600),
}


def screen_text(text):
    """(held, findings): held when the checker blocks anything (sensitive words, personal data);
    the findings are kept, masked as the checker reports them, for the moderator."""
    findings = moderate(text)
    return any(f["severity"] == Severity.BLOCK for f in findings), findings


def check_rate(model, ip_address):
    """Refuse one more submission of model (rows with ip_address and submitted_at) from an
    address that used its allowance in the window. Counted from the stored rows, like the
    mailbox's limit, so every web process sees the same count without a shared cache."""
    if not ip_address:
        return
    limits = {**DEFAULT_RATE_LIMITS, **getattr(settings, "PARTICIPATION_RATE_LIMITS", {})}
    allowed, seconds = limits[model._meta.model_name]
    since = timezone.now() - timedelta(seconds=seconds)
    if model.objects.filter(ip_address=ip_address, submitted_at__gte=since).count() >= allowed:
        raise ValidationError(
            _(
                "Too many submissions came from your network address; please try again in "
                "%(minutes)s minutes."
            )
            % {"minutes": max(1, seconds // 60)},
            code="rate_limited",
        )

"""What every text a citizen sends to a consultation, a survey or an interview passes: the
mailbox's moderation (the platform's content checker) and a per-address rate limit."""

from django.utils.translation import gettext as _

from publishing.content_checks import Severity

from .. import rate_limits
from ..services.submission import moderate


def screen_text(text):
    """(held, findings): held when the checker blocks anything (sensitive words, personal data);
    the findings are kept, masked as the checker reports them, for the moderator."""
    findings = moderate(text)
    return any(f["severity"] == Severity.BLOCK for f in findings), findings


def check_rate(model, ip_address):
    """Refuse one more submission of model from an address that used its allowance: the one
    per-address limit (interaction.rate_limits), named by the model."""
    rate_limits.refuse_when_used_up(
        model._meta.model_name,
        ip_address,
        _(
            "Too many submissions came from your network address; please try again in "
            "%(minutes)s minutes."
        ),
    )

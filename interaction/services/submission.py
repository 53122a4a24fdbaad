"""收信 and 查询 — a citizen's message taken in once, with its tracking code and query
password, and found again with both."""

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import change_url
from columns.notifications import notify
from publishing.content_checks import check_text

from .. import rate_limits, selectors
from ..images import MAX_IMAGES
from ..models import Channel, DeadlineChange, Message, MessageImage, MessageKind, MessageStatus
from ..working_days import WorkingCalendar, local_date
from .deadline_versions import cap_for, due_from_receipt, place_deadline, record_deadline
from .steps import email_citizen, note, required, tracking_url

MAX_SUBJECT = 100
MAX_CONTENT = 3000
#: Unambiguous characters for tracking codes and query passwords (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#: Tracking codes are random; a clash with a stored one is tried again this many times.
CODE_ATTEMPTS = 5


def new_code(length):
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(length))


def moderate(text):
    """The one sensitive-content checker on citizen text: its findings as stored dicts."""
    return [
        {
            "rule": f.rule,
            "severity": f.severity,
            "category": str(f.category),
            "match": f.match,
            "start": f.start,
            "end": f.end,
            "suggestion": str(f.suggestion or ""),
        }
        for f in check_text(text)
    ]


def submit_message(
    *,
    site,
    kind,
    subject,
    content,
    name,
    phone,
    email="",
    channel=Channel.UNIFIED,
    requested_unit=None,
    publish_allowed=True,
    page_url="",
    images=(),
    ip=None,
    at=None,
):
    """收信: store a citizen's message once with a unique tracking code and query password.

    Returns (message, password); the password is stored only hashed, so it is shown once and
    e-mailed. A message with a blocking finding of the content checker is held for the
    dispatcher. The due time runs from receipt, at the moment at (now by default).
    """
    text = _validated_text(
        kind=kind,
        channel=channel,
        requested_unit=requested_unit,
        subject=subject,
        content=content,
        name=name,
        phone=phone,
        images=images,
    )
    findings = moderate(f"{text['subject']}\n{text['content']}")
    held = any(f["severity"] == "block" for f in findings)
    password = new_code(8)
    calendar = WorkingCalendar.load()
    with transaction.atomic():
        _refuse_when_limit_reached(ip)
        now = at or timezone.now()
        message = Message(
            site=site,
            kind=kind,
            channel=channel,
            requested_unit=requested_unit,
            page_url=page_url or "",
            email=(email or "").strip(),
            publish_allowed=publish_allowed,
            submitter_ip=ip,
            moderation_findings=findings,
            status=MessageStatus.HELD if held else MessageStatus.RECEIVED,
            query_password=make_password(password),
            received_at=now,
            cap_at=cap_for(now),
            **text,
        )
        place_deadline(message, due_from_receipt(message, calendar), calendar)
        _save_with_tracking_code(message, received_on=local_date(now))
        record_deadline(message, reason=DeadlineChange.Reason.RECEIPT, at=now)
        for upload in images:
            MessageImage.objects.create(message=message, image=upload)
        note(
            message,
            "submitted",
            detail={"held": held, "findings": len(findings)},
            from_status="",
            at=now,
        )
        _tell_dispatchers(message, held=held)
        _email_receipt(message, password)
    return message, password


def _validated_text(*, kind, channel, requested_unit, subject, content, name, phone, images):
    """The citizen's subject, content, name and phone, stripped, or the first thing to fix."""
    if kind not in MessageKind.values:
        raise ValidationError(_("Choose the type of your message."))
    if channel not in Channel.values:
        raise ValidationError(_("Choose a mailbox."))
    if channel == Channel.UNIT and requested_unit is None:
        raise ValidationError(_("Choose the unit whose mailbox you are writing to."))
    text = {
        "subject": required(subject, _("Give your message a subject.")),
        "content": required(content, _("Write your message.")),
        "name": required(name, _("Give your name.")),
        "phone": required(phone, _("Give a phone number we can reach you on.")),
    }
    if len(text["subject"]) > MAX_SUBJECT or len(text["content"]) > MAX_CONTENT:
        raise ValidationError(
            _("The subject may have at most %(subject)s characters and the message %(content)s.")
            % {"subject": MAX_SUBJECT, "content": MAX_CONTENT}
        )
    if len(images) > MAX_IMAGES:
        raise ValidationError(_("Attach at most %(n)s pictures.") % {"n": MAX_IMAGES})
    return text


def _refuse_when_limit_reached(ip):
    # Counted inside the transaction that stores the message, so a refused one leaves nothing.
    rate_limits.refuse_when_used_up(
        "message",
        ip,
        _(
            "Too many messages were sent from your network address in the last hour "
            "(at most %(limit)s). Please try again later."
        ),
    )


def _save_with_tracking_code(message, *, received_on):
    """查询码 — the day of receipt and 6 random characters; a clash with a stored code (the
    unique index answers) is tried again with new characters."""
    for _attempt in range(CODE_ATTEMPTS):
        message.tracking_code = f"{received_on:%Y%m%d}{new_code(6)}"
        try:
            with transaction.atomic():
                message.save()
            return
        except IntegrityError:
            message.pk = None
    raise RuntimeError(f"no free tracking code after {CODE_ATTEMPTS} attempts")


def _tell_dispatchers(message, *, held):
    notify(
        selectors.dispatchers(),
        kind="message_received",
        title=(_("Held for moderation: %(subject)s") if held else _("New message: %(subject)s"))
        % {"subject": message.subject},
        url=change_url(message),
        key=f"message:{message.pk}:received",
    )


def _email_receipt(message, password):
    email_citizen(
        message,
        _("Your message was received: %(code)s") % {"code": message.tracking_code},
        _(
            "Tracking code: %(code)s\nQuery password: %(password)s\n"
            "Follow your message at %(url)s with both."
        )
        % {"code": message.tracking_code, "password": password, "url": tracking_url(message)},
    )


def track(*, code, password, ip=None):
    """查询: the message with this tracking code if the query password matches.

    Both wrong and unknown give the same answer; repeated wrong attempts from one address
    are refused for an hour.
    """
    rate_limits.refuse_when_used_up(
        "tracking",
        ip,
        _("Too many wrong attempts from your network address; try again in an hour."),
    )
    message = Message.objects.filter(tracking_code=(code or "").strip().upper()).first()
    given = (password or "").strip().upper()
    if message is None:
        # The same hashing work as a wrong password, so the answer's timing does not tell
        # which tracking codes exist.
        make_password(given)
    if message is None or not check_password(given, message.query_password):
        rate_limits.record_tracking_failure(ip)
        raise ValidationError(
            _("The tracking code or the query password is wrong. Check both and try again."),
            code="wrong_credentials",
        )
    return message

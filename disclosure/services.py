"""Business actions on disclosure requests: the only code that changes a request's status or
its due time.

Each action is one transaction: it locks the request, checks who may act, fires the workflow
transition, keeps a handling record (RequestEvent) and an operation-log entry where staff act,
and tells the people concerned. Deadlines are counted on interaction's working-day calendar:
20 working days from receipt (Art. 33), counted afresh from a clarification (Art. 30), plus
the working days a third party was consulted (Art. 33 ¶2) and an extension of at most 20
working days in all approved by the head of the disclosure office (Art. 33).
"""

import re
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import change_url
from columns.audit import record
from columns.models import Role, Unit
from columns.notifications import notify
from interaction import rate_limits
from interaction.images import MAX_IMAGES
from interaction.services import deadline_versions
from interaction.services.steps import email_citizen, unit_staff
from interaction.working_days import WorkingCalendar, end_of_day, local_date, start_of_day

from . import notices, selectors, workflow
from .models import (
    ORGANISATION_DOCUMENTS,
    PERSON_DOCUMENTS,
    ApplicantType,
    DeliveryForm,
    DisclosureRequest,
    IdentityDocument,
    RequestAlert,
    RequestAttachment,
    RequestChannel,
    RequestDeadline,
    RequestEvent,
    RequestExtension,
    RequestStatus,
    ThirdPartyConsultation,
)

#: 20 working days from receipt (Art. 33 ¶1).
STATUTORY_WORKING_DAYS = 20
#: An extension of at most 20 working days in all (Art. 33 ¶1).
MAX_EXTENSION_WORKING_DAYS = 20
#: 补正 must be asked for within 7 working days of receipt (Art. 30).
CLARIFICATION_WINDOW_WORKING_DAYS = 7
#: The applicant's time to clarify when the unit sets none; the unit may set 1–30.
DEFAULT_CLARIFICATION_WORKING_DAYS = 15
MAX_CLARIFICATION_WORKING_DAYS = 30
#: The reminder goes out this many working days before due.
REMINDER_WORKING_DAYS = 3
MAX_DESCRIPTION = 3000
MAX_REPLY = 5000
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#: 18-character resident identity number: 17 digits and a check character.
ID_CARD = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
#: 统一社会信用代码: 18 characters of digits and capitals without I, O, Z, S, V.
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def _tracking_url(request):
    return f"https://{request.site.primary_host}/disclosure/track/"


# --- deadlines ------------------------------------------------------------------------------


def _due_day(request, calendar):
    days = STATUTORY_WORKING_DAYS + request.extension_days + request.paused_days
    return calendar.add_working_days(request.period_start, days)


def _place_deadline(request, calendar):
    """Due at the end of the counted day; the reminder some working days before. A count over
    a year whose holidays are not published yet is provisional (like Message.due_provisional)."""
    due_day = _due_day(request, calendar)
    request.due_at = end_of_day(due_day)
    request.due_provisional = calendar.is_provisional(request.period_start, due_day)
    reminder_day = calendar.add_working_days(due_day, -REMINDER_WORKING_DAYS)
    request.remind_at = max(start_of_day(reminder_day), request.received_at)


def _new_deadline(request, *, reason, calendar, by=None, note=""):
    """A new version of the due time, recorded with its reason."""
    _place_deadline(request, calendar)
    request.deadline_version += 1
    request.save()
    _record_deadline(request, reason=reason, by=by, note=note)


def _record_deadline(request, *, reason, by=None, note=""):
    deadline_versions.record_deadline(
        request, reason=reason, by=by, note=note, clock_running=workflow.CLOCK_RUNNING
    )


def _schedule_alerts(request):
    deadline_versions.schedule_alerts(request, clock_running=workflow.CLOCK_RUNNING)


# --- small shared steps ---------------------------------------------------------------------


def _lock(request):
    return DisclosureRequest.objects.select_for_update().get(pk=request.pk)


def _fire(request, name, *, by=None, comment="", detail=None):
    """Fire transition name, save the status and keep the handling record."""
    source = request.status
    workflow.fire(request, name)
    request.save()
    _note(request, name, by=by, comment=comment, detail=detail, from_status=source)
    if by is not None:
        record(f"disclosure_{name}", actor=by, target=request, detail=detail)
    _schedule_alerts(request)


def _note(request, action, *, by=None, comment="", detail=None, from_status=None):
    RequestEvent.objects.create(
        request=request,
        action=action,
        from_status=request.status if from_status is None else from_status,
        to_status=request.status,
        actor=by,
        comment=comment,
        detail=detail or {},
        at=timezone.now(),
    )


def _required(text, message):
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text


def _new_code(length):
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(length))


# --- the applicant --------------------------------------------------------------------------


def check_identity(applicant_type, id_type, id_number):
    """身份证明 (Art. 29 (一)): a document that fits the applicant, with a plausible number."""
    if applicant_type not in ApplicantType.values:
        raise ValidationError(_("Say whether you apply as a person or for an organisation."))
    allowed = PERSON_DOCUMENTS if applicant_type == ApplicantType.PERSON else ORGANISATION_DOCUMENTS
    if id_type not in allowed:
        raise ValidationError(
            _(
                "A person gives a personal identity document; an organisation its unified "
                "social credit code."
            )
        )
    number = _required(
        id_number, _("Give the number of your identity document (Art. 29 of the regulation).")
    ).upper()
    if id_type == IdentityDocument.ID_CARD:
        valid = (
            ID_CARD.match(number)
            and ID_CHECK[sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True)) % 11]
            == number[17]
        )
        if not valid:
            raise ValidationError(
                _("This is not a valid resident identity card number: check its 18 characters.")
            )
    if id_type == IdentityDocument.CREDIT_CODE and not CREDIT_CODE.match(number):
        raise ValidationError(
            _("This is not a valid unified social credit code: check its 18 characters.")
        )
    return number


def receipt_day(channel, *, submitted_on, confirmed_on=None):
    """收到申请之日 (Art. 31): handed in, the day of submission; by registered post, the day
    the office signed for it; by ordinary letter, fax or online, the day the office confirmed
    it with the applicant (online, the portal confirms at once)."""
    if channel not in RequestChannel.values:
        raise ValidationError(_("Choose how the request was submitted."))
    if channel == RequestChannel.IN_PERSON:
        return submitted_on
    if confirmed_on is None:
        raise ValidationError(
            _(
                "Give the day the post was signed for, or the day receipt was confirmed with "
                "the applicant: that day counts as receipt (Art. 31)."
            )
        )
    if confirmed_on < submitted_on:
        raise ValidationError(_("Receipt cannot be earlier than the day the request was sent."))
    return confirmed_on


def _check_application(
    *, applicant_type, name, id_type, id_number, phone, description, delivery_form, email="",
    address="", purpose="", unit=None
):  # fmt: skip
    """The content of an application (Art. 29), whatever its channel: the fields both
    register_request and submit_request take; returns the request's applicant fields, cleaned."""
    number = check_identity(applicant_type, id_type, id_number)
    name = _required(name, _("Give your name or your organisation's name."))
    phone = _required(phone, _("Give a phone number we can reach you on."))
    description = _required(
        description, _("Describe the information you ask for: its title, number or subject.")
    )
    if len(description) > MAX_DESCRIPTION or len(purpose or "") > MAX_DESCRIPTION:
        raise ValidationError(_("At most %(n)s characters.") % {"n": MAX_DESCRIPTION})
    if delivery_form not in DeliveryForm.values:
        raise ValidationError(_("Choose how you want to receive the information."))
    if delivery_form == DeliveryForm.EMAIL and not (email or "").strip():
        raise ValidationError(_("Give your e-mail address to receive the information by e-mail."))
    if delivery_form in (DeliveryForm.PAPER, DeliveryForm.DISC) and not (address or "").strip():
        raise ValidationError(_("Give the postal address the information should be sent to."))
    if unit is not None and not isinstance(unit, Unit):
        raise ValidationError(_("Choose the authority from the list."))
    return {
        "applicant_type": applicant_type,
        "name": name,
        "id_type": id_type,
        "id_number": number,
        "phone": phone,
        "email": (email or "").strip(),
        "address": (address or "").strip(),
        "description": description,
        "purpose": (purpose or "").strip(),
        "delivery_form": delivery_form,
        "requested_unit": unit,
    }


def _store(request, *, password, unit, by=None):
    """Save a new request once under a free tracking code, with its first deadline and its
    handling record; assigned at once when the authority is known."""
    calendar = WorkingCalendar.load()
    request.query_password = make_password(password)
    request.period_start = local_date(request.received_at)
    _place_deadline(request, calendar)
    for _attempt in range(5):
        request.tracking_code = f"GK{local_date(request.submitted_at):%Y%m%d}{_new_code(6)}"
        try:
            with transaction.atomic():
                request.save()
            break
        except IntegrityError:
            request.pk = None
    else:
        raise RuntimeError("no free tracking code after 5 attempts")
    _record_deadline(request, reason=RequestDeadline.Reason.RECEIPT)
    _note(request, "submitted", by=by, from_status="", detail={"channel": request.channel})
    if unit is not None:
        request.unit = unit
        _fire(request, "assign", by=by, detail={"unit": unit.pk})
        _notify_assigned(request)
    else:
        notify(
            selectors.dispatchers(),
            kind="disclosure_received",
            title=_("New disclosure request %(code)s") % {"code": request.tracking_code},
            url=change_url(request),
            key=f"disclosure:{request.pk}:received",
        )


@transaction.atomic
def register_request(
    *,
    site,
    by,
    channel,
    submitted_on,
    confirmed_on=None,
    **application,
):
    """登记: the dispatcher enters a request handed in, posted or faxed; its receipt is
    counted by channel (Art. 31); the application's fields as _check_application takes them.
    Returns (request, password) for the reply to the applicant."""
    if not selectors.is_dispatcher(by):
        raise PermissionDenied(_("Only the dispatcher may do this."))
    if channel == RequestChannel.ONLINE:
        raise ValidationError(_("Online requests come in through the form on the site."))
    received_on = receipt_day(channel, submitted_on=submitted_on, confirmed_on=confirmed_on)
    if received_on > local_date(timezone.now()):
        raise ValidationError(_("Receipt cannot be in the future."))
    applicant = _check_application(**application)
    password = _new_code(8)
    request = DisclosureRequest(
        site=site,
        **applicant,
        channel=channel,
        submitted_at=start_of_day(submitted_on),
        received_at=start_of_day(received_on),
    )
    _store(request, password=password, unit=applicant["requested_unit"], by=by)
    record("disclosure_registered", actor=by, target=request, detail={"channel": channel})
    return request, password


def submit_request(
    *,
    site,
    images=(),
    ip=None,
    **application,
):
    """网上申请: store an online application once, with a tracking code and query password.

    Online, the day of receipt is the day the portal confirms the submission to the applicant
    (Art. 31 (三)): the confirmation page. An application naming the authority goes to it at
    once; otherwise the dispatcher assigns it. The application's fields are those
    _check_application takes. Returns (request, password).
    """
    applicant = _check_application(**application)
    if len(images) > MAX_IMAGES:
        raise ValidationError(_("Attach at most %(n)s pictures.") % {"n": MAX_IMAGES})
    password = _new_code(8)
    with transaction.atomic():
        rate_limits.refuse_when_stored(
            DisclosureRequest,
            "submitter_ip",
            "submitted_at",
            rate_limits.allowance("message"),
            ip,
            _(
                "Too many requests were sent from your network address in the last hour "
                "(at most %(limit)s). Please try again later."
            ),
        )
        now = timezone.now()
        request = DisclosureRequest(
            site=site,
            **applicant,
            channel=RequestChannel.ONLINE,
            submitter_ip=ip,
            submitted_at=now,
            received_at=now,
        )
        _store(request, password=password, unit=applicant["requested_unit"])
        for upload in images:
            RequestAttachment.objects.create(request=request, image=upload)
        email_citizen(
            request,
            _("Your request for government information was received: %(code)s")
            % {"code": request.tracking_code},
            _(
                "Tracking code: %(code)s\nQuery password: %(password)s\n"
                "It will be answered by %(due)s. Follow it at %(url)s with both."
            )
            % {
                "code": request.tracking_code,
                "password": password,
                "due": f"{local_date(request.due_at):%Y-%m-%d}",
                "url": _tracking_url(request),
            },
        )
    return request, password


def track(*, code, password, ip=None):
    """查询: the request with this tracking code if the query password matches; wrong and
    unknown answer alike, and repeated wrong attempts count in the mailbox's limit."""
    rate_limits.refuse_when_used_up(
        "tracking",
        ip,
        _("Too many wrong attempts from your network address; try again in an hour."),
    )
    request = DisclosureRequest.objects.filter(tracking_code=(code or "").strip().upper()).first()
    given = (password or "").strip().upper()
    if request is None:
        make_password(given)  # the same work, so timing does not tell which codes exist
    if request is None or not check_password(given, request.query_password):
        rate_limits.record_tracking_failure(ip)
        raise ValidationError(
            _("The tracking code or the query password is wrong. Check both and try again."),
            code="wrong_credentials",
        )
    return request


@transaction.atomic
def supply_clarification(*, request, text):
    """补正: the applicant clarifies; the 20 working days count afresh from today (Art. 30)."""
    request = _lock(request)
    text = _required(text, _("Write the clarification you were asked for."))
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError(_("At most %(n)s characters.") % {"n": MAX_DESCRIPTION})
    _fire(request, "supply_clarification", comment=text)
    request.period_start = local_date(timezone.now())
    request.paused_days = 0
    request.clarification_due_at = None
    _new_deadline(
        request,
        reason=RequestDeadline.Reason.CLARIFIED,
        calendar=WorkingCalendar.load(),
        note=_("Counted from the clarification received on %(day)s")
        % {"day": f"{request.period_start:%Y-%m-%d}"},
    )
    notify(
        unit_staff(request.unit, Role.LIAISON),
        kind="disclosure_clarified",
        title=_("The applicant clarified request %(code)s") % {"code": request.tracking_code},
        url=change_url(request),
        key=f"disclosure:{request.pk}:clarified:{timezone.now().isoformat()}",
    )
    return request


# --- the dispatcher and the unit ------------------------------------------------------------


def _notify_assigned(request):
    notify(
        unit_staff(request.unit, Role.LIAISON, Role.SECTION_HEAD),
        kind="disclosure_assigned",
        title=_("Disclosure request to answer by %(due)s: %(code)s")
        % {"due": f"{local_date(request.due_at):%Y-%m-%d}", "code": request.tracking_code},
        url=change_url(request),
        key=f"disclosure:{request.pk}:assigned:{request.unit_id}",
    )


@transaction.atomic
def assign(*, request, by, unit):
    """分送: the dispatcher sends a request to the unit holding the information."""
    request = _lock(request)
    workflow.require_action(request, by, "assign")
    if not isinstance(unit, Unit):
        raise ValidationError(_("Choose the unit holding the information."))
    request.unit = unit
    _fire(request, "assign", by=by, detail={"unit": unit.pk})
    _notify_assigned(request)
    return request


@transaction.atomic
def request_clarification(
    *, request, by, question, working_days=DEFAULT_CLARIFICATION_WORKING_DAYS
):
    """一次性告知补正: within 7 working days of receipt, what to clarify and by when (Art. 30).
    The period stops; it counts afresh from the clarification."""
    request = _lock(request)
    workflow.require_action(request, by, "clarify")
    question = _required(question, _("Say what the applicant must clarify."))
    if not isinstance(working_days, int) or not (
        1 <= working_days <= MAX_CLARIFICATION_WORKING_DAYS
    ):
        raise ValidationError(
            _("Give the applicant between 1 and %(n)s working days to clarify.")
            % {"n": MAX_CLARIFICATION_WORKING_DAYS}
        )
    calendar = WorkingCalendar.load()
    today = local_date(timezone.now())
    waited = calendar.working_days_between(local_date(request.received_at), today)
    if waited > CLARIFICATION_WINDOW_WORKING_DAYS:
        raise ValidationError(
            _(
                "A clarification must be asked for within %(n)s working days of receipt; this "
                "request was received %(waited)s working days ago."
            )
            % {"n": CLARIFICATION_WINDOW_WORKING_DAYS, "waited": waited}
        )
    request.clarification_due_at = end_of_day(calendar.add_working_days(today, working_days))
    _fire(
        request,
        "request_clarification",
        by=by,
        comment=question,
        detail={"working_days": working_days},
    )
    email_citizen(
        request,
        _("Please clarify your request %(code)s") % {"code": request.tracking_code},
        _(
            "%(question)s\n\nClarify by %(due)s on %(url)s with your tracking code; without a "
            "clarification by then the request is treated as withdrawn."
        )
        % {
            "question": question,
            "due": f"{local_date(request.clarification_due_at):%Y-%m-%d}",
            "url": _tracking_url(request),
        },
    )
    return request


@transaction.atomic
def start_consultation(*, request, by, third_party):
    """书面征求第三方意见 (Art. 32): the time until the opinion is not counted (Art. 33 ¶2)."""
    request = _lock(request)
    workflow.require_action(request, by, "consult")
    third_party = _required(third_party, _("Name the third party consulted."))
    now = timezone.now()
    ThirdPartyConsultation.objects.create(request=request, third_party=third_party, sent_at=now)
    request.paused_at = now
    _fire(request, "start_consultation", by=by, comment=third_party)
    return request


@transaction.atomic
def end_consultation(*, request, by, opinion):
    """The third party's opinion (or its silence after 15 working days) is recorded; the
    working days it took are added to the period."""
    request = _lock(request)
    workflow.require_action(request, by, "end_consultation")
    opinion = _required(
        opinion, _("Record the third party's opinion, or that it gave none in time.")
    )
    calendar = WorkingCalendar.load()
    now = timezone.now()
    consultation = request.consultations.filter(answered_at__isnull=True).last()
    paused = calendar.working_days_between(local_date(request.paused_at), local_date(now))
    consultation.answered_at, consultation.opinion = now, opinion
    consultation.working_days = paused
    consultation.save()
    _fire(request, "end_consultation", by=by, comment=opinion, detail={"paused": paused})
    request.paused_at = None
    request.paused_days += paused
    _new_deadline(
        request,
        reason=RequestDeadline.Reason.CONSULTATION,
        calendar=calendar,
        by=by,
        note=_("%(n)s working days consulting %(party)s")
        % {"n": paused, "party": consultation.third_party},
    )
    return request


def _extension_room(request):
    pending = sum(
        request.extensions.filter(status=RequestExtension.Status.PENDING).values_list(
            "working_days", flat=True
        )
    )
    return MAX_EXTENSION_WORKING_DAYS - request.extension_days - pending


def _check_extension(request, working_days):
    if not isinstance(working_days, int) or working_days < 1:
        raise ValidationError(_("Ask for at least one working day."))
    room = _extension_room(request)
    if working_days > room:
        raise ValidationError(
            _(
                "The reply period may be extended by at most %(max)s working days in all "
                "(Art. 33 of the regulation); %(room)s working days are left for this request."
            )
            % {"max": MAX_EXTENSION_WORKING_DAYS, "room": max(room, 0)},
            code="extension_too_long",
        )


@transaction.atomic
def request_extension(*, request, by, working_days, reason):
    """申请延期: the unit asks the head of its disclosure office for more working days."""
    request = _lock(request)
    workflow.require_action(request, by, "request_extension")
    reason = _required(reason, _("Give the reason for the extension."))
    _check_extension(request, working_days)
    extension = RequestExtension.objects.create(
        request=request, working_days=working_days, reason=reason, requested_by=by
    )
    _note(request, "request_extension", by=by, comment=reason, detail={"days": working_days})
    record(
        "disclosure_extension_requested",
        actor=by,
        target=request,
        detail={"working_days": working_days},
    )
    notify(
        unit_staff(request.unit, *workflow.OFFICE_HEAD_ROLES),
        kind="disclosure_extension_requested",
        title=_("Extension of %(n)s working days asked for: %(code)s")
        % {"n": working_days, "code": request.tracking_code},
        body=reason,
        url=change_url(request),
        key=f"disclosure-extension:{extension.pk}",
    )
    return extension


@transaction.atomic
def decide_extension(*, extension, by, approve, reason=""):
    """经政府信息公开工作机构负责人同意: the head grants the days (a new deadline version, the
    applicant told) or refuses, saying why."""
    extension = RequestExtension.objects.select_for_update().get(pk=extension.pk)
    request = _lock(extension.request)
    workflow.require_action(request, by, "decide_extension")
    if extension.status != RequestExtension.Status.PENDING:
        raise ValidationError(_("This extension request was already decided."))
    if approve:
        request.extension_days += extension.working_days
        if request.extension_days > MAX_EXTENSION_WORKING_DAYS:
            raise ValidationError(_("The extension would pass 20 working days in all."))
        _new_deadline(
            request,
            reason=RequestDeadline.Reason.EXTENSION,
            calendar=WorkingCalendar.load(),
            by=by,
            note=extension.reason,
        )
        email_citizen(
            request,
            _("The reply to your request %(code)s is extended") % {"code": request.tracking_code},
            _("It will be answered by %(due)s. Reason: %(reason)s")
            % {"due": f"{local_date(request.due_at):%Y-%m-%d}", "reason": extension.reason},
        )
    else:
        reason = _required(reason, _("Say why the extension is refused."))
    extension.status = (
        RequestExtension.Status.APPROVED if approve else RequestExtension.Status.REJECTED
    )
    extension.decided_by, extension.decided_at = by, timezone.now()
    extension.decision_reason = reason
    extension.save()
    action = "approve_extension" if approve else "reject_extension"
    _note(request, action, by=by, comment=reason, detail={"days": extension.working_days})
    record(
        f"disclosure_{action}", actor=by, target=request, detail={"days": extension.working_days}
    )
    return extension


@transaction.atomic
def draft_reply(
    *,
    request,
    by,
    reply_type,
    ground="",
    competent_body="",
    body="",
    fee_amount=0,
    fee_reason="",
):
    """拟写答复: the unit chooses the reply type (with its legal ground or the competent
    authority where the type needs one); the section head approves the 告知书 next."""
    request = _lock(request)
    workflow.require_action(request, by, "draft_reply")
    competent_body = (competent_body or "").strip()
    notices.check_reply(reply_type=reply_type, ground=ground, competent_body=competent_body)
    body = (body or "").strip()
    if len(body) > MAX_REPLY:
        raise ValidationError(_("The reply may have at most %(n)s characters.") % {"n": MAX_REPLY})
    if fee_amount and fee_amount < 0:
        raise ValidationError(_("A fee cannot be negative."))
    if fee_amount and not (fee_reason or "").strip():
        raise ValidationError(
            _(
                "A processing fee is charged only when requests clearly exceed a reasonable "
                "range (Art. 42): say why."
            )
        )
    request.reply_type, request.withholding_ground = reply_type, ground or ""
    request.competent_body, request.reply_body = competent_body, body
    request.fee_amount, request.fee_reason = fee_amount or 0, (fee_reason or "").strip()
    request.reply_drafted_by = by
    _fire(request, "draft_reply", by=by, detail={"reply_type": reply_type, "ground": ground})
    notify(
        unit_staff(request.unit, Role.SECTION_HEAD),
        kind="disclosure_reply_drafted",
        title=_("Reply notice to approve: %(code)s") % {"code": request.tracking_code},
        url=change_url(request),
        key=f"disclosure:{request.pk}:drafted:{timezone.now().isoformat()}",
    )
    return request


@transaction.atomic
def return_reply(*, request, by, comment):
    """退回: the section head sends the draft back, saying what must change."""
    request = _lock(request)
    workflow.require_action(request, by, "return_reply")
    comment = _required(comment, _("Say what must change in the reply."))
    _fire(request, "return_reply", by=by, comment=comment)
    notify(
        [request.reply_drafted_by],
        kind="disclosure_reply_returned",
        title=_("Reply returned: %(code)s") % {"code": request.tracking_code},
        body=comment,
        url=change_url(request),
        key=f"disclosure:{request.pk}:returned:{timezone.now().isoformat()}",
    )
    return request


@transaction.atomic
def approve_reply(*, request, by):
    """审核通过: the section head approves; the 告知书 is written, kept on the request and
    sent; the request is answered (its annual-report outcome fixed)."""
    request = _lock(request)
    workflow.require_action(request, by, "approve_reply")
    now = timezone.now()
    request.answered_at = request.concluded_at = now
    request.answered_on_time = now <= request.due_at
    request.reply_approved_by = by
    name, content = notices.write_notice(request)
    request.notice.save(name, content, save=False)
    _fire(request, "approve_reply", by=by, detail={"reply_type": request.reply_type})
    email_citizen(
        request,
        _("Your request %(code)s was answered") % {"code": request.tracking_code},
        "\n\n".join(notices.paragraphs(request))
        + "\n\n"
        + _("Download the reply notice at %(url)s with your tracking code.")
        % {"url": _tracking_url(request)},
    )
    return request


@transaction.atomic
def record_delivery(*, request, by, note):
    """送达: the unit records how the information reached the applicant; the request closes."""
    request = _lock(request)
    workflow.require_action(request, by, "deliver")
    note = _required(note, _("Record how and when the reply was delivered."))
    request.delivered_at, request.delivery_note = timezone.now(), note[:300]
    _fire(request, "close", by=by, comment=note)
    return request


def view_applicant(*, request, by, http_request=None):
    """查看申请人信息: identity and contact data for the dispatcher or the holding unit's
    staff, each view recorded in the operation log."""
    if not selectors.may_see_contact(by, request):
        raise PermissionDenied(
            _("Applicant data are visible only to the dispatcher and the unit handling it.")
        )
    record("disclosure_applicant_viewed", actor=by, target=request, request=http_request)
    return {
        "name": request.name,
        "id": f"{request.get_id_type_display()} {request.id_number}",
        "phone": request.phone,
        "email": request.email,
        "address": request.address,
    }


# --- beat -----------------------------------------------------------------------------------


def send_deadline_alerts(now=None):
    """Every 15 minutes: the reminder before due to the unit, and on becoming overdue the
    escalation to its leaders and the dispatcher; once per deadline version (RequestAlert's
    unique key), however many ticks or workers run."""
    now = now or timezone.now()
    return sum(_alert(pk, now) for pk in selectors.alerts_due(now))


@transaction.atomic
def _alert(pk, now):
    claimed = deadline_versions.claim_alert(
        DisclosureRequest.objects.select_for_update(of=("self",)).select_related("unit"),
        pk,
        now,
        recipients_for=_alert_recipients,
        clock_running=workflow.CLOCK_RUNNING,
    )
    if claimed is None:
        return 0
    request, kind, recipients = claimed
    due = f"{local_date(request.due_at):%Y-%m-%d}"
    title = (
        _("Disclosure request overdue since %(due)s: %(code)s")
        if kind == RequestAlert.Kind.OVERDUE
        else _("Disclosure request due at the end of %(due)s: %(code)s")
    ) % {"due": due, "code": request.tracking_code}
    notify(
        recipients,
        kind=f"disclosure_{kind}",
        title=title,
        url=change_url(request),
        key=f"disclosure:{request.pk}:{kind}:v{request.deadline_version}",
    )
    _schedule_alerts(request)
    return 1


def _alert_recipients(request, overdue):
    if request.unit is None:
        return list(selectors.dispatchers())
    if overdue:
        leaders = unit_staff(request.unit, Role.PRINCIPAL_LEADER, Role.DEPUTY_LEADER)
        return [*leaders, *selectors.dispatchers()]
    return unit_staff(request.unit, Role.LIAISON, Role.SECTION_HEAD) or list(
        selectors.dispatchers()
    )


def withdraw_unclarified(now=None):
    """视为放弃申请 (Art. 30): requests not clarified by the date set are closed as withdrawn,
    the applicant told. Returns how many."""
    now = now or timezone.now()
    due = DisclosureRequest.objects.filter(
        status=RequestStatus.CLARIFICATION, clarification_due_at__lt=now
    )
    return sum(_withdraw(pk, now) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def _withdraw(pk, now):
    request = DisclosureRequest.objects.select_for_update().get(pk=pk)
    if request.status != RequestStatus.CLARIFICATION or request.clarification_due_at >= now:
        return 0
    request.concluded_at = now
    reason = _("Not clarified by %(day)s: the request is treated as withdrawn (Art. 30).") % {
        "day": f"{local_date(request.clarification_due_at):%Y-%m-%d}"
    }
    _fire(request, "withdraw_unclarified", comment=reason)
    email_citizen(
        request,
        _("Your request %(code)s was closed") % {"code": request.tracking_code},
        _("%(reason)s You may apply again.") % {"reason": reason},
    )
    return 1


def recount_provisional_deadlines(*, by=None):
    """Daily: count open requests' provisional due dates again once their years are known; a
    date that moves is a new deadline version and the unit is told. Returns how many moved."""
    calendar = WorkingCalendar.load()
    pending = DisclosureRequest.objects.filter(
        due_provisional=True, status__in=workflow.OPEN_STATES
    )
    return sum(_recount(pk, calendar, by) for pk in pending.values_list("pk", flat=True))


@transaction.atomic
def _recount(pk, calendar, by):
    request = DisclosureRequest.objects.select_for_update().get(pk=pk)
    old_due = request.due_at
    _place_deadline(request, calendar)
    if request.due_provisional:
        return 0
    if request.due_at == old_due:
        request.save(update_fields=["due_provisional", "remind_at"])
        _schedule_alerts(request)
        return 0
    note = _("Counted on the published holiday arrangement: due %(old)s → %(new)s") % {
        "old": f"{local_date(old_due):%Y-%m-%d}",
        "new": f"{local_date(request.due_at):%Y-%m-%d}",
    }
    request.deadline_version += 1
    request.save()
    _record_deadline(request, reason=RequestDeadline.Reason.CALENDAR, by=by, note=note)
    _note(request, "recount_deadline", by=by, comment=note)
    notify(
        _alert_recipients(request, overdue=False),
        kind="disclosure_deadline_recounted",
        title=note,
        url=change_url(request),
        key=f"disclosure:{request.pk}:recount:v{request.deadline_version}",
    )
    return 1

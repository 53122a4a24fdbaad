"""依申请公开 — requests for government information, their handling records, deadline versions,
extensions, third-party consultations, once-only alerts and the hand-entered appeal figures.

A request's status changes only through disclosure.workflow, fired by disclosure.services; its
due time only through services, each version kept as a RequestDeadline.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from interaction.images import validate_message_image
from interaction.models.casework import CaseAlert, CaseDeadline, CaseEvent, CaseExtension


class ApplicantType(models.TextChoices):
    """申请人类型 — the columns of the annual report's table (年报 第三部分)."""

    PERSON = "person", _("Natural person")
    COMMERCIAL = "commercial", _("Commercial enterprise")
    RESEARCH = "research", _("Research institution")
    PUBLIC_INTEREST = "public_interest", _("Social public-interest organisation")
    LEGAL_SERVICES = "legal_services", _("Legal services institution")
    OTHER_ORGANISATION = "other_org", _("Other organisation")


class IdentityDocument(models.TextChoices):
    """身份证明 (Art. 29 (一)): a person's identity document or an organisation's code."""

    ID_CARD = "id_card", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO = "hk_macao", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN = "taiwan", _("Mainland travel permit for Taiwan residents")
    CREDIT_CODE = "credit_code", _("Unified social credit code")
    OTHER = "other", _("Other document")


#: Which documents fit which applicants: persons carry a personal document, organisations a code.
PERSON_DOCUMENTS = frozenset(
    {IdentityDocument.ID_CARD, IdentityDocument.PASSPORT, IdentityDocument.HK_MACAO,
     IdentityDocument.TAIWAN, IdentityDocument.OTHER}
)  # fmt: skip
ORGANISATION_DOCUMENTS = frozenset({IdentityDocument.CREDIT_CODE, IdentityDocument.OTHER})


class DeliveryForm(models.TextChoices):
    """获取信息的方式 (Art. 29 (三), Art. 40)."""

    PAPER = "paper", _("Paper, by post")
    EMAIL = "email", _("E-mail")
    DISC = "disc", _("CD")
    ON_SITE = "on_site", _("Collect or inspect on site")


class RequestChannel(models.TextChoices):
    """提交方式 — decides the day of receipt (Art. 31)."""

    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    POST_SIGNED = "post_signed", _("Registered post")
    POST_UNSIGNED = "post_unsigned", _("Ordinary letter")
    FAX = "fax", _("Fax")


class RequestStatus(models.TextChoices):
    """申请状态 — driven only by disclosure.workflow."""

    RECEIVED = "received", pgettext_lazy("disclosure status", "Registered, to be assigned")
    ASSIGNED = "assigned", pgettext_lazy("disclosure status", "Being handled")
    CLARIFICATION = (
        "clarification",
        pgettext_lazy("disclosure status", "Waiting for the applicant's clarification"),
    )
    CONSULTING = "consulting", pgettext_lazy("disclosure status", "Consulting a third party")
    REPLY_DRAFTED = (
        "reply_drafted",
        pgettext_lazy("disclosure status", "Reply waiting for approval"),
    )
    ANSWERED = "answered", pgettext_lazy("disclosure status", "Answered")
    CLOSED = "closed", pgettext_lazy("disclosure status", "Closed")
    WITHDRAWN = (
        "withdrawn",
        pgettext_lazy("disclosure status", "Treated as withdrawn (not clarified in time)"),
    )


class ReplyType(models.TextChoices):
    """答复类型 (Art. 36–39); disclosure.notices holds each type's text, ground and report row."""

    DISCLOSED = "disclosed", _("Disclosed")
    ALREADY_PUBLIC = "already_public", _("Already disclosed: where to find it")
    PARTIAL = "partial", _("Partly disclosed")
    WITHHELD = "withheld", _("Not disclosed")
    NOT_HELD = "not_held", _("Information does not exist")
    NOT_RESPONSIBLE = "not_responsible", _("Not this authority's to disclose")
    NEEDS_CREATION = "needs_creation", _("Would have to be newly made")
    STILL_UNCLEAR = "still_unclear", _("Still unclear after clarification")
    DUPLICATE = "duplicate", _("Repeated request")
    PETITION = "petition", _("A petition, complaint or report, not a request")
    PUBLICATION = "publication", _("Asks for a publication")
    NOT_GOVERNMENT_INFO = "not_gov_info", _("Not government information")


class WithholdingGround(models.TextChoices):
    """不予公开的理由 — the grounds of Art. 14–16 (and Art. 36 (七)), the annual report's rows."""

    STATE_SECRET = "state_secret", _("State secret")
    PROHIBITED_BY_LAW = "prohibited", _("Disclosure prohibited by law or administrative regulation")
    SECURITY = "security", _("Would endanger national, public or economic security or stability")
    THIRD_PARTY = "third_party", _("Would harm a third party's lawful rights")
    INTERNAL_AFFAIRS = "internal", _("Internal affairs information")
    PROCESS_INFORMATION = "process", _("Process information")
    ENFORCEMENT_FILE = "enforcement", _("Administrative law-enforcement file")
    SPECIAL_QUERY = "special_query", _("Obtained under special rules of law (registers)")


class DisclosureRequest(models.Model):
    """政府信息公开申请 — one application, from receipt to the delivered 告知书.

    The applicant's identity and contact data are seen only by the dispatcher and the holding
    unit's staff (interaction.selectors.may_see_contact), each view logged; public pages show
    none of them.
    """

    #: Guarded in the admin (columns.personal_data_admin); never on a public page.
    personal_data_fields = ("name", "id_number", "phone", "email", "address", "submitter_ip")

    site = models.ForeignKey(
        "columns.Site",
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
        verbose_name=_("site"),
    )
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    query_password = models.CharField(_("query password (hashed)"), max_length=128)
    applicant_type = models.CharField(
        _("applicant type"), max_length=20, choices=ApplicantType.choices
    )
    name = models.CharField(_("name or organisation name"), max_length=100)
    id_type = models.CharField(
        _("identity document"), max_length=20, choices=IdentityDocument.choices
    )
    id_number = models.CharField(_("document number"), max_length=40)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    description = models.TextField(_("information requested"))
    purpose = models.TextField(_("purpose"), blank=True)
    delivery_form = models.CharField(
        _("form of delivery"), max_length=10, choices=DeliveryForm.choices
    )
    channel = models.CharField(
        _("channel"), max_length=15, choices=RequestChannel.choices, default=RequestChannel.ONLINE
    )
    requested_unit = models.ForeignKey(
        "columns.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("authority chosen by the applicant"),
    )
    unit = models.ForeignKey(
        "columns.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
        verbose_name=_("holding unit"),
    )
    submitter_ip = models.GenericIPAddressField(_("submitted from"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    #: 收到申请之日 (Art. 31): online, the moment the portal confirmed the submission.
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    #: Where the 20 working days count from: receipt, or receipt of the clarification (Art. 30).
    period_start = models.DateField(_("period counted from"))
    due_at = models.DateTimeField(_("due at"))
    remind_at = models.DateTimeField(_("reminder at"))
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    deadline_version = models.PositiveIntegerField(_("deadline version"), default=1)
    next_alert_at = models.DateTimeField(_("next alert at"), null=True, blank=True)
    #: Working days granted by the head of the disclosure office (Art. 33: at most 20).
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    #: Working days spent consulting third parties, excluded from the period (Art. 33 ¶2).
    paused_days = models.PositiveSmallIntegerField(_("working days excluded"), default=0)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    clarification_due_at = models.DateTimeField(_("clarify by"), null=True, blank=True)

    reply_type = models.CharField(
        _("reply type"), max_length=20, choices=ReplyType.choices, blank=True
    )
    withholding_ground = models.CharField(
        _("legal ground for withholding"),
        max_length=20,
        choices=WithholdingGround.choices,
        blank=True,
    )
    competent_body = models.CharField(_("competent authority"), max_length=200, blank=True)
    reply_body = models.TextField(_("reply"), blank=True)
    reply_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reply drafted by"),
    )
    reply_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reply approved by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    #: 告知书 as approved and delivered (.docx), kept with the request.
    notice = models.FileField(_("reply notice"), upload_to="disclosure/notices/", blank=True)
    #: 办结: answered or treated as withdrawn; what the annual report counts as handled.
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivery_note = models.CharField(_("delivery record"), max_length=300, blank=True)
    #: 信息处理费 (Art. 42): none unless requests clearly exceed a reasonable range.
    fee_amount = models.DecimalField(
        _("processing fee (yuan)"), max_digits=8, decimal_places=2, default=0
    )
    fee_reason = models.CharField(_("reason for the fee"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(
                fields=["next_alert_at"],
                condition=models.Q(next_alert_at__isnull=False),
                name="disclosure_alert_due",
            ),
            models.Index(fields=["unit", "status", "due_at"], name="disclosure_unit_inbox"),
            models.Index(fields=["submitter_ip", "submitted_at"], name="disclosure_rate_limit"),
            models.Index(fields=["site", "received_at"], name="disclosure_report_year"),
        ]

    def __str__(self):
        return self.tracking_code

    @property
    def is_organisation(self):
        return self.applicant_type != ApplicantType.PERSON


class RequestAttachment(models.Model):
    """申请附件 — a picture the applicant attached (a copy of the identity document, a page of
    the document asked for), checked like the mailbox's pictures."""

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    image = models.ImageField(
        _("image"), upload_to="disclosure/attachments/%Y/%m/", validators=[validate_message_image]
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.image.name


class RequestEvent(CaseEvent):
    """办理记录 — one step of a request's handling."""

    LABELS = {
        "submitted": _("Request received"),
        "assign": _("Sent to the authority holding the information"),
        "request_clarification": _("You were asked to clarify the request"),
        "supply_clarification": _("You clarified the request; the period counts afresh"),
        "withdraw_unclarified": _("Treated as withdrawn: not clarified in time"),
        "start_consultation": _("A third party is consulted; this time is not counted"),
        "end_consultation": _("Third-party consultation finished"),
        "approve_extension": _("Reply period extended"),
        "approve_reply": _("Answered"),
        "close": _("Reply delivered"),
        "recount_deadline": _("Reply deadline recounted on the published holiday arrangement"),
    }

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="events")

    def __str__(self):
        return f"{self.request.tracking_code} {self.action}"


class RequestDeadline(CaseDeadline):
    """期限变更 — each version of a request's due time and why it changed."""

    class Reason(models.TextChoices):
        RECEIPT = "receipt", _("Received")
        CLARIFIED = "clarified", _("Clarification received: counted afresh")
        CONSULTATION = "consultation", _("Third-party consultation excluded")
        EXTENSION = "extension", _("Extension approved")
        CALENDAR = "calendar", _("Holiday arrangement published")

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="deadlines"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)

    class Meta(CaseDeadline.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["request", "version"], name="one_disclosure_deadline_per_version"
            ),
        ]

    def __str__(self):
        return f"{self.request.tracking_code} v{self.version}"


class RequestExtension(CaseExtension):
    """延长答复期限 — the unit asks; the head of the disclosure office decides once (Art. 33)."""

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="extensions"
    )

    class Meta(CaseExtension.Meta):
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status="pending"),
                name="one_pending_disclosure_extension",
            ),
        ]

    def __str__(self):
        return f"{self.request.tracking_code} +{self.working_days}"


class ThirdPartyConsultation(models.Model):
    """征求第三方意见 (Art. 32): from the letter to the opinion, not counted in the period."""

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="consultations"
    )
    third_party = models.CharField(_("third party"), max_length=200)
    sent_at = models.DateTimeField(_("letter sent at"), default=timezone.now)
    answered_at = models.DateTimeField(_("opinion received at"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    working_days = models.PositiveSmallIntegerField(_("working days excluded"), default=0)

    class Meta:
        verbose_name = _("third-party consultation")
        verbose_name_plural = _("third-party consultations")
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"{self.request.tracking_code} {self.third_party}"


class RequestAlert(CaseAlert):
    """期限提醒记录 — a request's reminder before due or its escalation, sent once."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="alerts")

    class Meta(CaseAlert.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "deadline_version"],
                name="disclosure_alert_once_per_deadline",
            ),
        ]

    def __str__(self):
        return f"{self.request.tracking_code} {self.kind} v{self.deadline_version}"


class AppealCount(models.Model):
    """行政复议、行政诉讼 — the annual report's fourth table, entered by hand per year."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
        LITIGATION_DIRECT = "litigation_direct", _("Lawsuit without reconsideration")
        LITIGATION_AFTER = "litigation_after", _("Lawsuit after reconsideration")

    site = models.ForeignKey("columns.Site", on_delete=models.CASCADE, verbose_name=_("site"))
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    upheld = models.PositiveSmallIntegerField(_("upheld"), default=0)
    corrected = models.PositiveSmallIntegerField(_("corrected"), default=0)
    other = models.PositiveSmallIntegerField(_("other outcome"), default=0)
    pending = models.PositiveSmallIntegerField(_("not yet concluded"), default=0)

    class Meta:
        verbose_name = _("reconsideration and litigation figures")
        verbose_name_plural = _("reconsideration and litigation figures")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["site", "year", "kind"], name="one_appeal_row"),
        ]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}"

    @property
    def total(self):
        return self.upheld + self.corrected + self.other + self.pending

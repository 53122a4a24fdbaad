"""政民互动 · 留言 — the citizen mailbox: messages, their records, deadlines and alerts.

A message's status changes only through interaction.workflow, fired by interaction.services;
its due time only through interaction.services.deadline_versions, each change kept as a
DeadlineChange.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..images import validate_message_image
from .casework import CaseAlert, CaseDeadline, CaseEvent, CaseExtension


class MessageKind(models.TextChoices):
    """留言类型 — fixes the reply deadline in working days (MailboxPolicy)."""

    SITE_ERROR = "site_error", pgettext_lazy("message type", "Website error report")
    CONSULTATION = "consultation", pgettext_lazy("message type", "Consultation")
    SUGGESTION = "suggestion", pgettext_lazy("message type", "Suggestion")
    COMPLAINT = "complaint", pgettext_lazy("message type", "Complaint")
    HANDLING = (
        "handling",
        pgettext_lazy("message type", "Request needing investigation or handling"),
    )


class Channel(models.TextChoices):
    """信箱 — the unified mailbox and the channels on it [Q§15, P§13]."""

    UNIFIED = "unified", _("Unified mailbox")
    LEADER = "leader", _("Leader mailbox")
    UNIT = "unit", _("Unit mailbox")


class MessageStatus(models.TextChoices):
    """留言状态 — driven only by interaction.workflow."""

    HELD = "held", pgettext_lazy("message status", "Held for moderation")
    RECEIVED = "received", pgettext_lazy("message status", "Received, to be routed")
    ASSIGNED = "assigned", pgettext_lazy("message status", "Being handled")
    TRANSFER_REQUESTED = "transfer_requested", pgettext_lazy("message status", "Transfer requested")
    AWAITING_INFO = (
        "awaiting_info",
        pgettext_lazy("message status", "Waiting for the citizen's information"),
    )
    REPLY_DRAFTED = (
        "reply_drafted",
        pgettext_lazy("message status", "Reply waiting for the section head"),
    )
    REPLY_APPROVED = (
        "reply_approved",
        pgettext_lazy("message status", "Reply waiting for the leader"),
    )
    ANSWERED = "answered", pgettext_lazy("message status", "Answered")
    RATED = "rated", pgettext_lazy("message status", "Rated")
    CLOSED = "closed", pgettext_lazy("message status", "Closed")
    MERGED = "merged", pgettext_lazy("message status", "Merged into another message")


class Rating(models.TextChoices):
    """满意度."""

    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


#: The regulations' reply deadlines in working days, used where a site set none [Q§15, P§13].
DEFAULT_DEADLINE_DAYS = {
    MessageKind.SITE_ERROR: 3,
    MessageKind.CONSULTATION: 7,
    MessageKind.SUGGESTION: 7,
    MessageKind.COMPLAINT: 15,
    MessageKind.HANDLING: 15,
}


class MailboxPolicy(models.Model):
    """信箱设置 — a site's reply deadlines per message type and its reply review.

    The 「我为政府网站找错」 deadline is 3 working days in [Q§15] and 2 in [G九(三)]: the
    site chooses. No deadline may pass 3 months after receipt [P§13]; that cap is fixed.
    """

    site = models.OneToOneField(
        "columns.Site",
        on_delete=models.CASCADE,
        related_name="mailbox_policy",
        verbose_name=_("site"),
    )
    site_error_days = models.PositiveSmallIntegerField(
        _("website error reports (working days)"), default=3
    )
    consultation_days = models.PositiveSmallIntegerField(
        _("consultations (working days)"), default=7
    )
    suggestion_days = models.PositiveSmallIntegerField(_("suggestions (working days)"), default=7)
    complaint_days = models.PositiveSmallIntegerField(_("complaints (working days)"), default=15)
    handling_days = models.PositiveSmallIntegerField(
        _("requests needing handling (working days)"), default=15
    )
    reply_needs_leader = models.BooleanField(
        _("replies also approved by the deputy leader"),
        default=False,
        help_text=_("Off: the section head's approval sends the reply."),
    )

    class Meta:
        verbose_name = _("mailbox policy")
        verbose_name_plural = _("mailbox policies")

    def __str__(self):
        return str(self.site)

    def deadline_days(self, kind):
        return getattr(self, f"{kind}_days")


class Message(models.Model):
    """留言 — one citizen's message, from receipt to the published answer.

    Contact data (name, phone, e-mail, address of submission) are seen only by the
    dispatcher and the assigned unit (interaction.selectors.may_see_contact), each view
    logged; public pages and the API never carry them.
    """

    #: Guarded in the admin (columns.personal_data_admin) and masked when published.
    personal_data_fields = ("name", "phone", "email", "submitter_ip")

    site = models.ForeignKey(
        "columns.Site", on_delete=models.PROTECT, related_name="messages", verbose_name=_("site")
    )
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    query_password = models.CharField(_("query password (hashed)"), max_length=128)
    kind = models.CharField(_("type"), max_length=20, choices=MessageKind.choices)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.UNIFIED
    )
    requested_unit = models.ForeignKey(
        "columns.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit chosen by the citizen"),
    )
    unit = models.ForeignKey(
        "columns.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
        verbose_name=_("handling unit"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_messages",
        verbose_name=_("assignee"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=100)
    content = models.TextField(_("content"))
    page_url = models.URLField(_("page concerned"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    publish_allowed = models.BooleanField(_("may be published"), default=True)
    submitter_ip = models.GenericIPAddressField(_("submitted from"), null=True, blank=True)
    moderation_findings = models.JSONField(_("moderation findings"), default=list, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"))
    remind_at = models.DateTimeField(_("reminder at"))
    #: 答复时限上限: receipt + 3 calendar months [P§13]; fixed at receipt, never moved.
    cap_at = models.DateTimeField(_("latest possible due time"))
    #: Counted over a year whose holidays are not known yet (interaction.working_days).
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    deadline_version = models.PositiveIntegerField(_("deadline version"), default=1)
    #: When the beat task must look at this message next (reminder, then escalation);
    #: empty once both went out or while the clock is stopped or the message is done.
    next_alert_at = models.DateTimeField(_("next alert at"), null=True, blank=True)
    clock_stopped_at = models.DateTimeField(_("clock stopped at"), null=True, blank=True)
    clock_stopped_days = models.PositiveSmallIntegerField(
        _("working days the clock stood still"), default=0
    )

    reply_body = models.TextField(_("reply"), blank=True)
    reply_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reply drafted by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reply_unit = models.ForeignKey(
        "columns.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("replying unit"),
    )
    working_days_to_reply = models.PositiveSmallIntegerField(
        _("working days to reply"), null=True, blank=True
    )
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    is_public = models.BooleanField(_("published"), default=False)
    #: The text as published, personal data masked (interaction.masking), set on publishing.
    public_subject = models.TextField(_("subject as published"), blank=True)
    public_content = models.TextField(_("content as published"), blank=True)
    public_reply = models.TextField(_("reply as published"), blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(
                fields=["next_alert_at"],
                condition=models.Q(next_alert_at__isnull=False),
                name="message_alert_due",
            ),
            models.Index(fields=["unit", "status", "due_at"], name="message_unit_inbox"),
            models.Index(fields=["status", "due_at"], name="message_status_due"),
            models.Index(fields=["submitter_ip", "received_at"], name="message_rate_limit"),
            models.Index(fields=["is_public", "answered_at"], name="message_public_list"),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.subject}"

    def get_absolute_url(self):
        return f"/interaction/messages/{self.pk}/"

    @property
    def masked_name(self):
        """张* — what everyone but the dispatcher and the assigned unit sees."""
        return mask_name(self.name)


def mask_name(name):
    """张三 → 张*: the surname kept, the rest starred."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


class MessageImage(models.Model):
    """留言图片 — a picture the citizen attached (type and size checked on upload)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("image"), upload_to="interaction/%Y/%m/", validators=[validate_message_image]
    )

    class Meta:
        verbose_name = _("message image")
        verbose_name_plural = _("message images")

    def __str__(self):
        return self.image.name


class MessageEvent(CaseEvent):
    """办理记录 — one step of a message's handling: who, when, from which state to which."""

    LABELS = {
        "submitted": _("Message received"),
        "release": _("Accepted after moderation"),
        "route": _("Sent to the unit that answers it"),
        "approve_transfer": _("Transferred to another unit"),
        "request_info": _("The unit asked you for more information"),
        "supply_info": _("You added information"),
        "approve_extension": _("Reply deadline extended"),
        "send_reply": _("Answered"),
        "rate": _("You rated the reply"),
        "reopen": _("Reopened at your request"),
        "close": _("Closed"),
        "close_unsupplied": _("Closed: the information asked for was not supplied by the cap"),
        "recount_deadline": _("Reply deadline recounted on the published holiday arrangement"),
        "discard": _("Not accepted"),
    }

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    unit = models.ForeignKey(
        "columns.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )

    def __str__(self):
        return f"{self.message.tracking_code} {self.action}"

    def get_public_label(self):
        """Where the message went is public: the unit it was routed or transferred to."""
        label = super().get_public_label()
        if self.unit_id and self.action in ("route", "approve_transfer"):
            return f"{label}：{self.unit}"
        return label


class DeadlineChange(CaseDeadline):
    """期限变更 — each version of a message's due time and why it changed."""

    class Reason(models.TextChoices):
        RECEIPT = "receipt", _("Received")
        EXTENSION = "extension", _("Extension approved")
        TYPE_CHANGE = "type_change", _("Type changed")
        CLOCK_STOPPED = "clock_stopped", _("Clock stopped while waiting for the citizen")
        CALENDAR = "calendar", _("Holiday arrangement published")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deadlines")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)

    class Meta(CaseDeadline.Meta):
        constraints = [
            models.UniqueConstraint(fields=["message", "version"], name="one_deadline_per_version"),
        ]

    def __str__(self):
        return f"{self.message.tracking_code} v{self.version}"


class ExtensionRequest(CaseExtension):
    """延期申请 — a unit asks for more working days; the dispatcher decides once."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="extensions")

    class Meta(CaseExtension.Meta):
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["message"],
                condition=models.Q(status="pending"),
                name="one_pending_extension_per_message",
            ),
        ]

    def __str__(self):
        return f"{self.message.tracking_code} +{self.working_days}"


class DeadlineAlert(CaseAlert):
    """期限提醒记录 — a message's reminder (the working day before due) or escalation."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="alerts")

    class Meta(CaseAlert.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["message", "kind", "deadline_version"], name="alert_once_per_deadline"
            ),
        ]

    def __str__(self):
        return f"{self.message.tracking_code} {self.kind} v{self.deadline_version}"


class TrackingFailure(models.Model):
    """查询失败 — one wrong tracking code or query password, kept for an hour so the limit on
    wrong attempts per client address counts stored rows like every other limit
    (interaction.rate_limits)."""

    ip_address = models.GenericIPAddressField(_("IP address"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("wrong tracking attempt")
        verbose_name_plural = _("wrong tracking attempts")
        indexes = [models.Index(fields=["ip_address", "at"], name="tracking_failure_rate")]

    def __str__(self):
        return f"{self.ip_address} {self.at:%Y-%m-%d %H:%M}"

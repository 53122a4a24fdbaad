"""Sites, units, staff and their roles, and the platform's own records (notifications, log)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..uploads import validate_cover_image

SITE_CODE_RE = re.compile(r"^(\d{6}\d{4}|bm\d{8})$")


def validate_site_code(value):
    """网站标识码: a 6-digit division code plus a 4-digit serial, or bm plus 8 digits."""
    if not SITE_CODE_RE.match(value or ""):
        raise ValidationError(
            _(
                "The site identification code must be 10 characters: a 6-digit administrative "
                "division code followed by a 4-digit serial number, or 'bm' followed by 8 digits."
            ),
            code="invalid_site_code",
        )


class Site(models.Model):
    """网站 — the portal or a department's sub-site, chosen per request by host name."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed permanently")

    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent portal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_sites",
    )
    site_code = models.CharField(
        _("site identification code"),
        max_length=10,
        unique=True,
        validators=[validate_site_code],
    )
    icp_number = models.CharField(_("ICP filing number"), max_length=50)
    police_number = models.CharField(_("public security filing number"), max_length=50)
    police_number_code = models.CharField(
        _("public security filing code"),
        max_length=20,
        blank=True,
        help_text=_("The digits used in the filing query link."),
    )
    sponsor = models.CharField(_("sponsoring organisation"), max_length=100)
    organiser = models.CharField(_("organising organisation"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    logo = models.ImageField(
        _("logo"), upload_to="sites/", blank=True, validators=[validate_cover_image]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closing_notice = models.TextField(
        _("closing notice"),
        blank=True,
        help_text=_("Shown instead of the site once it is closed permanently."),
    )
    moved_to = models.URLField(_("content moved to"), blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["id"]

    def __str__(self):
        return self.name

    @property
    def primary_host(self):
        host = self.hosts.order_by("-is_primary", "id").first()
        return host.hostname if host else ""


class SiteHost(models.Model):
    """网站域名 — one host name a site answers on."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="hosts")
    hostname = models.CharField(_("host name"), max_length=253, unique=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("host name")
        verbose_name_plural = _("host names")

    def __str__(self):
        return self.hostname

    def clean(self):
        self.hostname = (self.hostname or "").strip().lower().split(":")[0]


class Unit(models.Model):
    """单位 — a department or office of the government that owns columns and answers messages."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    org_code = models.CharField(
        _("organisation code"),
        max_length=30,
        unique=True,
        help_text=_("Used as the first part of document index numbers."),
    )
    principal_leader = models.CharField(_("principal leader"), max_length=50, blank=True)
    deputy_leader = models.CharField(_("deputy leader in charge"), max_length=50, blank=True)
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The unit's information-disclosure liaison, also its website administrator."),
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    """岗位角色 — what a staff account may do; each is a Django group of least privilege."""

    OPERATOR = "operator", _("Platform operator")
    INSPECTOR = "inspector", _("Inspector")
    DISPATCHER = "dispatcher", _("Dispatcher")
    LIAISON = "liaison", _("Liaison")
    SECTION_HEAD = "section_head", _("Section head")
    DEPUTY_LEADER = "deputy_leader", _("Deputy leader")
    PRINCIPAL_LEADER = "principal_leader", _("Principal leader")
    SECRECY_OFFICER = "secrecy_officer", _("Secrecy officer")
    OPINION_LEADER = "opinion_leader", _("District leader for public-opinion items")


#: Roles that act for the whole platform rather than for one unit.
PLATFORM_ROLES = frozenset({Role.OPERATOR, Role.INSPECTOR, Role.DISPATCHER})


class StaffProfile(models.Model):
    """工作人员 — the unit an account belongs to and its password bookkeeping."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), default=timezone.now)
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return f"{self.user} ({self.unit or _('platform')})"


class PasswordResetRecord(models.Model):
    """密码重置记录 — a lost password is reset only by the operator, on a recorded request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="password_resets",
        verbose_name=_("account"),
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("operator"),
    )
    request_reference = models.CharField(_("request reference"), max_length=100)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("reset at"), auto_now_add=True)

    class Meta:
        verbose_name = _("password reset record")
        verbose_name_plural = _("password reset records")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class HandoverRecord(models.Model):
    """信息员交接记录 — who handed a unit's liaison duties to whom, and what moved."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name=_("unit"))
    old_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("previous liaison"),
    )
    new_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("new liaison"),
    )
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("performed by"),
    )
    moved = models.JSONField(_("what moved"), default=dict)
    created_at = models.DateTimeField(_("handed over at"), auto_now_add=True)

    class Meta:
        verbose_name = _("liaison handover")
        verbose_name_plural = _("liaison handovers")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.unit}: {self.old_user} → {self.new_user}"


class Notification(models.Model):
    """站内通知 — one message to one staff member, in-app and by e-mail.

    key makes a notification idempotent: a task that runs twice, or is redelivered after
    a worker died, finds the row already there and sends nothing the second time.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed = models.BooleanField(_("e-mailed"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key"),
        ]

    def __str__(self):
        return self.title


#: 操作 — what each action code of the operation log means, for the auditor reading it.
ACTION_LABELS = {
    "account_access_changed": _("Account access changed"),
    "annual_report_completed": _("Annual report completed"),
    "annual_report_published": _("Annual report published"),
    "annual_report_reopened": _("Annual report reopened"),
    "annual_report_reviewed": _("Annual report reviewed"),
    "article_expired": _("Article expired"),
    "article_imported": _("Article imported"),
    "article_published": _("Article published"),
    "article_scheduled": _("Article scheduled"),
    "article_submitted": _("Article submitted for review"),
    "article_tamper_restored": _("Article's approved text restored after tampering"),
    "article_withdrawn": _("Article withdrawn"),
    "backup_made": _("Backup made"),
    "calendar_changed": _("Working-day calendar changed"),
    "column_assigned": _("Column assigned"),
    "column_created": _("Column created"),
    "column_moved": _("Column moved"),
    "column_tree_exported": _("Column tree exported"),
    "column_tree_imported": _("Column tree imported"),
    "consultation_adoption": _("Consultation adoption recorded"),
    "consultation_comment_moderated": _("Consultation comment moderated"),
    "consultation_report_drafted": _("Consultation report drafted"),
    "export": _("Data exported"),
    "finding_overridden": _("Content-check finding let through"),
    "group_permissions_changed": _("Role permissions changed"),
    "headline_ordered": _("Headline ordered"),
    "interview_entry_posted": _("Interview entry posted"),
    "interview_published": _("Interview published"),
    "interview_question_screened": _("Interview question screened"),
    "liaison_handover": _("Liaison handover"),
    "login": _("Signed in"),
    "login_failed": _("Failed sign-in"),
    "message_contact_viewed": _("Writer's contact details viewed"),
    "message_extension_requested": _("Message extension requested"),
    "message_kind_changed": _("Message kind changed"),
    "monthly_score_confirmed": _("Monthly score confirmed"),
    "monthly_scores_computed": _("Monthly scores computed"),
    "monthly_scores_published": _("Monthly scores published"),
    "monthly_self_score": _("Monthly self-assessment"),
    "objection_decided": _("Objection decided"),
    "objection_filed": _("Objection filed"),
    "operation_log_purged": _("Old operation log removed"),
    "participation_contact_viewed": _("Participant's contact details viewed"),
    "password_reset": _("Password reset"),
    "patrol_changed": _("Patrol changed"),
    "patrol_recorded": _("Patrol recorded"),
    "personal_data_listed": _("Personal data listed"),
    "policy_validity_changed": _("Policy validity changed"),
    "rectification_reported": _("Rectification reported"),
    "rectification_sent_back": _("Rectification sent back"),
    "rectification_verified": _("Rectification verified"),
    "review_decision": _("Review decision"),
    "revision_personal_data_viewed": _("Personal data in an article revision viewed"),
    "second_factor_enrolled": _("Second factor enrolled"),
    "second_factor_failed": _("Second factor failed"),
    "second_factor_reset": _("Second factor reset"),
    "second_factor_verified": _("Second factor verified"),
    "self_examination_sent_back": _("Self-examination sent back"),
    "self_examination_submitted": _("Self-examination submitted"),
    "service_item_changed": _("Service item changed"),
    "service_item_created": _("Service item created"),
    "service_item_deleted": _("Service item deleted"),
    "service_item_published": _("Service item published"),
    "service_item_withdrawn": _("Service item withdrawn"),
    "site_offline_cancelled": _("Temporary offline cancelled"),
    "site_offline_rescheduled": _("Temporary offline rescheduled"),
    "site_offline_scheduled": _("Temporary offline scheduled"),
    "spot_check_closed": _("Spot check closed"),
    "spot_check_opened": _("Spot check opened"),
    "spot_check_problem": _("Spot check problem recorded"),
    "spot_check_published": _("Spot check published"),
    "supervision_cleared": _("Supervision cleared"),
    "survey_published": _("Survey published"),
    "survey_results_published": _("Survey results published"),
    "topic_decided": _("Topic request decided"),
    "topic_requested": _("Topic requested"),
    "update_rule_changed": _("Update rule changed"),
}


def action_label(action):
    """The action in words; a code no label is known for (older releases) as itself."""
    return ACTION_LABELS.get(action, action)


class OperationLog(models.Model):
    """操作日志 — one sensitive action (login, permission change, publish, review decision,
    contact-data view, export…). Kept at least 180 days [G八(三)]; read-only in the admin."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=50, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("operation log entry")
        verbose_name_plural = _("operation log")
        ordering = ["-created_at"]

    def __str__(self):
        return (
            f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M} {self.actor} "
            f"{self.action_in_words} {self.target_repr}"
        )

    @property
    def action_in_words(self):
        return action_label(self.action)

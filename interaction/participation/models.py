"""The models of public participation: consultations, surveys, interviews and what citizens send.

A consultation's document and its feedback report are publishing Articles, so they pass the same
三审 chain as any article; the consultation only links them and adds its open period and comments.
Citizens' contact data are stored here and never shown on a public page.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from columns.uploads import validate_cover_image

#: What interaction.models re-exports (the one line that makes Django load these models).
__all__ = [
    "Adoption",
    "Consultation",
    "ConsultationComment",
    "Guest",
    "Interview",
    "InterviewQuestion",
    "InterviewStatus",
    "Moderation",
    "PublicState",
    "QuestionKind",
    "QuestionScreening",
    "Survey",
    "SurveyAnswer",
    "SurveyChoice",
    "SurveyQuestion",
    "SurveyResponse",
    "TranscriptEntry",
]


class PublicState(models.TextChoices):
    """公开状态 — where a consultation, survey or interview stands for the public."""

    UPCOMING = "upcoming", pgettext_lazy("participation state", "Not started yet")
    OPEN = "open", pgettext_lazy("participation state", "In progress")
    CLOSED = "closed", pgettext_lazy("participation state", "Ended")
    RESULT_PUBLISHED = "result_published", pgettext_lazy("participation state", "Results published")


def _period_state(opens_at, closes_at, result_published, now=None):
    now = now or timezone.now()
    if result_published:
        return PublicState.RESULT_PUBLISHED
    if now < opens_at:
        return PublicState.UPCOMING
    if now < closes_at:
        return PublicState.OPEN
    return PublicState.CLOSED


class ParticipationItem(models.Model):
    """What consultations, surveys and interviews share: the site they appear on, the unit
    that runs them and answers for them, and who created them."""

    site = models.ForeignKey(
        "columns.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "columns.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title


class Moderation(models.TextChoices):
    """审核状态 — of a citizen's text: public at once when the content checker found nothing,
    otherwise held until the unit approves or rejects it."""

    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held for moderation")
    REJECTED = "rejected", _("Rejected")


class Adoption(models.TextChoices):
    """采纳情况 — what the unit did with a comment, for the feedback report."""

    UNDECIDED = "", _("Not decided yet")
    ADOPTED = "adopted", _("Adopted")
    PARTLY = "partly", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class Consultation(ParticipationItem):
    """意见征集 — a draft document a unit puts to the public for an open period [G六(四)].

    The document (征求意见稿) and the feedback report (反馈报告) are articles of the unit,
    reviewed through the 三审 chain; the consultation is public once its document is published.
    """

    summary = models.CharField(_("summary"), max_length=500, blank=True)
    document = models.ForeignKey(
        "publishing.Article",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="consultations",
        help_text=_(
            "The draft for comment, written as an article of your unit; it goes through the "
            "review chain and the consultation appears once it is published."
        ),
    )
    report = models.ForeignKey(
        "publishing.Article",
        verbose_name=_("feedback report"),
        on_delete=models.PROTECT,
        related_name="reported_consultations",
        null=True,
        blank=True,
        editable=False,
    )
    opens_at = models.DateTimeField(_("open from"))
    closes_at = models.DateTimeField(_("open until"))

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-pk"]

    def get_absolute_url(self):
        # A literal path, like articles: admin-only processes have no public URLconf.
        return f"/interaction/consultations/{self.pk}/"

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The consultation must close after it opens.")
        if self.document_id and self.unit_id and self.document.unit_id != self.unit_id:
            errors["document"] = _("The document must be an article of the same unit.")
        if errors:
            raise ValidationError(errors)

    @property
    def report_published(self):
        from publishing.models import ArticleStatus

        return self.report is not None and self.report.status == ArticleStatus.PUBLISHED

    def state(self, now=None):
        return _period_state(self.opens_at, self.closes_at, self.report_published, now)

    def get_state_display(self):
        return PublicState(self.state()).label


class ConsultationComment(models.Model):
    """意见 — a citizen's comment on a consultation; the contact data stay private."""

    #: Guarded in the admin (columns.personal_data_admin).
    personal_data_fields = ("name", "phone", "email", "ip_address")
    #: The unit's one decision on it (services._decide_once): the fields of its state, who
    #: decided and when; the state while pending, then if accepted, if not.
    decision_fields = ("moderation", "moderated_by", "moderated_at")
    decision_states = (Moderation.HELD, Moderation.PUBLISHED, Moderation.REJECTED)

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    content = models.TextField(pgettext_lazy("citizen", "opinion"))
    name = models.CharField(pgettext_lazy("person", "full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    moderation = models.CharField(
        _("moderation"), max_length=20, choices=Moderation.choices, default=Moderation.PUBLISHED
    )
    checker_findings = models.JSONField(_("content checker findings"), default=list, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    adoption = models.CharField(
        _("adoption"),
        max_length=20,
        choices=Adoption.choices,
        default=Adoption.UNDECIDED,
        blank=True,
    )
    adoption_note = models.TextField(
        _("adoption note"),
        blank=True,
        help_text=_("How it was adopted, or why it was not; printed in the feedback report."),
    )

    class Meta:
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        ordering = ["submitted_at", "pk"]
        indexes = [
            models.Index(fields=["ip_address", "submitted_at"], name="participation_comment_rate"),
        ]

    def __str__(self):
        return self.content[:40]

    @property
    def public_name(self):
        """The name as shown publicly: the surname only, the rest masked."""
        return (self.name[:1] + "**") if self.name else _("Anonymous")


class Survey(ParticipationItem):
    """征集调查 — a questionnaire with an answer period; one answer per citizen."""

    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("open from"))
    closes_at = models.DateTimeField(_("open until"))
    requires_phone = models.BooleanField(
        _("one answer per phone number"),
        default=False,
        help_text=_("Ask each respondent for a mobile number and accept one answer per number."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    results_published_at = models.DateTimeField(
        _("results published at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "-pk"]

    def get_absolute_url(self):
        return f"/interaction/surveys/{self.pk}/"

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The survey must close after it opens.")})

    def state(self, now=None):
        return _period_state(
            self.opens_at, self.closes_at, self.results_published_at is not None, now
        )

    def get_state_display(self):
        return PublicState(self.state()).label


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


class SurveyQuestion(models.Model):
    """调查题目 — one question of a survey."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(
        _("type"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "position", "pk"]

    def __str__(self):
        return self.text


class SurveyChoice(models.Model):
    """选项 — one option of a single- or multiple-choice question."""

    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.CharField(_("option"), max_length=200)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.text


class SurveyResponse(models.Model):
    """答卷 — one citizen's answers to a survey.

    respondent_key is the browser's participant cookie; phone_digest a keyed hash of the phone
    number where the survey asks for one, so the number itself is never stored.
    """

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    respondent_key = models.CharField(max_length=64)
    phone_digest = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["survey", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_key"], name="survey_one_answer_per_browser"
            ),
            models.UniqueConstraint(
                fields=["survey", "phone_digest"],
                condition=~models.Q(phone_digest=""),
                name="survey_one_answer_per_phone",
            ),
        ]
        indexes = [
            models.Index(fields=["ip_address", "submitted_at"], name="participation_response_rate"),
        ]

    def __str__(self):
        return f"{self.survey} #{self.pk}"


class SurveyAnswer(models.Model):
    """答案 — the answer to one question in a response."""

    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    choices = models.ManyToManyField(SurveyChoice, blank=True, related_name="answers")
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once"),
        ]

    def __str__(self):
        return f"{self.response} · {self.question}"


class InterviewStatus(models.TextChoices):
    """访谈状态 — driven only by participation.workflow through participation.services."""

    SCHEDULED = "scheduled", pgettext_lazy("interview state", "Announced")
    LIVE = "live", pgettext_lazy("interview state", "Live now")
    ARCHIVED = "archived", pgettext_lazy("interview state", "Past interview")


class Interview(ParticipationItem):
    """在线访谈 — a scheduled online interview: guests answer citizens' screened questions live,
    and the transcript stays online as an archive [Q§15]."""

    summary = models.TextField(_("summary"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("planned end"))
    host_name = models.CharField(_("host"), max_length=50, default="主持人")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InterviewStatus.choices,
        default=InterviewStatus.SCHEDULED,
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("online interview")
        verbose_name_plural = _("online interviews")
        ordering = ["-starts_at", "-pk"]

    def get_absolute_url(self):
        return f"/interaction/interviews/{self.pk}/"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The interview must end after it starts.")})


class Guest(models.Model):
    """访谈嘉宾 — a guest of an interview, with their title and photo."""

    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="guests"
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=100)
    photo = models.ImageField(
        _("photo"), upload_to="interviews/%Y/", blank=True, validators=[validate_cover_image]
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["interview", "position", "pk"]

    def __str__(self):
        return f"{self.title} {self.name}"


class QuestionScreening(models.TextChoices):
    """筛选 — every question sent beforehand is screened by the unit before it is shown."""

    PENDING = "pending", _("Waiting for screening")
    ACCEPTED = "accepted", pgettext_lazy("question screening", "Taken up")
    REJECTED = "rejected", pgettext_lazy("question screening", "Not taken up")


class InterviewQuestion(models.Model):
    """网友提问 — a question a citizen sends to an interview; shown once accepted."""

    #: Guarded in the admin (columns.personal_data_admin).
    personal_data_fields = ("ip_address",)
    #: The unit's one decision on it (services._decide_once): as ConsultationComment's.
    decision_fields = ("screening", "screened_by", "screened_at")
    decision_states = (
        QuestionScreening.PENDING,
        QuestionScreening.ACCEPTED,
        QuestionScreening.REJECTED,
    )

    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="questions"
    )
    nickname = models.CharField(_("nickname"), max_length=30)
    content = models.TextField(_("question"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    screening = models.CharField(
        _("screening"),
        max_length=20,
        choices=QuestionScreening.choices,
        default=QuestionScreening.PENDING,
    )
    checker_findings = models.JSONField(_("content checker findings"), default=list, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)

    class Meta:
        verbose_name = _("interview question")
        verbose_name_plural = _("interview questions")
        ordering = ["submitted_at", "pk"]
        indexes = [
            models.Index(fields=["ip_address", "submitted_at"], name="participation_question_rate"),
        ]

    def __str__(self):
        return self.content[:40]


class TranscriptEntry(models.Model):
    """文字实录 — one line of the live transcript: the host or a guest speaking, possibly in
    answer to a citizen's question. Entries only accumulate; the live page polls for new ids."""

    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="entries"
    )
    guest = models.ForeignKey(
        Guest,
        verbose_name=_("speaker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty when the host speaks."),
    )
    question = models.ForeignKey(
        InterviewQuestion,
        verbose_name=_("answers question"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
    )
    text = models.TextField(_("text"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("transcript entry")
        verbose_name_plural = _("transcript")
        ordering = ["interview", "pk"]

    def __str__(self):
        return self.text[:40]

    @property
    def speaker(self):
        return str(self.guest) if self.guest_id else self.interview.host_name

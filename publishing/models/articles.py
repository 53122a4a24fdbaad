"""信息 — the article, its attachments, its revisions and the index-number sequence."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from columns.uploads import validate_attachment, validate_cover_image


class Importance(models.TextChoices):
    """重要程度 — picks the review chain and the publishing deadline."""

    GENERAL = "general", _("General")
    IMPORTANT = "important", _("Important")


class ArticleKind(models.TextChoices):
    """信息类型 — policy documents carry 索引号/文号/发布机构/成文日期/有效性."""

    ARTICLE = "article", _("Article")
    POLICY = "policy", _("Policy document")
    INTERPRETATION = "interpretation", _("Policy interpretation")


class Origin(models.TextChoices):
    """信息来源类型 — reposts must name their source [Q§19]; those from the national or
    provincial portal must be online within 12 hours of approval [G九(一)]."""

    ORIGINAL = "original", _("Original")
    REPOST = "repost", _("Repost")
    REPOST_HIGHER = "repost_higher", _("Repost from the national or provincial portal")


class Validity(models.TextChoices):
    """有效性 — of a policy document [C大庆§6]."""

    VALID = "valid", _("Valid")
    INVALID = "invalid", _("No longer valid")
    REPEALED = "repealed", _("Repealed")


class ArticleStatus(models.TextChoices):
    """状态 — driven only by publishing.workflow through publishing.services."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class Article(models.Model):
    """信息 — one item a unit publishes in its columns after the 三审 review chain."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(
        _("body"), blank=True, help_text=_("Rich text; scripts and unsafe markup are removed.")
    )
    column = models.ForeignKey(
        "columns.Column",
        verbose_name=_("column"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    extra_columns = models.ManyToManyField(
        "columns.Column",
        verbose_name=_("also shown in"),
        blank=True,
        related_name="extra_articles",
    )
    unit = models.ForeignKey(
        "columns.Unit",
        verbose_name=_("publishing unit"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="authored_articles",
    )
    byline = models.CharField(
        _("byline"), max_length=100, blank=True, help_text=_("The author's name as printed.")
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.ARTICLE
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.ORIGINAL
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("信息来源: mandatory for reposts."),
    )
    source_url = models.URLField(_("source link"), blank=True)
    importance = models.CharField(
        _("importance"), max_length=20, choices=Importance.choices, default=Importance.GENERAL
    )
    may_stir_opinion = models.BooleanField(
        _("may stir public opinion"),
        default=False,
        help_text=_("Adds the public-opinion review step where the unit's chain has one."),
    )
    cover_image = models.ImageField(
        _("cover image"),
        upload_to="covers/%Y/%m/",
        blank=True,
        validators=[validate_cover_image],
    )
    cover_alt = models.CharField(_("cover image text alternative"), max_length=200, blank=True)

    # Policy document metadata (政策文件).
    index_number = models.CharField(
        _("index number"), max_length=60, unique=True, null=True, blank=True, editable=False
    )
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=100, blank=True)
    written_on = models.DateField(_("date written"), null=True, blank=True)
    validity = models.CharField(
        _("validity"), max_length=20, choices=Validity.choices, default=Validity.VALID
    )
    validity_changed_at = models.DateTimeField(
        _("validity changed at"), null=True, blank=True, editable=False
    )
    policy = models.ForeignKey(
        "self",
        verbose_name=_("interprets policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interpretations",
        limit_choices_to={"kind": ArticleKind.POLICY},
    )

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ArticleStatus.choices,
        default=ArticleStatus.DRAFT,
        editable=False,
        db_index=True,
    )
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Leave empty to publish at once after approval; a future time schedules it."),
    )
    expires_at = models.DateTimeField(_("expiry time"), null=True, blank=True)
    publish_on_approval = models.BooleanField(
        _("publish on approval"),
        default=True,
        help_text=_("Otherwise an approved item waits until someone publishes it."),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    due_at = models.DateTimeField(
        _("must be online by"), null=True, blank=True, editable=False, db_index=True
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("withdrawal reason"), blank=True, editable=False)
    #: The CheckListVersion its PublishedFinding rows were computed against (null: none yet);
    #: after a change of the lists the rescan recomputes the published items with another.
    findings_version = models.PositiveBigIntegerField(
        _("check lists' version of its published findings"), null=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["column", "status", "-published_at"], name="article_column_feed"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        # A literal path: processes with PORTAL_ROLE=admin have no public URLconf to reverse.
        return f"/articles/{self.pk}/"

    @property
    def site(self):
        return self.column.site

    @property
    def site_id(self):
        """The site the article belongs to, its own column's: other sites' columns it is also
        shown in (extra columns) link to it there (columns.site_urls)."""
        return self.column.site_id

    @property
    def is_policy(self):
        return self.kind == ArticleKind.POLICY

    def clean(self):
        errors = {}
        if self.origin != Origin.ORIGINAL and not (self.source or "").strip():
            errors["source"] = _("A repost must name its source (信息来源).")
        if self.published_at and self.expires_at and self.expires_at <= self.published_at:
            errors["expires_at"] = _("The expiry time must be later than the publish time.")
        if self.cover_image and not (self.cover_alt or "").strip():
            errors["cover_alt"] = _("Describe the cover image for readers who cannot see it.")
        if self.policy_id and self.kind != ArticleKind.INTERPRETATION:
            errors["policy"] = _("Only a policy interpretation can link to a policy.")
        if self.column_id and self.unit_id and self.column.unit_id not in (None, self.unit_id):
            errors["column"] = _("This column belongs to another unit.")
        if errors:
            raise ValidationError(errors)


class Attachment(models.Model):
    """附件 — a file published with an article; type, size and content are checked."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("article")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(
        _("file"), upload_to="attachments/%Y/%m/", validators=[validate_attachment]
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title or self.file.name.rsplit("/", 1)[-1]

    def save(self, *args, **kwargs):
        if self.file:
            self.size = self.file.size
        if not self.title and self.file:
            self.title = self.file.name.rsplit("/", 1)[-1]
        super().save(*args, **kwargs)


class ArticleRevision(models.Model):
    """修订记录 — a snapshot of an article kept on every save and every state change."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("article")
    )
    number = models.PositiveIntegerField(_("revision"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)
    content = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
        ]

    def __str__(self):
        return f"{self.article} #{self.number}"


class IndexSequence(models.Model):
    """索引号序列 — the last sequence number a unit used in a year; row-locked when drawn."""

    unit = models.ForeignKey("columns.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("index number sequence")
        verbose_name_plural = _("index number sequences")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="index_sequence_per_unit_year"),
        ]

    def __str__(self):
        return f"{self.unit.org_code}/{self.year}-{self.last:05d}"

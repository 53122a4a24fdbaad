"""内容检查 — the operator-edited lists the checker matches, and what it found and let through.

The word lists, the wrong→right dictionary, the ordered lists of leaders' names and the
blocked domains are edited in the admin; every change bumps the one CheckListVersion so
each process rebuilds its automaton once.
ContentFinding rows are an article's latest findings; FindingOverride records a reviewer
letting a personal-data (or unreadable-attachment) block through on a review run, with why;
PublishedFinding rows are the serious errors of what is online, for the compliance dashboard.
"""

import re
import secrets
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .review import ReviewRun


class CheckListVersion(models.Model):
    """词库版本 — one row naming the current state of the check lists; processes compare it.

    Each change draws a new random number rather than counting up, so a change that was
    rolled back can never be mistaken for a later one. The number is mirrored in the cache
    so a check costs one cache read; the mirror expires soon, so a process that read the
    old number while a change was committing sees the new one within VERSION_CACHE_SECONDS.
    """

    CACHE_KEY = "publishing:check_lists:version"
    VERSION_CACHE_SECONDS = 60

    number = models.PositiveBigIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("check list version")
        verbose_name_plural = _("check list versions")

    def __str__(self):
        return str(self.number)

    @classmethod
    def current(cls):
        number = cache.get(cls.CACHE_KEY)
        if number is None:
            number = cls.objects.values_list("number", flat=True).first() or 0
            cache.set(cls.CACHE_KEY, number, cls.VERSION_CACHE_SECONDS)
        return number

    @classmethod
    def bump(cls):
        """Record that a list changed; every process rebuilds its automaton once."""
        number = secrets.randbits(62)
        if not cls.objects.update(number=number):
            cls.objects.create(number=number)
        # Now for this connection, which already sees the change; again on commit for the
        # others, which may have re-read the old number meanwhile.
        cache.delete(cls.CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(cls.CACHE_KEY))
        # What is online is checked again against the lists as changed (not a model's job,
        # but every change of the lists passes here; the task module imports the models).
        from ..tasks import rescan_published_findings

        transaction.on_commit(partial(rescan_published_findings.delay, number), robust=True)


class CheckListEntry(models.Model):
    """An entry of a check list: saving or deleting one bumps the CheckListVersion."""

    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        CheckListVersion.bump()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        CheckListVersion.bump()
        return result


class SensitiveWord(CheckListEntry):
    """敏感词 — a word or secret marker that keeps a text out of review (block)."""

    class Category(models.TextChoices):
        SECRET = "secret", _("Secret marker")
        POLITICAL = "political", _("Politically sensitive")
        VULGAR = "vulgar", _("Vulgar or offensive")
        OTHER = "other", _("Other")

    word = models.CharField(_("word"), max_length=100, unique=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")
        ordering = ["category", "word"]

    def __str__(self):
        return self.word

    def clean(self):
        self.word = (self.word or "").strip()


class WordingCorrection(CheckListEntry):
    """纠错词典条目 — a wrong expression and its right form (warn)."""

    class Kind(models.TextChoices):
        EXPRESSION = "expression", _("Serious expression error")
        TYPO = "typo", _("Typo")
        LEADER = "leader", _("Leader's name or title")

    wrong = models.CharField(_("wrong"), max_length=100, unique=True)
    right = models.CharField(_("right"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TYPO)

    class Meta:
        verbose_name = _("wording correction")
        verbose_name_plural = _("wording dictionary")
        ordering = ["kind", "wrong"]

    def __str__(self):
        return f"{self.wrong} → {self.right}"

    def clean(self):
        self.wrong = (self.wrong or "").strip()
        self.right = (self.right or "").strip()
        if self.wrong and self.wrong == self.right:
            raise ValidationError(_("The right form must differ from the wrong one."))


class LeaderName(CheckListEntry):
    """领导人姓名排序名单 — one name of an ordered list (e.g. the Standing Committee of the
    Political Bureau), with the wrong ways it has been written.

    A text naming several leaders of one list close together must name them in the list's
    order; a wrong variant is flagged with the right name.
    """

    group = models.CharField(
        _("list"), max_length=100, help_text=_("The ordered list the name belongs to.")
    )
    position = models.PositiveIntegerField(_("position"), help_text=_("1 comes first."))
    name = models.CharField(_("name"), max_length=50)
    wrong_variants = models.TextField(
        _("wrong variants"),
        blank=True,
        help_text=_("Misspellings to flag, separated by commas or new lines."),
    )

    class Meta:
        verbose_name = _("leader's name")
        verbose_name_plural = _("leaders' names and their order")
        ordering = ["group", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="one_leader_name_per_list")
        ]

    def __str__(self):
        return f"{self.group} {self.position}. {self.name}"

    @property
    def variants(self):
        """The wrong variants as a list."""
        return [v for v in re.split(r"[\s,，、;；]+", self.wrong_variants or "") if v]

    def clean(self):
        self.group = (self.group or "").strip()
        self.name = (self.name or "").strip()
        if self.name in self.variants:
            raise ValidationError(
                {"wrong_variants": _("The name itself cannot be one of its wrong variants.")}
            )


class BlockedDomain(CheckListEntry):
    """禁链域名 — an advertising or gambling domain no page may link to (block)."""

    class Category(models.TextChoices):
        ADVERTISING = "advertising", _("Commercial advertising")
        GAMBLING = "gambling", _("Gambling")
        OTHER = "other", _("Other")

    domain = models.CharField(
        _("domain"),
        max_length=253,
        unique=True,
        help_text=_("Subdomains are blocked too: example.com covers www.example.com."),
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.ADVERTISING
    )

    class Meta:
        verbose_name = _("blocked domain")
        verbose_name_plural = _("blocked domains")
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def clean(self):
        domain = (self.domain or "").strip().lower()
        self.domain = domain.removeprefix("https://").removeprefix("http://").split("/")[0]


#: Where in an article a finding was made, for the sources that are not attachment names.
SOURCE_LABELS = {"title": _("Title"), "summary": _("Summary"), "body": _("Body")}


class FindingRule(models.TextChoices):
    """检查规则 — what a finding is about."""

    SECRET_MARKER = "secret_marker", _("Secret marker")
    SENSITIVE_WORD = "sensitive_word", _("Sensitive word")
    WORDING = "wording", _("Wording error")
    LEADER_ORDER = "leader_order", _("Order of leaders' names")
    ID_NUMBER = "id_number", _("Resident ID number")
    MOBILE_NUMBER = "mobile_number", _("Mobile number")
    BANK_CARD = "bank_card", _("Bank card number")
    EMAIL = "email", _("Private e-mail address")
    BLOCKED_LINK = "blocked_link", _("Link to an advertising or gambling site")
    INTERNAL_LINK = "internal_link", _("Link to a missing or unpublished page")
    EXTERNAL_LINK = "external_link", _("External link that does not work")
    UNREADABLE_ATTACHMENT = "unreadable_attachment", _("Attachment cannot be read")


#: Blocks a reviewer may let through with a recorded reason (个人信息, and attachments a
#: person has to open); the others the author must fix.
OVERRIDABLE_RULES = frozenset(
    {
        FindingRule.ID_NUMBER,
        FindingRule.MOBILE_NUMBER,
        FindingRule.BANK_CARD,
        FindingRule.EMAIL,
        FindingRule.UNREADABLE_ATTACHMENT,
    }
)


class ContentFinding(models.Model):
    """检查发现 — one finding of the latest check of an article (replaced on every check)."""

    article = models.ForeignKey(
        "publishing.Article",
        on_delete=models.CASCADE,
        related_name="content_findings",
        verbose_name=_("article"),
    )
    source = models.CharField(_("where"), max_length=200, blank=True)
    rule = models.CharField(_("rule"), max_length=40, choices=FindingRule.choices)
    severity = models.CharField(
        _("severity"),
        max_length=10,
        choices=[("block", _("Must be fixed")), ("warn", _("Warning"))],
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    match = models.CharField(_("matched text"), max_length=500)
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    suggestion = models.CharField(_("suggestion"), max_length=500, blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=40, blank=True)
    found_at = models.DateTimeField(_("found at"), default=timezone.now)

    class Meta:
        verbose_name = _("content finding")
        verbose_name_plural = _("content findings")
        ordering = ["article", "severity", "source", "start"]
        indexes = [models.Index(fields=["article", "severity"], name="finding_article_severity")]

    def __str__(self):
        return f"{self.get_rule_display()}: {self.match}"

    @property
    def source_label(self):
        """标题/摘要/正文, or the attachment's name."""
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def overridable(self):
        return self.severity == "block" and self.rule in OVERRIDABLE_RULES


class PublishedFinding(models.Model):
    """严重错误 — a secret marker or wording error in a published article's title and body.

    Computed when the article is published and again when the check lists change
    (publishing.content_checks.published), so the compliance dashboard reads these rows
    instead of checking every article online. Kept for published articles only.
    """

    article = models.ForeignKey(
        "publishing.Article",
        on_delete=models.CASCADE,
        related_name="published_findings",
        verbose_name=_("article"),
    )
    #: Its place among the article's findings, in the order of the text.
    position = models.PositiveIntegerField(_("position"))
    rule = models.CharField(_("rule"), max_length=40, choices=FindingRule.choices)
    match = models.CharField(_("matched text"), max_length=500)

    class Meta:
        verbose_name = _("published item's serious error")
        verbose_name_plural = _("published items' serious errors")
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="one_published_finding_per_position"
            ),
        ]

    def __str__(self):
        return f"{self.get_rule_display()}: {self.match}"


class FindingOverride(models.Model):
    """人工放行 — a reviewer lets one block finding through on one review run, saying why.

    Immutable once written, like the review decisions it sits beside.
    """

    run = models.ForeignKey(
        ReviewRun,
        on_delete=models.PROTECT,
        related_name="finding_overrides",
        verbose_name=_("review run"),
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=40)
    rule = models.CharField(_("rule"), max_length=40, choices=FindingRule.choices)
    source = models.CharField(_("where"), max_length=200, blank=True)
    match = models.CharField(_("matched text"), max_length=500)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="finding_overrides",
        verbose_name=_("reviewer"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("finding override")
        verbose_name_plural = _("finding overrides")
        ordering = ["run", "decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "fingerprint", "source"], name="one_override_per_finding"
            ),
        ]

    def __str__(self):
        return f"{self.match}: {self.reason}"

    #: 标题/摘要/正文, or the attachment's name, as on the finding it let through.
    source_label = ContentFinding.source_label

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("An override cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An override cannot be deleted."))

"""办事服务 — service items, their guides, the materials they require and the forms to download."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from columns.uploads import validate_attachment


class ServiceKind(models.TextChoices):
    """事项类型 — the kinds of government service items in a catalogue."""

    LICENSING = "licensing", _("Administrative licensing")
    CONFIRMATION = "confirmation", _("Administrative confirmation")
    PAYMENT = "payment", _("Administrative payment")
    PUBLIC_SERVICE = "public_service", _("Public service")
    OTHER = "other", _("Other")


class ServiceItem(models.Model):
    """办事事项 — one service a unit provides, with its guide (办事指南) [Q§16, G六(三)].

    Kept by the unit that handles it (the admin scopes items to the user's unit) and listed
    in the 办事服务 catalogue of one site. Only published items appear on the public site.
    """

    site = models.ForeignKey(
        "columns.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    unit = models.ForeignKey(
        "columns.Unit",
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("item code"), max_length=60, blank=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=ServiceKind.choices, default=ServiceKind.PUBLIC_SERVICE
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    legal_basis = models.TextField(_("legal basis"))
    conditions = models.TextField(_("conditions"))
    procedure = models.TextField(_("procedure"), help_text=_("One step per line."))
    time_limit = models.CharField(_("time limit"), max_length=200)
    fees = models.CharField(_("fees"), max_length=200, default="不收费")
    office = models.CharField(_("handling office"), max_length=300)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    contact = models.CharField(_("contact phone"), max_length=100)
    online_url = models.URLField(_("online handling link"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # A literal path, like articles: admin-only processes have no public URLconf.
        return f"/services/{self.pk}/"

    @property
    def procedure_steps(self):
        return [line.strip() for line in self.procedure.splitlines() if line.strip()]


class ServiceMaterial(models.Model):
    """申请材料 — one document an applicant hands in for a service item."""

    class Form(models.TextChoices):
        ORIGINAL = "original", pgettext_lazy("material form", "Original")
        COPY = "copy", _("Photocopy")
        ORIGINAL_AND_COPY = "both", _("Original and photocopy")
        ELECTRONIC = "electronic", _("Electronic")

    class Endorsement(models.TextChoices):
        NONE = "none", _("Not required")
        SIGNATURE = "signature", _("Signature")
        SEAL = "seal", _("Seal")
        SIGNATURE_AND_SEAL = "both", _("Signature and seal")

    item = models.ForeignKey(
        ServiceItem, on_delete=models.CASCADE, related_name="materials", verbose_name=_("item")
    )
    name = models.CharField(_("name"), max_length=200)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    form = models.CharField(_("format"), max_length=20, choices=Form.choices, default=Form.ORIGINAL)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    endorsement = models.CharField(
        _("signature or seal"), max_length=20, choices=Endorsement.choices, default=Endorsement.NONE
    )
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class ServiceDocument(models.Model):
    """表格下载 — a blank form, filling instructions or a sample document to download."""

    class Kind(models.TextChoices):
        BLANK_FORM = "blank_form", _("Blank form")
        INSTRUCTIONS = "instructions", _("Filling instructions")
        SAMPLE = "sample", _("Sample document")

    item = models.ForeignKey(
        ServiceItem, on_delete=models.CASCADE, related_name="documents", verbose_name=_("item")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to="service-forms/%Y/%m/", validators=[validate_attachment]
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("downloadable document")
        verbose_name_plural = _("downloadable documents")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

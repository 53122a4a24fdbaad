"""The applicant's forms: the online application, finding it again, clarifying it; the same
captcha, picture checks and labels as the mailbox's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from columns.models import Site, Unit
from interaction.forms import TOO_LONG, CitizenForm, ImagesField, captcha_field, phone_number

from .models import ApplicantType, DeliveryForm, IdentityDocument, RequestChannel
from .services import MAX_DESCRIPTION


class ApplicationFields(CitizenForm):
    """政府信息公开申请表 — the fields of Art. 29: who applies (with identity document), how to
    reach them, the information wanted, and the form of delivery."""

    applicant_type = forms.ChoiceField(
        label=_("Applicant"),
        choices=[("", _("Choose: a person or an organisation")), *ApplicantType.choices],
    )
    name = forms.CharField(label=_("Name or organisation name"), max_length=100)
    id_type = forms.ChoiceField(
        label=_("Identity document"),
        choices=[("", _("Choose the document")), *IdentityDocument.choices],
        help_text=_("Organisations give their unified social credit code."),
    )
    id_number = forms.CharField(label=_("Identity document number"), max_length=40)
    phone = forms.CharField(label=_("Phone"), max_length=30, validators=[phone_number])
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=200,
        help_text=_("Needed for delivery on paper or CD."),
    )
    unit = forms.ModelChoiceField(
        label=_("Authority holding the information"),
        queryset=Unit.objects.order_by("pk"),
        required=False,
        empty_label=_("Not sure (the disclosure office assigns it)"),
    )
    description = forms.CharField(
        label=_("Information requested"),
        max_length=MAX_DESCRIPTION,
        error_messages=TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The document's title, number, or a description that lets us find it."),
    )
    purpose = forms.CharField(
        label=_("Purpose (optional)"),
        required=False,
        max_length=MAX_DESCRIPTION,
        error_messages=TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    delivery_form = forms.ChoiceField(
        label=_("Form of delivery"), choices=DeliveryForm.choices, widget=forms.RadioSelect
    )


class ApplicationForm(ApplicationFields):
    """The public form: the application with pictures and the captcha."""

    images = ImagesField(
        label=_("Pictures"),
        required=False,
        help_text=_("Up to 3 JPG or PNG pictures, each at most 2 MB."),
    )
    captcha = captcha_field()

    fieldsets = (
        (
            _("Applicant"),
            ("applicant_type", "name", "id_type", "id_number", "phone", "email", "address"),
        ),
        (
            _("Information requested"),
            ("unit", "description", "purpose", "delivery_form", "images"),
        ),
    )


class RegistrationForm(ApplicationFields):
    """登记 — the dispatcher enters a request that came in person, by post or by fax."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.order_by("pk"))
    channel = forms.ChoiceField(
        label=_("Submitted"),
        choices=[c for c in RequestChannel.choices if c[0] != RequestChannel.ONLINE],
    )
    submitted_on = forms.DateField(
        label=_("Handed in or sent on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    confirmed_on = forms.DateField(
        label=_("Signed for or confirmed with the applicant on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Not needed for requests handed in: that day is the day of receipt."),
    )


class ClarificationForm(CitizenForm):
    text = forms.CharField(
        label=_("Your clarification"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

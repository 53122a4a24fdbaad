"""The citizen's forms: writing a message, finding it again, rating and answering questions."""

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from columns.models import Unit

from .images import MAX_IMAGES, validate_message_image
from .models import Channel, MessageKind, Rating
from .services.submission import MAX_CONTENT, MAX_SUBJECT

phone_number = RegexValidator(
    r"^\+?[0-9][0-9 \-]{5,18}[0-9]$",
    _("Give a phone number of digits only, e.g. 13800000000 or 0851-88880000."),
)


TOO_LONG = {
    "max_length": _("At most %(limit_value)d characters; you wrote %(show_value)d."),
}


class AccessibleCaptchaInput(CaptchaTextInput):
    """The captcha: a sum in a picture, read aloud, with a button for another sum."""

    template_name = "interaction/captcha_widget.html"
    # One text box to label, not a group: the hidden key needs no legend.
    use_fieldset = False

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", "class": "captcha-answer", **(attrs or {})})


def captcha_field():
    """验证码 — every citizen's form asks the same labelled sum, with Chinese messages."""
    return CaptchaField(
        label=_("Verification code"),
        widget=AccessibleCaptchaInput(),
        error_messages={"invalid": _("The result is wrong; work out the new sum in the picture.")},
        help_text=_("Type the result of the sum in the picture, in digits."),
    )


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Up to MAX_IMAGES pictures, each checked for type, size and content."""

    widget = MultipleImageInput(attrs={"accept": "image/jpeg,image/png"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_IMAGES:
            raise forms.ValidationError(_("Attach at most %(n)s pictures.") % {"n": MAX_IMAGES})
        errors = []
        for upload in files:
            try:
                validate_message_image(upload)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files


class CitizenForm(forms.Form):
    """Chinese labels carry no trailing colon."""

    label_suffix = ""
    #: (legend, field names) of the parts interaction/_citizen_form.html shows as fieldsets.
    fieldsets = ()

    def grouped_fields(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]


class MessageForm(CitizenForm):
    """写留言 — SPEC §4: type, unit (or not sure), subject, content, contact, publication."""

    # Nothing chosen beforehand: a preselected 找错 gave letters the shortest deadline.
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Choose the type of message")), *MessageKind.choices]
    )
    channel = forms.ChoiceField(
        label=_("Mailbox"), choices=Channel.choices, initial=Channel.UNIFIED
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.order_by("pk"),
        required=False,
        empty_label=_("Not sure (the dispatcher chooses)"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT, error_messages=TOO_LONG)
    content = forms.CharField(
        label=_("Content"),
        max_length=MAX_CONTENT,
        error_messages=TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    page_url = forms.URLField(
        label=_("Address of the page with the error"), required=False, max_length=500
    )
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=30, validators=[phone_number])
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        # The stored column holds 254 characters (RFC 5321); longer is refused here.
        max_length=254,
        help_text=_("We send your tracking code and the answer there."),
    )
    publish_allowed = forms.BooleanField(
        label=_("The exchange may be published (without your name and contact data)"),
        required=False,
        initial=True,
    )
    images = ImagesField(
        label=_("Pictures"),
        required=False,
        help_text=_("Up to 3 JPG or PNG pictures, each at most 2 MB."),
    )
    captcha = captcha_field()

    fieldsets = (
        (
            _("Your message"),
            ("kind", "channel", "unit", "subject", "content", "page_url", "images"),
        ),
        (_("How we reach you"), ("name", "phone", "email", "publish_allowed")),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == Channel.UNIT and not cleaned.get("unit"):
            self.add_error("unit", _("Choose the unit whose mailbox you are writing to."))
        return cleaned


class TrackForm(CitizenForm):
    """查询 — the tracking code and the query password of a message (or, in disclosure, of a
    request), both needed."""

    code = forms.CharField(label=_("Tracking code"), max_length=20)
    password = forms.CharField(label=_("Query password"), max_length=20, widget=forms.PasswordInput)


class RatingForm(CitizenForm):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the reply?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(CitizenForm):
    reason = forms.CharField(
        label=_("What is still missing from the reply?"),
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SupplyInfoForm(CitizenForm):
    text = forms.CharField(
        label=_("The information you were asked for"),
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

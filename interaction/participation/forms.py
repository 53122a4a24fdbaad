"""The citizen's forms: a comment, a question to an interview, and a survey built from its
questions. They check the shape of the input; the rules (open period, one answer per person,
moderation) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import captcha_field
from .models import QuestionKind


class CommentForm(forms.Form):
    content = forms.CharField(
        label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("Only the unit sees your contact data; they are never published."),
    )
    # The stored column holds 254 characters (RFC 5321); longer is refused here, not by the DB.
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    captcha = captcha_field()


class QuestionForm(forms.Form):
    nickname = forms.CharField(label=_("Nickname"), max_length=30)
    content = forms.CharField(
        label=_("Your question"), max_length=500, widget=forms.Textarea(attrs={"rows": 4})
    )
    captcha = captcha_field()


class SurveyForm(forms.Form):
    """One field per question, named q<pk>; a phone field where the survey asks for one."""

    # The mailbox's captcha: a fresh cookie is a fresh respondent, a captcha is not free.
    captcha = captcha_field()

    def __init__(self, *args, survey, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            choices = [(str(c.pk), c.text) for c in question.choices.all()]
            common = {"label": question.text, "required": question.required}
            if question.kind == QuestionKind.SINGLE:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, **common
                )
            else:
                field = forms.CharField(
                    max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), **common
                )
            self.fields[f"q{question.pk}"] = field
        if survey.requires_phone:
            self.fields["phone"] = forms.CharField(
                label=_("Mobile number"),
                max_length=11,
                help_text=_("One answer per number; the number itself is not stored."),
            )
        self.fields["captcha"] = self.fields.pop("captcha")  # after the questions

    def answers(self):
        """{question pk: list of option pks, or the text} for the service."""
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

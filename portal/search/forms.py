"""The search form: the words and the filters a reader may give, checked before any query."""

from django import forms
from django.utils.translation import gettext_lazy as _

from columns.models import Column

from ..models import SearchKind

#: Indents a column's name by its depth so the tree reads in a flat <select>.
INDENT = "\u3000"

#: Longer input is no search a person types; it is refused with a message, not run.
MAX_QUERY_LENGTH = 100


class ColumnChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, column):
        return INDENT * column.level + column.name


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "The search words are too long (%(show_value)d characters): use at most "
                "%(limit_value)d characters."
            )
        },
    )
    column = ColumnChoiceField(
        label=_("Column"),
        queryset=Column.objects.none(),
        required=False,
        empty_label=_("All columns"),
        error_messages={"invalid_choice": _("There is no such column on this site.")},
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *SearchKind.choices],
        error_messages={"invalid_choice": _("There is no such type of information.")},
    )
    published_from = forms.DateField(
        label=_("Published from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD.")},
    )
    published_until = forms.DateField(
        label=_("Published until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD.")},
    )
    page = forms.IntegerField(
        label=_("Page number"),
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("The page number must be a whole number."),
            "min_value": _("The page number must be 1 or more."),
        },
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = Column.objects.filter(site=site).order_by("tree_id", "lft")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("published_from"), cleaned.get("published_until")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date cannot be before the start date."))
        return cleaned

    @property
    def filtered(self):
        """Whether any filter beyond the words was given."""
        data = self.cleaned_data
        return any(
            data.get(name) for name in ("column", "kind", "published_from", "published_until")
        )

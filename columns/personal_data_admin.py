"""The admin's guard on citizens' personal data (个人信息保护) for every admin class whose model
lists personal_data_fields: a role that may not see them can neither filter nor search by them
(a lookup such as ?phone__startswith= would reveal a number a digit at a time), and every read
of them by a role that may is recorded in the operation log.
"""

from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP

from .audit import record


def personal_fields_of(model):
    """The fields of model holding personal data, as the model declares them."""
    return frozenset(getattr(model, "personal_data_fields", ()))


def touches_personal_data(model, lookup):
    """Whether a lookup path ("phone__startswith", "message__email__regex") reaches a
    personal field of model or of a model it leads to."""
    for part in lookup.split(LOOKUP_SEP):
        if part in personal_fields_of(model):
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


def _search_path(search_field):
    # Admin search fields may carry a prefix saying how they match ("^name", "=phone").
    return search_field.lstrip("^=@")


class PersonalDataAdminMixin:
    """Mixed into the admin of a model with personal fields (or leading to one); the admin says
    who may read them at list level in may_read_personal_data(request)."""

    def may_read_personal_data(self, request):
        raise NotImplementedError

    def _may_read(self, request):
        return request is not None and self.may_read_personal_data(request)

    def lookup_allowed(self, lookup, value, request=None):
        # Refused lookups make the changelist answer 400 (DisallowedModelAdminLookup).
        if touches_personal_data(self.model, lookup) and not self._may_read(request):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if self._may_read(request):
            return fields
        return [f for f in fields if not touches_personal_data(self.model, _search_path(f))]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if getattr(response, "status_code", None) == 200:
            self._record_list_read(request)
        return response

    def _record_list_read(self, request):
        """One log entry for a list filtered or searched by personal data."""
        lookups = sorted(k for k in request.GET if touches_personal_data(self.model, k))
        searched = bool(request.GET.get(SEARCH_VAR, "").strip()) and any(
            touches_personal_data(self.model, _search_path(f))
            for f in self.get_search_fields(request)
        )
        if lookups or searched:
            # The values looked for are left out: the log must not become a copy of them.
            record(
                "personal_data_listed",
                actor=request.user,
                detail={"model": self.model._meta.label, "lookups": lookups, "search": searched},
                request=request,
            )

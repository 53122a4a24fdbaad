"""The one place that scopes admin pages to what a user may see (SPEC §2, [Q§8, Q§17]).

Every admin of a model that belongs to a column (or to a unit) mixes one of these in:
lists, change pages, form choices and autocomplete then show only the user's own objects,
and another unit's object answers 404, however its URL was guessed.
"""

from django.http import Http404

from .models import Column, Unit
from .pickers import PickerAdminMixin
from .selectors import columns_for_user, sees_everything, unit_of


class ScopedAdminMixin(PickerAdminMixin):
    """Base: subclasses say how a queryset of the model is cut down to the user's part."""

    def scope(self, request, queryset):
        raise NotImplementedError

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_everything(request.user):
            return queryset
        return self.scope(request, queryset)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not sees_everything(request.user):
            if db_field.related_model is Column:
                kwargs["queryset"] = columns_for_user(request.user)
            elif db_field.related_model is Unit:
                kwargs["queryset"] = Unit.objects.filter(
                    pk=getattr(unit_of(request.user), "pk", None)
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Column and not sees_everything(request.user):
            kwargs["queryset"] = columns_for_user(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ColumnScopedAdminMixin(ScopedAdminMixin):
    """For models reached from a column: column_path is the lookup to it ("column",
    "article__column", or "columns" for a many-to-many)."""

    column_path = "column"

    def scope(self, request, queryset):
        allowed = columns_for_user(request.user).values("pk")
        return queryset.filter(**{f"{self.column_path}__in": allowed}).distinct()


class UnitScopedAdminMixin(ScopedAdminMixin):
    """For models that belong to a unit: unit_path is the lookup to it."""

    unit_path = "unit"

    def scope(self, request, queryset):
        unit = unit_of(request.user)
        if unit is None:
            return queryset.none()
        return queryset.filter(**{self.unit_path: unit})

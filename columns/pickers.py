"""Pickers (选择框) that say what each choice is: a column with its site and place in the tree
("示例区人民政府 · 新闻动态 / 部门动态 / 教育动态"), a staff account with its name and unit
("张华（区教育局 · edu_leader）"), where Django would show a bare name or login."""

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import Column, Role
from .selectors import tree_paths


class _ColumnLabels:
    """Labels of columns from one query for the whole tree, made on the first label asked."""

    def label_from_instance(self, column):
        if getattr(self, "_paths", None) is None:
            self._paths = tree_paths(field="name", separator=" / ")
        return f"{column.site.name} · {self._paths.get(column.pk, column.name)}"

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy._paths = None  # each form reads the tree as it is now
        return copy


class ColumnChoiceField(_ColumnLabels, forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset.select_related("site"), **kwargs)


class ColumnMultipleChoiceField(_ColumnLabels, forms.ModelMultipleChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset.select_related("site"), **kwargs)


def staff_label(user):
    """姓名（单位 · 登录名）; platform accounts have no unit."""
    profile = getattr(user, "staff_profile", None)
    unit = profile.unit.name if profile is not None and profile.unit else _("platform")
    name = user.get_full_name() or user.username
    return f"{name}（{unit} · {user.username}）"


class StaffChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset.select_related("staff_profile__unit"), **kwargs)

    def label_from_instance(self, user):
        return staff_label(user)


def role_label(group):
    """A role group by its Chinese name (信息员, 科室负责人); other groups by their own name."""
    return Role(group.name).label if group.name in Role.values else group.name


class RoleMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, group):
        return role_label(group)


class PickerAdminMixin:
    """For model admins: foreign keys and many-to-many fields to columns and accounts get
    the pickers above; the date and time inputs of a moment each get a name of their own
    (the field's label points at the first only, screen readers would announce nothing)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateTimeField) and isinstance(
            getattr(formfield, "widget", None), forms.SplitDateTimeWidget
        ):
            field = capfirst(db_field.verbose_name)
            date, time = formfield.widget.widgets
            date.attrs["aria-label"] = _("%(field)s: date") % {"field": field}
            time.attrs["aria-label"] = _("%(field)s: time") % {"field": field}
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Column:
            kwargs.setdefault("form_class", ColumnChoiceField)
        elif db_field.related_model is get_user_model():
            kwargs.setdefault("form_class", StaffChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Column:
            kwargs.setdefault("form_class", ColumnMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

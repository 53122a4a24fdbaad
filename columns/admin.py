"""Admin for sites, units and staff accounts: presentation and wiring only."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import column_admin, offline_admin, second_factor, services  # noqa: F401 (registers)
from .models import (
    HandoverRecord,
    Notification,
    OperationLog,
    PasswordResetRecord,
    Role,
    Site,
    SiteHost,
    StaffProfile,
    Unit,
    action_label,
)
from .notifications import kind_label
from .pickers import PickerAdminMixin, RoleMultipleChoiceField, StaffChoiceField
from .selectors import has_role

User = get_user_model()


def is_operator(user):
    return user.is_superuser or has_role(user, Role.OPERATOR)


class SiteHostInline(admin.TabularInline):
    model = SiteHost
    extra = 1


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "site_code", "primary_host", "sponsor", "status"]
    inlines = [SiteHostInline]
    search_fields = ["name", "site_code"]


class HandoverForm(forms.Form):
    old_user = StaffChoiceField(
        queryset=User.objects.none(), label=gettext_lazy("Previous liaison")
    )
    new_user = StaffChoiceField(queryset=User.objects.none(), label=gettext_lazy("New liaison"))

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        # Every account of the platform is offered: the service gives the clear refusal.
        accounts = User.objects.filter(staff_profile__isnull=False).order_by("username")
        accounts = accounts.select_related("staff_profile__unit")
        self.fields["old_user"].queryset = accounts
        self.fields["new_user"].queryset = accounts
        if unit.liaison_id:
            self.fields["old_user"].initial = unit.liaison_id


@admin.register(Unit)
class UnitAdmin(PickerAdminMixin, admin.ModelAdmin):
    list_display = ["name", "org_code", "principal_leader", "deputy_leader", "liaison"]
    search_fields = ["name", "org_code"]
    change_form_template = "admin/columns/unit/change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:unit_id>/handover/",
                self.admin_site.admin_view(self.handover_view),
                name="columns_unit_handover",
            ),
        ] + super().get_urls()

    def handover_view(self, request, unit_id):
        if not is_operator(request.user):
            raise PermissionDenied
        unit = get_object_or_404(Unit, pk=unit_id)
        form = HandoverForm(request.POST or None, unit=unit)
        if request.method == "POST" and form.is_valid():
            try:
                record = services.hand_over_liaison(
                    unit=unit,
                    old_user=form.cleaned_data["old_user"],
                    new_user=form.cleaned_data["new_user"],
                    performed_by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Liaison duties of %(unit)s moved to %(user)s.")
                    % {"unit": unit.name, "user": record.new_user.get_username()},
                )
                return redirect(reverse("admin:columns_unit_change", args=[unit.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Liaison handover: %(unit)s") % {"unit": unit.name},
            "unit": unit,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/columns/unit/handover.html", context)


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    fields = ["unit", "phone", "password_changed_at", "must_change_password"]
    readonly_fields = ["password_changed_at"]


class PasswordResetForm(forms.Form):
    request_reference = forms.CharField(label=gettext_lazy("Request reference"), max_length=100)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea)


admin.site.unregister(User)


class RoleFilter(admin.SimpleListFilter):
    """岗位角色, named in Chinese: the role groups, not the units' technical groups."""

    title = gettext_lazy("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


@admin.register(User)
class StaffUserAdmin(PickerAdminMixin, UserAdmin):
    inlines = [StaffProfileInline]
    # Roles are a short list: a plain multiple choice, not Django's two-box filter, whose
    # search hint is a labelled <span> screen readers cannot reach (axe aria-prohibited-attr).
    filter_horizontal = ["user_permissions"]
    list_display = ["username", "first_name", "unit_name", "is_active", "last_login"]
    list_filter = ["is_active", RoleFilter, "staff_profile__unit"]
    list_select_related = ["staff_profile__unit"]
    change_form_template = "admin/columns/user/change_form.html"
    actions = ["reset_second_factor"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # Roles are chosen here; the unit's group follows the unit (services).
            kwargs["queryset"] = Group.objects.exclude(name__startswith=services.UNIT_GROUP_PREFIX)
            kwargs["form_class"] = RoleMultipleChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        # The operator's daily work is roles and units; single permissions are a
        # superuser's tool and stay out of sight.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "user_permissions"]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        # Superuser status is given only on the command line (createsuperuser), never here.
        return [*super().get_readonly_fields(request, obj), "is_superuser"]

    def save_model(self, request, obj, form, change):
        # The account as stored, before this form: its groups are saved later, in save_related.
        stored = User.objects.filter(pk=obj.pk).first() if change else None
        form.access_before = services.access_of(stored) if stored else services.NO_ACCESS
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.sync_unit_membership(form.instance)
        services.record_access_change(
            user=form.instance, before=form.access_before, by=request.user, request=request
        )

    @admin.action(description=gettext_lazy("Reset the second factor (lost or new phone)"))
    def reset_second_factor(self, request, queryset):
        if not is_operator(request.user):
            raise PermissionDenied
        for account in queryset:
            second_factor.reset(user=account, by=request.user, request=request)
        self.message_user(
            request,
            _("Reset for %(n)s accounts: each enrols a new device at its next login.")
            % {"n": len(queryset)},
        )

    @admin.display(description=gettext_lazy("unit"))
    def unit_name(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return profile.unit if profile and profile.unit else "—"

    def get_urls(self):
        return [
            path(
                "<int:user_id>/operator-reset/",
                self.admin_site.admin_view(self.operator_reset_view),
                name="columns_user_operator_reset",
            ),
        ] + super().get_urls()

    def user_change_password(self, request, id, form_url=""):
        # Setting another person's password is only ever the recorded operator reset.
        return redirect("admin:columns_user_operator_reset", id)

    def operator_reset_view(self, request, user_id):
        if not is_operator(request.user):
            raise PermissionDenied
        account = get_object_or_404(User, pk=user_id)
        form = PasswordResetForm(request.POST or None)
        temporary = None
        if request.method == "POST" and form.is_valid():
            temporary = services.reset_password(
                user=account, operator=request.user, **form.cleaned_data
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reset password of %(user)s") % {"user": account.get_username()},
            "account": account,
            "form": form,
            "temporary": temporary,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/columns/user/operator_reset.html", context)


# Devices are managed through the user list's reset action, in Chinese and logged.
admin.site.unregister(TOTPDevice)
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """Roles and units are groups; a change of a group's permissions is logged before/after."""

    def save_model(self, request, obj, form, change):
        form.permissions_before = services.permissions_of(obj) if change else []
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.record_group_change(
            group=form.instance, before=form.permissions_before, by=request.user, request=request
        )


class RecordAdmin(admin.ModelAdmin):
    """Records are evidence: nobody adds, edits or deletes them in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HandoverRecord)
class HandoverRecordAdmin(RecordAdmin):
    list_display = ["unit", "old_user", "new_user", "performed_by", "created_at"]


@admin.register(PasswordResetRecord)
class PasswordResetRecordAdmin(RecordAdmin):
    list_display = ["user", "operator", "request_reference", "created_at"]


class CodeInWordsFilter(admin.SimpleListFilter):
    """A filter on a field holding internal codes, offering the codes present in words."""

    words = staticmethod(str)

    def lookups(self, request, model_admin):
        field = self.parameter_name
        codes = model_admin.get_queryset(request).order_by().values_list(field, flat=True)
        return sorted(((code, self.words(code)) for code in set(codes)), key=lambda c: str(c[1]))

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(**{self.parameter_name: self.value()})


class NotificationKindFilter(CodeInWordsFilter):
    """通知类别: only the kinds this person has received."""

    title = gettext_lazy("kind")
    parameter_name = "kind"
    words = staticmethod(kind_label)


class OperationFilter(CodeInWordsFilter):
    """操作: the actions the log holds."""

    title = gettext_lazy("action")
    parameter_name = "action"
    words = staticmethod(action_label)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Each person's own in-app notifications; opening one marks it read."""

    list_display = ["title", "kind_in_words", "created_at", "read_at"]
    list_filter = [NotificationKindFilter, ("read_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["kind_in_words", "title", "body", "url", "created_at", "read_at"]
    fields = readonly_fields

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_in_words(self, notification):
        return kind_label(notification.kind)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(recipient=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        Notification.objects.filter(
            pk=object_id, recipient=request.user, read_at__isnull=True
        ).update(read_at=timezone.now())
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(OperationLog)
class OperationLogAdmin(RecordAdmin):
    list_display = ["created_at", "actor", "action_in_words", "target_repr", "ip_address"]
    list_filter = [OperationFilter]
    search_fields = ["target_repr", "actor__username"]
    date_hierarchy = "created_at"
    exclude = ["action"]
    readonly_fields = ["action_in_words"]

    @admin.display(description=gettext_lazy("action"), ordering="action")
    def action_in_words(self, entry):
        return entry.action_in_words

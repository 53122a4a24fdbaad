"""Custom admin pages beside a ModelAdmin (to-do lists, imports, review sheets, action
endpoints): views given their ModelAdmin, whose permissions and scoped object lookup they
use, so the ModelAdmin class keeps presentation and registers them in get_urls."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View


class ModelAdminPage(View):
    """One page of model_admin's, registered as ``Page.as_view(model_admin=self)``."""

    model_admin = None

    def render(self, request, template, *, title, **context):
        """template inside the admin's frame (its navigation, breadcrumbs and title)."""
        return TemplateResponse(
            request,
            template,
            {
                **self.model_admin.admin_site.each_context(request),
                "opts": self.model_admin.model._meta,
                "title": title,
                **context,
            },
        )


def panel_call(service, target, *fields, **renamed):
    """A take(obj, data, user) for PanelActionView.actions that calls service with obj as
    target, the user as by and the form's text fields: each of fields under its own name,
    each of renamed (argument="form field") under the service's."""
    names = {**{field: field for field in fields}, **renamed}

    def take(obj, data, user):
        texts = {argument: data.get(field, "") for argument, field in names.items()}
        return service(**{target: obj}, by=user, **texts)

    return take


class PanelActionView(ModelAdminPage):
    """The one POST endpoint of the business actions on an object's page, dispatched from a
    table; the service decides, and a refusal is shown on the object's page."""

    #: action -> (take(obj, form data, user), what the user is told: a text or done(result)).
    actions = {}
    #: What a stale or incomplete form raises besides ValueError -> what the user is told.
    stale_form = {}
    #: The actions after which the user goes back to the to-do list, and its URL name.
    to_inbox = ()
    inbox = ""

    def dispatch(self, request, pk, action):
        if not self.model_admin.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.model_admin.get_object(request, str(pk))
        if obj is None:
            raise Http404
        opts = self.model_admin.model._meta
        back = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        if request.method != "POST":
            return redirect(back)
        if not self.offers(action):
            raise PermissionDenied
        try:
            done = self.act(request, obj, action)
        except (ValidationError, PermissionDenied, ValueError, *self.stale_form) as exc:
            messages.error(request, self.refusal_text(exc))
            return redirect(back)
        messages.success(request, done)
        if action in self.to_inbox:
            return redirect(self.inbox)
        return redirect(back)

    def offers(self, action):
        return action in self.actions

    def act(self, request, obj, action):
        """Carry out action on obj; returns what the user is told."""
        take, done = self.actions[action]
        result = take(obj, request.POST, request.user)
        return done(result) if callable(done) else done

    def refusal_text(self, exc):
        if isinstance(exc, ValidationError):
            return " ".join(exc.messages)
        for stale, text in self.stale_form.items():
            if isinstance(exc, stale):
                return text
        if isinstance(exc, ValueError):
            return _("The form was incomplete; reload the page and try again.")
        return str(exc) or _("You may not do this.")

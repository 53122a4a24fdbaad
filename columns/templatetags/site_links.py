"""{% link_to obj %} — the href of a public object on the page being rendered: relative on its
own site, absolute to its own site's primary host on another site's page (columns.site_urls)."""

from django import template

from ..site_urls import link_from

register = template.Library()


@register.simple_tag(takes_context=True)
def link_to(context, obj):
    request = context.get("request")
    return link_from(getattr(request, "site", None), obj)

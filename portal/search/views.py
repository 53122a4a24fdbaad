"""The public search page /search/?q=: service items first, then every other match."""

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..models import SearchKind
from . import selectors
from .forms import SearchForm
from .highlighting import highlight, snippet
from .segmentation import query_words

RESULTS_PER_PAGE = 10
#: Service items shown above the results ("搜索即服务"); the 办事服务 filter lists all of them.
SERVICES_SHOWN_FIRST = 3

DOCUMENT_KINDS = [kind for kind in SearchKind.values if kind != SearchKind.SERVICE]


def _decorate(entries, words):
    for entry in entries:
        entry.title_html = highlight(entry.title, words)
        entry.snippet_html = snippet(entry.text, words)
    return entries


def search(request):
    """站内搜索 — search the current site's public content."""
    form = SearchForm(request.GET or None, site=request.site)
    context = {"form": form, "page": None, "services": []}
    if not form.is_bound:
        return render(request, "portal/search.html", context)
    if not form.is_valid():
        return render(request, "portal/search.html", context, status=400)
    data = form.cleaned_data
    context["query"] = data["q"]
    words = query_words(data["q"])
    context["words"] = words
    if not words:
        return render(request, "portal/search.html", context)

    kinds = [data["kind"]] if data["kind"] else DOCUMENT_KINDS
    hits = selectors.search(
        request.site,
        words,
        column=data["column"],
        kinds=kinds,
        published_from=data["published_from"],
        published_until=data["published_until"],
    )
    paginator = Paginator(hits, RESULTS_PER_PAGE)
    try:
        page = paginator.page(data["page"] or 1)
    except EmptyPage as exc:
        raise Http404(_("There is no such page of results.")) from exc
    context["page"] = page
    context["capped"] = hits.capped
    context["results"] = _decorate(list(page.object_list), words)

    if page.number == 1 and not data["kind"]:
        services = selectors.matching_services(request.site, words)
        context["services"] = _decorate(list(services[:SERVICES_SHOWN_FIRST]), words)
        context["service_count"] = services.count() if context["services"] else 0
    return render(request, "portal/search.html", context)

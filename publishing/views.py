"""The public pages of publishing: columns, articles (with print view and QR code), the
政府信息公开 section and the 办事服务 guides.

Every page declares what it shows to the page cache (portal.caching.depends_on through
page_tags) before reading it, and reads a fixed number of rows however much content grows.
"""

from functools import lru_cache

import qrcode
import qrcode.image.svg
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from columns.models import Column, ColumnCategory
from columns.offline import announced_windows
from columns.site_urls import object_url

from . import page_tags
from .selectors import (
    ColumnTree,
    catalogue_items,
    previewable_articles,
    public_article,
    public_articles_in,
    public_service_items,
    published_articles,
    units_with_columns,
    units_with_service_items,
)

PAGE_SIZE = 20
#: The column whose items are the site's 政府信息公开年报 (annual reports), by slug.
ANNUAL_REPORTS_SLUG = "annual-reports"


class BadRequest(Exception):
    """A query parameter the visitor can fix; rendered as a 400 page saying what is wrong."""


def bad_request(request, message):
    return render(request, "portal/400.html", {"message": message}, status=400)


def public_context(request, tree=None, **context):
    """What every public page shows: the site's top-level columns for the navigation and
    the notices of announced offline windows."""
    page_tags.depend(request, page_tags.site(request.site.pk))
    tree = tree or ColumnTree(request.site)
    context["nav_columns"] = tree.roots()
    notices = getattr(request, "announced_offline_windows", None)
    if notices is None:
        notices = list(announced_windows(request.site))
    context["offline_notices"] = notices
    return context


def page_number(request, paginator):
    """The ?page= of a list as a Page; 400 when it is not a number, 404 when out of range."""
    raw = request.GET.get("page") or "1"
    if not raw.isdigit():
        raise BadRequest(_("The page number must be a whole number, such as 2."))
    try:
        return paginator.page(int(raw))
    except EmptyPage:
        raise Http404(
            _("There is no page %(page)s: this list has %(count)s page(s).")
            % {"page": raw, "count": paginator.num_pages}
        ) from None


def column_page(request, path):
    """栏目页 — a column's articles, newest first, with pagination."""
    tree = ColumnTree(request.site)
    column = tree.at_path(path)
    page_tags.depend(request, page_tags.column(column.pk))
    try:
        page = page_number(request, Paginator(public_articles_in(column), PAGE_SIZE))
    except BadRequest as exc:
        return bad_request(request, str(exc))
    context = public_context(
        request,
        tree,
        column=column,
        breadcrumbs=tree.ancestors(column),
        children=tree.children(column),
        page=page,
    )
    return render(request, "publishing/public/column.html", context)


def _article_or_404(request, pk):
    page_tags.depend(request, page_tags.article(pk))
    article = public_article(request.site, pk)
    if article is None:
        raise Http404(_("This article does not exist or is no longer published."))
    return article


def _public_policy(article):
    """The policy an interpretation explains, if it is still public."""
    if article.policy_id and published_articles().filter(pk=article.policy_id).exists():
        return article.policy
    return None


@lru_cache(maxsize=4096)
def qr_code_svg(url):
    """二维码 — the page's address as an inline SVG, made here: no third-party service.
    Remembered per process: drawing one takes tens of milliseconds and never changes."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode").split("?>", 1)[-1]


def article_page(request, pk):
    """文章页 — an article with its metadata, attachments and policy↔interpretation links."""
    article = _article_or_404(request, pk)
    url = request.build_absolute_uri(article.get_absolute_url())
    return render(
        request, "publishing/public/article.html", _article_context(request, article, url)
    )


def _article_context(request, article, url):
    """What the article template shows, for the public page and its preview alike."""
    tree = ColumnTree(request.site)
    # Shown here through an extra column, an article's own column may be on another site.
    column = tree.by_pk.get(article.column_id)
    return public_context(
        request,
        tree,
        article=article,
        column=column or article.column,
        breadcrumbs=tree.ancestors(column, include_self=True) if column else [],
        policy=_public_policy(article),
        url=url,
        qr_svg=qr_code_svg(url),
    )


@never_cache
def article_preview(request, pk):
    """预览 — an article not yet public (draft, in review, scheduled) as its public page will
    show it, for the staff who may see it (the scoping helper); anybody else gets a 404. Marked
    as a preview, never indexed, never cached (the page cache stores no logged-in request)."""
    article = previewable_articles(request.user).prefetch_related("attachments").filter(pk=pk)
    article = article.first()
    if article is None:
        raise Http404(_("This article does not exist or you may not see it."))
    request.site = article.column.site
    url = object_url(article)
    context = _article_context(request, article, url)
    response = render(request, "publishing/public/article_preview.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def article_print(request, pk):
    """打印 — the article alone, laid out for paper."""
    article = _article_or_404(request, pk)
    context = {
        "article": article,
        "policy": _public_policy(article),
        "url": request.build_absolute_uri(article.get_absolute_url()),
    }
    return render(request, "publishing/public/article_print.html", context)


# --- 政府信息公开 ------------------------------------------------------------------------------


def disclosure_home(request):
    """政府信息公开 — the section's front page: guide, catalogue, annual reports."""
    page_tags.depend(request, page_tags.catalogue(request.site.pk))
    latest = catalogue_items(request.site)[:10]
    return render(
        request,
        "publishing/public/disclosure_home.html",
        public_context(request, latest=latest),
    )


def disclosure_guide(request):
    """政府信息公开指南 — how to find and request government information on this site."""
    units = units_with_columns(request.site)
    return render(
        request, "publishing/public/disclosure_guide.html", public_context(request, units=units)
    )


def _int_param(request, name, message):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise BadRequest(message)
    return int(raw)


def disclosure_catalogue(request):
    """信息公开目录 — items with an index number, filterable by unit, year and category."""
    page_tags.depend(request, page_tags.catalogue(request.site.pk))
    try:
        unit = _int_param(request, "unit", _("Choose a unit from the list."))
        year = _int_param(request, "year", _("The year must be four digits, such as 2026."))
        category = request.GET.get("category", "")
        if category and category not in ColumnCategory.values:
            raise BadRequest(_("Choose a category from the list."))
        if year is not None and not 1949 <= year <= 9999:
            raise BadRequest(_("The year must be four digits, such as 2026."))
        items = catalogue_items(request.site, unit=unit, year=year, category=category)
        page = page_number(request, Paginator(items.order_by("-index_number"), PAGE_SIZE))
    except BadRequest as exc:
        return bad_request(request, str(exc))
    units = units_with_columns(request.site)
    this_year = timezone.localtime().year
    context = public_context(
        request,
        page=page,
        units=units,
        years=range(this_year, this_year - 10, -1),
        categories=ColumnCategory.choices,
        chosen={"unit": unit, "year": year, "category": category},
        query=request.GET.copy(),
    )
    return render(request, "publishing/public/disclosure_catalogue.html", context)


def annual_reports(request, template="publishing/public/annual_reports.html", extra=None):
    """政府信息公开年报 — the annual reports, newest first. Portal renders it with the
    依申请公开 figures of disclosure (template and extra context), which publishing cannot
    import."""
    columns = Column.objects.filter(site=request.site, slug=ANNUAL_REPORTS_SLUG)
    for column in columns:
        page_tags.depend(request, page_tags.column(column.pk))
    reports = published_articles().filter(column__in=columns)[:50]
    return render(
        request,
        template,
        public_context(request, reports=reports, **(extra or {})),
    )


# --- 办事服务 ---------------------------------------------------------------------------------


def service_catalogue(request):
    """办事服务 — the catalogue of service items, by unit."""
    page_tags.depend(request, page_tags.services(request.site.pk))
    items = public_service_items(request.site)
    try:
        unit = _int_param(request, "unit", _("Choose a unit from the list."))
    except BadRequest as exc:
        return bad_request(request, str(exc))
    if unit is not None:
        items = items.filter(unit_id=unit)
    context = public_context(
        request, items=list(items), units=units_with_service_items(request.site), chosen_unit=unit
    )
    return render(request, "publishing/public/service_catalogue.html", context)


def service_guide(request, pk):
    """办事指南 — one item's guide as tables, with its materials and forms to download."""
    page_tags.depend(request, page_tags.services(request.site.pk))
    item = (
        public_service_items(request.site)
        .filter(pk=pk)
        .prefetch_related("materials", "documents")
        .first()
    )
    if item is None:
        raise Http404(_("This service item does not exist or is not published."))
    return render(
        request, "publishing/public/service_guide.html", public_context(request, item=item)
    )

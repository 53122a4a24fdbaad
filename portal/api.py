"""开放数据接口 — the read-only open-data API of a site [G七(二)], with its OpenAPI schema.

Each endpoint reads only what the site itself shows the public (published_articles, published
service items, published_messages), through serializers that name every field. Served per
site: the Host header picks it. The schema describes these endpoints only, never the staff
JSON of other apps.
"""

from datetime import UTC, datetime

from django import forms
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import mixins, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import DefaultRouter

from columns.models import Column, ColumnCategory
from interaction.models import Message, MessageKind
from interaction.selectors import published_messages
from publishing.models import Article, ArticleKind, ServiceItem, ServiceKind, Validity
from publishing.selectors import published_articles

from .serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    ColumnSerializer,
    PublicMessageSerializer,
    ServiceItemSerializer,
)


class OpenDataPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def column_paths(site):
    """{column id: "parent/child"} for every column of site, from one query."""
    rows = {
        pk: (parent, slug) for pk, parent, slug in site.columns.values_list("pk", "parent", "slug")
    }
    paths = {}

    def path_of(pk):
        if pk not in paths:
            parent, slug = rows[pk]
            paths[pk] = f"{path_of(parent)}/{slug}" if parent else slug
        return paths[pk]

    for pk in rows:
        path_of(pk)
    return paths


class PublicReadOnlyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """List and detail, paginated; a subclass says in public_queryset what a site shows."""

    model = None
    pagination_class = OpenDataPagination

    def get_queryset(self):
        # The schema generator calls this with a request that belongs to no site.
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.public_queryset(self.request.site)

    def public_queryset(self, site):
        raise NotImplementedError


#: The largest primary key the databases hold (BigAutoField, SQLite INTEGER).
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """An object id: a whole number the database can hold; anything else answers 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time with any offset RFC 3339 allows, handed to the database in UTC.

    PostgreSQL refuses offsets beyond ±15:59 that Python accepts; in UTC they cannot reach
    it. A time whose UTC value falls before year 1 or after 9999 means the calendar's end.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError:
            return (datetime.min if value.year == 1 else datetime.max).replace(tzinfo=UTC)


class PublishTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class ColumnFilter(filters.FilterSet):
    parent = IdFilter(field_name="parent", label=_("Parent column id"))
    category = filters.ChoiceFilter(choices=ColumnCategory.choices, label=_("Category"))

    class Meta:
        model = Column
        fields = ["parent", "category"]


class ColumnViewSet(PublicReadOnlyViewSet):
    """栏目 — the site's column tree, in tree order."""

    model = Column
    serializer_class = ColumnSerializer
    filterset_class = ColumnFilter

    def public_queryset(self, site):
        return Column.objects.filter(site=site).select_related("unit").order_by("tree_id", "lft")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["column_paths"] = column_paths(self.request.site)
        return context


class ArticleFilter(filters.FilterSet):
    column = IdFilter(method="in_column", label=_("Column id (its sub-columns included)"))
    kind = filters.ChoiceFilter(choices=ArticleKind.choices, label=_("Type"))
    validity = filters.ChoiceFilter(choices=Validity.choices, label=_("Validity"))
    unit = IdFilter(field_name="unit", label=_("Publishing unit id"))
    published_after = PublishTimeFilter(
        field_name="published_at", lookup_expr="gte", label=_("Published at or after")
    )
    published_before = PublishTimeFilter(
        field_name="published_at", lookup_expr="lt", label=_("Published before")
    )

    def in_column(self, queryset, name, value):
        column = Column.objects.filter(site=self.request.site, pk=value).first()
        if column is None:
            return queryset.none()
        return queryset.filter(column__in=column.get_descendants(include_self=True))


class ArticleViewSet(PublicReadOnlyViewSet):
    """信息 — the articles published on the site, newest first."""

    model = Article
    filterset_class = ArticleFilter

    def public_queryset(self, site):
        articles = published_articles(site)
        if self.action == "retrieve":
            articles = articles.prefetch_related("attachments")
        return articles

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer


class ServiceItemFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ServiceKind.choices, label=_("Type"))
    unit = IdFilter(field_name="unit", label=_("Handling unit id"))

    class Meta:
        model = ServiceItem
        fields = ["kind", "unit"]


class ServiceItemViewSet(PublicReadOnlyViewSet):
    """办事服务 — the site's published service items with their guides."""

    model = ServiceItem
    serializer_class = ServiceItemSerializer
    filterset_class = ServiceItemFilter

    def public_queryset(self, site):
        return (
            ServiceItem.objects.filter(site=site, is_published=True)
            .select_related("unit")
            .prefetch_related("materials", "documents")
            .order_by("unit_id", "position", "pk")
        )


#: Query parameters that are no filters: a malformed one answers 404, not 400.
PAGING_PARAMETERS = {"page", "page_size"}


def document_error_answers(result, generator, request, public):
    """drf-spectacular post-processing hook: the error answers every endpoint may give.

    Any operation answers 404 for an unknown id or a page past the last; one with filters
    answers 400, naming each malformed filter with its messages.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["NotFound"] = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }
    schemas["InvalidFilters"] = {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    }

    def answer(description, component):
        ref = {"$ref": f"#/components/schemas/{component}"}
        return {"description": description, "content": {"application/json": {"schema": ref}}}

    for path_item in result["paths"].values():
        for operation in path_item.values():
            responses = operation["responses"]
            responses.setdefault("404", answer("No such object or page.", "NotFound"))
            filters_given = {
                p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
            }
            if filters_given - PAGING_PARAMETERS:
                responses.setdefault("400", answer("A filter is malformed.", "InvalidFilters"))
    return result


class MessageFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=MessageKind.choices, label=_("Type"))
    reply_unit = IdFilter(field_name="reply_unit", label=_("Replying unit id"))


class PublicMessageViewSet(PublicReadOnlyViewSet):
    """留言公开 — the answered exchanges the citizens allowed to publish, newest answer first:
    受理日期, 答复日期, 答复部门, 答复内容; never a citizen's name or contact data."""

    model = Message
    serializer_class = PublicMessageSerializer
    filterset_class = MessageFilter

    def public_queryset(self, site):
        return published_messages(site)


router = DefaultRouter()
router.include_root_view = False
router.register("columns", ColumnViewSet, basename="column")
router.register("articles", ArticleViewSet, basename="article")
router.register("services", ServiceItemViewSet, basename="service")
router.register("messages", PublicMessageViewSet, basename="message")
endpoints = router.urls

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(patterns=[path("api/", include(endpoints))]),
        name="api-schema",
    ),
    # The split view serves its start-up script as a file: no inline script under the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *endpoints,
]

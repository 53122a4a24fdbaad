"""开放数据 — the JSON shapes of the open-data API: public fields only, each named explicitly.

Nothing here uses fields="__all__" or exclude: a field added to a model later (an author, a
review status, a citizen's phone) stays out of the API until someone lists it here.
"""

from rest_framework import serializers

from columns.models import Column
from publishing.models import (
    Article,
    Attachment,
    ServiceDocument,
    ServiceItem,
    ServiceMaterial,
)


class ColumnSerializer(serializers.ModelSerializer):
    """栏目 — a node of the site's column tree."""

    path = serializers.SerializerMethodField(help_text="栏目路径，如 news/headlines")
    url = serializers.SerializerMethodField(help_text="栏目页地址")
    unit = serializers.CharField(source="unit.name", default=None, help_text="责任单位")

    class Meta:
        model = Column
        fields = ["id", "name", "slug", "parent", "path", "url", "category", "description", "unit"]

    def get_path(self, column) -> str:
        # The view passes every path of the site, read in one query (see api.column_paths).
        return self.context["column_paths"][column.pk]

    def get_url(self, column) -> str:
        return f"/columns/{self.get_path(column)}/"


class AttachmentSerializer(serializers.ModelSerializer):
    """附件 — a file published with an article."""

    url = serializers.FileField(source="file", use_url=True, help_text="下载地址")

    class Meta:
        model = Attachment
        fields = ["title", "url", "size"]


class ArticleSerializer(serializers.ModelSerializer):
    """信息 — a published article as listed: its metadata without the body."""

    column_name = serializers.CharField(source="column.name", help_text="栏目名称")
    unit = serializers.CharField(source="unit.name", help_text="发布机构")
    url = serializers.CharField(source="get_absolute_url", help_text="信息页地址")

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "summary",
            "kind",
            "column",
            "column_name",
            "unit",
            "byline",
            "source",
            "source_url",
            "published_at",
            "url",
            "index_number",
            "document_number",
            "issuing_body",
            "written_on",
            "validity",
            "policy",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    """信息 — one published article with its (sanitised) body and attachments."""

    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "attachments"]


class ServiceMaterialSerializer(serializers.ModelSerializer):
    """申请材料 — name, basis, format, copies, signature or seal."""

    class Meta:
        model = ServiceMaterial
        fields = ["name", "basis", "form", "copies", "endorsement", "required"]


class ServiceDocumentSerializer(serializers.ModelSerializer):
    """表格下载 — a blank form, filling instructions or a sample document."""

    url = serializers.FileField(source="file", use_url=True, help_text="下载地址")

    class Meta:
        model = ServiceDocument
        fields = ["kind", "title", "url"]


class ServiceItemSerializer(serializers.ModelSerializer):
    """办事事项 — a published service item with its guide."""

    unit = serializers.CharField(source="unit.name", help_text="办理单位")
    url = serializers.CharField(source="get_absolute_url", help_text="办事指南页地址")
    procedure = serializers.ListField(
        source="procedure_steps", child=serializers.CharField(), help_text="办理流程，每步一项"
    )
    materials = ServiceMaterialSerializer(many=True, read_only=True)
    documents = ServiceDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "name",
            "code",
            "kind",
            "summary",
            "unit",
            "url",
            "legal_basis",
            "conditions",
            "procedure",
            "time_limit",
            "fees",
            "office",
            "office_hours",
            "contact",
            "online_url",
            "materials",
            "documents",
            "updated_at",
        ]

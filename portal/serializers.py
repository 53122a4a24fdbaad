"""开放数据 — the JSON shapes of the open-data API: public fields only, each named explicitly.

Nothing here uses fields="__all__" or exclude: a field added to a model later (an author, a
review status, a citizen's phone) stays out of the API until someone lists it here.

Enumerations are given as their codes ("policy", "valid"), as the schema lists them, each
with a *_label beside it in words; url fields are absolute, at the owning site's primary host
(columns.site_urls); a link the object does not have is null, not an empty string.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from columns.models import Column
from columns.site_urls import absolute_url, object_url
from interaction.models import Message
from publishing.models import (
    Article,
    Attachment,
    ServiceDocument,
    ServiceItem,
    ServiceMaterial,
)

ABSOLUTE_URL = {"type": "string", "format": "uri"}


@extend_schema_field(ABSOLUTE_URL)
class PageUrlField(serializers.Field):
    """The object's public page, absolute at its own site's primary host."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return object_url(obj)


@extend_schema_field({**ABSOLUTE_URL, "nullable": True})
class OptionalLinkField(serializers.URLField):
    """A link the object may lack (来源链接, 网上办理链接): null when it has none."""

    def to_representation(self, value):
        return value or None


def label_of(field, help_text):
    """The words of an enumeration field's code, in the interface language."""
    return serializers.CharField(source=f"get_{field}_display", read_only=True, help_text=help_text)


class ColumnSerializer(serializers.ModelSerializer):
    """栏目 — a node of the site's column tree."""

    path = serializers.SerializerMethodField(help_text="栏目路径，如 news/headlines")
    url = serializers.SerializerMethodField(help_text="栏目页地址")
    category_label = label_of("category", "栏目类别名称")
    unit = serializers.CharField(source="unit.name", default=None, help_text="责任单位")

    class Meta:
        model = Column
        fields = [
            "id",
            "name",
            "slug",
            "parent",
            "path",
            "url",
            "category",
            "category_label",
            "description",
            "unit",
        ]

    def get_path(self, column) -> str:
        # The view passes every path of the site, read in one query (see api.column_paths).
        return self.context["column_paths"][column.pk]

    @extend_schema_field(ABSOLUTE_URL)
    def get_url(self, column):
        return absolute_url(column.site_id, f"/columns/{self.get_path(column)}/")


class AttachmentSerializer(serializers.ModelSerializer):
    """附件 — a file published with an article."""

    url = serializers.FileField(source="file", use_url=True, help_text="下载地址")

    class Meta:
        model = Attachment
        fields = ["title", "url", "size"]


class ArticleSerializer(serializers.ModelSerializer):
    """信息 — a published article as listed: its metadata without the body."""

    kind_label = label_of("kind", "信息类型名称")
    validity_label = label_of("validity", "有效性名称")
    column_name = serializers.CharField(source="column.name", help_text="栏目名称")
    unit = serializers.CharField(source="unit.name", help_text="发布机构")
    source_url = OptionalLinkField(help_text="来源链接，没有时为 null")
    url = PageUrlField(help_text="信息页地址")

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "summary",
            "kind",
            "kind_label",
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
            "validity_label",
            "policy",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    """信息 — one published article with its (sanitised) body and attachments."""

    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "attachments"]


class ServiceMaterialSerializer(serializers.ModelSerializer):
    """申请材料 — name, basis, format, copies, signature or seal."""

    form_label = label_of("form", "材料形式名称")
    endorsement_label = label_of("endorsement", "签字盖章要求名称")

    class Meta:
        model = ServiceMaterial
        fields = [
            "name",
            "basis",
            "form",
            "form_label",
            "copies",
            "endorsement",
            "endorsement_label",
            "required",
        ]


class ServiceDocumentSerializer(serializers.ModelSerializer):
    """表格下载 — a blank form, filling instructions or a sample document."""

    url = serializers.FileField(source="file", use_url=True, help_text="下载地址")
    kind_label = label_of("kind", "类型名称")

    class Meta:
        model = ServiceDocument
        fields = ["kind", "kind_label", "title", "url"]


class ServiceItemSerializer(serializers.ModelSerializer):
    """办事事项 — a published service item with its guide."""

    kind_label = label_of("kind", "事项类型名称")
    unit = serializers.CharField(source="unit.name", help_text="办理单位")
    url = PageUrlField(help_text="办事指南页地址")
    online_url = OptionalLinkField(help_text="网上办理链接，没有时为 null")
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
            "kind_label",
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


class PublicMessageSerializer(serializers.ModelSerializer):
    """留言公开 — 受理日期, 答复日期, 答复部门, 答复内容 of a published exchange, as published:
    the text with personal data masked (interaction.masking)."""

    kind_label = label_of("kind", "留言类型名称")
    subject = serializers.CharField(source="public_subject", help_text="标题")
    content = serializers.CharField(source="public_content", help_text="留言内容")
    reply_body = serializers.CharField(source="public_reply", help_text="答复内容")
    reply_unit = serializers.CharField(source="reply_unit.name", default="", help_text="答复部门")
    url = PageUrlField(help_text="留言页地址")

    class Meta:
        model = Message
        fields = [
            "id",
            "kind",
            "kind_label",
            "subject",
            "content",
            "received_at",
            "answered_at",
            "reply_unit",
            "reply_body",
            "url",
        ]

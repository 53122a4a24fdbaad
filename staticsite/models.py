"""What the static publisher wrote (页面), what each page shows (tags) and what waits to be
rendered again (待发布)."""

from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce


class ContentTag(models.Model):
    """内容标签 — a name of what pages show, as publishing.page_tags spells it ("article:12",
    "column:3", "site:1"), with the moment content under it last changed."""

    name = models.CharField(max_length=100, unique=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name


class PublishedPage(models.Model):
    """静态页面 — one public page written as a file: host and path (with ?page=N for a list's
    later pages), the file under STATIC_PAGES_ROOT, the sha256 of its bytes, when its render
    started, the templates' fingerprint it was rendered with and the tags it declared."""

    site = models.ForeignKey("columns.Site", on_delete=models.CASCADE, related_name="+")
    host = models.CharField(max_length=253)
    path = models.CharField(max_length=500)
    file = models.CharField(max_length=800)
    fingerprint = models.CharField(max_length=64)
    templates_fingerprint = models.CharField(max_length=64)
    rendered_at = models.DateTimeField()
    # The through table is indexed on its tag: "pages showing X" is one query.
    tags = models.ManyToManyField(ContentTag, related_name="pages")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["host", "path"], name="published_page_host_path")
        ]

    def __str__(self):
        return f"{self.host}{self.path}"


class PendingRender(models.Model):
    """待发布 — a page to render again; one row per page however many changes asked for it
    (coalescing), deleted in the transaction that wrote the page. Workers take the lowest
    priority first, then the oldest: a change's pages before the backlog of a rebuild."""

    #: Priorities: the pages of a change readers open (an article, a homepage, a list's first
    #: page), then the change's other pages (a list's later pages, shifted by one item; feeds
    #: and sitemaps), then a rebuild.
    CHANGE, CHANGE_FOLLOWING, REBUILD = 0, 1, 2

    site = models.ForeignKey("columns.Site", on_delete=models.CASCADE, related_name="+")
    host = models.CharField(max_length=253)
    path = models.CharField(max_length=500)
    queued_at = models.DateTimeField()
    priority = models.PositiveSmallIntegerField(default=CHANGE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["host", "path"], name="pending_render_host_path")
        ]
        indexes = [
            models.Index(fields=["priority", "queued_at", "id"], name="pending_render_next"),
        ]

    def __str__(self):
        return f"{self.host}{self.path}"


class FileChange(models.Model):
    """文件变更 — a file the publisher placed or deleted under STATIC_PAGES_ROOT, in order: what
    the public hosts must be told. Kept until every public host has acknowledged it."""

    file = models.CharField(max_length=800)
    deleted = models.BooleanField(default=False)
    at = models.DateTimeField()

    def __str__(self):
        return f"{'-' if self.deleted else '+'}{self.file}"


class PublicHost(models.Model):
    """公网发布主机 (分发目标) — a public web host whose nginx serves its own copy of the files:
    the workers send it every change after the last one it acknowledged (its receiver's
    answer to the PUT or DELETE), so a host that was down catches up on the next run. Its log
    of the pages it served is read through the receiver too (VisitsLogPosition)."""

    name = models.CharField(max_length=100, unique=True)
    receiver_url = models.URLField(
        help_text="The host's receiver (deploy/nginx/portal-pages-receiver.conf), e.g. "
        "http://10.0.0.31:8090/"
    )
    acknowledged = models.BigIntegerField(default=0)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return self.name


class VisitsLogPosition(models.Model):
    """访问日志读取位置 — how far a web server's log of the published pages it answered was
    counted (staticsite.visit_log): the offset read up to, while the log's first line still
    has the sha256 head. One per public host, and one without a host for the log of nginx on
    the application's own machine (STATIC_PAGES_LOCAL_ACCESS_LOG)."""

    public_host = models.OneToOneField(
        PublicHost, null=True, blank=True, on_delete=models.CASCADE, related_name="visits_log"
    )
    head = models.CharField(max_length=64, blank=True)
    offset = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # Unique with the local log's empty host counted as one value: one row per log.
            models.UniqueConstraint(
                Coalesce("public_host", Value(0)), name="visits_log_position_per_log"
            )
        ]

    def __str__(self):
        return f"{self.public_host or 'local'} @{self.offset}"

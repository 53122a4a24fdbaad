"""Whose public page it is — the column and article a page of a site shows, where known."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageOwner(models.Model):
    """The column and article of a public page (kept when they are deleted: SET_NULL), shared
    by the records monitoring keeps per page (unusable links, visits)."""

    column = models.ForeignKey(
        "columns.Column",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("column"),
    )
    article = models.ForeignKey(
        "publishing.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article"),
    )

    class Meta:
        abstract = True

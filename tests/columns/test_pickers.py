"""Pickers say what a choice is: a column with its site and path, an account with its
name and unit."""

import re

import pytest
from django.urls import reverse

from columns.models import Column, Unit

pytestmark = pytest.mark.django_db


def options(html, select_name):
    select = re.search(rf'<select name="{select_name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, select_name
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select[1])]


def test_article_column_picker_names_site_and_path(login_as, demo):
    html = login_as("edu_liaison").get(reverse("admin:publishing_article_add")).content.decode()
    edu_news = Column.objects.get(site=demo, slug="edu-news")
    label = f"{demo.name} · 新闻动态 / 部门动态 / 教育动态"
    assert label in options(html, "column")
    assert edu_news.name in label
    # Every column is named with its site: the same name on two sites is told apart.
    assert all(" · " in option for option in options(html, "column") if option != "---------")


def test_word_import_column_picker_names_site_and_path(login_as, demo):
    html = login_as("edu_liaison").get("/admin/publishing/article/import-word/").content.decode()
    assert f"{demo.name} · 新闻动态 / 部门动态 / 教育动态" in options(html, "column")


def test_unit_liaison_picker_shows_name_and_unit(login_as):
    unit = Unit.objects.get(name="区教育局")
    html = login_as("operator").get(reverse("admin:columns_unit_change", args=[unit.pk]))
    labels = options(html.content.decode(), "liaison")
    assert "教育信息员（区教育局 · edu_liaison）" in labels
    assert "edu_liaison" not in labels

"""Public URLs of the publishing app."""

from django.urls import path

from . import feeds, views

app_name = "publishing"
urlpatterns = [
    # Before the column page: a column path is any depth, so its feed is matched first.
    path("columns/<path:path>/rss.xml", feeds.ColumnFeed(), name="column_feed"),
    path("columns/<path:path>/", views.column_page, name="column"),
    path("articles/<int:pk>/", views.article_page, name="article"),
    path("articles/<int:pk>/print/", views.article_print, name="article_print"),
    path("xxgk/", views.disclosure_home, name="disclosure"),
    path("xxgk/guide/", views.disclosure_guide, name="disclosure_guide"),
    path("xxgk/catalogue/", views.disclosure_catalogue, name="disclosure_catalogue"),
    path("xxgk/annual-reports/", views.annual_reports, name="annual_reports"),
    path("services/", views.service_catalogue, name="services"),
    path("services/<int:pk>/", views.service_guide, name="service_guide"),
]

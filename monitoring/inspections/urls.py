"""Public URLs of inspection results (included by monitoring.urls under inspections/)."""

from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("scores/<int:year>/", views.year_ranking, name="ranking"),
    path("scores/<int:year>/<int:month>/", views.month_table, name="month"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/xlsx/", views.report_xlsx, name="report_xlsx"),
]

"""Public URLs of the monitoring app."""

from django.urls import include, path

app_name = "monitoring"
urlpatterns = [path("inspections/", include("monitoring.inspections.urls"))]

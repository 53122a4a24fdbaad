"""Public URLs of 依申请公开."""

from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("", views.index, name="index"),
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.done, name="done"),
    path("track/", views.track, name="track"),
    path("track/status/", views.track_status, name="track_status"),
    path("track/clarify/", views.clarify, name="clarify"),
    path("track/notice/", views.notice, name="notice"),
]

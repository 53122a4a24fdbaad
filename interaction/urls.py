"""Public URLs of the interaction app."""

from django.urls import include, path

from . import api, views

app_name = "interaction"
urlpatterns = [
    path("", include("interaction.participation.urls")),
    path("messages/", views.message_list, name="message_list"),
    path("messages/<int:pk>/", views.message_detail, name="message_detail"),
    path("messages/new/", views.message_new, name="message_new"),
    path("messages/new/done/", views.message_done, name="message_done"),
    path("messages/track/", views.track, name="track"),
    path("messages/track/status/", views.track_status, name="track_status"),
    path("messages/track/<str:action>/", views.track_act, name="track_act"),
    path("calendar-health/", views.calendar_health, name="calendar_health"),
    path("api/staff/messages/", api.StaffMessageList.as_view(), name="api_staff_messages"),
    path(
        "api/staff/messages/<int:pk>/",
        api.StaffMessageDetail.as_view(),
        name="api_staff_message",
    ),
]

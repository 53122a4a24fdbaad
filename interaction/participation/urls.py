"""Public URLs of consultations, surveys and interviews, under /interaction/."""

from django.urls import path

from . import views

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("interviews/", views.interview_list, name="interview_list"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/live.json", views.interview_live, name="interview_live"),
]

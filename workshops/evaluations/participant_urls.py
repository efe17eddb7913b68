"""The participant's questionnaires, by personal link: mounted beside their page at /<language>/participant/."""

from django.urls import path

from . import views

app_name = "participant_evaluations"

urlpatterns = [
    path("<str:token>/questionnaires/<int:pk>/", views.participant_answer, name="answer"),
]

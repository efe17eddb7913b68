"""The participant's own page, by personal link (no account): mounted at /<language>/participant/."""

from django.urls import path

from . import views

app_name = "participant"

urlpatterns = [
    path("new-link/", views.participant_link_request, name="link_request"),
    path("<str:token>/", views.participant_page, name="page"),
    path("<str:token>/calendar.ics", views.participant_calendar, name="calendar"),
    path("<str:token>/certificate.pdf", views.participant_certificate, name="certificate"),
]

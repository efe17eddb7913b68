from django.urls import path

from . import views

app_name = "mailings"

urlpatterns = [
    path("", views.mailing_list, name="mailing_list"),
    path("new/", views.mailing_create, name="mailing_create"),
    path("<int:pk>/", views.mailing_detail, name="mailing_detail"),
    path("<int:pk>/edit/", views.mailing_edit, name="mailing_edit"),
    path("<int:pk>/preview/", views.mailing_preview, name="mailing_preview"),
    path("<int:pk>/send/", views.mailing_send, name="mailing_send"),
    path("<int:pk>/status/", views.mailing_status, name="mailing_status"),
    path("<int:pk>/retry/", views.mailing_retry, name="mailing_retry"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
]

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("templates/", views.template_list, name="template_list"),
    path("templates/<slug:kind>/", views.template_edit, name="template_edit"),
    path("templates/<slug:kind>/reset/", views.template_reset_view, name="template_reset"),
    path("log/", views.log, name="log"),
    path("my-preference/", views.preference, name="preference"),
]

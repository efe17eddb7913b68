from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("", views.expert_list, name="list"),
    path("new/", views.expert_create, name="create"),
    path("import/", views.expert_import, name="import"),
    path("me/", views.my_profile, name="me"),
    path("<int:pk>/", views.expert_detail, name="detail"),
    path("<int:pk>/edit/", views.expert_update, name="update"),
    path("<int:pk>/accreditation/", views.expert_accreditation, name="accreditation"),
    path("<int:pk>/languages/", views.expert_languages, name="languages"),
    path("<int:pk>/availability/", views.availability_add, name="availability_add"),
    path("<int:pk>/availability/<int:window_pk>/remove/", views.availability_remove, name="availability_remove"),
    path("<int:pk>/cv/", views.cv_download, name="cv"),
    path("<int:pk>/cv/upload/", views.cv_upload, name="cv_upload"),
]

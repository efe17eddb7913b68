from django.urls import path

from . import hs_views, image_views, views

app_name = "algorithms"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("cards/<slug:slug>/", views.card, name="card"),
    path("cards/<slug:slug>/edit/", views.card_edit, name="card_edit"),
    path("cards/<slug:slug>/publication/<slug:action>/", views.card_publication, name="card_publication"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/publication/<slug:action>/", views.version_publication, name="version_publication"),
    path("versions/<int:pk>/alias/", views.version_alias, name="version_alias"),
    path("datasets/", views.dataset_list, name="dataset_list"),
    path("datasets/new/", views.dataset_upload, name="dataset_upload"),
    path("datasets/<int:pk>/", views.dataset_detail, name="dataset_detail"),
    path("datasets/<int:pk>/download/", views.dataset_download, name="dataset_download"),
    path("datasets/<int:pk>/samples/<int:index>/", views.dataset_thumbnail, name="dataset_thumbnail"),
    path("datasets/<int:pk>/hs-codes/", views.dataset_hs_codes, name="dataset_hs_codes"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/new/", views.job_create, name="job_create"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
    path("jobs/<int:pk>/rerun/", views.job_rerun, name="job_rerun"),
    path("artifacts/<int:pk>/", views.artifact_download, name="artifact_download"),
    path("hs/", views.hs_suggest, name="hs_suggest"),
    path("hs/feedback/", hs_views.hs_feedback, name="hs_feedback"),
    path("hs/labelled/", hs_views.hs_labelled_list, name="hs_labelled_list"),
    path("hs/labelled/review/", hs_views.hs_labelled_review, name="hs_labelled_review"),
    path("hs/labelled/train/", hs_views.hs_labelled_train, name="hs_labelled_train"),
    path("hs/batch/", hs_views.hs_batch, name="hs_batch"),
    path("images/classify/", image_views.image_classify, name="image_classify"),
]

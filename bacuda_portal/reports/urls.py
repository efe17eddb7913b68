from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("", views.report_list, name="report_list"),
    path("request/<str:kind>/", views.report_request, name="report_request"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/status/", views.report_status, name="report_status"),
    path("<int:pk>/download/", views.report_download, name="report_download"),
    path("<int:pk>/retry/", views.report_retry, name="report_retry"),
    path("narrative/", views.narrative_edit, name="narrative_edit"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    # Public: the PDF of a published model card (see access.get_public_model_card_pdf).
    path("model-cards/<slug:slug>/<str:language>.pdf", views.model_card_pdf, name="model_card_pdf"),
]

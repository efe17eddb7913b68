from django.urls import path

from . import framework_views, views

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
    # The results framework, set up by staff (the admin stays for repairs).
    path("framework/", framework_views.framework, name="framework"),
    path("framework/objectives/new/", framework_views.objective_edit, name="objective_create"),
    path("framework/objectives/<int:pk>/", framework_views.objective_edit, name="objective_edit"),
    path("framework/objectives/<int:pk>/delete/", framework_views.objective_delete, name="objective_delete"),
    path("framework/indicators/new/", framework_views.indicator_edit, name="indicator_create"),
    path("framework/indicators/<int:pk>/", framework_views.indicator_detail, name="indicator_detail"),
    path("framework/indicators/<int:pk>/edit/", framework_views.indicator_edit, name="indicator_edit"),
    path("framework/indicators/<int:pk>/active/", framework_views.indicator_active, name="indicator_active"),
    path("framework/indicators/<int:indicator_pk>/targets/", framework_views.target_edit, name="target_add"),
    path("framework/targets/<int:pk>/", framework_views.target_edit, name="target_edit"),
    path("framework/targets/<int:pk>/delete/", framework_views.target_delete, name="target_delete"),
    path("framework/indicators/<int:indicator_pk>/values/", framework_views.value_edit, name="value_add"),
    path("framework/values/<int:pk>/", framework_views.value_edit, name="value_edit"),
    path("framework/values/<int:pk>/delete/", framework_views.value_delete, name="value_delete"),
    # Public: the PDF of a published model card (see access.get_public_model_card_pdf).
    path("model-cards/<slug:slug>/<str:language>.pdf", views.model_card_pdf, name="model_card_pdf"),
]

from django.urls import path

from . import views

app_name = "scholarships"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/apply/", views.application_start, name="application_start"),
    path("applications/", views.staff_application_list, name="staff_application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/step/<slug:step>/", views.application_step, name="application_step"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/documents/<slug:name>/", views.application_document, name="application_document"),
    path("applications/<int:pk>/endorse/", views.endorsement_decide, name="endorsement_decide"),
    path("applications/<int:pk>/eligibility/", views.eligibility_override, name="eligibility_override"),
    path("endorsements/", views.endorsement_list, name="endorsement_list"),
    path("endorsements/<int:call_pk>/rank/", views.endorsement_rank, name="endorsement_rank"),
]

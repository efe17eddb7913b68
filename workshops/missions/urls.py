from django.urls import path

from . import views

app_name = "missions"

urlpatterns = [
    path("", views.mission_list, name="list"),
    path("new/", views.mission_create, name="create"),
    path("approve/", views.missions_bulk_approve, name="bulk_approve"),
    path("<int:pk>/", views.mission_detail, name="detail"),
    path("<int:pk>/edit/", views.mission_update, name="update"),
    path("<int:pk>/request/", views.travel_request_edit, name="request_edit"),
    path("<int:pk>/request/submit/", views.travel_request_submit, name="request_submit"),
    path("<int:pk>/request/approve/", views.travel_request_approve, name="request_approve"),
    path("<int:pk>/request/reject/", views.travel_request_reject, name="request_reject"),
    path("<int:pk>/claim/lines/new/", views.claim_line_add, name="claim_line_add"),
    path("<int:pk>/claim/submit/", views.claim_submit, name="claim_submit"),
    path("<int:pk>/claim/approve/", views.claim_approve, name="claim_approve"),
    path("<int:pk>/claim/reject/", views.claim_reject, name="claim_reject"),
    path("<int:pk>/claim/paid/", views.claim_mark_paid, name="claim_mark_paid"),
    path("claim-lines/<int:pk>/remove/", views.claim_line_remove, name="claim_line_remove"),
    path("claim-lines/<int:pk>/receipt/", views.claim_line_receipt, name="claim_line_receipt"),
]

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
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/documents/<slug:name>/", views.application_document, name="application_document"),
    path("applications/<int:pk>/endorse/", views.endorsement_decide, name="endorsement_decide"),
    path("applications/<int:pk>/eligibility/", views.eligibility_override, name="eligibility_override"),
    path("endorsements/", views.endorsement_list, name="endorsement_list"),
    path("endorsements/<int:call_pk>/rank/", views.endorsement_rank, name="endorsement_rank"),
    # Review: the reviewer's pages, and staff running it per call.
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<int:pk>/", views.review_form, name="review_form"),
    path("reviews/<int:pk>/conflict/", views.review_conflict, name="review_conflict"),
    path("reviews/<int:pk>/documents/<slug:name>/", views.review_document, name="review_document"),
    path("calls/<int:pk>/review/", views.call_review, name="call_review"),
    path("calls/<int:pk>/review/assign/", views.reviews_assign, name="reviews_assign"),
    path("calls/<int:pk>/review/assign-one/", views.review_assign_one, name="review_assign_one"),
    path("calls/<int:pk>/review/assign-many/", views.reviewers_bulk_assign, name="reviewers_bulk_assign"),
    # Ranking, decisions, letters, offers.
    path("calls/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("applications/<int:pk>/decision/", views.decision_record, name="decision_record"),
    path("calls/<int:pk>/decisions/bulk/", views.decisions_bulk, name="decisions_bulk"),
    path("calls/<int:pk>/decisions/release/", views.decisions_release, name="decisions_release"),
    path("calls/<int:pk>/letters/", views.outbox, name="outbox"),
    path("letters/<int:pk>/", views.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/approve/", views.letter_approve, name="letter_approve"),
    path("applications/<int:pk>/offer/", views.offer_reply, name="offer_reply"),
    path("calls/<int:pk>/offers/", views.offer_list, name="offer_list"),
    path("offers/<int:pk>/confirm/", views.offer_confirm, name="offer_confirm"),
    path("applications/<int:pk>/outcome/", views.programme_outcome_record, name="programme_outcome_record"),
    # Programmes and calls set up by staff.
    path("manage/programmes/", views.programme_manage, name="programme_manage"),
    path("manage/programmes/new/", views.programme_edit, name="programme_create"),
    path("manage/programmes/<int:pk>/", views.programme_edit, name="programme_edit"),
    path("manage/calls/", views.call_manage, name="call_manage"),
    path("manage/calls/new/", views.call_edit, name="call_create"),
    path("manage/calls/<int:pk>/", views.call_edit, name="call_edit"),
    path("manage/calls/<int:pk>/copy/", views.call_copy, name="call_copy"),
    path("manage/calls/<int:pk>/letters/<slug:outcome>/", views.letter_template_edit, name="letter_template_edit"),
    # Data protection.
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/erasure/", views.erasure_request, name="erasure_request"),
    path("erasure-requests/", views.erasure_list, name="erasure_list"),
    path("erasure-requests/<int:pk>/carry-out/", views.erasure_carry_out, name="erasure_carry_out"),
]

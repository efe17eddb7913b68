from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("", views.workshop_list, name="list"),
    path("new/", views.workshop_create, name="create"),
    path("dashboard/", views.staff_dashboard, name="dashboard"),
    path("calendar.ics", views.public_calendar, name="public_calendar"),
    path("my-calendar/", views.calendar_feed, name="calendar_feed"),
    path("my-calendar/<str:key>.ics", views.personal_calendar, name="personal_calendar"),
    path("<int:pk>/calendar.ics", views.workshop_calendar, name="calendar"),
    path("<int:pk>/programme/", views.workshop_programme, name="programme"),
    path("<int:pk>/", views.workshop_detail, name="detail"),
    path("<int:pk>/edit/", views.workshop_edit, name="edit"),
    path("<int:pk>/status/<slug:action>/", views.workshop_transition, name="transition"),
    path("<int:pk>/sessions/", views.session_add, name="session_add"),
    path("<int:pk>/sessions/<int:session_pk>/remove/", views.session_remove, name="session_remove"),
    path("<int:pk>/quota/<int:beneficiary_pk>/", views.quota_update, name="quota_update"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/certificates/issue/", views.certificates_issue, name="certificates_issue"),
    path("certificates/issue-many/", views.certificates_issue_many, name="certificates_issue_many"),
    path("<int:pk>/certificates.zip", views.certificates_zip, name="certificates_zip"),
    path("<int:pk>/certificates/<int:certificate_pk>/retry/", views.certificate_retry, name="certificate_retry"),
    path("<int:pk>/certificates/<int:certificate_pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("<int:pk>/certificates/<int:certificate_pk>/reissue/", views.certificate_reissue, name="certificate_reissue"),
    path("certificates/<int:certificate_pk>/download/", views.certificate_download, name="certificate_download"),
    path("certificates/verify/", views.certificate_verify, name="certificate_lookup"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("<int:pk>/clikc/users.csv", views.clikc_users, name="clikc_users"),
    path("<int:pk>/clikc/completions/import/", views.clikc_completions_import, name="clikc_completions_import"),
    path("<int:pk>/nominate/", views.nomination_create, name="nomination_create"),
    path("<int:pk>/nominations/bulk/", views.nominations_bulk, name="nominations_bulk"),
    path("<int:pk>/nominations/import/", views.nomination_import, name="nomination_import"),
    path("past-activities/import/", views.past_activity_import, name="past_activity_import"),
    path("<int:pk>/offer-next/", views.nomination_offer_next, name="nomination_offer_next"),
    path("nominations/<int:nomination_pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path(
        "nominations/<int:nomination_pk>/personal-link/send/", views.participant_link_send, name="participant_link_send"
    ),
    path(
        "nominations/<int:nomination_pk>/personal-link/revoke/",
        views.participant_links_revoke,
        name="participant_links_revoke",
    ),
    path("nominations/<int:nomination_pk>/<slug:action>/", views.nomination_decide, name="nomination_decide"),
    path("<int:pk>/experts/", views.assignment_create, name="assignment_create"),
    path("<int:pk>/experts/find/", views.assignment_search, name="assignment_search"),
    path("<int:pk>/experts/<int:assignment_pk>/appraise/", views.assignment_appraise, name="assignment_appraise"),
    path("assignments/<int:assignment_pk>/<slug:answer>/", views.assignment_answer, name="assignment_answer"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:request_pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<int:request_pk>/<slug:action>/", views.request_decide, name="request_decide"),
]

from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("questions/", views.question_list, name="question_list"),
    path("questions/new/", views.question_create, name="question_create"),
    path("questions/<int:pk>/edit/", views.question_update, name="question_update"),
    path("workshops/<int:pk>/", views.workshop_questionnaires, name="workshop_questionnaires"),
    path("workshops/<int:pk>/copy/", views.questionnaires_copy, name="questionnaires_copy"),
    path("workshops/<int:pk>/results/", views.workshop_results, name="workshop_results"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/settings/", views.questionnaire_settings, name="questionnaire_settings"),
    path("questionnaires/<int:pk>/questions/", views.questionnaire_items, name="questionnaire_items"),
    path("questionnaires/<int:pk>/open/", views.questionnaire_open, name="questionnaire_open"),
    path("questionnaires/<int:pk>/close/", views.questionnaire_close, name="questionnaire_close"),
    path("questionnaires/<int:pk>/preview/", views.questionnaire_preview, name="questionnaire_preview"),
]

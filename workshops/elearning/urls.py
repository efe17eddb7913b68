from django.urls import path

from . import views

app_name = "elearning"

# Courses live under courses/<code>/ so that no course code can collide with "new/" or the other pages.
urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("new/", views.course_create, name="course_create"),
    path("courses/<slug:code>/", views.course_detail, name="course_detail"),
    path("courses/<slug:code>/edit/", views.course_update, name="course_update"),
    path("courses/<slug:code>/advance/", views.course_advance, name="course_advance"),
    path("courses/<slug:code>/send-back/", views.course_send_back, name="course_send_back"),
    path("courses/<slug:code>/publish/", views.course_publish, name="course_publish"),
    path("courses/<slug:code>/milestones/", views.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/edit/", views.milestone_update, name="milestone_update"),
    path("milestones/<int:pk>/done/", views.milestone_complete, name="milestone_complete"),
    path("milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("checklist/<int:pk>/tick/", views.checklist_tick, name="checklist_tick"),
]

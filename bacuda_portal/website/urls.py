from django.urls import path

from . import news_views, views

app_name = "website"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("news/", views.news_list, name="news"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
    path("events/", views.events, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("elearning-courses/", views.courses, name="courses"),
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.contact_thanks, name="contact_thanks"),
    # Staff write the news here (the admin remains for repairs).
    path("staff/news/", news_views.news_manage, name="news_manage"),
    path("staff/news/new/", news_views.news_edit, name="news_create"),
    path("staff/news/<int:pk>/", news_views.news_edit, name="news_edit"),
    path("staff/news/<int:pk>/preview/", news_views.news_preview, name="news_preview"),
    path("staff/news/<int:pk>/delete/", news_views.news_delete, name="news_delete"),
]

from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("administrations/", views.administration_list, name="administration_list"),
    path("administrations/<str:code>/", views.administration_detail, name="administration_detail"),
    path("administrations/<str:code>/invite/", views.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("account/api-token/", views.api_token, name="api_token"),
]

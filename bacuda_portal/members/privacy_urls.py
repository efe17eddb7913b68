"""Data protection: the person's own data (under the account) and the staff's register."""

from django.urls import path

from . import privacy_views

app_name = "privacy"

urlpatterns = [
    path("account/my-data/", privacy_views.my_data, name="my_data"),
    path("account/my-data/export/", privacy_views.export_request, name="export_request"),
    path("account/my-data/export/<int:pk>/", privacy_views.export_download, name="export_download"),
    path("account/my-data/erasure/", privacy_views.erasure_request, name="erasure_request"),
    path("staff/data-protection/", privacy_views.register, name="register"),
    path(
        "staff/data-protection/erasure/<int:pk>/carry-out/", privacy_views.erasure_carry_out, name="erasure_carry_out"
    ),
]

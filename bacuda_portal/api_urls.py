"""The versioned API's URLs: included by the project's URLconf and used alone to generate the OpenAPI schema."""

from django.urls import include, path

urlpatterns = [
    path("api/v1/", include(("bacuda_portal.api", "api"), namespace="v1")),
]

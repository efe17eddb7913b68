"""The project's one API router: every app registers its viewsets here, under /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from bacuda_portal.members import api as members_api

router = DefaultRouter()
router.register("regions", members_api.RegionViewSet, basename="region")
router.register("administrations", members_api.AdministrationViewSet, basename="administration")
router.register("contact-points", members_api.ContactPointViewSet, basename="contact-point")

urlpatterns = [
    path("me/", members_api.MeView.as_view(), name="me"),
    *router.urls,
]

"""The project's one API router: every app registers its viewsets here, under /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from algorithms import api as algorithms_api
from bacuda_portal.members import api as members_api
from bacuda_portal.reports import api as reports_api
from bacuda_portal.reports import framework_api
from bacuda_portal.website import api as website_api
from scholarships import api as scholarships_api
from workshops import api as workshops_api
from workshops.elearning import api as elearning_api
from workshops.evaluations import api as evaluations_api
from workshops.experts import api as experts_api
from workshops.missions import api as missions_api


class PortalRouter(DefaultRouter):
    # No ".json" suffix routes: a custom action whose signature lacks ``format`` answered them with a 500, and the
    # format is chosen by the Accept header (or ?format=) anyway.
    include_format_suffixes = False


router = PortalRouter()
router.register("regions", members_api.RegionViewSet, basename="region")
router.register("administrations", members_api.AdministrationViewSet, basename="administration")
router.register("contact-points", members_api.ContactPointViewSet, basename="contact-point")
router.register("courses", elearning_api.CourseViewSet, basename="course")
router.register("experts", experts_api.ExpertViewSet, basename="expert")
router.register("missions", missions_api.MissionViewSet, basename="mission")
router.register("workshops", workshops_api.WorkshopViewSet, basename="workshop")
router.register("nominations", workshops_api.NominationViewSet, basename="nomination")
router.register("assignments", workshops_api.AssignmentViewSet, basename="assignment")
router.register("workshop-requests", workshops_api.WorkshopRequestViewSet, basename="workshop-request")
router.register("scholarship-calls", scholarships_api.CallViewSet, basename="scholarship-call")
router.register("scholarship-applications", scholarships_api.ApplicationViewSet, basename="scholarship-application")
router.register("scholarship-reviews", scholarships_api.ReviewViewSet, basename="scholarship-review")
algorithms_api.register(router)
reports_api.register(router)
evaluations_api.register(router)
framework_api.register(router)
website_api.register(router)

urlpatterns = [
    path("me/", members_api.MeView.as_view(), name="me"),
    *router.urls,
]

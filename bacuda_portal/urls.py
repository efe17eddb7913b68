from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from bacuda_portal import api_urls
from bacuda_portal.core import views as core_views

admin.site.site_header = _("BACUDA Portal administration")
admin.site.site_title = _("BACUDA Portal")
admin.site.index_title = _("Manage the BACUDA project")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.liveness, name="liveness"),
    *api_urls.urlpatterns,
    # The schema is generated from the API's own URLs only (not the pages under /en/ and /fr/).
    path(
        "api/schema/", SpectacularAPIView.as_view(api_version="v1", urlconf="bacuda_portal.api_urls"), name="api-schema"
    ),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("staff/health/", core_views.health, name="health"),
    path("workshops/", include("workshops.urls")),
    path("scholarships/", include("scholarships.urls")),
    path("experts/", include("workshops.experts.urls")),
    path("elearning/", include("workshops.elearning.urls")),
    path("missions/", include("workshops.missions.urls")),
    path("algorithms/", include("algorithms.urls")),
    path("reports/", include("bacuda_portal.reports.urls")),
    path("", include("bacuda_portal.members.urls")),
    path("", include("bacuda_portal.website.urls")),
    prefix_default_language=True,
)

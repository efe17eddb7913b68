from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_page
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from bacuda_portal import api_urls, inbox, operations, search
from bacuda_portal.website import views as website_views
from bacuda_portal.website.sitemaps import SITEMAPS

admin.site.site_header = _("BACUDA Portal administration")
admin.site.site_title = _("BACUDA Portal")
admin.site.index_title = _("Manage the BACUDA project")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", operations.liveness, name="liveness"),
    *api_urls.urlpatterns,
    # The schema is generated from the API's own URLs only (not the pages under /en/ and /fr/).
    path(
        "api/schema/", SpectacularAPIView.as_view(api_version="v1", urlconf="bacuda_portal.api_urls"), name="api-schema"
    ),
    # The split view serves Swagger UI's start-up script from its own URL: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    # The public website's good manners: one sitemap for both languages, and robots.txt.
    path("sitemap.xml", cache_page(60 * 60)(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", website_views.robots_txt, name="robots_txt"),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("search/", search.search, name="search"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("dashboard/", inbox.home, name="home"),
    path("staff/health/", operations.health, name="health"),
    path("staff/audit/", operations.audit_log, name="audit_log"),
    path("staff/mailings/", include("bacuda_portal.mailings.urls")),
    path("workshops/", include("workshops.urls")),
    path("participant/", include("workshops.participant_urls")),
    path("participant/", include("workshops.evaluations.participant_urls")),
    path("scholarships/", include("scholarships.urls")),
    path("experts/", include("workshops.experts.urls")),
    path("elearning/", include("workshops.elearning.urls")),
    path("missions/", include("workshops.missions.urls")),
    path("evaluations/", include("workshops.evaluations.urls")),
    path("algorithms/", include("algorithms.urls")),
    path("reports/", include("bacuda_portal.reports.urls")),
    path("staff/notifications/", include("bacuda_portal.notifications.urls")),
    path("", include("bacuda_portal.members.privacy_urls")),
    path("", include("bacuda_portal.members.urls")),
    path("", include("bacuda_portal.website.urls")),
    prefix_default_language=True,
)

# Public uploads (news pictures) when DEBUG; in production the web server serves MEDIA_ROOT at MEDIA_URL.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
# 404.html and 500.html (templates/) are Django's default handlers' templates; 500.html needs no request.

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from bacuda_portal.members import access

from . import selectors


@never_cache
@login_required
def health(request):
    """Staff page: database, broker (with queue sizes), workers and beat."""
    if not access.can_view_operations(request.user):
        raise Http404
    report = selectors.health_report()
    return render(request, "core/health.html", {"report": report}, status=200 if report.ok else 503)


@never_cache
def liveness(request):
    """For load balancers: says only whether this process can reach its database. No details, no login."""
    database = selectors.database_health()
    return HttpResponse(
        "ok" if database.ok else "database unavailable", content_type="text/plain", status=200 if database.ok else 503
    )

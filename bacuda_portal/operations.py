"""The operations pages of staff: the health of the services, the audit log; and the load balancers' liveness.

They sit in the project package, not in ``core``, because they ask the members app who may see them (``core``
depends on none of the portal's apps: docs/architecture.md).
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from bacuda_portal.core import selectors
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.forms import AuditFilterForm
from bacuda_portal.core.pages import query_without_page
from bacuda_portal.members import access

AUDIT_PAGE_SIZE = 50


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


@never_cache
@login_required
def audit_log(request):
    if not access.can_view_operations(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(
        search=filters.get("q", ""),
        action=filters.get("action", ""),
        actor=filters.get("actor", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="bacuda-audit-log",
            header=[_("When"), _("Actor"), _("Action"), _("Target type"), _("Target id"), _("Target"), _("Details")],
            rows=(
                (
                    timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                    entry.actor.email if entry.actor else "",
                    entry.action,
                    entry.target_type.model if entry.target_type else "",
                    entry.target_id,
                    entry.target_repr,
                    json.dumps(entry.data, ensure_ascii=False, sort_keys=True, default=str),
                )
                for entry in entries.iterator(chunk_size=1000)
            ),
            actor=request.user,
            action="core.audit_log.exported",
        )
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"form": form, "page": page, "query": query_without_page(request)})

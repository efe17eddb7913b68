"""The staff search of the audit log: who did what, when, to which object; with filters, paging and a CSV export.

The filter form, the read (selector) and the page live together here because the page is the only reader of the
log outside the Django admin. Staff only: everyone else gets 404 (anonymous users the sign-in page).
"""

import datetime as dt
import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from bacuda_portal.members import access

from .csv_export import csv_response
from .models import AuditEntry
from .pages import query_without_page

PAGE_SIZE = 50
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Actor email, action or target."),
    )
    action = forms.CharField(label=_("Action starts with"), required=False, max_length=100)
    actor = forms.EmailField(label=_("Actor email"), required=False, max_length=254)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries(
    *,
    search: str = "",
    action: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries matching the filters, newest first, with their actor and target type (no query per row)."""
    entries = AuditEntry.objects.select_related("actor", "target_type").order_by("-created_at", "-id")
    search = search.strip()
    if search:
        entries = entries.filter(
            Q(actor__email__icontains=search)
            | Q(action__icontains=search)
            | Q(target_repr__icontains=search)
            | Q(target_id=search)
        )
    if action.strip():
        entries = entries.filter(action__startswith=action.strip())
    if actor:
        entries = entries.filter(actor__email__iexact=actor)
    if date_from:
        entries = entries.filter(created_at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(created_at__lt=_start_of(date_to + dt.timedelta(days=1)))
    return entries


@never_cache
@login_required
def audit_log(request):
    if not access.can_view_operations(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(
        search=filters.get("q", ""),
        action=filters.get("action", ""),
        actor=filters.get("actor", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    if request.GET.get("format") == "csv":
        return csv_response(
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
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"form": form, "page": page, "query": query_without_page(request)})

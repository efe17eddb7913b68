"""Who may see or change what in the reports app: the one place it is decided.

Staff see the whole dashboard, define the results framework, request, retry and download every report. A
contact point sees the dashboard of their own administration only (never another's: asking for another
administration's figures is "not found"). Everybody else sees nothing here.
"""

from django.db.models import QuerySet
from django.http import Http404

from bacuda_portal.members.access import administration_of, is_wco_staff
from bacuda_portal.members.models import Administration

from .models import Report


def can_view_dashboard(user) -> bool:
    return is_wco_staff(user) or administration_of(user) is not None


def dashboard_scope(user, administration_id: int | None) -> Administration | None:
    """The administration the dashboard shows for ``user`` (None: all, staff only); 404 for anything else."""
    if is_wco_staff(user):
        if administration_id is None:
            return None
        administration = Administration.objects.select_related("region").filter(pk=administration_id).first()
        if administration is None:
            raise Http404
        return administration
    own = administration_of(user)
    if own is None or (administration_id is not None and administration_id != own.pk):
        raise Http404
    return own


def can_filter_by_region(user) -> bool:
    return is_wco_staff(user)


def can_manage_reports(user) -> bool:
    """Request, retry and download PDF reports; edit narratives and the results framework."""
    return is_wco_staff(user)


def reports_visible_to(user) -> QuerySet[Report]:
    if is_wco_staff(user):
        return Report.objects.all()
    return Report.objects.none()


def get_report_for(user, pk: int) -> Report:
    report = reports_visible_to(user).select_related("requested_by").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def require_manager(user) -> None:
    if not can_manage_reports(user):
        raise Http404

"""Who may see or change what in the reports app: the one place it is decided.

Staff see the whole dashboard, define the results framework, request, retry and download every report. A
contact point sees the dashboard of their own administration only (never another's: asking for another
administration's figures is "not found"). Everybody else sees nothing here, with one exception: the PDF of a
published model card (``get_public_model_card_pdf``).
"""

from django.db.models import QuerySet
from django.http import Http404

from algorithms import selectors as algorithm_selectors
from bacuda_portal.members import selectors as member_selectors
from bacuda_portal.members.access import administration_of, is_wco_staff

from . import framework_selectors
from .enums import ReportLanguage
from .models import Report
from .selectors import current_model_card_pdfs


def can_view_dashboard(user) -> bool:
    return is_wco_staff(user) or administration_of(user) is not None


def dashboard_scope(user, administration_id: int | None):
    """The administration the dashboard shows for ``user`` (None: all, staff only); 404 for anything else."""
    if is_wco_staff(user):
        if administration_id is None:
            return None
        administration = member_selectors.administration_or_none(administration_id)
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


def get_public_model_card_pdf(slug: str, language: str) -> Report:
    """The model card PDF anybody may download from a card's page; 404 for anything else.

    Product decision: a published model card is public, so its PDF is public too (the public reads the card on
    the card page anyway). Only the newest ready rendering of the card *as it is published now* is served: the
    card must be published (a draft, one awaiting approval or one withdrawn answers 404, for staff too; staff
    read every rendering in the report archive) and the rendering must be of the current revision of the card
    (an edited card has no public PDF until staff export it again), so a PDF rendered from a draft never leaks.
    """
    if language not in ReportLanguage.values:
        raise Http404
    algorithm = algorithm_selectors.published_algorithm(slug)
    if algorithm is None:
        raise Http404
    report = current_model_card_pdfs(algorithm).get(language)
    if report is None:
        raise Http404
    return report


def framework_rows_visible_to(user, rows: QuerySet) -> QuerySet:
    """``rows`` of the results framework (or the regions and administrations it names) for its managers; none for
    anyone else (the API's references and filters look rows up here)."""
    return rows if can_manage_reports(user) else rows.none()


def _framework_row(user, row):
    """A row of the results framework for its managers; 404 for anyone else and for a missing row."""
    require_manager(user)
    if row is None:
        raise Http404
    return row


def get_objective_for(user, pk: int):
    return _framework_row(user, framework_selectors.objective_or_none(pk))


def get_indicator_for(user, pk: int):
    return _framework_row(user, framework_selectors.indicator_or_none(pk))


def get_target_for(user, pk: int):
    return _framework_row(user, framework_selectors.target_or_none(pk))


def get_entered_value_for(user, pk: int):
    return _framework_row(user, framework_selectors.value_or_none(pk))

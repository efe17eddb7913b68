"""Staff's list of applications and their override of the eligibility check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import (
    query_without_page,
    row_url,
)
from bacuda_portal.core.services import audit_record

from .. import access, selectors, services
from ..enums import (
    ApplicationStatus,
    EligibilityResult,
    EndorsementStatus,
)
from ..forms import (
    CSV_COLUMNS,
    DEFAULT_CSV_COLUMNS,
    ApplicationFilterForm,
    CsvColumnsForm,
    OverrideForm,
)
from .common import PAGE_SIZE


@login_required
def staff_application_list(request):
    if not access.can_manage_applications(request.user):
        raise Http404
    form = ApplicationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    applications = selectors.application_list(
        visible=access.applications_visible_to(request.user),
        search=filters.get("q", ""),
        call=filters.get("call"),
        status=filters.get("status", ""),
        eligibility=filters.get("eligibility", ""),
        endorsement=filters.get("endorsement", ""),
        region=filters.get("region", ""),
    )
    columns_form = CsvColumnsForm(request.GET or None)
    if file_format := export_format(request):
        chosen = (columns_form.cleaned_data["columns"] if columns_form.is_valid() else []) or DEFAULT_CSV_COLUMNS
        return table_response(
            file_format=file_format,
            filename="bacuda-scholarship-applications",
            header=[CSV_COLUMNS[key][0] for key in chosen],
            rows=([CSV_COLUMNS[key][1](a) for key in chosen] for a in applications.iterator(chunk_size=500)),
            actor=request.user,
            action="scholarships.applications.exported",
        )
    page = Paginator(selectors.staff_list_rows(applications), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _staff_list_rows(page.object_list, call_names=form.call_names)
    # The export's column checkboxes, written by the template: as widgets they cost a template each.
    csv_columns = [(key, str(header), key in DEFAULT_CSV_COLUMNS) for key, (header, _value) in CSV_COLUMNS.items()]
    if page.object_list:  # an empty page shows nobody's personal data: nothing to log
        audit_record(
            actor=request.user, action="scholarships.applications.listed", page="staff_list",
            applications=[row["pk"] for row in page.object_list],
        )  # fmt: skip
    return render(
        request,
        "scholarships/staff_application_list.html",
        {"form": form, "page": page, "query": query_without_page(request), "csv_columns": csv_columns},
    )  # fmt: skip


def _staff_list_rows(rows, *, call_names: dict[int, str]) -> list[dict]:
    """What the staff list's template prints for each ``selectors.staff_list_rows`` row. Labels and links are
    worked out once per page, not per row (``get_FOO_display`` translates every choice of the field)."""
    statuses = choice_labels(ApplicationStatus)
    eligibilities = choice_labels(EligibilityResult)
    endorsements = choice_labels(EndorsementStatus)
    detail_url, call_url = row_url("scholarships:application_detail"), row_url("scholarships:call_detail")
    french = (get_language() or "en").startswith("fr")  # as ``BilingualNameMixin.name``
    return [
        {
            "pk": row["pk"],
            "url": detail_url(row["pk"]),
            "name": row["full_name"] or row["applicant__email"] or "",
            "call_url": call_url(row["call_id"]),
            "call_name": call_names.get(row["call_id"], ""),
            "administration": (french and row["administration__name_fr"]) or row["administration__name_en"],
            "region": row["administration__region__code"],
            "status": statuses.get(row["status"], row["status"]),
            "eligibility": eligibilities.get(row["eligibility_result"], ""),
            "endorsement": endorsements.get(row["endorsement_status"], ""),
            "endorsement_rank": row["endorsement__rank"],
            "submitted_at": row["submitted_at"],
        }
        for row in rows
    ]


@require_POST
@login_required
def eligibility_override(request, pk):
    application = access.get_application_for_staff(request.user, pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a result and write the rationale."))
        return redirect(application)
    try:
        services.eligibility_override(application=application, by=request.user, **form.cleaned_data)
    except (TransitionError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The eligibility was overridden."))
    return redirect(application)

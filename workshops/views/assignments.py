"""Experts' assignments: the search, the proposal, the expert's answer and staff's appraisal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import add_service_errors, query_without_page, run_state_change
from workshops.experts import selectors as expert_selectors

from .. import access, selectors, services
from ..enums import AssignmentRole, AssignmentStatus
from ..forms import (
    AppraisalForm,
    AssignmentForm,
    AssignmentSearchForm,
)
from ..models import Assignment
from .workshops import _form_error_text

ASSIGNMENT_SEARCH_PAGE_SIZE = 20


def _with_assignment_texts(rows: list[dict]) -> list[dict]:
    """Adds ``assignment`` ("Trainer: Awaiting the expert's confirmation") to rows of experts already assigned."""
    roles, statuses = choice_labels(AssignmentRole), choice_labels(AssignmentStatus)
    for row in rows:
        if row["assignment_status"]:
            row["assignment"] = f"{roles[row['assignment_role']]}: {statuses[row['assignment_status']]}"
    return rows


@login_required
def assignment_search(request, pk):
    """Find an expert to assign: the registry's search, each row telling whether the expert is free over the
    workshop dates, with a role and an "Assign" button that posts to ``assignment_create``."""
    workshop = access.get_workshop_for_staff(request.user, pk)
    form = AssignmentSearchForm(request.GET or None)
    form.is_valid()  # collects the errors to show; invalid filters are left out of the search
    experts = selectors.assignment_candidates(workshop=workshop, filters=form.filters())
    page = Paginator(experts, ASSIGNMENT_SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    workshop_dates = {"available_from": workshop.start_date.isoformat(), "available_to": workshop.end_date.isoformat()}
    with_workshop_dates = request.GET.copy()
    with_workshop_dates.pop("page", None)
    for name, value in workshop_dates.items():
        with_workshop_dates[name] = value  # replaces, where QueryDict.update would add a second value
    return render(
        request,
        "workshops/assignment_search.html",
        {
            "workshop": workshop,
            "form": form,
            "page": page,
            "rows": _with_assignment_texts(expert_selectors.with_row_texts(page, with_availability=False)),
            "query": query_without_page(request),
            # The same options on every row: written once.
            "role_options": format_html_join(
                "", '<option value="{}">{}</option>', choice_labels(AssignmentRole).items()
            ),
            "workshop_dates_query": with_workshop_dates.urlencode(),
            "filtered_by_workshop_dates": all(request.GET.get(name) == value for name, value in workshop_dates.items()),
        },
    )


@require_POST
@login_required
def assignment_create(request, pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        try:
            assignment, conflicts = services.assignment_create(workshop=workshop, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(expert)s was proposed for this workshop.") % {"expert": assignment.expert})
            for conflict in conflicts:
                messages.warning(
                    request,
                    _("Double booking: %(expert)s is also assigned to %(workshop)s (%(start)s – %(end)s).")
                    % {
                        "expert": assignment.expert,
                        "workshop": conflict.workshop,
                        "start": conflict.workshop.start_date,
                        "end": conflict.workshop.end_date,
                    },
                )
            return redirect(workshop)
    messages.error(request, _form_error_text(form))
    return redirect(workshop)


@require_POST
@login_required
def assignment_answer(request, assignment_pk, answer):
    if answer not in ("confirm", "decline"):
        raise Http404
    assignment = access.get_assignment_to_answer(request.user, assignment_pk)
    run_state_change(
        request,
        lambda: services.assignment_answer(assignment=assignment, accept=answer == "confirm", by=request.user),
        success=_("Thank you: your answer was recorded."),
    )
    return redirect(assignment.workshop)


@require_POST
@login_required
def assignment_appraise(request, pk, assignment_pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    assignment = Assignment.objects.filter(workshop=workshop, pk=assignment_pk).select_related("workshop").first()
    if assignment is None:
        raise Http404
    form = AppraisalForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_appraise(
                assignment=assignment,
                rating=form.cleaned_data["rating"],
                comments=form.cleaned_data["comments"],
                by=request.user,
            )
            messages.success(request, _("The appraisal was saved."))
        except (TransitionError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, _form_error_text(form))
    return redirect(workshop)

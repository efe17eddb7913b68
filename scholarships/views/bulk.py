"""Bulk decisions of a call: staff record one outcome for the ticked applications of the ranking, and assign one
reviewer to several applications at once (one transaction per row, a summary of each refusal)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from bacuda_portal.core.bulk import BulkForm, bulk_apply, report_bulk

from .. import access, services
from ..enums import DecisionOutcome
from ..forms import BulkReviewerForm
from .common import _safe_next

DECISION_DONE = {
    DecisionOutcome.SELECTED: lambda n: ngettext(
        "%(count)d candidate selected (pending until released).",
        "%(count)d candidates selected (pending until released).",
        n,
    ),
    DecisionOutcome.RESERVE: lambda n: ngettext(
        "%(count)d candidate put on the reserve list (pending until released).",
        "%(count)d candidates put on the reserve list (pending until released).",
        n,
    ),
    DecisionOutcome.NOT_SELECTED: lambda n: ngettext(
        "%(count)d candidate not selected (pending until released).",
        "%(count)d candidates not selected (pending until released).",
        n,
    ),
}


def _label(application) -> str:
    return application.full_name or str(application.pk)


@require_POST
@login_required
def decisions_bulk(request, pk):
    """One outcome for the ticked candidates, in the ranking's order: the first take the seats, the reserve places
    follow the order."""
    call = access.get_call_for_staff(request.user, pk)
    ranking_url = _safe_next(request, reverse("scholarships:ranking", args=[call.pk]))
    form = BulkForm(request.POST, row_ids=None, actions=DecisionOutcome.choices)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect(ranking_url)
    applications = {a.pk: a for a in access.applications_visible_to(request.user).filter(
        call=call, pk__in=form.cleaned_data["rows"])}  # fmt: skip
    chosen = [applications[pk] for pk in form.cleaned_data["rows"] if pk in applications]
    outcome = form.cleaned_data["action"]
    result = bulk_apply(
        chosen,
        lambda application: services.decision_record(application=application, outcome=outcome, by=request.user),
        label=_label,
    )
    report_bulk(request, result, done=DECISION_DONE[outcome])
    return redirect(ranking_url)


@require_POST
@login_required
def reviewers_bulk_assign(request, pk):
    """One reviewer of the call's pool for several applications, given by their references."""
    call = access.get_call_for_staff(request.user, pk)
    form = BulkReviewerForm(request.POST, call=call)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect("scholarships:call_review", pk=call.pk)
    reviewer = form.cleaned_data["reviewer"]
    applications = {a.pk: a for a in access.applications_visible_to(request.user).filter(
        call=call, pk__in=form.cleaned_data["applications"])}  # fmt: skip
    result = bulk_apply(
        [applications[pk] for pk in form.cleaned_data["applications"] if pk in applications],
        lambda application: services.review_assign(application=application, reviewer=reviewer, by=request.user),
        label=_label,
    )
    unknown = [str(pk) for pk in form.cleaned_data["applications"] if pk not in applications]
    if unknown:
        result.failed.append((", ".join(unknown), gettext("There is no application with this reference in this call.")))
    report_bulk(
        request,
        result,
        done=lambda n: ngettext("%(count)d assignment was made.", "%(count)d assignments were made.", n),
    )
    return redirect("scholarships:call_review", pk=call.pk)

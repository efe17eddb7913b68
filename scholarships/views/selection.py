"""Selection: the ranking, decisions and their release, the offers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import (
    query_without_page,
    row_url,
    run_state_change,
)
from bacuda_portal.core.services import audit_record

from .. import access, selectors, services
from ..enums import (
    DecisionOutcome,
    DecisionStatus,
    Gender,
)
from ..forms import (
    DecisionForm,
    RankingFilterForm,
)
from ..models import Application
from .common import PAGE_SIZE, CountedPaginator, _error_text, _safe_next

RANKING_CSV_HEADER = [
    _("Rank"), _("Reference"), _("Full name"), _("Administration"), _("Region"), _("Gender"), _("Reviews"),
    _("Weighted mean"), _("Median"), _("Spread"), _("Yes"), _("Maybe"), _("No"), _("Endorsement rank"),
    _("Decision"), _("Reserve place"),
]  # fmt: skip


def _two(value) -> str:
    return "" if value is None else f"{float(value):.2f}"


@login_required
def ranking(request, pk):
    call = access.get_call_for_staff(request.user, pk)
    form = RankingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    candidates = selectors.ranking_candidates(
        call=call, region=filters.get("region", ""), gender=filters.get("gender", "")
    )
    order = selectors.ranking_order(candidates, call=call)
    if file_format := export_format(request):
        rows = (
            [position, a.pk, a.full_name, a.administration.name if a.administration else "",
             a.administration.region.code if a.administration else "", a.get_gender_display(), a.reviewed,
             _two(a.mean), _two(a.median), _two(a.spread), a.yes, a.maybe, a.no,
             a.endorsement.rank if hasattr(a, "endorsement") else "",
             a.decision.get_outcome_display() if hasattr(a, "decision") else "",
             a.decision.reserve_rank if hasattr(a, "decision") else ""]
            for position, a in selectors.ranking_csv_rows(order)
        )  # fmt: skip
        return table_response(
            file_format=file_format,
            filename=f"bacuda-scholarship-ranking-{call.pk}",
            header=RANKING_CSV_HEADER,
            rows=rows,
            actor=request.user,
            action="scholarships.ranking.exported",
        )
    # The count comes from the candidates alone: counting the grouped order would aggregate a second time.
    page = CountedPaginator(order, PAGE_SIZE, count=candidates.count()).get_page(request.GET.get("page"))
    rows = _with_ranking_display(selectors.ranking_rows(list(page.object_list)))
    if rows:  # an empty page shows nobody's personal data: nothing to log
        audit_record(
            actor=request.user, action="scholarships.applications.listed", target=call, page="ranking",
            applications=[row.pk for row in rows],
        )  # fmt: skip
    return render(
        request,
        "scholarships/ranking.html",
        {"call": call, "form": form, "page": page, "rows": rows, "offset": page.start_index() - 1 if rows else 0,
         "balance": selectors.balance(call=call), "here": request.get_full_path(),
         "pending": call.decisions.filter(status="pending").count(), "query": query_without_page(request)},
    )  # fmt: skip


def _with_ranking_display(rows: list[Application]) -> list[Application]:
    """Add what the ranking's template prints for each row: links, labels and the decision form's options, worked
    out once per page rather than per row (``get_FOO_display`` translates every choice of the field)."""
    genders = choice_labels(Gender)
    outcomes = choice_labels(DecisionOutcome)
    statuses = choice_labels(DecisionStatus)
    # The decision form's options, one variant per outcome already chosen (none, or one of the outcomes).
    # No decision is preselected: a row without one starts on an empty "Choose…" option.
    options = {
        chosen: format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((value, " selected" if value == chosen else "", label)
             for value, label in [("", _("Choose…")), *outcomes.items()]),
        )
        for chosen in ("", *outcomes)
    }  # fmt: skip
    detail_url, decide_url = (
        row_url("scholarships:application_detail"),
        row_url("scholarships:decision_record"),
    )
    for row in rows:
        decision = row.current_decision
        row.url, row.decide_url = detail_url(row.pk), decide_url(row.pk)
        row.gender_label = genders.get(row.gender, "")
        row.outcome_label = outcomes.get(decision.outcome, "") if decision else ""
        row.decision_status_label = statuses.get(decision.status, "") if decision else ""
        row.outcome_options = options.get(decision.outcome if decision else "", options[""])
    return rows


@require_POST
@login_required
def decision_record(request, pk):
    application = access.get_application_for_staff(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
    else:
        try:
            services.decision_record(application=application, by=request.user, **form.cleaned_data)
        except (TransitionError, ValidationError) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The decision was recorded; it stays pending until released."))
    return redirect(_safe_next(request, reverse("scholarships:ranking", args=[application.call_id])))


@require_POST
@login_required
def decisions_release(request, pk):
    call = access.get_call_for_staff(request.user, pk)
    try:
        count = services.decisions_release(call=call, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("scholarships:ranking", pk=call.pk)
    messages.success(
        request, _("%(count)d decisions were released; their letters wait in the outbox.") % {"count": count}
    )
    return redirect("scholarships:outbox", pk=call.pk)


@require_POST
@login_required
def offer_reply(request, pk):
    decision = access.get_own_released_decision(request.user, pk)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or decline."))
    else:
        run_state_change(
            request,
            lambda: services.offer_reply(decision=decision, accept=answer == "accept", by=request.user),
            success=_("Thank you: your answer was recorded."),
        )
    return redirect("scholarships:application_detail", pk=pk)


@login_required
def offer_list(request, pk):
    call = access.get_call_for_staff(request.user, pk)
    return render(
        request,
        "scholarships/offer_list.html",
        {"call": call, "offers": selectors.offers(call=call), "reserve": selectors.reserve_list(call=call)},
    )


@require_POST
@login_required
def offer_confirm(request, pk):
    decision = access.get_decision_for_staff(request.user, pk)
    run_state_change(
        request,
        lambda: services.offer_confirm(decision=decision, by=request.user),
        success=_("The seat was offered; the letter waits in the outbox."),
    )
    return redirect("scholarships:offer_list", pk=decision.call_id)

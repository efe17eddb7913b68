"""Mission pages: thin; they parse input, ask ``access``, call one service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bacuda_portal.core.bulk import BulkForm, bulk_apply, report_bulk
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import add_service_errors, query_without_page, run_state_change
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import private_file_response, stored_extension

from . import access, selectors, services
from .forms import ClaimLineForm, DecisionForm, MissionFilterForm, MissionForm, PaymentForm, TravelRequestForm

PAGE_SIZE = 50


# --- List ----------------------------------------------------------------------------------------------
def _csv_rows(missions):
    for mission in missions:
        request = mission.travel_request_or_none
        claim = mission.claim_or_none
        summary = selectors.claim_summary(mission)
        yield (
            mission.mission_number,
            mission.traveller_name,
            mission.traveller_email,
            mission.workshop.localized_title if mission.workshop else "",
            mission.destination_city,
            mission.destination_country.name,
            mission.start_date,
            mission.end_date,
            mission.stage.label,
            request.currency if request else "",
            request.total if request else "",
            request.advance if request else "",
            summary.claimed if summary else "",
            summary.variance if summary else "",
            (claim.paid_on or "") if claim else "",
            claim.payment_reference if claim else "",
        )


@login_required
def mission_list(request):
    access.require_mission_viewer(request.user)
    visible = access.missions_visible_to(request.user)
    form = MissionFilterForm(request.GET or None, years=selectors.mission_years(visible), visible=visible)
    filters = form.cleaned_data if form.is_valid() else {}
    missions = selectors.mission_list(
        visible=visible,
        search=filters.get("q", ""),
        stage=filters.get("stage", ""),
        traveller=filters.get("traveller", ""),
        workshop=filters.get("workshop"),
        year=filters.get("year"),
    )
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="missions",
            header=[
                _("WCO mission number"),
                _("Traveller"),
                _("Traveller email"),
                _("Workshop"),
                _("Destination city"),
                _("Destination country"),
                _("Start date"),
                _("End date"),
                _("Status"),
                _("Currency"),
                _("Requested total"),
                _("Advance"),
                _("Claimed total"),
                _("Variance"),
                _("Paid on"),
                _("Payment reference"),
            ],
            # Chunked iteration would drop the prefetched claim lines; the list is small enough for one read.
            rows=_csv_rows(missions),
            actor=request.user,
            action="missions.missions.exported",
        )
    page = Paginator(selectors.for_list_page(missions), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"mission": mission, "summary": selectors.claim_summary(mission)} for mission in page]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query_without_page(request),
        "can_manage": access.can_manage_missions(request.user),
        "can_decide": access.can_decide(request.user),
    }
    return render(request, "missions/mission_list.html", context)


BULK_APPROVALS = {
    "claims": lambda n: ngettext("%(count)d claim approved.", "%(count)d claims approved.", n),
    "requests": lambda n: ngettext("%(count)d travel request approved.", "%(count)d travel requests approved.", n),
}


@require_POST
@login_required
def missions_bulk_approve(request):
    """The project manager approves the ticked missions' submitted claims (or travel requests) at once; as on the
    mission page, any other staff member is refused row by row by the service, with its reason."""
    access.require_mission_manager(request.user)
    visible = access.missions_visible_to(request.user)
    form = BulkForm(request.POST, row_ids=None, actions=[(kind, kind) for kind in BULK_APPROVALS])
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("missions:list")
    missions = selectors.for_list_page(visible.filter(pk__in=form.cleaned_data["rows"]))
    kind = form.cleaned_data["action"]
    outcome = bulk_apply(
        missions,
        lambda mission: services.mission_approve_submitted(mission=mission, what=kind, by=request.user),
        label=lambda m: m.traveller_name,
    )
    missing = len(set(form.cleaned_data["rows"])) - len(outcome.done) - len(outcome.failed)
    if missing:  # ticked rows that are not (or no longer) missions this user sees
        outcome.failed.append((_("Other rows"), _("Not found.")))
    report_bulk(request, outcome, done=BULK_APPROVALS[kind])
    return redirect("missions:list")


# --- Missions ------------------------------------------------------------------------------------------
@login_required
def mission_create(request):
    access.require_mission_manager(request.user)
    form = MissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mission = services.mission_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Mission created. Add its travel request next."))
            return redirect(mission)
    status = 400 if request.method == "POST" else 200
    return render(request, "missions/mission_form.html", {"form": form, "mission": None}, status=status)


@login_required
def mission_update(request, pk):
    mission = access.get_mission_for_manager(request.user, pk)
    form = MissionForm(request.POST or None, instance=mission)
    if request.method == "POST" and form.is_valid():
        try:
            mission = services.mission_update(mission=mission, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(mission)
    if request.method == "POST":
        # The form keeps what was typed; the page title keeps the saved mission.
        mission = access.get_mission_for_manager(request.user, pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "missions/mission_form.html", {"form": form, "mission": mission}, status=status)


def _mission_page(request, mission, *, payment_form=None, status=200):
    mission = selectors.mission_detail(mission)
    user = request.user
    travel_request = mission.travel_request_or_none
    claim = mission.claim_or_none
    summary = selectors.claim_summary(mission)
    context = {
        "mission": mission,
        "travel_request": travel_request,
        "claim": claim,
        "lines": [{"line": line, "converted": line.amount_in(summary.currency)} for line in claim.lines.all()]
        if summary
        else [],
        "summary": summary,
        **access.mission_actions(user, mission, travel_request=travel_request, claim=claim),
        "payment_form": payment_form or PaymentForm(),
    }
    return render(request, "missions/mission_detail.html", context, status=status)


@login_required
def mission_detail(request, pk):
    return _mission_page(request, access.get_mission_for(request.user, pk))


# --- Travel request ------------------------------------------------------------------------------------
@login_required
def travel_request_edit(request, pk):
    mission = access.get_mission_for_manager(request.user, pk)
    existing = mission.travel_request_or_none
    if existing is not None and not existing.is_editable:
        messages.error(request, _("Only a draft or a rejected travel request can be changed."))
        return redirect(mission)
    form = TravelRequestForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.travel_request_save(mission=mission, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The travel request was saved as a draft. Submit it when it is complete."))
            return redirect(mission)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "missions/travel_request_form.html",
        {"form": form, "mission": mission, "travel_request": existing},
        status=status,
    )


def _travel_request_of(mission):
    travel_request = mission.travel_request_or_none
    if travel_request is None:
        raise Http404
    return travel_request


@require_POST
@login_required
def travel_request_submit(request, pk):
    mission = access.get_mission_for_manager(request.user, pk)
    run_state_change(
        request,
        lambda: services.travel_request_submit(travel_request=_travel_request_of(mission), by=request.user),
        success=_("The travel request was submitted to the project manager."),
    )
    return redirect(mission)


def _decide(request, mission, service, target_kwargs, success_message):
    form = DecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        service(by=request.user, comment=comment, **target_kwargs)
        messages.success(request, success_message)
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(mission)


@require_POST
@login_required
def travel_request_approve(request, pk):
    mission = access.get_mission_for_manager(request.user, pk)
    return _decide(
        request,
        mission,
        services.travel_request_approve,
        {"travel_request": _travel_request_of(mission)},
        _("The travel request is approved; the traveller was told."),
    )


@require_POST
@login_required
def travel_request_reject(request, pk):
    mission = access.get_mission_for_manager(request.user, pk)
    return _decide(
        request,
        mission,
        services.travel_request_reject,
        {"travel_request": _travel_request_of(mission)},
        _("The travel request is rejected; the traveller was told why."),
    )


# --- Claim ---------------------------------------------------------------------------------------------
def _claim_of(mission):
    claim = mission.claim_or_none
    if claim is None:
        raise Http404
    return claim


@login_required
def claim_line_add(request, pk):
    mission = access.get_mission_for_claimant(request.user, pk)
    travel_request = mission.travel_request_or_none
    request_currency = travel_request.currency if travel_request else ""
    form = ClaimLineForm(request.POST or None, request.FILES or None, request_currency=request_currency)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_line_add(mission=mission, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The expense was added to the claim."))
            return redirect(mission.get_absolute_url() + "#claim")
    if request.method == "POST" and form.errors and "receipt" in request.FILES:
        # Browsers never pre-fill a file input: say so, rather than let the user think the receipt is kept.
        form.add_error(None, _("Nothing was saved. Your entries are kept below, but choose the receipt file again."))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "missions/claim_line_form.html",
        {"form": form, "mission": mission, "request_currency": request_currency},
        status=status,
    )


@require_POST
@login_required
def claim_line_remove(request, pk):
    line = access.get_claim_line_for_claimant(request.user, pk)
    mission = line.claim.mission
    run_state_change(
        request,
        lambda: services.claim_line_remove(line=line, by=request.user),
        success=_("The expense was removed from the claim."),
    )
    return redirect(mission.get_absolute_url() + "#claim")


@login_required
def claim_line_receipt(request, pk):
    line = access.get_claim_line_for(request.user, pk)
    if not line.receipt:
        raise Http404
    extension = stored_extension(line.receipt)
    # A receipt is personal and financial data: who read it is in the audit log.
    audit_record(actor=request.user, action="missions.receipt.downloaded", target=line.claim, line=line.pk)
    return private_file_response(line.receipt, download_name=f"receipt-{line.claim.mission_id}-{line.pk}.{extension}")


@require_POST
@login_required
def claim_submit(request, pk):
    mission = access.get_mission_for_claimant(request.user, pk)
    run_state_change(
        request,
        lambda: services.claim_submit(claim=_claim_of(mission), by=request.user),
        success=_("The claim was submitted to the project manager."),
    )
    return redirect(mission.get_absolute_url() + "#claim")


@require_POST
@login_required
def claim_approve(request, pk):
    mission = access.get_mission_for_manager(request.user, pk)
    return _decide(
        request,
        mission,
        services.claim_approve,
        {"claim": _claim_of(mission)},
        _("The claim is approved; the traveller was told."),
    )


@require_POST
@login_required
def claim_reject(request, pk):
    mission = access.get_mission_for_manager(request.user, pk)
    return _decide(
        request,
        mission,
        services.claim_reject,
        {"claim": _claim_of(mission)},
        _("The claim is rejected; the traveller was told why."),
    )


@require_POST
@login_required
def claim_mark_paid(request, pk):
    mission = access.get_mission_for_manager(request.user, pk)
    claim = _claim_of(mission)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.claim_mark_paid(claim=claim, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The payment was recorded."))
            return redirect(mission.get_absolute_url() + "#claim")
    # Show the mission again with the payment form's errors and what was typed.
    return _mission_page(request, mission, payment_form=form, status=400)

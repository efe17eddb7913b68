"""Nominations: a contact point nominates; staff accept, wait-list, decline or offer the next seat."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bacuda_portal.core.bulk import BulkForm, bulk_apply, report_bulk
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import add_service_errors, run_state_change

from .. import access, selectors, services
from ..forms import (
    NominationForm,
)


@require_POST
@login_required
def nomination_create(request, pk):
    workshop = access.get_workshop_for(request.user, pk)
    administration = access.nominating_administration(request.user, workshop)
    if administration is None:
        raise Http404
    form = NominationForm(request.POST)
    if form.is_valid():
        try:
            nomination = services.nomination_create(
                workshop=workshop, administration=administration, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is nominated.") % {"name": nomination.full_name})
            return redirect(workshop)
    # Show the form again with the errors and everything the contact point typed.
    return render(
        request,
        "workshops/nomination_form.html",
        {"workshop": workshop, "form": form, "administration": administration},
        status=400,
    )


NOMINATION_DECISIONS = {
    "accept": services.nomination_accept,
    "waitlist": services.nomination_waitlist,
    "decline": services.nomination_decline,
}


@require_POST
@login_required
def nomination_decide(request, nomination_pk, action):
    if not access.can_manage_workshops(request.user) or action not in NOMINATION_DECISIONS:
        raise Http404
    nomination = access.get_nomination_for(request.user, nomination_pk)
    try:
        NOMINATION_DECISIONS[action](nomination=nomination, by=request.user)
        messages.success(
            request,
            _("%(name)s: %(status)s.") % {"name": nomination.full_name, "status": nomination.get_status_display()},
        )
        if action == "accept" and selectors.prerequisite_missing(nomination):
            messages.warning(request, _prerequisite_warning([nomination.full_name], nomination.workshop))
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(nomination.workshop)


def _prerequisite_warning(names: list[str], workshop) -> str:
    """The warning after accepting people who have not finished the workshop's prerequisite course (allowed)."""
    return _("Accepted without having completed the prerequisite course “%(course)s”: %(names)s.") % {
        "course": workshop.prerequisite_course,
        "names": ", ".join(names),
    }


@require_POST
@login_required
def nomination_withdraw(request, nomination_pk):
    nomination = access.get_nomination_for(request.user, nomination_pk)
    if not access.can_withdraw_nomination(request.user, nomination):
        raise Http404
    run_state_change(
        request,
        lambda: services.nomination_withdraw(nomination=nomination, by=request.user),
        success=_("The nomination of %(name)s was withdrawn.") % {"name": nomination.full_name},
    )
    return redirect(nomination.workshop)


@require_POST
@login_required
def nomination_offer_next(request, pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    try:
        nomination = services.nomination_offer_next(workshop=workshop, by=request.user)
        messages.success(request, _("The seat was offered to %(name)s.") % {"name": nomination.full_name})
        if selectors.prerequisite_missing(nomination):
            messages.warning(request, _prerequisite_warning([nomination.full_name], workshop))
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(workshop)


NOMINATION_BULK_ACTIONS = {
    "accept": (
        services.nomination_accept,
        lambda n: ngettext("%(count)d person accepted.", "%(count)d people accepted.", n),
    ),
    "waitlist": (
        services.nomination_waitlist,
        lambda n: ngettext("%(count)d person wait-listed.", "%(count)d people wait-listed.", n),
    ),
    "decline": (
        services.nomination_decline,
        lambda n: ngettext("%(count)d nomination declined.", "%(count)d nominations declined.", n),
    ),
}


@require_POST
@login_required
def nominations_bulk(request, pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    nominations = {nomination.pk: nomination for nomination in access.nominations_visible_to(request.user, workshop)}
    form = BulkForm(
        request.POST,
        row_ids=nominations,
        actions=[(name, name) for name in NOMINATION_BULK_ACTIONS],
    )
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect(workshop)
    action, done = NOMINATION_BULK_ACTIONS[form.cleaned_data["action"]]
    # In the order of the list (the nomination date): the first in line take the free seats.
    chosen = sorted((nominations[pk] for pk in set(form.cleaned_data["rows"])), key=lambda n: (n.created_at, n.pk))
    without_prerequisite = []

    def decide(nomination):
        action(nomination=nomination, by=request.user)
        if form.cleaned_data["action"] == "accept" and selectors.prerequisite_missing(nomination):
            without_prerequisite.append(nomination.full_name)

    outcome = bulk_apply(chosen, decide, label=lambda nomination: nomination.full_name)
    report_bulk(request, outcome, done=done)
    if without_prerequisite:
        messages.warning(request, _prerequisite_warning(without_prerequisite, workshop))
    return redirect(f"{workshop.get_absolute_url()}#nominations-heading")

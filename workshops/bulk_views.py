"""Bulk decisions on a workshop's nominations: staff accept, wait-list or decline the ticked rows at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bacuda_portal.core.bulk import BulkForm, bulk_apply, report_bulk

from . import access, services

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
    outcome = bulk_apply(
        chosen,
        lambda nomination: action(nomination=nomination, by=request.user),
        label=lambda nomination: nomination.full_name,
    )
    report_bulk(request, outcome, done=done)
    return redirect(f"{workshop.get_absolute_url()}#nominations-heading")

"""The outbox of decision letters: staff read, edit and approve them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import (
    add_service_errors,
    query_without_page,
    row_url,
    run_state_change,
)

from .. import access, selectors, services
from ..enums import (
    DecisionOutcome,
    LetterStatus,
)
from ..forms import (
    LetterForm,
)
from .common import PAGE_SIZE


@login_required
def outbox(request, pk):
    call = access.get_call_for_staff(request.user, pk)
    status = request.GET.get("status", "")
    if status not in LetterStatus.values:
        status = ""
    page = Paginator(selectors.outbox(call=call, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    # Labels and links once per page, not per row.
    outcomes, statuses = choice_labels(DecisionOutcome), choice_labels(LetterStatus)
    edit_url, approve_url = row_url("scholarships:letter_edit"), row_url("scholarships:letter_approve")
    for letter in page.object_list:
        letter.edit_url, letter.approve_url = edit_url(letter.pk), approve_url(letter.pk)
        letter.outcome_label = outcomes.get(letter.outcome, letter.outcome)
        letter.status_label = statuses.get(letter.status, letter.status)
    return render(
        request,
        "scholarships/outbox.html",
        {"call": call, "page": page, "status": status, "statuses": LetterStatus.choices,
         "query": query_without_page(request)},
    )  # fmt: skip


@login_required
def letter_edit(request, pk):
    letter = access.get_letter_for_staff(request.user, pk)
    form = LetterForm(request.POST or None, initial={"subject": letter.subject, "body": letter.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_update(letter=letter, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect("scholarships:letter_edit", pk=letter.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The letter was saved."))
            return redirect("scholarships:letter_edit", pk=letter.pk)
    return render(
        request,
        "scholarships/letter_edit.html",
        {"letter": letter, "form": form, "editable": access.is_letter_editable(letter)},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def letter_approve(request, pk):
    letter = access.get_letter_for_staff(request.user, pk)
    run_state_change(
        request,
        lambda: services.letter_approve(letter=letter, by=request.user),
        success=_("The letter was approved; it is being sent."),
    )
    return redirect("scholarships:outbox", pk=letter.call_id)

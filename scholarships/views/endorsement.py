"""The contact point's pages: the applications to endorse, the decision and the ranking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import (
    row_url,
)

from .. import access, selectors, services
from ..enums import (
    ApplicationStatus,
    EndorsementDecision,
    EndorsementQueueState,
    EndorsementStatus,
)
from ..forms import (
    EndorsementForm,
    EndorsementQueueForm,
)
from .common import CountedPaginator, _safe_next

ENDORSEMENT_PAGE_SIZE = 25


@login_required
def endorsement_list(request):
    """The contact point's work queue: one call at a time, the applications waiting for their decision first
    (or those in the state they choose), searched by name, paged; and the ranking of the call's endorsed ones."""
    administration = access.endorsing_administration(request.user)
    if administration is None:
        raise Http404
    calls = selectors.endorsement_calls(administration=administration, visible=access.calls_visible_to(request.user))
    form = EndorsementQueueForm(request.GET, calls=calls, default_call=selectors.default_endorsement_call(calls))
    call = form.chosen_call
    context = {"administration": administration, "form": form, "call": call}
    if call is None:
        return render(request, "scholarships/endorsement_list.html", context)
    form.is_valid()  # call and state always are (see the form); an over-long search is dropped
    state = form.cleaned_data["state"]
    search = form.cleaned_data.get("q", "").strip()
    applications = selectors.endorsement_queue(administration=administration, call=call, state=state, search=search)
    # Without a search the call's counts already say how many there are: no COUNT query.
    paginator = (
        Paginator(applications, ENDORSEMENT_PAGE_SIZE)
        if search
        else CountedPaginator(applications, ENDORSEMENT_PAGE_SIZE, count=call.state_counts[state])
    )
    page = paginator.get_page(request.GET.get("page"))
    _with_endorsement_display(page.object_list)
    endorsed = []  # the ranking form's list; no query while nobody is endorsed
    if call.state_counts[EndorsementQueueState.ENDORSED]:
        endorsed = list(selectors.endorsed_candidates(administration=administration, call=call))
    query = urlencode({"call": call.pk, "state": state, **({"q": search} if search else {})})
    here = f"{request.path}?{query}" + (f"&page={page.number}" if page.number > 1 else "")
    return render(
        request,
        "scholarships/endorsement_list.html",
        {
            **context,
            "page": page,
            "query": query,
            "here": here,
            # The same options in every row's form: written once.
            "decision_options": format_html_join(
                "", '<option value="{}">{}</option>', choice_labels(EndorsementDecision).items()
            ),
            "endorsed": endorsed,
        },
    )


def _with_endorsement_display(applications) -> None:
    """Add what the queue's template prints for each row: links and labels worked out once per page, not per row
    (``get_FOO_display`` translates every choice of the field), and the endorsement as plain attributes (a missing
    reverse one-to-one raises, which is slow in templates)."""
    statuses, endorsement_statuses = choice_labels(ApplicationStatus), choice_labels(EndorsementStatus)
    detail_url, decide_url = row_url("scholarships:application_detail"), row_url("scholarships:endorsement_decide")
    for application in applications:
        application.detail_url, application.decide_url = detail_url(application.pk), decide_url(application.pk)
        application.status_label = statuses.get(application.status, application.status)
        application.endorsement_label = endorsement_statuses.get(application.endorsement_status, "")
        endorsement = getattr(application, "endorsement", None)
        application.endorsement_rank = endorsement.rank if endorsement else None
        application.endorsement_comment = endorsement.comment if endorsement else ""


def _endorsement_next(request) -> str:
    return _safe_next(request, reverse("scholarships:endorsement_list"))


@require_POST
@login_required
def endorsement_decide(request, pk):
    application = access.get_application_to_endorse(request.user, pk)
    form = EndorsementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to endorse or decline."))
        return redirect(_endorsement_next(request))
    try:
        services.endorsement_decide(
            application=application,
            administration=access.endorsing_administration(request.user),
            by=request.user,
            **form.cleaned_data,
        )
    except TransitionError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your decision on %(name)s was saved.") % {"name": application.full_name})
    return redirect(_endorsement_next(request))


@require_POST
@login_required
def endorsement_rank(request, call_pk):
    administration = access.endorsing_administration(request.user)
    if administration is None:
        raise Http404
    call = access.get_call_for(request.user, call_pk)
    try:
        order = [int(value) for value in request.POST.getlist("order")]
        services.endorsement_rank(call=call, administration=administration, order=order, by=request.user)
    except (ValueError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [_("The order could not be read.")])))
    else:
        messages.success(request, _("The ranking was saved."))
    return redirect(_endorsement_next(request))

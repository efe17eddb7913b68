"""Workshop requests: a contact point's request and staff's answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import add_service_errors, query_without_page

from .. import access, selectors, services
from ..forms import (
    ReasonForm,
    WorkshopRequestForm,
)

PAGE_SIZE = 50


@login_required
def request_list(request):
    visible = access.requests_visible_to(request.user)
    if not access.can_see_requests(request.user):
        raise Http404
    status = request.GET.get("status", "")
    page = Paginator(selectors.request_queue(visible=visible, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workshops/request_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "status": status,
            "is_staff": access.can_manage_workshops(request.user),
            "can_request": access.can_request_workshop(request.user),
            "reason_form": ReasonForm(),
        },
    )


@login_required
def request_create(request):
    administration = access.requesting_administration(request.user)
    if administration is None:
        raise Http404
    form = WorkshopRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_submit(administration=administration, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your request was sent to the WCO BACUDA team."))
            return redirect("workshops:request_list")
    return render(request, "workshops/request_form.html", {"form": form, "administration": administration})


@require_POST
@login_required
def request_decide(request, request_pk, action):
    workshop_request = access.get_request_for(request.user, request_pk, decide=True)
    try:
        if action == "accept":
            workshop = services.request_accept(workshop_request=workshop_request, by=request.user)
            messages.success(request, _("The request is accepted; plan the workshop below."))
            return redirect(workshop)
        if action == "decline":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Please give the reason for declining."))
            services.request_decline(
                workshop_request=workshop_request, reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, _("The request was declined; the contact point is told why."))
        else:
            raise Http404
    except (TransitionError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("workshops:request_list")


@require_POST
@login_required
def request_withdraw(request, request_pk):
    workshop_request = access.get_request_for(request.user, request_pk)
    if not access.can_withdraw_request(request.user, workshop_request):
        raise Http404
    services.request_withdraw(workshop_request=workshop_request, by=request.user)
    messages.success(request, _("Your request was withdrawn."))
    return redirect("workshops:request_list")

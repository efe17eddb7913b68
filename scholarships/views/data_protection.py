"""Data protection: the applicant's own data, erasure requests and staff's list of them."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.pages import (
    run_state_change,
)
from bacuda_portal.core.uploads import attachment_response
from bacuda_portal.members import privacy_views

from .. import access, services
from ..forms import (
    ErasureForm,
)


@login_required
def my_data(request):
    if not access.can_manage_own_data(request.user):
        raise Http404
    if request.GET.get("format") == "zip":
        return attachment_response(
            services.applicant_data_export(user=request.user), filename="bacuda-scholarship-data.zip"
        )
    return render(
        request,
        "scholarships/my_data.html",
        {"form": ErasureForm(), "requests": request.user.erasure_requests.order_by("-created_at")},
    )


@require_POST
@login_required
def erasure_request(request):
    if not access.can_manage_own_data(request.user):
        raise Http404
    form = ErasureForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    run_state_change(
        request,
        lambda: services.erasure_request(user=request.user, note=note),
        success=_("Your request was recorded. Staff will erase your data and tell you."),
    )
    return redirect("scholarships:my_data")


@login_required
def erasure_list(request):
    """Erasure requests (of every kind) are handled on the data-protection register; this address stays."""
    if not access.can_run_review(request.user):
        raise Http404
    return redirect("privacy:register")


# The register's action, at the address this app's pages used before.
erasure_carry_out = privacy_views.erasure_carry_out

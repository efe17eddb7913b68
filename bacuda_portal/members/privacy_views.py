"""Pages of data protection: a person's own data (export and erasure request) and the staff's data-protection
register (what is held, why, for how long, what is due for erasure, the pending requests). Thin: they parse,
ask ``privacy_access``, call one service and render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bacuda_portal.core import privacy_selectors, privacy_services
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import private_file_response

from . import privacy_access
from .forms import AccountErasureForm


def _own_data_page(request, form=None, status=200):
    return render(
        request,
        "members/my_data.html",
        {
            "export": privacy_selectors.latest_export_of(request.user),
            "form": form or AccountErasureForm(),
            "requests": request.user.erasure_requests.order_by("-created_at"),
            "retention_days": settings.BACUDA_RETENTION_EXPORT_DAYS,
        },
        status=status,
    )


@never_cache
@login_required
def my_data(request):
    if not privacy_access.can_manage_own_data(request.user):
        raise Http404
    return _own_data_page(request)


@require_POST
@login_required
def export_request(request):
    if not privacy_access.can_manage_own_data(request.user):
        raise Http404
    _export, created = privacy_services.export_request(user=request.user)
    if created:
        messages.success(request, _("Your data is being prepared. This page shows when it is ready."))
    return redirect("privacy:my_data")


@login_required
def export_download(request, pk):
    export = privacy_access.get_own_ready_export(request.user, pk)
    audit_record(actor=request.user, action="privacy.export.downloaded", target=export)
    return private_file_response(export.file, download_name=f"bacuda-my-data-{timezone.localdate():%Y%m%d}.zip")


@require_POST
@login_required
def erasure_request(request):
    if not privacy_access.can_manage_own_data(request.user):
        raise Http404
    form = AccountErasureForm(request.POST)
    if not form.is_valid():
        return _own_data_page(request, form=form, status=400)
    try:
        privacy_services.erasure_request(user=request.user, note=form.cleaned_data["note"])
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your request was recorded. Staff will erase your data and close your account."))
    return redirect("privacy:my_data")


@never_cache
@login_required
def register(request):
    if not privacy_access.can_see_register(request.user):
        raise Http404
    rows = privacy_selectors.register_rows()
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="bacuda-data-protection-register",
            header=[
                _("Key"),
                _("Kind of personal data"),
                _("Purpose"),
                _("Legal basis"),
                _("Data held"),
                _("Retention"),
                _("Records holding personal data"),
                _("Due for erasure now"),
                _("Oldest due since"),
            ],
            rows=(
                (
                    row.category.key,
                    row.category.title,
                    row.category.purpose,
                    row.category.legal_basis,
                    row.category.data,
                    row.retention,
                    row.held,
                    row.due,
                    row.oldest_due or "",
                )
                for row in rows
            ),
            actor=request.user,
            action="privacy.register.exported",
        )
    pending = [
        (erasure, privacy_access.can_carry_out(request.user, erasure))
        for erasure in privacy_selectors.pending_erasure_requests()
    ]
    return render(
        request,
        "members/privacy_register.html",
        {
            "rows": rows,
            "pending": pending,
            "done": privacy_selectors.recent_erasure_requests(),
            "titles": {row.category.key: row.category.title for row in rows},
        },
    )


@require_POST
@login_required
def erasure_carry_out(request, pk):
    erasure = privacy_access.get_erasure_request_to_carry_out(request.user, pk)
    try:
        outcome = privacy_services.erasure_carry_out(request=erasure, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The request was carried out: %(erased)d records erased, %(held)d kept until their period ends.")
            % {"erased": sum(outcome["erased"].values()), "held": sum(outcome["held"].values())},
        )
    return redirect("privacy:register")

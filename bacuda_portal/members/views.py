"""Pages of the members app: thin; they parse input, ask ``access``, call one service and render."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import query_without_page, row_url, run_state_change

from . import access, selectors, services
from .enums import InvitationStatus, MemberKind
from .forms import AdministrationFilterForm, InvitationAcceptForm, InvitationForm

PAGE_SIZE = 50


@login_required
def administration_list(request):
    if not access.is_wco_staff(request.user):
        raise Http404
    regions = list(selectors.regions())
    form = AdministrationFilterForm(request.GET or None, regions=regions)
    filters = form.cleaned_data if form.is_valid() else {}
    administrations = selectors.administration_list(
        visible=access.administrations_visible_to(request.user),
        search=filters.get("q", ""),
        region=filters.get("region", ""),
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
    )
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="wco-member-administrations",
            header=[
                _("Code"),
                _("ISO alpha-2"),
                _("Name (English)"),
                _("Name (French)"),
                _("Region"),
                _("Kind"),
                _("Active contact points"),
                _("Membership ended on"),
            ],
            rows=(
                (
                    a.code,
                    a.iso_alpha2,
                    a.name_en,
                    a.name_fr,
                    a.region.code,
                    a.get_kind_display(),
                    a.contact_point_count,
                    a.retired_on or "",
                )
                for a in administrations.iterator(chunk_size=500)
            ),
            actor=request.user,
            action="members.administrations.exported",
        )
    page = Paginator(administrations, PAGE_SIZE).get_page(request.GET.get("page"))
    kinds, url = choice_labels(MemberKind), row_url("members:administration_detail", "code")
    for administration in page:
        administration.kind_label = kinds.get(administration.kind, administration.kind)
        administration.url = url(administration.code)
    return render(
        request,
        "members/administration_list.html",
        {"form": form, "page": page, "query": query_without_page(request), "regions": regions},
    )


def _administration_page(request, administration, invite_form=None, status=200):
    can_manage = access.can_manage_contact_points(request.user, administration)
    context = {
        "administration": administration,
        "contact_points": selectors.active_contact_points_of(administration),
        "can_manage": can_manage,
    }
    if can_manage:
        context["invitations"] = selectors.pending_invitations_of(administration)
        context["invite_form"] = invite_form or InvitationForm(initial={"language": request.LANGUAGE_CODE})
    return render(request, "members/administration_detail.html", context, status=status)


@login_required
def administration_detail(request, code):
    return _administration_page(request, access.get_administration_for(request.user, code))


@require_POST
@login_required
def invitation_create(request, code):
    administration = access.get_administration_for(request.user, code)
    if not access.can_manage_contact_points(request.user, administration):
        raise Http404
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                administration=administration, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect(administration)
    # Show the page again with the form's errors and everything the user typed.
    return _administration_page(request, administration, invite_form=form, status=400)


@require_POST
@login_required
def invitation_resend(request, pk):
    invitation = access.get_invitation_for_staff(request.user, pk)
    run_state_change(
        request,
        lambda: services.invitation_resend(invitation=invitation, by=request.user),
        success=_("A new invitation link was sent to %(email)s.") % {"email": invitation.email},
    )
    return redirect(invitation.administration)


@require_POST
@login_required
def invitation_revoke(request, pk):
    invitation = access.get_invitation_for_staff(request.user, pk)
    run_state_change(
        request,
        lambda: services.invitation_revoke(invitation=invitation, by=request.user),
        success=_("The invitation to %(email)s was withdrawn.") % {"email": invitation.email},
    )
    return redirect(invitation.administration)


@never_cache
def invitation_accept(request, token):
    """Public: the link in the invitation email. Single use; expired, used or withdrawn links say so."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None or invitation.status != InvitationStatus.PENDING:
        return render(request, "members/invitation_invalid.html", {"invitation": invitation}, status=410)
    form = InvitationAcceptForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except TransitionError:
            return render(request, "members/invitation_invalid.html", {"invitation": invitation}, status=410)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(request, _("Welcome to the BACUDA Portal. Your account is ready."))
            return redirect(invitation.administration)
    return render(request, "members/invitation_accept.html", {"invitation": invitation, "form": form})


@never_cache
@login_required
def api_token(request):
    """Create, replace or revoke the user's personal API token. The token is shown once, after creation."""
    new_token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.api_token_revoke(user=request.user)
            messages.success(request, _("Your API token was revoked."))
            return redirect(reverse("members:api_token"))
        new_token = services.api_token_regenerate(user=request.user).key
    has_token = new_token is not None or Token.objects.filter(user=request.user).exists()
    return render(request, "members/api_token.html", {"new_token": new_token, "has_token": has_token})

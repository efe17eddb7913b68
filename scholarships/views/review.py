"""Review: the reviewer's pages, and staff assigning reviewers for a call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import (
    add_service_errors,
    run_state_change,
)
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import private_file_response

from .. import access, selectors, services
from ..forms import (
    ConflictForm,
    ManualAssignForm,
    ReviewForm,
)
from ..models import Application
from ..models.applications import DOCUMENT_FIELDS
from .common import _error_text


@login_required
def review_list(request):
    if not access.is_reviewer(request.user):
        raise Http404
    reviews = selectors.assignments_of(access.reviews_visible_to(request.user).filter(reviewer__user=request.user))
    return render(request, "scholarships/review_list.html", {"reviews": reviews})


@login_required
def review_form(request, pk):
    review = access.get_review_for(request.user, pk)
    application = review.application
    call = review.call
    blind = access.is_blind_for(request.user, review)
    form = ReviewForm(
        request.POST or None,
        criteria=call.criteria.order_by("order", "pk"),
        initial_scores=selectors.review_scores(review),
        initial={"recommendation": review.recommendation, "comment": review.comment},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(
                review=review,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
                submit=request.POST.get("action") == "submit",
                by=request.user,
            )
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect("scholarships:review_form", pk=review.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your review was saved."))
            return redirect("scholarships:review_form", pk=review.pk)
    audit_record(actor=request.user, action="scholarships.application.viewed", target=application, via="review")
    open_phase = call.review_phases.open().first()
    return render(
        request,
        "scholarships/review_form.html",
        {
            "review": review,
            "application": application,
            "blind": blind,
            "form": form,
            "conflict_form": ConflictForm(),
            "open_phase": open_phase,
            "phases": list(call.review_phases.all()),
            "editable": review.status == "assigned" and open_phase is not None,
            "others": selectors.other_reviews(review) if access.sees_other_reviews(review) else None,
            "documents": [] if blind else [(name, application._meta.get_field(name).verbose_name)
                                           for name in DOCUMENT_FIELDS if getattr(application, name)],
        },
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


@require_POST
@login_required
def review_conflict(request, pk):
    review = access.get_review_for(request.user, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say briefly what the conflict is."))
        return redirect("scholarships:review_form", pk=review.pk)
    try:
        services.review_declare_conflict(review=review, reason=form.cleaned_data["reason"], by=request.user)
    except (TransitionError, ValidationError) as error:
        messages.error(request, _error_text(error))
        return redirect("scholarships:review_form", pk=review.pk)
    messages.success(request, _("Your conflict of interest was recorded; the application is no longer shown to you."))
    return redirect("scholarships:review_list")


@login_required
def review_document(request, pk, name):
    review = access.get_review_for(request.user, pk)
    application = review.application
    if access.is_blind_for(request.user, review) or name not in DOCUMENT_FIELDS or not getattr(application, name):
        raise Http404
    audit_record(actor=request.user, action="scholarships.document.downloaded", target=application, document=name)
    return private_file_response(getattr(application, name), download_name=f"application-{application.pk}-{name}.pdf")


@login_required
def call_review(request, pk):
    call = access.get_call_for_staff(request.user, pk)
    overview = selectors.review_overview(call)
    # The hand-assignment select offers the pool's active reviewers: read once, with the pool.
    active = [reviewer for reviewer in overview["pool"] if reviewer.is_active]
    return render(
        request,
        "scholarships/call_review.html",
        {
            "call": call,
            **overview,
            "criteria": list(call.criteria.order_by("order", "pk")),
            "phases": list(call.review_phases.all()),
            "assign_form": ManualAssignForm(call=call, reviewers=active),
        },
    )


@require_POST
@login_required
def reviews_assign(request, pk):
    call = access.get_call_for_staff(request.user, pk)
    result = services.reviews_assign_automatically(call=call, by=request.user)
    messages.success(request, _("%(created)d assignments were made.") % result)
    if result["short"]:
        messages.warning(
            request,
            _("%(short)d applications could not get enough reviewers: add reviewers to the call's pool.") % result,
        )
    return redirect("scholarships:call_review", pk=call.pk)


@require_POST
@login_required
def review_assign_one(request, pk):
    call = access.get_call_for_staff(request.user, pk)
    form = ManualAssignForm(request.POST, call=call)
    if not form.is_valid():
        messages.error(request, _("Choose an application of this call and a reviewer of its pool."))
        return redirect("scholarships:call_review", pk=call.pk)
    application = Application.objects.filter(call=call, pk=form.cleaned_data["application"]).first()
    if application is None:
        messages.error(request, _("There is no application with this reference in this call."))
        return redirect("scholarships:call_review", pk=call.pk)
    run_state_change(
        request,
        lambda: services.review_assign(
            application=application, reviewer=form.cleaned_data["reviewer"], by=request.user
        ),
        success=_("The reviewer was assigned."),
    )
    return redirect("scholarships:call_review", pk=call.pk)

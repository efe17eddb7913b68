"""The applicant's side: the public calls, the form step by step, the submission, the withdrawal, the
application's page, its documents and the programme's outcome."""

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
from ..enums import (
    STEP_ORDER,
    ApplicationStatus,
    ApplicationStep,
)
from ..forms import (
    STEP_FORMS,
    DecisionForm,
    EndorsementForm,
    MotivationForm,
    OverrideForm,
    ProgrammeOutcomeForm,
    SubmitForm,
)
from ..models.applications import DOCUMENT_FIELDS
from .common import _error_text, _reasons_for_display, _steps


def call_list(request):
    user = request.user
    return render(
        request,
        "scholarships/call_list.html",
        {
            "calls": selectors.open_calls(visible=access.calls_visible_to(user), with_modules=False),
            "my_applications": selectors.applications_of_applicant(user) if user.is_authenticated else [],
            "can_manage": access.can_manage_applications(user),
            "endorsing_for": access.endorsing_administration(user),
        },
    )


def call_detail(request, pk):
    call = access.get_call_for(request.user, pk)
    own = None
    if request.user.is_authenticated:
        own = selectors.applications_of_applicant(request.user).filter(call=call).first()
    return render(
        request,
        "scholarships/call_detail.html",
        {
            "call": call,
            **selectors.call_detail(call),
            "is_open": call.is_open(),
            "can_apply": access.can_apply(request.user) or not request.user.is_authenticated,
            "own_application": own,
            "is_staff": access.can_run_review(request.user),
        },
    )


@require_POST
@login_required
def application_start(request, pk):
    call = access.get_call_for(request.user, pk)
    if not access.can_apply(request.user):
        raise Http404
    try:
        application = services.application_start(call=call, applicant=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect(call)
    return redirect("scholarships:application_step", pk=application.pk, step=ApplicationStep.PERSONAL)


@login_required
def application_step(request, pk, step):
    application = access.get_own_application(request.user, pk)
    if step not in STEP_ORDER:
        raise Http404
    if application.status != ApplicationStatus.DRAFT:
        return redirect(application)
    if step == ApplicationStep.REVIEW:
        return application_review(request, application)
    form_class = STEP_FORMS[step]
    extra = {"call": application.call} if form_class is MotivationForm else {}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES or None, instance=application, **extra)
        if form.is_valid():
            try:
                services.application_save_step(
                    application=application, step=step, by=request.user, values=form.cleaned_data
                )
            except TransitionError as error:
                messages.error(request, str(error))
                return redirect(application)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your draft was saved."))
                return redirect(
                    "scholarships:application_step", pk=application.pk, step=STEP_ORDER[STEP_ORDER.index(step) + 1]
                )
        if form.errors and request.FILES:
            # Browsers never pre-fill a file input: say so, rather than let the user think the file is kept.
            form.add_error(None, _("Nothing was saved. Your entries are kept below, but choose the files again."))
        application.refresh_from_db()
    else:
        form = form_class(instance=application, **extra)
    index = STEP_ORDER.index(step)
    return render(
        request,
        "scholarships/application_step.html",
        {
            "application": application,
            "form": form,
            "step": ApplicationStep(step),
            "steps": _steps(application, step),
            "previous_step": STEP_ORDER[index - 1] if index > 0 else None,
            "is_documents": step == ApplicationStep.DOCUMENTS,
            "is_open": application.call.is_open(),
        },
        status=400 if request.method == "POST" else 200,
    )


def application_review(request, application):
    """The last step: what is missing, the consent, and the button that posts to ``application_submit`` (a POST
    here, from a page opened before that address existed, submits too)."""
    if request.method == "POST":
        return _submit(request, application)
    return _review_page(request, application, SubmitForm())


def _review_page(request, application, form, status: int = 200):
    return render(
        request,
        "scholarships/application_review.html",
        {
            "application": application,
            "form": form,
            "step": ApplicationStep.REVIEW,
            "steps": _steps(application, ApplicationStep.REVIEW),
            "missing": services.missing_for_submission(application),
            "is_open": application.call.is_open(),
        },
        status=status,
    )


def _submit(request, application):
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            services.application_submit(application=application, by=request.user, consent=form.cleaned_data["consent"])
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect(application)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your application was submitted. A confirmation was sent to you by email."))
            return redirect(application)
    return _review_page(request, application, form, status=400)


@require_POST
@login_required
def application_submit(request, pk):
    """Draft -> submitted, by its applicant (404 for anyone else's); the review step's form posts here."""
    application = access.get_own_application(request.user, pk)
    if application.status != ApplicationStatus.DRAFT:
        if application.status == ApplicationStatus.SUBMITTED:
            messages.info(request, _("This application has already been submitted."))
        else:
            messages.error(request, _("This application was withdrawn and can no longer be changed."))
        return redirect(application)
    return _submit(request, application)


@require_POST
@login_required
def application_withdraw(request, pk):
    application = access.get_own_application(request.user, pk)
    run_state_change(
        request,
        lambda: services.application_withdraw(application=application, by=request.user),
        success=_("Your application was withdrawn."),
    )
    return redirect(application)


@login_required
def application_detail(request, pk):
    application = access.get_application_for(request.user, pk)
    if access.is_personal_data_viewer(request.user, application):
        audit_record(actor=request.user, action="scholarships.application.viewed", target=application)
    checks = list(selectors.eligibility_history(application))
    application_decision = getattr(application, "decision", None)
    latest = checks[0] if checks else None
    is_staff = access.can_manage_applications(request.user)
    programme_outcome = getattr(application, "programme_outcome", None) if is_staff else None
    on_programme = is_staff and services.has_programme(application_decision)
    return render(
        request,
        "scholarships/application_detail.html",
        {
            "application": application,
            "is_own": access.is_own_application(request.user, application),
            "is_staff": is_staff,
            "reasons": _reasons_for_display(latest.reasons) if latest else [],
            "checks": checks if is_staff else [],
            "endorsement": getattr(application, "endorsement", None),
            "can_endorse": access.can_endorse(request.user, application),
            "decision": application_decision if is_staff else access.released_decision_of(application),
            "decision_form": DecisionForm() if is_staff else None,
            "endorsement_form": EndorsementForm(),
            "override_form": OverrideForm() if is_staff else None,
            "programme_outcome": programme_outcome,
            "outcome_form": _outcome_form(programme_outcome) if on_programme else None,
            "documents": [(name, application._meta.get_field(name).verbose_name) for name in DOCUMENT_FIELDS
                          if getattr(application, name)],
        },
    )  # fmt: skip


def _outcome_form(outcome) -> ProgrammeOutcomeForm:
    initial = {"result": outcome.result, "ended_on": outcome.ended_on, "reason": outcome.reason} if outcome else {}
    return ProgrammeOutcomeForm(initial=initial)


@require_POST
@login_required
def programme_outcome_record(request, pk):
    """Staff record (or correct) how the programme ended for a selected candidate who accepted the offer."""
    application = access.get_application_for_staff(request.user, pk)
    form = ProgrammeOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(message) for errors in form.errors.values() for message in errors))
        return redirect(application)
    try:
        services.programme_outcome_record(application=application, by=request.user, **form.cleaned_data)
    except (TransitionError, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The programme outcome was recorded."))
    return redirect(application)


@login_required
def application_document(request, pk, name):
    application = access.get_application_for(request.user, pk)
    if name not in DOCUMENT_FIELDS or not getattr(application, name):
        raise Http404
    if access.is_personal_data_viewer(request.user, application):
        audit_record(actor=request.user, action="scholarships.document.downloaded", target=application, document=name)
    return private_file_response(getattr(application, name), download_name=f"application-{application.pk}-{name}.pdf")

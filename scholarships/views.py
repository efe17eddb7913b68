"""Pages of the scholarships app: thin; they parse input, ask ``access``, call one service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.csv_export import csv_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import add_service_errors, query_without_page
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import private_file_response

from . import access, selectors, services
from .enums import STEP_ORDER, ApplicationStatus, ApplicationStep, EligibilityRule
from .forms import (
    CSV_COLUMNS,
    DEFAULT_CSV_COLUMNS,
    STEP_FORMS,
    ApplicationFilterForm,
    CsvColumnsForm,
    EndorsementForm,
    MotivationForm,
    OverrideForm,
    SubmitForm,
)
from .models.applications import DOCUMENT_FIELDS

PAGE_SIZE = 50


def _steps(application, current: str) -> list[dict]:
    return [
        {"key": step.value, "label": step.label, "current": step.value == current,
         "url": reverse("scholarships:application_step", args=[application.pk, step.value])}
        for step in ApplicationStep
    ]  # fmt: skip


def _reasons_for_display(reasons: list[dict]) -> list[dict]:
    labels = dict(EligibilityRule.choices)
    return [{**reason, "label": labels.get(reason["rule"], reason["rule"])} for reason in reasons]


# --- Public calls --------------------------------------------------------------------------------------
def call_list(request):
    user = request.user
    return render(
        request,
        "scholarships/call_list.html",
        {
            "calls": selectors.open_calls(visible=access.calls_visible_to(user)),
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


# --- The applicant's form ------------------------------------------------------------------------------
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
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
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
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def application_withdraw(request, pk):
    application = access.get_own_application(request.user, pk)
    try:
        services.application_withdraw(application=application, by=request.user)
        messages.success(request, _("Your application was withdrawn."))
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(application)


# --- One application: the applicant's status page, the contact point's and staff's view -----------------
@login_required
def application_detail(request, pk):
    application = access.get_application_for(request.user, pk)
    if access.is_personal_data_viewer(request.user, application):
        audit_record(actor=request.user, action="scholarships.application.viewed", target=application)
    checks = list(selectors.eligibility_history(application))
    latest = checks[0] if checks else None
    is_staff = access.can_manage_applications(request.user)
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
            "endorsement_form": EndorsementForm(),
            "override_form": OverrideForm() if is_staff else None,
            "documents": [(name, application._meta.get_field(name).verbose_name) for name in DOCUMENT_FIELDS
                          if getattr(application, name)],
        },
    )  # fmt: skip


@login_required
def application_document(request, pk, name):
    application = access.get_application_for(request.user, pk)
    if name not in DOCUMENT_FIELDS or not getattr(application, name):
        raise Http404
    if access.is_personal_data_viewer(request.user, application):
        audit_record(actor=request.user, action="scholarships.document.downloaded", target=application, document=name)
    return private_file_response(getattr(application, name), download_name=f"application-{application.pk}-{name}.pdf")


# --- Contact points ------------------------------------------------------------------------------------
@login_required
def endorsement_list(request):
    administration = access.endorsing_administration(request.user)
    if administration is None:
        raise Http404
    applications = list(selectors.endorsement_queue(administration=administration))
    return render(
        request,
        "scholarships/endorsement_list.html",
        {"administration": administration, "applications": applications, "form": EndorsementForm()},
    )


@require_POST
@login_required
def endorsement_decide(request, pk):
    application = access.get_application_to_endorse(request.user, pk)
    form = EndorsementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to endorse or decline."))
        return redirect("scholarships:endorsement_list")
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
    return redirect("scholarships:endorsement_list")


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
    return redirect("scholarships:endorsement_list")


# --- Staff ---------------------------------------------------------------------------------------------
@login_required
def staff_application_list(request):
    if not access.can_manage_applications(request.user):
        raise Http404
    form = ApplicationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    applications = selectors.application_list(
        visible=access.applications_visible_to(request.user),
        search=filters.get("q", ""),
        call=filters["call"].pk if filters.get("call") else None,
        status=filters.get("status", ""),
        eligibility=filters.get("eligibility", ""),
        endorsement=filters.get("endorsement", ""),
        region=filters["region"].code if filters.get("region") else "",
    )
    columns_form = CsvColumnsForm(request.GET or None)
    if request.GET.get("format") == "csv":
        chosen = (columns_form.cleaned_data["columns"] if columns_form.is_valid() else []) or DEFAULT_CSV_COLUMNS
        return csv_response(
            filename="bacuda-scholarship-applications",
            header=[CSV_COLUMNS[key][0] for key in chosen],
            rows=([CSV_COLUMNS[key][1](a) for key in chosen] for a in applications.iterator(chunk_size=500)),
            actor=request.user,
            action="scholarships.applications.exported",
        )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "scholarships/staff_application_list.html",
        {"form": form, "columns_form": CsvColumnsForm(initial={"columns": DEFAULT_CSV_COLUMNS}), "page": page,
         "query": query_without_page(request)},
    )  # fmt: skip


@require_POST
@login_required
def eligibility_override(request, pk):
    application = access.get_application_for_staff(request.user, pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a result and write the rationale."))
        return redirect(application)
    try:
        services.eligibility_override(application=application, by=request.user, **form.cleaned_data)
    except (TransitionError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The eligibility was overridden."))
    return redirect(application)

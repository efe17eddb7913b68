"""Pages of the experts registry: thin; they parse input, ask ``access``, call one service and render."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.imports import import_page
from bacuda_portal.core.pages import add_service_errors, query_without_page
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import private_file_response
from workshops import selectors as workshop_selectors

from . import access, selectors, services
from .forms import (
    AccreditationForm,
    AvailabilityWindowForm,
    CvUploadForm,
    ExpertContactForm,
    ExpertFilterForm,
    ExpertForm,
    ExpertLanguagesForm,
)
from .imports import EXPERT_IMPORT
from .models import AvailabilityWindow

PAGE_SIZE = 50


def _profile_url(user, expert) -> str:
    """Where to go back to after a change: the expert's own "my profile" page, or the staff page."""
    return reverse("experts:me") if access.is_own_profile(user, expert) else expert.get_absolute_url()


@login_required
def expert_import(request):
    """Staff register many experts at once from a workbook or CSV (preview first, then all or nothing)."""
    if not access.can_manage_experts(request.user):
        raise Http404
    return import_page(
        request,
        spec=EXPERT_IMPORT,
        write=lambda rows: services.experts_import(rows=rows, by=request.user),
        title=_("Import experts"),
        intro=_("Register several experts at once from an Excel workbook or a CSV file. Each row is checked "
                "first; nothing is written until you confirm, and then every row or none."),
        done_url=reverse("experts:list"),
    )  # fmt: skip


# --- Staff list ----------------------------------------------------------------------------------------
def _csv_rows(experts):
    for expert in experts:
        yield (
            expert.full_name,
            expert.email,
            expert.phone,
            expert.administration.name if expert.administration else "",
            expert.nationality.name if expert.nationality else "",
            ", ".join(sorted({home.region.code for home in (expert.administration, expert.nationality) if home})),
            expert.get_accreditation_status_display(),
            "; ".join(str(area) for area in expert.expertise_areas.all()),
            "; ".join(f"{entry.get_language_display()} {entry.level}" for entry in expert.languages.all()),
            "; ".join(f"{window.start_date} – {window.end_date}" for window in expert.upcoming_availability),
            _("yes") if expert.is_active else _("no"),
            _("yes") if expert.cv else _("no"),
        )


@login_required
def expert_list(request):
    if not access.can_manage_experts(request.user):
        raise Http404
    form = ExpertFilterForm(request.GET or None)
    form.is_valid()  # collects the errors to show; invalid filters are left out of the search
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="bacuda-experts",
            header=[
                _("Full name"),
                _("Email"),
                _("Telephone"),
                _("Administration"),
                _("Nationality"),
                _("Regions"),
                _("Accreditation"),
                _("Expertise areas"),
                _("Languages"),
                _("Availability"),
                _("Active"),
                _("CV"),
            ],
            rows=_csv_rows(selectors.expert_search(**form.filters()).iterator(chunk_size=500)),
            actor=request.user,
            action="experts.experts.exported",
        )
    page = Paginator(selectors.expert_search_rows(**form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "experts/expert_list.html",
        {"form": form, "page": page, "rows": selectors.with_row_texts(page), "query": query_without_page(request)},
    )


@login_required
def expert_create(request):
    if not access.can_manage_experts(request.user):
        raise Http404
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expert = services.expert_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added to the experts registry.") % {"name": expert.full_name})
            return redirect(expert)
    status = 400 if form.is_bound else 200
    return render(request, "experts/expert_form.html", {"form": form, "expert": None}, status=status)


# --- One expert ----------------------------------------------------------------------------------------
def _expert_page(request, expert, *, languages_form=None, availability_form=None, cv_form=None, status=200):
    user = request.user
    can_edit = access.can_edit_profile(user, expert)
    spoken_languages = list(expert.languages.all())  # read once for the list and the form
    context = {
        "expert": expert,
        "expertise_areas": expert.expertise_areas.all(),
        "spoken_languages": spoken_languages,
        "history": selectors.accreditation_history_of(expert),
        # Deployments are derived from the workshops app's confirmed assignments.
        "deployments": workshop_selectors.deployments_of(expert),
        "availability": selectors.availability_of(expert),
        "today": timezone.localdate(),
        "can_manage": access.can_manage_experts(user),
        "can_edit": can_edit,
        "is_own": access.is_own_profile(user, expert),
    }
    if can_edit:
        context["languages_form"] = languages_form or ExpertLanguagesForm(expert=expert, languages=spoken_languages)
        context["availability_form"] = availability_form or AvailabilityWindowForm()
        context["cv_form"] = cv_form or CvUploadForm()
    return render(request, "experts/expert_detail.html", context, status=status)


@login_required
def expert_detail(request, pk):
    return _expert_page(request, access.get_expert_for(request.user, pk))


@login_required
def my_profile(request):
    """The signed-in expert's own profile; a user with no linked profile is told whom to ask."""
    expert = access.get_own_profile(request.user)
    if expert is None:
        return render(request, "experts/no_profile.html", status=404)
    return _expert_page(request, expert)


@login_required
def expert_update(request, pk):
    """Staff edit the whole profile; the expert edits their own contact details and biography."""
    expert = access.get_expert_for(request.user, pk)
    if not access.can_edit_profile(request.user, expert):
        raise Http404
    form_class = ExpertForm if access.can_manage_experts(request.user) else ExpertContactForm
    # The form works on a copy: validating a model form writes to its instance, and the service compares the
    # submitted values with the stored ones to record what changed.
    form = form_class(request.POST or None, instance=copy.copy(expert))
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_update(expert=expert, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect(_profile_url(request.user, expert))
    status = 400 if form.is_bound else 200
    return render(request, "experts/expert_form.html", {"form": form, "expert": expert}, status=status)


@login_required
def expert_accreditation(request, pk):
    expert = access.get_expert_for_staff(request.user, pk)
    form = AccreditationForm(request.POST or None, initial={"status": expert.accreditation_status})
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_set_accreditation(expert=expert, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error("status", str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The accreditation of %(name)s is now “%(status)s”.")
                % {"name": expert.full_name, "status": expert.get_accreditation_status_display()},
            )
            return redirect(expert)
    context = {"form": form, "expert": expert, "history": selectors.accreditation_history_of(expert)}
    return render(request, "experts/accreditation_form.html", context, status=400 if form.is_bound else 200)


@require_POST
@login_required
def expert_languages(request, pk):
    expert = access.get_expert_for(request.user, pk)
    if not access.can_edit_profile(request.user, expert):
        raise Http404
    form = ExpertLanguagesForm(request.POST, expert=expert)
    if form.is_valid():
        services.expert_languages_set(expert=expert, levels=form.levels(), by=request.user)
        messages.success(request, _("The languages were saved."))
        return redirect(_profile_url(request.user, expert))
    return _expert_page(request, expert, languages_form=form, status=400)


@require_POST
@login_required
def availability_add(request, pk):
    expert = access.get_expert_for(request.user, pk)
    if not access.can_edit_profile(request.user, expert):
        raise Http404
    form = AvailabilityWindowForm(request.POST, instance=AvailabilityWindow(expert=expert))
    if form.is_valid():
        try:
            services.availability_add(expert=expert, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The availability was added."))
            return redirect(_profile_url(request.user, expert))
    # Show the page again with the form's errors and everything the user typed.
    return _expert_page(request, expert, availability_form=form, status=400)


@require_POST
@login_required
def availability_remove(request, pk, window_pk):
    expert = access.get_expert_for(request.user, pk)
    window = access.get_availability_window_for(request.user, expert, window_pk)
    services.availability_remove(window=window, by=request.user)
    messages.success(request, _("The availability was removed."))
    return redirect(_profile_url(request.user, expert))


@require_POST
@login_required
def cv_upload(request, pk):
    expert = access.get_expert_for(request.user, pk)
    if not access.can_edit_profile(request.user, expert):
        raise Http404
    form = CvUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.expert_cv_upload(expert=expert, cv=form.cleaned_data["cv"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The CV was uploaded."))
            return redirect(_profile_url(request.user, expert))
    return _expert_page(request, expert, cv_form=form, status=400)


@login_required
def cv_download(request, pk):
    expert = access.get_expert_for(request.user, pk)
    if not expert.cv:
        raise Http404
    # A CV is personal data: who read it is in the audit log (staff search it under /staff/audit/).
    audit_record(actor=request.user, action="experts.cv.downloaded", target=expert)
    return private_file_response(expert.cv, download_name=f"cv-{slugify(expert.full_name) or expert.pk}.pdf")

"""Staff set up programmes and calls on the portal's own pages: the lists (search, filters, paging, CSV/Excel),
create and change (a call with its rubric, review phases and curriculum), copy a call for the next cohort, and
edit its decision letters' templates with a preview. Thin: they ask ``access``, call one service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.pages import add_service_errors, query_without_page, row_url

from .. import access, selectors, services
from ..enums import DecisionOutcome
from ..models import Call
from ..placeholders import PLACEHOLDERS
from ..setup_forms import (
    CALL_STATE_LABELS,
    ROW_FIELDS,
    CallFilterForm,
    CallForm,
    CriterionFormSet,
    LetterTemplateForm,
    ModuleFormSet,
    PhaseFormSet,
    ProgrammeFilterForm,
    ProgrammeForm,
    formset_rows,
)
from .common import PAGE_SIZE


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


@login_required
def programme_manage(request):
    access.require_call_setup(request.user)
    form = ProgrammeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    programmes = selectors.programme_list(search=filters.get("q", ""))
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="scholarship-programmes",
            header=[
                _("Name (English)"),
                _("Name (French)"),
                _("Partner institution"),
                _("Description"),
                _("Calls"),
                _("Last changed"),
            ],
            rows=(
                (row.name_en, row.name_fr, row.partner_institution, row.description, row.call_count, row.updated_at)
                for row in programmes.iterator(chunk_size=500)
            ),
            actor=request.user,
            action="scholarships.programmes.exported",
        )
    page = Paginator(programmes, PAGE_SIZE).get_page(request.GET.get("page"))
    edit_url = row_url("scholarships:programme_edit")
    for programme in page.object_list:
        programme.edit_url = edit_url(programme.pk)
    return render(
        request,
        "scholarships/setup/programme_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


@login_required
def programme_edit(request, pk: int | None = None):
    access.require_call_setup(request.user)
    programme = access.get_programme_for_setup(request.user, pk) if pk else None
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.programme_save(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("scholarships:programme_edit", pk=saved.pk)
    if programme is not None:
        programme.refresh_from_db()  # the title keeps the saved name, the form what was typed
    return render(
        request,
        "scholarships/setup/programme_form.html",
        {
            "form": form,
            "programme": programme,
            "title": _("Programme: %(name)s") % {"name": programme.name} if programme else _("New programme"),
            "calls": list(programme.calls.order_by("-opens_at")) if programme else [],
        },
        status=400 if request.method == "POST" else 200,
    )


CALL_CSV_HEADER = (
    gettext_lazy("Programme"), gettext_lazy("Cohort"), gettext_lazy("Partner university"), gettext_lazy("Seats"),
    gettext_lazy("Opens at"), gettext_lazy("Closes at"), gettext_lazy("Status"),
    gettext_lazy("Minimum years of service"), gettext_lazy("Language of instruction"),
    gettext_lazy("Required language level"), gettext_lazy("Endorsement required"),
    gettext_lazy("Endorsements per administration"), gettext_lazy("Motivation: minimum words"),
    gettext_lazy("Motivation: maximum words"), gettext_lazy("Reviews per application"), gettext_lazy("Blind review"),
    gettext_lazy("Rubric criteria"), gettext_lazy("Submitted applications"), gettext_lazy("Rules frozen"),
)  # fmt: skip


def _call_row(call) -> tuple:
    return (
        call.programme.name, call.localized_cohort_name, call.partner_university, call.seats, call.opens_at,
        call.closes_at,
        str(CALL_STATE_LABELS[selectors.call_state(call)]), call.min_years_of_service,
        call.get_instruction_language_display(), call.required_language_level, _yes_no(call.endorsement_required),
        call.quota_per_administration, call.motivation_min_words, call.motivation_max_words,
        call.reviews_per_application, _yes_no(call.blind_review), call.criterion_count, call.submitted_count,
        _yes_no(call.is_frozen),
    )  # fmt: skip


@login_required
def call_manage(request):
    access.require_call_setup(request.user)
    form = CallFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    calls = selectors.call_setup_list(
        search=filters.get("q", ""), programme=filters.get("programme"), state=filters.get("state", "")
    )
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="scholarship-calls",
            header=[str(name) for name in CALL_CSV_HEADER],
            rows=(_call_row(call) for call in calls.iterator(chunk_size=500)),
            actor=request.user,
            action="scholarships.calls.exported",
        )
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    edit_url = row_url("scholarships:call_edit")
    for call in page.object_list:
        call.edit_url = edit_url(call.pk)
        call.state_label = CALL_STATE_LABELS[selectors.call_state(call)]
    return render(
        request,
        "scholarships/setup/call_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def _formsets(data, call):
    instance = call or Call()
    return {
        "criteria": CriterionFormSet(data, instance=instance, prefix="criteria"),
        "phases": PhaseFormSet(data, instance=instance, prefix="phases"),
        "modules": ModuleFormSet(data, instance=instance, prefix="modules"),
    }


@login_required
def call_edit(request, pk: int | None = None):
    """Create a call (``?programme=`` preselects its programme) or change one with its rubric, phases and
    curriculum on one page. Once applications were submitted, changing the frozen rules is refused with the reason
    and everything typed is kept."""
    access.require_call_setup(request.user)
    call = access.get_call_for_setup(request.user, pk) if pk else None
    frozen = services.call_has_submissions(call) if call else False
    data = request.POST if request.method == "POST" else None
    initial = {"programme": request.GET.get("programme")} if call is None else None
    form = CallForm(data, instance=call, initial=initial, frozen=frozen)
    formsets = _formsets(data, call)
    if data is not None and form.is_valid() and all(formset.is_valid() for formset in formsets.values()):
        rows = {key: formset_rows(formset, ROW_FIELDS[key]) for key, formset in formsets.items()}
        try:
            saved = services.call_save(call=call, by=request.user, **rows, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("scholarships:call_edit", pk=saved.pk)
    if call is not None:
        call.refresh_from_db()
    context = {
        "form": form,
        "formsets": formsets,
        "call": call,
        "frozen": frozen,
        "title": _("Call: %(call)s") % {"call": call} if call else _("New call for applications"),
        "setup": selectors.call_setup(call) if call else None,
        "outcomes": DecisionOutcome.choices,
    }
    return render(request, "scholarships/setup/call_form.html", context, status=400 if data is not None else 200)


@require_POST
@login_required
def call_copy(request, pk: int):
    call = access.get_call_for_setup(request.user, pk)
    try:
        copy = services.call_copy(call=call, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("scholarships:call_edit", pk=call.pk)
    messages.success(
        request,
        _("This is a copy of %(call)s for the next cohort, a year later, not published: check it and save it.")
        % {"call": call},
    )
    return redirect("scholarships:call_edit", pk=copy.pk)


@login_required
def letter_template_edit(request, pk: int, outcome: str):
    """The call's letter for one decision, English and French side by side, with the letter it gives for a
    submitted application of the call (or a sample applicant). ``Preview`` shows the typed text without saving."""
    call = access.get_call_for_setup(request.user, pk)
    if outcome not in DecisionOutcome.values:
        raise Http404
    template = services.letter_template_or_default(call=call, outcome=outcome)
    form = LetterTemplateForm(request.POST or None, instance=template)
    preview_only = "preview" in request.POST
    status = 200
    if request.method == "POST" and form.is_valid():
        texts = form.cleaned_data
        if not preview_only:
            try:
                services.letter_template_save(call=call, outcome=outcome, by=request.user, **texts)
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, _("The letter template is saved: letters drafted from now on use it."))
                return redirect("scholarships:letter_template_edit", pk=call.pk, outcome=outcome)
    elif request.method == "POST":
        status = 400
    sample = selectors.sample_application(call)
    texts = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {
        name: getattr(template, name) for name in ("subject_en", "body_en", "subject_fr", "body_fr")
    }  # fmt: skip
    if form.is_bound and form.errors:
        texts = {name: form.data.get(name, "") for name in ("subject_en", "body_en", "subject_fr", "body_fr")}
    return render(
        request,
        "scholarships/setup/letter_template_form.html",
        {
            "call": call,
            "form": form,
            "outcome_label": DecisionOutcome(outcome).label,
            "preview": services.letter_preview(call=call, outcome=outcome, texts=texts, application=sample),
            "sample": sample,
            "placeholders": ["{{ %s }}" % name for name in PLACEHOLDERS],  # noqa: UP031
            "back_url": reverse("scholarships:call_edit", args=[call.pk]),
        },
        status=status,
    )

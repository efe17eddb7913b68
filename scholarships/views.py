"""Pages of the scholarships app: thin; they parse input, ask ``access``, call one service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import (
    add_service_errors,
    query_without_page,
    row_url,
    run_state_change,
)
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import attachment_response, private_file_response
from bacuda_portal.members import privacy_views

from . import access, selectors, services
from .enums import (
    STEP_ORDER,
    ApplicationStatus,
    ApplicationStep,
    DecisionOutcome,
    DecisionStatus,
    EligibilityResult,
    EligibilityRule,
    EndorsementDecision,
    EndorsementQueueState,
    EndorsementStatus,
    Gender,
    LetterStatus,
)
from .forms import (
    CSV_COLUMNS,
    DEFAULT_CSV_COLUMNS,
    STEP_FORMS,
    ApplicationFilterForm,
    ConflictForm,
    CsvColumnsForm,
    DecisionForm,
    EndorsementForm,
    EndorsementQueueForm,
    ErasureForm,
    LetterForm,
    ManualAssignForm,
    MotivationForm,
    OverrideForm,
    ProgrammeOutcomeForm,
    RankingFilterForm,
    ReviewForm,
    SubmitForm,
)
from .models import Application
from .models.applications import DOCUMENT_FIELDS

PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator told its count (when the list's own count would be a costly query)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


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
    run_state_change(
        request,
        lambda: services.application_withdraw(application=application, by=request.user),
        success=_("Your application was withdrawn."),
    )
    return redirect(application)


# --- One application: the applicant's status page, the contact point's and staff's view -----------------
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


# --- Contact points ------------------------------------------------------------------------------------
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
        call=filters.get("call"),
        status=filters.get("status", ""),
        eligibility=filters.get("eligibility", ""),
        endorsement=filters.get("endorsement", ""),
        region=filters.get("region", ""),
    )
    columns_form = CsvColumnsForm(request.GET or None)
    if file_format := export_format(request):
        chosen = (columns_form.cleaned_data["columns"] if columns_form.is_valid() else []) or DEFAULT_CSV_COLUMNS
        return table_response(
            file_format=file_format,
            filename="bacuda-scholarship-applications",
            header=[CSV_COLUMNS[key][0] for key in chosen],
            rows=([CSV_COLUMNS[key][1](a) for key in chosen] for a in applications.iterator(chunk_size=500)),
            actor=request.user,
            action="scholarships.applications.exported",
        )
    page = Paginator(selectors.staff_list_rows(applications), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _staff_list_rows(page.object_list, call_names=form.call_names)
    # The export's column checkboxes, written by the template: as widgets they cost a template each.
    csv_columns = [(key, str(header), key in DEFAULT_CSV_COLUMNS) for key, (header, _value) in CSV_COLUMNS.items()]
    if page.object_list:  # an empty page shows nobody's personal data: nothing to log
        audit_record(
            actor=request.user, action="scholarships.applications.listed", page="staff_list",
            applications=[row["pk"] for row in page.object_list],
        )  # fmt: skip
    return render(
        request,
        "scholarships/staff_application_list.html",
        {"form": form, "page": page, "query": query_without_page(request), "csv_columns": csv_columns},
    )  # fmt: skip


def _staff_list_rows(rows, *, call_names: dict[int, str]) -> list[dict]:
    """What the staff list's template prints for each ``selectors.staff_list_rows`` row. Labels and links are
    worked out once per page, not per row (``get_FOO_display`` translates every choice of the field)."""
    statuses = choice_labels(ApplicationStatus)
    eligibilities = choice_labels(EligibilityResult)
    endorsements = choice_labels(EndorsementStatus)
    detail_url, call_url = row_url("scholarships:application_detail"), row_url("scholarships:call_detail")
    french = (get_language() or "en").startswith("fr")  # as ``BilingualNameMixin.name``
    return [
        {
            "pk": row["pk"],
            "url": detail_url(row["pk"]),
            "name": row["full_name"] or row["applicant__email"] or "",
            "call_url": call_url(row["call_id"]),
            "call_name": call_names.get(row["call_id"], ""),
            "administration": (french and row["administration__name_fr"]) or row["administration__name_en"],
            "region": row["administration__region__code"],
            "status": statuses.get(row["status"], row["status"]),
            "eligibility": eligibilities.get(row["eligibility_result"], ""),
            "endorsement": endorsements.get(row["endorsement_status"], ""),
            "endorsement_rank": row["endorsement__rank"],
            "submitted_at": row["submitted_at"],
        }
        for row in rows
    ]


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


# --- Reviewers -----------------------------------------------------------------------------------------------
def _error_text(error) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


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


# --- Staff: running the review -------------------------------------------------------------------------------
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


# --- Staff: ranking and decisions ----------------------------------------------------------------------------
RANKING_CSV_HEADER = [
    _("Rank"), _("Reference"), _("Full name"), _("Administration"), _("Region"), _("Gender"), _("Reviews"),
    _("Weighted mean"), _("Median"), _("Spread"), _("Yes"), _("Maybe"), _("No"), _("Endorsement rank"),
    _("Decision"), _("Reserve place"),
]  # fmt: skip


def _two(value) -> str:
    return "" if value is None else f"{float(value):.2f}"


@login_required
def ranking(request, pk):
    call = access.get_call_for_staff(request.user, pk)
    form = RankingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    candidates = selectors.ranking_candidates(
        call=call, region=filters.get("region", ""), gender=filters.get("gender", "")
    )
    order = selectors.ranking_order(candidates, call=call)
    if file_format := export_format(request):
        rows = (
            [position, a.pk, a.full_name, a.administration.name if a.administration else "",
             a.administration.region.code if a.administration else "", a.get_gender_display(), a.reviewed,
             _two(a.mean), _two(a.median), _two(a.spread), a.yes, a.maybe, a.no,
             a.endorsement.rank if hasattr(a, "endorsement") else "",
             a.decision.get_outcome_display() if hasattr(a, "decision") else "",
             a.decision.reserve_rank if hasattr(a, "decision") else ""]
            for position, a in selectors.ranking_csv_rows(order)
        )  # fmt: skip
        return table_response(
            file_format=file_format,
            filename=f"bacuda-scholarship-ranking-{call.pk}",
            header=RANKING_CSV_HEADER,
            rows=rows,
            actor=request.user,
            action="scholarships.ranking.exported",
        )
    # The count comes from the candidates alone: counting the grouped order would aggregate a second time.
    page = CountedPaginator(order, PAGE_SIZE, count=candidates.count()).get_page(request.GET.get("page"))
    rows = _with_ranking_display(selectors.ranking_rows(list(page.object_list)))
    if rows:  # an empty page shows nobody's personal data: nothing to log
        audit_record(
            actor=request.user, action="scholarships.applications.listed", target=call, page="ranking",
            applications=[row.pk for row in rows],
        )  # fmt: skip
    return render(
        request,
        "scholarships/ranking.html",
        {"call": call, "form": form, "page": page, "rows": rows, "offset": page.start_index() - 1 if rows else 0,
         "balance": selectors.balance(call=call), "here": request.get_full_path(),
         "pending": call.decisions.filter(status="pending").count(), "query": query_without_page(request)},
    )  # fmt: skip


def _with_ranking_display(rows: list[Application]) -> list[Application]:
    """Add what the ranking's template prints for each row: links, labels and the decision form's options, worked
    out once per page rather than per row (``get_FOO_display`` translates every choice of the field)."""
    genders = choice_labels(Gender)
    outcomes = choice_labels(DecisionOutcome)
    statuses = choice_labels(DecisionStatus)
    # The decision form's options, one variant per outcome already chosen (none, or one of the outcomes).
    options = {
        chosen: format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((value, " selected" if value == chosen else "", label) for value, label in outcomes.items()),
        )
        for chosen in ("", *outcomes)
    }  # fmt: skip
    detail_url, decide_url = (
        row_url("scholarships:application_detail"),
        row_url("scholarships:decision_record"),
    )
    for row in rows:
        decision = row.current_decision
        row.url, row.decide_url = detail_url(row.pk), decide_url(row.pk)
        row.gender_label = genders.get(row.gender, "")
        row.outcome_label = outcomes.get(decision.outcome, "") if decision else ""
        row.decision_status_label = statuses.get(decision.status, "") if decision else ""
        row.outcome_options = options.get(decision.outcome if decision else "", options[""])
    return rows


@require_POST
@login_required
def decision_record(request, pk):
    application = access.get_application_for_staff(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
    else:
        try:
            services.decision_record(application=application, by=request.user, **form.cleaned_data)
        except (TransitionError, ValidationError) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The decision was recorded; it stays pending until released."))
    return redirect(_safe_next(request, reverse("scholarships:ranking", args=[application.call_id])))


def _safe_next(request, fallback: str) -> str:
    """The page a form came from (its ``next`` field) when it is on this site, else ``fallback``."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@require_POST
@login_required
def decisions_release(request, pk):
    call = access.get_call_for_staff(request.user, pk)
    try:
        count = services.decisions_release(call=call, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("scholarships:ranking", pk=call.pk)
    messages.success(
        request, _("%(count)d decisions were released; their letters wait in the outbox.") % {"count": count}
    )
    return redirect("scholarships:outbox", pk=call.pk)


# --- Staff: letters ------------------------------------------------------------------------------------------
@login_required
def outbox(request, pk):
    call = access.get_call_for_staff(request.user, pk)
    status = request.GET.get("status", "")
    if status not in LetterStatus.values:
        status = ""
    page = Paginator(selectors.outbox(call=call, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    # Labels and links once per page, not per row.
    outcomes, statuses = choice_labels(DecisionOutcome), choice_labels(LetterStatus)
    edit_url, approve_url = row_url("scholarships:letter_edit"), row_url("scholarships:letter_approve")
    for letter in page.object_list:
        letter.edit_url, letter.approve_url = edit_url(letter.pk), approve_url(letter.pk)
        letter.outcome_label = outcomes.get(letter.outcome, letter.outcome)
        letter.status_label = statuses.get(letter.status, letter.status)
    return render(
        request,
        "scholarships/outbox.html",
        {"call": call, "page": page, "status": status, "statuses": LetterStatus.choices,
         "query": query_without_page(request)},
    )  # fmt: skip


@login_required
def letter_edit(request, pk):
    letter = access.get_letter_for_staff(request.user, pk)
    form = LetterForm(request.POST or None, initial={"subject": letter.subject, "body": letter.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_update(letter=letter, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect("scholarships:letter_edit", pk=letter.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The letter was saved."))
            return redirect("scholarships:letter_edit", pk=letter.pk)
    return render(
        request,
        "scholarships/letter_edit.html",
        {"letter": letter, "form": form, "editable": access.is_letter_editable(letter)},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def letter_approve(request, pk):
    letter = access.get_letter_for_staff(request.user, pk)
    run_state_change(
        request,
        lambda: services.letter_approve(letter=letter, by=request.user),
        success=_("The letter was approved; it is being sent."),
    )
    return redirect("scholarships:outbox", pk=letter.call_id)


# --- Offers --------------------------------------------------------------------------------------------------
@require_POST
@login_required
def offer_reply(request, pk):
    decision = access.get_own_released_decision(request.user, pk)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or decline."))
    else:
        run_state_change(
            request,
            lambda: services.offer_reply(decision=decision, accept=answer == "accept", by=request.user),
            success=_("Thank you: your answer was recorded."),
        )
    return redirect("scholarships:application_detail", pk=pk)


@login_required
def offer_list(request, pk):
    call = access.get_call_for_staff(request.user, pk)
    return render(
        request,
        "scholarships/offer_list.html",
        {"call": call, "offers": selectors.offers(call=call), "reserve": selectors.reserve_list(call=call)},
    )


@require_POST
@login_required
def offer_confirm(request, pk):
    decision = access.get_decision_for_staff(request.user, pk)
    run_state_change(
        request,
        lambda: services.offer_confirm(decision=decision, by=request.user),
        success=_("The seat was offered; the letter waits in the outbox."),
    )
    return redirect("scholarships:offer_list", pk=decision.call_id)


# --- Data protection -----------------------------------------------------------------------------------------
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

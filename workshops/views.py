"""Pages of the workshops app: thin; they parse input, ask ``access``, call one service and render."""

import datetime as dt
import io
import zipfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import add_service_errors, query_without_page, run_state_change
from bacuda_portal.core.privacy import is_pseudonym
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import attachment_response, private_file_response
from workshops.experts import selectors as expert_selectors

from . import access, ical, selectors, services
from .enums import AssignmentRole, AssignmentStatus, AttendanceStatus, CertificateStatus
from .forms import (
    AppraisalForm,
    AssignmentForm,
    AssignmentSearchForm,
    NominationForm,
    QuotaForm,
    ReasonForm,
    SessionForm,
    WorkshopFilterForm,
    WorkshopForm,
    WorkshopRequestForm,
)
from .models import Assignment, Beneficiary, Certificate, Session

PAGE_SIZE = 50
WORKSHOP_PAGE_SIZE = 25  # a screenful; search and the filters find the rest
CALENDAR_FEED_DAYS_BACK = 365


@login_required
def staff_dashboard(request):
    if not access.can_manage_workshops(request.user):
        raise Http404
    context = selectors.staff_dashboard(today=timezone.localdate())
    return render(request, "workshops/staff_dashboard.html", context)


# --- Workshops -----------------------------------------------------------------------------------------
@login_required
def workshop_list(request):
    form = WorkshopFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    workshops = selectors.workshop_list(
        visible=access.workshops_visible_to(request.user),
        search=filters.get("q", ""),
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        region=filters["region"].code if filters.get("region") else "",
        year=filters.get("year"),
    )
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="bacuda-workshops",
            header=[_("Title"), _("Kind"), _("Status"), _("Region"), _("Start date"), _("End date"),
                    _("Host city"), _("Seats"), _("Accepted participants"), _("WCO mission reference")],
            rows=(
                (w.title, w.get_kind_display(), w.get_status_display(), w.region.code if w.region else "",
                 w.start_date, w.end_date, w.host_city, w.seats, w.accepted_count, w.mission_reference)
                for w in workshops.iterator(chunk_size=500)
            ),
            actor=request.user,
            action="workshops.workshops.exported",
        )  # fmt: skip
    page = Paginator(selectors.workshop_rows(workshops), WORKSHOP_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workshops/workshop_list.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.with_workshop_labels(page),
            "query": query_without_page(request),
            "can_manage": access.can_manage_workshops(request.user),
            "can_request": access.can_request_workshop(request.user),
        },
    )


def _workshop_service_arguments(cleaned: dict) -> tuple[dict, list]:
    fields = {name: cleaned[name] for name in services.EDITABLE_FIELDS}
    beneficiaries = [(administration, cleaned["quota"]) for administration in cleaned["beneficiaries"]]
    return fields, beneficiaries


@login_required
def workshop_create(request):
    if not access.can_manage_workshops(request.user):
        raise Http404
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields, beneficiaries = _workshop_service_arguments(form.cleaned_data)
        try:
            workshop = services.workshop_create(by=request.user, beneficiaries=beneficiaries, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The workshop was created."))
            return redirect(workshop)
    return render(request, "workshops/workshop_form.html", {"form": form, "workshop": None})


@login_required
def workshop_edit(request, pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    if request.method == "POST":
        form = WorkshopForm(request.POST)
        if form.is_valid():
            fields, beneficiaries = _workshop_service_arguments(form.cleaned_data)
            try:
                services.workshop_update(
                    workshop=workshop,
                    expected_version=form.cleaned_data["version"] or 0,
                    by=request.user,
                    beneficiaries=beneficiaries,
                    **fields,
                )
            except services.ConcurrentEditError:
                form.add_error(
                    None,
                    _(
                        "Someone else saved this workshop while you were editing it. Your changes are below and were "
                        "not saved: open the workshop again to see theirs, then make your changes once more."
                    ),
                )
            except (ValidationError, TransitionError) as error:
                if isinstance(error, TransitionError):
                    form.add_error(None, str(error))
                else:
                    add_service_errors(form, error)
            else:
                messages.success(request, _("The workshop was saved."))
                return redirect(workshop)
    else:
        form = WorkshopForm(initial=WorkshopForm.initial_for(workshop))
    return render(request, "workshops/workshop_form.html", {"form": form, "workshop": workshop})


@login_required
def workshop_detail(request, pk):
    workshop = access.get_workshop_for(request.user, pk)
    is_staff = access.can_manage_workshops(request.user)
    nominations = list(selectors.nominations_of(access.nominations_visible_to(request.user, workshop)))
    # Staff see every nomination, so the page's counts can come from the list.
    detail = selectors.workshop_detail(workshop, nominations=nominations if is_staff else None)
    nominating_for = access.nominating_administration(request.user, workshop, beneficiary_lines=detail["beneficiaries"])
    detail["beneficiaries"] = access.beneficiary_lines_visible_to(request.user, detail["beneficiaries"])
    context = {
        "workshop": workshop,
        **detail,
        "is_staff": is_staff,
        "nominations": nominations,
        "nominating_for": nominating_for,
        "nomination_form": NominationForm(initial={"language": workshop.languages[0] if workshop.languages else "en"})
        if nominating_for
        else None,
        # The signed-in expert's own assignments: their profile is the expert linked to their account.
        "my_assignments": [a for a in detail["assignments"] if a.expert.user_id == request.user.pk],
        "certificates": access.certificates_visible_to(request.user, workshop).select_related("nomination"),
        "nominations_open": workshop.status in services.NOMINATION_OPEN_STATUSES,
    }
    if is_staff:
        context.update(
            session_form=SessionForm(
                workshop=workshop,
                assigned_experts=[assignment.expert for assignment in detail["assignments"]],
                initial={"date": workshop.start_date},
            ),
            appraisal_form=AppraisalForm(),
        )
    return render(request, "workshops/workshop_detail.html", context)


TRANSITIONS = {
    "plan": services.workshop_plan,
    "confirm": services.workshop_confirm,
    "deliver": services.workshop_deliver,
    "close": services.workshop_close,
}


@require_POST
@login_required
def workshop_transition(request, pk, action):
    workshop = access.get_workshop_for_staff(request.user, pk)
    try:
        if action == "cancel":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Please give the reason for cancelling."))
            services.workshop_cancel(workshop=workshop, reason=form.cleaned_data["reason"], by=request.user)
        elif action in TRANSITIONS:
            TRANSITIONS[action](workshop=workshop, by=request.user)
        else:
            raise Http404
    except (TransitionError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The workshop is now: %(status)s.") % {"status": workshop.get_status_display()})
    return redirect(workshop)


@login_required
def workshop_programme(request, pk):
    """The agenda as a printable page (the browser's print, or save as PDF)."""
    workshop = access.get_workshop_for(request.user, pk)
    detail = selectors.workshop_detail(workshop)
    return render(
        request,
        "workshops/programme.html",
        {"workshop": workshop, "sessions": detail["sessions"], "assignments": detail["assignments"]},
    )


def _calendar_response(content: bytes, filename: str):
    # Calendar programs subscribed to the feed ignore the disposition; a browser saves the file and opens it.
    return attachment_response(content, filename=filename)


def workshop_calendar(request, pk):
    """iCalendar feed of one workshop and its sessions."""
    workshop = access.get_workshop_for_calendar(request.user, pk)
    content = ical.workshops_calendar([workshop], name=workshop.title, site_url=settings.SITE_URL, with_sessions=True)
    return _calendar_response(content, f"workshop-{workshop.pk}.ics")


def public_calendar(request):
    """iCalendar feed of the public workshops of the past year and all coming ones (for calendar apps; no sign-in).

    Ten years of workshops would make a feed of megabytes that calendar apps fetch every few hours; a year back is
    what anyone planning needs, and older workshops stay on their pages.
    """
    since = timezone.localdate() - dt.timedelta(days=CALENDAR_FEED_DAYS_BACK)
    workshops = access.public_workshops().filter(end_date__gte=since).order_by("start_date")
    content = ical.workshops_calendar(workshops, name=_("BACUDA workshops"), site_url=settings.SITE_URL)
    return _calendar_response(content, "bacuda-workshops.ics")


# --- Agenda and beneficiaries --------------------------------------------------------------------------
@require_POST
@login_required
def session_add(request, pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    form = SessionForm(request.POST, workshop=workshop)
    if form.is_valid():
        try:
            services.session_add(workshop=workshop, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        messages.error(request, _("The session was not added: %(errors)s") % {"errors": _form_error_text(form)})
    else:
        messages.success(request, _("The session was added to the agenda."))
    return redirect(workshop)


def _form_error_text(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@require_POST
@login_required
def session_remove(request, pk, session_pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    session = Session.objects.filter(workshop=workshop, pk=session_pk).first()
    if session is None:
        raise Http404
    services.session_remove(session=session, by=request.user)
    messages.success(request, _("The session was removed."))
    return redirect(workshop)


@require_POST
@login_required
def quota_update(request, pk, beneficiary_pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    link = Beneficiary.objects.filter(workshop=workshop, pk=beneficiary_pk).first()
    form = QuotaForm(request.POST)
    if link is None:
        raise Http404
    if form.is_valid():
        services.beneficiary_set_quota(beneficiary=link, quota=form.cleaned_data["quota"], by=request.user)
        messages.success(request, _("The quota was changed."))
    else:
        messages.error(request, _form_error_text(form))
    return redirect(workshop)


# --- Attendance ----------------------------------------------------------------------------------------
@login_required
def attendance(request, pk):
    """One page for the whole workshop: a row per participant, a column per session."""
    workshop = access.get_workshop_for_staff(request.user, pk)
    if request.method == "POST":
        marks = {}
        for key, status in request.POST.items():
            if key.startswith("mark-"):
                try:
                    _prefix, session_id, nomination_id = key.split("-")
                    marks[(int(session_id), int(nomination_id))] = status
                except ValueError:
                    raise Http404
        try:
            changed = services.attendance_record(workshop=workshop, marks=marks, by=request.user)
        except (TransitionError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Attendance saved (%(count)d changes).") % {"count": changed})
            return redirect("workshops:attendance", pk=workshop.pk)
    sessions, rows = selectors.attendance_sheet(workshop)
    return render(
        request,
        "workshops/attendance.html",
        {
            "workshop": workshop,
            "sessions": sessions,
            "rows": rows,
            "statuses": AttendanceStatus.choices,
            "share_percent": round(settings.BACUDA_CERTIFICATE_ATTENDANCE_SHARE * 100),
        },
    )


# --- Certificates --------------------------------------------------------------------------------------
@require_POST
@login_required
def certificates_issue(request, pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    try:
        count = services.certificates_issue(workshop=workshop, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)d certificates are being prepared by a worker.") % {"count": count})
    return redirect(workshop)


@require_POST
@login_required
def certificate_retry(request, pk, certificate_pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    certificate = access.certificates_visible_to(request.user, workshop).filter(pk=certificate_pk).first()
    if certificate is None:
        raise Http404
    run_state_change(
        request,
        lambda: services.certificate_retry(certificate=certificate, by=request.user),
        success=_("The certificate is being rendered again."),
    )
    return redirect(workshop)


@login_required
def certificate_download(request, certificate_pk):
    certificate = access.get_certificate_for(request.user, certificate_pk)
    if certificate.status != CertificateStatus.READY or not certificate.file:  # no file: the holder was erased
        raise Http404
    audit_record(actor=request.user, action="workshops.certificate.downloaded", target=certificate)
    return private_file_response(certificate.file, download_name=f"certificate-{certificate.verification_code}.pdf")


@login_required
def certificates_zip(request, pk):
    """Every ready certificate of the workshop the user may see, in one ZIP file."""
    workshop = access.get_workshop_for(request.user, pk)
    certificates = (
        access.certificates_visible_to(request.user, workshop).filter(status=CertificateStatus.READY).exclude(file="")
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates.select_related("nomination"):
            name = slugify(certificate.nomination.full_name) or "participant"
            with certificate.file.open("rb") as handle:
                archive.writestr(f"{name}-{certificate.verification_code}.pdf", handle.read())
    audit_record(actor=request.user, action="workshops.certificates.downloaded", target=workshop)
    return attachment_response(buffer.getvalue(), filename=f"certificates-workshop-{workshop.pk}.zip")


def certificate_verify(request, code=None):
    """Public: anyone holding a certificate's code can check that it is genuine."""
    code = (code or request.GET.get("code", "")).strip().upper()
    certificate = None
    if code:
        certificate = (
            Certificate.objects.filter(verification_code=code, revoked_at__isnull=True)
            .select_related("nomination__workshop", "nomination__administration")
            .first()
        )
    return render(
        request,
        "workshops/certificate_verify.html",
        {
            "code": code,
            "certificate": certificate,
            "holder_erased": certificate is not None and is_pseudonym(certificate.nomination.full_name),
        },
        status=200 if certificate or not code else 404,
    )


# --- Nominations ---------------------------------------------------------------------------------------
@require_POST
@login_required
def nomination_create(request, pk):
    workshop = access.get_workshop_for(request.user, pk)
    administration = access.nominating_administration(request.user, workshop)
    if administration is None:
        raise Http404
    form = NominationForm(request.POST)
    if form.is_valid():
        try:
            nomination = services.nomination_create(
                workshop=workshop, administration=administration, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is nominated.") % {"name": nomination.full_name})
            return redirect(workshop)
    # Show the form again with the errors and everything the contact point typed.
    return render(
        request,
        "workshops/nomination_form.html",
        {"workshop": workshop, "form": form, "administration": administration},
        status=400,
    )


NOMINATION_DECISIONS = {
    "accept": services.nomination_accept,
    "waitlist": services.nomination_waitlist,
    "decline": services.nomination_decline,
}


@require_POST
@login_required
def nomination_decide(request, nomination_pk, action):
    if not access.can_manage_workshops(request.user) or action not in NOMINATION_DECISIONS:
        raise Http404
    nomination = access.get_nomination_for(request.user, nomination_pk)
    try:
        NOMINATION_DECISIONS[action](nomination=nomination, by=request.user)
        messages.success(
            request,
            _("%(name)s: %(status)s.") % {"name": nomination.full_name, "status": nomination.get_status_display()},
        )
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(nomination.workshop)


@require_POST
@login_required
def nomination_withdraw(request, nomination_pk):
    nomination = access.get_nomination_for(request.user, nomination_pk)
    if not access.can_withdraw_nomination(request.user, nomination):
        raise Http404
    run_state_change(
        request,
        lambda: services.nomination_withdraw(nomination=nomination, by=request.user),
        success=_("The nomination of %(name)s was withdrawn.") % {"name": nomination.full_name},
    )
    return redirect(nomination.workshop)


@require_POST
@login_required
def nomination_offer_next(request, pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    try:
        nomination = services.nomination_offer_next(workshop=workshop, by=request.user)
        messages.success(request, _("The seat was offered to %(name)s.") % {"name": nomination.full_name})
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(workshop)


# --- Expert assignments --------------------------------------------------------------------------------
ASSIGNMENT_SEARCH_PAGE_SIZE = 20


def _with_assignment_texts(rows: list[dict]) -> list[dict]:
    """Adds ``assignment`` ("Trainer: Awaiting the expert's confirmation") to rows of experts already assigned."""
    roles, statuses = choice_labels(AssignmentRole), choice_labels(AssignmentStatus)
    for row in rows:
        if row["assignment_status"]:
            row["assignment"] = f"{roles[row['assignment_role']]}: {statuses[row['assignment_status']]}"
    return rows


@login_required
def assignment_search(request, pk):
    """Find an expert to assign: the registry's search, each row telling whether the expert is free over the
    workshop dates, with a role and an "Assign" button that posts to ``assignment_create``."""
    workshop = access.get_workshop_for_staff(request.user, pk)
    form = AssignmentSearchForm(request.GET or None)
    form.is_valid()  # collects the errors to show; invalid filters are left out of the search
    experts = selectors.assignment_candidates(workshop=workshop, filters=form.filters())
    page = Paginator(experts, ASSIGNMENT_SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    workshop_dates = {"available_from": workshop.start_date.isoformat(), "available_to": workshop.end_date.isoformat()}
    with_workshop_dates = request.GET.copy()
    with_workshop_dates.pop("page", None)
    for name, value in workshop_dates.items():
        with_workshop_dates[name] = value  # replaces, where QueryDict.update would add a second value
    return render(
        request,
        "workshops/assignment_search.html",
        {
            "workshop": workshop,
            "form": form,
            "page": page,
            "rows": _with_assignment_texts(expert_selectors.with_row_texts(page, with_availability=False)),
            "query": query_without_page(request),
            # The same options on every row: written once.
            "role_options": format_html_join(
                "", '<option value="{}">{}</option>', choice_labels(AssignmentRole).items()
            ),
            "workshop_dates_query": with_workshop_dates.urlencode(),
            "filtered_by_workshop_dates": all(request.GET.get(name) == value for name, value in workshop_dates.items()),
        },
    )


@require_POST
@login_required
def assignment_create(request, pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        try:
            assignment, conflicts = services.assignment_create(workshop=workshop, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(expert)s was proposed for this workshop.") % {"expert": assignment.expert})
            for conflict in conflicts:
                messages.warning(
                    request,
                    _("Double booking: %(expert)s is also assigned to %(workshop)s (%(start)s – %(end)s).")
                    % {
                        "expert": assignment.expert,
                        "workshop": conflict.workshop,
                        "start": conflict.workshop.start_date,
                        "end": conflict.workshop.end_date,
                    },
                )
            return redirect(workshop)
    messages.error(request, _form_error_text(form))
    return redirect(workshop)


@require_POST
@login_required
def assignment_answer(request, assignment_pk, answer):
    if answer not in ("confirm", "decline"):
        raise Http404
    assignment = access.get_assignment_to_answer(request.user, assignment_pk)
    run_state_change(
        request,
        lambda: services.assignment_answer(assignment=assignment, accept=answer == "confirm", by=request.user),
        success=_("Thank you: your answer was recorded."),
    )
    return redirect(assignment.workshop)


@require_POST
@login_required
def assignment_appraise(request, pk, assignment_pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    assignment = Assignment.objects.filter(workshop=workshop, pk=assignment_pk).select_related("workshop").first()
    if assignment is None:
        raise Http404
    form = AppraisalForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_appraise(
                assignment=assignment,
                rating=form.cleaned_data["rating"],
                comments=form.cleaned_data["comments"],
                by=request.user,
            )
            messages.success(request, _("The appraisal was saved."))
        except (TransitionError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, _form_error_text(form))
    return redirect(workshop)


# --- Requests ------------------------------------------------------------------------------------------
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

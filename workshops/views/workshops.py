"""Pages of the workshop itself: the list, the staff dashboard, the form, the detail page, its status
buttons, the programme and calendars, its agenda and its beneficiaries' quotas."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import add_service_errors, query_without_page
from bacuda_portal.core.uploads import attachment_response

from .. import access, ical, selectors, services
from ..forms import (
    AppraisalForm,
    NominationForm,
    QuotaForm,
    ReasonForm,
    SessionForm,
    WorkshopFilterForm,
    WorkshopForm,
)
from ..models import Beneficiary, Session

WORKSHOP_PAGE_SIZE = 25  # a screenful; search and the filters find the rest
CALENDAR_FEED_DAYS_BACK = 365


@login_required
def staff_dashboard(request):
    if not access.can_manage_workshops(request.user):
        raise Http404
    context = selectors.staff_dashboard(today=timezone.localdate())
    return render(request, "workshops/staff_dashboard.html", context)


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
                (w.localized_title, w.get_kind_display(), w.get_status_display(), w.region.code if w.region else "",
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
    if is_staff:  # whether each participant's personal link was sent and works (one query)
        summaries = selectors.link_summaries([nomination.pk for nomination in nominations])
        for nomination in nominations:
            nomination.link_summary = summaries.get(nomination.pk)
    certificates = list(access.certificates_visible_to(request.user, workshop).select_related("nomination"))
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
        "certificates": certificates,
        # A nomination with a valid certificate: its revoked ones offer no reissue.
        "valid_certificate_holders": {c.nomination_id for c in certificates if c.revoked_at is None},
        "nominations_open": workshop.status in services.NOMINATION_OPEN_STATUSES,
        "trainer_participants": selectors.participant_list(access.participants_for_trainer(request.user, workshop)),
    }
    if is_staff:
        context.update(
            session_form=SessionForm(
                workshop=workshop,
                assigned_experts=[assignment.expert for assignment in detail["assignments"]],
                initial={"date": workshop.start_date},
            ),
            appraisal_form=AppraisalForm(),
            clikc=selectors.clikc_summary(workshop) if _uses_clikc(workshop) else None,
        )
    return render(request, "workshops/workshop_detail.html", context)


def _uses_clikc(workshop) -> bool:
    """The workshop has a CLiKC! workspace, course or prerequisite: its page shows the CLiKC! enrolment section."""
    return bool(workshop.clikc_workspace_url or workshop.clikc_course_short_name or workshop.prerequisite_course_id)


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
    content = ical.workshops_calendar(
        [workshop], name=workshop.localized_title, site_url=settings.SITE_URL, with_sessions=True
    )
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

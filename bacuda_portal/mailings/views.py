"""Pages of the staff mailings (/staff/mailings/): thin; they parse input, ask ``access``, call one service and
render. The mailing page polls its JSON status (static/js/mailings.js) while a worker sends it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import add_service_errors, query_without_page, row_url

from . import access, selectors, services
from .enums import PENDING_MAILING_STATUSES, RETRYABLE_MAILING_STATUSES, Audience, MailingStatus, RecipientStatus
from .forms import (
    ConfirmForm,
    MailingFilterForm,
    MailingForm,
    RecipientFilterForm,
    StartFromTemplateForm,
    TemplateFilterForm,
    TemplateForm,
)

PAGE_SIZE = 25
RECIPIENT_PAGE_SIZE = 50


# --- Mailings ----------------------------------------------------------------------------------------------
@login_required
def mailing_list(request):
    access.require_mailing_staff(request.user)
    form = MailingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    mailings = selectors.mailing_list(
        search=filters.get("q", ""), status=filters.get("status", ""), audience=filters.get("audience", "")
    )
    statuses, audiences = choice_labels(MailingStatus), choice_labels(Audience)
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="mailings",
            header=[_("Id"), _("Written"), _("Subject"), _("Audience"), _("Status"), _("Recipients"), _("Sent"),
                    _("Failed")],
            rows=(
                (mailing.pk, mailing.created_at, mailing.subject_en, audiences.get(mailing.audience, ""),
                 statuses.get(mailing.status, ""), mailing.recipient_count, mailing.sent_count, mailing.failed_count)
                for mailing in mailings
            ),
            actor=request.user,
            action="mailings.mailings.exported",
        )  # fmt: skip
    page = Paginator(mailings, PAGE_SIZE).get_page(request.GET.get("page"))
    url = row_url("mailings:mailing_detail")
    for mailing in page:
        mailing.url = url(mailing.pk)
        mailing.status_label = statuses.get(mailing.status, mailing.status)
        mailing.audience_label = audiences.get(mailing.audience, mailing.audience)
    return render(
        request, "mailings/mailing_list.html", {"form": form, "page": page, "query": query_without_page(request)}
    )


def _form_page(request, form, *, mailing=None, status=200):
    start_form = StartFromTemplateForm(request.GET if "template" in request.GET else None)
    return render(
        request,
        "mailings/mailing_form.html",
        {"form": form, "mailing": mailing, "start_form": start_form},
        status=status,
    )


@login_required
def mailing_create(request):
    access.require_mailing_staff(request.user)
    template = None
    if request.method != "POST":
        start = StartFromTemplateForm(request.GET if "template" in request.GET else None)
        template = start.cleaned_data.get("template") if start.is_valid() else None
        initial = TemplateForm.initial_for(template) if template else {}
        initial.pop("name", None)
        return _form_page(request, MailingForm(initial=initial))
    form = MailingForm(request.POST)
    if form.is_valid():
        start = StartFromTemplateForm(request.POST)
        template = start.cleaned_data.get("template") if start.is_valid() else None
        try:
            mailing = services.mailing_create(by=request.user, template=template, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("mailings:mailing_preview", pk=mailing.pk)
    return _form_page(request, form, status=400)


@login_required
def mailing_edit(request, pk):
    mailing = access.get_mailing_for(request.user, pk)
    if mailing.status != MailingStatus.DRAFT:
        messages.info(request, _("This mailing has been sent: it can no longer be changed."))
        return redirect(mailing)
    if request.method != "POST":
        return _form_page(request, MailingForm(initial=MailingForm.initial_for(mailing)), mailing=mailing)
    form = MailingForm(request.POST)
    if form.is_valid():
        try:
            services.mailing_update(mailing=mailing, by=request.user, template=mailing.template,
                                    **form.service_arguments())  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect(mailing)
        else:
            return redirect("mailings:mailing_preview", pk=mailing.pk)
    return _form_page(request, form, mailing=mailing, status=400)


def _preview_page(request, mailing, *, confirm_form=None, status=200):
    preview = selectors.mailing_preview(mailing)
    confirm_form = confirm_form or ConfirmForm(initial={"expected_count": preview["count"]})
    return render(
        request,
        "mailings/mailing_preview.html",
        {"mailing": mailing, "preview": preview, "confirm_form": confirm_form},
        status=status,
    )


@login_required
def mailing_preview(request, pk):
    mailing = access.get_mailing_for(request.user, pk)
    if mailing.status != MailingStatus.DRAFT:
        return redirect(mailing)
    return _preview_page(request, mailing)


@require_POST
@login_required
def mailing_send(request, pk):
    mailing = access.get_mailing_for(request.user, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        if mailing.status != MailingStatus.DRAFT:
            return redirect(mailing)
        return _preview_page(request, mailing, confirm_form=form, status=400)
    try:
        services.mailing_confirm(mailing=mailing, by=request.user, expected_count=form.cleaned_data["expected_count"])
    except TransitionError as error:
        messages.error(request, str(error))
        if mailing.status == MailingStatus.DRAFT:
            return _preview_page(request, mailing, status=409)
        return redirect(mailing)
    messages.success(request, _("The mailing is queued: a worker sends it now."))
    return redirect(mailing)


@login_required
def mailing_detail(request, pk):
    mailing = access.get_mailing_for(request.user, pk)
    form = RecipientFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    recipients = selectors.recipient_list(mailing, status=filters.get("status", ""), search=filters.get("q", ""))
    statuses = choice_labels(RecipientStatus)
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename=f"mailing-{mailing.pk}-recipients",
            header=[_("Email address"), _("Name"), _("Administration"), _("Preferred language"), _("Language sent"),
                    _("Delivery"), _("Attempts"), _("Sent"), _("Error")],
            rows=(
                (recipient.email, recipient.name, recipient.administration, recipient.preferred_language,
                 recipient.language, statuses.get(recipient.status, ""), recipient.attempts, recipient.sent_at,
                 recipient.error)
                for recipient in recipients.iterator(chunk_size=500)
            ),
            actor=request.user,
            action="mailings.recipients.exported",
        )  # fmt: skip
    page = Paginator(recipients, RECIPIENT_PAGE_SIZE).get_page(request.GET.get("page"))
    for recipient in page:
        recipient.status_label = statuses.get(recipient.status, recipient.status)
    return render(
        request,
        "mailings/mailing_detail.html",
        {
            "mailing": mailing,
            "page": page,
            "form": form,
            "query": query_without_page(request),
            "progress": selectors.mailing_progress(mailing),
            "pending": mailing.status in PENDING_MAILING_STATUSES,
            "retryable": mailing.status in RETRYABLE_MAILING_STATUSES,
        },
    )


@login_required
def mailing_status(request, pk):
    mailing = access.get_mailing_for(request.user, pk)
    progress = selectors.mailing_progress(mailing)
    response = JsonResponse(
        {
            "id": mailing.pk,
            "status": mailing.status,
            "status_label": str(MailingStatus(mailing.status).label),
            "pending": mailing.status in PENDING_MAILING_STATUSES,
            "total": progress["total"],
            "sent": progress[RecipientStatus.SENT],
            "failed": progress[RecipientStatus.FAILED],
            "queued": progress[RecipientStatus.QUEUED] + progress[RecipientStatus.SENDING],
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def mailing_retry(request, pk):
    mailing = access.get_mailing_for(request.user, pk)
    try:
        count = services.mailing_retry_failed(mailing=mailing, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d failed recipient is queued again.", "%(count)d failed recipients are queued again.", count
            )
            % {"count": count},
        )
    return redirect(mailing)


# --- Templates ---------------------------------------------------------------------------------------------
@login_required
def template_list(request):
    access.require_mailing_staff(request.user)
    form = TemplateFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.template_list(search=filters.get("q", "")), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "mailings/template_list.html", {"form": form, "page": page, "query": query_without_page(request)}
    )


@login_required
def template_create(request):
    access.require_mailing_staff(request.user)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_create(name=form.cleaned_data["name"], by=request.user, **form.texts())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The template is saved."))
            return redirect("mailings:template_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "mailings/template_form.html", {"form": form, "template": None}, status=status)


@login_required
def template_edit(request, pk):
    template = access.get_template_for(request.user, pk)
    form = TemplateForm(request.POST or None, initial=TemplateForm.initial_for(template))
    if request.method == "POST" and form.is_valid():
        try:
            services.template_update(template=template, name=form.cleaned_data["name"], by=request.user,
                                     **form.texts())  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("mailings:template_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "mailings/template_form.html", {"form": form, "template": template}, status=status)

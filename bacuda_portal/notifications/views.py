"""Staff pages: the notification templates (list, edit with preview), the delivery log, one's own preference."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.pages import query_without_page

from . import access, selectors, services
from .forms import LogFilterForm, PreferenceForm, TemplateForm
from .kinds import KINDS
from .rendering import LANGUAGES
from .rendering import render as render_message
from .services.templates import TEXT_FIELDS, template_reset

LOG_PAGE_SIZE = 50


def _require_staff(user) -> None:
    if not access.can_manage(user):
        raise Http404


@never_cache
@login_required
def template_list(request):
    _require_staff(request.user)
    return render(request, "notifications/template_list.html", {"templates": selectors.template_list()})


def _previews(kind: str, texts: dict) -> list[dict]:
    """The message in each language with the kind's sample values (None where a text does not render)."""
    previews = []
    for language in LANGUAGES:
        try:
            message = render_message(
                kind=kind, subject=texts[f"subject_{language}"], text=texts[f"text_{language}"],
                context=KINDS[kind].sample_context(), language=language,
            )  # fmt: skip
        except (ValidationError, KeyError):
            message = None
        previews.append({"language": language, "message": message})
    return previews


@never_cache
@login_required
def template_edit(request, kind):
    _require_staff(request.user)
    if kind not in KINDS:
        raise Http404
    template = services.template_for(kind)
    texts = {name: getattr(template, name) for name in TEXT_FIELDS}
    form = TemplateForm(request.POST or None, initial=texts)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            texts = form.cleaned_data
            if "preview" not in request.POST:
                try:
                    services.template_save(template=template, by=request.user, **form.cleaned_data)
                except ValidationError as error:
                    for field, field_errors in error.message_dict.items():
                        for message in field_errors:
                            form.add_error(field if field in TEXT_FIELDS else None, message)
                else:
                    messages.success(request, _("The template is saved."))
                    return redirect("notifications:template_edit", kind=kind)
        if not form.is_valid():
            status = 400
    context = {
        "template": template,
        "spec": KINDS[kind],
        "form": form,
        "previews": _previews(kind, texts) if form.is_valid() or request.method == "GET" else [],
    }
    return render(request, "notifications/template_edit.html", context, status=status)


@require_POST
@login_required
def template_reset_view(request, kind):
    _require_staff(request.user)
    if kind not in KINDS:
        raise Http404
    template_reset(template=services.template_for(kind), by=request.user)
    messages.success(request, _("The template is back to its default texts."))
    return redirect("notifications:template_edit", kind=kind)


LOG_HEADER = (
    gettext_lazy("Created"),
    gettext_lazy("Notification"),
    gettext_lazy("Recipient"),
    gettext_lazy("Language"),
    gettext_lazy("Subject"),
    gettext_lazy("Status"),
    gettext_lazy("Error"),
    gettext_lazy("Sent"),
    gettext_lazy("About"),
    gettext_lazy("Link"),
)


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


@never_cache
@login_required
def log(request):
    _require_staff(request.user)
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.notification_log(
        search=filters.get("q", ""),
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="bacuda-notifications",
            header=list(LOG_HEADER),
            rows=(
                (
                    _when(row.created_at),
                    row.get_kind_display(),
                    row.email,
                    row.language,
                    row.subject,
                    row.get_status_display(),
                    row.error,
                    _when(row.sent_at),
                    row.about_label,
                    row.about_url,
                )
                for row in rows.iterator(chunk_size=1000)
            ),
            actor=request.user,
            action="notifications.log.exported",
        )
    page = Paginator(rows, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/log.html", {"form": form, "page": page, "query": query_without_page(request)})


@never_cache
@login_required
def preference(request):
    if not access.can_choose_delivery(request.user):
        raise Http404
    form = PreferenceForm(request.POST or None, initial={"delivery": services.delivery_of(request.user)})
    if request.method == "POST":
        if form.is_valid():
            services.preference_set(user=request.user, delivery=form.cleaned_data["delivery"])
            messages.success(request, _("Your choice is saved."))
            return redirect("notifications:preference")
        return render(request, "notifications/preference.html", {"form": form}, status=400)
    return render(request, "notifications/preference.html", {"form": form})

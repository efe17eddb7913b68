"""Staff pages that set up the results framework: objectives, indicators, their targets and the values entered
with evidence. Thin: they ask ``access``, call one service of ``framework_services`` and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.pages import add_service_errors, query_without_page

from . import access, framework_selectors, framework_services
from .enums import IndicatorSource
from .framework_forms import FrameworkFilterForm, IndicatorForm, IndicatorValueForm, ObjectiveForm, TargetForm
from .models import IndicatorTarget, IndicatorValue

PAGE_SIZE = 50
LIST_URL = "reports:framework"
FORM_TEMPLATE = "reports/framework/form.html"  # one page for every set-up form


def _saved(request, form, save, success: str):
    """Run ``save(cleaned_data)`` for a valid bound form; the service's refusals land on the form (nothing typed is
    lost). Returns the saved row, or None when the form is to be shown again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        row = save(dict(form.cleaned_data))
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, success)
    return row


def _status(request) -> int:
    return 400 if request.method == "POST" else 200


@login_required
def framework(request):
    access.require_manager(request.user)
    form = FrameworkFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    indicators = framework_selectors.indicator_list(
        search=filters.get("q", ""),
        objective=filters.get("objective"),
        source=filters.get("source", ""),
        active=filters.get("active", ""),
    )
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="results-framework",
            header=[
                _("Objective"),
                _("Objective title"),
                _("Code"),
                _("Title (English)"),
                _("Title (French)"),
                _("Unit (English)"),
                _("Unit (French)"),
                _("Source"),
                _("Computed indicator"),
                _("Baseline"),
                _("Baseline year"),
                _("Means of verification"),
                _("Active"),
                _("Targets"),
                _("Entered values"),
            ],
            rows=(
                (
                    indicator.objective.code,
                    indicator.objective.title_en,
                    indicator.code,
                    indicator.title_en,
                    indicator.title_fr,
                    indicator.unit,
                    indicator.unit_fr,
                    indicator.get_source_display(),
                    indicator.computed_key,
                    indicator.baseline,
                    indicator.baseline_year or "",
                    indicator.means_of_verification,
                    _("yes") if indicator.is_active else _("no"),
                    indicator.target_count,
                    indicator.value_count,
                )
                for indicator in indicators.iterator(chunk_size=500)
            ),
            actor=request.user,
            action="reports.framework.exported",
        )
    page = Paginator(indicators, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "objectives": framework_selectors.objectives(),
    }
    return render(request, "reports/framework/framework.html", context)


@login_required
def objective_edit(request, pk: int | None = None):
    access.require_manager(request.user)
    objective = access.get_objective_for(request.user, pk) if pk else None
    form = ObjectiveForm(request.POST or None, instance=objective)
    saved = _saved(
        request,
        form,
        lambda data: framework_services.objective_save(objective=objective, by=request.user, **data),
        _("The objective is saved."),
    )
    if saved:
        return redirect(LIST_URL)
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": _("Objective %(code)s") % {"code": objective.code} if objective else _("New objective"),
            "back_url": reverse(LIST_URL),
        },
        status=_status(request),
    )


@require_POST
@login_required
def objective_delete(request, pk: int):
    objective = access.get_objective_for(request.user, pk)
    try:
        framework_services.objective_delete(objective=objective, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The objective is deleted."))
    return redirect(LIST_URL)


@login_required
def indicator_edit(request, pk: int | None = None):
    access.require_manager(request.user)
    indicator = access.get_indicator_for(request.user, pk) if pk else None
    initial = {"objective": request.GET.get("objective"), "source": IndicatorSource.MANUAL} if not pk else None
    form = IndicatorForm(request.POST or None, instance=indicator, initial=initial)
    saved = _saved(
        request,
        form,
        lambda data: framework_services.indicator_save(indicator=indicator, by=request.user, **data),
        _("The indicator is saved."),
    )
    if saved:
        return redirect("reports:indicator_detail", pk=saved.pk)
    if indicator is not None:
        indicator.refresh_from_db()  # the page's title keeps the saved indicator, the form what was typed
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": _("Indicator %(code)s") % {"code": indicator.code} if indicator else _("New indicator"),
            "back_url": reverse("reports:indicator_detail", args=[indicator.pk]) if indicator else reverse(LIST_URL),
        },
        status=_status(request),
    )


def _indicator_page(request, indicator, *, target_form=None, value_form=None, status=200):
    indicator = framework_selectors.indicator_history(indicator)
    manual = indicator.source == IndicatorSource.MANUAL
    context = {
        "indicator": indicator,
        "target_form": target_form or TargetForm(),
        "value_form": (value_form or IndicatorValueForm()) if manual else None,
    }
    return render(request, "reports/framework/indicator_detail.html", context, status=status)


@login_required
def indicator_detail(request, pk: int):
    return _indicator_page(request, access.get_indicator_for(request.user, pk))


@require_POST
@login_required
def indicator_active(request, pk: int):
    indicator = access.get_indicator_for(request.user, pk)
    active = request.POST.get("active") == "yes"
    framework_services.indicator_set_active(indicator=indicator, active=active, by=request.user)
    messages.success(request, _("The indicator is back in use.") if active else _("The indicator is retired."))
    return redirect("reports:indicator_detail", pk=indicator.pk)


@login_required
def target_edit(request, indicator_pk: int | None = None, pk: int | None = None):
    """Add a target on the indicator's page (``indicator_pk``) or correct one on its own page (``pk``)."""
    target = access.get_target_for(request.user, pk) if pk else None
    indicator = target.indicator if target else access.get_indicator_for(request.user, indicator_pk)
    form = TargetForm(request.POST or None, instance=target or IndicatorTarget(indicator=indicator))
    saved = _saved(
        request,
        form,
        lambda data: framework_services.target_save(indicator=indicator, target=target, by=request.user, **data),
        _("The target is saved."),
    )
    if saved or (request.method == "GET" and target is None):
        return redirect("reports:indicator_detail", pk=indicator.pk)
    if target is None:
        return _indicator_page(request, indicator, target_form=form, status=400)
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": _("A target of indicator %(code)s") % {"code": indicator.code},
            "back_url": reverse("reports:indicator_detail", args=[indicator.pk]),
        },
        status=_status(request),
    )


@require_POST
@login_required
def target_delete(request, pk: int):
    target = access.get_target_for(request.user, pk)
    framework_services.target_delete(target=target, by=request.user)
    messages.success(request, _("The target is deleted."))
    return redirect("reports:indicator_detail", pk=target.indicator_id)


@login_required
def value_edit(request, indicator_pk: int | None = None, pk: int | None = None):
    """Enter a value on the indicator's page (``indicator_pk``) or correct one on its own page (``pk``)."""
    entered = access.get_entered_value_for(request.user, pk) if pk else None
    indicator = entered.indicator if entered else access.get_indicator_for(request.user, indicator_pk)
    if indicator.source != IndicatorSource.MANUAL:
        messages.error(request, _("A computed indicator's values come from the portal's data, never typed."))
        return redirect("reports:indicator_detail", pk=indicator.pk)
    form = IndicatorValueForm(
        request.POST or None, request.FILES or None, instance=entered or IndicatorValue(indicator=indicator)
    )

    def save(data):
        evidence_file = data.pop("evidence_file", None)
        evidence_file = evidence_file if request.FILES.get("evidence_file") else None
        return framework_services.value_save(
            indicator=indicator, entered=entered, evidence_file=evidence_file, by=request.user, **data
        )

    saved = _saved(request, form, save, _("The value is saved with its evidence."))
    if saved or (request.method == "GET" and entered is None):
        return redirect(reverse("reports:indicator_detail", kwargs={"pk": indicator.pk}) + "#values")
    if entered is None:
        return _indicator_page(request, indicator, value_form=form, status=400)
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "entered": entered,
            "title": _("A value of indicator %(code)s") % {"code": indicator.code},
            "back_url": reverse("reports:indicator_detail", args=[indicator.pk]),
        },
        status=_status(request),
    )


@require_POST
@login_required
def value_delete(request, pk: int):
    entered = access.get_entered_value_for(request.user, pk)
    framework_services.value_delete(entered=entered, by=request.user)
    messages.success(request, _("The value and its evidence are deleted."))
    return redirect(reverse("reports:indicator_detail", kwargs={"pk": entered.indicator_id}) + "#values")

"""The catalogue, the model cards and their versions, with the publication gate."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import add_service_errors, run_state_change
from bacuda_portal.reports import access as report_access
from bacuda_portal.reports import selectors as report_selectors
from bacuda_portal.reports.forms import ModelCardReportForm

from .. import access, date_views, hs_views, job_report, selectors, services
from ..enums import AlgorithmKind
from ..forms import AlgorithmForm, AliasForm, CatalogueFilterForm, ModelCardForm, VersionForm
from ..image_charts import image_report
from ..models import AlgorithmVersion, ModelCard

PUBLICATION_ACTIONS = {
    "request": services.publication_request,
    "approve": services.publication_approve,
    "withdraw": services.publication_withdraw,
}


# --- Catalogue and cards ----------------------------------------------------------------------------------------
def catalogue(request):
    visible = access.algorithms_visible_to(request.user)
    form = CatalogueFilterForm(request.GET or None) if access.is_staff(request.user) else None
    algorithms = selectors.catalogue(visible)
    if form is not None and form.is_valid() and form.cleaned_data["publication"]:
        algorithms = algorithms.filter(publication=form.cleaned_data["publication"])
    return render(
        request,
        "algorithms/catalogue.html",
        {"algorithms": algorithms, "form": form, "show_unpublished": access.is_staff(request.user)},
    )


def card(request, slug):
    algorithm = access.get_algorithm_for(request.user, slug)
    card_obj = getattr(algorithm, "card", None)
    versions = selectors.versions_of(algorithm, access.versions_visible_to(request.user))
    # The card's PDF is one of the reports (bacuda_portal.reports: one rendering path, archive, dedup, sweep).
    # Staff export it through the reports app's request (the form posts to reports:report_request) and follow its
    # progress page; anybody downloads the PDF of a published card (see reports.access.get_public_model_card_pdf).
    can_export = report_access.can_manage_reports(request.user)
    public_pdfs = report_selectors.current_model_card_pdfs(algorithm) if algorithm.is_published else {}
    reliability = _reliability(versions) if algorithm.kind == AlgorithmKind.AIHS else None
    return render(
        request,
        "algorithms/card.html",
        {
            "algorithm": algorithm,
            "card": card_obj,
            "sections": card_obj.sections() if card_obj else [],
            "versions": versions,
            "can_edit": access.can_edit_card(request.user, algorithm),
            "can_approve": access.can_approve(request.user, algorithm),
            "reliability": reliability,
            "public_pdfs": sorted(public_pdfs.values(), key=lambda report: report.language),
            "card_reports": list(report_selectors.model_card_reports(algorithm)[:5]) if can_export else [],
            "pdf_form": ModelCardReportForm(
                algorithm=algorithm, prefix="model_card", initial={"language": translation.get_language()}
            )
            if can_export
            else None,
        },
    )


def _reliability(versions) -> dict | None:
    """The reliability diagram of the newest version measured on real held-out descriptions (AI-HS), else the
    benchmark's recorded measurement of the nomenclature-only model (only while it describes the shipped model; see
    ``engines/aihs/recorded.py``); None when there is neither."""
    for version in versions:
        metrics = version.metrics or {}
        data = metrics.get("reliability")
        if metrics.get("real_data") and isinstance(data, dict) and "counts" in data:
            title = _("Reliability of the first suggestion, version %(number)d") % {"number": version.number}
            return _reliability_figure(metrics, title, version=version.number)
    from ..engines.aihs import recorded

    record = recorded.recorded()
    if record is None:
        return None
    return _reliability_figure(
        record["metrics"],
        _("Reliability of the first suggestion"),
        version=None,
        measured_on=datetime.date.fromisoformat(record["measured_on"]),
    )


def _reliability_figure(metrics: dict, title: str, **about) -> dict:
    """What the card's reliability section shows of real-data metrics: sources, counts, mean confidence against
    accuracy, and the diagram."""
    from django.utils.safestring import mark_safe

    from ..engines.aihs.calibration import reliability_svg

    data = metrics["reliability"]
    svg = reliability_svg(data, title=title, x_label=_("confidence of the first suggestion"))
    return {
        **about,
        "source": ", ".join(metrics.get("real_sources") or []),
        "n": sum(data["counts"]),
        "confidence": round(100 * float(data.get("mean_top1_confidence", 0)), 1),
        "accuracy": round(100 * float(data.get("top1_accuracy", 0)), 1),
        "svg": mark_safe(svg),  # noqa: S308 (built by our code; every text in it is escaped)
    }


@login_required
def card_edit(request, slug):
    access.require_staff(request.user)
    algorithm = access.get_algorithm_for(request.user, slug)
    # A card not written yet is an empty form; ``services.card_update`` creates it on the first save (no write on GET).
    card_obj = ModelCard.objects.filter(algorithm=algorithm).first() or ModelCard(algorithm=algorithm)
    algorithm_form = AlgorithmForm(request.POST or None, instance=algorithm, prefix="algorithm")
    card_form = ModelCardForm(request.POST or None, instance=card_obj, prefix="card")
    status = 200
    if request.method == "POST":
        status = 400
        if algorithm_form.is_valid() and card_form.is_valid():
            try:
                services.card_update(
                    algorithm=algorithm, by=request.user, **algorithm_form.cleaned_data, **card_form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(algorithm_form, error)
            else:
                messages.success(request, _("The model card was saved."))
                return redirect(algorithm)
        algorithm.refresh_from_db()
    return render(
        request,
        "algorithms/card_form.html",
        {"algorithm": algorithm, "algorithm_form": algorithm_form, "card_form": card_form},
        status=status,
    )


def _publication(request, obj, action):
    function = PUBLICATION_ACTIONS.get(action)
    if function is None:
        raise Http404
    algorithm = obj if not isinstance(obj, AlgorithmVersion) else obj.algorithm
    allowed = access.is_staff(request.user) or (
        access.can_approve(request.user, algorithm) and action in ("approve", "withdraw")
    )
    if not allowed:
        raise Http404
    try:
        function(obj=obj, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Publication status: %(status)s.") % {"status": obj.get_publication_display()})
    return redirect(obj)


@require_POST
@login_required
def card_publication(request, slug, action):
    return _publication(request, access.get_algorithm_for(request.user, slug), action)


# --- Versions ---------------------------------------------------------------------------------------------------
def version_detail(request, pk):
    version = access.get_version_for(request.user, pk)
    return render(
        request,
        "algorithms/version_detail.html",
        {
            "version": version,
            "algorithm": version.algorithm,
            "aliases": list(version.aliases.all()),
            "show_job": access.can_see_job_link(request.user, version),
            "can_edit": access.is_staff(request.user),
            "can_approve": access.can_approve(request.user, version.algorithm),
            "metrics": sorted(_flat_metrics(job_report.figures_only(version.metrics))),
            "parameters": job_report.parameter_table(
                version.job.params if version.job else None, (version.metrics or {}).get("params")
            ),
            **job_report.job_reports(version.algorithm.kind, version.metrics),
            "comparison": hs_views.comparison_for(version.metrics),
            "champion_selection": date_views.champion_selection_for(version.metrics),
            "image_report": image_report(version.metrics) if version.algorithm.kind == AlgorithmKind.IMAGE else None,
            "version_form": VersionForm(
                initial={"release_notes_en": version.release_notes_en, "release_notes_fr": version.release_notes_fr}
            ),
            "alias_form": AliasForm(),
        },
    )


def _flat_metrics(metrics, prefix=""):
    """(name, value) pairs of a nested metrics dict, for a plain table."""
    if isinstance(metrics, dict):
        for key, value in metrics.items():
            yield from _flat_metrics(value, f"{prefix}{key} / " if isinstance(value, dict) else f"{prefix}{key}")
    elif prefix:
        yield prefix.rstrip(" /"), metrics


@require_POST
@login_required
def version_edit(request, pk):
    access.require_staff(request.user)
    version = access.get_version_for(request.user, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        services.version_update(version=version, by=request.user, **form.cleaned_data)
        messages.success(request, _("The release notes were saved."))
    return redirect(version)


@require_POST
@login_required
def version_publication(request, pk, action):
    return _publication(request, access.get_version_for(request.user, pk), action)


@require_POST
@login_required
def version_alias(request, pk):
    access.require_staff(request.user)
    version = access.get_version_for(request.user, pk)
    form = AliasForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an alias."))
        return redirect(version)
    run_state_change(
        request,
        lambda: services.alias_move(version=version, name=form.cleaned_data["name"], by=request.user),
        success=_("This version is now the %(alias)s.") % {"alias": form.cleaned_data["name"]},
    )
    return redirect(version)

"""The selection simulation job on the portal's side: its parameters' checks, and its results as a comparison
table and charts for the job page and the job's PDF report.

The engine (``algorithms/engines/selection``) checks its parameters again; the checks here give the user clear,
translated reasons before anything is queued, and know the dataset's dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .engines.selection.chart import line_chart_svg
from .engines.selection.names import BOUNDS, DEFAULTS, STRATEGY_NAMES

STRATEGY_CHOICES = [
    ("random", gettext_lazy("Random")),
    ("profiles", gettext_lazy("Risky profiles (importer, declarant, HS code, origin)")),
    ("lightgbm", gettext_lazy("LightGBM exploitation")),
    ("date", gettext_lazy("DATE exploitation")),
    ("hybrid_random", gettext_lazy("LightGBM + random exploration")),
    ("hybrid_bate", gettext_lazy("LightGBM + bATE-style exploration (uncertain, diverse, valuable)")),
    ("adaptive", gettext_lazy("Adaptive hybrid (exploration share moved by the results)")),
]
assert tuple(name for name, _label in STRATEGY_CHOICES) == STRATEGY_NAMES
PARAMETERS = tuple(DEFAULTS)


def _bad_number(name: str, value) -> str:
    low, high, whole, low_open = BOUNDS[name]
    kind = int if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind):
        return _("Give a number.") if not whole else _("Give a whole number.")
    if (value <= low if low_open else value < low) or value > high:
        if low_open:
            return _("Give a number more than %(low)s and at most %(high)s.") % {"low": low, "high": high}
        return _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high}
    return ""


def parameter_errors(params: dict, dataset) -> dict[str, str]:
    """Reasons, by parameter name, why ``params`` cannot run on ``dataset``; empty when they can."""
    errors: dict[str, str] = {}
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        errors["params"] = _("Unknown parameter(s) for the selection simulation: %(names)s.") % {
            "names": ", ".join(map(str, unknown))
        }
    merged = {**DEFAULTS, **params}
    for name in BOUNDS:
        if name == "final_rate" and merged[name] is None:
            continue
        problem = _bad_number(name, merged[name])
        if problem:
            errors[name] = problem
    strategies = merged["strategies"]
    if not isinstance(strategies, list | tuple) or not strategies:
        errors["strategies"] = _("Choose at least one strategy.")
    elif any(s not in STRATEGY_NAMES for s in strategies):
        errors["strategies"] = _("Unknown strategy. Known: %(names)s.") % {"names": ", ".join(STRATEGY_NAMES)}
    start = merged["train_start"]
    if start is not None:
        try:
            start = dt.date.fromisoformat(str(start))
        except ValueError:
            errors["train_start"] = _("Give a date, YYYY-MM-DD.")
            start = None
    if dataset is None or dataset.date_from is None or dataset.date_to is None:
        return errors
    first, last = dataset.date_from, dataset.date_to
    if start is None and "train_start" not in errors:
        start = first
    if start is not None and not first <= start <= last:
        errors["train_start"] = _("Choose a date within the dataset, from %(first)s to %(last)s.") % {
            "first": first.isoformat(),
            "last": last.isoformat(),
        }
    elif start is not None and not {"train_days", "batch_days", "batches"} & set(errors):
        last_batch = start + dt.timedelta(days=merged["train_days"] + (merged["batches"] - 1) * merged["batch_days"])
        if last_batch > last:
            errors["batches"] = _(
                "The last batch would start on %(day)s, after the dataset's last date (%(last)s): choose fewer or "
                "shorter batches, a shorter training window or an earlier start."
            ) % {"day": last_batch.isoformat(), "last": last.isoformat()}
    return errors


# --- results ------------------------------------------------------------------------------------------------------
def _labels() -> dict[str, str]:
    return {name: str(label) for name, label in STRATEGY_CHOICES}


def comparison(metrics: dict | None) -> dict | None:
    """The comparison table (strategies x cumulative precision, recall, revenue) and the line charts, or None when
    ``metrics`` are not a simulation's."""
    strategies = (metrics or {}).get("strategies")
    if not isinstance(strategies, dict) or not strategies:
        return None
    labels = _labels()
    rows = [
        {
            "name": name,
            "label": labels.get(name, name),
            "precision": figures["precision"],
            "recall": figures["recall"],
            "revenue": figures["revenue"],
            "revenue_captured": figures["revenue_captured"],
            "unseen_recall": figures.get("unseen_recall"),
            "frauds_found": figures["frauds_found"],
            "inspected": figures["inspected"],
            "precision_first_half": figures["precision_first_half"],
            "precision_second_half": figures["precision_second_half"],
        }
        for name, figures in strategies.items()
    ]
    charts = []
    for key, title, y_label in (
        ("cumulative_precision", _("Cumulative precision"), _("precision")),
        ("cumulative_recall", _("Cumulative recall"), _("recall")),
        ("cumulative_revenue_share", _("Cumulative share of the revenue at stake captured"), _("revenue share")),
        ("precision", _("Precision of each batch"), _("precision")),
    ):
        series = {labels.get(name, name): figures["series"][key] for name, figures in strategies.items()}
        svg = line_chart_svg(series, title=title, y_label=y_label, x_label=_("batch"), chart_id=f"chart-{key}")
        charts.append({"key": key, "title": title, "svg": mark_safe(svg)})  # noqa: S308 (escaped by the chart)
    params = metrics.get("params") or {}
    return {
        "rows": rows,
        "charts": charts,
        "seed": metrics.get("seed"),
        "training": metrics.get("training") or {},
        "batches": len(metrics.get("batches") or []),
        "params": params,
        "plan": params.get("final_rate") is not None,
    }


REPORT_LANGUAGES = ("en", "fr")


def render_reports(*, job, metrics: dict, directory: Path) -> dict[str, Path]:
    """The job's PDF report (comparison table and charts) in English and French, written in ``directory``; runs in
    the worker (WeasyPrint)."""
    from django.utils import translation

    from bacuda_portal.core.pdf import render_pdf

    files = {}
    for language in REPORT_LANGUAGES:
        with translation.override(language):
            context = {"job": job, "comparison": comparison(metrics)}
            pdf = render_pdf(
                template="algorithms/pdf/simulation.html",
                context=context,
                language=language,
                title=_("Selection simulation, job #%(id)d") % {"id": job.pk},
            )
        path = Path(directory) / f"report-{language}.pdf"
        path.write_bytes(pdf)
        files[f"report_{language}"] = path
    return files

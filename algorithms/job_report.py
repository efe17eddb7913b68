"""What a model job's results look like to a Customs analyst: the parameters as a labelled table, the DATE models
compared (models x metrics, champion and why), the precision/recall/revenue curves over the inspection rate, the
confusion at the chosen rate, feature importance, the AI-Synth fidelity/utility/privacy report and the AI-HS
top-k accuracy and calibration.

One presenter for the job page, the version page and the model card's PDF: it reads a job's ``params`` and
``metrics`` only (no query), so the three show the same figures.
"""

from __future__ import annotations

from itertools import zip_longest

from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import date_views
from .date_views import model_name

# --- Parameters ---------------------------------------------------------------------------------------------------
# key -> (label, unit). A key not listed here is shown under its own name.
PARAMETERS = {
    # every engine
    "threads": (gettext_lazy("Processor threads"), ""),
    # DATE
    "split_dates": (gettext_lazy("First days of the validation and test periods"), ""),
    "xgb_rounds": (gettext_lazy("XGBoost: boosting rounds"), ""),
    "xgb_depth": (gettext_lazy("XGBoost: tree depth"), ""),
    "xgb_eta": (gettext_lazy("XGBoost: learning rate"), ""),
    "date_trees": (gettext_lazy("DATE: trees whose leaves become cross features"), ""),
    "date_depth": (gettext_lazy("DATE: tree depth"), ""),
    "date_eta": (gettext_lazy("DATE: tree learning rate"), ""),
    "date_dim": (gettext_lazy("DATE: embedding size"), ""),
    "date_heads": (gettext_lazy("DATE: attention heads"), ""),
    "date_epochs": (gettext_lazy("DATE: training epochs"), ""),
    "date_batch": (gettext_lazy("DATE: batch size"), gettext_lazy("declarations")),
    "date_lr": (gettext_lazy("DATE: network learning rate"), ""),
    "date_lr_decay": (gettext_lazy("DATE: learning rate factor after each epoch"), ""),
    "date_alpha": (gettext_lazy("DATE: weight of the revenue loss"), ""),
    "date_min_id_count": (gettext_lazy("DATE: fewest declarations for an importer or HS code of its own"), ""),
    "date_networks": (gettext_lazy("DATE: networks averaged"), ""),
    "date_self_attention": (gettext_lazy("DATE: self-attention over the leaves"), ""),
    "date_wide": (gettext_lazy("DATE: numbers also fed to the fusion layer"), ""),
    "target_rate": (gettext_lazy("Inspection rate the champion is chosen at"), "%"),
    "unseen_models": (gettext_lazy("Models averaged for unseen goods combinations"), ""),
    "use_extra_columns": (gettext_lazy("Extra columns of the file used as features"), ""),
    # AI-Synth
    "rows": (gettext_lazy("Synthetic rows"), gettext_lazy("rows")),
    "holdout_fraction": (gettext_lazy("Share of the data kept out to measure utility and privacy"), ""),
    "numeric_noise": (gettext_lazy("Noise on the net mass (log-normal sigma)"), ""),
    "date_jitter_days": (gettext_lazy("Dates moved by up to"), gettext_lazy("days")),
    "min_group": (gettext_lazy("Fewest other rows for a goods group of its own"), gettext_lazy("rows")),
    "pseudonymise_ids": (gettext_lazy("Declarant, importer, seller and courier IDs replaced"), ""),
    "min_differences": (gettext_lazy("Fewest columns in which a row differs from every real row"), ""),
    "donor_key": (gettext_lazy("Finest grouping of the donor rows"), ""),
    # AI-HS
    "source": (gettext_lazy("Training data"), ""),
    "neighbours": (gettext_lazy("Labelled descriptions that vote"), ""),
    "power": (gettext_lazy("Weight of a vote (similarity to the power)"), ""),
    "trust": (gettext_lazy("Largest share of the votes in the answer"), ""),
    "floor": (gettext_lazy("Similarity below which votes are ignored"), ""),
    "saturation": (gettext_lazy("Similarity at which votes weigh fully"), ""),
    # selection simulation
    "train_start": (gettext_lazy("First day of the first training window"), ""),
    "train_days": (gettext_lazy("Length of the first training window"), gettext_lazy("days")),
    "batch_days": (gettext_lazy("Length of a batch"), gettext_lazy("days")),
    "batches": (gettext_lazy("Number of batches"), ""),
    "rate": (gettext_lazy("Inspection rate"), "%"),
    "final_rate": (gettext_lazy("Final inspection rate"), "%"),
    "strategies": (gettext_lazy("Strategies compared"), ""),
    "exploration": (gettext_lazy("Exploration share of the hybrids"), ""),
    "retrain_every": (gettext_lazy("Retrain every"), gettext_lazy("batches")),
}
VALUE_LABELS = {
    "accepted_feedback": gettext_lazy("the accepted suggestion feedback"),
    "hs6": gettext_lazy("HS6 code and fraud"),
    "goods": gettext_lazy("the goods key"),
}


def _value(key: str, value) -> str:
    if value is None:
        return _("automatic") if key == "split_dates" else _("default")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(_value(key, item) for item in value)
    if isinstance(value, float):
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, dict):
        return ", ".join(f"{name}: {_value(key, item)}" for name, item in value.items())
    return str(VALUE_LABELS.get(str(value), value))


def parameter_rows(params, effective=None) -> list[dict]:
    """The parameters of a job as rows (label, value, unit, name, set_here): those asked for (``params``, the job's)
    first, then the values the engine used by default (``effective``, the ``params`` of its metrics)."""
    asked = params if isinstance(params, dict) else {}
    used = effective if isinstance(effective, dict) else {}
    rows = []
    for key in [*asked, *(k for k in used if k not in asked)]:
        value = asked[key] if key in asked else used[key]
        label, unit = PARAMETERS.get(key, (key.replace("_", " ").capitalize(), ""))
        rows.append({"name": key, "label": str(label), "value": _value(key, value), "unit": str(unit),
                     "set_here": key in asked})  # fmt: skip
    return rows


def figures_only(metrics) -> dict:
    """The metrics for the folded "all figures" table: without the curves and the importance (lists, drawn in
    their own sections) and the parameters (their own table)."""
    return {k: v for k, v in (metrics or {}).items() if k not in ("curves", "feature_importance", "params")}


def parameter_table(params, effective=None) -> dict | None:
    """``parameter_rows`` split into those asked for and the engine's defaults; None when there is neither."""
    rows = parameter_rows(params, effective)
    if not rows:
        return None
    return {"asked": [row for row in rows if row["set_here"]], "defaults": [row for row in rows if not row["set_here"]]}


# --- DATE ---------------------------------------------------------------------------------------------------------
def _number(value, digits: int = 3) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{float(value):.{digits}f}"
    return "–"


def _rates_of(figures: dict) -> list[int]:
    rates = set()
    for key in figures:
        name, _sep, rate = key.partition("@")
        if name == "precision" and rate.isdigit():
            rates.add(int(rate))
    return sorted(rates)


def _series(metrics: dict, part: str) -> tuple[list, dict[str, dict[str, list]]]:
    """The rates and, by model label, the precision/recall/revenue lists on ``part`` (test or test_unseen): the
    finer curves the engine records for new jobs, else the figures at the 1/2/5/10 % rates of older ones."""
    models = metrics["models"]
    curves = metrics.get("curves") if isinstance(metrics.get("curves"), dict) else None
    out: dict[str, dict[str, list]] = {}
    if curves and isinstance(curves.get("models"), dict):
        rates = list(curves.get("rates") or [])
        for name, model in models.items():
            line = (curves["models"].get(name) or {}).get(part)
            if isinstance(line, dict):
                out[model_name(name, model)] = line
        return rates, out
    rates = []
    for name, model in models.items():
        figures = model.get(part)
        if not isinstance(figures, dict):
            continue
        rates = rates or _rates_of(figures)
        out[model_name(name, model)] = {
            measure: [figures.get(f"{measure}@{rate}") for rate in rates]
            for measure in ("precision", "recall", "revenue")
        }
    return rates, out


def _curves(metrics: dict, part: str, target_rate) -> list[dict]:
    from .engines.date_chart import rate_curves_svg

    rates, series = _series(metrics, part)
    if len(rates) < 2 or not series:
        return []
    where = _("all test declarations") if part == "test" else _("unseen goods combinations")
    titles = {
        "precision": _("Precision, %(where)s"),
        "recall": _("Recall, %(where)s"),
        "revenue": _("Revenue share, %(where)s"),
    }
    charts = []
    for measure, title in titles.items():
        text = title % {"where": where}
        svg = rate_curves_svg(
            {label: line.get(measure) or [] for label, line in series.items()},
            rates,
            title=text,
            y_label={"precision": _("precision"), "recall": _("recall"), "revenue": _("revenue share")}[measure],
            x_label=_("share of declarations inspected (%)"),
            chart_id=f"curve-{part}-{measure}",
            marked_rate=target_rate,
        )
        charts.append({"key": f"curve-{part}-{measure}", "title": text, "svg": mark_safe(svg)})  # noqa: S308
    return charts


def _comparison_rows(metrics: dict, part: str, rates: list[int], order: list[str], target) -> list[dict]:
    rows = []
    for name in order:
        model = metrics["models"].get(name)
        if not isinstance(model, dict):
            continue
        figures = model.get(part) if isinstance(model.get(part), dict) else {}
        rows.append(
            {
                "label": model_name(name, model),
                "champion": name == metrics.get("champion"),
                "auc": _number(figures.get("auc")),
                "precision": [_number(figures.get(f"precision@{rate}")) for rate in rates],
                "recall": _number(figures.get(f"recall@{target}")),
                "revenue": _number(figures.get(f"revenue@{target}")),
                "seconds": _number(model.get("train_seconds"), 1),
            }
        )
    return rows


def _confusion(metrics: dict, rate) -> dict | None:
    """The champion's confusion on all test declarations when the top ``rate`` % are inspected, from the rows and
    frauds of the test period and the precision and recall the engine measured there (k = round(rows x rate))."""
    test = (metrics.get("split") or {}).get("test") or {}
    figures = (metrics["models"].get(metrics.get("champion")) or {}).get("test") or {}
    rows, frauds, precision = test.get("rows"), test.get("frauds"), figures.get(f"precision@{rate}")
    if not isinstance(rows, int) or not isinstance(frauds, int) or not isinstance(precision, int | float) or rows < 1:
        return None
    inspected = max(1, round(rows * float(rate) / 100.0))
    found = min(frauds, round(float(precision) * inspected))
    return {
        "rate": rate,
        "rows": rows,
        "inspected": inspected,
        "found": found,
        "false_alarms": inspected - found,
        "missed": frauds - found,
        "cleared": rows - inspected - (frauds - found),
        "frauds": frauds,
    }


STAT_LABELS = {
    "n": gettext_lazy("declarations seen"),
    "fraud": gettext_lazy("frauds seen"),
    "rate": gettext_lazy("fraud rate"),
    "low": gettext_lazy("fraud rate, cautious estimate"),
}
NUMBER_LABELS = {
    "tax_rate": gettext_lazy("Tax rate"),
    "log_mass": gettext_lazy("Net mass"),
    "log_price": gettext_lazy("Item price"),
    "log_unit_price": gettext_lazy("Price per kg"),
    "mass_is_whole": gettext_lazy("Net mass is a whole number"),
    "origin_differs": gettext_lazy("Origin differs from departure"),
}


def feature_label(name: str) -> str:
    """A feature of the engine's table in words: a column, a number, or a history figure of a group of columns."""
    from .engines.features import HISTORY_KEYS, NATIONAL_HISTORY_KEYS

    keys = {**HISTORY_KEYS, **NATIONAL_HISTORY_KEYS}
    if name in NUMBER_LABELS:
        return str(NUMBER_LABELS[name])
    key, _sep, stat = name.rpartition("_")
    if key in keys and stat in STAT_LABELS:
        return _("History of %(columns)s: %(figure)s") % {
            "columns": " + ".join(keys[key]),
            "figure": STAT_LABELS[stat],
        }
    return name


def _importance(metrics: dict) -> list[dict]:
    found = metrics.get("feature_importance")
    if not isinstance(found, dict) or not isinstance(found.get("features"), list):
        return []
    rows = []
    for item in found["features"]:
        if isinstance(item, list | tuple) and len(item) == 2 and isinstance(item[1], int | float):
            share = float(item[1])
            rows.append({"name": item[0], "label": feature_label(str(item[0])), "share": f"{100 * share:.1f}",
                         "width": f"{100 * share / max(float(found['features'][0][1]), 1e-9):.0f}"})  # fmt: skip
    return rows


def _extra_columns(metrics: dict) -> str:
    """The file's extra columns the models used (``extra_features`` of the metrics), as one line; "" if none."""
    found = metrics.get("extra_features")
    if not isinstance(found, dict):
        return ""
    names = [str(n) for n in [*(found.get("categorical") or []), *(found.get("numeric") or [])]]
    if found.get("national_code"):
        names.insert(0, _("national tariff code"))
    return ", ".join(names)


def date_report(metrics) -> dict | None:
    """The DATE job's results for an analyst, or None for metrics that are not a DATE training's."""
    if not isinstance(metrics, dict) or not isinstance(metrics.get("models"), dict):
        return None
    selection = date_views.champion_selection_for(metrics)
    if selection is None:
        return None
    target = selection["rate"]
    order = (metrics.get("champion_selection") or {}).get("order") or list(metrics["models"])
    first = next((m for m in metrics["models"].values() if isinstance(m, dict) and isinstance(m.get("test"), dict)), {})
    rates = _rates_of(first.get("test", {}))
    champion = metrics["models"].get(metrics.get("champion")) or {}
    tables = []
    for part, title in (
        ("test", _("All test declarations")),
        ("test_unseen", _("Test declarations whose goods combination never occurs in training")),
    ):
        rows = _comparison_rows(metrics, part, rates, order, target)
        if any(row["auc"] != "–" for row in rows):
            tables.append({"key": part, "title": title, "rows": rows})
    split = metrics.get("split") if isinstance(metrics.get("split"), dict) else {}
    return {
        "champion": model_name(metrics.get("champion"), champion),
        "reason": selection["criterion"],
        "rates": rates,
        "target_rate": target,
        "tables": tables,
        # side by side in the page: each measure on all test declarations, then on unseen combinations
        "curves": [
            chart
            for pair in zip_longest(_curves(metrics, "test", target), _curves(metrics, "test_unseen", target))
            for chart in pair
            if chart
        ],
        "confusion": _confusion(metrics, target),
        "importance": _importance(metrics),
        "extra_columns": _extra_columns(metrics),
        "split": [
            {"label": label, **split[name]}
            for name, label in (("train", _("Training")), ("valid", _("Validation")), ("test", _("Test")))
            if isinstance(split.get(name), dict)
        ],
    }


# --- AI-Synth -----------------------------------------------------------------------------------------------------
def synth_report(metrics) -> dict | None:
    """Fidelity, utility and privacy of a synthetic table, each figure with what it means; None if not AI-Synth."""
    if not isinstance(metrics, dict) or "column_shapes" not in metrics or "detection" not in metrics:
        return None

    def row(label, key, meaning, digits=3):
        return {"label": label, "value": _number(metrics.get(key), digits), "meaning": meaning}

    fidelity = [
        row(_("Column shapes"), "column_shapes",
            _("1 when every column of the synthetic table has the distribution of the real column.")),
        row(_("Pair trends"), "pair_trends",
            _("1 when every pair of columns varies together as in the real table.")),
        row(_("Detection"), "detection",
            _("1 when a classifier cannot tell synthetic rows from real ones (its AUC is then 0.5).")),
        row(_("Detection AUC"), "detection_auc", _("How well that classifier tells them apart; 0.5 is chance.")),
    ]  # fmt: skip
    utility = []
    if "utility" in metrics:
        utility = [
            row(_("Precision at 5 %, fraud model trained on real rows"), "utility_precision_real",
                _("The DATE job's LightGBM trained on the real rows, tested on the real rows kept out.")),
            row(_("Precision at 5 %, fraud model trained on synthetic rows"), "utility_precision_synthetic",
                _("The same model trained on the synthetic rows only, tested on the same real rows.")),
            row(_("Utility"), "utility",
                _("Synthetic over real precision: 1 when the synthetic table trains as well.")),
        ]  # fmt: skip
    privacy = []
    if "dcr_synthetic_median" in metrics:
        privacy = [
            row(_("Exact copies of a real row"), "exact_copies", _("Should be 0."), 0),
            row(_("Distance to the closest real row, median (synthetic rows)"), "dcr_synthetic_median",
                _("How far a synthetic row is from the nearest real row it was learnt from.")),
            row(_("Same distance for real rows kept out (median)"), "dcr_holdout_median",
                _("The yardstick: how far genuinely new real rows are from the learnt ones.")),
            row(_("Share of synthetic rows closer than 95 % of new real rows"), "dcr_share_below_holdout_p5",
                _("About 0.05 or less: synthetic rows are no closer to the real ones than new real rows are.")),
        ]  # fmt: skip
    columns = metrics.get("column_shapes_by_column")
    pairs = metrics.get("pair_trends_worst")
    return {
        "sections": [
            (_("Fidelity: does the synthetic table look like the real one?"), fidelity, "fidelity"),
            (_("Utility: does a fraud model learn as well from it?"), utility, "utility"),
            (_("Privacy: does it give away real declarations?"), privacy, "privacy"),
        ],
        "columns": sorted(((name, _number(v)) for name, v in columns.items()), key=lambda item: item[1])
        if isinstance(columns, dict)
        else [],
        "worst_pairs": [(name, _number(v)) for name, v in pairs.items()] if isinstance(pairs, dict) else [],
        "rows_learned": metrics.get("rows_learned"),
        "rows_holdout": metrics.get("rows_holdout"),
        "rows_generated": metrics.get("rows_generated"),
        "method": metrics.get("method", ""),
    }


# --- AI-HS --------------------------------------------------------------------------------------------------------
AIHS_TEXT_KINDS = {
    "technical": _("Technical descriptions (customs rulings)"),
    "title": _("Short commercial titles and parcel declaration lines"),
    "french": _("Descriptions in French (rulings)"),
}


def aihs_report(metrics) -> dict | None:
    """Top-1/3/5 accuracy at the HS2/HS4/HS6 levels, beside the plain TF-IDF baseline, and the reliability
    diagram when the engine measured one; None if the metrics are not an AI-HS training's."""
    if not isinstance(metrics, dict) or "hs6_top1" not in metrics:
        return None
    levels = []
    for level in ("hs2", "hs4", "hs6"):
        levels.append(
            {
                "label": level.upper(),
                "model": [_number(metrics.get(f"{level}_top{k}")) for k in (1, 3, 5)],
                "baseline": [_number(metrics.get(f"baseline_{level}_top{k}")) for k in (1, 3, 5)],
            }
        )
    calibration = None
    data = metrics.get("reliability")
    if isinstance(data, dict) and "counts" in data:
        from .engines.aihs.calibration import reliability_svg

        svg = reliability_svg(data, title=_("Reliability of the first suggestion"),
                              x_label=_("confidence of the first suggestion"))  # fmt: skip
        calibration = {"svg": mark_safe(svg), "ece": _number(data.get("ece"))}  # noqa: S308 (escaped by the kit)
    kinds = [
        {
            "label": label,
            "n": metrics[f"kind_{kind}"].get("n"),
            "figures": [_number(metrics[f"kind_{kind}"].get(key)) for key in ("hs6_top1", "hs6_top5", "hs4_top5")],
        }
        for kind, label in AIHS_TEXT_KINDS.items()
        if isinstance(metrics.get(f"kind_{kind}"), dict)
    ]
    return {
        "levels": levels,
        "kinds": kinds,
        "sources": ", ".join(str(source) for source in metrics.get("real_sources") or []),
        "recorded": bool(metrics.get("recorded")),
        "has_baseline": "baseline_hs6_top1" in metrics,
        "n": metrics.get("n_eval") or metrics.get("n"),
        "evaluated_on": metrics.get("evaluated_on", ""),
        "real_data": bool(metrics.get("real_data")),
        "calibration": calibration,
    }


def job_reports(kind: str, metrics) -> dict:
    """The analyst's sections for a job of ``kind`` (or a version produced by one): ``date_report``,
    ``synth_report`` and ``aihs_report``, each None when it does not apply."""
    return {
        "date_report": date_report(metrics) if kind in ("date_train", "date") else None,
        "synth_report": synth_report(metrics) if kind in ("synth",) else None,
        "aihs_report": aihs_report(metrics) if kind in ("aihs_train", "aihs") else None,
    }

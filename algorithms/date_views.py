"""The DATE job's champion choice, in a table for a job's and a version's page (reads the metrics only)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The DATE job's models by their key, in the reader's language (older versions stored an English label only).
MODEL_NAMES = {
    "lightgbm": gettext_lazy("LightGBM (native categoricals)"),
    "xgboost": gettext_lazy("XGBoost (plain)"),
    "routed": gettext_lazy("LightGBM routed by combination"),
    "date": "DATE",
}


def model_name(key: str, model: dict | None) -> str:
    if key in MODEL_NAMES:
        return str(MODEL_NAMES[key])
    return (model or {}).get("label", key)


def _figure(value) -> str:
    return f"{float(value):.3f}" if isinstance(value, int | float) and not isinstance(value, bool) else "–"


def _get(model: dict, part: str, key: str):
    figures = model.get(part)
    return figures.get(key) if isinstance(figures, dict) else None


def champion_selection_for(metrics) -> dict | None:
    """Every model's figures on all rows and on unseen goods combinations, and how the champion was chosen;
    None for metrics without a DATE champion selection."""
    if not isinstance(metrics, dict):
        return None
    selection, models = metrics.get("champion_selection"), metrics.get("models")
    if not isinstance(selection, dict) or not isinstance(models, dict):
        return None
    rate = selection.get("target_rate", 5)
    rows = []
    for name in selection.get("order") or list(models):
        model = models.get(name)
        if not isinstance(model, dict):
            continue
        chosen = model.get("selection") if isinstance(model.get("selection"), dict) else {}
        rows.append(
            {
                "label": model_name(name, model),
                "champion": name == metrics.get("champion"),
                "valid_all": _figure(chosen.get("all_precision")),
                "valid_unseen": _figure(chosen.get("unseen_precision")),
                "valid_unseen_revenue": _figure(chosen.get("unseen_revenue")),
                "test_all": _figure(_get(model, "test", f"precision@{rate}")),
                "test_unseen": _figure(_get(model, "test_unseen", f"precision@{rate}")),
                "test_unseen_auc": _figure(_get(model, "test_unseen", "auc")),
            }
        )
    share = metrics.get("unseen_share") if isinstance(metrics.get("unseen_share"), dict) else {}
    if selection.get("on_unseen"):
        criterion = _(
            "Champion chosen on the validation declarations whose goods combination never occurs in training: "
            "highest precision at %(rate)s %% inspected there, then highest revenue share at %(rate)s %%; figures "
            "equal to two decimals are a tie, won by the simpler, faster model (in the order of the table)."
        ) % {"rate": rate}
    else:
        criterion = _(
            "Too few validation declarations have a goods combination unseen in training, so the champion was "
            "chosen on all validation declarations: precision at %(rate)s %% inspected, then revenue share; ties "
            "go to the simpler, faster model."
        ) % {"rate": rate}
    return {
        "rows": rows,
        "rate": rate,
        "criterion": criterion,
        "valid_share": _figure(share.get("valid")),
        "test_share": _figure(share.get("test")),
        "test_fraud_rate": _figure(share.get("test_fraud_rate")),
        "combination": ", ".join(selection.get("combination") or []),
    }

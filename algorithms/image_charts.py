"""The image model's figures made readable: the tables and two self-made SVG charts (a confusion matrix as a heat
chart, a reliability diagram), drawn like ``engines/date_chart.py`` (no plotting library). Every text is escaped.

``image_report(metrics)`` turns a training job's metrics (``engines/images.py``: ``models.network`` and
``models.baseline`` with top-1, top-3, per-class precision and recall, confusion, calibration) into what the job
page, the version page and the model report show; None when the metrics are not an image model's.
"""

from __future__ import annotations

from html import escape

from django.utils.translation import gettext as _

FONT = 'font-family="sans-serif"'
MODEL_NAMES = ("network", "baseline")


def _percent(value) -> str:
    return "–" if value is None else f"{100 * float(value):.1f} %"


def _heat_colour(share: float) -> str:
    """White (0) to deep blue (1)."""
    share = max(0.0, min(1.0, share))
    red = round(255 - share * (255 - 31))
    green = round(255 - share * (255 - 95))
    blue = round(255 - share * (255 - 168))
    return f"#{red:02x}{green:02x}{blue:02x}"


def confusion_svg(classes: list[str], matrix: list[list[int]], title: str) -> str:
    """Rows: the true class; columns: the predicted class; each cell shaded by its share of the row."""
    n = len(classes)
    cell = max(10, min(36, 640 // max(n, 1)))
    label_w = min(220, 12 + 7 * max((len(str(name)) for name in classes), default=4))
    top, left = 40 + label_w, label_w + 16
    size = cell * n
    width, height = left + size + 20, top + size + 40
    show_numbers = cell >= 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="confusion-title">',
        f'<title id="confusion-title">{escape(title)}</title>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{width / 2:.0f}" y="20" text-anchor="middle" {FONT} font-size="14">{escape(title)}</text>',
    ]
    for i, name in enumerate(classes):
        label = escape(str(name)[:30])
        y = top + i * cell + cell / 2 + 4
        parts.append(f'<text x="{left - 6}" y="{y:.1f}" text-anchor="end" {FONT} font-size="11">{label}</text>')
        x = left + i * cell + cell / 2 + 4
        parts.append(
            f'<text x="{x:.1f}" y="{top - 6}" transform="rotate(-60 {x:.1f} {top - 6})" {FONT} '
            f'font-size="11">{label}</text>'
        )
    for i, row in enumerate(matrix):
        total = sum(row) or 1
        for j, count in enumerate(row):
            share = count / total
            x, y = left + j * cell, top + i * cell
            stroke = ' stroke="#333333" stroke-width="1.5"' if i == j else ' stroke="#eeeeee"'
            tip = escape(
                _("true %(true)s, predicted %(predicted)s: %(count)d") % {
                    "true": classes[i], "predicted": classes[j], "count": count}
            )  # fmt: skip
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{_heat_colour(share)}"{stroke}>'
                f"<title>{tip}</title></rect>"
            )
            if show_numbers and count:
                colour = "#ffffff" if share > 0.55 else "#111111"
                parts.append(
                    f'<text x="{x + cell / 2:.1f}" y="{y + cell / 2 + 4:.1f}" text-anchor="middle" {FONT} '
                    f'font-size="10" fill="{colour}">{count}</text>'
                )
    axes = escape(_("rows: true class; columns: predicted class"))
    parts.append(
        f'<text x="{left + size / 2:.0f}" y="{top + size + 24}" text-anchor="middle" {FONT} font-size="12">'
        f"{axes}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def calibration_svg(bins: list[dict], title: str) -> str:
    """Accuracy against the shown confidence, by bin; the diagonal is perfect calibration."""
    width, height, left, top, plot = 420, 400, 56, 40, 300
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="calibration-title">',
        f'<title id="calibration-title">{escape(title)}</title>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{width / 2:.0f}" y="20" text-anchor="middle" {FONT} font-size="14">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot}" x2="{left + plot}" y2="{top}" stroke="#999999" stroke-dasharray="4 3"/>',
        f'<rect x="{left}" y="{top}" width="{plot}" height="{plot}" fill="none" stroke="#333333"/>',
    ]
    for tick in range(0, 11, 2):
        value = tick / 10
        parts.append(
            f'<text x="{left - 6}" y="{top + plot * (1 - value) + 4:.1f}" text-anchor="end" {FONT} '
            f'font-size="10">{value:.1f}</text>'
        )
        parts.append(
            f'<text x="{left + plot * value:.1f}" y="{top + plot + 16}" text-anchor="middle" {FONT} '
            f'font-size="10">{value:.1f}</text>'
        )
    for item in bins:
        if not item.get("count") or item.get("accuracy") is None:
            continue
        low, high = float(item["low"]), float(item["high"])
        accuracy = float(item["accuracy"])
        x, w = left + plot * low, plot * (high - low)
        h = plot * accuracy
        tip = escape(
            _("confidence %(low).1f–%(high).1f: %(count)d pictures, %(accuracy).0f %% right") % {
                "low": low, "high": high, "count": item["count"], "accuracy": 100 * accuracy}
        )  # fmt: skip
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{top + plot - h:.1f}" width="{w - 2:.1f}" height="{h:.1f}" fill="#1f5fa8" '
            f'fill-opacity="0.75"><title>{tip}</title></rect>'
        )
        if item.get("confidence") is not None:
            cy = top + plot * (1 - float(item["confidence"]))
            parts.append(f'<circle cx="{x + w / 2:.1f}" cy="{cy:.1f}" r="3" fill="#e07b1a"/>')
    x_label, y_label = escape(_("confidence shown (orange: mean of the bin)")), escape(_("share right"))
    parts.append(
        f'<text x="{left + plot / 2:.0f}" y="{top + plot + 36}" text-anchor="middle" {FONT} font-size="12">'
        f"{x_label}</text>"
    )
    parts.append(
        f'<text x="16" y="{top + plot / 2:.0f}" transform="rotate(-90 16 {top + plot / 2:.0f})" text-anchor="middle" '
        f'{FONT} font-size="12">{y_label}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def image_report(metrics: dict, *, charts: bool = True) -> dict | None:
    """The tables (and charts) of an image training job's metrics; None for other metrics."""
    from django.utils.safestring import mark_safe

    models = (metrics or {}).get("models")
    if not isinstance(models, dict) or not all(isinstance(models.get(name), dict) for name in MODEL_NAMES):
        return None
    classes = [str(name) for name in metrics.get("classes") or []]
    champion = metrics.get("champion", "")
    names = {"network": _("Network"), "baseline": _("Classical baseline")}
    rows = []
    for name in MODEL_NAMES:
        figures = models[name]
        rows.append(
            {
                "name": names[name],
                "champion": name == champion,
                "val_top1": _percent(figures.get("val_top1")),
                "top1": _percent(figures.get("top1")),
                "top3": _percent(figures.get("top3")),
                "ece": "–" if (figures.get("calibration") or {}).get("ece") is None
                else f"{float(figures['calibration']['ece']):.3f}",
                "n": figures.get("n", 0),
            }
        )  # fmt: skip
    best = models.get(champion) or models["network"]
    per_class = []
    for label in classes:
        network = (models["network"].get("per_class") or {}).get(label) or {}
        baseline = (models["baseline"].get("per_class") or {}).get(label) or {}
        per_class.append(
            {
                "label": label,
                "support": network.get("support", baseline.get("support", 0)),
                "network_precision": _percent(network.get("precision")),
                "network_recall": _percent(network.get("recall")),
                "baseline_precision": _percent(baseline.get("precision")),
                "baseline_recall": _percent(baseline.get("recall")),
            }
        )
    report = {
        "rows": rows,
        "champion": names.get(champion, champion),
        "champion_reason": metrics.get("champion_reason", ""),
        "split_sizes": metrics.get("split_sizes") or {},
        "seed": metrics.get("seed"),
        "epochs": metrics.get("epochs"),
        "per_class": per_class,
        "calibration_bins": [item for item in (best.get("calibration") or {}).get("bins", []) if item.get("count")],
        "ece": (best.get("calibration") or {}).get("ece"),
        "timings": metrics.get("timings") or {},
    }
    if charts:
        matrix = best.get("confusion") or []
        if classes and len(matrix) == len(classes):
            title = _("Confusion matrix of the %(model)s on the test pictures") % {"model": report["champion"].lower()}
            report["confusion_svg"] = mark_safe(confusion_svg(classes, matrix, title))  # noqa: S308 (escaped)
        if report["calibration_bins"]:
            title = _("Calibration of the %(model)s's confidence") % {"model": report["champion"].lower()}
            report["calibration_svg"] = mark_safe(  # noqa: S308 (built here; every text in it is escaped)
                calibration_svg(report["calibration_bins"], title)
            )
    return report


def newest_image_report(versions) -> dict | None:
    """The figures of the newest of ``versions`` (published ones, for the card's PDF) that has an image model's
    metrics, with its number; None if none has."""
    for version in versions:
        if version.algorithm.kind != "image":
            return None
        report = image_report(version.metrics or {})
        if report is not None:
            return {**report, "version": version.number}
    return None

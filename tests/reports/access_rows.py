"""The reports rows of the access matrix (tests/test_access_matrix.py) and the objects they need."""

import datetime as dt

from django.core.files.base import ContentFile

from tests.access_roles import PUBLIC, STAFF_ONLY

# Staff see everything; contact points see the dashboard of their own administration; nobody else.
DASHBOARD = ("L", "ok", "ok", "ok", "404", "404")
API_STAFF_ONLY = ("401", "ok", "403", "403", "403", "403")
API_DASHBOARD = ("401", "ok", "ok", "ok", "404", "404")
API_FRAMEWORK = ("401", "ok", "404", "404", "404", "404")  # as the framework pages: anyone but staff finds nothing

ROWS = {
    "reports:dashboard": ("get", None, DASHBOARD),
    "reports:report_list": ("get", None, STAFF_ONLY),
    "reports:report_request": ("post", lambda w: {"kind": "progress"}, STAFF_ONLY),  # staff: 400, the empty form
    "reports:report_detail": ("get", lambda w: {"pk": w["report"].pk}, STAFF_ONLY),
    "reports:report_status": ("get", lambda w: {"pk": w["report"].pk}, STAFF_ONLY),
    "reports:report_download": ("get", lambda w: {"pk": w["report"].pk}, STAFF_ONLY),
    "reports:report_retry": ("post", lambda w: {"pk": w["report"].pk}, STAFF_ONLY),
    "reports:narrative_edit": ("get", None, STAFF_ONLY),
    "reports:evidence_download": ("get", lambda w: {"pk": w["indicator_value"].pk}, STAFF_ONLY),
    # The results framework's set-up pages: staff only (tests/reports/test_framework_pages.py).
    "reports:framework": ("get", None, STAFF_ONLY),
    "reports:objective_create": ("get", None, STAFF_ONLY),
    "reports:objective_edit": ("get", lambda w: {"pk": w["indicator_value"].indicator.objective_id}, STAFF_ONLY),
    "reports:objective_delete": ("post", lambda w: {"pk": w["indicator_value"].indicator.objective_id}, STAFF_ONLY),
    "reports:indicator_create": ("get", None, STAFF_ONLY),
    "reports:indicator_detail": ("get", lambda w: {"pk": w["indicator_value"].indicator_id}, STAFF_ONLY),
    "reports:indicator_edit": ("get", lambda w: {"pk": w["indicator_value"].indicator_id}, STAFF_ONLY),
    "reports:indicator_active": ("post", lambda w: {"pk": w["indicator_value"].indicator_id}, STAFF_ONLY),
    "reports:target_add": ("post", lambda w: {"indicator_pk": w["indicator_value"].indicator_id}, STAFF_ONLY),
    "reports:target_edit": ("get", lambda w: {"pk": w["indicator_target"].pk}, STAFF_ONLY),
    "reports:target_delete": ("post", lambda w: {"pk": w["indicator_target"].pk}, STAFF_ONLY),
    "reports:value_add": ("post", lambda w: {"indicator_pk": w["indicator_value"].indicator_id}, STAFF_ONLY),
    "reports:value_edit": ("get", lambda w: {"pk": w["indicator_value"].pk}, STAFF_ONLY),
    "reports:value_delete": ("post", lambda w: {"pk": w["spare_indicator_value"].pk}, STAFF_ONLY),
    # The PDF of a published model card is public (an unpublished card's: 404, tests/reports/test_model_card.py).
    "reports:model_card_pdf": ("get", lambda w: {"slug": w["algorithm"].slug, "language": "en"}, PUBLIC),
    "v1:report-list": ("get", None, API_STAFF_ONLY),
    "v1:report-detail": ("get", lambda w: {"pk": w["report"].pk}, API_STAFF_ONLY),
    "v1:report-download": ("get", lambda w: {"pk": w["report"].pk}, API_STAFF_ONLY),
    "v1:dashboard-list": ("get", None, API_DASHBOARD),
    # The results framework's API (tests/reports/test_framework_api.py has the writes).
    "v1:results-objective-list": ("get", None, API_FRAMEWORK),
    "v1:results-objective-detail": (
        "get",
        lambda w: {"pk": w["indicator_value"].indicator.objective_id},
        API_FRAMEWORK,
    ),
    "v1:results-indicator-list": ("get", None, API_FRAMEWORK),
    "v1:results-indicator-detail": ("get", lambda w: {"pk": w["indicator_value"].indicator_id}, API_FRAMEWORK),
    "v1:results-indicator-active": ("post", lambda w: {"pk": w["indicator_value"].indicator_id}, API_FRAMEWORK),
    "v1:results-target-list": ("get", None, API_FRAMEWORK),
    "v1:results-target-detail": ("get", lambda w: {"pk": w["indicator_target"].pk}, API_FRAMEWORK),
    "v1:results-value-list": ("get", None, API_FRAMEWORK),
    "v1:results-value-detail": ("get", lambda w: {"pk": w["indicator_value"].pk}, API_FRAMEWORK),
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    """Objects these rows name, added to the shared world (``base``): a ready progress report, and a ready PDF of
    the published algorithm card of tests/algorithms/access_rows.py (``base["algorithm"]``)."""
    from bacuda_portal.reports import services
    from bacuda_portal.reports.models import Indicator, IndicatorTarget, IndicatorValue, Objective, Report
    from bacuda_portal.reports.services import parameters_key

    report = Report.objects.create(
        kind="progress",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        language="en",
        parameters_key=parameters_key({}),
        status="ready",
    )
    report.file.save("access-matrix.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    objective = Objective.objects.create(code="AM", title_en="Access matrix")
    indicator = Indicator.objects.create(
        objective=objective, code="AM.1", title_en="Seizures", unit="n", source="manual"
    )
    value = IndicatorValue(indicator=indicator, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 3, 31),
                           value=3, administration=kenya)  # fmt: skip
    value.evidence_file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    target = IndicatorTarget.objects.create(indicator=indicator, period_start=dt.date(2025, 1, 1),
                                            period_end=dt.date(2025, 12, 31), value=10)  # fmt: skip
    # The delete row's own value: the staff's request deletes it, the other rows still find theirs.
    spare = IndicatorValue.objects.create(
        indicator=indicator,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 3, 31),
        value=1,
        evidence_url="https://x.org/",
    )
    card_pdf, _created = services.report_request(
        kind="model_card", language="en", by=cast["staff"], parameters={"algorithm": base["algorithm"].pk}
    )
    card_pdf.status = "ready"
    card_pdf.file.save("card.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return {"report": report, "indicator_value": value, "model_card_pdf": card_pdf, "indicator_target": target,
            "spare_indicator_value": spare}  # fmt: skip

"""The results framework through the API (issue 19, part 6): staff write objectives, indicators, targets and values
entered with their evidence by the framework's services; anyone else finds nothing (404, 401 when anonymous); a body
the model refuses is a 400 naming the field; deleting an objective that still has indicators is a 409."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bacuda_portal.core.models import AuditEntry
from bacuda_portal.reports.models import Indicator, IndicatorTarget, IndicatorValue, Objective
from tests.upload_samples import CLEAN_PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def objective():
    return Objective.objects.create(code="O2", title_en="Administrations use the algorithms")


@pytest.fixture
def manual(objective):
    return Indicator.objects.create(objective=objective, code="2.3", title_en="Seizures", unit="n", source="manual")


def _send(client, method, url, data=None):
    return client.generic(method, url, json.dumps(data or {}), content_type="application/json")


INDICATOR = {"code": "2.4", "title_en": "Administrations with a model in operation", "unit": "administrations",
             "baseline": "0", "baseline_year": 2019, "source": "manual"}  # fmt: skip


def test_staff_set_up_an_objective_and_its_indicator_with_a_target(client_as, staff, objective):
    client = client_as(staff)
    created = _send(client, "POST", "/api/v1/results-objectives/", {"code": "O3", "title_en": "Data is shared"})
    assert created.status_code == 201, created.json()
    assert _send(client, "POST", "/api/v1/results-objectives/", {"code": "O3", "title_en": "Twice"}).status_code == 400
    response = _send(client, "POST", "/api/v1/results-indicators/", {**INDICATOR, "objective": objective.pk})
    assert response.status_code == 201, response.json()
    indicator = Indicator.objects.get(code="2.4")
    assert AuditEntry.objects.filter(action="reports.indicator.created").exists()
    changed = _send(client, "PATCH", f"/api/v1/results-indicators/{indicator.pk}/", {"title_en": "Renamed"})
    assert changed.status_code == 200 and changed.json()["title_en"] == "Renamed"
    bad = _send(client, "POST", "/api/v1/results-indicators/", {**INDICATOR, "code": "2.5", "source": "computed"})
    assert bad.status_code == 400 and "objective" in bad.json()
    target = {"indicator": indicator.pk, "period_start": "2026-01-01", "period_end": "2026-12-31", "value": "10"}
    assert _send(client, "POST", "/api/v1/results-targets/", target).status_code == 201
    backwards = {**target, "period_start": "2027-01-01", "period_end": "2026-01-01"}
    assert _send(client, "POST", "/api/v1/results-targets/", backwards).status_code == 400
    detail = client.get(f"/api/v1/results-indicators/{indicator.pk}/").json()
    assert [row["value"] for row in detail["targets"]] == ["10.00"]
    retired = _send(client, "POST", f"/api/v1/results-indicators/{indicator.pk}/active/", {"active": False})
    assert retired.status_code == 200 and retired.json()["is_active"] is False
    target_row = IndicatorTarget.objects.get()
    assert _send(client, "DELETE", f"/api/v1/results-targets/{target_row.pk}/").status_code == 204


def test_an_objective_with_indicators_is_not_deleted(client_as, staff, objective, manual):
    client = client_as(staff)
    response = _send(client, "DELETE", f"/api/v1/results-objectives/{objective.pk}/")
    assert response.status_code == 409 and "cannot be deleted" in response.json()["detail"]
    manual.delete()
    assert _send(client, "DELETE", f"/api/v1/results-objectives/{objective.pk}/").status_code == 204
    assert not Objective.objects.exists()


def test_staff_enter_a_value_with_its_evidence(client_as, staff, manual, kenya):
    client = client_as(staff)
    body = {"indicator": manual.pk, "period_start": "2026-01-01", "period_end": "2026-06-30", "value": "12",
            "women": "5", "men": "7", "administration": "KEN", "evidence_url": "https://example.org/k.pdf"}  # fmt: skip
    response = _send(client, "POST", "/api/v1/results-values/", body)
    assert response.status_code == 201, response.json()
    entered = IndicatorValue.objects.get()
    assert entered.administration == kenya and entered.entered_by == staff
    too_many = _send(client, "PATCH", f"/api/v1/results-values/{entered.pk}/", {"women": "9"})
    assert too_many.status_code == 400 and "women" in too_many.json()
    both = _send(client, "POST", "/api/v1/results-values/", {**body, "region": "ESA"})
    assert both.status_code == 400 and "administration" in both.json()
    unknown = _send(client, "POST", "/api/v1/results-values/", {**body, "administration": "ZZZ"})
    assert unknown.status_code == 400 and "administration" in unknown.json()
    # The evidence as a file, sent as multipart: kept private, read through its download page.
    pdf = SimpleUploadedFile("evidence.pdf", CLEAN_PDF, content_type="application/pdf")
    response = client.post("/api/v1/results-values/", {**body, "evidence_url": "", "evidence_file": pdf})
    assert response.status_code == 201, response.json()
    assert "/evidence/" in response.json()["evidence_download_url"]
    assert _send(client, "DELETE", f"/api/v1/results-values/{entered.pk}/").status_code == 204


def test_a_computed_indicator_takes_no_typed_value(client_as, staff, objective):
    computed = Indicator.objects.create(objective=objective, code="1.1", title_en="Officials trained", unit="n",
                                        source="computed", computed_key="officials_trained")  # fmt: skip
    body = {"indicator": computed.pk, "period_start": "2026-01-01", "period_end": "2026-06-30", "value": "3",
            "evidence_url": "https://example.org/x.pdf"}  # fmt: skip
    response = _send(client_as(staff), "POST", "/api/v1/results-values/", body)
    assert response.status_code == 400 and "indicator" in response.json()


@pytest.mark.parametrize("path", ["results-objectives/", "results-indicators/", "results-targets/", "results-values/"])
def test_nobody_else_reads_or_writes_the_framework(client_as, contact_point, other_contact_point, manual, path):
    url = "/api/v1/" + path
    assert client_as(None).get(url).status_code == 401
    assert _send(client_as(None), "POST", url, {"code": "X"}).status_code == 401
    for user in (contact_point, other_contact_point):
        assert client_as(user).get(url).status_code == 404
        assert _send(client_as(user), "POST", url, {"code": "X"}).status_code == 404
    assert client_as(other_contact_point).get(f"/api/v1/results-indicators/{manual.pk}/").status_code == 404
    assert Indicator.objects.count() == 1

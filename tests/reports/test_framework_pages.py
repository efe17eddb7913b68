"""Staff set up the results framework on the portal's own pages: objectives, indicators, targets and values entered
with evidence. Bad input is refused with the reason and nothing typed is lost; every change is audited; nobody but
staff reaches these pages (404)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from bacuda_portal.reports.models import Indicator, IndicatorTarget, IndicatorValue, Objective
from tests import upload_samples as samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def objective():
    return Objective.objects.create(code="O1", title_en="Officials are trained", title_fr="Des agents formés")


@pytest.fixture
def manual(objective):
    return Indicator.objects.create(objective=objective, code="1.9", title_en="Seizures", unit="n", source="manual")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _value_data(**changes):
    data = {"period_start": "2025-01-01", "period_end": "2025-03-31", "value": "12", "women": "", "men": "",
            "region": "", "administration": "", "evidence_url": "https://x.org/m", "note": "Minutes"}  # fmt: skip
    data.update(changes)
    return data


def _indicator_data(objective, **changes):
    data = {"objective": objective.pk, "code": "1.1", "title_en": "Officials trained", "title_fr": "Agents formés",
            "unit": "officials", "unit_fr": "fonctionnaires", "baseline": "0", "baseline_year": "2024",
            "means_of_verification": "", "source": "manual", "computed_key": "", "order": "1",
            "is_active": "on"}  # fmt: skip
    data.update(changes)
    return data


def test_staff_create_an_objective_and_a_computed_indicator(staff_client, staff):
    response = staff_client.post(
        reverse("reports:objective_create"), {"code": "O3", "title_en": "Data are used", "title_fr": "", "order": "3"}
    )
    assert response.status_code == 302
    objective = Objective.objects.get(code="O3")
    response = staff_client.post(
        reverse("reports:indicator_create"),
        _indicator_data(objective, code="3.1", source="computed", computed_key="model_jobs_run"),
    )
    indicator = Indicator.objects.get(code="3.1")
    assert response["Location"] == reverse("reports:indicator_detail", args=[indicator.pk])
    assert (indicator.source, indicator.computed_key, indicator.baseline_year) == ("computed", "model_jobs_run", 2024)
    actions = set(AuditEntry.objects.filter(actor=staff).values_list("action", flat=True))
    assert {"reports.objective.created", "reports.indicator.created"} <= actions


def test_an_indicator_unit_is_read_in_the_readers_language(staff_client, objective):
    staff_client.post(reverse("reports:indicator_create"), _indicator_data(objective, code="1.4"))
    indicator = Indicator.objects.get(code="1.4")
    assert (indicator.unit, indicator.unit_fr) == ("officials", "fonctionnaires")
    english_url = reverse("reports:indicator_detail", args=[indicator.pk])
    french_url = "/fr/" + english_url.removeprefix("/en/")
    export_url = reverse("reports:framework") + "?format=csv"
    assert "<dd>fonctionnaires</dd>" in staff_client.get(french_url).content.decode()
    assert "<dd>officials</dd>" in staff_client.get(english_url).content.decode()
    Indicator.objects.filter(pk=indicator.pk).update(unit_fr="")
    # No French entered: the English unit rather than nothing.
    assert "<dd>officials</dd>" in staff_client.get(french_url).content.decode()
    export = b"".join(staff_client.get(export_url).streaming_content).decode("utf-8-sig")
    assert "Unit (English),Unit (French)" in export.splitlines()[0]
    assert ",officials,," in export


def test_a_computed_indicator_without_its_computation_is_refused_and_keeps_what_was_typed(staff_client, objective):
    response = staff_client.post(
        reverse("reports:indicator_create"), _indicator_data(objective, source="computed", title_en="Typed title")
    )
    assert response.status_code == 400
    assert "Choose which computation of the portal gives this indicator." in response.content.decode()
    assert 'value="Typed title"' in response.content.decode()
    assert not Indicator.objects.exists()


def test_a_repeated_code_is_refused_on_the_form(staff_client, objective, manual):
    response = staff_client.post(reverse("reports:indicator_create"), _indicator_data(objective, code=manual.code))
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Indicator.objects.count() == 1


def test_an_indicator_with_entered_values_cannot_become_computed(staff_client, objective, manual):
    IndicatorValue.objects.create(indicator=manual, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 3, 31),
                                  value=3, evidence_url="https://example.org/e")  # fmt: skip
    response = staff_client.post(
        reverse("reports:indicator_edit", args=[manual.pk]),
        _indicator_data(objective, code=manual.code, source="computed", computed_key="model_jobs_run"),
    )
    assert response.status_code == 400
    assert "cannot become a computed one" in response.content.decode()
    manual.refresh_from_db()
    assert manual.source == "manual"


def test_targets_are_added_checked_corrected_and_deleted(staff_client, manual):
    add = reverse("reports:target_add", args=[manual.pk])
    assert (
        staff_client.post(add, {"period_start": "2025-01-01", "period_end": "2025-12-31", "value": "40"}).status_code
        == 302
    )
    refused = staff_client.post(add, {"period_start": "2025-01-01", "period_end": "2025-12-31", "value": "50"})
    assert refused.status_code == 400  # the same period twice
    backwards = staff_client.post(add, {"period_start": "2025-12-31", "period_end": "2025-01-01", "value": "5"})
    assert backwards.status_code == 400
    assert "The end of the period cannot be before its start." in backwards.content.decode()
    target = IndicatorTarget.objects.get()
    staff_client.post(reverse("reports:target_edit", args=[target.pk]),
                      {"period_start": "2025-01-01", "period_end": "2025-12-31", "value": "45"})  # fmt: skip
    target.refresh_from_db()
    assert target.value == Decimal("45")
    staff_client.post(reverse("reports:target_delete", args=[target.pk]))
    assert not IndicatorTarget.objects.exists()


def test_a_value_is_entered_with_a_file_and_its_file_replaced_and_removed(staff_client, manual, staff, settings):
    folder = settings.PRIVATE_MEDIA_ROOT / "reports" / "evidence"
    data = _value_data(evidence_url="", evidence_file=SimpleUploadedFile("minutes.pdf", samples.CLEAN_PDF))
    with django_capture_on_commit():
        response = staff_client.post(reverse("reports:value_add", args=[manual.pk]), data)
    assert response.status_code == 302
    entered = IndicatorValue.objects.get()
    assert (entered.value, entered.entered_by) == (Decimal("12"), staff)
    first = entered.evidence_file.name
    assert (folder / first.split("/")[-1]).exists()
    data = _value_data(evidence_url="", value="14", evidence_file=SimpleUploadedFile("new.pdf", samples.CLEAN_PDF))
    with django_capture_on_commit():
        staff_client.post(reverse("reports:value_edit", args=[entered.pk]), data)
    entered.refresh_from_db()
    assert entered.value == Decimal("14") and entered.evidence_file.name != first
    assert not (folder / first.split("/")[-1]).exists()
    second = entered.evidence_file.name
    with django_capture_on_commit():
        staff_client.post(reverse("reports:value_delete", args=[entered.pk]))
    assert not IndicatorValue.objects.exists()
    assert not (folder / second.split("/")[-1]).exists()


def django_capture_on_commit():
    """Run the on-commit callbacks (file deletions) of the request, as a real commit would."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"evidence_url": ""}, "Attach the evidence: a file or a link."),
        ({"women": "10", "men": "5"}, "Women and men together cannot be more than the value."),
        ({"period_end": "2024-01-01"}, "The end of the period cannot be before its start."),
        ({"value": "many"}, "Enter a number."),
    ],
)
def test_a_bad_value_is_refused_with_the_reason_and_the_form_kept(staff_client, manual, changes, message):
    response = staff_client.post(
        reverse("reports:value_add", args=[manual.pk]), _value_data(note="Typed note", **changes)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Typed note" in body
    assert not IndicatorValue.objects.exists()


def test_a_region_and_an_administration_together_are_refused(staff_client, manual, kenya):
    region = kenya.region
    response = staff_client.post(
        reverse("reports:value_add", args=[manual.pk]), _value_data(region=region.pk, administration=kenya.pk)
    )
    assert response.status_code == 400
    assert "Give a region or an administration, not both." in response.content.decode()


def test_a_computed_indicator_takes_no_typed_value(staff_client, objective):
    computed = Indicator.objects.create(objective=objective, code="1.2", title_en="Jobs", unit="n",
                                        source="computed", computed_key="model_jobs_run")  # fmt: skip
    response = staff_client.post(reverse("reports:value_add", args=[computed.pk]), _value_data())
    assert response.status_code == 302
    assert not IndicatorValue.objects.exists()


def test_retiring_an_indicator_takes_it_off_the_dashboard(staff_client, manual):
    staff_client.post(reverse("reports:indicator_active", args=[manual.pk]), {"active": "no"})
    manual.refresh_from_db()
    assert not manual.is_active
    staff_client.post(reverse("reports:indicator_active", args=[manual.pk]), {"active": "yes"})
    manual.refresh_from_db()
    assert manual.is_active


def test_an_objective_with_indicators_is_not_deleted(staff_client, objective, manual):
    response = staff_client.post(reverse("reports:objective_delete", args=[objective.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Objective.objects.filter(pk=objective.pk).exists()
    empty = Objective.objects.create(code="O9", title_en="Empty")
    staff_client.post(reverse("reports:objective_delete", args=[empty.pk]))
    assert not Objective.objects.filter(pk=empty.pk).exists()


def test_the_list_searches_filters_and_exports(staff_client, objective, manual):
    Indicator.objects.create(objective=objective, code="1.2", title_en="Jobs run", unit="n", source="computed",
                             computed_key="model_jobs_run", is_active=False)  # fmt: skip
    page = staff_client.get(reverse("reports:framework"), {"q": "seiz"}).content.decode()
    assert "Seizures" in page and "Jobs run" not in page
    page = staff_client.get(reverse("reports:framework"), {"active": "no"}).content.decode()
    assert "Jobs run" in page and "Seizures" not in page
    export = staff_client.get(reverse("reports:framework"), {"format": "csv", "source": "manual"})
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith("O1,Officials are trained,1.9,Seizures")


def test_the_list_page_queries_do_not_grow_with_the_rows(staff_client, objective):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("reports:framework")).status_code == 200
        return len(queries)

    Indicator.objects.create(objective=objective, code="1.1", title_en="a", unit="n", source="manual")
    few = count()
    for number in range(2, 12):
        extra = Objective.objects.create(code=f"O{number + 10}", title_en=f"Objective {number}")
        indicator = Indicator.objects.create(
            objective=extra, code=f"1.{number}", title_en="b", unit="n", source="manual"
        )
        IndicatorTarget.objects.create(indicator=indicator, period_start=dt.date(2025, 1, 1),
                                       period_end=dt.date(2025, 12, 31), value=3)  # fmt: skip
    assert count() == few


def test_the_indicator_page_queries_do_not_grow_with_its_history(staff_client, manual, kenya):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("reports:indicator_detail", args=[manual.pk])).status_code == 200
        return len(queries)

    few = count()
    for month in range(1, 10):
        IndicatorValue.objects.create(indicator=manual, period_start=dt.date(2025, month, 1),
                                      period_end=dt.date(2025, month, 28), value=month, administration=kenya,
                                      evidence_url="https://example.org/e")  # fmt: skip
        IndicatorTarget.objects.create(indicator=manual, period_start=dt.date(2025, month, 1),
                                       period_end=dt.date(2025, month, 28), value=month)  # fmt: skip
    assert count() == few


@pytest.mark.parametrize("role", ["contact_point", "other_contact_point", "expert", "applicant"])
def test_nobody_but_staff_reaches_the_framework_pages(client, request, kenya, senegal, manual, role):
    entered = IndicatorValue.objects.create(
        indicator=manual,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 3, 31),
        value=3,
        evidence_url="https://x.org/",
    )
    target = IndicatorTarget.objects.create(indicator=manual, period_start=dt.date(2025, 1, 1),
                                            period_end=dt.date(2025, 12, 31), value=3)  # fmt: skip
    client.force_login(request.getfixturevalue(role))
    gets = [
        reverse("reports:framework"),
        reverse("reports:indicator_detail", args=[manual.pk]),
        reverse("reports:value_edit", args=[entered.pk]),
        reverse("reports:target_edit", args=[target.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reports:value_delete", args=[entered.pk])).status_code == 404
    assert client.post(reverse("reports:indicator_active", args=[manual.pk]), {"active": "no"}).status_code == 404
    assert IndicatorValue.objects.filter(pk=entered.pk).exists()
    manual.refresh_from_db()
    assert manual.is_active


def test_anonymous_visitors_are_sent_to_sign_in(client, manual):
    response = client.get(reverse("reports:indicator_detail", args=[manual.pk]))
    assert response.status_code == 302 and "login" in response["Location"]

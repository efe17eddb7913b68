"""Screening on submission records one reason per rule; staff override with a written rationale."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from scholarships import services
from scholarships.models import EligibilityCheck

from .factories import ApplicationFactory


def _reasons(check):
    return {reason["rule"]: reason["passed"] for reason in check.reasons}


def test_submission_records_a_reason_per_rule(draft, applicant):
    services.application_submit(application=draft, by=applicant, consent=True)
    check = EligibilityCheck.objects.get(application=draft)
    assert _reasons(check) == {
        "administration": True, "years_of_service": True, "language_level": True, "endorsement": None,
    }  # fmt: skip
    draft.refresh_from_db()
    assert draft.eligibility_result == "pending"  # waiting for the endorsement
    assert draft.endorsement_status == "pending"


@pytest.mark.parametrize(
    ("changes", "failed_rule", "detail"),
    [({"years_of_service": 1}, "years_of_service", "1 years of service; the call asks for at least 2."),
     ({"language_level": "B1"}, "language_level", "Level B1 in English; the call asks for B2 or above.")],
)  # fmt: skip
def test_a_failed_rule_makes_the_application_ineligible_and_says_why(
    client_as, call, applicant, changes, failed_rule, detail
):
    application = ApplicationFactory(call=call, applicant=applicant, **changes)
    services.application_submit(application=application, by=applicant, consent=True)
    application.refresh_from_db()
    assert application.eligibility_result == "ineligible"
    check = application.eligibility_checks.get()
    assert _reasons(check)[failed_rule] is False
    assert detail in [reason["detail"] for reason in check.reasons]
    page = client_as(applicant).get(application.get_absolute_url()).content.decode()
    assert "Not eligible" in page and "not met" in page and detail in page


def test_a_call_without_endorsement_or_language_rule_is_eligible_at_once(call, applicant):
    call.endorsement_required = False
    call.required_language_level = ""
    call.save()
    application = ApplicationFactory(call=call, applicant=applicant, language_level="A1")
    services.application_submit(application=application, by=applicant, consent=True)
    application.refresh_from_db()
    assert application.eligibility_result == "eligible"
    assert application.endorsement_status == "not_required"


def test_endorsement_completes_the_screening(application, contact_point, kenya):
    services.eligibility_screen(application=application)
    services.endorsement_decide(
        application=application, administration=kenya, decision="endorsed", comment="", by=contact_point
    )
    application.refresh_from_db()
    assert application.eligibility_result == "eligible"
    assert _reasons(application.eligibility_checks.first())["endorsement"] is True


def test_staff_override_with_rationale(client_as, staff, application):
    services.eligibility_screen(application=application)
    response = client_as(staff).post(
        reverse("scholarships:eligibility_override", args=[application.pk]),
        {"result": "eligible", "rationale": "Endorsement received by letter on 3 March."},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.eligibility_result == "eligible"
    override = application.eligibility_checks.get(is_override=True)
    assert override.rationale == "Endorsement received by letter on 3 March."
    assert override.decided_by == staff
    assert len(override.reasons) == 4  # the screening's reasons are kept beside the override
    assert AuditEntry.objects.filter(action="scholarships.eligibility.overridden", actor=staff).exists()
    page = client_as(staff).get(application.get_absolute_url()).content.decode()
    assert "Endorsement received by letter on 3 March." in page


def test_override_stands_against_a_later_screening(staff, application):
    services.eligibility_override(application=application, result="ineligible", rationale="Forged record.", by=staff)
    services.eligibility_screen(application=application)
    application.refresh_from_db()
    assert application.eligibility_result == "ineligible"


def test_override_without_rationale_is_refused(client_as, staff, application):
    with pytest.raises(ValidationError):
        services.eligibility_override(application=application, result="eligible", rationale="  ", by=staff)
    client_as(staff).post(reverse("scholarships:eligibility_override", args=[application.pk]), {"result": "eligible"})
    application.refresh_from_db()
    assert application.eligibility_result == "pending"
    assert not application.eligibility_checks.filter(is_override=True).exists()

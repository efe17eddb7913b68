"""The registry's writes: each one validated, in a transaction, and audited."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.models import AuditEntry
from workshops.experts import services
from workshops.experts.enums import AccreditationStatus
from workshops.experts.models import AccreditationChange, AvailabilityWindow, Expert

from .factories import AvailabilityWindowFactory, ExpertFactory, ExpertiseAreaFactory


def _audited(action, target):
    return AuditEntry.objects.filter(action=action, target_id=str(target.pk))


# --- Profile -------------------------------------------------------------------------------------------
def test_create_registers_a_not_accredited_expert(staff, kenya):
    area = ExpertiseAreaFactory()
    expert = services.expert_create(
        by=staff, full_name=" Amina Wanjiru ", email="Amina@Example.org", administration=kenya, expertise_areas=[area]
    )
    assert expert.full_name == "Amina Wanjiru"
    assert expert.email == "amina@example.org"
    assert expert.accreditation_status == AccreditationStatus.NONE
    assert list(expert.expertise_areas.all()) == [area]
    assert _audited("experts.expert.created", expert).get().actor == staff


def test_create_refuses_an_email_already_registered_in_another_case(staff):
    ExpertFactory(email="amina@example.org")
    with pytest.raises(ValidationError, match="already registered"):
        services.expert_create(by=staff, full_name="Amina again", email="AMINA@example.org")
    assert Expert.objects.count() == 1


def test_update_records_which_fields_changed(staff):
    expert = ExpertFactory(phone="1")
    area = ExpertiseAreaFactory()
    services.expert_update(expert=expert, by=staff, phone="2", full_name=expert.full_name, expertise_areas=[area])
    entry = _audited("experts.expert.updated", expert).get()
    assert entry.data["fields"] == ["phone", "expertise_areas"]
    expert.refresh_from_db()
    assert expert.phone == "2"


def test_update_without_a_change_writes_no_audit_record(staff):
    expert = ExpertFactory(phone="1")
    services.expert_update(expert=expert, by=staff, phone="1")
    assert not _audited("experts.expert.updated", expert).exists()


def test_update_cannot_change_the_accreditation(staff):
    expert = ExpertFactory()
    with pytest.raises(ValueError, match="accreditation_status"):
        services.expert_update(expert=expert, by=staff, accreditation_status=AccreditationStatus.RECOGNISED)


def test_update_from_a_stale_copy_keeps_the_accreditation(staff):
    expert = ExpertFactory()
    stale = Expert.objects.get(pk=expert.pk)
    services.expert_set_accreditation(expert=expert, status="accredited", on=timezone.localdate(), by=staff)
    services.expert_update(expert=stale, by=staff, phone="+33 1 00 00 00 00")
    expert.refresh_from_db()
    assert expert.accreditation_status == AccreditationStatus.ACCREDITED
    assert expert.phone == "+33 1 00 00 00 00"


# --- Accreditation -------------------------------------------------------------------------------------
def test_accreditation_steps_are_recorded_in_history(staff, project_manager):
    expert = ExpertFactory()
    services.expert_set_accreditation(
        expert=expert, status="pre_accredited", on=date(2024, 3, 1), by=staff, note="Workshop in Nairobi"
    )
    services.expert_set_accreditation(expert=expert, status="accredited", on=date(2025, 1, 15), by=project_manager)
    expert.refresh_from_db()
    assert expert.accreditation_status == AccreditationStatus.ACCREDITED
    history = [(c.on, c.from_status, c.to_status, c.by) for c in expert.accreditation_history.all()]
    assert history == [
        (date(2025, 1, 15), "pre_accredited", "accredited", project_manager),
        (date(2024, 3, 1), "none", "pre_accredited", staff),
    ]
    assert expert.accreditation_history.last().note == "Workshop in Nairobi"
    entries = _audited("experts.accreditation.changed", expert).order_by("created_at", "id")
    assert [(e.data["from_status"], e.data["to_status"], e.data["on"]) for e in entries] == [
        ("none", "pre_accredited", "2024-03-01"),
        ("pre_accredited", "accredited", "2025-01-15"),
    ]


def test_accreditation_can_be_withdrawn(staff):
    expert = ExpertFactory(accreditation_status=AccreditationStatus.ACCREDITED)
    services.expert_set_accreditation(expert=expert, status="none", on=timezone.localdate(), by=staff)
    assert expert.accreditation_status == AccreditationStatus.NONE


def test_accreditation_to_the_same_status_is_refused(staff):
    expert = ExpertFactory(accreditation_status=AccreditationStatus.ACCREDITED)
    with pytest.raises(TransitionError, match="already"):
        services.expert_set_accreditation(expert=expert, status="accredited", on=timezone.localdate(), by=staff)
    assert not AccreditationChange.objects.exists()


def test_accreditation_in_the_future_is_refused(staff):
    expert = ExpertFactory()
    with pytest.raises(ValidationError, match="future"):
        services.expert_set_accreditation(
            expert=expert, status="accredited", on=timezone.localdate() + timedelta(days=1), by=staff
        )
    expert.refresh_from_db()
    assert expert.accreditation_status == AccreditationStatus.NONE


def test_accreditation_before_the_last_step_is_refused(staff):
    expert = ExpertFactory()
    services.expert_set_accreditation(expert=expert, status="pre_accredited", on=date(2025, 5, 1), by=staff)
    with pytest.raises(ValidationError, match="before the last accreditation change"):
        services.expert_set_accreditation(expert=expert, status="accredited", on=date(2025, 4, 30), by=staff)
    # The same day is fine: a pre-accreditation and an accreditation can be decided together.
    services.expert_set_accreditation(expert=expert, status="accredited", on=date(2025, 5, 1), by=staff)
    assert expert.accreditation_history.count() == 2


def test_an_unknown_status_is_refused(staff):
    with pytest.raises(ValueError):
        services.expert_set_accreditation(expert=ExpertFactory(), status="gold", on=date(2025, 1, 1), by=staff)


# --- Languages -----------------------------------------------------------------------------------------
def test_languages_are_replaced_as_a_set(staff):
    expert = ExpertFactory()
    services.expert_languages_set(expert=expert, levels={"en": "C1", "fr": "B1"}, by=staff)
    services.expert_languages_set(expert=expert, levels={"fr": "B2", "ar": "native"}, by=staff)
    assert dict(expert.languages.values_list("language", "level")) == {"fr": "B2", "ar": "native"}
    assert _audited("experts.languages.set", expert).count() == 2
    services.expert_languages_set(expert=expert, levels={"fr": "B2", "ar": "native"}, by=staff)
    assert _audited("experts.languages.set", expert).count() == 2  # nothing changed, nothing recorded


@pytest.mark.parametrize("levels", [{"xx": "B1"}, {"fr": "D1"}])
def test_unknown_languages_and_levels_are_refused(staff, levels):
    expert = ExpertFactory()
    with pytest.raises(ValueError):
        services.expert_languages_set(expert=expert, levels=levels, by=staff)
    assert not expert.languages.exists()


# --- Availability --------------------------------------------------------------------------------------
def test_availability_is_added_and_removed_with_audit(staff):
    expert = ExpertFactory()
    window = services.availability_add(
        expert=expert, start_date=date(2030, 6, 1), end_date=date(2030, 6, 30), note=" remote only ", by=staff
    )
    assert window.note == "remote only"
    assert _audited("experts.availability.added", expert).get().data == {
        "start_date": "2030-06-01",
        "end_date": "2030-06-30",
    }
    services.availability_remove(window=window, by=staff)
    assert not AvailabilityWindow.objects.exists()
    assert _audited("experts.availability.removed", expert).exists()


def test_availability_ending_before_it_starts_is_refused(staff):
    expert = ExpertFactory()
    with pytest.raises(ValidationError) as error:
        services.availability_add(expert=expert, start_date=date(2030, 6, 30), end_date=date(2030, 6, 1), by=staff)
    assert error.value.message_dict["end_date"] == ["The end date cannot be before the start date."]
    assert not AvailabilityWindow.objects.exists()


def test_a_single_day_of_availability_is_allowed(staff):
    expert = ExpertFactory()
    services.availability_add(expert=expert, start_date=date(2030, 6, 1), end_date=date(2030, 6, 1), by=staff)
    assert expert.availability_windows.count() == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2030, 6, 30), date(2030, 7, 10)),
        (date(2030, 5, 20), date(2030, 6, 1)),
        (date(2030, 6, 5), date(2030, 6, 6)),
    ],
)
def test_overlapping_availability_is_refused(staff, start, end):
    expert = ExpertFactory()
    AvailabilityWindowFactory(expert=expert, start_date=date(2030, 6, 1), end_date=date(2030, 6, 30))
    with pytest.raises(ValidationError, match="overlaps the availability"):
        services.availability_add(expert=expert, start_date=start, end_date=end, by=staff)
    assert expert.availability_windows.count() == 1


def test_another_experts_availability_does_not_overlap(staff):
    AvailabilityWindowFactory(start_date=date(2030, 6, 1), end_date=date(2030, 6, 30))
    expert = ExpertFactory()
    services.availability_add(expert=expert, start_date=date(2030, 6, 1), end_date=date(2030, 6, 30), by=staff)
    assert expert.availability_windows.count() == 1

"""The staff list (search, filters, paging, CSV), the profile page, and the forms that change a profile."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from workshops.experts.enums import AccreditationStatus
from workshops.experts.models import Expert

from .factories import AvailabilityWindowFactory, ExpertFactory, ExpertiseAreaFactory, ExpertLanguageFactory

LIST_URL = reverse("experts:list")


def _csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.fixture
def registry(kenya, senegal):
    """Three experts who differ in every filter."""
    analytics = ExpertiseAreaFactory(code="data-analytics")
    valuation = ExpertiseAreaFactory(code="valuation")
    amina = ExpertFactory(
        full_name="Amina Wanjiru", expertise_areas=[analytics], accreditation_status=AccreditationStatus.ACCREDITED
    )
    ExpertLanguageFactory(expert=amina, language="en", level="C2")
    AvailabilityWindowFactory(expert=amina, start_date=date(2030, 6, 1), end_date=date(2030, 6, 30))
    moussa = ExpertFactory(
        full_name="Moussa Diop", administration=senegal, nationality=senegal, expertise_areas=[valuation]
    )
    ExpertLanguageFactory(expert=moussa, language="fr", level="native")
    AvailabilityWindowFactory(expert=moussa, start_date=date(2030, 6, 10), end_date=date(2030, 7, 10))
    ExpertFactory(full_name="Retired Trainer", is_active=False, administration=None, nationality=None)
    return {"amina": amina, "moussa": moussa}


# --- List ----------------------------------------------------------------------------------------------
def test_list_shows_every_expert_with_their_profile(client_as, staff, registry):
    content = client_as(staff).get(LIST_URL).content.decode()
    assert "3 experts" in content
    assert "Amina Wanjiru" in content and "Moussa Diop" in content and "Retired Trainer" in content
    assert "Kenya (ESA)" in content and "Senegal (WCA)" in content
    assert "English C2" in content and "French native" in content
    assert "Data analytics" in content and "Customs valuation" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=wanjiru", ["Amina Wanjiru"]),
        ("expertise=valuation", ["Moussa Diop"]),
        ("language=en", ["Amina Wanjiru"]),
        ("region=WCA", ["Moussa Diop"]),
        ("accreditation=accredited", ["Amina Wanjiru"]),
        ("active=inactive", ["Retired Trainer"]),
        ("available_from=2030-06-12&available_to=2030-06-20", ["Amina Wanjiru", "Moussa Diop"]),
        ("available_from=2030-06-12&available_to=2030-07-05", ["Moussa Diop"]),
        ("available_from=2030-06-02", ["Amina Wanjiru"]),
        ("language=fr&region=ESA", []),
    ],
)
def test_list_filters(client_as, staff, registry, query, expected):
    content = client_as(staff).get(f"{LIST_URL}?{query}").content.decode()
    shown = [name for name in ("Amina Wanjiru", "Moussa Diop", "Retired Trainer") if f">{name}</a>" in content]
    assert shown == expected
    assert (f"{len(expected)} expert" if expected else "0 experts") in content


def test_list_refuses_a_period_that_ends_before_it_starts(client_as, staff, registry):
    response = client_as(staff).get(f"{LIST_URL}?available_from=2030-06-20&available_to=2030-06-10")
    content = response.content.decode()
    assert response.status_code == 200
    assert "The end of the period cannot be before its start." in content
    assert "3 experts" in content  # the wrong period is not searched for
    assert 'value="2030-06-20"' in content and 'value="2030-06-10"' in content  # what was typed stays


def test_list_reports_an_unknown_filter_value(client_as, staff, registry):
    content = client_as(staff).get(f"{LIST_URL}?region=NOPE&language=fr").content.decode()
    assert "Select a valid choice" in content
    assert "1 expert" in content  # the valid filter still applies


def test_list_is_paged_by_fifty_and_paging_keeps_the_filters(client_as, staff, kenya):
    ExpertFactory.create_batch(55)
    content = client_as(staff).get(f"{LIST_URL}?region=ESA").content.decode()
    assert "55 experts" in content
    assert "Page 1 of 2" in content
    assert "region=ESA&amp;page=2" in content
    assert content.count('<tr>\n        <td><a href="/en/experts/') == 50
    second = client_as(staff).get(f"{LIST_URL}?region=ESA&page=2").content.decode()
    assert second.count('<tr>\n        <td><a href="/en/experts/') == 5


def test_csv_export_with_the_filters(client_as, staff, registry):
    response = client_as(staff).get(f"{LIST_URL}?expertise=data-analytics&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="bacuda-experts-')
    rows = _csv_rows(response)
    assert rows[0][:3] == ["Full name", "Email", "Telephone"]
    assert len(rows) == 2
    amina = dict(zip(rows[0], rows[1], strict=True))
    assert amina["Full name"] == "Amina Wanjiru"
    assert amina["Administration"] == "Kenya"
    assert amina["Regions"] == "ESA"
    assert amina["Accreditation"] == "Accredited"
    assert amina["Languages"] == "English C2"
    assert amina["Availability"] == "2030-06-01 – 2030-06-30"
    assert amina["Active"] == "yes"
    assert AuditEntry.objects.filter(action="experts.experts.exported", actor=staff).exists()


def test_csv_export_lists_both_regions_of_an_expert_abroad(client_as, staff, senegal):
    ExpertFactory(full_name="Abroad", nationality=senegal)  # works for Kenya
    rows = _csv_rows(client_as(staff).get(f"{LIST_URL}?format=csv"))
    assert rows[1][rows[0].index("Regions")] == "ESA, WCA"


def test_list_query_count_does_not_grow(client_as, staff, senegal, django_assert_max_num_queries):
    areas = [ExpertiseAreaFactory() for _ in range(3)]
    for n in range(35):
        expert = ExpertFactory(expertise_areas=areas[: 1 + n % 3], nationality=senegal if n % 2 else None)
        ExpertLanguageFactory(expert=expert, language="en")
        ExpertLanguageFactory(expert=expert, language="fr", level="B1")
        AvailabilityWindowFactory(expert=expert, start_date=date(2099, 1, 1), end_date=date(2099, 12, 31))
    client = client_as(staff)
    with django_assert_max_num_queries(10):
        response = client.get(f"{LIST_URL}?language=fr&available_from=2099-01-01")
        assert "35 experts" in response.content.decode()
    with django_assert_max_num_queries(10):
        response = client.get(LIST_URL)
        assert "35 experts" in response.content.decode()


def test_csv_export_query_count_does_not_grow(client_as, staff, django_assert_max_num_queries):
    area = ExpertiseAreaFactory()
    for _ in range(40):
        ExpertLanguageFactory(expert=ExpertFactory(expertise_areas=[area]))
    client = client_as(staff)
    with django_assert_max_num_queries(8):
        assert len(_csv_rows(client.get(f"{LIST_URL}?format=csv"))) == 41


# --- Profile page --------------------------------------------------------------------------------------
def test_profile_page_shows_everything_to_staff(client_as, staff, registry):
    amina = registry["amina"]
    from workshops.experts import services

    services.expert_set_accreditation(
        expert=amina, status="recognised", on=date(2025, 2, 1), by=staff, note="Regional trainer of the year"
    )
    content = client_as(staff).get(amina.get_absolute_url()).content.decode()
    for text in ("Amina Wanjiru", "Kenya", "Data analytics", "English: C2 – proficient", "Accreditation history"):
        assert text in content
    assert "Regional trainer of the year" in content
    assert "Change accreditation" in content


def test_the_expert_sees_their_profile_without_staff_notes_or_accreditation_controls(
    client_as, staff, expert, own_profile
):
    from workshops.experts import services

    services.expert_set_accreditation(
        expert=own_profile, status="pre_accredited", on=date(2025, 2, 1), by=staff, note="Internal remark"
    )
    content = client_as(expert).get(reverse("experts:me")).content.decode()
    assert "My expert profile" in content
    assert "Pre-accredited" in content
    assert "Internal remark" not in content
    assert "Change accreditation" not in content
    assert reverse("experts:accreditation", args=[own_profile.pk]) not in content
    assert "Edit contact details" in content


def test_detail_query_count_does_not_grow(client_as, staff, django_assert_max_num_queries):
    expert = ExpertFactory(expertise_areas=[ExpertiseAreaFactory() for _ in range(10)])
    for language in ("en", "fr", "es", "ar"):
        ExpertLanguageFactory(expert=expert, language=language)
    for month in range(1, 13):
        AvailabilityWindowFactory(expert=expert, start_date=date(2031, month, 1), end_date=date(2031, month, 20))
    from workshops.experts import services

    for status, day in (("pre_accredited", 1), ("accredited", 2), ("recognised", 3)):
        services.expert_set_accreditation(expert=expert, status=status, on=date(2025, 1, day), by=staff)
    client = client_as(staff)
    with django_assert_max_num_queries(10):
        assert client.get(expert.get_absolute_url()).status_code == 200


# --- Create and edit -----------------------------------------------------------------------------------
def test_staff_add_an_expert(client_as, staff, kenya, senegal, expert):
    area = ExpertiseAreaFactory()
    response = client_as(staff).post(
        reverse("experts:create"),
        {
            "full_name": "Fatou Ndiaye",
            "email": "fatou@example.org",
            "phone": "+221 33 000 00 00",
            "nationality": senegal.pk,
            "administration": senegal.pk,
            "user": expert.pk,
            "expertise_areas": [area.pk],
            "biography": "Trainer in risk management.",
            "is_active": "on",
        },
    )
    fatou = Expert.objects.get(email="fatou@example.org")
    assert response.status_code == 302
    assert response["Location"] == fatou.get_absolute_url()
    assert fatou.user == expert
    assert list(fatou.expertise_areas.all()) == [area]
    assert AuditEntry.objects.filter(action="experts.expert.created", actor=staff).exists()


def test_create_form_keeps_what_was_typed_and_says_what_is_wrong(client_as, staff, registry):
    response = client_as(staff).post(
        reverse("experts:create"),
        {"full_name": "Amina Twin", "email": registry["amina"].email.upper(), "phone": "+254 1", "biography": "Bio"},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "An expert with this email address is already registered." in content
    assert 'value="Amina Twin"' in content and 'value="+254 1"' in content and ">\nBio</textarea>" in content
    assert Expert.objects.filter(full_name="Amina Twin").count() == 0


def test_only_unlinked_expert_accounts_can_be_linked(client_as, staff, expert, own_profile, applicant, other_expert):
    content = client_as(staff).get(reverse("experts:create")).content.decode()
    assert f"&lt;{other_expert.email}&gt;" in content
    assert f"&lt;{expert.email}&gt;" not in content  # already linked to own_profile
    assert f"&lt;{applicant.email}&gt;" not in content  # not an expert account


def test_the_expert_edits_only_their_contact_details(client_as, expert, own_profile, senegal):
    response = client_as(expert).post(
        reverse("experts:update", args=[own_profile.pk]),
        {
            "email": "amina.new@example.org",
            "phone": "+254 711",
            "biography": "Now at the WCO.",
            # Fields the expert's form does not have are ignored, whatever the request says.
            "full_name": "Someone Else",
            "administration": senegal.pk,
            "accreditation_status": "recognised",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("experts:me")
    own_profile.refresh_from_db()
    assert (own_profile.email, own_profile.phone, own_profile.biography) == (
        "amina.new@example.org",
        "+254 711",
        "Now at the WCO.",
    )
    assert own_profile.full_name == "Amina Wanjiru"
    assert own_profile.administration.code == "KEN"
    assert own_profile.accreditation_status == AccreditationStatus.NONE
    entry = AuditEntry.objects.get(action="experts.expert.updated")
    assert entry.actor == expert
    assert entry.data["fields"] == ["biography", "email", "phone"]


def test_the_expert_edit_form_has_no_staff_fields(client_as, expert, own_profile):
    content = client_as(expert).get(reverse("experts:update", args=[own_profile.pk])).content.decode()
    assert 'name="email"' in content and 'name="phone"' in content
    assert 'name="full_name"' not in content and 'name="user"' not in content
    assert 'name="expertise_areas"' not in content


# --- Accreditation -------------------------------------------------------------------------------------
def test_staff_record_an_accreditation_change(client_as, staff, own_profile):
    url = reverse("experts:accreditation", args=[own_profile.pk])
    response = client_as(staff).post(url, {"status": "pre_accredited", "on": "2025-03-01", "note": "After ToT"})
    assert response.status_code == 302
    assert response["Location"] == own_profile.get_absolute_url()
    change = own_profile.accreditation_history.get()
    assert (change.from_status, change.to_status, change.on, change.by, change.note) == (
        "none",
        "pre_accredited",
        date(2025, 3, 1),
        staff,
        "After ToT",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "none", "on": "2025-03-01"}, "The expert’s accreditation is already “Not accredited”."),
        ({"status": "accredited", "on": "2999-01-01"}, "The date cannot be in the future."),
        ({"status": "accredited", "on": ""}, "This field is required."),
        ({"status": "gold", "on": "2025-03-01"}, "Select a valid choice."),
    ],
)
def test_accreditation_form_explains_a_refusal(client_as, staff, own_profile, data, message):
    response = client_as(staff).post(reverse("experts:accreditation", args=[own_profile.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "’").replace("'", "’")
    assert not own_profile.accreditation_history.exists()


# --- Languages and availability ------------------------------------------------------------------------
def test_languages_form_sets_levels_and_removes_unspoken_languages(client_as, expert, own_profile):
    ExpertLanguageFactory(expert=own_profile, language="es", level="A2")
    client = client_as(expert)
    response = client.post(reverse("experts:languages", args=[own_profile.pk]), {"level_en": "C1", "level_fr": "B1"})
    assert response.status_code == 302
    assert dict(own_profile.languages.values_list("language", "level")) == {"en": "C1", "fr": "B1"}
    content = client.get(reverse("experts:me")).content.decode()
    assert '<option value="C1" selected>' in content


def test_languages_form_refuses_an_unknown_level(client_as, expert, own_profile):
    response = client_as(expert).post(reverse("experts:languages", args=[own_profile.pk]), {"level_en": "Z9"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not own_profile.languages.exists()


def test_availability_ending_before_it_starts_is_refused_with_a_clear_message(client_as, expert, own_profile):
    response = client_as(expert).post(
        reverse("experts:availability_add", args=[own_profile.pk]),
        {"start_date": "2030-06-30", "end_date": "2030-06-01", "note": "Remote only"},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in content
    assert 'value="2030-06-30"' in content and 'value="2030-06-01"' in content and 'value="Remote only"' in content
    assert not own_profile.availability_windows.exists()


def test_overlapping_availability_is_refused_on_the_page(client_as, expert, own_profile):
    AvailabilityWindowFactory(expert=own_profile, start_date=date(2030, 6, 1), end_date=date(2030, 6, 30))
    response = client_as(expert).post(
        reverse("experts:availability_add", args=[own_profile.pk]),
        {"start_date": "2030-06-20", "end_date": "2030-07-10"},
    )
    assert response.status_code == 400
    assert "This period overlaps the availability from" in response.content.decode()
    assert own_profile.availability_windows.count() == 1


def test_availability_is_added_and_shown(client_as, staff, own_profile):
    client = client_as(staff)
    response = client.post(
        reverse("experts:availability_add", args=[own_profile.pk]),
        {"start_date": "2030-06-01", "end_date": "2030-06-30", "note": "Remote only"},
    )
    assert response.status_code == 302
    assert response["Location"] == own_profile.get_absolute_url()
    content = client.get(response["Location"]).content.decode()
    assert "The availability was added." in content
    assert "Remote only" in content


def test_profile_page_in_french(client_as, expert, own_profile):
    ExpertLanguageFactory(expert=own_profile, language="fr", level="native")
    own_profile.expertise_areas.add(ExpertiseAreaFactory(code="data-analytics"))
    content = client_as(expert).get("/fr/experts/me/").content.decode()
    assert '<html lang="fr">' in content
    assert "Afrique orientale et australe" in content
    assert "Analyse de données" in content  # the expertise area's French name

"""Staff set up scholarship programmes and calls on the portal's own pages (issue 19): lists with search, filters,
paging and CSV/Excel; create and change a call with its rubric, review phases and curriculum; the rules frozen once
applications are submitted; a copy for the next cohort; letter templates with a preview. Bad input is refused with
the reason and nothing typed is lost; every write is audited; nobody but staff reaches these pages (404)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core.models import AuditEntry
from scholarships.models import Call, CurriculumModule, LetterTemplate, Programme, ReviewPhase, RubricCriterion

from .factories import CallFactory, ProgrammeFactory, SubmittedApplicationFactory, add_rubric

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _moment(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime(LOCAL)


def _rows(prefix: str, rows: list[dict], extra: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def _call_data(call: Call | None = None, programme: Programme | None = None, criteria=None, phases=None, modules=None,
               **changes) -> dict:  # fmt: skip
    """What the call's page posts: the call's stored values (or a new call's), its rows as they are, ``changes``."""
    if call is not None:
        data = {
            "programme": call.programme_id, "cohort_name": call.cohort_name,
            "partner_university": call.partner_university, "description": call.description, "seats": call.seats,
            "opens_at": _moment(call.opens_at), "closes_at": _moment(call.closes_at),
            "min_years_of_service": call.min_years_of_service, "instruction_language": call.instruction_language,
            "required_language_level": call.required_language_level,
            "quota_per_administration": call.quota_per_administration,
            "motivation_min_words": call.motivation_min_words, "motivation_max_words": call.motivation_max_words,
            "reviews_per_application": call.reviews_per_application, "offer_reply_days": call.offer_reply_days,
            "retention_days": call.retention_days, "consent_version": call.consent_version,
            "consent_text_en": call.consent_text_en, "consent_text_fr": call.consent_text_fr,
        }  # fmt: skip
        for name in ("is_published", "endorsement_required", "blind_review"):
            if getattr(call, name):
                data[name] = "on"
        if criteria is None:
            criteria = [
                {"id": c.pk, "name": c.name, "description": c.description, "weight": str(c.weight), "order": c.order}
                for c in call.criteria.all()
            ]
        if phases is None:
            phases = [
                {"id": p.pk, "name": p.name, "opens_at": _moment(p.opens_at), "closes_at": _moment(p.closes_at)}
                for p in call.review_phases.all()
            ]
        if modules is None:
            modules = [{"id": m.pk, "title": m.title, "hours": m.hours, "order": m.order} for m in call.modules.all()]
    else:
        data = {
            "programme": programme.pk, "cohort_name": "Cohort 2028", "partner_university": "Sungkyunkwan University",
            "description": "Two years in Seoul.", "seats": "20", "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-03-31T17:00", "min_years_of_service": "3", "instruction_language": "en",
            "required_language_level": "B2", "endorsement_required": "on", "quota_per_administration": "2",
            "motivation_min_words": "200", "motivation_max_words": "800", "reviews_per_application": "3",
            "offer_reply_days": "14", "retention_days": "730", "consent_version": "1",
            "consent_text_en": "The WCO processes your data.", "consent_text_fr": "L'OMD traite vos données.",
        }  # fmt: skip
    data.update(_rows("criteria", criteria or []))
    data.update(_rows("phases", phases or []))
    data.update(_rows("modules", modules or []))
    data.update(changes)
    return data


# --- Programmes ------------------------------------------------------------------------------------------------
def test_staff_create_and_change_a_programme(staff_client, staff):
    response = staff_client.post(
        reverse("scholarships:programme_create"),
        {"name_en": "Data analytics scholarship", "name_fr": "Bourse d'analyse de données",
         "partner_institution": "Korea Customs Service", "description": ""},
    )  # fmt: skip
    programme = Programme.objects.get()
    assert response["Location"] == reverse("scholarships:programme_edit", args=[programme.pk])
    response = staff_client.post(
        reverse("scholarships:programme_edit", args=[programme.pk]),
        {"name_en": "Data analytics scholarship", "name_fr": "Bourse en science des données",
         "partner_institution": "Korea Customs Service", "description": "With SKKU."},
    )  # fmt: skip
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name_fr == "Bourse en science des données"
    changed = AuditEntry.objects.get(action="scholarships.programme.changed")
    assert changed.actor == staff
    assert changed.data["changes"]["name_fr"] == ["Bourse d'analyse de données", "Bourse en science des données"]
    assert AuditEntry.objects.filter(action="scholarships.programme.created").exists()


def test_a_programme_without_a_name_is_refused_and_keeps_what_was_typed(staff_client):
    response = staff_client.post(
        reverse("scholarships:programme_create"),
        {"name_en": "", "name_fr": "Bourse tapée", "partner_institution": "KCS", "description": ""},
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert 'value="Bourse tapée"' in response.content.decode()
    assert not Programme.objects.exists()


def test_the_programme_list_searches_and_exports(staff_client):
    ProgrammeFactory(name_en="Data analytics scholarship", partner_institution="Korea Customs Service")
    ProgrammeFactory(name_en="Risk management fellowship", partner_institution="University of Canberra")
    page = staff_client.get(reverse("scholarships:programme_manage"), {"q": "canberra"}).content.decode()
    assert "Risk management fellowship" in page and "Data analytics scholarship" not in page
    response = staff_client.get(reverse("scholarships:programme_manage"), {"q": "korea", "format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Name (English),Name (French),Partner institution")
    assert "Data analytics scholarship" in body and "Risk management" not in body
    assert AuditEntry.objects.filter(action="scholarships.programmes.exported").exists()


# --- Calls: create and change ----------------------------------------------------------------------------------
def test_staff_create_a_call_with_its_rubric_phases_and_curriculum(staff_client, staff):
    programme = ProgrammeFactory()
    data = _call_data(
        programme=programme,
        criteria=[
            {"name": "Analytical background", "description": "Statistics", "weight": "2", "order": "1"},
            {"name": "Motivation", "description": "", "weight": "1.5", "order": "2"},
        ],
        phases=[{"name": "First reading", "opens_at": "2027-04-01T09:00", "closes_at": "2027-04-30T17:00"}],
        modules=[{"title": "Machine learning", "hours": "40", "order": "1"}],
    )
    response = staff_client.post(reverse("scholarships:call_create"), data)
    call = Call.objects.get()
    assert response["Location"] == reverse("scholarships:call_edit", args=[call.pk])
    assert (call.cohort_name, call.min_years_of_service, call.is_published) == ("Cohort 2028", 3, False)
    assert sorted(call.criteria.values_list("name", "weight")) == [
        ("Analytical background", Decimal("2.00")), ("Motivation", Decimal("1.50"))
    ]  # fmt: skip
    assert list(call.review_phases.values_list("name", flat=True)) == ["First reading"]
    assert list(call.modules.values_list("title", "hours")) == [("Machine learning", 40)]
    entry = AuditEntry.objects.get(action="scholarships.call.created")
    assert entry.actor == staff
    assert entry.data["changes"]["criteria"]["added"] == ["Analytical background (×2)", "Motivation (×1.5)"]


def test_dates_out_of_order_are_refused_and_keep_what_was_typed(staff_client):
    programme = ProgrammeFactory()
    typed = [{"name": "Typed criterion", "description": "", "weight": "2", "order": "1"}]
    data = _call_data(programme=programme, cohort_name="Typed cohort", closes_at="2027-01-01T09:00", criteria=typed)
    response = staff_client.post(reverse("scholarships:call_create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "The call must close after it opens." in page
    assert 'value="Typed cohort"' in page and 'value="Typed criterion"' in page
    assert not Call.objects.exists()


def test_word_limits_out_of_order_and_a_zero_weight_are_refused(staff_client):
    programme = ProgrammeFactory()
    data = _call_data(programme=programme, motivation_min_words="900",
                      criteria=[{"name": "Motivation", "description": "", "weight": "0", "order": "1"}])  # fmt: skip
    response = staff_client.post(reverse("scholarships:call_create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Every criterion needs a weight above zero." in page and 'value="Motivation"' in page
    response = staff_client.post(
        reverse("scholarships:call_create"), _call_data(programme=programme, motivation_min_words="900")
    )
    assert "The maximum number of words cannot be below the minimum." in response.content.decode()
    assert not Call.objects.exists()


def test_a_phase_that_closes_before_it_opens_and_twin_criteria_are_refused(staff_client):
    call = CallFactory()
    data = _call_data(
        call,
        criteria=[{"name": "Motivation", "description": "", "weight": "1", "order": "1"},
                  {"name": "motivation", "description": "", "weight": "2", "order": "2"}],
        phases=[{"name": "Late reading", "opens_at": "2027-04-30T09:00", "closes_at": "2027-04-01T09:00"}],
    )  # fmt: skip
    page = staff_client.post(reverse("scholarships:call_edit", args=[call.pk]), data).content.decode()
    assert "Two criteria of the rubric have the same name." in page
    assert "The review phase “Late reading” must close after it opens." in page
    assert not RubricCriterion.objects.filter(call=call).exists()


def test_staff_change_a_draft_calls_rules_and_rubric(staff_client, call, criteria):
    background, motivation = criteria
    data = _call_data(
        call,
        min_years_of_service="5",
        criteria=[
            {"id": background.pk, "name": background.name, "description": "", "weight": "3", "order": "1"},
            {"id": motivation.pk, "name": motivation.name, "description": "", "weight": "1", "order": "2",
             "DELETE": "on"},
            {"name": "Leadership", "description": "", "weight": "1", "order": "3"},
        ],
    )  # fmt: skip
    response = staff_client.post(reverse("scholarships:call_edit", args=[call.pk]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.min_years_of_service == 5
    assert sorted(call.criteria.values_list("name", "weight")) == [
        ("Analytical background", Decimal("3.00")), ("Leadership", Decimal("1.00"))
    ]  # fmt: skip
    changes = AuditEntry.objects.get(action="scholarships.call.changed").data["changes"]
    assert changes["min_years_of_service"] == [2, 5]
    assert changes["criteria"]["removed"] == ["Motivation (×1.00)"]


# --- Frozen rules ----------------------------------------------------------------------------------------------
@pytest.fixture
def frozen_call(call, criteria, kenya):
    SubmittedApplicationFactory(call=call, administration=kenya)
    return call


def test_an_eligibility_rule_of_a_call_with_submitted_applications_is_refused(staff_client, frozen_call):
    data = _call_data(frozen_call, min_years_of_service="7", description="Typed description")
    response = staff_client.post(reverse("scholarships:call_edit", args=[frozen_call.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Applications have already been submitted to this call: its eligibility rules" in page
    assert "Typed description" in page and 'value="7"' in page
    frozen_call.refresh_from_db()
    assert frozen_call.min_years_of_service == 2 and frozen_call.description == ""
    assert not AuditEntry.objects.filter(action="scholarships.call.changed").exists()


def test_the_rubric_of_a_call_with_submitted_applications_is_refused(staff_client, frozen_call, criteria):
    background, motivation = criteria
    data = _call_data(
        frozen_call,
        criteria=[
            {"id": background.pk, "name": background.name, "description": "", "weight": "5", "order": "1"},
            {"id": motivation.pk, "name": motivation.name, "description": "", "weight": "1", "order": "2"},
        ],
    )
    response = staff_client.post(reverse("scholarships:call_edit", args=[frozen_call.pk]), data)
    assert response.status_code == 400
    assert "its rubric (criteria and weights) cannot change any more" in response.content.decode()
    assert 'value="5"' in response.content.decode()
    background.refresh_from_db()
    assert background.weight == 2
    data = _call_data(
        frozen_call,
        criteria=[
            {"id": background.pk, "name": background.name, "description": "", "weight": "2", "order": "1"},
            {"id": motivation.pk, "name": motivation.name, "description": "", "weight": "1", "order": "2"},
            {"name": "Leadership", "description": "", "weight": "1", "order": "3"},
        ],
    )
    response = staff_client.post(reverse("scholarships:call_edit", args=[frozen_call.pk]), data)
    assert response.status_code == 400
    assert frozen_call.criteria.count() == 2


def test_texts_dates_and_descriptions_stay_editable_once_applications_are_submitted(staff_client, frozen_call,
                                                                                      criteria):  # fmt: skip
    background, motivation = criteria
    later = frozen_call.closes_at + dt.timedelta(days=7)
    data = _call_data(
        frozen_call,
        description="Now with a week more.",
        closes_at=_moment(later),
        consent_text_fr="Nouveau texte.",
        criteria=[
            {"id": background.pk, "name": background.name, "description": "Statistics, ML", "weight": "2.00",
             "order": "1"},
            {"id": motivation.pk, "name": motivation.name, "description": "", "weight": "1", "order": "2"},
        ],
        modules=[{"title": "Data visualisation", "hours": "20", "order": "2"}],
    )  # fmt: skip
    response = staff_client.post(reverse("scholarships:call_edit", args=[frozen_call.pk]), data)
    assert response.status_code == 302
    frozen_call.refresh_from_db()
    background.refresh_from_db()
    assert frozen_call.description == "Now with a week more." and frozen_call.consent_text_fr == "Nouveau texte."
    assert background.description == "Statistics, ML"
    assert CurriculumModule.objects.filter(call=frozen_call, title="Data visualisation").exists()


def test_the_frozen_call_page_says_why(staff_client, frozen_call):
    page = staff_client.get(reverse("scholarships:call_edit", args=[frozen_call.pk])).content.decode()
    assert "1 application has been submitted to this call" in page
    assert "Frozen: applications have been submitted under this rule." in page


# --- Copy for the next cohort ----------------------------------------------------------------------------------
def test_copy_for_the_next_cohort(staff_client, staff, call, criteria):
    LetterTemplate.objects.create(call=call, outcome="selected", subject_en="Hi", body_en="Dear {{ full_name }}",
                                  subject_fr="Bonjour", body_fr="Madame, Monsieur {{ full_name }}")  # fmt: skip
    response = staff_client.post(reverse("scholarships:call_copy", args=[call.pk]))
    copy = Call.objects.exclude(pk=call.pk).get()
    assert response["Location"] == reverse("scholarships:call_edit", args=[copy.pk])
    assert copy.cohort_name == "Cohort 2028" and not copy.is_published
    assert copy.opens_at == call.opens_at.replace(year=call.opens_at.year + 1)
    assert copy.closes_at == call.closes_at.replace(year=call.closes_at.year + 1)
    assert (copy.min_years_of_service, copy.required_language_level) == (2, "B2")
    assert sorted(copy.criteria.values_list("name", "weight")) == sorted(call.criteria.values_list("name", "weight"))
    phase = ReviewPhase.objects.get(call=copy)
    assert phase.opens_at == call.review_phases.get().opens_at.replace(year=phase.opens_at.year)
    assert phase.opens_at.year == call.review_phases.get().opens_at.year + 1
    assert copy.modules.count() == 1 and copy.letter_templates.get().subject_fr == "Bonjour"
    entry = AuditEntry.objects.get(action="scholarships.call.copied")
    assert (entry.actor, entry.data["copied_from"]) == (staff, call.pk)
    page = staff_client.get(response["Location"]).content.decode()
    assert "for the next cohort, a year later, not published" in page


def test_a_copy_of_a_frozen_call_is_not_frozen(staff_client, frozen_call):
    staff_client.post(reverse("scholarships:call_copy", args=[frozen_call.pk]))
    copy = Call.objects.exclude(pk=frozen_call.pk).get()
    response = staff_client.post(reverse("scholarships:call_edit", args=[copy.pk]),
                                 _call_data(copy, min_years_of_service="4"))  # fmt: skip
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.min_years_of_service == 4


def test_copy_is_a_post(staff_client, call):
    assert staff_client.get(reverse("scholarships:call_copy", args=[call.pk])).status_code == 405
    assert Call.objects.count() == 1


# --- The calls list --------------------------------------------------------------------------------------------
def test_the_call_list_filters_searches_and_exports(staff_client, frozen_call):
    draft = CallFactory(cohort_name="Cohort 2031", is_published=False, partner_university="Université Laval")
    page = staff_client.get(reverse("scholarships:call_manage"), {"state": "draft"}).content.decode()
    assert "Cohort 2031" in page and frozen_call.cohort_name not in page
    page = staff_client.get(reverse("scholarships:call_manage"), {"q": "laval"}).content.decode()
    assert "Cohort 2031" in page and frozen_call.cohort_name not in page
    page = staff_client.get(reverse("scholarships:call_manage"), {"programme": draft.programme_id}).content.decode()
    assert "Cohort 2031" in page and frozen_call.cohort_name not in page
    page = staff_client.get(reverse("scholarships:call_manage"), {"state": "open"}).content.decode()
    assert frozen_call.cohort_name in page and "Rules frozen" in page and "Cohort 2031" not in page
    response = staff_client.get(reverse("scholarships:call_manage"), {"state": "open", "format": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Programme,Cohort,Partner university,Seats,Opens at,Closes at,Status")
    assert len(lines) == 2 and lines[1].endswith(",2,1,yes")  # two criteria, one submitted application, frozen
    xlsx = staff_client.get(reverse("scholarships:call_manage"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="scholarships.calls.exported").count() == 2


def test_the_call_list_pages(staff_client):
    programme = ProgrammeFactory()
    for number in range(55):
        CallFactory(programme=programme, cohort_name=f"Cohort {3000 + number}")
    first = staff_client.get(reverse("scholarships:call_manage")).content.decode()
    second = staff_client.get(reverse("scholarships:call_manage"), {"page": 2}).content.decode()
    assert "55 calls" in first
    assert first.count("– Cohort 30") == 50 and "page=2" in first
    assert second.count("– Cohort 30") == 5


def test_list_query_counts_do_not_grow_with_the_rows(staff_client):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    programme = ProgrammeFactory()
    call = CallFactory(programme=programme)
    add_rubric(call)
    SubmittedApplicationFactory(call=call)
    urls = [reverse("scholarships:call_manage"), reverse("scholarships:programme_manage")]
    few = [count(url) for url in urls]
    for _number in range(15):
        other = CallFactory(programme=ProgrammeFactory())
        add_rubric(other)
        SubmittedApplicationFactory(call=other)
    many = [count(url) for url in urls]
    assert many == few
    assert max(many) <= 12


# --- Letter templates ------------------------------------------------------------------------------------------
def test_the_letter_page_shows_the_default_text_without_writing_it(staff_client, call):
    page = staff_client.get(reverse("scholarships:letter_template_edit", args=[call.pk, "selected"])).content.decode()
    assert "Your BACUDA scholarship application: selected" in page
    assert "Dear Amina Sample" in page  # no application yet: a sample applicant
    assert not LetterTemplate.objects.exists()


def test_staff_preview_then_save_a_letter_template(staff_client, staff, call, kenya):
    SubmittedApplicationFactory(call=call, administration=kenya, full_name="Achieng Otieno")
    url = reverse("scholarships:letter_template_edit", args=[call.pk, "reserve"])
    texts = {
        "subject_en": "Reserve list",
        "body_en": "Dear {{ full_name }}, you are number {{ reserve_rank }}.",
        "subject_fr": "Liste de réserve",
        "body_fr": "{{ full_name }}, vous êtes au rang {{ reserve_rank }}.",
    }
    page = staff_client.post(url, {**texts, "preview": "1"}).content.decode()
    assert "Dear Achieng Otieno, you are number 1." in page
    assert "Achieng Otieno, vous êtes au rang 1." in page
    assert not LetterTemplate.objects.exists()
    response = staff_client.post(url, texts)
    assert response["Location"] == url
    template = LetterTemplate.objects.get(call=call, outcome="reserve")
    assert template.body_fr == texts["body_fr"]
    entry = AuditEntry.objects.get(action="scholarships.letter_template.saved")
    assert entry.actor == staff and entry.data["outcome"] == "reserve"


def test_an_unknown_placeholder_is_refused_and_keeps_what_was_typed(staff_client, call):
    url = reverse("scholarships:letter_template_edit", args=[call.pk, "selected"])
    response = staff_client.post(url, {"subject_en": "Selected", "body_en": "Dear {{ first_name }}",
                                       "subject_fr": "Retenu", "body_fr": "Typed French text"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert "Unknown placeholder: first_name." in page and "Typed French text" in page
    assert not LetterTemplate.objects.exists()


def test_an_unknown_outcome_is_not_found(staff_client, call):
    assert staff_client.get(f"/en/scholarships/manage/calls/{call.pk}/letters/maybe/").status_code == 404


# --- Access ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["contact_point", "other_contact_point", "reviewer", "applicant", "expert"])
def test_nobody_but_staff_sets_up_programmes_and_calls(client, request, role, call):
    user = request.getfixturevalue(role)
    if role == "reviewer":
        from .factories import ReviewerFactory

        ReviewerFactory(user=user, calls=[call])
    client.force_login(user)
    gets = [
        reverse("scholarships:programme_manage"),
        reverse("scholarships:programme_create"),
        reverse("scholarships:programme_edit", args=[call.programme_id]),
        reverse("scholarships:call_manage"),
        reverse("scholarships:call_create"),
        reverse("scholarships:call_edit", args=[call.pk]),
        reverse("scholarships:letter_template_edit", args=[call.pk, "selected"]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("scholarships:call_copy", args=[call.pk])).status_code == 404
    assert (
        client.post(reverse("scholarships:call_edit", args=[call.pk]), _call_data(call, seats="1")).status_code == 404
    )
    assert (
        client.post(reverse("scholarships:programme_create"), {"name_en": "X", "partner_institution": "Y"}).status_code
        == 404
    )
    assert Call.objects.count() == 1 and Programme.objects.count() == 1
    call.refresh_from_db()
    assert call.seats == 20


def test_anonymous_visitors_are_sent_to_sign_in(client, call):
    response = client.get(reverse("scholarships:call_edit", args=[call.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(reverse("scholarships:call_copy", args=[call.pk]))
    assert response.status_code == 302 and Call.objects.count() == 1


def test_each_language_of_a_letter_gets_its_own_date_and_page_address(staff_client, call):
    """A letter's reply-by date follows the portal's date policy in the letter's language and its link opens the
    page in that language, whatever language the staff member reads the preview in."""
    url = reverse("scholarships:letter_template_edit", args=[call.pk, "selected"]).replace("/en/", "/fr/", 1)
    texts = {
        "subject_en": "Selected",
        "body_en": "Reply by {{ reply_by }} on {{ status_url }}",
        "subject_fr": "Retenue",
        "body_fr": "Répondez avant le {{ reply_by }} sur {{ status_url }}",
    }
    page = staff_client.post(url, {**texts, "preview": "1"}).content.decode()
    reply_by = timezone.localtime(timezone.now() + dt.timedelta(days=call.offer_reply_days))
    english_month = reply_by.strftime("%B")
    french_month = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                    "octobre", "novembre", "décembre"][reply_by.month - 1]  # fmt: skip
    assert f"Reply by {reply_by.day} {english_month} {reply_by.year}" in page
    assert f"Répondez avant le {reply_by.day} {french_month} {reply_by.year}" in page
    assert f"/en/scholarships/calls/{call.pk}/" in page and f"/fr/scholarships/calls/{call.pk}/" in page

"""The staff pages: course list (search, filters, paging, CSV), course page, forms, milestones and checklist."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core.models import AuditEntry
from workshops.elearning import services
from workshops.elearning.enums import CourseStage
from workshops.elearning.models import Course, Milestone

from .conftest import CLIKC_URL
from .factories import CourseFactory, MilestoneFactory, SubjectMatterExpertFactory, VendorFactory

LIST_URL = reverse("elearning:course_list")
CREATE_URL = reverse("elearning:course_create")
TODAY = timezone.localdate()


def _csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


# --- List ------------------------------------------------------------------------------------------------
def test_list_is_paged_by_fifty(client_as, staff):
    CourseFactory.create_batch(51)
    content = client_as(staff).get(LIST_URL).content.decode()
    assert "51 courses" in content
    assert "Page 1 of 2" in content
    assert content.count("/elearning/courses/course-") == 50


@pytest.fixture
def catalogue(staff):
    """Four courses to search and filter."""
    ml = CourseFactory(code="bacuda-ml-101", title_en="Machine learning basics", languages=["en", "fr"])
    CourseFactory(code="ai-hs-201", title_en="HS code recommendation", languages=["en", "es"], stage="review")
    CourseFactory(
        code="date-301", title_en="DATE fraud detection", title_fr="Détection de fraude DATE", languages=["ar"]
    )
    CourseFactory(code="synth-401", title_en="Synthetic data", languages=["fr"], stage="published", clikc_url=CLIKC_URL)
    MilestoneFactory(course=ml, due_date=TODAY - timedelta(days=3))
    return ml


@pytest.mark.parametrize(
    ("query", "expected_codes"),
    [
        ("", ["ai-hs-201", "bacuda-ml-101", "date-301", "synth-401"]),
        ("q=ML-101", ["bacuda-ml-101"]),  # code, any case
        ("q=fraude", ["date-301"]),  # French title
        ("q=recommendation", ["ai-hs-201"]),
        ("stage=review", ["ai-hs-201"]),
        ("stage=published", ["synth-401"]),
        ("language=fr", ["bacuda-ml-101", "synth-401"]),
        ("language=es", ["ai-hs-201"]),
        ("language=ru", []),
        ("overdue=on", ["bacuda-ml-101"]),
        ("language=en&stage=concept", ["bacuda-ml-101"]),
    ],
)
def test_list_search_and_filters(client_as, staff, catalogue, query, expected_codes):
    response = client_as(staff).get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    assert [course.code for course in response.context["page"]] == expected_codes


def test_list_shows_overdue_count_and_checklist_progress(client_as, staff, catalogue):
    services.checklist_item_set_done(item=catalogue.checklist.first(), done=True, by=staff)
    content = client_as(staff).get(f"{LIST_URL}?q=bacuda-ml-101").content.decode()
    assert "1 overdue" in content
    assert "1/6" in content


def test_list_ignores_an_invalid_filter_value(client_as, staff, catalogue):
    response = client_as(staff).get(f"{LIST_URL}?stage=abandoned")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(response.context["page"]) == 4


def test_list_paging_keeps_filters(client_as, staff):
    CourseFactory.create_batch(51, languages=["fr"])
    assert "language=fr&amp;page=2" in client_as(staff).get(f"{LIST_URL}?language=fr").content.decode()


def test_csv_export_has_every_column_and_follows_the_filters(client_as, staff, catalogue):
    catalogue.experts.add(
        SubjectMatterExpertFactory(full_name="Amina Diallo"), SubjectMatterExpertFactory(full_name="Kofi Mensah")
    )
    response = client_as(staff).get(f"{LIST_URL}?language=fr&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows[0] == [
        "Code",
        "Title (English)",
        "Title (French)",
        "Stage",
        "Languages",
        "Owner",
        "Vendor",
        "Subject-matter experts",
        "Planned launch",
        "Next milestone due",
        "Overdue milestones",
        "Checklist items done",
        "Checklist items",
        "CLiKC! address",
        "Published",
    ]
    assert [row[0] for row in rows[1:]] == ["bacuda-ml-101", "synth-401"]
    ml, synth = rows[1], rows[2]
    assert ml[3] == "Concept"
    assert ml[4] == "en fr"
    assert ml[5] == catalogue.owner.email
    assert ml[6] == catalogue.vendor.name
    assert ml[7] == "Amina Diallo; Kofi Mensah"
    assert ml[9] == (TODAY - timedelta(days=3)).isoformat()
    assert ml[10:13] == ["1", "0", "6"]
    assert synth[3] == "Published on CLiKC!"
    assert synth[13] == CLIKC_URL
    assert synth[14] == timezone.localdate().isoformat()
    assert AuditEntry.objects.filter(action="elearning.courses.exported", actor=staff).exists()


def test_list_query_count_does_not_grow(client_as, staff, django_assert_max_num_queries):
    experts = SubjectMatterExpertFactory.create_batch(3)
    for course in CourseFactory.create_batch(35, experts=experts):
        MilestoneFactory(course=course, due_date=TODAY - timedelta(days=1))
        MilestoneFactory(course=course)
    client = client_as(staff)
    with django_assert_max_num_queries(6):
        assert client.get(LIST_URL).status_code == 200
    with django_assert_max_num_queries(6):
        response = client.get(f"{LIST_URL}?format=csv")
        assert len(_csv_rows(response)) == 36


# --- Course page -----------------------------------------------------------------------------------------
def test_course_page_shows_pipeline_people_milestones_checklist_and_history(client_as, staff, course):
    MilestoneFactory(course=course, title="Storyboard signed off", due_date=TODAY - timedelta(days=5))
    MilestoneFactory(course=course, title="Alpha build", due_date=TODAY + timedelta(days=5))
    MilestoneFactory(course=course, title="Script", due_date=TODAY - timedelta(days=9), done_on=TODAY)
    response = client_as(staff).get(course.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert '<li class="step-done">Concept' in content
    assert 'aria-current="step">Review</li>' in content
    assert "Amina Diallo" in content
    assert course.vendor.name in content
    assert content.count("badge-bad") == 1  # only the storyboard milestone is overdue
    assert "Done on" in content
    assert "Accessibility checked" in content
    assert "Created in Concept" in content
    assert "Advance to the next stage" in content
    assert "Send back" in content
    assert "Publish on CLiKC!" not in content  # only from pilot


def test_pilot_course_page_says_what_blocks_publication(client_as, staff):
    course = CourseFactory(stage=CourseStage.PILOT)
    content = client_as(staff).get(course.get_absolute_url()).content.decode()
    assert "Publish on CLiKC!" in content
    assert "Not ready to publish yet:" in content
    assert "Add the course&#x27;s CLiKC! address before publishing it." in content
    assert "Advance to the next stage" not in content


def test_published_course_page_offers_no_transition(client_as, staff):
    course = CourseFactory(stage=CourseStage.PUBLISHED, clikc_url=CLIKC_URL)
    content = client_as(staff).get(course.get_absolute_url()).content.decode()
    for button in ("Advance to the next stage", "Send back", "Publish on CLiKC!", "Reopen", ">Tick<"):
        assert button not in content
    assert CLIKC_URL in content


def test_course_page_query_count_does_not_grow(client_as, staff, course, django_assert_max_num_queries):
    MilestoneFactory.create_batch(20, course=course)
    course.experts.add(*SubjectMatterExpertFactory.create_batch(10))
    for _step in range(2):
        services.course_advance(course=course, by=staff)
        services.course_send_back(course=course, to_stage="review", by=staff, note="again")
    client = client_as(staff)
    with django_assert_max_num_queries(12):
        assert client.get(course.get_absolute_url()).status_code == 200


# --- Create and edit -------------------------------------------------------------------------------------
def _course_data(**overrides):
    data = {
        "code": "bacuda-image-501",
        "title_en": "Image analysis for X-ray scans",
        "title_fr": "Analyse d'images radiographiques",
        "summary_en": "",
        "summary_fr": "",
        "languages": ["en", "fr"],
        "owner": "",
        "vendor": "",
        "experts": [],
        "planned_launch_on": (TODAY + timedelta(days=90)).isoformat(),
        "clikc_url": "",
    }
    data.update(overrides)
    return data


def test_create_a_course(client_as, staff, project_manager):
    vendor = VendorFactory(name="Lisbon eLearning Lda")
    expert = SubjectMatterExpertFactory()
    response = client_as(staff).post(
        CREATE_URL,
        _course_data(owner=project_manager.pk, vendor=vendor.pk, experts=[expert.pk], languages=["fr", "en", "pt"]),
    )
    course = Course.objects.get(code="bacuda-image-501")
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()
    assert course.owner == project_manager
    assert course.vendor == vendor
    assert list(course.experts.all()) == [expert]
    assert course.languages == ["en", "fr", "pt"]
    assert course.stage == CourseStage.CONCEPT
    assert course.checklist.count() == 6
    assert AuditEntry.objects.filter(action="elearning.course.created", actor=staff).exists()


def test_create_form_starts_with_the_user_as_owner(client_as, staff):
    form = client_as(staff).get(CREATE_URL).context["form"]
    assert form["owner"].value() == staff.pk


def test_create_form_keeps_the_input_when_the_clikc_address_is_wrong(client_as, staff):
    response = client_as(staff).post(
        CREATE_URL, _course_data(owner=staff.pk, clikc_url="https://example.com/my-course")
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Enter the course&#x27;s address on CLiKC!, starting with https://clikc.wcoomd.org/." in content
    assert 'value="Image analysis for X-ray scans"' in content
    assert 'value="https://example.com/my-course"' in content
    assert 'value="fr" id="id_languages_1" checked' in content
    assert not Course.objects.filter(code="bacuda-image-501").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "Has Spaces"}, "code", "Enter a valid “slug”"),
        ({"languages": []}, "languages", "This field is required."),
        ({"clikc_url": "not a url"}, "clikc_url", "Enter a valid URL."),
        ({"planned_launch_on": "31/02/2026"}, "planned_launch_on", "Enter a valid date."),
    ],
)
def test_create_form_errors(client_as, staff, overrides, field, message):
    response = client_as(staff).post(CREATE_URL, _course_data(owner=staff.pk, **overrides))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert 'value="Image analysis for X-ray scans"' in response.content.decode()


def test_create_form_refuses_a_code_in_use_and_a_non_staff_owner(client_as, staff, contact_point, course):
    response = client_as(staff).post(CREATE_URL, _course_data(code=course.code, owner=contact_point.pk))
    errors = response.context["form"].errors
    assert "already exists" in str(errors["code"])
    assert "Select a valid choice" in str(errors["owner"])


def _edit_data(course, **overrides):
    data = _course_data(
        title_en=course.title_en,
        title_fr=course.title_fr,
        owner=course.owner_id,
        vendor=course.vendor_id or "",
        experts=[expert.pk for expert in course.experts.all()],
        languages=course.languages,
        version=course.version,
    )
    data.pop("code")
    data.update(overrides)
    return data


def test_edit_a_course(client_as, staff, course):
    url = reverse("elearning:course_update", args=[course.code])
    response = client_as(staff).post(url, _edit_data(course, title_en="Machine learning for risk analysis"))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title_en == "Machine learning for risk analysis"
    assert course.version == 2
    entry = AuditEntry.objects.get(action="elearning.course.updated")
    assert entry.data["fields"] == ["planned_launch_on", "title_en"]


def test_edit_refuses_a_concurrent_change_and_keeps_the_input(client_as, staff, project_manager, course):
    url = reverse("elearning:course_update", args=[course.code])
    client = client_as(staff)
    loaded_version = client.get(url).context["form"]["version"].value()
    services.course_update(course=course, by=project_manager, expected_version=course.version, title_fr="Nouveau")
    response = client.post(url, _edit_data(course, title_en="My unsaved title", version=loaded_version))
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this course while you were editing it." in content
    assert 'value="My unsaved title"' in content
    course.refresh_from_db()
    assert course.title_en == "Machine learning for risk management"
    assert course.title_fr == "Nouveau"


def test_edit_keeps_the_input_on_an_invalid_clikc_address(client_as, staff, course):
    url = reverse("elearning:course_update", args=[course.code])
    response = client_as(staff).post(
        url, _edit_data(course, title_en="Typed title", clikc_url="http://clikc.wcoomd.org/course/view.php?id=9")
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "starting with https://clikc.wcoomd.org/" in content
    assert 'value="Typed title"' in content
    assert "Edit bacuda-ml-101" in content
    course.refresh_from_db()
    assert course.version == 1


def test_a_published_course_keeps_its_clikc_address(client_as, staff):
    course = CourseFactory(stage=CourseStage.PUBLISHED, clikc_url=CLIKC_URL)
    url = reverse("elearning:course_update", args=[course.code])
    response = client_as(staff).post(url, _edit_data(course, clikc_url=""))
    assert response.status_code == 400
    assert "A published course needs its CLiKC! address." in response.content.decode()


# --- Milestones ------------------------------------------------------------------------------------------
def test_add_a_milestone_due_before_the_course_existed(client_as, staff, course):
    url = reverse("elearning:milestone_create", args=[course.code])
    due = TODAY - timedelta(days=200)
    response = client_as(staff).post(url, {"title": "Needs analysis", "due_date": due.isoformat(), "done_on": ""})
    assert response.status_code == 302
    assert response["Location"].endswith("#milestones")
    milestone = course.milestones.get()
    assert (milestone.title, milestone.due_date, milestone.done_on, milestone.is_overdue) == (
        "Needs analysis",
        due,
        None,
        True,
    )
    assert AuditEntry.objects.filter(action="elearning.milestone.created").exists()


def test_a_milestone_done_in_the_future_is_refused_and_the_input_kept(client_as, staff, course):
    url = reverse("elearning:milestone_create", args=[course.code])
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = client_as(staff).post(
        url, {"title": "Voice-over recorded", "due_date": TODAY.isoformat(), "done_on": tomorrow}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "A milestone cannot be marked done on a date in the future." in content
    assert 'value="Voice-over recorded"' in content
    assert f'value="{tomorrow}"' in content
    assert not course.milestones.exists()


def test_edit_a_milestone(client_as, staff, course):
    milestone = MilestoneFactory(course=course, title="Alpha", due_date=TODAY - timedelta(days=3))
    url = reverse("elearning:milestone_update", args=[milestone.pk])
    client = client_as(staff)
    assert client.get(url).status_code == 200
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    data = {"title": "Alpha build", "due_date": milestone.due_date.isoformat(), "done_on": yesterday}
    assert client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "Alpha build"
    assert not milestone.is_overdue


def test_edit_a_milestone_refuses_a_future_completion(client_as, staff, course):
    milestone = MilestoneFactory(course=course, title="Alpha")
    data = {"title": "Alpha build", "due_date": TODAY.isoformat(), "done_on": (TODAY + timedelta(days=2)).isoformat()}
    response = client_as(staff).post(reverse("elearning:milestone_update", args=[milestone.pk]), data)
    assert response.status_code == 400
    assert 'value="Alpha build"' in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_mark_a_milestone_done_today_and_not_twice(client_as, staff, course):
    milestone = MilestoneFactory(course=course, due_date=TODAY - timedelta(days=2))
    client = client_as(staff)
    url = reverse("elearning:milestone_complete", args=[milestone.pk])
    client.post(url)
    milestone.refresh_from_db()
    assert milestone.done_on == TODAY
    assert not milestone.is_overdue
    assert "This milestone is already done." in client.post(url, follow=True).content.decode()


def test_delete_a_milestone(client_as, staff, course):
    milestone = MilestoneFactory(course=course)
    client_as(staff).post(reverse("elearning:milestone_delete", args=[milestone.pk]))
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert AuditEntry.objects.get(action="elearning.milestone.deleted").target_id == str(course.pk)


# --- Checklist -------------------------------------------------------------------------------------------
def test_tick_and_reopen_a_checklist_item(client_as, staff, course):
    item = course.checklist.get(key="quiz")
    url = reverse("elearning:checklist_tick", args=[item.pk])
    client = client_as(staff)
    response = client.post(url, {"done": "on"})
    assert response["Location"].endswith("#checklist")
    item.refresh_from_db()
    assert item.done and item.done_by == staff
    assert "ticked by" in client.get(course.get_absolute_url()).content.decode()
    client.post(url)
    item.refresh_from_db()
    assert not item.done


def test_ticking_a_published_course_is_refused_with_a_message(client_as, staff):
    course = CourseFactory(stage=CourseStage.PUBLISHED, clikc_url=CLIKC_URL)
    item = course.checklist.first()
    response = client_as(staff).post(reverse("elearning:checklist_tick", args=[item.pk]), follow=True)
    assert "The launch checklist of a published course cannot be changed." in response.content.decode()
    item.refresh_from_db()
    assert item.done


def test_course_page_in_french(client_as, staff, course):
    content = client_as(staff).get(f"/fr/elearning/courses/{course.code}/").content.decode()
    assert '<html lang="fr">' in content
    assert "Apprentissage automatique pour la gestion des risques" in content

"""The Django admin of courses and vendors: lists, search, filters, inlines, and writes through the services."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bacuda_portal.core.models import AuditEntry
from workshops.elearning.enums import CourseStage
from workshops.elearning.models import Course, StageChange, Vendor

from .conftest import CLIKC_URL, tick_whole_checklist
from .factories import CourseFactory, MilestoneFactory, VendorFactory

COURSES = "/admin/elearning/course/"
VENDORS = "/admin/elearning/vendor/"


def _course_with_overdue_milestone(n):
    course = CourseFactory()
    MilestoneFactory(course=course, due_date=timezone.localdate() - timedelta(days=1))
    return course


@pytest.mark.parametrize(
    ("url", "make"),
    [(COURSES, _course_with_overdue_milestone), (VENDORS, lambda n: CourseFactory().vendor)],
    ids=["courses", "vendors"],
)
def test_admin_list_query_count_does_not_grow(client_as, staff, url, make):
    client = client_as(staff)
    make(0)
    client.get(url)  # warm caches (content types, sites)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 31):
        make(n)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) <= len(few), [query["sql"] for query in many.captured_queries]


def test_admin_search_and_filters(client_as, staff):
    late = CourseFactory(code="late-course", title_en="Late one")
    MilestoneFactory(course=late, due_date=timezone.localdate() - timedelta(days=1))
    CourseFactory(code="calm-course", title_en="Calm one", stage=CourseStage.REVIEW)
    client = client_as(staff)
    content = client.get(f"{COURSES}?q=late").content.decode()
    assert "late-course" in content and "calm-course" not in content
    content = client.get(f"{COURSES}?milestones=overdue").content.decode()
    assert "late-course" in content and "calm-course" not in content
    content = client.get(f"{COURSES}?stage__exact=review").content.decode()
    assert "calm-course" in content and "late-course" not in content


def test_admin_change_page_shows_the_inlines(client_as, staff, course):
    MilestoneFactory(course=course, title="Storyboard signed off")
    content = client_as(staff).get(f"{COURSES}{course.pk}/change/").content.decode()
    assert "Storyboard signed off" in content
    assert "Accessibility checked" in content  # checklist inline
    assert "stage changes" in content.lower()  # history inline


def test_admin_add_goes_through_the_service(client_as, staff):
    vendor = VendorFactory()
    data = {
        "code": "admin-course",
        "title_en": "Added in the admin",
        "title_fr": "",
        "summary_en": "",
        "summary_fr": "",
        "languages": ["en", "ar"],
        "owner": staff.pk,
        "vendor": vendor.pk,
        "planned_launch_on": "",
        "clikc_url": "",
    }
    for prefix in ("milestones", "checklist", "stage_changes"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client_as(staff).post(f"{COURSES}add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    course = Course.objects.get(code="admin-course")
    assert course.languages == ["en", "ar"]
    assert course.checklist.count() == 6
    assert StageChange.objects.filter(course=course, to_stage=CourseStage.CONCEPT).exists()
    assert AuditEntry.objects.filter(action="elearning.course.created", actor=staff).exists()


def test_admin_edit_raises_the_version(client_as, staff, course):
    client = client_as(staff)
    response = client.get(f"{COURSES}{course.pk}/change/")
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["languages"] = course.languages
    data["experts"] = [expert.pk for expert in course.experts.all()]
    data["title_en"] = "Edited in the admin"
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management[name].html_name: management[name].value() for name in management.fields})
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[inline_form[name].html_name] = value
    response = client.post(f"{COURSES}{course.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    course.refresh_from_db()
    assert course.title_en == "Edited in the admin"
    assert course.version == 2
    assert course.stage == CourseStage.REVIEW  # read-only in the admin


def test_admin_actions_use_the_pipeline(client_as, staff, course):
    pilot = CourseFactory(stage=CourseStage.PILOT, clikc_url=CLIKC_URL)
    tick_whole_checklist(pilot)
    client = client_as(staff)
    client.post(COURSES, {"action": "advance", "_selected_action": [course.pk]})
    client.post(COURSES, {"action": "publish", "_selected_action": [pilot.pk, course.pk]})
    course.refresh_from_db()
    pilot.refresh_from_db()
    assert course.stage == CourseStage.PILOT
    assert pilot.stage == CourseStage.PUBLISHED
    assert AuditEntry.objects.filter(action="elearning.course.published", actor=staff).count() == 1


def test_admin_is_closed_to_everyone_but_staff(client_as, contact_point):
    response = client_as(contact_point).get(COURSES)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_vendor_list_counts_courses(client_as, staff):
    vendor = VendorFactory(name="Atelier Numérique")
    CourseFactory.create_batch(2, vendor=vendor)
    content = client_as(staff).get(f"{VENDORS}?q=Atelier").content.decode()
    assert "Atelier Numérique" in content
    assert Vendor.objects.count() == 1
    assert '<td class="field-course_count">2</td>' in content

"""The staff list (search, filters, paging, CSV of chosen fields) and the audit of personal-data views."""

import pytest
from django.urls import reverse
from django.utils import translation

from bacuda_portal.core.models import AuditEntry
from scholarships import services

from .factories import ApplicationFactory, SubmittedApplicationFactory


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_viewing_an_application_is_audited(client_as, staff, contact_point, application):
    client_as(staff).get(application.get_absolute_url())
    client_as(contact_point).get(application.get_absolute_url())
    client_as(staff).get(reverse("scholarships:application_document", args=[application.pk, "cv"]))
    viewed = AuditEntry.objects.filter(action="scholarships.application.viewed", target_id=str(application.pk))
    assert {entry.actor for entry in viewed} == {staff, contact_point}
    assert AuditEntry.objects.filter(action="scholarships.document.downloaded", actor=staff).exists()


def test_api_detail_view_is_audited(client_as, staff, application):
    client_as(staff).get(f"/api/v1/scholarship-applications/{application.pk}/")
    assert AuditEntry.objects.filter(action="scholarships.application.viewed", actor=staff).exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [({"q": "Achieng"}, {"Achieng Otieno"}), ({"region": "WCA"}, {"Awa Diop"}), ({"status": "draft"}, {"Draft Person"}),
     ({"endorsement": "endorsed"}, {"Awa Diop"}), ({"eligibility": "ineligible"}, {"Achieng Otieno"}),
     ({}, {"Achieng Otieno", "Awa Diop", "Draft Person"})],
)  # fmt: skip
def test_staff_list_search_and_filters(client_as, staff, call, application, senegal_application, query, expected):
    ApplicationFactory(call=call, full_name="Draft Person")
    application.eligibility_result = "ineligible"
    application.save()
    senegal_application.endorsement_status = "endorsed"
    senegal_application.save()
    content = client_as(staff).get(reverse("scholarships:staff_application_list"), query).content.decode()
    names = {"Achieng Otieno", "Awa Diop", "Draft Person"}
    assert {name for name in names if name in content} == expected


def test_staff_list_filters_by_call(client_as, staff, application):
    other = SubmittedApplicationFactory(full_name="Other Cohort Person")
    response = client_as(staff).get(reverse("scholarships:staff_application_list"), {"call": other.call_id})
    content = response.content.decode()
    assert "Other Cohort Person" in content and "Achieng Otieno" not in content


def test_staff_list_pages(client_as, staff, call):
    SubmittedApplicationFactory.create_batch(51, call=call)
    content = client_as(staff).get(reverse("scholarships:staff_application_list")).content.decode()
    assert "Page 1 of 2" in content


def test_csv_has_the_chosen_columns_and_neutralises_formulas(client_as, staff, application):
    application.full_name = '=HYPERLINK("http://evil")'
    application.position = "+1 analyst"
    application.save()
    response = client_as(staff).get(
        reverse("scholarships:staff_application_list"),
        {"format": "csv", "columns": ["reference", "full_name", "position", "region"]},
    )
    lines = _csv(response).splitlines()
    assert lines[0] == "Reference,Full name,Position,Region"
    assert lines[1] == f'{application.pk},"\'=HYPERLINK(""http://evil"")",\'+1 analyst,ESA'
    assert AuditEntry.objects.filter(action="scholarships.applications.exported", actor=staff).exists()


def test_csv_default_columns_follow_the_filters(client_as, staff, application, senegal_application):
    response = client_as(staff).get(reverse("scholarships:staff_application_list"), {"format": "csv", "region": "WCA"})
    lines = _csv(response).splitlines()
    assert lines[0] == "Reference,Call,Full name,Administration,Status,Eligibility,Endorsement"
    assert len(lines) == 2 and "Awa Diop" in lines[1]


def test_staff_list_query_count_does_not_grow(client_as, staff, call, django_assert_max_num_queries):
    client = client_as(staff)
    SubmittedApplicationFactory.create_batch(30, call=call)
    client.get(reverse("scholarships:staff_application_list"))  # warm the session
    with django_assert_max_num_queries(10):
        response = client.get(reverse("scholarships:staff_application_list"))
    assert response.status_code == 200


def test_staff_list_rows_show_labels_links_and_the_endorsement_rank(
    client_as, staff, contact_point, kenya, application, senegal_application
):
    services.endorsement_decide(
        application=application, administration=kenya, decision="endorsed", comment="", by=contact_point
    )
    content = client_as(staff).get(reverse("scholarships:staff_application_list")).content.decode()
    assert f'<a href="{application.get_absolute_url()}">Achieng Otieno</a>' in content
    assert f'<a href="{application.call.get_absolute_url()}">{application.call}</a>' in content
    assert "<td>Kenya (ESA)</td>" in content and "<td>Endorsed · 1</td>" in content
    assert "<td>Senegal (WCA)</td>" in content and "<td>Awaiting the contact point</td>" in content


def test_staff_list_names_administrations_in_the_page_language(client_as, staff, senegal_application):
    with translation.override("fr"):
        url = reverse("scholarships:staff_application_list")
    content = client_as(staff).get(url).content.decode()
    assert "<td>Sénégal (WCA)</td>" in content


def test_staff_list_audits_the_listed_applications(client_as, staff, application, senegal_application):
    client_as(staff).get(reverse("scholarships:staff_application_list"), {"region": "WCA"})
    entry = AuditEntry.objects.get(action="scholarships.applications.listed", actor=staff)
    assert entry.data["applications"] == [senegal_application.pk]

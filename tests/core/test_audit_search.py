"""The staff search of the audit log: access, search, filters, paging, CSV export, and a flat query count."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core.models import AuditEntry
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import Administration
from tests.factories import StaffFactory

URL = reverse("audit_log")


@pytest.fixture
def entries(staff, contact_point, kenya, senegal):
    audit_record(actor=staff, action="workshops.workshop.confirmed", target=kenya, note="ok")
    audit_record(actor=contact_point, action="scholarships.application.viewed", target=senegal)
    audit_record(actor=None, action="workshops.certificates.swept")
    old = audit_record(actor=staff, action="members.administrations.exported", filename="x")
    AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.make_aware(dt.datetime(2024, 3, 1, 12)))


def listed_actions(response) -> list[str]:
    return [entry.action for entry in response.context["page"]]


@pytest.mark.parametrize("role", ["contact_point", "other_contact_point", "expert", "applicant", "reviewer"])
def test_only_staff_see_the_audit_log(client_as, cast, role):
    assert client_as(cast[role]).get(URL).status_code == 404
    assert client_as(cast[role]).get(URL + "?format=csv").status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_staff_see_every_entry_newest_first(client_as, staff, entries):
    response = client_as(staff).get(URL)
    assert response.status_code == 200
    actions = listed_actions(response)
    assert actions[-1] == "members.administrations.exported"  # the oldest
    assert set(actions) >= {
        "workshops.workshop.confirmed",
        "scholarships.application.viewed",
        "workshops.certificates.swept",
    }
    assert "cp.kenya@example.org" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "cp.kenya"}, {"scholarships.application.viewed"}),  # actor email
        ({"q": "certificates"}, {"workshops.certificates.swept"}),  # action
        ({"q": "Senegal"}, {"scholarships.application.viewed"}),  # target
        ({"action": "workshops."}, {"workshops.workshop.confirmed", "workshops.certificates.swept"}),
        (
            {"actor": "officer@example.org"},
            {"workshops.workshop.confirmed", "members.administrations.exported"},
        ),
        ({"date_to": "2024-03-01"}, {"members.administrations.exported"}),
        ({"date_from": "2024-03-01", "date_to": "2024-03-01"}, {"members.administrations.exported"}),
        ({"date_from": "2024-03-02", "action": "members."}, set()),
    ],
)
def test_search_and_filters(client_as, staff, entries, query, expected):
    response = client_as(staff).get(URL, query)
    assert response.status_code == 200
    assert set(listed_actions(response)) == expected


def test_a_reversed_date_range_is_refused_and_filters_nothing(client_as, staff, entries):
    response = client_as(staff).get(URL, {"date_from": "2025-01-02", "date_to": "2025-01-01"})
    assert response.status_code == 200
    assert "before the start date" in response.content.decode()
    assert len(listed_actions(response)) == AuditEntry.objects.count()


def test_paging(client_as, staff):
    for number in range(60):
        audit_record(actor=staff, action=f"test.paging.{number:02d}")
    first = client_as(staff).get(URL, {"action": "test.paging"})
    second = client_as(staff).get(URL, {"action": "test.paging", "page": 2})
    assert len(listed_actions(first)) == 50
    assert len(listed_actions(second)) == 10
    assert not set(listed_actions(first)) & set(listed_actions(second))
    assert "action=test.paging&amp;page=2" in first.content.decode()


def test_csv_export_is_filtered_neutralised_and_audited(client_as, staff, entries):
    audit_record(actor=staff, action="test.formula", target=Administration.objects.get(code="KEN"), x="=1+1")
    AuditEntry.objects.filter(action="test.formula").update(target_repr="=HYPERLINK(evil)")
    response = client_as(staff).get(URL, {"action": "test.", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["When", "Actor", "Action"]
    assert len(rows) == 2
    assert rows[1][1:3] == ["officer@example.org", "test.formula"]
    assert rows[1][5] == "'=HYPERLINK(evil)"
    assert AuditEntry.objects.filter(action="core.audit_log.exported", actor=staff).count() == 1


def test_query_count_does_not_grow_with_entries(client_as, staff, contact_point, kenya, django_assert_max_num_queries):
    client = client_as(staff)

    def page_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    audit_record(actor=staff, action="test.one", target=kenya)
    few = page_queries()
    for number in range(40):
        actor = StaffFactory() if number % 2 else contact_point
        audit_record(actor=actor, action=f"test.many.{number}", target=kenya)
    with django_assert_max_num_queries(few):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(URL, {"q": "test", "date_from": "2020-01-01"}).status_code == 200


def test_reading_an_expert_cv_or_a_receipt_is_audited_and_found_by_the_search(client_as, staff):
    from django.core.files.base import ContentFile

    from tests.missions.factories import ClaimLineFactory
    from tests.workshops.factories import ExpertFactory

    expert = ExpertFactory(full_name="Ada Lovelace")
    expert.cv.save("cv.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    line = ClaimLineFactory()
    client = client_as(staff)
    assert client.get(reverse("experts:cv", kwargs={"pk": expert.pk})).status_code == 200
    assert client.get(reverse("missions:claim_line_receipt", kwargs={"pk": line.pk})).status_code == 200

    cv = AuditEntry.objects.get(action="experts.cv.downloaded")
    assert cv.actor == staff and cv.target_id == str(expert.pk)
    receipt = AuditEntry.objects.get(action="missions.receipt.downloaded")
    assert receipt.actor == staff and receipt.target_id == str(line.claim.pk) and receipt.data == {"line": line.pk}
    found = client.get(URL, {"q": "Ada Lovelace"})
    assert listed_actions(found) == ["experts.cv.downloaded"]

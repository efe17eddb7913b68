"""Data protection: the consent text and its version kept with each application, the applicant's download of
all their data, erasure on request, anonymisation after the call's retention period, and the audit of every
view of personal data by staff."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core import tasks as core_tasks
from bacuda_portal.core.models import AuditEntry, ErasureRequest
from scholarships import privacy, services
from scholarships.models import Application, Decision, Letter

from .factories import EligibleApplicationFactory, ReviewerFactory, SubmittedApplicationFactory, submitted_review


def test_submission_records_the_consent_text_and_its_version(client_as, applicant, draft):
    draft.call.consent_version = "2026-03"
    draft.call.save()
    client_as(applicant).post(reverse("scholarships:application_step", args=[draft.pk, "review"]), {"consent": "on"})
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert (draft.consent_version, draft.consent_text) == ("2026-03", draft.call.consent_text_en)


def test_gender_is_optional_with_prefer_not_to_say(client_as, applicant, draft):
    url = reverse("scholarships:application_step", args=[draft.pk, "personal"])
    data = {"full_name": "Achieng Otieno", "date_of_birth": "1988-05-17", "nationality": "Kenyan"}
    client = client_as(applicant)
    assert "Prefer not to say" in client.get(url).content.decode()
    assert client.post(url, {**data, "gender": "undisclosed"}).status_code == 302
    draft.refresh_from_db()
    assert draft.gender == "undisclosed"
    assert client.post(url, {**data, "gender": ""}).status_code == 302
    draft.refresh_from_db()
    assert draft.gender == "" and services.missing_for_submission(draft) == []


# --- Download --------------------------------------------------------------------------------------------
def test_the_applicant_downloads_all_their_data_and_files(client_as, applicant, application, other_applicant, call):
    SubmittedApplicationFactory(call=call, applicant=other_applicant, full_name="Someone Else")
    response = client_as(applicant).get(reverse("scholarships:my_data"), {"format": "zip"})
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["email"] == "applicant@example.org"
    [record] = data["scholarship_applications"]
    assert record["full_name"] == "Achieng Otieno" and record["administration"] == "KEN"
    assert record["consent"]["text"].startswith("The WCO processes")
    assert record["decision"] is None
    assert sorted(record["documents"]) == sorted(archive.namelist()[1:])
    assert archive.read(f"documents/{application.pk}-cv.pdf").startswith(b"%PDF")
    assert "Someone Else" not in json.dumps(data)
    assert AuditEntry.objects.filter(action="scholarships.data.exported", actor=applicant).exists()


def test_a_pending_decision_is_not_in_the_download(client_as, applicant, application, staff):
    Decision.objects.create(application=application, call=application.call, outcome="not_selected")
    data = services.applicant_data(applicant)
    assert data["scholarship_applications"][0]["decision"] is None


# --- Erasure ---------------------------------------------------------------------------------------------
@pytest.fixture
def reviewed(application, criteria):
    """The applicant's application, eligible, with a review, an endorsement comment and a sent letter."""
    application.eligibility_result = "eligible"
    application.save()
    reviewer = ReviewerFactory(calls=[application.call])
    review = submitted_review(application, reviewer, {criteria[0]: 8, criteria[1]: 6})
    review.comment = "Achieng is strong."
    review.save()
    Letter.objects.create(application=application, call=application.call, outcome="not_selected",
                          to=application.applicant.email, language="en", subject="s", body="Dear Achieng")  # fmt: skip
    return application


def test_erasure_is_requested_by_the_applicant_and_carried_out_by_staff(
    client_as, applicant, staff, reviewed, django_capture_on_commit_callbacks
):
    storage, cv_name = reviewed.cv.storage, reviewed.cv.name
    assert storage.exists(cv_name)
    client_as(applicant).post(reverse("scholarships:erasure_request"), {"note": "Please erase."})
    request = ErasureRequest.objects.get()
    assert request.status == "pending" and request.user == applicant
    assert request.categories == ["scholarships.applications"]  # the applications only, not the account
    response = client_as(applicant).post(reverse("scholarships:erasure_request"), follow=True)
    assert "already asked for erasure" in response.content.decode()
    assert ErasureRequest.objects.count() == 1
    # The old list's address leads to the data-protection register, which lists the request.
    assert client_as(staff).get(reverse("scholarships:erasure_list")).url == reverse("privacy:register")
    listing = client_as(staff).get(reverse("privacy:register")).content.decode()
    assert "applicant@example.org" in listing and "Please erase." in listing
    with django_capture_on_commit_callbacks(execute=True):  # files are deleted once the erasure commits
        client_as(staff).post(reverse("scholarships:erasure_carry_out", args=[request.pk]))
    reviewed.refresh_from_db()
    request.refresh_from_db()
    assert request.status == "done" and request.handled_by == staff and request.note == ""
    assert reviewed.applicant is None and reviewed.anonymised_at is not None
    assert (reviewed.full_name, reviewed.nationality, reviewed.motivation, reviewed.date_of_birth) == ("", "", "", None)
    assert not reviewed.cv and not storage.exists(cv_name)
    assert not reviewed.letters.exists() and reviewed.reviews.get().comment == ""
    # The statistics stay.
    assert (reviewed.administration.code, reviewed.gender, reviewed.status) == ("KEN", "female", "submitted")
    assert reviewed.reviews.get().weighted_score is not None
    # The applicant no longer finds it; a second carry-out is refused.
    assert client_as(applicant).get(reviewed.get_absolute_url()).status_code == 404
    assert client_as(staff).post(reverse("scholarships:erasure_carry_out", args=[request.pk])).status_code == 404
    # A request scoped to the applications leaves the account alone.
    applicant.refresh_from_db()
    assert applicant.is_active and applicant.email == "applicant@example.org"


# --- Retention -------------------------------------------------------------------------------------------
def test_the_retention_task_anonymises_non_selected_applicants_after_the_period(call, staff, kenya):
    call.opens_at = timezone.now() - dt.timedelta(days=800)
    call.closes_at = timezone.now() - dt.timedelta(days=731)
    call.retention_days = 730
    call.save()
    selected = EligibleApplicationFactory(call=call, full_name="Kept Scholar")
    Decision.objects.create(application=selected, call=call, outcome="selected", status="released")
    reserve = EligibleApplicationFactory(call=call, full_name="Reserve Person")
    Decision.objects.create(application=reserve, call=call, outcome="reserve", reserve_rank=1, status="released")
    undecided = SubmittedApplicationFactory(call=call, full_name="Not Selected")
    recent = SubmittedApplicationFactory(full_name="Recent Call")  # its call closes in the future
    core_tasks.apply_retention()
    names = dict(Application.objects.values_list("pk", "full_name"))
    assert names[selected.pk] == "Kept Scholar" and names[recent.pk] == "Recent Call"
    assert names[reserve.pk] == "" and names[undecided.pk] == ""
    assert Application.objects.filter(anonymised_at__isnull=False).count() == 2
    entry = AuditEntry.objects.get(action="privacy.retention.applied", data__category="scholarships.applications")
    assert entry.data["count"] == 2
    core_tasks.apply_retention()  # nothing left to do
    assert AuditEntry.objects.filter(action="privacy.retention.applied").count() == 1


def test_retention_waits_for_the_period(call):
    call.opens_at = timezone.now() - dt.timedelta(days=100)
    call.closes_at = timezone.now() - dt.timedelta(days=10)
    call.save()
    SubmittedApplicationFactory(call=call)
    assert not privacy.applications_due(timezone.now()).exists()


# --- Audit of staff views --------------------------------------------------------------------------------
def test_every_staff_view_of_personal_data_is_audited(client_as, staff, application):
    client = client_as(staff)
    client.get(application.get_absolute_url())
    client.get(reverse("scholarships:staff_application_list"))
    client.get(f"/api/v1/scholarship-applications/{application.pk}/")
    actions = list(AuditEntry.objects.filter(actor=staff).values_list("action", flat=True))
    assert actions.count("scholarships.application.viewed") == 2
    listed = AuditEntry.objects.get(action="scholarships.applications.listed", actor=staff)
    assert listed.data["applications"] == [application.pk]


def test_the_applicant_reading_their_own_application_is_not_logged_as_a_view(client_as, applicant, application):
    client_as(applicant).get(application.get_absolute_url())
    assert not AuditEntry.objects.filter(action="scholarships.application.viewed").exists()


# --- Access ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("applicant", 200), ("contact_point", 404), ("other_contact_point", 404),
     ("reviewer", 404), ("staff", 404)],
)  # fmt: skip
def test_my_data_is_for_applicants(client_as, cast, role, expected):
    response = client_as(cast[role]).get(reverse("scholarships:my_data"))
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("applicant", 404), ("contact_point", 404), ("other_contact_point", 404),
     ("reviewer", 404), ("staff", 302)],
)  # fmt: skip
def test_erasure_requests_are_handled_by_staff_only(client_as, cast, other_applicant, application, role, expected):
    request = services.erasure_request(user=application.applicant)
    client = client_as(cast[role])
    response = client.get(reverse("scholarships:erasure_list"))
    assert response.status_code == expected  # staff: to the data-protection register
    if role == "staff":
        assert client.get(response.url).status_code == 200
    client.post(reverse("scholarships:erasure_carry_out", args=[request.pk]))
    request.refresh_from_db()
    assert (request.status == "done") == (role == "staff")

"""The applicant's multi-step form, through the real pages: start, each step, back, submit, withdraw."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.models import AuditEntry
from scholarships.models import Application

from .factories import MOTIVATION, pdf_file

STEP_DATA = {
    "personal": {"full_name": "Achieng Otieno", "gender": "female", "date_of_birth": "1988-05-17",
                 "nationality": "Kenyan"},
    "administration": {"administration": "KEN", "position": "Senior risk analyst", "years_of_service": "6"},
    "education": {"education_level": "master", "education_details": "MSc Statistics, Nairobi, 2014",
                  "language_level": "C1"},
    "motivation": {"motivation": MOTIVATION},
}  # fmt: skip


def _step_url(application, step):
    return reverse("scholarships:application_step", args=[application.pk, step])


def _post_step(client, application, step, data):
    if step == "administration":
        from bacuda_portal.members.models import Administration

        data = {**data, "administration": Administration.objects.get(code=data["administration"]).pk}
    return client.post(_step_url(application, step), data)


def _documents():
    return {"cv": pdf_file("cv.pdf"), "motivation_letter": pdf_file("l.pdf"), "supervisor_endorsement": pdf_file()}


@pytest.fixture
def started(client_as, applicant, call):
    client = client_as(applicant)
    response = client.post(reverse("scholarships:application_start", args=[call.pk]))
    application = Application.objects.get(call=call, applicant=applicant)
    assert response["Location"] == _step_url(application, "personal")
    return client, application


def test_each_step_saves_the_draft_and_moves_on(started, eager_tasks, mailoutbox, django_capture_on_commit_callbacks):
    client, application = started
    steps = ["personal", "administration", "education", "motivation"]
    for index, step in enumerate(steps):
        response = _post_step(client, application, step, STEP_DATA[step])
        following = steps[index + 1] if index + 1 < len(steps) else "documents"
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == _step_url(application, following)
    response = client.post(_step_url(application, "documents"), _documents())
    assert response["Location"] == _step_url(application, "review")
    application.refresh_from_db()
    assert application.status == "draft"
    assert application.position == "Senior risk analyst"
    assert application.administration.code == "KEN"
    assert application.years_of_service == 6
    assert application.cv.name.startswith(f"scholarships/{application.call_id}/{application.pk}/")
    assert "cv.pdf" not in application.cv.name
    review = client.get(_step_url(application, "review")).content.decode()
    assert "Senior risk analyst" in review and "250 words" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_step_url(application, "review"), {"consent": "on"})
    assert response["Location"] == application.get_absolute_url()
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.consent_text == "The WCO processes your personal data to select scholars."
    assert application.consent_given_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["applicant@example.org"]
    assert "Cohort 2027" in mailoutbox[0].subject
    assert application.get_absolute_url() in mailoutbox[0].body


def test_going_back_shows_the_values_already_saved(started):
    client, application = started
    _post_step(client, application, "personal", STEP_DATA["personal"])
    _post_step(client, application, "administration", STEP_DATA["administration"])
    content = client.get(_step_url(application, "personal")).content.decode()
    assert 'value="Achieng Otieno"' in content and 'value="1988-05-17"' in content and 'value="Kenyan"' in content
    content = client.get(_step_url(application, "administration")).content.decode()
    assert 'value="Senior risk analyst"' in content
    assert _step_url(application, "personal") in content  # the Back link


def test_a_step_with_errors_keeps_the_values_typed_and_saves_nothing(started):
    client, application = started
    response = _post_step(client, application, "personal", {**STEP_DATA["personal"], "nationality": ""})
    assert response.status_code == 400
    assert 'value="Achieng Otieno"' in response.content.decode()
    application.refresh_from_db()
    assert application.nationality == "" and application.date_of_birth is None


@pytest.mark.parametrize(("words", "message"), [(199, "at least 200"), (801, "at most 800")])
def test_motivation_word_limits_are_counted_on_the_server(started, words, message):
    client, application = started
    response = _post_step(client, application, "motivation", {"motivation": " ".join(["word"] * words)})
    assert response.status_code == 400
    assert message in response.content.decode()
    application.refresh_from_db()
    assert application.motivation == ""


def test_submit_is_refused_while_a_step_is_missing(client_as, applicant, draft):
    draft.motivation = ""
    draft.save()
    response = client_as(applicant).post(_step_url(draft, "review"), {"consent": "on"})
    assert response.status_code == 400
    assert "Please complete these steps first: Motivation." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_submit_needs_consent(client_as, applicant, draft):
    response = client_as(applicant).post(_step_url(draft, "review"), {})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.consent_given_at is None


def test_after_the_deadline_the_form_refuses_changes_and_submission(client_as, applicant, draft):
    draft.call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    draft.call.save()
    client = client_as(applicant)
    page = client.get(_step_url(draft, "review")).content.decode()
    assert "applications can no longer be changed or submitted" in page
    response = client.post(_step_url(draft, "review"), {"consent": "on"}, follow=True)
    assert "This call closed on" in response.content.decode()
    response = client.post(_step_url(draft, "personal"), STEP_DATA["personal"] | {"nationality": "X"}, follow=True)
    assert "This call closed on" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.nationality == "Kenyan"


def test_a_closed_call_cannot_be_started(client_as, applicant, call):
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    response = client_as(applicant).post(reverse("scholarships:application_start", args=[call.pk]), follow=True)
    assert "This call closed on" in response.content.decode()
    assert not Application.objects.exists()


def test_a_double_submit_is_refused(
    client_as, applicant, draft, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_step_url(draft, "review"), {"consent": "on"})
    from scholarships import services

    draft.refresh_from_db()
    with pytest.raises(TransitionError, match="already been submitted"):
        services.application_submit(application=draft, by=applicant, consent=True)
    # The page redirects a second POST to the status page: it does not submit again.
    response = client.post(_step_url(draft, "review"), {"consent": "on"})
    assert response["Location"] == draft.get_absolute_url()
    assert AuditEntry.objects.filter(action="scholarships.application.submitted").count() == 1
    assert draft.eligibility_checks.count() == 1
    assert len(mailoutbox) == 1


def test_starting_twice_returns_the_same_draft(client_as, applicant, call):
    client = client_as(applicant)
    client.post(reverse("scholarships:application_start", args=[call.pk]))
    client.post(reverse("scholarships:application_start", args=[call.pk]))
    assert Application.objects.filter(call=call, applicant=applicant).count() == 1


def test_status_page_shows_the_status_and_withdraw(client_as, applicant, application):
    client = client_as(applicant)
    content = client.get(application.get_absolute_url()).content.decode()
    assert "Submitted" in content and "Withdraw the application" in content
    client.post(reverse("scholarships:application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "withdrawn" and application.withdrawn_at is not None
    response = client.post(reverse("scholarships:application_withdraw", args=[application.pk]), follow=True)
    assert "already been withdrawn" in response.content.decode()


def test_a_submitted_application_is_no_longer_editable(client_as, applicant, application):
    response = client_as(applicant).post(_step_url(application, "personal"), STEP_DATA["personal"])
    assert response["Location"] == application.get_absolute_url()


def test_applicant_viewing_own_application_is_not_audited_as_a_view(client_as, applicant, application):
    client_as(applicant).get(application.get_absolute_url())
    assert not AuditEntry.objects.filter(action="scholarships.application.viewed").exists()


def test_typed_text_is_escaped_on_output(client_as, applicant, staff, application):
    application.position = "<script>alert(1)</script>"
    application.save()
    content = client_as(staff).get(application.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# --- The submission's own address: POST applications/<pk>/submit/ -----------------------------------------------------
def _submit_url(application):
    return reverse("scholarships:application_submit", args=[application.pk])


def test_the_review_steps_form_posts_to_the_submit_address(client_as, applicant, draft):
    page = client_as(applicant).get(_step_url(draft, "review")).content.decode()
    assert f'action="{_submit_url(draft)}"' in page


def test_the_applicant_submits_their_draft_at_its_submit_address(
    client_as, applicant, draft, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_submit_url(draft), {"consent": "on"})
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.consent_given_at is not None
    assert AuditEntry.objects.filter(action="scholarships.application.submitted").count() == 1
    assert len(mailoutbox) == 1
    again = client.post(_submit_url(draft), {"consent": "on"}, follow=True)
    assert "This application has already been submitted." in again.content.decode()
    assert AuditEntry.objects.filter(action="scholarships.application.submitted").count() == 1


def test_the_submit_address_refuses_without_consent_and_shows_the_review_step(client_as, applicant, draft):
    response = client_as(applicant).post(_submit_url(draft), {})
    assert response.status_code == 400
    assert "Submit the application" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_submit_address_takes_no_get(client_as, applicant, draft):
    assert client_as(applicant).get(_submit_url(draft)).status_code == 405


@pytest.mark.parametrize("who", ["other_applicant", "staff", "contact_point", None])
def test_nobody_else_submits_a_draft(client_as, request, draft, who):
    user = request.getfixturevalue(who) if who else None
    response = client_as(user).post(_submit_url(draft), {"consent": "on"})
    if user is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft" and not AuditEntry.objects.filter(action="scholarships.application.submitted")

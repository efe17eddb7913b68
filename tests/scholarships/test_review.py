"""Review: automatic and manual assignment, conflicts of interest, scoring within a phase, blind review, and
other reviews hidden until one's own is submitted. Through the pages (test client) and the services."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.models import AuditEntry
from bacuda_portal.members.models import Administration
from scholarships import services
from scholarships.models import ConflictOfInterest, Review, ReviewPhase
from tests.factories import ContactPointFactory

from .factories import EligibleApplicationFactory, ReviewerFactory, SubmittedApplicationFactory, submitted_review


def _form(criteria, scores, recommendation="yes", action="submit", comment="Solid."):
    data = {f"criterion_{c.pk}": s for c, s in zip(criteria, scores, strict=True)}
    return {**data, "recommendation": recommendation, "comment": comment, "action": action}


# --- Automatic assignment -------------------------------------------------------------------------------
def test_automatic_assignment_is_balanced_and_gives_each_application_its_reviewers(call, criteria, staff, senegal):
    call.reviews_per_application = 2
    call.save()
    applications = EligibleApplicationFactory.create_batch(9, call=call)
    applications += EligibleApplicationFactory.create_batch(3, call=call, administration=senegal)
    reviewers = ReviewerFactory.create_batch(4, calls=[call])
    ReviewerFactory(calls=[])  # not in this call's pool
    result = services.reviews_assign_automatically(call=call, by=staff)
    assert result == {"created": 24, "short": 0}
    per_application = Counter(Review.objects.values_list("application_id", flat=True))
    assert set(per_application.values()) == {2} and len(per_application) == 12
    loads = Counter(Review.objects.values_list("reviewer_id", flat=True))
    assert set(loads) == {r.pk for r in reviewers}
    assert max(loads.values()) - min(loads.values()) <= 1
    # Running it again changes nothing.
    assert services.reviews_assign_automatically(call=call, by=staff) == {"created": 0, "short": 0}


def test_automatic_assignment_skips_not_eligible_and_draft_applications(call, criteria, staff):
    ReviewerFactory.create_batch(3, calls=[call])
    SubmittedApplicationFactory(call=call)  # eligibility pending
    SubmittedApplicationFactory(call=call, eligibility_result="ineligible")
    assert services.reviews_assign_automatically(call=call, by=staff)["created"] == 0


def test_automatic_assignment_never_gives_a_reviewer_their_own_administration(call, criteria, staff, kenya, senegal):
    call.reviews_per_application = 2
    call.save()
    kenyan = ReviewerFactory(administration=kenya, calls=[call])
    contact_point_reviewer = ReviewerFactory(calls=[call])
    ContactPointFactory(user=contact_point_reviewer.user, administration=kenya)  # a reviewer who also speaks for Kenya
    neutral = ReviewerFactory.create_batch(2, calls=[call])
    for application in EligibleApplicationFactory.create_batch(5, call=call, administration=kenya):
        assert application.administration == kenya
    senegalese = EligibleApplicationFactory(call=call, administration=senegal)
    result = services.reviews_assign_automatically(call=call, by=staff)
    assert result["short"] == 0
    kenyan_reviewers = set(Review.objects.filter(application__administration=kenya).values_list("reviewer", flat=True))
    assert kenyan_reviewers == {r.pk for r in neutral}
    assert Review.objects.filter(application=senegalese).count() == 2
    assert not Review.objects.filter(reviewer__in=[kenyan, contact_point_reviewer], application__administration=kenya)


def test_automatic_assignment_avoids_conflicts_and_replaces_a_conflicted_review(call, criteria, staff):
    call.reviews_per_application = 1
    call.save()
    application = EligibleApplicationFactory(call=call)
    first, second = ReviewerFactory.create_batch(2, calls=[call])
    ConflictOfInterest.objects.create(reviewer=first, application=application, reason="Colleague")
    services.reviews_assign_automatically(call=call, by=staff)
    assert list(Review.objects.values_list("reviewer_id", flat=True)) == [second.pk]
    review = Review.objects.get()
    services.review_declare_conflict(review=review, reason="My supervisor", by=second.user)
    third = ReviewerFactory(calls=[call])
    assert services.reviews_assign_automatically(call=call, by=staff)["created"] == 1
    active = Review.objects.exclude(status="conflict")
    assert list(active.values_list("reviewer_id", flat=True)) == [third.pk]


def test_automatic_assignment_reports_applications_short_of_reviewers(call, criteria, staff):
    EligibleApplicationFactory.create_batch(2, call=call)
    ReviewerFactory(calls=[call])
    assert services.reviews_assign_automatically(call=call, by=staff) == {"created": 2, "short": 2}


def test_staff_assign_automatically_from_the_page(client_as, staff, call, criteria):
    EligibleApplicationFactory.create_batch(2, call=call)
    ReviewerFactory.create_batch(3, calls=[call])
    response = client_as(staff).post(reverse("scholarships:reviews_assign", args=[call.pk]), follow=True)
    assert "6 assignments were made." in response.content.decode()
    assert AuditEntry.objects.filter(action="scholarships.reviews.assigned", actor=staff).exists()


# --- Manual assignment ----------------------------------------------------------------------------------
def test_staff_assign_a_reviewer_by_hand(client_as, staff, eligible, reviewer_profile):
    url = reverse("scholarships:review_assign_one", args=[eligible.call_id])
    response = client_as(staff).post(url, {"application": eligible.pk, "reviewer": reviewer_profile.pk}, follow=True)
    assert "The reviewer was assigned." in response.content.decode()
    review = Review.objects.get()
    assert review.reviewer == reviewer_profile and review.assigned_by == staff


@pytest.mark.parametrize("why", ["own_administration", "conflict", "twice"])
def test_manual_assignment_refusals(client_as, staff, eligible, reviewer_profile, kenya, why):
    if why == "own_administration":
        reviewer_profile.administration = kenya
        reviewer_profile.save()
        message = "never reviews an applicant from their own administration"
    elif why == "conflict":
        ConflictOfInterest.objects.create(reviewer=reviewer_profile, application=eligible, reason="Relative")
        message = "declared a conflict of interest"
    else:
        Review.objects.create(call=eligible.call, application=eligible, reviewer=reviewer_profile)
        message = "already assigned"
    before = Review.objects.count()
    url = reverse("scholarships:review_assign_one", args=[eligible.call_id])
    response = client_as(staff).post(url, {"application": eligible.pk, "reviewer": reviewer_profile.pk}, follow=True)
    assert message in response.content.decode()
    assert Review.objects.count() == before


# --- Scoring ----------------------------------------------------------------------------------------------
def test_reviewer_submits_weighted_scores_and_a_recommendation(client_as, reviewer, assignment, criteria):
    client = client_as(reviewer)
    response = client.post(assignment.get_absolute_url(), _form(criteria, [8, 5], "maybe"), follow=True)
    assert "Your review was saved." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    assert assignment.weighted_score == Decimal("7.00")  # (8*2 + 5*1) / 3
    assert assignment.recommendation == "maybe"
    assert dict(assignment.scores.values_list("criterion__name", "score")) == {
        "Analytical background": 8,
        "Motivation": 5,
    }


def test_a_draft_keeps_partial_scores_without_a_weighted_score(client_as, reviewer, assignment, criteria):
    client_as(reviewer).post(assignment.get_absolute_url(), {f"criterion_{criteria[0].pk}": 6, "action": "save"})
    assignment.refresh_from_db()
    assert assignment.status == "assigned" and assignment.weighted_score is None
    assert list(assignment.scores.values_list("score", flat=True)) == [6]


def test_submit_needs_every_criterion_and_a_recommendation(client_as, reviewer, assignment, criteria):
    data = _form(criteria, [8, 5], recommendation="")
    data.pop(f"criterion_{criteria[1].pk}")
    response = client_as(reviewer).post(assignment.get_absolute_url(), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Score every criterion to submit." in content and "Choose a recommendation to submit." in content
    assignment.refresh_from_db()
    assert assignment.status == "assigned" and not assignment.scores.exists()


def test_a_score_out_of_range_is_refused(client_as, reviewer, assignment, criteria):
    response = client_as(reviewer).post(assignment.get_absolute_url(), _form(criteria, [11, 5]))
    assert response.status_code == 400
    assert not assignment.scores.exists()


def test_a_review_outside_an_open_phase_is_refused_and_nothing_is_saved(client_as, reviewer, assignment, criteria):
    ReviewPhase.objects.update(
        closes_at=timezone.now() - dt.timedelta(hours=1), opens_at=timezone.now() - dt.timedelta(days=3)
    )
    response = client_as(reviewer).post(assignment.get_absolute_url(), _form(criteria, [8, 5]), follow=True)
    assert "No review phase of this call is open now" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "assigned" and not assignment.scores.exists()


def test_a_future_phase_is_not_open_either(reviewer, assignment, criteria):
    ReviewPhase.objects.update(
        opens_at=timezone.now() + dt.timedelta(days=1), closes_at=timezone.now() + dt.timedelta(days=5)
    )
    with pytest.raises(TransitionError):
        services.review_save(review=assignment, scores={criteria[0].pk: 5, criteria[1].pk: 5}, recommendation="no",
                             comment="", submit=True, by=reviewer)  # fmt: skip


def test_a_submitted_review_cannot_be_changed(client_as, reviewer, assignment, criteria):
    client = client_as(reviewer)
    client.post(assignment.get_absolute_url(), _form(criteria, [8, 5]))
    response = client.post(assignment.get_absolute_url(), _form(criteria, [1, 1]), follow=True)
    assert "already been submitted" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.weighted_score == Decimal("7.00")


# --- Conflicts of interest --------------------------------------------------------------------------------
def test_declaring_a_conflict_hides_the_application_and_removes_the_scores(client_as, reviewer, assignment, criteria):
    client = client_as(reviewer)
    client.post(assignment.get_absolute_url(), _form(criteria, [8, 5], action="save"))
    response = client.post(reverse("scholarships:review_conflict", args=[assignment.pk]), {"reason": "My cousin"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "conflict" and assignment.weighted_score is None and not assignment.scores.exists()
    assert ConflictOfInterest.objects.filter(application=assignment.application, reason="My cousin").exists()
    assert client.get(assignment.get_absolute_url()).status_code == 404
    listing = client.get(reverse("scholarships:review_list")).content.decode()
    assert "Conflict of interest declared" in listing and "Achieng Otieno" not in listing


def test_a_review_with_a_declared_conflict_is_refused(reviewer, assignment, criteria):
    ConflictOfInterest.objects.create(reviewer=assignment.reviewer, application=assignment.application, reason="x")
    with pytest.raises(TransitionError, match="conflict of interest"):
        services.review_save(review=assignment, scores={criteria[0].pk: 5, criteria[1].pk: 5}, recommendation="no",
                             comment="", submit=True, by=reviewer)  # fmt: skip
    assert not assignment.scores.exists()


def test_a_conflict_needs_a_reason(client_as, reviewer, assignment):
    client_as(reviewer).post(reverse("scholarships:review_conflict", args=[assignment.pk]), {"reason": " "})
    assignment.refresh_from_db()
    assert assignment.status == "assigned"


# --- What the reviewer sees -------------------------------------------------------------------------------
def test_other_reviews_are_hidden_until_ones_own_is_submitted(client_as, reviewer, assignment, criteria, call):
    other = ReviewerFactory(calls=[call], user__full_name="Second Reader")
    submitted_review(assignment.application, other, {criteria[0]: 3, criteria[1]: 4}, "no")
    client = client_as(reviewer)
    before = client.get(assignment.get_absolute_url()).content.decode()
    assert "Second Reader" not in before and "shown once you have submitted yours" in before
    client.post(assignment.get_absolute_url(), _form(criteria, [8, 5]))
    after = client.get(assignment.get_absolute_url()).content.decode()
    assert "Second Reader" in after and "3.33" in after


def test_blind_review_hides_name_administration_and_documents(client_as, reviewer, assignment, call):
    call.blind_review = True
    call.save()
    client = client_as(reviewer)
    content = client.get(assignment.get_absolute_url()).content.decode()
    assert "Achieng Otieno" not in content and "Kenya" not in content and "Blind review" in content
    assert "Risk analyst" in content  # the position and the rest are shown
    assert client.get(reverse("scholarships:review_document", args=[assignment.pk, "cv"])).status_code == 404
    assert "Achieng Otieno" not in client.get(reverse("scholarships:review_list")).content.decode()


def test_open_review_shows_the_name_and_the_documents(client_as, reviewer, assignment):
    client = client_as(reviewer)
    assert "Achieng Otieno" in client.get(assignment.get_absolute_url()).content.decode()
    response = client.get(reverse("scholarships:review_document", args=[assignment.pk, "cv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    assert AuditEntry.objects.filter(action="scholarships.document.downloaded", actor=reviewer).exists()


def test_reading_an_assignment_is_audited(client_as, reviewer, assignment):
    client_as(reviewer).get(assignment.get_absolute_url())
    assert AuditEntry.objects.filter(
        action="scholarships.application.viewed", actor=reviewer, target_id=str(assignment.application_id)
    ).exists()


# --- Access -----------------------------------------------------------------------------------------------
ROLES = ["anonymous", "applicant", "other_applicant", "contact_point", "other_contact_point", "reviewer",
         "conflicted_reviewer", "staff"]  # fmt: skip


@pytest.fixture
def people(cast, other_applicant, conflicted_reviewer, assignment):
    Review.objects.create(
        call=assignment.call, application=assignment.application, reviewer=conflicted_reviewer, status="conflict"
    )
    ConflictOfInterest.objects.create(reviewer=conflicted_reviewer, application=assignment.application, reason="x")
    return {**cast, "other_applicant": other_applicant, "conflicted_reviewer": conflicted_reviewer.user}


def _outcome(response):
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


@pytest.mark.parametrize(
    ("role", "form", "document", "listing"),
    [("anonymous", "login", "login", "login"), ("applicant", 404, 404, 404), ("other_applicant", 404, 404, 404),
     ("contact_point", 404, 404, 404), ("other_contact_point", 404, 404, 404), ("reviewer", 200, 200, 200),
     ("conflicted_reviewer", 404, 404, 200), ("staff", 404, 404, 404)],
)  # fmt: skip
def test_review_pages_access(client_as, people, assignment, role, form, document, listing):
    client = client_as(people[role])
    assert _outcome(client.get(assignment.get_absolute_url())) == form
    assert _outcome(client.get(reverse("scholarships:review_document", args=[assignment.pk, "cv"]))) == document
    assert _outcome(client.get(reverse("scholarships:review_list"))) == listing


@pytest.mark.parametrize("role", ROLES)
def test_only_the_assigned_reviewer_declares_a_conflict(client_as, people, assignment, role):
    response = client_as(people[role]).post(
        reverse("scholarships:review_conflict", args=[assignment.pk]), {"reason": "x"}
    )
    assignment.refresh_from_db()
    if role == "reviewer":
        assert assignment.status == "conflict"
    else:
        assert _outcome(response) in ("login", 404) and assignment.status == "assigned"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("applicant", 404), ("other_applicant", 404), ("contact_point", 404),
     ("other_contact_point", 404), ("reviewer", 404), ("conflicted_reviewer", 404), ("staff", 200)],
)  # fmt: skip
def test_staff_review_pages_access(client_as, people, call, role, expected):
    client = client_as(people[role])
    assert _outcome(client.get(reverse("scholarships:call_review", args=[call.pk]))) == expected
    before = Review.objects.count()
    response = client.post(reverse("scholarships:reviews_assign", args=[call.pk]))
    assert _outcome(response) == (302 if expected == 200 else expected)
    if expected != 200:
        assert Review.objects.count() == before


def test_staff_review_page_shows_the_pool_and_the_rubric(client_as, staff, assignment, criteria, reviewer):
    content = client_as(staff).get(reverse("scholarships:call_review", args=[assignment.call_id])).content.decode()
    assert "Analytical background" in content and "First reading" in content and str(reviewer) in content


def test_a_reviewer_profile_administration_is_the_link(db):
    """The decision written down: a reviewer's administration is on their Reviewer profile (or the one they speak
    for as a contact point)."""
    kenya = Administration.objects.get(code="KEN")
    reviewer = ReviewerFactory(administration=kenya)
    assert services.reviewer_administration_ids([reviewer]) == {reviewer.pk: {kenya.pk}}


@pytest.mark.parametrize("role", ["reviewer", "conflicted_reviewer"])
def test_reviewers_never_reach_the_application_pages(client_as, people, assignment, role):
    client = client_as(people[role])
    application = assignment.application
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.get(reverse("scholarships:application_document", args=[application.pk, "cv"])).status_code == 404
    assert client.get(reverse("scholarships:ranking", args=[application.call_id])).status_code == 404


def test_the_hand_assignment_offers_the_active_reviewers_of_the_pool_only(client_as, staff, call, reviewer_profile):
    from .factories import ReviewerFactory

    retired = ReviewerFactory(user__full_name="Retired Reviewer", calls=[call], is_active=False)
    ReviewerFactory(user__full_name="Other Pool")
    content = client_as(staff).get(reverse("scholarships:call_review", args=[call.pk])).content.decode()
    select = content.split('name="reviewer"')[1].split("</select>")[0]
    assert f'<option value="{reviewer_profile.pk}">{reviewer_profile}</option>' in select
    assert "Retired Reviewer" not in select and "Other Pool" not in select
    assert f"<td>{retired}</td>" in content  # still listed in the pool's table


def test_the_hand_assignment_refuses_a_reviewer_outside_the_pool(client_as, staff, eligible, reviewer_profile):
    from .factories import ReviewerFactory

    outsider = ReviewerFactory(user__email="other.pool@example.org")
    url = reverse("scholarships:review_assign_one", args=[eligible.call_id])
    response = client_as(staff).post(url, {"application": eligible.pk, "reviewer": outsider.pk}, follow=True)
    assert "Choose an application of this call and a reviewer of its pool." in response.content.decode()
    assert not Review.objects.exists()

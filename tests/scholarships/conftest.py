import pytest

from .factories import ApplicationFactory, CallFactory, SubmittedApplicationFactory


@pytest.fixture
def call(db):
    return CallFactory(cohort_name="Cohort 2027")


@pytest.fixture
def draft(call, applicant):
    """The applicant's complete draft, from Kenya."""
    return ApplicationFactory(call=call, applicant=applicant, full_name="Achieng Otieno")


@pytest.fixture
def application(call, applicant, kenya):
    """The applicant's submitted application from Kenya, awaiting the contact point."""
    return SubmittedApplicationFactory(call=call, applicant=applicant, administration=kenya, full_name="Achieng Otieno")


@pytest.fixture
def other_applicant(db):
    from tests.factories import UserFactory

    return UserFactory(role="applicant", email="other.applicant@example.org")


@pytest.fixture
def senegal_application(call, senegal):
    return SubmittedApplicationFactory(call=call, administration=senegal, full_name="Awa Diop")


@pytest.fixture
def criteria(call):
    """The call's rubric (Analytical background x2, Motivation x1) and an open review phase."""
    from .factories import add_rubric

    return add_rubric(call)


@pytest.fixture
def reviewer_profile(reviewer, call):
    """The cast's reviewer, in the call's pool, working for no administration."""
    from .factories import ReviewerFactory

    return ReviewerFactory(user=reviewer, calls=[call])


@pytest.fixture
def conflicted_reviewer(db, call):
    from .factories import ReviewerFactory

    return ReviewerFactory(user__email="conflicted.reviewer@example.org", calls=[call])


@pytest.fixture
def eligible(call, applicant, kenya, criteria):
    """The applicant's eligible application from Kenya, in a call with a rubric and an open phase."""
    from .factories import EligibleApplicationFactory

    return EligibleApplicationFactory(call=call, applicant=applicant, administration=kenya, full_name="Achieng Otieno")


@pytest.fixture
def assignment(eligible, reviewer_profile):
    from scholarships.models import Review

    return Review.objects.create(call=eligible.call, application=eligible, reviewer=reviewer_profile)

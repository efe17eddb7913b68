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

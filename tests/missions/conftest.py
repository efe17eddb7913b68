import pytest
from django.utils import timezone

from bacuda_portal.members.enums import Role
from tests.factories import UserFactory
from tests.workshops.factories import ExpertFactory

from .factories import ClaimFactory, ClaimLineFactory, MissionFactory, TravelRequestFactory


@pytest.fixture
def expert_profile(expert):
    """The cast's expert user's registry profile: the traveller of ``mission``."""
    return ExpertFactory(user=expert, full_name="Elena Rossi", email=expert.email)


@pytest.fixture
def other_expert(db):
    """Another expert who signs in, with a profile of their own and no part in ``mission``."""
    user = UserFactory(role=Role.EXPERT, email="other.expert@example.org")
    ExpertFactory(user=user, full_name="Kofi Mensah", email=user.email)
    return user


@pytest.fixture
def mission(expert_profile, staff):
    """The expert's mission to Nairobi, organised by the project officer; it ended ten days ago."""
    return MissionFactory(traveller_expert=expert_profile, created_by=staff, mission_number="MS-2025-0142")


@pytest.fixture
def draft_request(mission):
    return TravelRequestFactory(mission=mission)


@pytest.fixture
def submitted_request(mission, staff):
    return TravelRequestFactory(mission=mission, submitted=True, submitted_by=staff)


@pytest.fixture
def approved_request(mission, staff, project_manager):
    return TravelRequestFactory(mission=mission, approved=True, submitted_by=staff, decided_by=project_manager)


@pytest.fixture
def draft_claim(approved_request, expert):
    """A draft claim with one hotel line of 480.00 EUR and its PDF receipt."""
    claim = ClaimFactory(mission=approved_request.mission)
    ClaimLineFactory(claim=claim, added_by=expert)
    return claim


@pytest.fixture
def submitted_claim(draft_claim, expert):
    draft_claim.status = "submitted"
    draft_claim.submitted_by = expert
    draft_claim.submitted_at = timezone.now()
    draft_claim.save()
    return draft_claim


@pytest.fixture
def claim_line(draft_claim):
    return draft_claim.lines.get()

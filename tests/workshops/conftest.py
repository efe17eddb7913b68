import pytest

from bacuda_portal.members.models import Administration

from .factories import AssignmentFactory, ExpertFactory, WorkshopFactory


@pytest.fixture
def workshop(kenya):
    """A planned national workshop for Kenya (quota 5, 20 seats)."""
    return WorkshopFactory(title="Risk analytics for Kenya Revenue Authority")


@pytest.fixture
def regional_workshop(kenya, senegal):
    return WorkshopFactory(
        title="Regional data analytics", kind="regional", beneficiaries=[(kenya, 3), (senegal, 3)], seats=6
    )


@pytest.fixture
def senegal_workshop(senegal):
    return WorkshopFactory(title="Analyse de données pour le Sénégal", beneficiaries=[(senegal, 5)])


@pytest.fixture
def expert_profile(expert):
    """The expert user's registry profile."""
    return ExpertFactory(user=expert, full_name="Elena Rossi", email=expert.email)


@pytest.fixture
def assigned_expert(workshop, expert_profile):
    """The expert user, proposed as lead trainer of ``workshop``."""
    AssignmentFactory(workshop=workshop, expert=expert_profile, role="lead_trainer")
    return expert_profile.user


@pytest.fixture
def morocco(db):
    return Administration.objects.get(code="MAR")

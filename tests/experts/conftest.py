"""The experts registry's cast: the ``expert`` user of the shared cast owns a profile, and another expert
user owns another one."""

import pytest
from django.utils import translation

from bacuda_portal.members.enums import Role
from tests.factories import UserFactory

from .factories import ExpertFactory


@pytest.fixture(autouse=True)
def _english():
    """A French page requested by an earlier test leaves French active in this thread: start in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def own_profile(expert):
    """The expert profile linked to the cast's ``expert`` user."""
    return ExpertFactory(user=expert, full_name="Amina Wanjiru", email="amina.wanjiru@example.org")


@pytest.fixture
def other_expert(db):
    """Another expert user, with a profile of their own."""
    return UserFactory(role=Role.EXPERT, email="other.expert@example.org")


@pytest.fixture
def other_profile(other_expert, senegal):
    return ExpertFactory(
        user=other_expert,
        full_name="Moussa Diop",
        email="moussa.diop@example.org",
        administration=senegal,
        nationality=senegal,
    )


@pytest.fixture
def experts_cast(cast, own_profile, other_profile):
    """The shared cast plus ``other_expert``; ``expert`` owns ``own_profile``."""
    return {**cast, "other_expert": other_profile.user}

import pytest

from bacuda_portal.members.enums import Role
from bacuda_portal.notifications.models import Notification
from tests.factories import StaffFactory


@pytest.fixture
def french_staff(db):
    """A project officer who reads the portal in French."""
    return StaffFactory(role=Role.PROJECT_OFFICER, email="agent@example.org", preferred_language="fr")


def rows(kind: str):
    return list(Notification.objects.filter(kind=kind).order_by("email"))


def by_email(kind: str) -> dict:
    return {row.email: row for row in rows(kind)}

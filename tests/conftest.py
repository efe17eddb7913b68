"""The fixed cast of every access test: staff, the administration's contact point, another administration's
contact point, other roles, and an anonymous visitor. Kenya (KEN) is "our" administration, Senegal (SEN)
"theirs"; both are real WCO Members loaded by the data migration."""

import pytest
from django.core.cache import cache
from django.utils import translation

from bacuda_portal.celery import app as celery_app
from bacuda_portal.members.enums import Role
from bacuda_portal.members.models import Administration

from .factories import ContactPointFactory, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _english_by_default():
    # Each test starts in English, whatever language the previous one left active.
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and cached lookups live in the cache: each test starts clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def eager_tasks():
    """Run tasks in-process for tests about what a task produces (the worker tests cover the real path)."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_eager_propagates = False


@pytest.fixture
def kenya(db):
    return Administration.objects.get(code="KEN")


@pytest.fixture
def senegal(db):
    return Administration.objects.get(code="SEN")


@pytest.fixture
def project_manager(db):
    return StaffFactory(role=Role.PROJECT_MANAGER, email="pm@example.org")


@pytest.fixture
def staff(db):
    return StaffFactory(role=Role.PROJECT_OFFICER, email="officer@example.org")


@pytest.fixture
def contact_point(kenya):
    return ContactPointFactory(administration=kenya, user__email="cp.kenya@example.org").user


@pytest.fixture
def colleague(kenya):
    """Another contact point of the same administration."""
    return ContactPointFactory(administration=kenya, user__email="cp2.kenya@example.org").user


@pytest.fixture
def other_contact_point(senegal):
    return ContactPointFactory(administration=senegal, user__email="cp.senegal@example.org").user


@pytest.fixture
def applicant(db):
    return UserFactory(role=Role.APPLICANT, email="applicant@example.org")


@pytest.fixture
def expert(db):
    return UserFactory(role=Role.EXPERT, email="expert@example.org")


@pytest.fixture
def reviewer(db):
    return UserFactory(role=Role.REVIEWER, email="reviewer@example.org")


@pytest.fixture
def cast(project_manager, staff, contact_point, other_contact_point, applicant, expert, reviewer):
    """Every role by name, with None for the anonymous visitor."""
    return {
        "anonymous": None,
        "project_manager": project_manager,
        "staff": staff,
        "contact_point": contact_point,
        "other_contact_point": other_contact_point,
        "applicant": applicant,
        "expert": expert,
        "reviewer": reviewer,
    }


@pytest.fixture
def client_as(client):
    """``client_as(user)`` logs the test client in as ``user`` (or out, for None) and returns it."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login

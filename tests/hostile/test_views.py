"""Hostile POSTs through the real pages (hypothesis): whatever the fields hold, the page answers (no 500), and a
refused submission leaves every table of our apps exactly as it was (no partial save)."""

import pytest
from django.apps import apps
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from tests.hostile.strategies import hostile_data

OUR_PACKAGES = ("bacuda_portal", "workshops", "scholarships", "algorithms")


def _our_models():
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith(OUR_PACKAGES) and model._meta.managed and not model._meta.proxy
    ]


def _counts():
    return {model._meta.label: model._default_manager.count() for model in _our_models()}


def _post_data(data: dict) -> QueryDict:
    post = QueryDict(mutable=True)
    for key, value in data.items():
        post.setlist(key, value if isinstance(value, list) else [value])
    return post


def _forms():
    """(label, role, URL name, URL arguments from the world, form class whose fields are sent)."""
    from bacuda_portal.members.forms import InvitationForm
    from workshops.elearning.forms import CourseForm
    from workshops.evaluations.forms import QuestionForm, QuestionnaireCreateForm
    from workshops.experts.forms import AvailabilityWindowForm, ExpertForm
    from workshops.forms import NominationForm, SessionForm, WorkshopForm, WorkshopRequestForm
    from workshops.missions.forms import MissionForm

    rows = [
        ("invitation", "staff", "members:invitation_create", lambda w: {"code": "KEN"}, InvitationForm),
        ("nomination", "contact_point", "workshops:nomination_create", lambda w: {"pk": w["open"].pk}, NominationForm),
        ("workshop request", "contact_point", "workshops:request_create", None, WorkshopRequestForm),
        ("new workshop", "staff", "workshops:create", None, WorkshopForm),
        ("agenda session", "staff", "workshops:session_add", lambda w: {"pk": w["open"].pk}, SessionForm),
        ("new expert", "staff", "experts:create", None, ExpertForm),
        (
            "availability",
            "expert",
            "experts:availability_add",
            lambda w: {"pk": w["expert"].pk},
            AvailabilityWindowForm,
        ),
        ("new mission", "staff", "missions:create", None, MissionForm),
        ("new course", "staff", "elearning:course_create", None, CourseForm),
        ("bank question", "staff", "evaluations:question_create", None, QuestionForm),
        (
            "questionnaire",
            "staff",
            "evaluations:workshop_questionnaires",
            lambda w: {"pk": w["open"].pk},
            QuestionnaireCreateForm,
        ),
    ]
    try:
        from bacuda_portal.website.forms import ContactForm

        rows.append(("website contact", "anonymous", "website:contact", None, ContactForm))
    except ImportError:
        pass
    return rows


FORMS = _forms()


@pytest.fixture
def world(cast, kenya):
    from tests.workshops.factories import ExpertFactory, WorkshopFactory

    return {"open": WorkshopFactory(status="planned"), "expert": ExpertFactory(user=cast["expert"])}


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "role", "name", "arguments", "form_class"), FORMS, ids=[row[0] for row in FORMS])
def test_hostile_post_is_answered_and_a_refusal_saves_nothing(
    client_as, cast, world, label, role, name, arguments, form_class
):
    client = client_as(cast[role] if role != "anonymous" else None)
    url = reverse(name, kwargs=arguments(world) if arguments else None)
    names = list(form_class.base_fields)

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=hostile_data(names))
    def check(data):
        with transaction.atomic():
            before = _counts()
            response = client.post(url, _post_data(data))  # an exception here is what a 500 would be
            assert response.status_code < 500
            if response.status_code != 302:  # refused: the form is shown again with its errors
                assert _counts() == before, label
            transaction.set_rollback(True)

    check()

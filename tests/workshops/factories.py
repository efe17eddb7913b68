import datetime as dt

import factory
from django.utils import timezone

from bacuda_portal.members.models import Administration
from tests.factories import UserFactory
from workshops.enums import WorkshopKind, WorkshopStatus
from workshops.experts.models import Expert
from workshops.models import Assignment, Beneficiary, Nomination, Session, Workshop, WorkshopRequest


class WorkshopFactory(factory.django.DjangoModelFactory):
    """A planned national workshop for Kenya (quota 5), a month from now, with one lead trainer to add."""

    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Data analytics workshop {n}")
    kind = WorkshopKind.NATIONAL
    status = WorkshopStatus.PLANNED
    host_city = "Nairobi"
    venue = "Kenya School of Revenue Administration"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=4))
    time_zone = "Africa/Nairobi"
    languages = factory.LazyFunction(lambda: ["en"])
    seats = 20

    @factory.post_generation
    def beneficiaries(self, create, extracted, **kwargs):
        """``beneficiaries=[(administration, quota), ...]``; Kenya with quota 5 by default."""
        if not create:
            return
        for administration, quota in extracted or [(Administration.objects.get(code="KEN"), 5)]:
            Beneficiary.objects.create(workshop=self, administration=administration, quota=quota)


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"expert{n}@example.org")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    workshop = factory.SubFactory(WorkshopFactory)
    expert = factory.SubFactory(ExpertFactory)
    role = "trainer"


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    workshop = factory.SubFactory(WorkshopFactory)
    administration = factory.LazyFunction(lambda: Administration.objects.get(code="KEN"))
    nominated_by = factory.SubFactory(UserFactory)
    full_name = factory.Faker("name")
    gender = "female"
    position = "Risk analyst"
    email = factory.Sequence(lambda n: f"official{n}@customs.example")
    language = "en"
    consent_to_list = True


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    workshop = factory.SubFactory(WorkshopFactory)
    date = factory.LazyAttribute(lambda o: o.workshop.start_date)
    start_time = dt.time(9, 0)
    end_time = dt.time(10, 30)
    topic = "Introduction to risk analysis"


class WorkshopRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopRequest

    administration = factory.LazyFunction(lambda: Administration.objects.get(code="KEN"))
    requested_by = factory.SubFactory(UserFactory)
    topic = "Machine learning for risk management"
    preferred_start = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))
    preferred_end = factory.LazyAttribute(lambda o: o.preferred_start + dt.timedelta(days=4))
    language = "en"
    expected_participants = 15
    justification = "Our risk unit starts a data analytics team."

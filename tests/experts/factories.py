from datetime import timedelta

import factory
from django.utils import timezone

from bacuda_portal.members.models import Administration
from workshops.experts.enums import LanguageLevel, SpokenLanguage
from workshops.experts.models import AvailabilityWindow, Expert, ExpertiseArea, ExpertLanguage


class ExpertiseAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertiseArea
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"test-area-{n}")
    name_en = factory.Sequence(lambda n: f"Test area {n}")
    name_fr = factory.Sequence(lambda n: f"Domaine d'essai {n}")


class ExpertFactory(factory.django.DjangoModelFactory):
    """An expert without a user account, working for the Kenya Revenue Authority's Customs."""

    class Meta:
        model = Expert
        skip_postgeneration_save = True

    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"expert{n}@example.org")
    administration = factory.LazyFunction(lambda: Administration.objects.get(code="KEN"))
    nationality = factory.LazyFunction(lambda: Administration.objects.get(code="KEN"))

    @factory.post_generation
    def expertise_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.expertise_areas.set(extracted)


class ExpertLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertLanguage

    expert = factory.SubFactory(ExpertFactory)
    language = SpokenLanguage.ENGLISH
    level = LanguageLevel.C1


class AvailabilityWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailabilityWindow

    expert = factory.SubFactory(ExpertFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    end_date = factory.LazyAttribute(lambda window: window.start_date + timedelta(days=14))

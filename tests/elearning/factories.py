import factory
from django.utils import timezone

from tests.factories import StaffFactory
from workshops.elearning import services
from workshops.elearning.enums import CourseStage
from workshops.elearning.models import Course, Milestone, Vendor
from workshops.experts.models import Expert


class SubjectMatterExpertFactory(factory.django.DjangoModelFactory):
    """Only what a course needs of an expert; the experts app's own tests cover the rest of the profile."""

    class Meta:
        model = Expert

    full_name = factory.Sequence(lambda n: f"Subject Expert {n}")
    email = factory.Sequence(lambda n: f"sme{n}@example.org")


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Learning Studio {n}")
    contact_email = factory.Sequence(lambda n: f"studio{n}@example.com")
    country = "Belgium"


class CourseFactory(factory.django.DjangoModelFactory):
    """Creates the course through ``services.course_create`` (so it has its default checklist and first
    history entry); ``stage=`` then places it directly in a later stage, as if it had gone through the pipeline.
    """

    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"course-{n:03d}")
    title_en = factory.Sequence(lambda n: f"Data analytics for Customs {n}")
    title_fr = factory.Sequence(lambda n: f"Analyse de données pour la douane {n}")
    languages = factory.LazyFunction(lambda: ["en", "fr"])
    owner = factory.SubFactory(StaffFactory)
    vendor = factory.SubFactory(VendorFactory)
    clikc_url = ""
    stage = CourseStage.CONCEPT

    @classmethod
    def _create(cls, model_class, *args, stage=CourseStage.CONCEPT, experts=(), **kwargs):
        course = services.course_create(by=kwargs["owner"], experts=experts, **kwargs)
        if stage != CourseStage.CONCEPT:
            published_at = timezone.now() if stage == CourseStage.PUBLISHED else None
            Course.objects.filter(pk=course.pk).update(stage=stage, published_at=published_at)
            if published_at:  # publication needed the whole checklist done
                course.checklist.update(done=True, done_at=published_at)
            course.refresh_from_db()
        return course


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=30))
    done_on = None

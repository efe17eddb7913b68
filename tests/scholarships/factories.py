import datetime as dt

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bacuda_portal.members.models import Administration
from scholarships.enums import ApplicationStatus, EligibilityResult, EndorsementStatus
from scholarships.models import (
    Application,
    Call,
    CurriculumModule,
    Programme,
    Review,
    Reviewer,
    ReviewPhase,
    ReviewScore,
    RubricCriterion,
)
from tests.factories import UserFactory
from tests.upload_samples import CLEAN_PDF

MOTIVATION = " ".join(["analytics"] * 250)
PDF_BYTES = CLEAN_PDF


def pdf_file(name: str = "document.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name_en = factory.Sequence(lambda n: f"BACUDA data analytics scholarship {n}")
    name_fr = factory.Sequence(lambda n: f"Bourse BACUDA d'analyse de données {n}")
    partner_institution = "Korea Customs Service"


class CallFactory(factory.django.DjangoModelFactory):
    """A published call open from yesterday for a month: 2 years of service, B2 English, endorsement, quota 2."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    cohort_name = factory.Sequence(lambda n: f"Cohort {2026 + n}")
    partner_university = "Sungkyunkwan University"
    seats = 20
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    is_published = True
    min_years_of_service = 2
    required_language_level = "B2"
    endorsement_required = True
    quota_per_administration = 2
    consent_text_en = "The WCO processes your personal data to select scholars."
    consent_text_fr = "L'OMD traite vos données personnelles pour sélectionner les boursiers."

    @factory.post_generation
    def modules(self, create, extracted, **kwargs):
        if create:
            CurriculumModule.objects.create(call=self, title="Machine learning for risk management", hours=40, order=1)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft from Kenya, ready to submit."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(UserFactory)
    administration = factory.LazyFunction(lambda: Administration.objects.get(code="KEN"))
    full_name = factory.Faker("name")
    gender = "female"
    date_of_birth = dt.date(1988, 5, 17)
    nationality = "Kenyan"
    position = "Risk analyst"
    years_of_service = 6
    education_level = "master"
    education_details = "MSc Statistics, University of Nairobi, 2014"
    language_level = "C1"
    motivation = MOTIVATION
    cv = factory.LazyFunction(lambda: pdf_file("cv.pdf"))
    motivation_letter = factory.LazyFunction(lambda: pdf_file("letter.pdf"))
    supervisor_endorsement = factory.LazyFunction(lambda: pdf_file("endorsement.pdf"))


class SubmittedApplicationFactory(ApplicationFactory):
    status = ApplicationStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    consent_given_at = factory.LazyFunction(timezone.now)
    consent_text = "The WCO processes your personal data to select scholars."
    endorsement_status = EndorsementStatus.PENDING
    eligibility_result = EligibilityResult.PENDING


class ReviewerFactory(factory.django.DjangoModelFactory):
    """A reviewer with no administration of their own."""

    class Meta:
        model = Reviewer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role="reviewer")

    @factory.post_generation
    def calls(self, create, extracted, **kwargs):
        if create and extracted:
            self.calls.set(extracted)


def add_rubric(call: Call) -> list[RubricCriterion]:
    """Two criteria (weights 2 and 1) and a review phase open now."""
    ReviewPhase.objects.create(
        call=call, name="First reading", opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=10),
    )  # fmt: skip
    background = RubricCriterion.objects.create(
        call=call, name="Analytical background", description="Statistics.", weight=2, order=1
    )
    motivation = RubricCriterion.objects.create(
        call=call, name="Motivation", description="Use at work.", weight=1, order=2
    )
    return [background, motivation]


class EligibleApplicationFactory(SubmittedApplicationFactory):
    endorsement_status = EndorsementStatus.ENDORSED
    eligibility_result = EligibilityResult.ELIGIBLE


def submitted_review(application, reviewer, scores: dict, recommendation="yes") -> Review:
    """A submitted review with the given {criterion: score}, written straight to the tables (for rankings)."""
    from scholarships.services import weighted_score

    review = Review.objects.create(
        call=application.call, application=application, reviewer=reviewer, status="submitted",
        recommendation=recommendation, submitted_at=timezone.now(),
        weighted_score=weighted_score({c.pk: s for c, s in scores.items()}, {c.pk: c.weight for c in scores}),
    )  # fmt: skip
    ReviewScore.objects.bulk_create(ReviewScore(review=review, criterion=c, score=s) for c, s in scores.items())
    return review

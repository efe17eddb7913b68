"""Factories of the algorithms app's tables."""

import hashlib
from pathlib import Path

import factory
from django.core.files.base import ContentFile

from algorithms.models import (
    Algorithm,
    AlgorithmVersion,
    Dataset,
    HsLabelledDescription,
    JobArtifact,
    ModelCard,
    ModelJob,
)
from tests.factories import AdministrationFactory

SAMPLE = Path(__file__).resolve().parents[2] / "algorithms" / "data" / "declarations_sample.csv"


def sample_csv(rows: int | None = 200) -> bytes:
    """The first ``rows`` rows of the shipped sample (all of them for None), as bytes."""
    lines = SAMPLE.read_bytes().splitlines(keepends=True)
    return b"".join(lines if rows is None else lines[: rows + 1])


class AlgorithmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Algorithm
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"algorithm-{n}")
    kind = "date"
    name_en = factory.Sequence(lambda n: f"Algorithm {n}")
    name_fr = factory.Sequence(lambda n: f"Algorithme {n}")
    summary_en = "Finds risky declarations."
    card = factory.RelatedFactory("tests.algorithms.factories.ModelCardFactory", factory_related_name="algorithm")


class ModelCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelCard

    details_en = "A **gradient-boosted** model."
    details_fr = "Un modèle à **arbres**."
    intended_use_en = "Ranking declarations for inspection."


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dataset
        skip_postgeneration_save = True

    administration = factory.SubFactory(AdministrationFactory)
    kind = "declarations"
    name = factory.Sequence(lambda n: f"Declarations {n}")
    row_count = 200
    has_labels = True

    @factory.lazy_attribute
    def sha256(self):
        return hashlib.sha256(sample_csv()).hexdigest()

    @factory.post_generation
    def with_file(obj, create, extracted, **kwargs):
        content = sample_csv() if extracted is None else extracted
        obj.file.save("declarations.csv", ContentFile(content), save=False)
        obj.size = len(content)
        if create:
            obj.save()


class ModelJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelJob

    kind = "date_train"
    administration = factory.LazyAttribute(lambda job: job.dataset.administration)
    dataset = factory.SubFactory(DatasetFactory)
    seed = 7
    status = "queued"


class JobArtifactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobArtifact

    job = factory.SubFactory(ModelJobFactory, status="succeeded")
    name = "chart"
    sha256 = hashlib.sha256(b"<svg/>").hexdigest()
    size = 6
    file = factory.django.FileField(filename="chart.svg", data=b"<svg/>")


class AlgorithmVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlgorithmVersion

    algorithm = factory.SubFactory(AlgorithmFactory)
    number = factory.Sequence(lambda n: n + 1)
    release_notes_en = "First release."
    metrics = factory.LazyFunction(lambda: {"precision_at_5": 0.9})


class HsLabelledDescriptionFactory(factory.django.DjangoModelFactory):
    """Feedback on a suggestion: a user confirmed the first of two suggested codes."""

    class Meta:
        model = HsLabelledDescription

    administration = factory.SubFactory(AdministrationFactory)
    description = factory.Sequence(lambda n: f"green arabica coffee beans, lot {n}")
    code = "090111"
    feedback = "confirmed"
    suggestions = factory.LazyFunction(
        lambda: [{"code": "090111", "confidence": 0.7}, {"code": "090112", "confidence": 0.2}]
    )
    model_name = "HS nomenclature only"

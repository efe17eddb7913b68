import factory

from workshops.evaluations import services
from workshops.evaluations.models import Question

from ..factories import UserFactory


class QuestionFactory(factory.django.DjangoModelFactory):
    """A rating question; use ``choice_question`` for one with options."""

    class Meta:
        model = Question

    text_en = factory.Sequence(lambda n: f"How useful was session {n}?")
    text_fr = factory.Sequence(lambda n: f"Quelle a été l'utilité de la session {n} ?")
    kind = "rating"
    low_label_en = "Not useful"
    high_label_en = "Very useful"


def choice_question(text: str, options: list[str], *, correct=(), points: int = 0, kind: str = "single", by=None):
    """A bank question made through the service, with options in that order; ``correct`` names the right ones."""
    return services.question_create(
        by=by or UserFactory(),
        text_en=text,
        text_fr=f"{text} (FR)",
        kind=kind,
        points=points,
        options=[
            services.OptionInput(text_en=option, text_fr=f"{option} (FR)", is_correct=option in correct)
            for option in options
        ],
    )

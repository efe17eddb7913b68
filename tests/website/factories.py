import datetime as dt

import factory
from django.utils import timezone

from bacuda_portal.website.models import NewsPost


class NewsPostFactory(factory.django.DjangoModelFactory):
    """A published news post in English and French (published a day ago)."""

    class Meta:
        model = NewsPost

    slug = factory.Sequence(lambda n: f"news-{n}")
    title_en = factory.Sequence(lambda n: f"BACUDA news {n}")
    title_fr = factory.Sequence(lambda n: f"Nouvelles de BACUDA {n}")
    summary_en = "A workshop on fraud detection was delivered."
    summary_fr = "Un atelier sur la détection de la fraude a été donné."
    body_en = "## What happened\n\nTwenty officials **trained** on the DATE model."
    body_fr = "## Ce qui s'est passé\n\nVingt agents **formés** au modèle DATE."
    publish_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))

"""The image-analysis card: a database seeded before the engine existed still shows the "Planned" placeholder; give
it the real card (algorithms.demo.IMAGE_CARD, figures from benchmarks/images.py). A card someone has edited since
(its details no longer the placeholder) is left alone."""

from django.db import migrations


def fill_image_card(apps, schema_editor):
    from algorithms.demo import IMAGE_CARD, IMAGE_PLACEHOLDER_DETAILS

    Algorithm = apps.get_model("algorithms", "Algorithm")
    ModelCard = apps.get_model("algorithms", "ModelCard")
    for algorithm in Algorithm.objects.filter(kind="image", slug=IMAGE_CARD["slug"]):
        card = ModelCard.objects.filter(algorithm=algorithm).first()
        if card is None or card.details_en.strip() != IMAGE_PLACEHOLDER_DETAILS:
            continue
        for field, value in IMAGE_CARD["card"].items():
            setattr(card, field, value)
        card.save()
        for field in ("name_en", "name_fr", "summary_en", "summary_fr"):
            setattr(algorithm, field, IMAGE_CARD[field])
        algorithm.save(update_fields=["name_en", "name_fr", "summary_en", "summary_fr"])


class Migration(migrations.Migration):
    dependencies = [
        ("algorithms", "0004_image_datasets"),
    ]

    operations = [
        migrations.RunPython(fill_image_card, migrations.RunPython.noop),
    ]

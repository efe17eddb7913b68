"""Seeds the expertise areas BACUDA workshops draw on; staff extend the list in the admin."""

from django.db import migrations

# (code, English name, French name). Kept here, not imported, so the migration stays as it was written.
EXPERTISE_AREAS = [
    ("data-analytics", "Data analytics", "Analyse de données"),
    ("machine-learning", "Machine learning", "Apprentissage automatique"),
    ("deep-learning", "Deep learning and neural networks", "Apprentissage profond et réseaux de neurones"),
    ("risk-management", "Risk management", "Gestion des risques"),
    ("fraud-detection", "Fraud detection and targeting", "Détection de la fraude et ciblage"),
    ("python-programming", "Python programming", "Programmation Python"),
    ("r-programming", "R programming", "Programmation R"),
    ("databases-sql", "Databases and SQL", "Bases de données et SQL"),
    ("data-visualisation", "Data visualisation", "Visualisation de données"),
    ("data-governance", "Data governance and protection", "Gouvernance et protection des données"),
    ("image-analysis", "Image analysis (non-intrusive inspection)", "Analyse d'images (inspection non intrusive)"),
    ("hs-classification", "HS classification", "Classement dans le Système harmonisé"),
    ("valuation", "Customs valuation", "Évaluation en douane"),
    ("rules-of-origin", "Rules of origin", "Règles d'origine"),
    ("post-clearance-audit", "Post-clearance audit", "Contrôle a posteriori"),
    ("e-learning-design", "E-learning design", "Conception de formations en ligne"),
    ("training-of-trainers", "Training of trainers", "Formation de formateurs"),
    ("project-management", "Project management", "Gestion de projet"),
]


def load(apps, schema_editor):
    expertise_area = apps.get_model("experts", "ExpertiseArea")
    for code, name_en, name_fr in EXPERTISE_AREAS:
        expertise_area.objects.update_or_create(code=code, defaults={"name_en": name_en, "name_fr": name_fr})


class Migration(migrations.Migration):
    dependencies = [("experts", "0002_registry")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

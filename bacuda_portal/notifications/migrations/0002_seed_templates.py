"""The default EN/FR texts of every kind of notification (kinds added later are created on first use)."""

from django.db import migrations


def seed(apps, schema_editor):
    from bacuda_portal.notifications.kinds import KINDS

    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for kind, spec in KINDS.items():
        NotificationTemplate.objects.get_or_create(
            kind=kind,
            defaults={
                "subject_en": spec.subject_en,
                "text_en": spec.text_en,
                "subject_fr": spec.subject_fr,
                "text_fr": spec.text_fr,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_notifications")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Erasure requests become the portal's (core.ErasureRequest, for every kind of personal data): the scholarships
app's requests are copied there, scoped to scholarship applications, with their dates, status and handler."""

from django.db import migrations

APPLICATIONS_CATEGORY = "scholarships.applications"


def copy_to_core(apps, schema_editor):
    Old = apps.get_model("scholarships", "ErasureRequest")
    New = apps.get_model("core", "ErasureRequest")
    for old in Old.objects.all().iterator():
        new = New.objects.create(
            user_id=old.user_id,
            reference=old.reference,
            categories=[APPLICATIONS_CATEGORY],
            note=old.note,
            status=old.status,
            handled_by_id=old.handled_by_id,
            handled_at=old.handled_at,
        )
        # auto_now_add set today's date: keep when the person really asked.
        New.objects.filter(pk=new.pk).update(created_at=old.created_at, updated_at=old.updated_at)


def copy_back(apps, schema_editor):
    Old = apps.get_model("scholarships", "ErasureRequest")
    New = apps.get_model("core", "ErasureRequest")
    for new in New.objects.filter(categories=[APPLICATIONS_CATEGORY]).iterator():
        old = Old.objects.create(
            user_id=new.user_id,
            reference=new.reference,
            note=new.note,
            status=new.status,
            handled_by_id=new.handled_by_id,
            handled_at=new.handled_at,
        )
        Old.objects.filter(pk=old.pk).update(created_at=new.created_at, updated_at=new.updated_at)
        new.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scholarships", "0003_programme_outcome"),
        ("core", "0003_privacy_requests_and_exports"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.DeleteModel(name="ErasureRequest"),
    ]

"""Loads the six WCO regions and the WCO Members (see members/data/README.md for the source and date)."""

from django.db import migrations

from bacuda_portal.members import reference_data


def load(apps, schema_editor):
    reference_data.sync(
        apps.get_model("members", "Region"),
        apps.get_model("members", "Administration"),
        members_file=reference_data.MEMBERS_FILE,
        regions_file=reference_data.REGIONS_FILE,
    )


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

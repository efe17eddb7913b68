"""A person's data export built by a real Celery worker process (queue ``default``), from the button on "My data"
to the download. (The erasure email goes through ``core.send_email``, which other worker tests run.)"""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from bacuda_portal.core.models import PersonalDataExport
from bacuda_portal.members.models import Administration
from tests.factories import ContactPointFactory
from tests.privacy_world import EMAIL, build_world
from tests.worker import WorkerProcess, wait_for

# serialized_rollback: keep the WCO Members the data migration loaded for the tests that run after this one.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_real_worker_builds_the_export(tmp_path):
    worker = WorkerProcess(tmp_path, queues="default")
    try:
        kenya = Administration.objects.get(code="KEN")
        uploader = ContactPointFactory(administration=kenya).user
        world = build_world(kenya, uploader=uploader)
        client = Client()
        client.force_login(world.person)
        client.post(reverse("privacy:export_request"))
        export = PersonalDataExport.objects.filter(user=world.person).latest("created_at")
        wait_for(
            lambda: PersonalDataExport.objects.filter(pk=export.pk, status__in=("ready", "failed")).exists(),
            120,
            "the export",
            worker.process,
            worker.log,
        )
        export.refresh_from_db()
        assert export.status == "ready" and export.attempts == 1, export.error
        assert "Download my data" in client.get(reverse("privacy:my_data")).content.decode()
        download = client.get(reverse("privacy:export_download", args=[export.pk]))
        archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
        data = json.loads(archive.read("data.json"))
        assert data["categories"]["members.accounts"]["records"][0]["email"] == EMAIL
        assert any(name.startswith("files/experts.profiles/") for name in archive.namelist())
    finally:
        worker.stop()

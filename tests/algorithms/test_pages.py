"""Dataset and job pages, the status endpoint, downloads, HS suggestions; who sees what; query counts."""

import json

import pytest
from django.urls import reverse

from algorithms import runner
from algorithms.models import Dataset, ModelJob
from bacuda_portal.core.models import AuditEntry
from tests.algorithms.conftest import csv_upload
from tests.algorithms.factories import DatasetFactory, ModelJobFactory, sample_csv

pytestmark = pytest.mark.django_db


def test_a_contact_point_uploads_a_dataset_for_their_administration(client, contact_point, kenya):
    client.force_login(contact_point)
    response = client.post(
        reverse("algorithms:dataset_upload"),
        {"administration": kenya.pk, "kind": "declarations", "name": "2020 sample", "file": csv_upload(sample_csv(50))},
    )
    dataset = Dataset.objects.get()
    assert response.status_code == 302 and response["Location"] == dataset.get_absolute_url()
    assert dataset.administration == kenya and dataset.row_count == 50
    page = client.get(dataset.get_absolute_url()).content.decode()
    assert dataset.sha256 in page and "50" in page


def test_a_contact_point_cannot_upload_for_another_administration(client, contact_point, senegal):
    client.force_login(contact_point)
    response = client.post(
        reverse("algorithms:dataset_upload"),
        {"administration": senegal.pk, "kind": "declarations", "name": "x", "file": csv_upload(sample_csv(5))},
    )
    assert response.status_code == 400 and not Dataset.objects.exists()


def test_a_refused_upload_lists_the_problems_by_row_and_column(client, staff, kenya):
    client.force_login(staff)
    content = sample_csv(3).replace(b"2020-01-01", b"01/01/2020", 1)
    response = client.post(
        reverse("algorithms:dataset_upload"),
        {"administration": kenya.pk, "kind": "declarations", "name": "x", "file": csv_upload(content)},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "<td>2</td><td>Date</td>" in page and "is not a date in the form YYYY-MM-DD" in page
    assert not Dataset.objects.exists()


def test_a_dataset_download_is_on_record(client, contact_point, kenya_dataset):
    client.force_login(contact_point)
    response = client.get(reverse("algorithms:dataset_download", args=[kenya_dataset.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="algorithms.dataset.downloaded")
    assert entry.actor == contact_point and entry.target_id == str(kenya_dataset.pk)


def test_datasets_and_jobs_of_another_administration_are_not_listed(
    client, other_contact_point, kenya_dataset, senegal_dataset
):
    ModelJobFactory(dataset=kenya_dataset)
    ModelJobFactory(dataset=senegal_dataset)
    client.force_login(other_contact_point)
    datasets = client.get(reverse("algorithms:dataset_list")).content.decode()
    assert "Senegal 2020" in datasets and "Kenya 2020" not in datasets
    jobs = client.get(reverse("algorithms:job_list")).content.decode()
    assert "Senegal 2020" in jobs and "Kenya 2020" not in jobs


def test_submit_a_job_from_the_page(client, contact_point, kenya, kenya_dataset, django_capture_on_commit_callbacks):
    client.force_login(contact_point)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("algorithms:job_create"),
            {"kind": "date_train", "administration": kenya.pk, "dataset": kenya_dataset.pk, "seed": 5,
             "params": '{"epochs": 2}'},
        )  # fmt: skip
    job = ModelJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.status, job.seed, job.params, job.created_by) == ("queued", 5, {"epochs": 2}, contact_point)
    assert len(callbacks) == 1  # the run_job message, sent once the job row is committed


def test_a_job_form_refuses_another_administrations_dataset(client, contact_point, kenya, senegal_dataset):
    client.force_login(contact_point)
    response = client.post(
        reverse("algorithms:job_create"),
        {"kind": "date_train", "administration": kenya.pk, "dataset": senegal_dataset.pk, "seed": 5},
    )
    assert response.status_code == 400 and not ModelJob.objects.exists()


def test_training_needs_a_labelled_dataset_and_synth_needs_a_row_count(client, contact_point, kenya):
    unlabelled = DatasetFactory(administration=kenya, has_labels=False)
    client.force_login(contact_point)
    response = client.post(
        reverse("algorithms:job_create"),
        {"kind": "date_train", "administration": kenya.pk, "dataset": unlabelled.pk, "seed": 1},
    )
    assert "Training needs a dataset with the Fraud and Critical Fraud columns." in response.content.decode()
    response = client.post(
        reverse("algorithms:job_create"),
        {"kind": "synth", "administration": kenya.pk, "dataset": unlabelled.pk, "seed": 1},
    )
    assert "Give the number of synthetic rows" in response.content.decode()
    assert not ModelJob.objects.exists()


def test_the_job_page_shows_progress_and_its_status_endpoint_answers_json(client, contact_point, kenya_dataset):
    job = ModelJobFactory(dataset=kenya_dataset, status="running", percent=40, stage="Training DATE", log="started\n")
    client.force_login(contact_point)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'value="40"' in page and "js/algorithms.js" in page and "<script>" not in page
    data = json.loads(client.get(reverse("algorithms:job_status", args=[job.pk])).content)
    assert data["percent"] == 40 and data["stage"] == "Training DATE" and data["finished"] is False


def test_cancel_from_the_page(client, contact_point, kenya_dataset):
    job = ModelJobFactory(dataset=kenya_dataset)
    client.force_login(contact_point)
    client.post(reverse("algorithms:job_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "cancelled"


def test_artifacts_download_for_the_administration_only(
    client, tiny_engines, contact_point, other_contact_point, kenya_dataset
):
    job = ModelJobFactory(dataset=kenya_dataset)
    job = runner.job_run(job_id=job.pk, heartbeat=False)
    chart = job.artifacts.get(name="chart")
    client.force_login(contact_point)
    response = client.get(chart.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"<svg")
    page = client.get(job.get_absolute_url()).content.decode()
    assert chart.sha256 in page and "fraud_rate" in page
    client.force_login(other_contact_point)
    assert client.get(chart.get_absolute_url()).status_code == 404


def test_job_list_csv_export(client, staff, kenya_dataset):
    ModelJobFactory(dataset=kenya_dataset, error="=cmd()")
    client.force_login(staff)
    response = client.get(reverse("algorithms:job_list") + "?format=csv")
    body = b"".join(response.streaming_content).decode()
    assert "Kenya 2020" in body and "'=cmd()" in body


def test_job_list_filters(client, staff, kenya_dataset):
    done = ModelJobFactory(dataset=kenya_dataset, status="succeeded")
    ModelJobFactory(dataset=kenya_dataset, status="failed")
    client.force_login(staff)
    page = client.get(reverse("algorithms:job_list") + "?status=succeeded")
    assert list(page.context["page"]) == [done]
    page = client.get(reverse("algorithms:job_list") + f"?q=%23{done.pk}")
    assert list(page.context["page"]) == [done]


def test_staff_filter_by_administration_offers_those_with_data(client, staff, kenya_dataset, senegal_dataset):
    ModelJobFactory(dataset=kenya_dataset)
    client.force_login(staff)
    jobs = client.get(reverse("algorithms:job_list"))
    offered = [choice[0] for choice in jobs.context["form"]["administration"].field.widget.choices if choice[0]]
    assert [str(value) for value in offered] == [str(kenya_dataset.administration_id)]  # Senegal has no job
    datasets = client.get(reverse("algorithms:dataset_list"))
    offered = {
        str(choice[0]) for choice in datasets.context["form"]["administration"].field.widget.choices if choice[0]
    }
    assert offered == {str(kenya_dataset.administration_id), str(senegal_dataset.administration_id)}
    page = client.get(reverse("algorithms:dataset_list"), {"administration": senegal_dataset.administration_id})
    assert list(page.context["page"]) == [senegal_dataset]


def test_job_list_pages_by_25_with_labels_and_links(client, staff, kenya_dataset):
    jobs = ModelJobFactory.create_batch(27, dataset=kenya_dataset, status="succeeded")
    client.force_login(staff)
    first = client.get(reverse("algorithms:job_list"))
    assert len(first.context["page"]) == 25 and first.context["page"].paginator.num_pages == 2
    content = first.content.decode()
    assert f'<a href="{jobs[-1].get_absolute_url()}">#{jobs[-1].pk}</a>' in content
    assert "Train fraud detection (DATE)" in content and ">Succeeded</span>" in content
    assert len(client.get(reverse("algorithms:job_list"), {"page": 2}).context["page"]) == 2


def test_job_list_query_count_does_not_grow(client, staff, kenya_dataset, django_assert_max_num_queries):
    ModelJobFactory.create_batch(30, dataset=kenya_dataset)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("algorithms:job_list")).status_code == 200


def test_dataset_list_query_count_does_not_grow(client, contact_point, kenya, django_assert_max_num_queries):
    DatasetFactory.create_batch(30, administration=kenya)
    client.force_login(contact_point)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("algorithms:dataset_list")).status_code == 200


def test_hs_suggestions_page_answers_with_the_nomenclature_model(client, tiny_engines, contact_point):
    client.force_login(contact_point)
    page = client.get(reverse("algorithms:hs_suggest") + "?description=green+coffee+beans").content.decode()
    assert "090111" in page and "Coffee, not roasted" in page and "HS nomenclature only" in page
    assert "90 % (likely)" in page and "too vague" not in page


def test_a_vague_description_asks_for_material_use_or_composition(client, tiny_engines, contact_point):
    client.force_login(contact_point)
    page = client.get(reverse("algorithms:hs_suggest") + "?description=goods").content.decode()
    assert "too vague" in page and "material" in page and "(unlikely)" in page


def test_hs_suggestions_use_the_administrations_champion(client, tiny_engines, contact_point, kenya, staff):
    from algorithms import services

    job = services.job_submit(kind="aihs_train", administration=kenya, by=contact_point)
    job = runner.job_run(job_id=job.pk, heartbeat=False)
    services.alias_move(version=job.produced_version, name="champion", by=staff)
    client.force_login(contact_point)
    page = client.get(reverse("algorithms:hs_suggest") + "?description=coffee").content.decode()
    assert f"v{job.produced_version.number}" in page


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(client, contact_point, kenya, settings):
    settings.BACUDA_DATASET_MAX_MEGABYTES = 0
    client.force_login(contact_point)
    content = sample_csv(None) * 2  # about 400 kB: over 0 MB plus the form's margin
    response = client.post(
        reverse("algorithms:dataset_upload"),
        {"administration": kenya.pk, "kind": "declarations", "name": "big", "file": csv_upload(content)},
    )
    assert response.status_code == 413
    assert "the limit is 0 MB" in response.content.decode()
    assert not Dataset.objects.exists()


def test_staff_submit_a_job_for_the_datasets_administration(client, staff, kenya, kenya_dataset):
    client.force_login(staff)
    response = client.post(
        reverse("algorithms:job_create"), {"kind": "date_train", "dataset": kenya_dataset.pk, "seed": 1}
    )
    assert response.status_code == 302
    assert ModelJob.objects.get().administration == kenya
    response = client.post(reverse("algorithms:job_create"), {"kind": "aihs_train", "seed": 1})
    assert response.status_code == 400 and "Choose the administration the job is for." in response.content.decode()


def test_a_job_without_its_dataset_is_told_to_choose_the_dataset_not_the_administration(client, staff, kenya):
    client.force_login(staff)
    response = client.post(reverse("algorithms:job_create"), {"kind": "date_train", "seed": 1})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {"dataset": ["Choose a dataset."]}
    assert not ModelJob.objects.exists()


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", 'Frozen shrimps of the genus "Penaeus"'),
        ("fr", "Crevettes du genre «Penaeus»"),
    ],
)
def test_a_suggestion_of_the_nomenclature_model_shows_the_closest_eu_tariff_line_in_the_readers_language(
    client, contact_point, language, line
):
    """The real default model (not the tiny test engine): the 8-digit line of the EU tariff behind the first code."""
    client.force_login(contact_point)
    url = f"/{language}/algorithms/hs/?description=" + "frozen+shrimps+of+the+genus+Penaeus,+peeled"
    page = client.get(url).content.decode()
    assert "030617" in page and "0306179" in page
    assert line in page.replace("&quot;", '"').replace("&#x27;", "'")

"""Declarations as administrations publish them, through the upload page and ``POST /api/v1/datasets/``: the public
HS10 file (codes that lost their leading zero in a spreadsheet) is taken and its HS6 derived; a file with renamed
and extra columns goes through the mapping step, whose choice is saved for the administration and preselected at
the next upload; access for the owner, another administration's contact point and the anonymous."""

import csv
import io
import json
import os
import time

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from algorithms import runner, services
from algorithms.declarations import COLUMNS, read_declarations
from algorithms.models import ColumnMapping, Dataset
from bacuda_portal.members.models import Administration
from tests.algorithms.conftest import csv_upload
from tests.algorithms.factories import sample_csv

pytestmark = pytest.mark.django_db
UPLOAD = reverse("algorithms:dataset_upload")


def _rows(rows: int) -> list[dict]:
    return list(csv.DictReader(io.StringIO(sample_csv(rows).decode())))


def _write(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def hs10_file(rows: int = 200) -> tuple[bytes, int]:
    """The public HS10 file's shape: "HS10 Code" in place of "HS6 Code", ten digits, read by a spreadsheet as a
    number (so chapters 01-09 lost their zero). Returns the file and how many codes lost it."""
    header = [("HS10 Code" if column == "HS6 Code" else column) for column in COLUMNS]
    lines, lost = [], 0
    for row in _rows(rows):
        code = str(int(row["HS6 Code"] + "1090"))
        lost += len(code) == 9
        lines.append([code if column == "HS6 Code" else row[column] for column in COLUMNS])
    return _write(header, lines), lost


RENAMED = {"Declaration ID": "N° Déclaration", "Importer ID": "Importateur", "HS6 Code": "Commodity code",
           "Net Mass": "Poids net", "Item Price": "Valeur en douane", "Fraud": "Fraude",
           "Critical Fraud": "Fraude critique", "Tax Rate": "duty_rate"}  # fmt: skip
# Extra columns: a number, a category, and "Cost" that a fuzzy reading does not tie to any field.
EXTRA = ("Containers", "Inspector", "Cost")


def renamed_file(rows: int = 60) -> bytes:
    header = [RENAMED.get(column, column) for column in COLUMNS] + list(EXTRA)
    lines = [
        [row[column] for column in COLUMNS] + [str(index % 4), ("ANN", "BOB")[index % 2], f"{index * 1.5:.1f}"]
        for index, row in enumerate(_rows(rows))
    ]
    return _write(header, lines)


def _post(client, content: bytes, name="Extract", **extra):
    kenya = Administration.objects.get(code="KEN").pk
    data = {"administration": kenya, "kind": "declarations", "name": name, "description": "Typed by hand",
            "file": csv_upload(content)}  # fmt: skip
    data.update(extra)
    return client.post(UPLOAD, data)


def _stored(dataset: Dataset):
    return read_declarations(dataset.file.path)


# --- The public HS10 file ---------------------------------------------------------------------------------------
def test_the_public_hs10_shape_is_accepted_with_hs6_derived_and_the_restored_zeros_counted(client, contact_point):
    content, lost = hs10_file(200)
    assert lost > 5  # the slice has codes that lost their zero
    client.force_login(contact_point)
    response = _post(client, content)
    assert response.status_code == 302, response.content.decode()[:3000]
    dataset = Dataset.objects.get()
    assert dataset.restored_codes == lost and dataset.tariff_code_column == "HS10 Code"
    assert dataset.code_lengths == {"10": 200} and dataset.column_mapping["HS6 Code"] == "HS10 Code"
    frame = _stored(dataset)
    assert list(frame["HS6 Code"]) == [row["HS6 Code"] for row in _rows(200)]  # as the HS6 version publishes them
    assert list(frame["Tariff Code"]) == [row["HS6 Code"] + "1090" for row in _rows(200)]  # national, zero back
    page = client.get(response.url).content.decode()
    assert f"{lost} tariff codes had lost their leading zero" in page  # the upload result
    assert "Tariff codes restored" in page and f"<dd>{lost}<span" in page  # the dataset page
    assert "10 digits: 200 rows" in page


def test_the_old_refusal_of_the_hs10_file_is_gone_from_the_api(contact_point):
    api = APIClient()
    api.force_authenticate(contact_point)
    content, lost = hs10_file(50)
    response = api.post("/api/v1/datasets/", {"name": "HS10", "file": csv_upload(content)}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["restored_codes"] == lost and body["tariff_code_column"] == "HS10 Code"
    assert "Missing columns" not in response.content.decode()


def test_a_date_training_job_runs_on_an_hs10_upload(settings, tmp_path, kenya, contact_point):
    pytest.importorskip("algorithms.engines.date")
    settings.BACUDA_MODEL_JOB_WORK_DIR = tmp_path / "jobs"
    content, lost = hs10_file(None)
    dataset = services.dataset_upload(
        administration=kenya, kind="declarations", name="HS10", uploaded=csv_upload(content), by=contact_point
    )
    assert dataset.row_count == 3000 and dataset.restored_codes == lost > 0
    job = services.job_submit(
        kind="date_train",
        administration=kenya,
        dataset=dataset,
        params={"xgb_rounds": 30, "date_trees": 10, "date_epochs": 2, "date_dim": 8},
        seed=1,
        by=contact_point,
    )
    job = runner.job_run(job_id=job.pk, heartbeat=False)
    assert job.status == "succeeded", job.error + job.log[-3000:]
    assert job.produced_version is not None


# --- The mapping step -------------------------------------------------------------------------------------------
def _mapping_post(page_form: dict, mapping: dict) -> dict:
    data = dict(page_form)
    data.update({f"map_{COLUMNS.index(field)}": column for field, column in mapping.items()})
    return data


def _shown_choices(page: str) -> dict:
    """The column preselected for each field on the mapping step."""
    chosen = {}
    for index, field in enumerate(COLUMNS):
        start = page.index(f'name="map_{index}"')
        select = page[start : page.index("</select>", start)]
        marker = select.find("selected>")
        chosen[field] = "" if marker < 0 else select[:marker].rsplit('value="', 1)[1].split('"', 1)[0]
    return chosen


def test_renamed_and_extra_columns_go_through_the_mapping_step_then_are_preselected(client, contact_point, kenya):
    client.force_login(contact_point)
    first = _post(client, renamed_file())
    page = first.content.decode()
    assert first.status_code == 200 and "Map the file's columns" in page
    assert 'value="Extract"' in page and "Typed by hand" in page  # nothing typed is lost
    assert "Kept from the previous step: declarations.csv" in page
    assert not Dataset.objects.exists()
    suggested = _shown_choices(page)
    assert suggested["HS6 Code"] == "Commodity code" and suggested["Net Mass"] == "Poids net"
    assert suggested["Tax Rate"] == "duty_rate" and suggested["Declaration ID"] == "N° Déclaration"
    token = page.split('name="pending" value="', 1)[1].split('"', 1)[0]
    # The user maps Item Price to the extra "Cost" column (a choice no name suggests), the rest as suggested.
    mapping = {**suggested, "Item Price": "Cost"}
    form = {"administration": kenya.pk, "kind": "declarations", "name": "Extract", "description": "", "pending": token}
    second = client.post(UPLOAD, _mapping_post(form, mapping))
    assert second.status_code == 302, second.content.decode()[:3000]
    dataset = Dataset.objects.get()
    assert dataset.column_mapping["Item Price"] == "Cost" and dataset.row_count == 60
    assert set(dataset.extra_columns) == {"Containers", "Inspector", "Valeur en douane"}
    assert dataset.extra_columns["Containers"]["kind"] == "numeric"
    assert dataset.extra_columns["Inspector"]["kind"] == "categorical"
    frame = _stored(dataset)
    assert {"Containers", "Inspector", "Valeur en douane", "Tariff Code"} <= set(frame.columns)
    assert list(frame["Item Price"][:3]) == [0.0, 1.5, 3.0]
    saved = ColumnMapping.objects.get(administration=kenya)
    assert saved.mapping["Item Price"] == "Cost" and saved.updated_by == contact_point
    detail = client.get(dataset.get_absolute_url()).content.decode()
    assert "Extra columns" in detail and "Containers" in detail and "numeric" in detail
    # The kept file is gone once used.
    assert client.post(UPLOAD, _mapping_post(form, mapping)).status_code == 400
    # Next upload: the saved choice is preselected.
    again = _post(client, renamed_file(10), name="Next month")
    assert again.status_code == 200 and _shown_choices(again.content.decode())["Item Price"] == "Cost"


def test_a_mapping_that_cannot_be_used_is_refused_on_its_fields_and_the_file_is_kept(client, contact_point, kenya):
    client.force_login(contact_point)
    page = _post(client, renamed_file()).content.decode()
    token = page.split('name="pending" value="', 1)[1].split('"', 1)[0]
    mapping = {**_shown_choices(page), "Date": "Importateur", "Office ID": ""}
    form = {"administration": kenya.pk, "kind": "declarations", "name": "Kept", "description": "", "pending": token}
    response = client.post(UPLOAD, _mapping_post(form, mapping))
    text = response.content.decode()
    assert response.status_code == 400
    assert "The mapping cannot be used" in text and "Choose the file&#x27;s column for this field." in text
    assert "is already used for" in text and 'value="Kept"' in text
    assert not Dataset.objects.exists() and not ColumnMapping.objects.exists()
    fixed = client.post(UPLOAD, _mapping_post(form, _shown_choices(page)))
    assert fixed.status_code == 302 and Dataset.objects.get().name == "Kept"


def test_a_file_that_cannot_be_mapped_is_still_refused_with_its_missing_columns(client, contact_point, kenya):
    client.force_login(contact_point)
    response = _post(client, b"Declaration ID,Date,Colour\n1,2020-01-01,red\n", administration=kenya.pk)
    assert response.status_code == 400 and "Missing columns: Office ID" in response.content.decode()


# --- The API ----------------------------------------------------------------------------------------------------
def test_the_api_answers_the_suggested_mapping_then_takes_a_json_mapping(contact_point, kenya):
    api = APIClient()
    api.force_authenticate(contact_point)
    asked = api.post("/api/v1/datasets/", {"name": "x", "file": csv_upload(renamed_file())}, format="multipart")
    assert asked.status_code == 400
    body = asked.json()
    assert body["columns"][-3:] == list(EXTRA) and body["suggested_mapping"]["HS6 Code"] == "Commodity code"
    mapping = body["suggested_mapping"]
    for bad, message in (
        ("[1, 2]", "Give the mapping as an object"),
        ("not json", "Not valid JSON"),
        (json.dumps({**mapping, "Date": "Nowhere"}), "Date: There is no column “Nowhere” in the file."),
        ("[" * 200 + "]" * 200, "nest"),
    ):
        refused = api.post(
            "/api/v1/datasets/",
            {"name": "x", "file": csv_upload(renamed_file()), "column_mapping": bad},
            format="multipart",
        )
        assert refused.status_code == 400 and message in refused.content.decode(), (bad[:20], refused.content)
    assert not Dataset.objects.exists()
    taken = api.post(
        "/api/v1/datasets/",
        {"name": "mapped", "file": csv_upload(renamed_file()), "column_mapping": json.dumps(mapping)},
        format="multipart",
    )
    assert taken.status_code == 201, taken.content
    assert taken.json()["column_mapping"] == mapping and "Containers" in taken.json()["extra_columns"]
    assert ColumnMapping.objects.get(administration=kenya).mapping == mapping
    # Saved: the next upload without a mapping is suggested it first.
    again = api.post("/api/v1/datasets/", {"name": "y", "file": csv_upload(renamed_file())}, format="multipart")
    assert again.json()["suggested_mapping"] == mapping


def test_a_column_mapping_is_for_declarations_only(contact_point):
    api = APIClient()
    api.force_authenticate(contact_point)
    response = api.post(
        "/api/v1/datasets/",
        {"name": "x", "kind": "hs_labelled", "file": csv_upload(b"description,hs_code\nfish,030510\n"),
         "column_mapping": "{}"},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 400 and "Only a declarations upload" in response.content.decode()


# --- Access -----------------------------------------------------------------------------------------------------
def test_the_anonymous_cannot_upload_or_map(client, kenya):
    response = _post(client, renamed_file(), administration=kenya.pk)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    api = APIClient()
    refused = api.post("/api/v1/datasets/", {"name": "x", "file": csv_upload(renamed_file())}, format="multipart")
    assert refused.status_code == 401
    assert not Dataset.objects.exists() and not ColumnMapping.objects.exists()


def test_another_administrations_contact_point_can_neither_use_the_kept_file_nor_see_the_saved_mapping(
    client, contact_point, other_contact_point, kenya, senegal
):
    kenya_client = Client()
    kenya_client.force_login(contact_point)
    page = _post(kenya_client, renamed_file()).content.decode()
    token = page.split('name="pending" value="', 1)[1].split('"', 1)[0]
    mapping = {**_shown_choices(page), "Item Price": "Cost"}
    # Senegal's contact point, in another session, with Kenya's token: the kept file is not theirs.
    client.force_login(other_contact_point)
    form = {"administration": senegal.pk, "kind": "declarations", "name": "Stolen", "description": "", "pending": token}
    response = client.post(UPLOAD, _mapping_post(form, mapping))
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    # Nor upload for Kenya.
    response = client.post(UPLOAD, _mapping_post({**form, "administration": kenya.pk, "pending": ""}, mapping))
    assert response.status_code == 400 and not Dataset.objects.exists()
    # Kenya, in its own session, saves its mapping; Senegal's upload of the same layout is not preselected with it.
    kenya_form = {**form, "administration": kenya.pk, "name": "Kenya", "pending": token}
    assert kenya_client.post(UPLOAD, _mapping_post(kenya_form, mapping)).status_code == 302
    senegal_page = _post(client, renamed_file(), administration=senegal.pk).content.decode()
    assert _shown_choices(senegal_page)["Item Price"] == "Valeur en douane"  # from the name, not Kenya's "Cost"
    api = APIClient()
    api.force_authenticate(other_contact_point)
    asked = api.post("/api/v1/datasets/", {"name": "x", "file": csv_upload(renamed_file())}, format="multipart")
    assert asked.json()["suggested_mapping"]["Item Price"] == "Valeur en douane"
    named_kenya = api.post(
        "/api/v1/datasets/",
        {"name": "x", "administration": "KEN", "file": csv_upload(renamed_file()),
         "column_mapping": json.dumps(mapping)},
        format="multipart",
    )  # fmt: skip
    assert named_kenya.status_code == 400 and "administration" in named_kenya.json()
    assert ColumnMapping.objects.get().administration == kenya and Dataset.objects.get().administration == kenya


def test_files_kept_for_an_unfinished_mapping_step_are_swept_after_a_day(client, contact_point, eager_tasks):
    from algorithms import tasks
    from bacuda_portal.core.uploads import get_private_storage

    storage = get_private_storage()

    def kept_files() -> set:
        if not storage.exists(services.PENDING_DIR):
            return set()
        return {services.PENDING_DIR + name for name in storage.listdir(services.PENDING_DIR)[1]}

    before = kept_files()  # other tests' mapping steps may have left files (fresh ones: the sweep keeps them)
    client.force_login(contact_point)
    assert _post(client, renamed_file()).status_code == 200
    assert _post(client, renamed_file(), name="Second").status_code == 200
    kept = sorted(kept_files() - before)
    assert len(kept) == 2
    old = time.time() - 25 * 3600
    os.utime(storage.path(kept[0]), (old, old))
    tasks.sweep_pending_uploads.delay()  # as the beat sends it (run eagerly here)
    assert [storage.exists(name) for name in kept] == [False, True]

"""Image sets (issue 15): a ZIP of class folders, split folders, or pictures with a labels CSV, checked like every
upload on the upload page and through the API; hostile archives are refused with the file named and nothing is
kept; the dataset page shows the classes, sizes and a contact sheet served only to the owner and staff; classes map
to HS codes checked against the nomenclature."""

import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from algorithms import image_sets, services
from algorithms.models import Dataset
from bacuda_portal.core.models import AuditEntry
from tests.algorithms import image_samples as samples
from tests.upload_samples import png_bomb

pytestmark = pytest.mark.django_db


def _stored(settings) -> set:
    return set((Path(settings.PRIVATE_MEDIA_ROOT) / "algorithms" / "datasets").rglob("*"))


def _post(client, content: bytes, *, kind="images", name="Fruit", administration=None):
    return client.post(
        reverse("algorithms:dataset_upload"),
        {"administration": administration.pk, "kind": kind, "name": name, "file": samples.upload(content)},
    )


# --- accepted layouts ---------------------------------------------------------------------------------------------
def test_a_zip_of_class_folders_is_checked_kept_and_described(client, contact_point, kenya):
    client.force_login(contact_point)
    response = _post(client, samples.zip_bytes(samples.class_folders(6)), administration=kenya)
    dataset = Dataset.objects.get()
    assert response.status_code == 302
    assert response.url == dataset.get_absolute_url()
    assert dataset.kind == "images" and dataset.row_count == 18 and dataset.has_labels
    assert dataset.file.name.endswith(".zip")
    summary = dataset.summary
    assert summary["layout"] == "folders"
    assert summary["classes"] == {"apple": 6, "banana": 6, "lime": 6}
    assert summary["formats"] == {"PNG": 9, "JPEG": 9}
    assert summary["width"] == {"min": 48, "median": 48, "max": 48}
    assert len(summary["samples"]) == 12  # four a class
    assert AuditEntry.objects.filter(action="algorithms.dataset.uploaded").count() == 1

    page = client.get(dataset.get_absolute_url()).content.decode()
    assert "apple" in page and "banana" in page and "Picture sizes (pixels)" in page
    assert page.count(reverse("algorithms:dataset_thumbnail", args=[dataset.pk, 0])) == 1
    assert reverse("algorithms:dataset_thumbnail", args=[dataset.pk, 11]) in page


def test_a_zipped_folder_with_train_val_test_splits_keeps_the_splits(client, contact_point, kenya):
    members = {f"grocery/{name}": data for name, data in samples.split_folders().items()}
    client.force_login(contact_point)
    assert _post(client, samples.zip_bytes(members), administration=kenya).status_code == 302
    summary = Dataset.objects.get().summary
    assert summary["layout"] == "splits"
    assert summary["splits"]["train"] == {"apple": 6, "banana": 6, "lime": 6}
    assert summary["splits"]["val"]["lime"] == 2
    assert summary["classes"]["apple"] == 10


def test_pictures_with_a_labels_csv_are_accepted(client, contact_point, kenya):
    client.force_login(contact_point)
    assert _post(client, samples.zip_bytes(samples.pictures_with_labels()), administration=kenya).status_code == 302
    summary = Dataset.objects.get().summary
    assert summary["layout"] == "csv"
    assert summary["classes"] == {"apple": 5, "banana": 5}


def test_pictures_to_score_need_no_classes(client, contact_point, kenya):
    client.force_login(contact_point)
    response = _post(client, samples.zip_bytes(samples.unlabelled(4)), kind="images_to_score", administration=kenya)
    assert response.status_code == 302
    dataset = Dataset.objects.get()
    assert dataset.row_count == 4 and not dataset.has_labels and dataset.summary["classes"] == {}


def test_macos_junk_is_ignored(client, contact_point, kenya):
    members = samples.class_folders(5, ("apple", "banana"))
    members["__MACOSX/apple/._apple-0.png"] = b"\x00\x05\x16\x07"
    members["apple/.DS_Store"] = b"junk"
    client.force_login(contact_point)
    assert _post(client, samples.zip_bytes(members), administration=kenya).status_code == 302
    assert Dataset.objects.get().row_count == 10


# --- hostile and broken archives ----------------------------------------------------------------------------------
REFUSED = {
    "zip bomb": (samples.zip_bomb, "apple/bomb.png", "which only a zip bomb does"),
    "traversal": (samples.with_traversal, "../../etc/evil.png", "leads out of the archive"),
    "absolute name": (samples.with_traversal, "/abs/apple.png", "An absolute path is not accepted"),
    "symbolic link": (samples.with_symlink, "apple/link.png", "Symbolic links are not accepted"),
    "non-image": (samples.with_non_image_and_empty_file, "apple/notes.png", "This is not a PNG or JPEG picture."),
    "pdf": (samples.with_non_image_and_empty_file, "banana/report.pdf", "This is not a PNG or JPEG picture."),
    "0-byte file": (samples.with_non_image_and_empty_file, "banana/empty.jpg", "The file is empty (0 bytes)."),
    "not a zip": (lambda: b"PK\x03\x04 broken" * 10, "", "This is not a readable ZIP archive."),
    "one class": (lambda: samples.zip_bytes(samples.class_folders(5, ("apple",))), "", "not in a class folder"),
    "few pictures": (lambda: samples.zip_bytes(samples.class_folders(3)), "apple", "each class needs at least 5"),
    "no class folder": (
        lambda: samples.zip_bytes({"loose.png": samples.picture("apple", 1)}),
        "loose.png",
        "not in a class folder",
    ),
    "unlabelled picture": (
        lambda: samples.zip_bytes({**samples.pictures_with_labels(), "pictures/extra.png": samples.picture("lime", 1)}),
        "pictures/extra.png",
        "This picture has no label in the labels file.",
    ),
    "decompression bomb": (
        lambda: samples.zip_bytes(
            {**samples.class_folders(5, ("apple", "banana")), "apple/huge.png": png_bomb()},
            compression=zipfile.ZIP_STORED,  # not refused from the directory: decoding must catch it
        ),
        "apple/huge.png",
        "more than 40 million pixels",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_the_upload_page_refuses_a_hostile_archive_naming_the_file_and_keeps_nothing(
    client, contact_point, kenya, settings, case
):
    build, name, message = REFUSED[case]
    before = _stored(settings)
    client.force_login(contact_point)
    response = _post(client, build(), administration=kenya, name="Kept name")
    page = response.content.decode()
    assert response.status_code == 400
    assert "The file was refused: see the problems below." in page
    assert message in page
    if name:
        assert f"<td>{name}</td>" in page
    assert 'value="Kept name"' in page
    assert not Dataset.objects.exists()
    assert _stored(settings) == before


def test_a_bomb_is_refused_from_the_directory_before_anything_is_decompressed(monkeypatch):
    opened = []
    monkeypatch.setattr(image_sets.checks, "_read_member", lambda *args: opened.append(args) or b"")
    report = image_sets.inspect_archive(samples.upload(samples.zip_bomb()))
    assert not report.ok and opened == []


def test_too_many_files_and_too_much_unpacked_are_refused(settings, monkeypatch):
    settings.BACUDA_IMAGE_SET_MAX_FILES = 30
    report = image_sets.inspect_archive(samples.upload(samples.too_many_files(31)))
    assert [problem.message for problem in report.problems] == ["The archive holds 31 files; the limit is 30."]
    settings.BACUDA_IMAGE_SET_MAX_FILES = 10  # far beyond the cap: refused from the end record, before parsing
    opened = []
    monkeypatch.setattr(image_sets.checks, "open_archive", lambda *args: opened.append(args))
    report = image_sets.inspect_archive(samples.upload(samples.too_many_files(31)))
    assert [problem.message for problem in report.problems] == ["The archive holds 31 files; the limit is 10."]
    assert opened == []
    monkeypatch.undo()
    settings.BACUDA_IMAGE_SET_MAX_FILES = 1000
    settings.BACUDA_IMAGE_SET_MAX_UNCOMPRESSED_MEGABYTES = 1
    members = {**samples.class_folders(5), "apple/big.png": __import__("os").urandom(2 * 1024 * 1024)}
    report = image_sets.inspect_archive(samples.upload(samples.zip_bytes(members)))
    assert report.problems[0].message.startswith("Unpacked, the archive would take")
    assert report.problems[0].message.endswith("the limit is 1 MB.")


def test_an_archive_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.BACUDA_IMAGE_SET_MAX_MEGABYTES = 1

    class Huge(io.BytesIO):
        size = 2 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("read")

    report = image_sets.inspect_archive(Huge())
    assert report.problems[0].message == "The file is too large (2.0 MB); the limit is 1 MB."


def test_the_api_refuses_a_hostile_archive_and_keeps_nothing(contact_point, settings):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=contact_point).key}")
    before = _stored(settings)
    response = api.post(
        "/api/v1/datasets/",
        {"name": "x", "kind": "images", "file": samples.upload(samples.with_traversal())},
        format="multipart",
    )
    assert response.status_code == 400
    assert "leads out of the archive" in str(response.json())
    assert not Dataset.objects.exists() and _stored(settings) == before


# --- the engine's copy, thumbnails ----------------------------------------------------------------------------------
def test_extraction_writes_the_engine_layout_under_names_the_portal_makes(tmp_path):
    path = tmp_path / "set.zip"
    path.write_bytes(samples.zip_bytes(samples.split_folders()))
    written = image_sets.extract_image_set(path, tmp_path / "root")
    assert len(written) == 30
    assert sorted(p.name for p in (tmp_path / "root").iterdir()) == ["test", "train", "val"]
    assert sorted(p.name for p in (tmp_path / "root" / "train").iterdir()) == ["apple", "banana", "lime"]
    assert len(list((tmp_path / "root" / "train" / "lime").iterdir())) == 6


def test_extraction_checks_the_archive_again(tmp_path):
    path = tmp_path / "set.zip"
    path.write_bytes(samples.with_traversal())
    with pytest.raises(Exception, match="leads out of the archive"):
        image_sets.extract_image_set(path, tmp_path / "root")
    assert not (tmp_path / "etc").exists()


def _image_dataset(kenya, contact_point):
    return services.image_dataset_upload(
        administration=kenya,
        kind="images",
        name="Fruit",
        uploaded=samples.upload(samples.zip_bytes(samples.class_folders(5))),
        by=contact_point,
    )


def test_a_thumbnail_is_a_small_png_served_as_an_attachment_to_the_owner_and_staff_only(
    client, contact_point, other_contact_point, staff, kenya
):
    dataset = _image_dataset(kenya, contact_point)
    url = reverse("algorithms:dataset_thumbnail", args=[dataset.pk, 0])
    for user in (contact_point, staff):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        with Image.open(io.BytesIO(response.content)) as thumbnail:
            assert thumbnail.format == "PNG" and max(thumbnail.size) <= 160
    assert client.get(reverse("algorithms:dataset_thumbnail", args=[dataset.pk, 99])).status_code == 404
    client.force_login(other_contact_point)
    assert client.get(url).status_code == 404
    assert client.get(dataset.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


# --- HS codes of the classes --------------------------------------------------------------------------------------
def test_classes_map_to_hs_codes_checked_against_the_nomenclature(client, contact_point, other_contact_point, kenya):
    dataset = _image_dataset(kenya, contact_point)
    url = reverse("algorithms:dataset_hs_codes", args=[dataset.pk])
    client.force_login(contact_point)
    response = client.post(url, {"class_0": "0808.10", "class_1": "999999", "class_2": ""})
    assert response.status_code == 400
    assert "999999 is not a subheading of the HS 2022 nomenclature." in response.content.decode()
    dataset.refresh_from_db()
    assert dataset.hs_codes == {}
    response = client.post(url, {"class_0": "0808.10", "class_1": "0803 90", "class_2": ""})
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.hs_codes == {"apple": "080810", "banana": "080390"}
    assert 'value="080810"' in client.get(dataset.get_absolute_url()).content.decode()
    client.force_login(other_contact_point)
    assert client.post(url, {"class_0": "080510"}).status_code == 404
    dataset.refresh_from_db()
    assert dataset.hs_codes == {"apple": "080810", "banana": "080390"}


def test_only_a_labelled_image_set_takes_hs_codes(client, contact_point, kenya):
    dataset = services.image_dataset_upload(
        administration=kenya,
        kind="images_to_score",
        name="New",
        uploaded=samples.upload(samples.zip_bytes(samples.unlabelled(3))),
        by=contact_point,
    )
    client.force_login(contact_point)
    assert client.post(reverse("algorithms:dataset_hs_codes", args=[dataset.pk]), {}).status_code == 404


def test_the_stored_archive_is_the_upload(kenya, contact_point):
    content = samples.zip_bytes(samples.class_folders(5))
    dataset = services.image_dataset_upload(
        administration=kenya, kind="images", name="Fruit", uploaded=samples.upload(content), by=contact_point
    )
    with dataset.file.open("rb") as handle:
        assert handle.read() == content
    with zipfile.ZipFile(dataset.file.path) as archive:
        assert len(archive.namelist()) == 15

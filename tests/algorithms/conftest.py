import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.algorithms import tiny_engine
from tests.algorithms.factories import DatasetFactory, sample_csv


@pytest.fixture
def tiny_engines(settings, tmp_path):
    """The job runner calls the tiny test engine; jobs work in a temporary folder."""
    settings.BACUDA_ALGORITHM_ENGINES = dict(tiny_engine.ENGINES)
    settings.BACUDA_MODEL_JOB_WORK_DIR = tmp_path / "jobs"
    return settings


@pytest.fixture
def kenya_dataset(kenya, contact_point):
    return DatasetFactory(administration=kenya, uploaded_by=contact_point, name="Kenya 2020")


@pytest.fixture
def senegal_dataset(senegal, other_contact_point):
    return DatasetFactory(administration=senegal, uploaded_by=other_contact_point, name="Senegal 2020")


def csv_upload(content: bytes, name: str = "declarations.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def sample_upload():
    return csv_upload(sample_csv())

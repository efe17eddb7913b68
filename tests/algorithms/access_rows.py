"""The algorithms rows of the access matrix (tests/test_access_matrix.py) and the objects they need.

The world: a published DATE card with a published version (trained on Kenya's data by a job), Kenya's dataset,
a queued job with a file and a labelled goods description (AI-HS feedback), all owned by Kenya. (The card's PDF
is a report: its row is in tests/reports/access_rows.py.)
"""

from tests.access_roles import API_PUBLIC, KENYA_PAGE, PUBLIC, STAFF_ONLY

from .factories import (
    AlgorithmFactory,
    AlgorithmVersionFactory,
    DatasetFactory,
    HsLabelledDescriptionFactory,
    JobArtifactFactory,
    ModelJobFactory,
)

MODEL_USERS = ("L", "ok", "ok", "ok", "404", "404")  # staff and every contact point (each sees their own)
API_MODEL_USERS = ("401", "ok", "ok", "ok", "404", "404")
API_KENYA = ("401", "ok", "ok", "404", "404", "404")


def _slug(w):
    return {"slug": w["algorithm"].slug}


def _version(w):
    return {"pk": w["algorithm_version"].pk}


def _job(w):
    return {"pk": w["model_job"].pk}


def _label(w):
    return {"pk": w["hs_label"].pk}


ROWS = {
    "algorithms:catalogue": ("get", None, PUBLIC),
    "algorithms:card": ("get", _slug, PUBLIC),
    "algorithms:card_edit": ("get", _slug, STAFF_ONLY),
    "algorithms:card_publication": ("post", lambda w: {**_slug(w), "action": "request"}, STAFF_ONLY),
    "algorithms:version_detail": ("get", _version, PUBLIC),
    "algorithms:version_edit": ("post", _version, STAFF_ONLY),
    "algorithms:version_publication": ("post", lambda w: {**_version(w), "action": "withdraw"}, STAFF_ONLY),
    "algorithms:version_alias": ("post", _version, STAFF_ONLY),
    "algorithms:dataset_list": ("get", None, MODEL_USERS),
    "algorithms:dataset_upload": ("get", None, MODEL_USERS),
    "algorithms:dataset_detail": ("get", lambda w: {"pk": w["dataset"].pk}, KENYA_PAGE),
    "algorithms:dataset_download": ("get", lambda w: {"pk": w["dataset"].pk}, KENYA_PAGE),
    "algorithms:dataset_thumbnail": ("get", lambda w: {"pk": w["image_dataset"].pk, "index": 0}, KENYA_PAGE),
    "algorithms:dataset_hs_codes": ("post", lambda w: {"pk": w["image_dataset"].pk}, KENYA_PAGE),
    "algorithms:job_list": ("get", None, MODEL_USERS),
    "algorithms:job_create": ("get", None, MODEL_USERS),
    "algorithms:job_detail": ("get", _job, KENYA_PAGE),
    "algorithms:job_status": ("get", _job, KENYA_PAGE),
    "algorithms:job_cancel": ("post", _job, KENYA_PAGE),
    "algorithms:job_rerun": ("post", _job, KENYA_PAGE),
    "algorithms:artifact_download": ("get", lambda w: {"pk": w["job_artifact"].pk}, KENYA_PAGE),
    "algorithms:hs_suggest": ("get", None, MODEL_USERS),
    # AI-HS feedback and review (issue 13): a POST without a token, ids or administration is a 400 for those let in
    "algorithms:hs_feedback": ("post", None, MODEL_USERS),
    "algorithms:hs_labelled_list": ("get", None, MODEL_USERS),
    "algorithms:hs_labelled_review": ("post", None, MODEL_USERS),
    "algorithms:hs_labelled_train": ("post", None, MODEL_USERS),
    "algorithms:hs_batch": ("get", None, MODEL_USERS),
    # image analysis (issue 15): a POST without a picture or codes is a 400 for those let in
    "algorithms:image_classify": ("get", None, MODEL_USERS),
    "v1:image-classification-list": ("post", None, API_MODEL_USERS),
    "v1:dataset-hs-codes": ("post", lambda w: {"pk": w["image_dataset"].pk}, API_KENYA),
    "v1:algorithm-list": ("get", None, API_PUBLIC),
    "v1:algorithm-detail": ("get", _slug, API_PUBLIC),
    "v1:algorithm-version-list": ("get", None, API_PUBLIC),
    "v1:algorithm-version-detail": ("get", _version, API_PUBLIC),
    "v1:dataset-list": ("get", None, API_MODEL_USERS),
    "v1:dataset-detail": ("get", lambda w: {"pk": w["dataset"].pk}, API_KENYA),
    "v1:model-job-list": ("get", None, API_MODEL_USERS),
    "v1:model-job-detail": ("get", _job, API_KENYA),
    "v1:model-job-cancel": ("post", _job, API_KENYA),
    "v1:hs-suggestion-list": ("post", None, API_MODEL_USERS),  # no description: 400 for those let in
    "v1:hs-feedback-list": ("get", None, API_MODEL_USERS),
    "v1:hs-feedback-detail": ("get", _label, API_KENYA),
    "v1:hs-feedback-accept": ("post", _label, API_KENYA),
    "v1:hs-feedback-reject": ("post", _label, API_KENYA),
    "v1:hs-feedback-review": ("post", None, API_MODEL_USERS),  # no ids: 400 for those let in
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    """Objects these rows name, added to the shared world (``base``)."""
    algorithm = AlgorithmFactory(slug="date", kind="date", publication="published")
    dataset = DatasetFactory(administration=kenya, uploaded_by=cast["contact_point"])
    job = ModelJobFactory(dataset=dataset, administration=kenya, created_by=cast["contact_point"])
    artifact = JobArtifactFactory(job=job)
    version = AlgorithmVersionFactory(
        algorithm=algorithm, administration=kenya, job=job, publication="published", number=1
    )
    return {
        "algorithm": algorithm,
        "algorithm_version": version,
        "dataset": dataset,
        "model_job": job,
        "job_artifact": artifact,
        "image_dataset": _image_dataset(kenya, cast["contact_point"]),
        "hs_label": HsLabelledDescriptionFactory(administration=kenya, created_by=cast["contact_point"]),
    }


def _image_dataset(kenya, contact_point):
    from algorithms import services
    from tests.algorithms import image_samples

    return services.image_dataset_upload(
        administration=kenya,
        kind="images",
        name="Fruit",
        uploaded=image_samples.upload(image_samples.zip_bytes(image_samples.class_folders(5))),
        by=contact_point,
    )

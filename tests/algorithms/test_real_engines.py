"""The real engines (DATE, AI-Synth, AI-HS) run through the job machinery on the shipped 3,000-row sample.

Small parameters keep each test well under 30 s on two cores; the benchmarks in ``benchmarks/`` measure quality
on the full public data. An engine module that is not in the tree yet is skipped by name.
"""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from algorithms import hs, runner, services
from tests.algorithms.factories import SAMPLE

pytestmark = pytest.mark.django_db
os.environ.setdefault("OMP_NUM_THREADS", "1")
FAST_DATE = {"xgb_rounds": 30, "date_trees": 10, "date_epochs": 2, "date_dim": 8}


@pytest.fixture
def real_engines(settings, tmp_path):
    settings.BACUDA_MODEL_JOB_WORK_DIR = tmp_path / "jobs"
    return settings


@pytest.fixture
def sample_dataset(kenya, contact_point):
    upload = SimpleUploadedFile("sample.csv", SAMPLE.read_bytes(), content_type="text/csv")
    return services.dataset_upload(
        administration=kenya, kind="declarations", name="Public sample", uploaded=upload, by=contact_point
    )


def _run(**kwargs):
    job = services.job_submit(**kwargs)
    return runner.job_run(job_id=job.pk, heartbeat=False)


def test_date_trains_then_scores_a_ranked_csv(
    real_engines, sample_dataset, kenya, contact_point, other_contact_point, client_as
):
    pytest.importorskip("algorithms.engines.date")
    trained = _run(
        kind="date_train", administration=kenya, dataset=sample_dataset, params=FAST_DATE, seed=1, by=contact_point
    )
    assert trained.status == "succeeded", trained.error + trained.log[-3000:]
    assert {"model", "chart"} <= {artifact.name for artifact in trained.artifacts.all()}
    version = trained.produced_version
    assert version.model_artifact.is_directory and version.metrics == trained.metrics
    # the job page and the version page show how the champion was chosen, every model on all rows and unseen ones
    selection = trained.metrics["champion_selection"]
    # the finer precision/recall/revenue curves and the importance the job pages draw (issue 20)
    from algorithms.engines.fraud_metrics import CURVE_RATES

    curves = trained.metrics["curves"]
    assert curves["rates"] == list(CURVE_RATES) and set(curves["models"]) == set(trained.metrics["models"])
    for model in curves["models"].values():
        assert all(len(model["test"][measure]) == len(CURVE_RATES) for measure in ("precision", "recall", "revenue"))
    assert trained.metrics["feature_importance"]["features"][0][1] > 0
    for url in (trained.get_absolute_url(), version.get_absolute_url()):
        page = client_as(contact_point).get(url).content.decode()
        assert "How the champion was chosen" in page and "Test, unseen combinations" in page
        assert page.index("How the champion was chosen") < page.index("<summary>Every figure the job recorded")
        assert 'id="curve-test-precision"' in page and 'id="date-comparison-test"' in page
        assert "highest precision at 5 % inspected there" in page or not selection["on_unseen"]
        champion_label = trained.metrics["models"][trained.metrics["champion"]]["label"]
        assert f"{champion_label} <strong>(champion)</strong>" in page
        for model in trained.metrics["models"].values():
            assert model["label"] in page
            assert f"{model['test_unseen']['precision@5']:.3f}" in page
        assert client_as(other_contact_point).get(url).status_code == 404
        assert client_as(None).get(url).status_code in (302, 404)
    scored = _run(
        kind="date_score", administration=kenya, dataset=sample_dataset, source_version=version, by=contact_point
    )
    assert scored.status == "succeeded", scored.error + scored.log[-3000:]
    scores = scored.artifacts.get(name="scores").file.read().decode().splitlines()
    assert len(scores) == 3001 and "Declaration ID" in scores[0]


def test_date_refuses_an_unknown_parameter_with_a_clear_reason(real_engines, sample_dataset, kenya, contact_point):
    pytest.importorskip("algorithms.engines.date")
    job = _run(
        kind="date_train", administration=kenya, dataset=sample_dataset, params={"colour": 1}, seed=1, by=contact_point
    )
    assert job.status == "failed" and "colour" in job.error


def test_synth_generates_the_asked_rows(real_engines, sample_dataset, kenya, contact_point):
    pytest.importorskip("algorithms.engines.synth")
    job = _run(
        kind="synth", administration=kenya, dataset=sample_dataset, params={"rows": 500}, seed=2, by=contact_point
    )
    assert job.status == "succeeded", job.error + job.log[-3000:]
    lines = job.artifacts.get(name="synthetic").file.read().decode().splitlines()
    assert len(lines) == 501
    assert job.produced_version.metrics == job.metrics


def test_aihs_nomenclature_model_answers_and_trains(real_engines, kenya, contact_point, staff):
    pytest.importorskip("algorithms.engines.aihs.engine")
    answer = hs.suggest(administration=kenya, description="roasted coffee beans", k=5)
    assert answer["version"] is None and len(answer["suggestions"]) == 5
    assert all(len(item["code"]) == 6 for item in answer["suggestions"])
    job = _run(kind="aihs_train", administration=kenya, seed=3, by=contact_point)
    assert job.status == "succeeded", job.error + job.log[-3000:]
    services.alias_move(version=job.produced_version, name="champion", by=staff)
    answer = hs.suggest(administration=kenya, description="roasted coffee beans", k=3)
    assert answer["version"] == job.produced_version and len(answer["suggestions"]) == 3


def test_aihs_learns_from_accepted_feedback_and_explains_with_its_examples(real_engines, kenya, contact_point):
    """The correction loop with the real engine: accepted descriptions train a version measured against the
    nomenclature-only model on the same held-out rows; once champion, its suggestions show the nearest examples."""
    pytest.importorskip("algorithms.engines.aihs.engine")
    from algorithms.engines.aihs import metrics
    from tests.algorithms.factories import HsLabelledDescriptionFactory

    by_code: dict[str, list[str]] = {}
    for description, code in metrics.labelled_sample():
        by_code.setdefault(code, []).append(description)
    # eight codes with five descriptions each, as an administration's common imports would give
    rows = [
        (d, code) for code, descriptions in sorted(by_code.items()) if len(descriptions) >= 5 for d in descriptions[:5]
    ]
    for description, code in rows[:40]:
        HsLabelledDescriptionFactory(administration=kenya, description=description, code=code, status="accepted")
    job = _run(
        kind="aihs_train", administration=kenya, params={"source": "accepted_feedback"}, seed=4, by=contact_point
    )
    assert job.status == "succeeded", job.error + job.log[-3000:]
    comparison = job.produced_version.metrics["comparison"]
    assert comparison["n_holdout"] == 8 and comparison["champion_model"] == "nomenclature only"
    assert comparison["better"] and comparison["decision"] == {"alias": "champion", "reason": "better"}
    description, code = rows[0]
    answer = hs.suggest(administration=kenya, description=description, k=5)
    assert answer["version"] == job.produced_version
    why = next(item["why"] for item in answer["suggestions"] if item["code"] == code)
    assert why["heading_code"] == code[:4] and why["subheading"] and why["heading"]
    assert {"description": description, "code": code} in why["examples"]

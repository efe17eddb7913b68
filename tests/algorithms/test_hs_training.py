"""AI-HS learns from use (issue 13): the correction loop end to end (feedback on the page and through the API,
review, a training job on the accepted descriptions, the new version compared with the champion on the same
held-out split, the champion alias moving only when it is better) with the tiny engine run by the real runner."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from algorithms import runner, selectors, services
from algorithms.models import AlgorithmVersion, Dataset, HsLabelledDescription, ModelJob, VersionAlias
from bacuda_portal.core.models import AuditEntry
from tests.algorithms.factories import AlgorithmVersionFactory, HsLabelledDescriptionFactory

pytestmark = pytest.mark.django_db

TRAIN = reverse("algorithms:hs_labelled_train")


def _champion(administration):
    return selectors.champion_version(algorithm_kind="aihs", administration=administration)


def _accepted(administration, n, **kwargs):
    return HsLabelledDescriptionFactory.create_batch(n, administration=administration, status="accepted", **kwargs)


def _run(job) -> ModelJob:
    return runner.job_run(job_id=job.pk, heartbeat=False)


def test_the_correction_loop_end_to_end(client, tiny_engines, contact_point, colleague, kenya):
    # 1. Users confirm and correct suggestions, on the page and through the API.
    client.force_login(contact_point)
    for i in range(6):
        description = f"green coffee beans, lot {i}"
        token = client.get(reverse("algorithms:hs_suggest"), {"description": description}).context["feedback"]
        assert (
            client.post(reverse("algorithms:hs_feedback"), {"token": token["token"], "code": "090111"}).status_code
            == 302
        )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=colleague).key}")
    for i in range(6):
        answer = api.post("/api/v1/hs-suggestions/", {"description": f"roasted coffee {i}"}, format="json").json()
        created = api.post("/api/v1/hs-feedback/", {"token": answer["feedback_token"], "code": "090121"}, format="json")
        assert created.status_code == 201
    assert HsLabelledDescription.objects.filter(administration=kenya, status="pending").count() == 12

    # 2. Nothing is trained on before the administration accepts it.
    response = client.post(TRAIN, {"administration": kenya.pk, "seed": 5})
    assert response.status_code == 400
    assert "Training needs at least 10 accepted descriptions; 0 are accepted." in response.content.decode()
    assert not ModelJob.objects.exists()

    # 3. The administration reviews: eleven accepted, one rejected.
    ids = list(HsLabelledDescription.objects.order_by("pk").values_list("pk", flat=True))
    client.post(reverse("algorithms:hs_labelled_review"), {"ids": ids[:11], "decision": "accepted"})
    client.post(reverse("algorithms:hs_labelled_review"), {"row": f"rejected:{ids[11]}"})

    # 4. A training job on the accepted descriptions: they become a labelled dataset, checked like an upload.
    response = client.post(TRAIN, {"administration": kenya.pk, "seed": 5})
    job = ModelJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == "aihs_train" and job.seed == 5
    assert job.params == {"source": "accepted_feedback", "promote": True}
    dataset = job.dataset
    assert dataset.kind == "hs_labelled" and dataset.row_count == 11 and dataset.administration == kenya
    lines = dataset.file.read().decode().splitlines()
    assert lines[0] == "description,hs_code" and len(lines) == 12
    rejected = HsLabelledDescription.objects.get(pk=ids[11]).description
    assert not any(line.startswith(rejected) for line in lines)

    # 5. The new version beats the nomenclature-only model on the held-out split: it becomes the champion.
    job = _run(job)
    assert job.status == "succeeded", job.log
    first = job.produced_version
    comparison = first.metrics["comparison"]
    assert comparison["champion_version"] is None and comparison["better"] is True
    assert comparison["decision"] == {"alias": "champion", "reason": "better"}
    assert job.metrics == first.metrics
    assert _champion(kenya) == first
    assert "Compared with the champion: this version is now the champion." in job.log
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Made the champion" in page and "the model built on the HS nomenclature alone" in page

    # 6. A version that does worse stays the challenger, and its page says why; the champion does not move.
    worse = services.job_submit(
        kind="aihs_train", administration=kenya, params={"source": "accepted_feedback", "hs6_top5": 0.55}, by=colleague
    )
    worse = _run(worse)
    second = worse.produced_version
    assert second.metrics["comparison"]["champion_version"] == {"id": first.pk, "number": first.number}
    assert second.metrics["comparison"]["decision"] == {"alias": "challenger", "reason": "not_better"}
    assert _champion(kenya) == first
    assert VersionAlias.objects.get(administration=kenya, name="challenger").version == second
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Kept as the challenger, not the champion" in page and "55.0 %" in page and "60.0 %" in page
    assert f"the champion, version {first.number}" in page
    job_page = client.get(worse.get_absolute_url()).content.decode()
    assert "Kept as the challenger, not the champion" in job_page

    # 7. A better one takes the champion alias; each move is in the audit log.
    better = services.job_submit(
        kind="aihs_train", administration=kenya, params={"source": "accepted_feedback", "hs6_top5": 0.7}, by=colleague
    )
    third = _run(better).produced_version
    assert _champion(kenya) == third
    moves = AuditEntry.objects.filter(action="algorithms.alias.moved").order_by("pk").values_list("data", flat=True)
    assert [(move["alias"], move["previous_version"]) for move in moves] == [
        ("champion", None),
        ("challenger", None),
        ("champion", first.pk),
    ]


def test_a_rerun_trains_on_the_same_accepted_rows(tiny_engines, contact_point, kenya):
    _accepted(kenya, 10)
    job = services.job_submit(
        kind="aihs_train", administration=kenya, params={"source": "accepted_feedback"}, by=contact_point
    )
    _accepted(kenya, 5)  # accepted after the first job: not in its dataset
    again = services.job_resubmit(job=job, by=contact_point)
    assert again.dataset == job.dataset and again.params == job.params
    assert Dataset.objects.count() == 1 and job.dataset.row_count == 10


def test_training_on_feedback_uses_only_the_administrations_accepted_rows(tiny_engines, contact_point, kenya, senegal):
    _accepted(kenya, 10)
    _accepted(senegal, 30)
    HsLabelledDescriptionFactory.create_batch(5, administration=kenya)  # pending
    job = services.job_submit(
        kind="aihs_train", administration=kenya, params={"source": "accepted_feedback"}, by=contact_point
    )
    assert job.dataset.row_count == 10


def test_another_administrations_training_form_is_refused_like_a_missing_one(client, contact_point, senegal, kenya):
    _accepted(senegal, 12)
    client.force_login(contact_point)
    theirs = client.post(TRAIN, {"administration": senegal.pk, "seed": 1})
    missing = client.post(TRAIN, {"administration": 999999, "seed": 1})
    assert theirs.status_code == missing.status_code == 400
    assert theirs.context["train_form"].errors == missing.context["train_form"].errors
    assert not ModelJob.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"seed": "x"}, "Enter a whole number."),
        ({"seed": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({}, "This field is required."),
    ],
)
def test_bad_training_input_is_refused_and_kept(client, contact_point, kenya, data, message):
    client.force_login(contact_point)
    response = client.post(TRAIN, {"administration": kenya.pk, **data})
    assert response.status_code == 400 and message in response.content.decode()
    if data.get("seed"):
        assert f'value="{data["seed"]}"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"source": "everything"}, "params"),
        ({"source": "accepted_feedback", "promote": "yes"}, "params"),
    ],
)
def test_bad_training_parameters_through_the_api(tiny_engines, contact_point, kenya, params, field):
    _accepted(kenya, 10)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=contact_point).key}")
    response = api.post("/api/v1/model-jobs/", {"kind": "aihs_train", "params": params}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not ModelJob.objects.exists()


def test_training_on_feedback_through_the_api(tiny_engines, contact_point, kenya):
    _accepted(kenya, 10)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=contact_point).key}")
    response = api.post(
        "/api/v1/model-jobs/", {"kind": "aihs_train", "params": {"source": "accepted_feedback"}}, format="json"
    )
    assert response.status_code == 201, response.content
    job = ModelJob.objects.get(pk=response.json()["id"])
    assert job.dataset.row_count == 10 and job.params["promote"] is True
    job = _run(job)
    assert _champion(kenya) == job.produced_version


def test_without_promote_the_comparison_is_recorded_but_no_alias_moves(tiny_engines, contact_point, kenya):
    _accepted(kenya, 10)
    job = services.job_submit(
        kind="aihs_train",
        administration=kenya,
        params={"source": "accepted_feedback", "promote": False},
        by=contact_point,
    )
    version = _run(job).produced_version
    assert version.metrics["comparison"]["better"] is True and "decision" not in version.metrics["comparison"]
    assert not VersionAlias.objects.exists()


def test_if_the_champion_changed_while_the_job_ran_the_new_version_stays_a_challenger(staff, kenya):
    compared = AlgorithmVersionFactory(algorithm__kind="aihs", administration=kenya, number=1)
    services.alias_move(version=compared, name="champion", by=staff)
    moved_meanwhile = AlgorithmVersionFactory(algorithm=compared.algorithm, administration=kenya, number=2)
    services.alias_move(version=moved_meanwhile, name="champion", by=staff)
    comparison = {"new": {"hs6_top5": 0.9, "hs6_top1": 0.5}, "better": True, "error": ""}
    new = AlgorithmVersionFactory(
        algorithm=compared.algorithm,
        administration=kenya,
        number=3,
        metrics={"comparison": {**comparison, "champion_version": {"id": compared.pk, "number": 1}}},
    )
    assert services.aihs_promotion_decide(version=new) == {"alias": "challenger", "reason": "champion_changed"}
    assert _champion(kenya) == moved_meanwhile
    new.refresh_from_db()
    assert new.metrics["comparison"]["decision"]["reason"] == "champion_changed"


def test_an_error_measuring_the_champion_keeps_the_new_version_a_challenger(staff, kenya):
    new = AlgorithmVersionFactory(
        algorithm__kind="aihs",
        administration=kenya,
        metrics={"comparison": {"new": {}, "better": False, "error": "unreadable", "champion_version": None}},
    )
    assert services.aihs_promotion_decide(version=new) == {"alias": "challenger", "reason": "error"}
    assert AlgorithmVersion.objects.get(pk=new.pk).aliases.get().name == "challenger"


def test_the_job_form_offers_training_on_the_accepted_feedback(
    client, tiny_engines, contact_point, kenya, kenya_dataset
):
    client.force_login(contact_point)
    url = reverse("algorithms:job_create")
    too_few = client.post(url, {"kind": "aihs_train", "administration": kenya.pk, "seed": 1, "accepted_feedback": "on"})
    assert too_few.status_code == 400 and "Training needs at least 10 accepted descriptions" in too_few.content.decode()
    both = client.post(
        url,
        {
            "kind": "aihs_train",
            "administration": kenya.pk,
            "seed": 1,
            "accepted_feedback": "on",
            "dataset": kenya_dataset.pk,
        },
    )
    assert both.status_code == 400 and "Choose a dataset or the accepted feedback, not both." in both.content.decode()
    wrong = client.post(
        url,
        {
            "kind": "date_train",
            "administration": kenya.pk,
            "seed": 1,
            "accepted_feedback": "on",
            "dataset": kenya_dataset.pk,
        },
    )
    assert wrong.status_code == 400 and "Only an AI-HS training job trains on the feedback." in wrong.content.decode()
    _accepted(kenya, 10)
    response = client.post(
        url, {"kind": "aihs_train", "administration": kenya.pk, "seed": 1, "accepted_feedback": "on"}
    )
    job = ModelJob.objects.get()
    assert response.status_code == 302 and job.params == {"source": "accepted_feedback", "promote": True}
    assert job.dataset.kind == "hs_labelled" and job.dataset.row_count == 10

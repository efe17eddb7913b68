"""500 model jobs for ``seed_demo --scale large`` (bulk rows, no real runs), spread over administrations.
Repeatable (seeded random)."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from bacuda_portal.members.models import Administration, User

from .enums import JobKind, JobStatus
from .models import Dataset, ModelJob

JOBS = 500
DATASETS = 40


@transaction.atomic
def seed_large_jobs(*, rng: random.Random, officer: User) -> None:
    administrations = list(Administration.objects.order_by("code")[:DATASETS])
    datasets = Dataset.objects.bulk_create(
        Dataset(administration=administration, name=f"Declarations {administration.code}", row_count=50_000,
                size=5_000_000, sha256=f"{n:064x}", has_labels=True, file=f"algorithms/datasets/scale/{n}.csv",
                uploaded_by=officer)
        for n, administration in enumerate(administrations)
    )  # fmt: skip
    now = timezone.now()
    kinds = [JobKind.DATE_TRAIN, JobKind.DATE_TRAIN, JobKind.SYNTH]  # scoring needs a trained version: none here
    statuses = [JobStatus.SUCCEEDED] * 7 + [JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.QUEUED]
    jobs = []
    for n in range(JOBS):
        dataset = rng.choice(datasets)
        status = rng.choice(statuses)
        started = now - dt.timedelta(hours=n * 7)
        done = status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)
        jobs.append(
            ModelJob(
                kind=rng.choice(kinds),
                administration=dataset.administration,
                dataset=dataset,
                seed=rng.randrange(1000),
                params={},
                status=status,
                percent=100 if status == JobStatus.SUCCEEDED else rng.randrange(100),
                stage="Done" if status == JobStatus.SUCCEEDED else "",
                error="The data has too few frauds to train." if status == JobStatus.FAILED else "",
                attempts=0 if status == JobStatus.QUEUED else 1,
                queued_at=started,
                started_at=None if status == JobStatus.QUEUED else started,
                finished_at=started + dt.timedelta(seconds=rng.randrange(20, 90)) if done else None,
                created_by=officer,
            )
        )
    ModelJob.objects.bulk_create(jobs, batch_size=500)

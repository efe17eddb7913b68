"""Personal data in uploaded datasets, in the data-protection register. The category's selectors and erase
service live here, beside its declaration.

An administration's declarations name importers and declarants, some of whom are people. The files (and the
files jobs derived from them: scored lists, synthetic tables) are deleted at the end of the retention period;
the dataset's row stays (name, size, dates, checksum: the model cards and job history refer to it), and so do
trained model files, which hold no rows of the data. Datasets belong to the administration, not to the person
who uploaded them: a person's erasure keeps them and pseudonymises only their name (through their account).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bacuda_portal.core import privacy

from .models import AlgorithmVersion, Dataset, HsLabelledDescription, JobArtifact


def datasets_held() -> QuerySet[Dataset]:
    return Dataset.objects.exclude(file="")


def datasets_due(now: dt.datetime) -> QuerySet[Dataset]:
    return datasets_held().filter(created_at__lt=privacy.months_before(now, settings.BACUDA_RETENTION_DATASET_MONTHS))


def datasets_of(subject: privacy.DataSubject) -> QuerySet[Dataset]:
    if not subject.user_id:
        return Dataset.objects.none()
    return Dataset.objects.filter(uploaded_by_id=subject.user_id).select_related("administration")


@transaction.atomic
def dataset_file_erase(dataset: Dataset, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Delete a dataset's file and the artifacts of the jobs that read it, except trained model files that a
    version uses. Side effects: files deleted; artifact rows deleted; the dataset keeps its row without a file."""
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if not dataset.file:
        return None
    models_in_use = AlgorithmVersion.objects.filter(model_artifact__isnull=False).values("model_artifact")
    for artifact in JobArtifact.objects.filter(job__dataset=dataset).exclude(pk__in=models_in_use):
        privacy.delete_file(artifact.file)
        artifact.delete()
    privacy.delete_file(dataset.file)
    dataset.save(update_fields=["file", "updated_at"])
    return set()


def _retention() -> str:
    months = settings.BACUDA_RETENTION_DATASET_MONTHS
    return ngettext(
        "%(count)d month after upload; then the file and the files derived from it are deleted.",
        "%(count)d months after upload; then the file and the files derived from it are deleted.",
        months,
    ) % {"count": months}


privacy.register(
    privacy.Category(
        key="algorithms.datasets",
        title=_("Uploaded datasets"),
        purpose=_(
            "To train and run models (fraud detection, HS-code suggestions, synthetic data) for the administration "
            "that uploaded the data."
        ),
        legal_basis=_("The administration's request; the data stays the administration's."),
        data=_(
            "Import declarations and goods descriptions, which may name importers and declarants; the files "
            "derived from them; who uploaded them."
        ),
        retention=_retention,
        held=datasets_held,
        due=datasets_due,
        due_since="created_at",
        erase=dataset_file_erase,
        of_subject=datasets_of,
        export=lambda dataset: {
            "dataset": dataset.pk,
            "name": dataset.name,
            "administration": dataset.administration.code,
            "uploaded_at": dataset.created_at,
            "rows": dataset.row_count,
        },
        # The administration's data: a person's erasure keeps it (their name on it goes with their account).
        held_on_request=lambda dataset, now: True,
        on_request_note=_("Datasets belong to the administration: they stay, with your name erased from them."),
        order=45,
        display_order=70,
    )
)


# --- AI-HS feedback: who confirmed or corrected a suggestion ------------------------------------------------------
def hs_feedback_held() -> QuerySet[HsLabelledDescription]:
    return HsLabelledDescription.objects.filter(created_by__isnull=False)


def hs_feedback_of(subject: privacy.DataSubject) -> QuerySet[HsLabelledDescription]:
    if not subject.user_id:
        return HsLabelledDescription.objects.none()
    return HsLabelledDescription.objects.filter(created_by_id=subject.user_id).select_related("administration")


@transaction.atomic
def hs_feedback_unlink(row: HsLabelledDescription, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Forget who gave the feedback; the labelled description stays the administration's. Side effects: the
    row's author is emptied."""
    HsLabelledDescription.objects.filter(pk=row.pk).update(created_by=None)
    return set()


privacy.register(
    privacy.Category(
        key="algorithms.hs_feedback",
        title=_("HS-code feedback"),
        purpose=_("To learn from the codes users confirm or correct, once their administration has reviewed them."),
        legal_basis=_("The administration's request; the labelled descriptions stay the administration's."),
        data=_("The goods description, the code you confirmed or gave, the suggestions shown, and who gave it."),
        retention=lambda: str(
            _("As long as the administration trains its models on them; who gave them is forgotten with your account.")
        ),
        held=hs_feedback_held,
        # Nothing expires by date: the link to the person goes when their account is erased.
        due=lambda now: HsLabelledDescription.objects.none(),
        due_since="created_at",
        erase=hs_feedback_unlink,
        of_subject=hs_feedback_of,
        export=lambda row: {
            "administration": row.administration.code,
            "description": row.description,
            "code": row.code,
            "feedback": row.feedback,
            "status": row.status,
            "given_at": row.created_at,
        },
        order=44,
        display_order=72,
    )
)

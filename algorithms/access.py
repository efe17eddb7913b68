"""Who may see or change what in the algorithms app: the one place it is decided.

Views, the API and the admin ask here. Anything a user may not see is "not found" (404) and never listed.
- Cards and versions: the public sees published ones; staff see everything; the data owner sees what awaits their
  approval; a contact point also sees the versions trained on their administration's data.
- Datasets, jobs and their files: the owning administration's contact points and staff only.
- Labelled goods descriptions (AI-HS feedback): the owning administration's contact points and staff only; they
  give feedback for, review and train on their own administration's descriptions.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from bacuda_portal.members import access as member_access

from .enums import Publication
from .models import Algorithm, AlgorithmVersion, Dataset, HsLabelledDescription, JobArtifact, ModelJob


def is_staff(user) -> bool:
    return member_access.is_wco_staff(user)


def administration_of(user):
    return member_access.administration_of(user)


def can_use_models(user) -> bool:
    """Upload datasets, submit jobs, ask for HS suggestions: staff and contact points."""
    return is_staff(user) or administration_of(user) is not None


def require_model_user(user) -> None:
    if not can_use_models(user):
        raise Http404


def require_staff(user) -> None:
    if not is_staff(user):
        raise Http404


# --- cards and versions ---------------------------------------------------------------------------
def algorithms_visible_to(user) -> QuerySet[Algorithm]:
    qs = Algorithm.objects.all()
    if is_staff(user):
        return qs
    condition = Q(publication=Publication.PUBLISHED)
    if user is not None and user.is_authenticated:
        condition |= Q(data_owner=user)
    return qs.filter(condition)


def get_algorithm_for(user, slug: str) -> Algorithm:
    algorithm = algorithms_visible_to(user).select_related("card", "data_owner").filter(slug=slug).first()
    if algorithm is None:
        raise Http404
    return algorithm


def can_edit_card(user, algorithm: Algorithm) -> bool:
    return is_staff(user)


def can_approve(user, algorithm: Algorithm) -> bool:
    """Only the algorithm's data owner approves the publication of its card and versions."""
    return bool(user and user.is_authenticated and algorithm.data_owner_id == user.pk)


def versions_visible_to(user) -> QuerySet[AlgorithmVersion]:
    qs = AlgorithmVersion.objects.all()
    if is_staff(user):
        return qs
    condition = Q(publication=Publication.PUBLISHED, algorithm__publication=Publication.PUBLISHED)
    if user is not None and user.is_authenticated:
        condition |= Q(algorithm__data_owner=user)
        own = administration_of(user)
        if own is not None:
            condition |= Q(administration=own)
    return qs.filter(condition)


def image_versions_usable_by(user) -> QuerySet[AlgorithmVersion]:
    """Trained image models a user may classify pictures with: staff, any; a contact point, those trained on
    their administration's data and the WCO's own releases (as the AI-HS suggestion page answers with their
    administration's model or the WCO's)."""
    from .enums import AlgorithmKind

    qs = AlgorithmVersion.objects.filter(algorithm__kind=AlgorithmKind.IMAGE, model_artifact__isnull=False)
    if is_staff(user):
        return qs
    own = administration_of(user)
    if own is None:
        return qs.none()
    wco = Q(administration__isnull=True, publication=Publication.PUBLISHED)
    return qs.filter(Q(administration=own) | wco)


def get_version_for(user, pk: int) -> AlgorithmVersion:
    version = (
        versions_visible_to(user)
        .select_related("algorithm", "administration", "job", "model_artifact", "approved_by")
        .filter(pk=pk)
        .first()
    )
    if version is None:
        raise Http404
    return version


def can_see_job_link(user, version: AlgorithmVersion) -> bool:
    """Whether the version's page may link to its job (the public sees the metrics, not the job)."""
    return version.job_id is not None and jobs_visible_to(user).filter(pk=version.job_id).exists()


# --- datasets, jobs, artifacts --------------------------------------------------------------------
def _own_administration_filter(user, qs):
    if is_staff(user):
        return qs
    own = administration_of(user)
    return qs.filter(administration=own) if own is not None else qs.none()


def datasets_visible_to(user) -> QuerySet[Dataset]:
    return _own_administration_filter(user, Dataset.objects.all())


def get_dataset_for(user, pk: int) -> Dataset:
    dataset = datasets_visible_to(user).select_related("administration", "uploaded_by").filter(pk=pk).first()
    if dataset is None:
        raise Http404
    return dataset


def jobs_visible_to(user) -> QuerySet[ModelJob]:
    return _own_administration_filter(user, ModelJob.objects.all())


def get_job_for(user, pk: int) -> ModelJob:
    job = (
        jobs_visible_to(user)
        .select_related("administration", "dataset", "source_version__algorithm", "created_by")
        .filter(pk=pk)
        .first()
    )
    if job is None:
        raise Http404
    return job


def can_cancel_job(user, job: ModelJob) -> bool:
    return jobs_visible_to(user).filter(pk=job.pk).exists()


def get_artifact_for(user, pk: int) -> JobArtifact:
    artifact = JobArtifact.objects.select_related("job").filter(pk=pk).first()
    if artifact is None or not jobs_visible_to(user).filter(pk=artifact.job_id).exists():
        raise Http404
    return artifact


def labelled_visible_to(user) -> QuerySet[HsLabelledDescription]:
    return _own_administration_filter(user, HsLabelledDescription.objects.all())


def can_act_for(user, administration) -> bool:
    """Whether the user may give feedback for, review for and train for this administration."""
    return administration is not None and administrations_for_upload(user).filter(pk=administration.pk).exists()


def administrations_for_upload(user):
    """The administrations a user may upload datasets and submit jobs for."""
    return member_access.administrations_visible_to(user)


def has_admin_permission(user, perm: str) -> bool:
    return is_staff(user)

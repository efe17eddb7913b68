"""Reads of the algorithms app, with the joins the pages need."""

import hashlib
import json

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from bacuda_portal.core.search import SearchHit, ranked
from bacuda_portal.members.models import Administration

from .enums import JobStatus, Publication, ReviewStatus
from .models import (
    CARD_SECTIONS,
    Algorithm,
    AlgorithmVersion,
    Dataset,
    HsLabelledDescription,
    ModelCard,
    ModelJob,
    VersionAlias,
)


def catalogue(visible: QuerySet[Algorithm]) -> QuerySet[Algorithm]:
    return visible.annotate(
        published_versions=Count("versions", filter=Q(versions__publication=Publication.PUBLISHED))
    ).order_by("name_en")


def published_versions(algorithm: Algorithm) -> QuerySet[AlgorithmVersion]:
    return (
        algorithm.versions.filter(publication=Publication.PUBLISHED)
        .select_related("administration")
        .prefetch_related("aliases")
        .order_by("-number")
    )


def card_revision(algorithm: Algorithm) -> str:
    """A fingerprint of everything the model card's PDF (``algorithms/pdf/model_card.html``) shows.

    The reports app keeps it in a model-card report's parameters: a request for an unchanged card finds the
    PDF already rendered, an edited card (text, publication, published versions or their aliases) gets a new one,
    and the public is only served the PDF of the card as it is published now.
    """
    card = ModelCard.objects.filter(algorithm=algorithm).first()
    state = {
        "algorithm": [algorithm.pk, algorithm.name_en, algorithm.name_fr, algorithm.summary_en, algorithm.summary_fr,
                      algorithm.publication],
        "card": [getattr(card, f"{key}_{language}", "") for key, _label in CARD_SECTIONS for language in ("en", "fr")],
        "versions": [
            [version.pk, version.number, version.release_notes_en, version.release_notes_fr,
             version.published_at.isoformat() if version.published_at else None,
             sorted(alias.name for alias in version.aliases.all())]
            for version in published_versions(algorithm)
        ],
    }  # fmt: skip
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]


def versions_of(algorithm: Algorithm, visible: QuerySet[AlgorithmVersion]) -> QuerySet[AlgorithmVersion]:
    return (
        visible.filter(algorithm=algorithm)
        .select_related("administration", "job")
        .prefetch_related(Prefetch("aliases", queryset=VersionAlias.objects.order_by("name")))
        .order_by("-number")
    )


def administrations_in(rows: QuerySet) -> QuerySet[Administration]:
    """The administrations that own at least one of ``rows`` (datasets or jobs), for a list's filter."""
    administrations = Administration.objects.filter(pk__in=rows.values("administration_id"))
    return administrations.only("name_en", "name_fr").order_by("name_en")


def dataset_list(visible: QuerySet[Dataset], *, search: str = "", kind: str = "", administration=None):
    qs = visible.select_related("administration", "uploaded_by")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(original_name__icontains=search) | Q(sha256__startswith=search))
    if kind:
        qs = qs.filter(kind=kind)
    if administration is not None:
        qs = qs.filter(administration=administration)
    return qs.order_by("-created_at", "-id")


def job_list(visible: QuerySet[ModelJob], *, search: str = "", kind: str = "", status: str = "", administration=None):
    qs = visible.select_related("administration", "dataset", "created_by")
    if search:
        condition = Q(dataset__name__icontains=search) | Q(created_by__email__icontains=search)
        if search.lstrip("#").isdigit():
            condition |= Q(pk=int(search.lstrip("#")))
        qs = qs.filter(condition)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if administration is not None:
        qs = qs.filter(administration=administration)
    return qs.order_by("-created_at", "-id")


def champion_version(*, algorithm_kind: str, administration) -> AlgorithmVersion | None:
    """The administration's champion version of an algorithm, else the WCO-wide champion, else None."""
    aliases = VersionAlias.objects.select_related("version__model_artifact").filter(
        algorithm__kind=algorithm_kind, name="champion"
    )
    if administration is not None:
        own = aliases.filter(administration=administration).first()
        if own is not None:
            return own.version
    wco = aliases.filter(administration__isnull=True).first()
    return wco.version if wco else None


def labelled_list(
    visible: QuerySet[HsLabelledDescription],
    *,
    search: str = "",
    status: str = "",
    feedback: str = "",
    administration=None,
) -> QuerySet[HsLabelledDescription]:
    """Labelled goods descriptions for the review list, newest first, with who gave and who reviewed them."""
    qs = visible.select_related("administration", "created_by", "reviewed_by")
    if search:
        code = search.replace(".", "").replace(" ", "")
        condition = Q(description__icontains=search)
        if code.isdigit():
            condition |= Q(code__startswith=code)
        qs = qs.filter(condition)
    if status:
        qs = qs.filter(status=status)
    if feedback:
        qs = qs.filter(feedback=feedback)
    if administration is not None:
        qs = qs.filter(administration=administration)
    return qs.order_by("-created_at", "-id")


def labelled_counts(visible: QuerySet[HsLabelledDescription]) -> dict[str, int]:
    """How many labelled descriptions await review, are accepted, are rejected."""
    counts = dict(visible.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in ReviewStatus.values}


# --- What the reports read of algorithms (their read contract) ----------------------------------------------------


def algorithm_or_none(algorithm_id) -> Algorithm | None:
    return Algorithm.objects.filter(pk=algorithm_id).first() if algorithm_id else None


def algorithm_with_card(algorithm_id: int) -> Algorithm:
    return Algorithm.objects.select_related("card").get(pk=algorithm_id)


def published_algorithm(slug: str) -> Algorithm | None:
    """The algorithm whose card is published under this slug, or None (drafts and withdrawn cards included)."""
    return Algorithm.objects.filter(slug=slug, publication=Publication.PUBLISHED).first()


def algorithm_choices() -> QuerySet[Algorithm]:
    """Every algorithm for a choice field, by English name."""
    return Algorithm.objects.order_by("name_en")


def jobs_succeeded_between(period_start, period_end) -> QuerySet[ModelJob]:
    """Model jobs that succeeded, finished in the period."""
    return ModelJob.objects.filter(
        status=JobStatus.SUCCEEDED, finished_at__date__gte=period_start, finished_at__date__lte=period_end
    )


def versions_published_between(period_start, period_end) -> QuerySet[AlgorithmVersion]:
    """Algorithm versions published (past the data owner's approval) in the period."""
    return AlgorithmVersion.objects.filter(
        publication=Publication.PUBLISHED, published_at__date__gte=period_start, published_at__date__lte=period_end
    )


# --- Search ----------------------------------------------------------------------------------------------
def search_cards(visible, words: list[str], *, limit: int) -> list[SearchHit]:
    rows = ranked(visible, ["name_en", "name_fr", "summary_en", "summary_fr"], words)
    return [
        SearchHit(kind=gettext("Model card"), title=algorithm.name, detail="", url=algorithm.get_absolute_url())
        for algorithm in rows[:limit]
    ]


def newest_image_report(versions) -> dict | None:
    """The image model figures of the newest of ``versions`` that has them (the model card's PDF)."""
    from .image_charts import newest_image_report as report

    return report(versions)

"""Reads of the algorithms app, with the joins the pages need."""

import datetime as dt
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
        published_versions=Count("versions", filter=Q(versions__publication=Publication.PUBLISHED)),
        unpublished_versions=Count("versions", filter=~Q(versions__publication=Publication.PUBLISHED)),
    ).order_by("name_en")


def published_versions(algorithm: Algorithm) -> QuerySet[AlgorithmVersion]:
    return (
        algorithm.versions.filter(publication=Publication.PUBLISHED)
        .select_related("administration", "job")
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


# --- The inbox: the algorithms work a user may act on ---------------------------------------------------------
INBOX_ROWS = 8
FAILED_JOBS_SHOWN_FOR = dt.timedelta(days=14)  # an older failure is history, not work


def inbox_items(user, *, now=None) -> list:
    """What ``user`` has to do in the algorithms app, as ``core.inbox.InboxItem``s, a few queries whatever the
    rows: cards and versions awaiting their approval as data owner; the model jobs of the last two weeks that
    failed (staff: all; a contact point: their administration's); labelled goods descriptions awaiting review."""
    from django.db.models import Min
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import get_language
    from django.utils.translation import gettext_lazy as _

    from bacuda_portal.core.inbox import InboxItem, Urgency

    from . import access
    from .enums import JobKind

    now = now or timezone.now()
    category = _("Algorithms")
    name = "name_fr" if get_language() == "fr" else "name_en"
    items: list[InboxItem] = []
    if user is not None and user.is_authenticated:
        cards = Algorithm.objects.filter(data_owner=user, publication=Publication.AWAITING_APPROVAL)
        for row in cards.values("slug", "name_en", "name_fr", "updated_at").order_by("updated_at")[:INBOX_ROWS]:
            items.append(
                InboxItem(
                    title=_("A model card to approve for publication"),
                    detail=row[name] or row["name_en"],
                    url=reverse("algorithms:card", kwargs={"slug": row["slug"]}),
                    category=category,
                    date=row["updated_at"],
                    urgency=Urgency.HIGH,
                )
            )
        versions = AlgorithmVersion.objects.filter(
            algorithm__data_owner=user, publication=Publication.AWAITING_APPROVAL
        ).values("pk", "number", "algorithm__name_en", "algorithm__name_fr", "updated_at")
        for row in versions.order_by("updated_at")[:INBOX_ROWS]:
            algorithm_name = row[f"algorithm__{name}"] or row["algorithm__name_en"]
            items.append(
                InboxItem(
                    title=_("A model version to approve for publication"),
                    detail=f"{algorithm_name} v{row['number']}",
                    url=reverse("algorithms:version_detail", kwargs={"pk": row["pk"]}),
                    category=category,
                    date=row["updated_at"],
                    urgency=Urgency.HIGH,
                )
            )
    if not access.can_use_models(user):
        return items
    failed = access.jobs_visible_to(user).filter(status=JobStatus.FAILED, finished_at__gte=now - FAILED_JOBS_SHOWN_FOR)
    kinds = dict(JobKind.choices)
    for row in failed.values("pk", "kind", "finished_at").order_by("-finished_at", "-pk")[:INBOX_ROWS]:
        items.append(
            InboxItem(
                title=_("A model job that failed"),
                detail=f"#{row['pk']} {kinds.get(row['kind'], row['kind'])}",
                url=reverse("algorithms:job_detail", kwargs={"pk": row["pk"]}),
                category=category,
                date=row["finished_at"],
            )
        )
    labelled = (
        access.labelled_visible_to(user)
        .filter(status=ReviewStatus.PENDING)
        .order_by()
        .aggregate(n=Count("pk"), oldest=Min("created_at"))
    )
    if labelled["n"]:
        items.append(
            InboxItem(
                title=_("Labelled goods descriptions to review"),
                url=reverse("algorithms:hs_labelled_list") + f"?status={ReviewStatus.PENDING}",
                category=category,
                count=labelled["n"],
                date=labelled["oldest"],
                urgency=Urgency.LOW,
            )
        )
    return items


# --- Homes ----------------------------------------------------------------------------------------------------
HOME_ROWS = 5


def administration_activity(administration) -> dict:
    """The contact point's home: their administration's datasets and model jobs (how many, how many succeeded)
    and the latest jobs. Three queries whatever the rows."""
    from .enums import JobKind

    jobs = ModelJob.objects.filter(administration=administration)
    kinds, statuses = dict(JobKind.choices), dict(JobStatus.choices)
    latest = list(jobs.values("pk", "kind", "status", "created_at").order_by("-created_at", "-pk")[:HOME_ROWS])
    for row in latest:
        row["kind_label"] = kinds.get(row["kind"], row["kind"])
        row["status_label"] = statuses.get(row["status"], row["status"])
    figures = jobs.aggregate(jobs=Count("pk"), succeeded=Count("pk", filter=Q(status=JobStatus.SUCCEEDED)))
    figures["datasets"] = Dataset.objects.filter(administration=administration).count()
    return {"latest_jobs": latest, "figures": figures}


def newest_image_report(versions) -> dict | None:
    """The image model figures of the newest of ``versions`` that has them (the model card's PDF)."""
    from .image_charts import newest_image_report as report

    return report(versions)


def newest_version_report(versions) -> dict | None:
    """The analyst's sections (``job_report``: parameters, DATE models compared with curves, confusion and
    importance, AI-Synth or AI-HS report) of the newest of ``versions`` that has them (the model card's PDF)."""
    from . import job_report

    for version in versions:
        reports = job_report.job_reports(version.algorithm.kind, version.metrics)
        if any(reports.values()):
            job_params = version.job.params if version.job_id and version.job else None
            return {
                "version": version.number,
                "parameters": job_report.parameter_table(job_params, (version.metrics or {}).get("params")),
                **reports,
            }
    return None

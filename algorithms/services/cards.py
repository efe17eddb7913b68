"""Cards, versions and the publication gate."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.notifications import services as notifications
from bacuda_portal.notifications.enums import Kind as NotificationKind

from .. import access
from ..enums import Alias, Publication
from ..models import CARD_SECTIONS, Algorithm, AlgorithmVersion, ModelCard, VersionAlias

# --- Cards, versions and the publication gate ------------------------------------------------------------------
ALGORITHM_FIELDS = ("name_en", "name_fr", "summary_en", "summary_fr", "data_owner")
CARD_FIELDS = tuple(f"{key}_{language}" for key, _label in CARD_SECTIONS for language in ("en", "fr"))


@transaction.atomic
def card_update(*, algorithm: Algorithm, by, **changes) -> Algorithm:
    """Staff edit an algorithm's name, summary, data owner and card sections. Side effects: audit record.

    A published card stays published (the data owner approved the card, and each change is in the audit log).
    """
    card, _created = ModelCard.objects.get_or_create(algorithm=algorithm)
    changed = []
    for name, value in changes.items():
        target = algorithm if name in ALGORITHM_FIELDS else card if name in CARD_FIELDS else None
        if target is None:
            raise ValueError(f"Unknown card field {name}")
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    algorithm.full_clean()
    algorithm.save()
    card.save()
    audit_record(actor=by, action="algorithms.card.updated", target=algorithm, fields=changed)
    return algorithm


def _gate_object(obj) -> Algorithm:
    return obj if isinstance(obj, Algorithm) else obj.algorithm


@transaction.atomic
def publication_request(*, obj: Algorithm | AlgorithmVersion, by) -> None:
    """Draft -> awaiting the data owner's approval (staff). Side effects: audit record; the data owner notified."""
    obj.refresh_from_db(fields=["publication"])
    if obj.publication != Publication.DRAFT:
        raise TransitionError(_("Only a draft can be submitted for approval."))
    if _gate_object(obj).data_owner_id is None:
        raise TransitionError(_("Name the algorithm's data owner first: they approve its publication."))
    obj.publication = Publication.AWAITING_APPROVAL
    obj.approval_requested_at = timezone.now()
    obj.save(update_fields=["publication", "approval_requested_at", "updated_at"])
    audit_record(actor=by, action="algorithms.publication.requested", target=obj)
    algorithm = _gate_object(obj)
    notifications.notify_user(
        kind=NotificationKind.PUBLICATION_AWAITING,
        user=algorithm.data_owner,
        context={"algorithm": str(obj) if obj is algorithm else f"{algorithm} v{obj.number}"},
        about=obj,
        link=("algorithms:card", {"slug": algorithm.slug}),
    )


@transaction.atomic
def publication_approve(*, obj: Algorithm | AlgorithmVersion, by) -> None:
    """Awaiting approval -> published, by the data owner only. Side effects: audit record."""
    obj.refresh_from_db(fields=["publication"])
    if not access.can_approve(by, _gate_object(obj)):
        raise TransitionError(_("Only the data owner can approve this publication."))
    if obj.publication != Publication.AWAITING_APPROVAL:
        raise TransitionError(_("Only something awaiting approval can be approved."))
    obj.publication = Publication.PUBLISHED
    obj.approved_by = by
    obj.published_at = timezone.now()
    obj.save(update_fields=["publication", "approved_by", "published_at", "updated_at"])
    audit_record(actor=by, action="algorithms.publication.approved", target=obj)


@transaction.atomic
def publication_withdraw(*, obj: Algorithm | AlgorithmVersion, by) -> None:
    """Awaiting approval or published -> draft (staff, or the data owner declining). Side effects: audit."""
    obj.refresh_from_db(fields=["publication"])
    if obj.publication == Publication.DRAFT:
        raise TransitionError(_("This is already a draft."))
    obj.publication = Publication.DRAFT
    obj.save(update_fields=["publication", "updated_at"])
    audit_record(actor=by, action="algorithms.publication.withdrawn", target=obj)


@transaction.atomic
def version_update(*, version: AlgorithmVersion, by, release_notes_en: str, release_notes_fr: str) -> AlgorithmVersion:
    version.release_notes_en = release_notes_en
    version.release_notes_fr = release_notes_fr
    version.save(update_fields=["release_notes_en", "release_notes_fr", "updated_at"])
    audit_record(actor=by, action="algorithms.version.updated", target=version)
    return version


@transaction.atomic
def alias_move(*, version: AlgorithmVersion, name: str, by) -> VersionAlias:
    """Point ``name`` (champion, challenger) at this version, within its algorithm and administration.

    The alias leaves the version it pointed at before. A version that carries no model cannot be an alias.
    Side effects: audit record with the previous version.
    """
    if name not in Alias.values:
        raise TransitionError(_("Unknown alias."))
    if version.model_artifact_id is None and version.job_id is not None:
        raise TransitionError(_("This version has no trained model."))
    alias = (
        VersionAlias.objects.select_for_update()
        .filter(algorithm=version.algorithm, administration=version.administration, name=name)
        .first()
    )
    previous = alias.version_id if alias else None
    if alias is None:
        alias = VersionAlias(algorithm=version.algorithm, administration=version.administration, name=name)
    alias.version = version
    alias.save()
    audit_record(actor=by, action="algorithms.alias.moved", target=version, alias=name, previous_version=previous)
    return alias


def next_version_number(algorithm: Algorithm) -> int:
    last = AlgorithmVersion.objects.filter(algorithm=algorithm).order_by("-number").values_list("number", flat=True)
    return (last.first() or 0) + 1

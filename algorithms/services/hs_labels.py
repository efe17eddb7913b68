"""AI-HS: labelled descriptions from suggestion feedback, their review, the training set and promotion."""

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record

from .. import selectors
from ..enums import (
    AlgorithmKind,
    Alias,
    DatasetKind,
    FeedbackKind,
    LabelSource,
    ReviewStatus,
)
from ..models import (
    AlgorithmVersion,
    Dataset,
    HsLabelledDescription,
)
from .cards import alias_move
from .common import hs6_refusal, normalised_hs_code
from .datasets import dataset_upload

# --- AI-HS: labelled descriptions from suggestion feedback (issue 13) --------------------------------------------
FEEDBACK_SOURCE = "accepted_feedback"  # params["source"] of an AI-HS training job on the accepted feedback
# Keys of a job's parameters that the portal reads and the engine never sees.
SERVICE_PARAMS = ("source", "promote")
REVIEW_DECISIONS = (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED)


@transaction.atomic
def hs_feedback_record(
    *, administration, description: str, code: str, suggestions: list, model_version, model_name: str, by
) -> HsLabelledDescription:
    """A user confirms one of the suggested codes or corrects the suggestion with another HS 2022 subheading.

    The description is kept, awaiting the administration's review, with what was suggested then (codes and
    probabilities, best first) and the model that suggested it. Sending the same confirmation twice keeps one.
    Raises ValidationError (``code`` or ``description``). Side effects: audit record.
    """
    code = normalised_hs_code(code)
    refusal = hs6_refusal(code)
    if refusal:
        raise ValidationError({"code": refusal})
    description = " ".join(str(description or "").split())
    if not description:
        raise ValidationError({"description": _("The goods description is empty.")})
    if len(description) > HsLabelledDescription._meta.get_field("description").max_length:
        raise ValidationError({"description": _("The goods description is too long.")})
    suggested = [{"code": str(item["code"]), "confidence": float(item["confidence"])} for item in suggestions]
    feedback = FeedbackKind.CONFIRMED if code in {item["code"] for item in suggested} else FeedbackKind.CORRECTED
    repeated = HsLabelledDescription.objects.filter(
        administration=administration, description=description, code=code, created_by=by, status=ReviewStatus.PENDING
    ).first()
    if repeated is not None:
        return repeated
    label = HsLabelledDescription.objects.create(
        administration=administration,
        description=description,
        code=code,
        source=LabelSource.SUGGESTION_FEEDBACK,
        feedback=feedback,
        suggestions=suggested,
        model_version=model_version,
        model_name=model_name[:200],
        created_by=by,
    )
    audit_record(actor=by, action=f"algorithms.hs_label.{feedback}", target=label, code=code)
    return label


@transaction.atomic
def hs_label_review(*, label: HsLabelledDescription, status: str, by) -> HsLabelledDescription:
    """Accept or reject a labelled description (from awaiting review, or changing an earlier decision).

    Only accepted descriptions go into a training job. Side effects: audit record with the previous status.
    """
    if status not in REVIEW_DECISIONS:
        raise TransitionError(_("Accept or reject."))
    label = HsLabelledDescription.objects.select_for_update().get(pk=label.pk)
    if label.status == status:
        raise TransitionError(
            _("This description is already %(status)s.") % {"status": ReviewStatus(status).label.lower()}
        )
    previous = label.status
    label.status = status
    label.reviewed_by = by
    label.reviewed_at = timezone.now()
    label.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    audit_record(actor=by, action=f"algorithms.hs_label.{status}", target=label, previous=previous)
    return label


def hs_labels_review(*, visible, ids, status: str, by) -> dict[str, int]:
    """Accept or reject several labelled descriptions, each in its own transaction (one refusal does not undo
    the others). ``visible``: the descriptions the user may review; an id outside it counts as not found, exactly
    like an id that does not exist. Returns the counts ``changed``, ``unchanged`` (already so) and ``not_found``.
    Side effects: one audit record per change."""
    wanted = sorted({int(pk) for pk in ids})
    found = {label.pk: label for label in visible.filter(pk__in=wanted)}
    summary = {"changed": 0, "unchanged": 0, "not_found": 0}
    for pk in wanted:
        label = found.get(pk)
        if label is None:
            summary["not_found"] += 1
            continue
        try:
            hs_label_review(label=label, status=status, by=by)
        except TransitionError:
            summary["unchanged"] += 1
        else:
            summary["changed"] += 1
    return summary


def hs_feedback_dataset(*, administration, by) -> Dataset:
    """The administration's accepted descriptions as a labelled dataset (``description``, ``hs_code``), checked
    and kept like an uploaded one: a training job reads a fixed copy, and running it again trains on the same rows.

    Raises ValidationError when there are too few to train on. Side effects: those of ``dataset_upload``.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..engines.aihs.engine import MIN_ROWS

    rows = list(
        HsLabelledDescription.objects.filter(administration=administration, status=ReviewStatus.ACCEPTED)
        .order_by("pk")
        .values_list("description", "code")
    )
    if len(rows) < MIN_ROWS:
        raise ValidationError(
            {
                "params": ngettext(
                    "Training needs at least %(needed)d accepted descriptions; %(count)d is accepted.",
                    "Training needs at least %(needed)d accepted descriptions; %(count)d are accepted.",
                    len(rows),
                )
                % {"needed": MIN_ROWS, "count": len(rows)}
            }
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["description", "hs_code"])
    writer.writerows(rows)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    upload = SimpleUploadedFile(
        f"aihs-accepted-feedback-{administration.code}.csv", buffer.getvalue().encode(), content_type="text/csv"
    )
    return dataset_upload(
        administration=administration,
        kind=DatasetKind.HS_LABELLED,
        name=_("Accepted AI-HS feedback, %(when)s") % {"when": stamp},
        description=ngettext(
            "%(count)d goods description confirmed or corrected by users and accepted by the administration.",
            "%(count)d goods descriptions confirmed or corrected by users and accepted by the administration.",
            len(rows),
        )
        % {"count": len(rows)},
        uploaded=upload,
        by=by,
    )


def aihs_promotion_decide(*, version: AlgorithmVersion) -> dict:
    """After an AI-HS training job that asked for it (``params["promote"]``): the champion alias moves to the new
    version only when it did better than the champion on the same held-out descriptions (and the champion is still
    the one it was compared with); otherwise the version becomes the challenger. The decision and its reason are
    recorded in the version's ``metrics["comparison"]["decision"]``. Runs inside the runner's transaction.

    Side effects: the alias move (audited); the version's metrics.
    """
    comparison = (version.metrics or {}).get("comparison")
    if not isinstance(comparison, dict):
        comparison, reason = {}, "no_comparison"
    elif comparison.get("error"):
        reason = "error"
    else:
        compared = (comparison.get("champion_version") or {}).get("id")
        current = selectors.champion_version(algorithm_kind=AlgorithmKind.AIHS, administration=version.administration)
        if (current.pk if current else None) != compared:
            reason = "champion_changed"
        else:
            reason = "better" if comparison.get("better") else "not_better"
    alias = Alias.CHAMPION if reason == "better" else Alias.CHALLENGER
    alias_move(version=version, name=alias, by=None)
    decision = {"alias": str(alias), "reason": reason}
    version.metrics = {**(version.metrics or {}), "comparison": {**comparison, "decision": decision}}
    version.save(update_fields=["metrics", "updated_at"])
    return decision

"""CLiKC! enrolment: recording who finished a workshop's prerequisite e-learning course (Moodle's report)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from .. import selectors
from ..models import PrerequisiteCompletion, Workshop


@dataclass(frozen=True)
class CompletionImportOutcome:
    recorded: int  # completions written (new, or a changed date)
    not_completed: int  # people of the workshop who have not finished the course
    unknown: int  # rows about nobody nominated for this workshop


@transaction.atomic
def prerequisite_completions_import(
    *, workshop: Workshop, rows: Iterable[Mapping[str, Any]], by: User
) -> CompletionImportOutcome:
    """Record, from the rows of Moodle's course-completion report, which of the workshop's nominated officials
    finished its prerequisite course and when; all rows or none.

    Rows about someone not nominated for the workshop, or who has not completed the course, are skipped (the report
    lists everyone enrolled in the course). A completion already recorded takes the report's date. Refuses
    (ValidationError) a workshop without a prerequisite course. Side effects: one audit record with the counts."""
    course = workshop.prerequisite_course
    if course is None:
        raise ValidationError(_("This workshop has no prerequisite e-learning course: choose one first."))
    identities = selectors.clikc_identities(workshop)
    recorded = not_completed = unknown = 0
    for row in rows:
        nomination = selectors.match_clikc_identity(identities, email=row["email"], username=row["username"])
        if nomination is None:
            unknown += 1
        elif not row["completed"]:
            not_completed += 1
        else:
            PrerequisiteCompletion.objects.update_or_create(
                nomination=nomination,
                course=course,
                defaults={"completed_at": row["completed_at"], "recorded_by": by},
            )
            recorded += 1
    audit_record(
        actor=by,
        action="workshops.prerequisite_completions.imported",
        target=workshop,
        course=course.code,
        recorded=recorded,
        not_completed=not_completed,
        unknown=unknown,
    )
    return CompletionImportOutcome(recorded=recorded, not_completed=not_completed, unknown=unknown)

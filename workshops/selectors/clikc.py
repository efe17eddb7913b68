"""CLiKC! enrolment: the accepted participants as Moodle users, who finished the prerequisite course."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from ..enums import NominationStatus
from ..models import Nomination, PrerequisiteCompletion, Workshop
from ..moodle import MOODLE_STUDENT_ROLE, moodle_language, moodle_names, moodle_username


def with_prerequisite_completion(nominations: QuerySet[Nomination]) -> QuerySet[Nomination]:
    """Each nomination with ``prerequisite_completed_at``: when the official finished their workshop's current
    prerequisite course on CLiKC! (None when not recorded, or when the workshop has none). One subquery."""
    completed = PrerequisiteCompletion.objects.filter(
        nomination=OuterRef("pk"), course=OuterRef("workshop__prerequisite_course")
    ).values("completed_at")[:1]
    return nominations.annotate(prerequisite_completed_at=Subquery(completed))


def prerequisite_missing(nomination: Nomination) -> bool:
    """The nomination's workshop asks for an e-learning course first, and the official has not finished it."""
    course_id = Workshop.objects.filter(pk=nomination.workshop_id).values_list("prerequisite_course", flat=True)[0]
    if course_id is None:
        return False
    return not PrerequisiteCompletion.objects.filter(nomination=nomination, course_id=course_id).exists()


def moodle_user_rows(workshop: Workshop) -> Iterator[list[str]]:
    """The workshop's accepted participants as rows of Moodle's user upload (workshops.clikc.MOODLE_USER_COLUMNS)."""
    participants = (
        Nomination.objects.filter(workshop=workshop, status=NominationStatus.ACCEPTED)
        .select_related("administration")
        .order_by("administration__name_en", "full_name", "pk")
    )
    for nomination in participants:
        first_name, last_name = moodle_names(nomination.full_name)
        yield [
            moodle_username(nomination.email),
            first_name,
            last_name,
            nomination.email.strip().lower(),
            workshop.clikc_course_short_name,
            workshop.clikc_group_name,
            MOODLE_STUDENT_ROLE,
            moodle_language(nomination.language),
            nomination.administration.name_en,
            nomination.administration.iso_alpha2.upper(),
        ]


@dataclass
class ClikcIdentities:
    """A workshop's nominations (all but withdrawn ones) by email address and by CLiKC! username."""

    by_email: dict[str, Nomination]
    by_username: dict[str, Nomination]


def clikc_identities(workshop: Workshop) -> ClikcIdentities:
    nominations = list(
        Nomination.objects.filter(workshop=workshop)
        .exclude(status=NominationStatus.WITHDRAWN)
        .select_related("administration")
    )
    return ClikcIdentities(
        by_email={nomination.email.strip().lower(): nomination for nomination in nominations},
        by_username={moodle_username(nomination.email): nomination for nomination in nominations},
    )


def match_clikc_identity(identities: ClikcIdentities, *, email: str, username: str) -> Nomination | None:
    """The nomination a row of a CLiKC! report is about: by email address first, else by username."""
    if email and email in identities.by_email:
        return identities.by_email[email]
    if username:
        return identities.by_username.get(username)
    return None


def clikc_summary(workshop: Workshop) -> dict:
    """The figures of the workshop page's CLiKC! section."""
    accepted = Nomination.objects.filter(workshop=workshop, status=NominationStatus.ACCEPTED)
    completed = 0
    if workshop.prerequisite_course_id:
        completed = PrerequisiteCompletion.objects.filter(
            nomination__in=accepted, course_id=workshop.prerequisite_course_id
        ).count()
    return {"accepted": accepted.count(), "accepted_completed": completed}

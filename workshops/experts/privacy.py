"""Personal data of the experts registry in the data-protection register: profiles and CVs. The category's
selectors and erase service live here, beside its declaration.

Erasure keeps the row (assignments, missions and the "experts deployed" indicator count it, by the region of the
expert's administration) and removes who the expert is: name, address, telephone, biography, CV, availability.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bacuda_portal.core import privacy

from .models import AccreditationChange, AvailabilityWindow, Expert


def experts_held() -> QuerySet[Expert]:
    return Expert.objects.exclude(email__iendswith="@" + privacy.ERASED_DOMAIN)


def experts_due(now: dt.datetime) -> QuerySet[Expert]:
    """Experts with no assignment, mission or profile change for the retention period."""
    cutoff = privacy.years_before(timezone.localtime(now), settings.BACUDA_RETENTION_EXPERT_YEARS)
    return (
        experts_held()
        .filter(updated_at__lt=cutoff)
        .exclude(assignments__workshop__end_date__gte=cutoff.date())
        .exclude(missions__end_date__gte=cutoff.date())
    )


def experts_of(subject: privacy.DataSubject) -> QuerySet[Expert]:
    by_user = Q(user_id=subject.user_id) if subject.user_id else Q(pk__in=[])
    return Expert.objects.annotate(address=Lower("email")).filter(by_user | Q(address__in=subject.emails))


@transaction.atomic
def expert_erase(expert: Expert, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Pseudonymise an expert's profile: name, address, telephone, biography and availability go, the CV is
    deleted, the profile is unlinked from any account and made inactive; accreditation, administration,
    nationality, languages and the assignments stay for the statistics.

    Side effects: the expert row; CV file deleted; availability windows deleted; accreditation notes blanked.
    """
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if privacy.is_erased_email(expert.email):
        return None
    removed = {expert.full_name, expert.email, expert.phone}
    expert.full_name = privacy.pseudonym("expert", expert.pk)
    expert.email = privacy.erased_email("expert")
    expert.phone = ""
    expert.biography = ""
    expert.user = None
    expert.is_active = False
    privacy.delete_file(expert.cv)
    expert.save()
    AvailabilityWindow.objects.filter(expert=expert).delete()
    AccreditationChange.objects.filter(expert=expert).update(note="")
    return removed


def _expert_export(expert: Expert) -> dict:
    return {
        "full_name": expert.full_name,
        "email": expert.email,
        "phone": expert.phone,
        "nationality": expert.nationality.code if expert.nationality_id else None,
        "administration": expert.administration.code if expert.administration_id else None,
        "accreditation": expert.accreditation_status,
        "biography": expert.biography,
        "expertise_areas": [area.code for area in expert.expertise_areas.all()],
        "languages": [{"language": row.language, "level": row.level} for row in expert.languages.all()],
        "availability": [
            {"from": row.start_date, "until": row.end_date, "note": row.note}
            for row in expert.availability_windows.all()
        ],
        "accreditation_history": [
            {"from": row.from_status, "to": row.to_status, "on": row.on, "note": row.note}
            for row in expert.accreditation_history.all()
        ],
        "assignments": [
            {"workshop": row.workshop.title, "role": row.role, "status": row.status}
            for row in expert.assignments.select_related("workshop")
        ],
    }


def _expert_files(expert: Expert) -> list:
    return [(f"cv-{expert.pk}.pdf", expert.cv)] if expert.cv else []


def _retention() -> str:
    years = settings.BACUDA_RETENTION_EXPERT_YEARS
    return ngettext(
        "%(count)d year after your last assignment, mission or change to your profile; then your profile is "
        "erased and your CV deleted.",
        "%(count)d years after your last assignment, mission or change to your profile; then your profile is "
        "erased and your CV deleted.",
        years,
    ) % {"count": years}


privacy.register(
    privacy.Category(
        key="experts.profiles",
        title=_("Experts and their CVs"),
        purpose=_("To find, accredit and deploy trainers and resource persons for BACUDA workshops and missions."),
        legal_basis=_("Your agreement to be listed in the experts registry, and the contracts for your missions."),
        data=_(
            "Full name, email address, telephone, nationality, administration, biography, CV, expertise, "
            "languages, availability, accreditation history, assignments and appraisals."
        ),
        retention=_retention,
        held=experts_held,
        due=experts_due,
        due_since="updated_at",
        erase=expert_erase,
        of_subject=experts_of,
        export=_expert_export,
        files=_expert_files,
        order=40,
        display_order=40,
    )
)

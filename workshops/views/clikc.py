"""CLiKC! enrolment (staff): the accepted participants for Moodle's user upload, and the import of Moodle's
course-completion report of the prerequisite e-learning course."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from bacuda_portal.core.csv_export import table_response
from bacuda_portal.core.imports import import_page

from .. import access, selectors, services
from ..clikc import COMPLETION_IMPORT
from ..moodle import MOODLE_USER_COLUMNS


@login_required
def clikc_users(request, pk):
    """The workshop's accepted participants as a CSV for CLiKC!'s "Upload users" (accounts, course and group)."""
    workshop = access.get_workshop_for_staff(request.user, pk)
    if not workshop.clikc_course_short_name:
        messages.error(request, _("Give the workshop's CLiKC! course short name first (Edit)."))
        return redirect(workshop)
    return table_response(
        file_format="csv",
        filename=f"clikc-users-workshop-{workshop.pk}",
        header=MOODLE_USER_COLUMNS,
        rows=selectors.moodle_user_rows(workshop),
        actor=request.user,
        action="workshops.clikc_users.exported",
    )


def _completion_message(outcome: services.CompletionImportOutcome) -> str:
    return _(
        "Completions recorded: %(recorded)d; not completed: %(not_completed)d; not nominated for this workshop: "
        "%(unknown)d."
    ) % {"recorded": outcome.recorded, "not_completed": outcome.not_completed, "unknown": outcome.unknown}


@login_required
def clikc_completions_import(request, pk):
    """Staff import Moodle's course-completion report of the prerequisite course (preview, then all or none)."""
    workshop = access.get_workshop_for_staff(request.user, pk)
    if workshop.prerequisite_course is None:
        messages.error(request, _("Choose the workshop's prerequisite e-learning course first (Edit)."))
        return redirect(workshop)
    return import_page(
        request,
        spec=COMPLETION_IMPORT,
        write=lambda rows: services.prerequisite_completions_import(workshop=workshop, rows=rows, by=request.user),
        title=_("Import CLiKC! course completions: %(workshop)s") % {"workshop": workshop.title},
        intro=_("Upload the course completion report of “%(course)s” as CLiKC! downloads it (Reports, Course "
                "completion, Download in CSV format). Each row is matched to a nomination of this workshop by email "
                "address or username; rows about other people or without a completion are skipped. Nothing is "
                "written until you confirm, and then every row or none.") % {"course": workshop.prerequisite_course},
        done_url=workshop.get_absolute_url(),
        form_kwargs={"workshop": workshop, "identities": selectors.clikc_identities(workshop)},
        success=_completion_message,
    )  # fmt: skip

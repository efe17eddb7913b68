"""The workshop import pages: a contact point's nominations for a workshop, staff's past activities."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.imports import import_page

from .. import access, services
from ..imports import NOMINATION_IMPORT, PAST_ACTIVITY_IMPORT


@login_required
def nomination_import(request, pk):
    """A contact point nominates several officials of their administration at once (preview, then all or none)."""
    workshop = access.get_workshop_for(request.user, pk)
    administration = access.nominating_administration(request.user, workshop)
    if administration is None:
        raise Http404
    return import_page(
        request,
        spec=NOMINATION_IMPORT,
        write=lambda rows: services.nominations_import(
            workshop=workshop, administration=administration, rows=rows, by=request.user
        ),
        title=_("Import nominations: %(workshop)s") % {"workshop": workshop.localized_title},
        intro=_("Nominate several officials of your administration at once from an Excel workbook or a CSV file, "
                "within your administration's places. Each row is checked first; nothing is written until you "
                "confirm, and then every row or none."),
        done_url=workshop.get_absolute_url(),
        form_kwargs={"workshop": workshop, "administration": administration},
    )  # fmt: skip


@login_required
def past_activity_import(request):
    """Staff record workshops delivered before the portal, with their participants (preview, then all or none)."""
    if not access.can_manage_workshops(request.user):
        raise Http404
    return import_page(
        request,
        spec=PAST_ACTIVITY_IMPORT,
        write=lambda rows: services.past_activities_import(rows=rows, by=request.user),
        title=_("Import past activities"),
        intro=_("Record workshops delivered before the portal, one row per participant, so that the results "
                "framework covers the project since it began. Rows with the same title and dates make one workshop; "
                "nothing is written until you confirm, and then every row or none."),
        done_url=reverse("workshops:list"),
        form_kwargs={"today": timezone.localdate()},
    )  # fmt: skip

"""The attendance sheet of a workshop."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError

from .. import access, selectors, services
from ..enums import AttendanceStatus


@login_required
def attendance(request, pk):
    """One page for the whole workshop: a row per participant, a column per session."""
    workshop = access.get_workshop_for_staff(request.user, pk)
    if request.method == "POST":
        marks = {}
        for key, status in request.POST.items():
            if key.startswith("mark-"):
                try:
                    _prefix, session_id, nomination_id = key.split("-")
                    marks[(int(session_id), int(nomination_id))] = status
                except ValueError:
                    raise Http404
        try:
            changed = services.attendance_record(workshop=workshop, marks=marks, by=request.user)
        except (TransitionError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Attendance saved (%(count)d changes).") % {"count": changed})
            return redirect("workshops:attendance", pk=workshop.pk)
    sessions, rows = selectors.attendance_sheet(workshop)
    return render(
        request,
        "workshops/attendance.html",
        {
            "workshop": workshop,
            "sessions": sessions,
            "rows": rows,
            "statuses": AttendanceStatus.choices,
            "share_percent": round(settings.BACUDA_CERTIFICATE_ATTENDANCE_SHARE * 100),
        },
    )

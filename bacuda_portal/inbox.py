"""One inbox of pending work for every role, and every role's home.

Each app answers for its own pending work (``inbox_items`` in its ``selectors``, asking its ``access`` what
the user may act on); this module, in the project package because it asks every app, collects them for the inbox
page (``/inbox/``), the homes (``/dashboard/``, where everybody lands after signing in) and the header's count.

The header's count is the total of the user's inbox the last time their home or inbox page was drawn (kept a few
minutes in the cache): the header reads the cache only, so no page pays for the inbox's queries but these two.
"""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from algorithms import selectors as algorithm_selectors
from bacuda_portal import navigation
from bacuda_portal.core.inbox import InboxItem, grouped, total
from bacuda_portal.members import access as member_access
from bacuda_portal.members import selectors as member_selectors
from bacuda_portal.reports import selectors as report_selectors
from scholarships import selectors as scholarship_selectors
from workshops import selectors as workshop_selectors
from workshops.elearning import selectors as elearning_selectors
from workshops.experts import access as expert_access
from workshops.missions import selectors as mission_selectors

COUNT_KEY = "bacuda:inbox-count:{pk}"
COUNT_SECONDS = 10 * 60


def inbox_items(user) -> list[InboxItem]:
    """Everything ``user`` may act on now, across the apps; a few queries per app whatever the rows."""
    now = timezone.now()
    today = timezone.localdate(now)
    items = [
        *workshop_selectors.inbox_items(user, today=today),
        *mission_selectors.inbox_items(user),
        *elearning_selectors.inbox_items(user, today=today),
        *scholarship_selectors.inbox_items(user, now=now),
        *algorithm_selectors.inbox_items(user, now=now),
        *report_selectors.inbox_items(user),
        *member_selectors.inbox_items(user),
    ]
    cache.set(COUNT_KEY.format(pk=user.pk), total(items), COUNT_SECONDS)
    return items


def inbox_count(request) -> dict:
    """Context processor: the header's count (None when unknown), read from the cache only when drawn."""
    user = getattr(request, "user", None)

    def count():
        if user is None or not user.is_authenticated:
            return None
        return cache.get(COUNT_KEY.format(pk=user.pk))

    return {"inbox_count": SimpleLazyObject(count)}


@login_required
def inbox(request):
    """The user's pending work, grouped by category, most urgent first; each item links to where it is done."""
    items = inbox_items(request.user)
    return render(request, "inbox.html", {"groups": grouped(items), "total": total(items)})


@login_required
def home(request):
    """Where everybody lands after signing in: their pending work, their activity, shortcuts for their role."""
    user = request.user
    items = inbox_items(user)
    today = timezone.localdate()
    role = navigation.role_of(user)
    context = {"groups": grouped(items), "total": total(items), "role": role}
    if role == navigation.CONTACT_POINT:
        administration = member_access.administration_of(user)
        context.update(
            administration=administration,
            workshops=workshop_selectors.administration_activity(administration, today=today),
            applications=scholarship_selectors.administration_applications(administration),
            algorithms=algorithm_selectors.administration_activity(administration),
        )
    elif role == navigation.EXPERT:
        expert = expert_access.expert_of(user)
        context["assignments"] = workshop_selectors.expert_activity(expert, today=today) if expert else []
    elif role == navigation.APPLICANT:
        context["applications"] = scholarship_selectors.applicant_activity(user)
    return render(request, "home.html", context)

"""Personal calendar feeds: a page to make, replace or stop one's secret link, and the feed it serves."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import access, ical, selectors, services
from .workshops import CALENDAR_FEED_DAYS_BACK, _calendar_response


@login_required
def calendar_feed(request):
    """The signed-in person's calendar link: shown (it is a secret), made or replaced, or stopped."""
    if not access.can_have_calendar_feed(request.user):
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            services.calendar_feed_stop(user=request.user)
            messages.success(request, _("Your calendar link no longer works."))
        else:
            services.calendar_feed_renew(user=request.user)
            messages.success(request, _("Your calendar link is ready; any earlier link no longer works."))
        return redirect("workshops:calendar_feed")
    feed = selectors.calendar_feed_of(request.user)
    url = settings.SITE_URL + reverse("workshops:personal_calendar", args=[feed.key]) if feed else ""
    return render(request, "workshops/calendar_feed.html", {"feed": feed, "feed_url": url})


@never_cache
def personal_calendar(request, key):
    """The feed itself: no sign-in (calendar apps cannot), the secret key in the URL is the credential."""
    user = access.feed_owner(key)
    if user is None:
        raise Http404
    since = timezone.localdate() - dt.timedelta(days=CALENDAR_FEED_DAYS_BACK)
    workshops = selectors.personal_calendar_workshops(user, since=since, **access.calendar_feed_scope(user))
    content = ical.workshops_calendar(
        workshops, name=_("My BACUDA workshops"), site_url=settings.SITE_URL, with_sessions=True
    )
    return _calendar_response(content, "my-bacuda-workshops.ics")
